"""End to end on the rendered fixture clips: each clip's analysis against its expected.json.

The analysis is analyze_video's two steps, the pose pass (made once per run for every test of the
fixture clips: conftest.fixture_poses) and analyze_poses; the empty clip goes through analyze_video
itself."""

import json
from pathlib import Path

import pytest

from formcheck import Analysis, analyze_poses, analyze_video, get_exercise
from formcheck.errors import NoPersonError
from formcheck.video import probe

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "videos"
EXPECTED = {p.name.removesuffix(".expected.json"): json.loads(p.read_text())
            for p in sorted(FIXTURES.glob("*.expected.json"))}
WITH_PERSON = [name for name, e in EXPECTED.items() if e["reps"] > 0]
BOTTOM_TOLERANCE_S = 0.35

# Faults the analysis gets wrong on a clip, and why: strict, so a fix shows up as a pass.
# (clip, fault code) pairs the pipeline is known to get wrong, with the reason; strict xfail.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

pytestmark = pytest.mark.skipif(not EXPECTED, reason=f"no rendered fixtures in {FIXTURES}")


@pytest.fixture(scope="module")
def analysis(fixture_poses):  # type: ignore[no-untyped-def]
    made: dict[str, Analysis] = {}

    def analysed(name: str) -> Analysis:
        if name not in made:
            exp = EXPECTED[name]
            made[name] = analyze_poses(fixture_poses(name), get_exercise(exp["exercise"]),
                                       probe(FIXTURES / exp["file"]))
        return made[name]

    return analysed


@pytest.mark.parametrize("name", WITH_PERSON)
def test_reps_sides_view_and_timing(name, analysis):
    exp, report = EXPECTED[name], analysis(name).report
    assert report.view == exp["view"]
    assert report.rep_count == exp["reps"]
    if exp["reps_by_side"] is not None:
        found = {side: n for side, n in report.reps_by_side.items() if n}
        assert found == exp["reps_by_side"]
    for rep, (_, bottom, _) in zip(report.reps, exp["rep_times"], strict=True):
        assert abs(rep.bottom_s - bottom) <= BOTTOM_TOLERANCE_S, (rep.index, rep.bottom_s, bottom)


def _fault_cases() -> list:
    cases = []
    for name in WITH_PERSON:
        exp = EXPECTED[name]
        for code, present in [(c, True) for c in exp["faults_present"]] + [
                (c, False) for c in exp["faults_absent"]]:
            gap = KNOWN_GAPS.get((name, code))
            marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
            cases.append(pytest.param(name, code, present, marks=marks, id=f"{name}-{code}"))
    return cases


@pytest.mark.parametrize(("name", "code", "present"), _fault_cases())
def test_injected_faults_found_and_absent_ones_not_reported(name, code, present, analysis):
    report = analysis(name).report
    # Judged: never "needs another view"; measured in every rep when the exercise checks it (a
    # caveat in not_assessed may still say what the pose model misses).
    assert not [n for n in report.not_assessed if n.code == code and n.reason.startswith("needs")]
    if code in {r.code for r in analysis(name).exercise.rules}:
        assert all(any(k.split(".")[0] == code for k in rep.metrics) for rep in report.reps)
    reps_with = [rep.index for rep in report.reps if any(f.code == code for f in rep.faults)]
    if not present:
        assert reps_with == []
        return
    expected_reps = EXPECTED[name].get("faulty_reps", {}).get(code)
    if expected_reps is None:
        assert reps_with == [rep.index for rep in report.reps]  # injected in every rep
    else:
        assert reps_with == expected_reps


def test_the_empty_clip_reports_that_nobody_was_found():
    name = next(n for n, e in EXPECTED.items() if e["reps"] == 0)
    with pytest.raises(NoPersonError):
        analyze_video(FIXTURES / EXPECTED[name]["file"], get_exercise("squat"))
