"""The exercise-mismatch warning on the rendered fixture clips: a squat analysed as a bridge (and
the reverse) is called out from the body's posture; each clip analysed as itself is not."""

from pathlib import Path

import pytest

from formcheck import analyze_poses, get_exercise

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "videos"
CLIPS = {"squat_front_clean": "squat", "glute_bridge_side": "glute_bridge",
         "pistol_front_left_valgus": "pistol_squat"}

pytestmark = pytest.mark.skipif(not (FIXTURES / "squat_front_clean.mp4").exists(),
                                reason=f"no rendered fixtures in {FIXTURES}")


@pytest.mark.parametrize("name", sorted(CLIPS))
def test_a_clip_analysed_as_its_own_exercise_is_not_flagged(name, fixture_poses):
    report = analyze_poses(fixture_poses(name), get_exercise(CLIPS[name])).report
    assert report.mismatch is None
    assert report.to_dict()["exercise_mismatch"] is None


def test_a_squat_analysed_as_a_bridge_says_so(fixture_poses):
    report = analyze_poses(fixture_poses("squat_front_clean"), get_exercise("glute_bridge")).report
    assert report.mismatch is not None
    assert "does not look like a glute bridge" in report.mismatch
    assert "upright" in report.mismatch
    d = report.to_dict()
    assert d["exercise_mismatch"] == report.mismatch
    assert d["warnings"][0].startswith("This does not look like a glute bridge")


def test_a_bridge_analysed_as_a_squat_says_so(fixture_poses):
    # Lying across the picture, a squat clip is first taken as filmed on its side and turned.
    report = analyze_poses(fixture_poses("glute_bridge_side"), get_exercise("squat")).report
    assert report.mismatch is not None and report.rep_count == 0
    assert "no squat rep was found" in report.mismatch and "lying down" in report.mismatch
    hinge = analyze_poses(fixture_poses("glute_bridge_side"), get_exercise("single_leg_deadlift")).report
    assert hinge.mismatch is not None and "no single-leg deadlift rep was found" in hinge.mismatch


def test_per_leg_is_in_every_report(fixture_poses):
    pistol = analyze_poses(fixture_poses("pistol_front_left_valgus"), get_exercise("pistol_squat")).report
    squat = analyze_poses(fixture_poses("squat_front_clean"), get_exercise("squat")).report
    assert pistol.to_dict()["per_leg"] is True
    assert squat.to_dict()["per_leg"] is False


def test_movement_without_a_rep_of_the_exercise_says_so(fixture_poses):
    report = analyze_poses(fixture_poses("squat_front_clean"), get_exercise("hamstring_curl")).report
    assert report.rep_count == 0
    assert report.mismatch is not None and "no hamstring curl rep was found" in report.mismatch
