"""Words and units for people: one place that names views, per-frame angles, measurements and faults.

Reports keep their codes and raw values (the JSON contract); everything a person reads (the web
pages through GET /api/meta, the left-versus-right verdict) takes its names, units, rounding and
angle conventions from here.

Conventions a coach expects: hip extension is read from the straight shoulder-hip-knee line
(0 = straight, + hips above it, - sagging), not as the 180-centred angle the rules measure.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from formcheck.exercises.base import Exercise, Rule
from formcheck.faults import FAULTS, title

VIEW_NAMES: dict[str, str] = {
    "front": "front",
    "back": "back",
    "side": "side",
    "front45": "front, turned 45 deg",
    "back45": "back, turned 45 deg",
}


@dataclass(frozen=True)
class Unit:
    """How a unit is written and how many decimals the measurement supports."""

    code: str
    text: str  # printed after the number ("deg", "s", "leg lengths")
    digits: int


UNITS: dict[str, Unit] = {
    "deg": Unit("deg", "deg", 0),
    "s": Unit("s", "s", 1),
    "leg": Unit("leg", "leg lengths", 2),
    "foot": Unit("foot", "foot lengths", 1),
    "ratio": Unit("ratio", "", 2),
}


def unit(code: str) -> Unit:
    return UNITS.get(code, Unit(code, code, 1))


@dataclass(frozen=True)
class Signal:
    """A per-frame angle (formcheck.analysis.frame_signals): its name, unit and display shift.

    shift is added to the measured value before it is shown (hip extension: -180); anchor: the
    joint the live overlay writes the value beside ("" for none).
    """

    name: str
    label: str
    unit: str = "deg"
    shift: float = 0.0
    sided: bool = True
    anchor: str = ""


SIGNALS: dict[str, Signal] = {s.name: s for s in (
    Signal("knee_flexion", "knee bend", anchor="knee"),
    Signal("hip_flexion", "hip bend", anchor="hip"),
    Signal("trunk_inclination", "trunk lean from vertical", sided=False),
    Signal("fppa", "knee angle seen from the front (+ caving in)"),
    Signal("hip_extension", "hip extension past the straight line", shift=-180.0, anchor="hip"),
)}


@dataclass(frozen=True)
class Measure:
    """What a rule's measurement means to a person.

    label: the measured quantity; worse: how one leg compares when its value is further toward
    the fault, completed as f"{Side} {worse.format(d=..., other=...)}"; shift: added before the
    value is shown (angles read from a straight line).
    """

    label: str
    worse: str
    shift: float = 0.0


# Keyed by the rule's measurement function name (formcheck/exercises/metrics.py, measures.py).
MEASURES: dict[str, Measure] = {
    "knee_valgus": Measure("knee caving in at the bottom (front view)",
                           "knee caves in {d} more than the {other}"),
    "ascent_valgus": Measure("knee caving in while stepping up",
                             "knee caves in {d} more than the {other} while stepping up"),
    "step_up_valgus": Measure("knee caving in while stepping up",
                              "knee caves in {d} more than the {other} while stepping up"),
    "landing_valgus": Measure("knee caving in on landing", "knee caves in {d} more on landing"),
    "knee_inside_foot": Measure("knee moving inside the foot at the bottom",
                                "knee moves {d} further inside the foot than the {other}"),
    "knee_to_foot_width": Measure("knee width against foot width at the bottom",
                                  "knee narrows {d} more than the {other}"),
    "pelvic_drop": Measure("hip drop on the free side", "side lets the hip drop {d} more"),
    "lateral_lean": Measure("trunk leaning sideways", "side leans the trunk {d} more"),
    "trunk_over_pelvis": Measure("trunk bend against hip movement",
                                 "side bends the trunk {d} more than the {other}"),
    "thigh_angle_at_bottom": Measure("thigh above horizontal at the bottom",
                                     "leg stops {d} higher at the bottom than the {other}"),
    "peak_knee_flexion": Measure("deepest knee bend", "knee bends {d} less than the {other}"),
    "trunk_ahead_of_shin": Measure("chest ahead of the shin at the bottom",
                                   "leg drops the chest {d} more than the {other}"),
    "trunk_at_bottom": Measure("trunk lean at the bottom",
                               "leg leans the trunk {d} further forward than the {other}"),
    "peak_trunk_inclination": Measure("largest trunk lean",
                                      "leg leans the trunk {d} further forward than the {other}"),
    "heel_rise": Measure("heel lift at the bottom", "heel lifts {d} more than the {other}"),
    "knee_past_toes": Measure("knee past the toes", "knee travels {d} further past the toes"),
    "free_foot_clearance": Measure("free foot height above the floor",
                                   "side holds the free foot {d} lower than the {other}"),
    "eccentric_s": Measure("time lowering", "leg lowers {d} faster than the {other}"),
    "hold_time": Measure("hold with the leg out", "leg holds {d} shorter than the {other}"),
    "hip_sag_during_hold": Measure("hip sag while the leg is out",
                                   "side lets the hips sag {d} more than the {other}"),
    "hip_extension_at_top": Measure("hip extension at the top, past the straight line",
                                    "side stops {d} short of the other at the top", shift=-180.0),
    "hip_extension_range": Measure("hip lift range", "side lifts the hips {d} less than the {other}"),
    "obliquity_excursion": Measure("hip hike range", "side hikes the hip {d} less than the {other}"),
    "knee_bend_change": Measure("stance knee bending", "knee bends {d} more than the {other}"),
    "stance_knee_flexion": Measure("stance knee bend at the bottom",
                                   "knee bends {d} more than the {other}"),
    "lockout_flexion": Measure("bend left at the top",
                               "leg stays {d} more bent at the top than the {other}"),
    "knee_drive": Measure("drive knee height", "knee drives {d} lower than the {other}"),
    "trailing_pushoff": Measure("push-off from the trailing foot",
                                "leg pushes off the back foot {d} more"),
    "free_leg_line": Measure("free leg in line with the trunk",
                             "leg holds the free leg {d} further out of line"),
    "trunk_chord_shortening": Measure("back rounding", "leg rounds the back {d} more"),
    "hinge_chord_shortening": Measure("back rounding", "leg rounds the back {d} more"),
    "head_drop": Measure("head and upper back curling forward at the bottom",
                         "side curls the head and upper back {d} more"),
    "stance_foot_shift": Measure("stance foot moving", "foot shifts {d} more than the {other}"),
    "stance_shift_after_bottom": Measure("stance foot moving after the bottom",
                                         "foot shifts {d} more than the {other}"),
    "landing_absorption": Measure("knee bend absorbing the landing",
                                  "leg absorbs the landing with {d} less knee bend"),
}


# The same measurement read against the opposite fault: phrased by the rule's code.
MEASURES_BY_CODE: dict[str, Measure] = {
    "shallow_hinge": Measure("trunk tilt at the bottom of the hinge",
                             "leg hinges {d} less than the {other}"),
}


def fault_title(code: str) -> str:
    """A fault's title for people ("Knee caving in"), from the fault catalogue (formcheck.faults)."""
    return title(code)


