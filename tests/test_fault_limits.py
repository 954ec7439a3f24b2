"""Fault limits as stated: a rep measured just beyond a rule's limit is flagged, just inside is not.

For each fault family synthetic sets are drawn whose measured values straddle the limit read from
the registry, run end to end through analyze_poses, and every rep is judged by its own reported
metric (report.reps[i].metrics, key "code" or "code.side").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from formcheck import analyze_poses, synth
from formcheck.exercises.base import Rule
from formcheck.exercises.registry import get_exercise
from formcheck.pose.sequence import PoseSequence
from formcheck.report import Report

# Metrics are reported to 3 decimals: a reported value this close to the limit may lie either side.
REPORTED_PRECISION = 5e-4


@dataclass(frozen=True)
class Family:
    """One fault: the exercise and rule code, how far from the limit a measured value may land
    (in the rule's unit), and film(rule, margin) -> clips drawn to land either side of the limit.
    """

    exercise_id: str
    code: str
    margin: float
    film: Callable[[Rule, float], list[PoseSequence]]


def either_side(rule: Rule, margin: float, reps: int = 4) -> list[float]:
    """Target measured values alternating half a margin beyond and inside the limit, one per rep."""
    half = margin / 2
    return [rule.limit + (half if i % 2 == 0 else -half) for i in range(reps)]


def valgus(rule: Rule, margin: float) -> list[PoseSequence]:
    # A pistol's stance knee starts straight over the foot: FPPA change = the drawn valgus.
    return [synth.pistol(view="front", reps=4, rep_s=3.0, valgus_deg=either_side(rule, margin))]


def pelvic_drop(rule: Rule, margin: float) -> list[PoseSequence]:
    drops = either_side(rule, margin)
    return [synth.pistol(view="front", reps=4, rep_s=3.0, pelvic_drop_deg=drops)]


def lockout(rule: Rule, margin: float) -> list[PoseSequence]:
    # The bridge's top is the straight line (180 deg) less sag_deg.
    sags = [180.0 - top for top in either_side(rule, margin)]
    return [synth.bridge(view="side", reps=4, sag_deg=sags)]


def chord(rule: Rule, margin: float) -> list[PoseSequence]:
    losses = either_side(rule, margin)
    return [synth.single_leg_deadlift(side="left", view="side", reps=4, chord_loss=losses)]


def head_drop(rule: Rule, margin: float) -> list[PoseSequence]:
    # The synthetic ears sit on the neck line: ear-shoulder-hip is 180 - neck_flex_deg side-on.
    return [synth.squat(view="side", reps=4, depth_deg=110.0,
                        neck_flex_deg=either_side(rule, margin))]


def depth(rule: Rule, margin: float) -> list[PoseSequence]:
    # synth.squat: thigh-to-horizontal at the bottom is 90 - 0.65 x knee flexion.
    depths = [(90.0 - ta) / 0.65 for ta in either_side(rule, margin)]
    return [synth.squat(view="side", reps=4, depth_deg=depths)]


# Heel rise is a median over the frames around the bottom, so no closed form maps the drawn foot
# pitch to it: a fine ladder of pitches, one per rep, brackets the limit.
HEEL_PITCHES = tuple(float(v) for v in np.arange(12.0, 18.01, 0.25))


def heel(rule: Rule, margin: float) -> list[PoseSequence]:
    return [synth.squat(view="side", reps=len(HEEL_PITCHES), depth_deg=125.0,
                        heel_lift_deg=HEEL_PITCHES)]


# The measured descent reads the drawn one (eccentric_frac x rep_s) to a few hundredths of a second
# (test_measured_descent_is_the_drawn_one): rep lengths bracketing twice the limit are searched.
REP_LENGTHS_S = tuple(float(v) for v in np.arange(1.45, 1.76, 0.025))

# Filmed fast enough that one frame (the resolution of a measured descent) is ~1% of the limit.
FPS = 100.0


def tempo(rule: Rule, margin: float) -> list[PoseSequence]:
    return [synth.pistol(view="front", reps=3, rep_s=rep_s, fps=FPS) for rep_s in REP_LENGTHS_S]


FAMILIES = (
    Family("pistol_squat", "knee_valgus", 1.0, valgus),
    Family("pistol_squat", "pelvic_drop", 0.5, pelvic_drop),
    Family("glute_bridge", "incomplete_lockout", 1.0, lockout),
    Family("single_leg_deadlift", "spine_flexion", 0.003, chord),
    Family("squat", "spine_flexion", 1.0, head_drop),
    Family("squat", "shallow_depth", 1.0, depth),
    Family("squat", "heel_lift", 0.0015, heel),
    Family("pistol_squat", "too_fast", 0.02, tempo),
)


def rule_of(exercise_id: str, code: str) -> Rule:
    rules = [r for r in get_exercise(exercise_id).rules if r.code == code]
    assert len(rules) == 1, f"{exercise_id} has {len(rules)} rules coded {code}"
    return rules[0]


def judged(report: Report, rule: Rule) -> list[tuple[float, bool]]:
    """(measured value, fault reported) for every rep and judged side of `rule` in `report`."""
    out = []
    for rep in report.reps:
        for key, value in rep.metrics.items():
            code, _, side = key.partition(".")
            if code != rule.code:
                continue
            found = [f for f in rep.faults if f.code == rule.code and f.side == (side or None)]
            assert all(f.limit == rule.limit for f in found)
            out.append((value, bool(found)))
    return out


def distance_beyond(rule: Rule, value: float) -> float:
    """How far a value lies beyond the limit (negative: inside it), in the rule's unit."""
    return value - rule.limit if rule.direction == "above" else rule.limit - value


def measure_family(family: Family, rule: Rule) -> list[tuple[float, bool]]:
    values = []
    for seq in family.film(rule, family.margin):
        report = analyze_poses(seq, get_exercise(family.exercise_id)).report
        assert report.rep_count > 0
        measured = judged(report, rule)
        assert len(measured) >= report.rep_count, "a rep was not measured"
        values += measured
    return values


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f"{f.exercise_id}-{f.code}")
def test_fault_flips_at_the_stated_limit(family: Family):
    rule = rule_of(family.exercise_id, family.code)
    assert rule.direction in ("above", "below")
    values = measure_family(family, rule)
    clear = [(distance_beyond(rule, v), faulted) for v, faulted in values
             if abs(v - rule.limit) >= REPORTED_PRECISION]
    beyond = [d for d, _ in clear if d > 0]
    inside = [-d for d, _ in clear if d < 0]
    assert all(faulted for d, faulted in clear if d > 0), f"missed beyond the limit: {values}"
    assert not any(faulted for d, faulted in clear if d < 0), f"flagged inside the limit: {values}"
    assert beyond and inside, f"{family.code}: values do not straddle {rule.limit}: {values}"
    # The flip happens at the limit itself, not merely somewhere between far-apart sets.
    assert min(beyond) <= family.margin, f"nothing just beyond {rule.limit}: {values}"
    assert min(inside) <= family.margin, f"nothing just inside {rule.limit}: {values}"



