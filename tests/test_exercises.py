"""Every registered exercise: registry sanity, and for every rule a clean and a faulty synthetic
set run end to end through analyze_poses (reps counted, sides, faults, not-assessed views)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from formcheck import analyze_poses, synth
from formcheck.errors import UnknownExerciseError
from formcheck.exercises.base import Exercise, Rule
from formcheck.exercises.registry import ALIASES, EXERCISES, get_exercise, list_exercises
from formcheck.faults import FAULTS, MEASURE_UNCERTAINTY
from formcheck.legs import WORKING_LEG_KINDS
from formcheck.pose.sequence import PoseSequence
from formcheck.report import Report
from tests import poses, poses_dynamic

DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "docs"
VIEW_ORDER = ("side", "front", "back", "front45", "back45")


@dataclass(frozen=True)
class Example:
    """How to film one exercise: builder(view=..., **knobs), the clean set's knobs, the reps and
    sides it must count, and per rule code the knobs that inject that fault."""

    build: Callable[..., PoseSequence]
    reps: int
    good: Mapping[str, object] = field(default_factory=dict)
    faults: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    sides: dict[str, int] | None = None


L4 = {"left": 4, "right": 0}
ALT4 = {"left": 2, "right": 2}
# A knee drifting inside the foot shows best at moderate depth (the thigh pointing at the camera
# at parallel hides it): the valgus examples sink to 60 deg.
VALGUS_LUNGE = {"depth": 60.0, "valgus": 40.0}
LUNGE_FAULTS = {"shallow_depth": {"depth": 55.0}, "knee_valgus": VALGUS_LUNGE,
                "forward_lean": {"trunk": 60.0}, "lateral_trunk_lean": {"lean": 18.0}}
STEP_FAULTS = {"knee_valgus": {"valgus": 22.0}, "forward_lean": {"trunk": 55.0},
               "pelvic_drop": {"drop": 10.0}, "low_knee_drive": {"drive": 45.0},
               "trailing_leg_pushoff": {"pushoff": 35.0},
               "incomplete_lockout": {"lockout_knee": 35.0}}
THRUST_FAULTS = {"incomplete_lockout": {"top_deg": 152.0},
                 "pelvic_drop": {"pelvic_drop_deg": 12.0},
                 "lumbar_hyperextension": {"top_deg": 210.0},
                 "shallow_depth": {"bottom_deg": 158.0}}

EXAMPLES: dict[str, Example] = {
    # A clean deep squat pushes the knees out over the toes (FPPA -20 as drawn from the front).
    "squat": Example(synth.squat, 4, {"depth_deg": 125.0, "valgus_deg": -20.0}, {
        "shallow_depth": {"depth_deg": 80.0}, "knee_valgus": {"valgus_deg": 25.0},
        "forward_lean": {"trunk_deg": 80.0}, "heel_lift": {"heel_lift_deg": 25.0},
        # Knees ahead of the toes is only reported together with a heel lift.
        "knee_past_toes": {"heel_lift_deg": 25.0}}),
    "pistol_squat": Example(synth.pistol, 3, {"rep_s": 3.0, "depth_deg": 130.0}, {
        "knee_valgus": {"valgus_deg": 25.0}, "shallow_depth": {"depth_deg": 70.0},
        "forward_lean": {"trunk_deg": 90.0}, "too_fast": {"rep_s": 1.0},
        "pelvic_drop": {"pelvic_drop_deg": 10.0}, "lateral_trunk_lean": {"lean_deg": 15.0},
        "heel_lift": {"heel_lift_deg": 25.0}, "loss_of_balance": {"free_leg_deg": 5.0}},
        {"left": 3, "right": 0}),
    "single_leg_deadlift": Example(poses.single_leg_deadlift, 3, {}, {
        "spine_flexion": {"chord": 0.15}, "stance_knee_bend": {"knee": 60.0},
        "shallow_hinge": {"hinge": 35.0}, "free_leg_misaligned": {"gap": 45.0},
        "loss_of_balance": {"hop": 0.3}}, {"left": 3, "right": 0}),
    "glute_bridge": Example(synth.bridge, 4, {}, {
        "incomplete_lockout": {"top_deg": 152.0}, "lumbar_hyperextension": {"top_deg": 210.0},
        "pelvic_drop": {"pelvic_drop_deg": 12.0}}),
    "walking_bridge": Example(poses.walking_bridge, 4, {}, {
        "hip_sag": {"sag": 20.0}, "pelvic_drop": {"drop": 12.0}, "short_hold": {"hold_s": 0.5}},
        ALT4),
    "single_leg_hip_thrust": Example(synth.bridge, 4, {"side": "left"}, THRUST_FAULTS, L4),
    "single_leg_bridge": Example(synth.bridge, 4, {"side": "left"}, THRUST_FAULTS, L4),
    "hip_thrust": Example(synth.bridge, 4, {}, {
        k: v for k, v in THRUST_FAULTS.items() if k != "pelvic_drop"}),
    "hip_hike": Example(poses.hip_hike, 4, {}, {
        "insufficient_range": {"drop": 5.0}, "stance_knee_bend": {"knee": 25.0},
        "lateral_trunk_lean": {"drop": 12.0, "lean": 28.0}}, L4),
    "front_step_up": Example(poses.step_up, 4, {}, STEP_FAULTS, L4),
    "side_step_up": Example(poses.step_up, 4, {}, STEP_FAULTS, L4),
    "step_up": Example(poses.step_up, 4, {}, {
        k: v for k, v in STEP_FAULTS.items() if k not in ("pelvic_drop", "low_knee_drive")}, L4),
    "hot_salsa": Example(poses_dynamic.hot_salsa, 4, {}, {
        "spine_flexion": {"chord": 0.2}, "knee_valgus": {"valgus": 22.0},
        "loss_of_balance": {"slide": 0.15}, "low_knee_drive": {"drive": 40.0}}, ALT4),
    "lunge": Example(poses.reverse_lunge, 4, {}, LUNGE_FAULTS, ALT4),
    "walking_lunge": Example(poses.reverse_lunge, 4, {}, LUNGE_FAULTS, ALT4),
    "bulgarian_split_squat": Example(poses.split_squat, 4, {}, {
        "shallow_depth": {"depth": 60.0}, "knee_valgus": VALGUS_LUNGE,
        "forward_lean": {"trunk": 60.0}, "knee_past_toes": {"shank": 40.0, "heel": 25.0},
        "heel_lift": {"heel": 25.0}}, L4),
    "lateral_lunge": Example(poses.lateral_lunge, 4, {}, {
        "shallow_depth": {"bend": 40.0}, "knee_valgus": {"knee_in": True}}, L4),
    "deadlift": Example(poses.deadlift, 3, {}, {
        "spine_flexion": {"chord": 0.2}, "knee_dominant": {"knee": 135.0, "trunk": 20.0},
        "incomplete_lockout": {"lockout": 35.0}, "hips_rise_first": {"hips_first": True}}),
    "romanian_deadlift": Example(poses.romanian_deadlift, 3, {}, {
        "spine_flexion": {"chord": 0.2}, "knee_dominant": {"knee": 60.0},
        "shallow_hinge": {"hinge": 35.0}, "incomplete_lockout": {"lockout": 35.0}}),
    "calf_raise": Example(synth.calf_raise, 4, {}, {
        "insufficient_range": {"rise_deg": [30.0, 30.0, 12.0, 30.0]}, "too_fast": {"rep_s": 0.9},
        "stance_knee_bend": {"knee_deg": 25.0}}),
    "hamstring_curl": Example(poses.hamstring_curl, 4, {}, {
        "insufficient_range": {"curl": 65.0}, "too_fast": {"rep_s": 1.4, "curl_share": 0.75}}),
    "box_jump": Example(poses_dynamic.box_jump, 3, {}, {
        "stiff_landing": {"absorb": 40.0}, "knee_valgus": {"valgus": 22.0},
        "flat_footed_landing": {"toes": 0.0}}),
    "jump_squat": Example(poses_dynamic.jump_squat, 4, {}, {
        "shallow_depth": {"depth": 50.0}, "knee_valgus": {"depth": 90.0, "valgus": 40.0},
        "forward_lean": {"trunk": 0.75}}),
    "plyometric_lunge": Example(poses_dynamic.plyometric_lunge, 4, {}, {
        "knee_valgus": VALGUS_LUNGE, "stiff_landing": {"depth": 30.0}}, ALT4),
}


# ---- helpers ----------------------------------------------------------------------------------

def rule_cases() -> list[tuple[str, str]]:
    """(exercise id, rule code) for every rule of every registered exercise with an Example."""
    return [(ex.id, rule.code) for ex in list_exercises() if ex.id in EXAMPLES
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
    """The Example set filmed from `view` (clean, or with the fault `code`), analysed end to end."""
    ex = EXAMPLES[exercise_id]
    knobs = {**ex.good, **(ex.faults[code] if code is not None else {})}
    return analyze_poses(ex.build(view=view, **knobs), get_exercise(exercise_id)).report


def check_count(exercise_id: str, report: Report) -> None:
    ex = EXAMPLES[exercise_id]
    assert report.rep_count == ex.reps
    if ex.sides is not None:
        assert report.reps_by_side == ex.sides


def clean_cases() -> list[tuple[str, str]]:
    """(exercise id, view) for every view at least one of the exercise's rules is judged from."""
    return [(ex.id, view) for ex in list_exercises() if ex.id in EXAMPLES
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


def test_every_exercise_has_an_example():
    assert sorted(EXERCISES) == sorted(EXAMPLES)


@pytest.mark.parametrize("exercise_id", sorted(EXAMPLES))
def test_every_rule_has_fault_knobs(exercise_id: str):
    codes = {r.code for r in get_exercise(exercise_id).rules}
    assert set(EXAMPLES[exercise_id].faults) == codes


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
