"""Every registered exercise: registry sanity, and for every rule a clean and a faulty synthetic
set run end to end through analyze_poses (reps counted, sides, faults, not-assessed views).

The sets are the fault catalogue's (formcheck.faults): CLEAN_SETS, one clean set per exercise,
and each fault's bad examples (FaultInfo.bad), the knobs that draw it into that set."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from formcheck import analyze_poses
from formcheck.errors import UnknownExerciseError
from formcheck.exercises.base import Exercise, Rule
from formcheck.exercises.registry import ALIASES, EXERCISES, get_exercise, list_exercises
from formcheck.faults import CLEAN_SETS, FAULTS, MEASURE_UNCERTAINTY
from formcheck.legs import WORKING_LEG_KINDS
from formcheck.report import Report

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "docs"
VIEW_ORDER = ("side", "front", "back", "front45", "back45")


def fault_knobs(exercise_id: str) -> dict[str, Mapping[str, object]]:
    """Per rule code, the catalogue's knobs that draw that fault into the exercise's clean set."""
    return {code: info.bad[exercise_id] for code, info in FAULTS.items() if exercise_id in info.bad}


# ---- helpers ----------------------------------------------------------------------------------

def rule_cases() -> list[tuple[str, str]]:
    """(exercise id, rule code) for every rule of every registered exercise with an Example."""
    return [(ex.id, rule.code) for ex in list_exercises() if ex.id in CLEAN_SETS
            for rule in ex.rules]


def rule_of(exercise_id: str, code: str) -> Rule:
    return next(r for r in get_exercise(exercise_id).rules if r.code == code)


def home_view(rule: Rule) -> str:
    """The first view (in VIEW_ORDER) the rule is judged from."""
    return next(v for v in VIEW_ORDER if v in rule.views)


def wrong_view(rule: Rule) -> str | None:
    """A view the rule cannot be judged from, or None when every view will do."""
    return next((v for v in VIEW_ORDER if v not in rule.views), None)


@cache
def film(exercise_id: str, view: str, code: str | None = None) -> Report:
    """The clean set filmed from `view` (clean, or with the fault `code`), analysed end to end."""
    knobs = FAULTS[code].bad[exercise_id] if code is not None else {}
    seq = CLEAN_SETS[exercise_id].draw(view, **knobs)
    return analyze_poses(seq, get_exercise(exercise_id)).report


def check_count(exercise_id: str, report: Report) -> None:
    ex = CLEAN_SETS[exercise_id]
    assert report.rep_count == ex.reps
    if ex.sides is not None:
        assert report.reps_by_side == ex.sides


def clean_cases() -> list[tuple[str, str]]:
    """(exercise id, view) for every view at least one of the exercise's rules is judged from."""
    return [(ex.id, view) for ex in list_exercises() if ex.id in CLEAN_SETS
            for view in VIEW_ORDER if any(view in r.views for r in ex.rules)]


# ---- registry ---------------------------------------------------------------------------------

def test_documented_exercises_are_registered():
    doc = DOCS / "exercises.md"
    if not doc.is_file():
        pytest.skip(f"exercise docs not found at {doc}")
    ids = set(re.findall(r"`([a-z0-9_]+)`", doc.read_text(encoding="utf-8")))
    assert len(ids) >= 10, "exercise ids not found in exercises.md"
    missing = sorted(i for i in ids if i not in EXERCISES and i not in ALIASES)
    assert not missing


def test_ids_unique_and_aliases_resolve():
    ids = [ex.id for ex in list_exercises()]
    assert len(ids) == len(set(ids))
    assert all(EXERCISES[key].id == key for key in EXERCISES)
    aliases = [a for ex in list_exercises() for a in ex.aliases]
    assert len(aliases) == len(set(aliases)), "an alias names two exercises"
    assert not set(aliases) & set(ids), "an alias shadows an exercise id"
    for alias, target in ALIASES.items():
        assert get_exercise(alias).id == target
        assert get_exercise(alias.replace("_", "-").upper()).id == target
    for ex_id in ids:
        assert get_exercise(f" {ex_id.replace('_', ' ').title()} ").id == ex_id
    with pytest.raises(UnknownExerciseError):
        get_exercise("moonwalk")