@pytest.mark.parametrize("descent_s", [0.4, 0.6, 0.8, 1.2, 1.8])
def test_measured_descent_is_the_drawn_one(descent_s):
    """The lowering is timed from the middle of the hips' drop, so neither the slow start of a
    smooth bend nor the flat bottom shortens it: a drawn pistol descent reads within 0.05 s."""
    seq = synth.pistol(view="front", reps=1, rep_s=2 * descent_s, depth_deg=90.0, lead_s=0.6,
                       tail_s=0.4)
    report = analyze_poses(seq, get_exercise("pistol_squat")).report
    assert report.rep_count == 1
    assert report.reps[0].metrics["too_fast"] == pytest.approx(descent_s, abs=0.05)


def test_one_misplaced_ear_does_not_round_a_squat():
    """The far ear, hidden side-on, is often placed low: the straighter side is read, and a back
    that really rounds curls both."""
    from formcheck.pose.landmarks import Landmark

    rounded = synth.squat(view="side", reps=2, depth_deg=110.0, neck_flex_deg=75.0)
    clean = synth.squat(view="side", reps=2, depth_deg=110.0)
    xy = clean.image_xy.copy()
    xy[:, Landmark.LEFT_EAR] = rounded.image_xy[:, Landmark.LEFT_EAR]
    one_ear = clean.replace_arrays(image_xy=xy)
    squat = get_exercise("squat")
    codes = lambda seq: {f.code for r in analyze_poses(seq, squat).report.reps for f in r.faults}  # noqa: E731
    assert "spine_flexion" in codes(rounded)
    assert "spine_flexion" not in codes(one_ear)
    assert "spine_flexion" not in codes(clean)