def fault_titles() -> dict[str, str]:
    return {code: fault_title(code) for code in FAULTS}


def measure_of(rule: Rule) -> Measure:
    if rule.code in MEASURES_BY_CODE:
        return MEASURES_BY_CODE[rule.code]
    name = getattr(rule.measure, "__name__", "")
    return MEASURES.get(name, Measure(fault_title(rule.code).lower(),
                                      "differs by {d} from the {other}"))


def rule_for(ex: Exercise, code: str) -> Rule | None:
    return next((r for r in ex.rules if r.code == code), None)


def fmt(value: float, unit_code: str, shift: float = 0.0) -> str:
    """'12 deg', '0.4 s', '0.05 leg lengths': rounded to what the measurement supports."""
    u = unit(unit_code)
    number = f"{value + shift:.{u.digits}f}"
    if number.startswith("-") and float(number) == 0:
        number = number[1:]
    return f"{number} {u.text}".rstrip()


def exercise_meta(ex: Exercise) -> dict[str, Any]:
    """An exercise as the pages read it: names, views, signals and each check with its unit."""
    checks = []
    for rule in ex.rules:
        m = measure_of(rule)
        checks.append({"code": rule.code, "title": fault_title(rule.code), "measure": m.label,
                       "unit": rule.unit, "unit_text": unit(rule.unit).text,
                       "digits": unit(rule.unit).digits, "shift": m.shift,
                       "views": sorted(rule.views)})
    return {
        "id": ex.id, "name": ex.name, "per_leg": ex.per_leg, "prescription": ex.prescription,
        "rep_range": list(ex.rep_range), "description": ex.description,
        "best_views": sorted(ex.best_views),
        "best_view_names": [VIEW_NAMES[v] for v in sorted(ex.best_views)],
        "signals": list(ex.signals), "checks": checks,
    }


def signals_meta() -> dict[str, dict[str, Any]]:
    return {name: {**asdict(s), "unit_text": unit(s.unit).text, "digits": unit(s.unit).digits}
            for name, s in SIGNALS.items()}


def units_meta() -> dict[str, dict[str, Any]]:
    return {code: asdict(u) for code, u in UNITS.items()}