@pytest.mark.parametrize("ex", list_exercises(), ids=lambda ex: ex.id)
def test_exercise_is_complete(ex: Exercise):
    assert ex.rules and ex.best_views and ex.name and ex.description
    assert ex.working_leg is None or ex.working_leg in WORKING_LEG_KINDS
    assert ex.per_leg == (ex.working_leg is not None)
    codes = [r.code for r in ex.rules]
    assert len(codes) == len(set(codes)), "one rule per code"
    lo, hi = ex.rep_range
    assert 0 < lo <= hi
    for rule in ex.rules:
        assert rule.code in FAULTS
        assert rule.measure.__name__ in MEASURE_UNCERTAINTY, "every measure states its uncertainty"
        u = MEASURE_UNCERTAINTY[rule.measure.__name__]
        for view in rule.views:
            assert u.for_view(view) > 0
        assert rule.views and rule.cue and rule.why and rule.source
        assert rule.direction in ("above", "below")


def test_every_exercise_has_a_clean_set():
    assert sorted(EXERCISES) == sorted(CLEAN_SETS)


@pytest.mark.parametrize("exercise_id", sorted(CLEAN_SETS))
def test_every_rule_has_its_bad_example_in_the_catalogue(exercise_id: str):
    codes = {r.code for r in get_exercise(exercise_id).rules}
    assert set(fault_knobs(exercise_id)) == codes


# ---- end to end -------------------------------------------------------------------------------

@pytest.mark.parametrize(("exercise_id", "view"), clean_cases())
def test_clean_set_from_each_view(exercise_id: str, view: str):
    report = film(exercise_id, view)
    check_count(exercise_id, report)
    faults = [(f.code, round(f.value, 1), f.limit) for f in report.faults]
    assert not faults, f"clean {exercise_id} from the {view} reported {faults}"


@pytest.mark.parametrize(("exercise_id", "code"), rule_cases())
def test_fault_is_found_from_its_view(exercise_id: str, code: str):
    report = film(exercise_id, home_view(rule_of(exercise_id, code)), code)
    check_count(exercise_id, report)
    assert code in {f.code for f in report.faults}


@pytest.mark.parametrize(("exercise_id", "code"), rule_cases())
def test_fault_is_not_assessed_from_a_wrong_view(exercise_id: str, code: str):
    view = wrong_view(rule_of(exercise_id, code))
    if view is None:
        pytest.skip(f"{exercise_id} {code} is judged from every view")
    report = film(exercise_id, view, code)
    check_count(exercise_id, report)
    assert code in {n.code for n in report.not_assessed}
    assert code not in {f.code for f in report.faults}


def test_no_exercise_module_imports_another():
    # Shared rules live in formcheck.exercises.checks; the registry alone gathers the exercises.
    import ast

    folder = Path(__file__).resolve().parents[1] / "formcheck" / "exercises"
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "base", "checks", "measures",
                                                        "metrics", "registry"}
    for name in modules:
        tree = ast.parse((folder / f"{name}.py").read_text())
        imported = {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) and n.module
                    and n.module.startswith("formcheck.exercises.")}
        assert not imported & modules, (name, imported & modules)


def test_each_rule_constant_has_its_own_name():
    import formcheck.exercises.checks as checks

    names = [n for n in dir(checks) if n.isupper()]
    assert "FORWARD_LEAN" not in names and len(names) == len(set(names))


@pytest.mark.parametrize("box", [0.2, 0.45, 0.6])
@pytest.mark.parametrize("absorb", [60.0, 100.0, 115.0])
def test_box_jumps_count_one_rep_per_jump_however_deep_the_landing(box, absorb):
    """A soft landing sinks the hips below their standing height on a low box; the count follows
    the feet (onto the box, down again), so it stays one rep per jump, and the landing is judged."""
    from formcheck.synth.sets_dynamic import box_jump

    for view in ("side", "front"):
        report = analyze_poses(box_jump(view=view, reps=4, box=box, absorb=absorb),
                               get_exercise("box_jump")).report
        assert report.rep_count == 4, (view, [round(r.start_s, 1) for r in report.reps])
        if view == "side":
            assert all(np.isfinite(r.metrics.get("stiff_landing.left", np.nan))
                       or np.isfinite(r.metrics.get("stiff_landing.right", np.nan))
                       for r in report.reps)
