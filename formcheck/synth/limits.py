"""Fault limits through the pose model: rendered ladders of one fault, drawn either side of its limit.

Each Ladder draws one exercise with one fault whose size changes rep by rep, from inside the rule's
limit to beyond it (offsets from the limit, in the rule's unit). The mannequin (formcheck.mannequin)
acts it out, the clip goes through the whole pipeline (video -> pose model -> rules), and every rep
gives (drawn, measured, flagged). The pose model does not read the mannequin exactly as drawn, so a
rep drawn a little beyond the limit may be measured inside it: `tolerance` is how far from the limit
a drawn value must be for the verdict to follow the drawing (measured with
`python -m formcheck.synth limits`, table in fixtures/videos/README.md).

    python -m formcheck.synth limits            # every family, a table of drawn / measured / flagged

LADDERS with a tolerance are judged by tests/test_rendered_limits.py; the others (tolerance None)
are measured and kept for the fault evidence table (formcheck/fault_evidence.json, `formcheck
faults`), with every rep's error held to the measure's stated uncertainty (tests/test_evidence.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck import synth
from formcheck.exercises.base import Rule
from formcheck.exercises.registry import get_exercise
from formcheck.pose.sequence import PoseSequence

SQUARE = (720, 720)
WIDE = (1280, 720)


@dataclass(frozen=True)
class Ladder:
    """One fault family: draw(limit + offsets) -> PoseSequence with one rep per offset.

    offsets: drawn distance from the limit per rep, in the rule's unit (+ beyond the limit).
    tolerance: a rep drawn at least this far from the limit must get the drawing's verdict (None:
    the pose model does not follow this fault on the mannequin; measured, not judged).
    metric_side: which side's metric judges the rep (None: the rule has no side).
    """

    name: str
    exercise_id: str
    code: str
    offsets: tuple[float, ...]
    tolerance: float | None
    draw: Callable[[Rule, Sequence[float]], PoseSequence]
    metric_side: str | None = None
    note: str = ""
    view: str = "front"
    draw_limit: float | None = None  # the limit in the drawing's unit, when the rule's differs

    def rule(self) -> Rule:
        rules = [r for r in get_exercise(self.exercise_id).rules if r.code == self.code]
        if len(rules) != 1:
            raise LookupError(f"{self.exercise_id} has {len(rules)} rules coded {self.code}")
        return rules[0]

    @property
    def working_side(self) -> str | None:
        """Single-leg ladders are all drawn on the left leg."""
        return "left" if get_exercise(self.exercise_id).per_leg else None

    def drawn(self) -> list[float]:
        rule = self.rule()
        if self.draw_limit is not None:  # drawn in its own unit, growing with the fault
            return [self.draw_limit + off for off in self.offsets]
        sign = 1.0 if rule.direction == "above" else -1.0
        return [rule.limit + sign * off for off in self.offsets]

    def sequence(self) -> PoseSequence:
        return self.draw(self.rule(), self.drawn())


def _tempo(**kw: float) -> dict[str, Any]:
    base: dict[str, Any] = {"rep_s": 2.0, "pause_s": 0.3, "lead_s": 0.6, "tail_s": 0.4}
    base.update(kw)
    return base


def _valgus(rule: Rule, values: Sequence[float]) -> PoseSequence:
    return synth.pistol(side="left", view="front", reps=len(values), depth_deg=60.0,
                        valgus_deg=list(values), free_leg_deg=45.0, size=SQUARE,
                        **_tempo(rep_s=2.4, pause_s=0.1, eccentric_frac=0.72))


def _pelvic_drop(rule: Rule, values: Sequence[float]) -> PoseSequence:
    return synth.pistol(side="left", view="front", reps=len(values), depth_deg=60.0,
                        pelvic_drop_deg=list(values), free_leg_deg=45.0, size=SQUARE,
                        **_tempo(rep_s=2.4, pause_s=0.1, eccentric_frac=0.72))


def _hip_sag(rule: Rule, values: Sequence[float]) -> PoseSequence:
    # The bridge's top is the straight line (180) less sag_deg (arched past it: sag_deg < 0).
    return synth.bridge(view="side", reps=len(values), sag_deg=[180.0 - v for v in values],
                        size=WIDE, **_tempo(rep_s=1.8, hold_s=0.4, pause_s=0.2))


def _rounding(rule: Rule, values: Sequence[float]) -> PoseSequence:
    return synth.single_leg_deadlift(side="left", view="side", reps=len(values), hinge_deg=80.0,
                                     facing="left", chord_loss=list(values), size=WIDE,
                                     **_tempo(rep_s=2.2, pause_s=0.2, eccentric_frac=0.55))


def _depth(rule: Rule, values: Sequence[float]) -> PoseSequence:
    # synth.squat: thigh-to-horizontal at the bottom is 90 - 0.65 x knee flexion.
    return synth.squat(view="side", reps=len(values), depth_deg=[(90.0 - v) / 0.65 for v in values],
                       size=WIDE, **_tempo(rep_s=1.6))


# Heel rise (leg lengths) against the drawn heel pitch of synth.squat at 125 deg knee flexion,
# measured on the synthetic poses: rise = HEEL_RISE_PER_DEG x pitch, near enough for a ladder.
HEEL_RISE_PER_DEG = 0.05 / 15.0


def _heel(rule: Rule, values: Sequence[float]) -> PoseSequence:
    return synth.squat(view="side", reps=len(values), depth_deg=125.0,
                       heel_lift_deg=[v / HEEL_RISE_PER_DEG for v in values], size=WIDE,
                       **_tempo(rep_s=1.6))


def _joined(parts: Sequence[PoseSequence]) -> PoseSequence:
    """One clip of several clips played one after the other (same size and frame rate)."""
    step = 1.0 / parts[0].fps
    offsets = np.cumsum([0.0] + [float(p.t[-1]) + step for p in parts[:-1]])
    return PoseSequence(
        image_xy=np.concatenate([p.image_xy for p in parts]),
        world_xyz=np.concatenate([p.world_xyz for p in parts]),
        visibility=np.concatenate([p.visibility for p in parts]),
        t=np.concatenate([p.t + off for p, off in zip(parts, offsets, strict=True)]),
        width=parts[0].width, height=parts[0].height, fps=parts[0].fps)


def _tempo_family(rule: Rule, values: Sequence[float]) -> PoseSequence:
    # One pistol per descent time (the descent is half of rep_s), played back to back.
    return _joined([synth.pistol(side="left", view="front", reps=1, depth_deg=90.0,
                                 free_leg_deg=60.0, size=SQUARE, rep_s=2 * v, lead_s=0.6,
                                 tail_s=0.4) for v in values])


# Knee valgus at three depths for every knee-bending family, drawn as the depth-corrected FPPA
# (0, 6, 18, 24, 30 and 36 deg against the 12 deg limit). Step-ups cave in on the way up, bent by the
# start depth; squats are judged on knee width against foot width, so their drawing is in degrees
# (on top of knees that track out over the toes by 10) and their measure a ratio.
VALGUS_OFFSETS = (-12.0, -6.0, 6.0, 12.0, 18.0, 24.0)
VALGUS_LIMIT_DEG = 12.0
_SLOW = {"rep_s": 2.4, "pause_s": 0.1, "lead_s": 0.6, "tail_s": 0.4, "eccentric_frac": 0.72}


def _valgus_family(exercise_id: str, depth: float, view: str) -> Callable[[Rule, Sequence[float]],
                                                                             PoseSequence]:
    def draw(rule: Rule, values: Sequence[float]) -> PoseSequence:
        n = len(values)
        if exercise_id == "squat":
            return synth.squat(view=view, reps=n, depth_deg=depth, valgus_deg=list(values),
                               size=SQUARE, **_SLOW)
        if exercise_id == "pistol_squat":
            return synth.pistol(side="left", view=view, reps=n, depth_deg=depth,
                                valgus_deg=list(values), free_leg_deg=45.0, size=SQUARE, **_SLOW)
        if exercise_id == "step_up":
            return synth.step_up(side="left", view=view, reps=n, start_knee_deg=depth,
                                 ascent_valgus_deg=list(values), size=SQUARE, **_SLOW)
        return synth.lunge(side="left", view=view, reps=n, depth_deg=depth,
                           valgus_deg=list(values), size=SQUARE, **_SLOW)
    return draw


def _valgus_ladders() -> tuple[Ladder, ...]:
    out = []
    # Split squats share the lunge's drawing and its rule: the lunge ladders stand for both.
    for ex, depths in (("pistol_squat", (60.0, 90.0, 120.0)), ("squat", (60.0, 90.0, 120.0)),
                       ("lunge", (60.0, 90.0, 120.0)), ("step_up", (60.0, 90.0))):
        for depth in depths:
            views = ("front", "back") if depth == 90.0 and ex == "pistol_squat" else ("front",)
            if ex == "pistol_squat" and depth == 60.0:
                continue  # the pistol_valgus ladder above
            for view in views:
                out.append(Ladder(
                    f"{ex}_valgus_{depth:.0f}_{view}", ex, "knee_valgus", VALGUS_OFFSETS, None,
                    _valgus_family(ex, depth, view), None if ex == "squat" else "left",
                    f"{ex.replace('_', ' ')}s from the {view} to {depth:.0f} deg of knee flexion, "
                    "knee caving in (depth-corrected FPPA, deg)", view,
                    VALGUS_LIMIT_DEG if ex == "squat" else None))
    return tuple(out)


# Pelvic drop from the front and the back on the single-leg families that carry the rule.
def _pelvic_family(exercise_id: str, view: str) -> Callable[[Rule, Sequence[float]], PoseSequence]:
    def draw(rule: Rule, values: Sequence[float]) -> PoseSequence:
        n = len(values)
        if exercise_id == "front_step_up":
            return synth.step_up(side="left", view=view, reps=n, pelvic_drop_deg=list(values),
                                 size=SQUARE, **_SLOW)
        return synth.pistol(side="left", view=view, reps=n, depth_deg=60.0,
                            pelvic_drop_deg=list(values), free_leg_deg=45.0, size=SQUARE, **_SLOW)
    return draw


def _hip_hike(rule: Rule, values: Sequence[float]) -> PoseSequence:
    # The hike's own range: drop_deg each way is half the excursion judged against 10 deg.
    return synth.hip_hike(side="left", view="back", reps=len(values),
                          drop_deg=[v for v in values], size=SQUARE, rep_s=2.4, pause_s=0.3)


def _hip_hike_front(rule: Rule, values: Sequence[float]) -> PoseSequence:
    return synth.hip_hike(side="left", view="front", reps=len(values),
                          drop_deg=[v for v in values], size=SQUARE, rep_s=2.4, pause_s=0.3)


PELVIC_LADDERS: tuple[Ladder, ...] = tuple(
    Ladder(f"{ex}_pelvic_drop_{view}", ex, "pelvic_drop", (-3.0, -1.5, 1.5, 3.0, 6.0, 10.0), None,
           _pelvic_family(ex, view), None,
           f"left-leg {ex.replace('_', ' ')}s from the {view}, free hip dropping (deg)", view)
    for ex in ("pistol_squat", "front_step_up") for view in ("front", "back")) + (
    Ladder("hip_hike_range_back", "hip_hike", "insufficient_range", (-6.0, -4.0, -2.0, 2.0, 6.0),
           None, _hip_hike, None, "left-leg hip hikes from behind, pelvis dropping and hiking "
           "(drawn drop, judged as excursion, deg)", "back"),
    Ladder("hip_hike_range_front", "hip_hike", "insufficient_range", (-6.0, -4.0, -2.0, 2.0, 6.0),
           None, _hip_hike_front, None, "left-leg hip hikes from the front (drawn drop, deg)",
           "front"),
)


# Families drawn with a synth knob that is not the rule's own measure (extra forward lean against
# trunk-over-shin, hinge depth against trunk inclination, ...): the knob is mapped to the rule's
# unit on the synthetic poses themselves (the ground truth, before camera and pose model), so that
# every ladder is drawn, measured and reported in the rule's unit. The map is a straight line
# through two knob settings, checked at a third (tests/test_synth.py).
CALIBRATION_REPS = 2


def measured_on_synthetic(ladder_exercise: str, code: str, side: str | None,
                           seq: PoseSequence) -> list[float]:
    from formcheck.analysis import analyze_poses

    report = analyze_poses(seq, get_exercise(ladder_exercise)).report
    out = []
    for rep in report.reps:
        # A sided measure of a two-legged exercise is read on the leg nearer the camera, which
        # may not be the one the rendered clip is judged on: either side will do here.
        keys = [k for k in (code, f"{code}.{side}", f"{code}.left", f"{code}.right")
                if rep.metrics.get(k) is not None]
        if keys:
            out.append(float(rep.metrics[keys[0]]))
    return out


def calibrated(exercise_id: str, code: str, side: str | None, knob: Callable[[Sequence[float]],
               PoseSequence], at: Sequence[float]) -> Callable[[Rule, Sequence[float]], PoseSequence]:
    """A ladder drawing in the rule's unit from `knob(values)` (one knob value per rep): the rule's
    measure is read on synthetic poses drawn at the knob settings `at` (two or more), and each
    wanted value is drawn at the knob setting found by interpolating between them (straight lines
    beyond the ends)."""
    points: list[tuple[float, float]] = []

    def knob_for(value: float) -> float:
        if not points:
            for k in at:
                measured = measured_on_synthetic(exercise_id, code, side,
                                                  knob([k] * CALIBRATION_REPS))
                if not measured:
                    raise ValueError(f"{exercise_id}: {code} not measured at {k}")
                points.append((float(np.median(measured)), k))
            points.sort()
        read = np.array([p[0] for p in points])
        knobs = np.array([p[1] for p in points])
        if np.any(np.diff(read) < 1e-9):
            raise ValueError(f"{exercise_id}: {code} does not follow the knob")
        i = int(np.clip(np.searchsorted(read, value) - 1, 0, len(read) - 2))
        return float(knobs[i] + (value - read[i]) * (knobs[i + 1] - knobs[i]) / (read[i + 1] - read[i]))

    def draw(rule: Rule, values: Sequence[float]) -> PoseSequence:
        return knob([knob_for(v) for v in values])
    return draw


def _squat_knob(knob: str, view: str = "side",
                **fixed: Any) -> Callable[[Sequence[float]], PoseSequence]:
    """Squats 110 deg deep, one rep per value of synth.squat's `knob`."""
    def draw(values: Sequence[float]) -> PoseSequence:
        return synth.squat(view=view, reps=len(values), depth_deg=110.0, size=WIDE,
                           **{knob: list(values)}, **fixed, **_tempo(rep_s=1.8))
    return draw


def _lateral_lean(exercise_id: str) -> Callable[[Sequence[float]], PoseSequence]:
    def knob(lean: Sequence[float]) -> PoseSequence:
        if exercise_id == "pistol_squat":
            return synth.pistol(side="left", view="front", reps=len(lean), depth_deg=90.0,
                                lean_deg=list(lean), free_leg_deg=45.0, size=SQUARE, **_SLOW)
        return synth.lunge(side="left", view="front", reps=len(lean), depth_deg=90.0,
                           lean_deg=list(lean), size=SQUARE, **_SLOW)
    return knob


def _sldl(**fixed: Any) -> Callable[[str], Callable[[Sequence[float]], PoseSequence]]:
    def for_knob(name: str) -> Callable[[Sequence[float]], PoseSequence]:
        def knob(values: Sequence[float]) -> PoseSequence:
            kw: dict[str, Any] = {"hinge_deg": 80.0, "knee_deg": 20.0, **fixed, name: list(values)}
            return synth.single_leg_deadlift(side="left", view="side", reps=len(values),
                                             facing="left", size=WIDE,
                                             **_tempo(rep_s=2.2, pause_s=0.2, eccentric_frac=0.55),
                                             **kw)
        return knob
    return for_knob


def _knee_drive(drive: Sequence[float]) -> PoseSequence:
    return synth.step_up(side="left", view="side", reps=len(drive), drive_deg=list(drive), size=WIDE,
                         **_tempo(rep_s=2.4, pause_s=0.3))


MEASURED_LADDERS: tuple[Ladder, ...] = (
    Ladder("squat_rounding_side", "squat", "spine_flexion", (-25.0, -10.0, 10.0, 20.0, 35.0), None,
           calibrated("squat", "spine_flexion", None, _squat_knob("neck_flex_deg"), (0.0, 60.0)), None,
           "squats from the side, head and upper back curling forward (deg)", "side"),
    # Turned 45 deg, a head in line with the trunk reads about 20 deg and the reading dips before
    # it climbs (20 drawn reads 5): the ladder is mapped over the drawings where it climbs.
    Ladder("squat_rounding_front45", "squat", "spine_flexion", (-25.0, -10.0, 10.0, 20.0, 35.0),
           None, calibrated("squat", "spine_flexion", None, _squat_knob("neck_flex_deg", "front45"),
                            (20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0)), None,
           "squats turned 45 deg to the camera, head and upper back curling forward (deg)",
           "front45"),
    Ladder("squat_forward_lean_side", "squat", "forward_lean", (-10.0, -5.0, 5.0, 10.0, 15.0), None,
           calibrated("squat", "forward_lean", "right", _squat_knob("forward_lean_deg"),
                      (0.0, 20.0)), "right",
           "squats from the side, trunk pitched ahead of the shins (deg)", "side"),
    Ladder("pistol_squat_lateral_lean_front", "pistol_squat", "lateral_trunk_lean",
           (-6.0, -3.0, 3.0, 6.0, 10.0, 15.0), None,
           calibrated("pistol_squat", "lateral_trunk_lean", None, _lateral_lean("pistol_squat"),
                      (0.0, 15.0)), None,
           "left-leg pistols from the front, trunk leaning sideways (deg)"),
    Ladder("lunge_lateral_lean_front", "lunge", "lateral_trunk_lean",
           (-6.0, -3.0, 3.0, 6.0, 10.0, 15.0), None,
           calibrated("lunge", "lateral_trunk_lean", None, _lateral_lean("lunge"), (0.0, 15.0)),
           None, "left-leg lunges from the front, trunk leaning sideways (deg)"),
    Ladder("sldl_shallow_hinge_side", "single_leg_deadlift", "shallow_hinge",
           (-15.0, -8.0, 4.0, 8.0, 12.0), None,
           calibrated("single_leg_deadlift", "shallow_hinge", None, _sldl()("hinge_deg"),
                      (40.0, 80.0)), None,
           "left-leg single-leg deadlifts from the side, trunk short of 45 deg (deg)", "side"),
    Ladder("sldl_stance_knee_side", "single_leg_deadlift", "stance_knee_bend",
           (-15.0, -8.0, 8.0, 15.0, 25.0), None,
           calibrated("single_leg_deadlift", "stance_knee_bend", "left", _sldl()("knee_deg"),
                      (15.0, 55.0)), "left",
           "left-leg single-leg deadlifts from the side, standing knee bent (deg)", "side"),
    Ladder("sldl_free_leg_side", "single_leg_deadlift", "free_leg_misaligned",
           (-10.0, -5.0, 5.0, 10.0, 20.0), None,
           calibrated("single_leg_deadlift", "free_leg_misaligned", None, _sldl()("leg_gap_deg"),
                      (0.0, 20.0, 40.0)), None,
           "left-leg single-leg deadlifts from the side, back leg dropped out of line (deg)",
           "side"),
    Ladder("step_up_knee_drive_side", "front_step_up", "low_knee_drive", (-10.0, -5.0, 5.0, 10.0, 20.0),
           None, calibrated("front_step_up", "low_knee_drive", None, _knee_drive, (50.0, 90.0)), None,
           "left-leg step-ups from the side, drive thigh short of horizontal (deg)", "side"),
)



def _catalogue_knob(exercise_id: str, knob: str, view: str = "side",
                    **fixed: Any) -> Callable[[Sequence[float]], PoseSequence]:
    """One rep of the exercise's clean synthetic set (formcheck.faults.CLEAN_SETS) per value of
    `knob`, played back to back: for the set builders whose fault knobs hold for the whole set."""
    from formcheck.faults import CLEAN_SETS

    def draw(values: Sequence[float]) -> PoseSequence:
        return _joined([CLEAN_SETS[exercise_id].draw(view, reps=1, **fixed, **{knob: float(v)})
                        for v in values])
    return draw


def _box_jumps(knob: str) -> Callable[[Sequence[float]], PoseSequence]:
    def draw(values: Sequence[float]) -> PoseSequence:
        from formcheck.synth.sets_dynamic import box_jump

        per_rep = [float(v) for v in values]
        if knob == "absorb":
            return box_jump(view="side", reps=len(values), absorb=per_rep)
        return box_jump(view="side", reps=len(values), toes=per_rep)
    return draw


CATALOGUE_LADDERS: tuple[Ladder, ...] = (
    Ladder("glute_bridge_lumbar_arch_side", "glute_bridge", "lumbar_hyperextension",
           (-10.0, -5.0, 5.0, 10.0, 20.0), None, _hip_sag, "right",
           "glute bridges from the side, top arched past the straight line (deg)", "side"),
    Ladder("walking_bridge_hip_sag_side", "walking_bridge", "hip_sag", (-6.0, -3.0, 3.0, 6.0, 12.0),
           None, calibrated("walking_bridge", "hip_sag", None,
                            _catalogue_knob("walking_bridge", "sag"), (0.0, 20.0)), "left",
           "walking bridges from the side, hips sinking as a leg lifts (deg)", "side"),
    Ladder("walking_bridge_short_hold_side", "walking_bridge", "short_hold",
           (-1.0, -0.5, 0.3, 0.6, 0.9), None,
           calibrated("walking_bridge", "short_hold", None,
                      _catalogue_knob("walking_bridge", "hold_s"), (1.0, 3.0)), None,
           "walking bridges from the side, leg held out (s)", "side"),
    Ladder("step_up_pushoff_side", "front_step_up", "trailing_leg_pushoff",
           (-10.0, -5.0, 5.0, 10.0, 20.0), None,
           calibrated("front_step_up", "trailing_leg_pushoff", None,
                      _catalogue_knob("front_step_up", "pushoff"), (0.0, 35.0)), None,
           "left-leg step-ups from the side, trailing heel pushing off (deg)", "side"),
    Ladder("sldl_hop_side", "single_leg_deadlift", "loss_of_balance",
           (-0.08, -0.04, 0.04, 0.08, 0.15), None,
           calibrated("single_leg_deadlift", "loss_of_balance", "left",
                      _catalogue_knob("single_leg_deadlift", "hop", facing="left"), (0.0, 0.3)),
           "left",
           "left-leg single-leg deadlifts from the side, stance foot hopping (leg lengths)",
           "side"),
    Ladder("deadlift_knee_dominant_side", "deadlift", "knee_dominant",
           (-20.0, -10.0, 10.0, 20.0, 30.0), None,
           calibrated("deadlift", "knee_dominant", "right",
                      _catalogue_knob("deadlift", "knee", trunk=20.0), (70.0, 135.0)), "right",
           "deadlifts from the side, squatting the lift (knee bend at the deepest hinge, deg)",
           "side"),
    # Knees past the toes is reported only with the heels up: every rep lifts them 20 deg.
    Ladder("squat_knee_past_toes_side", "squat", "knee_past_toes", (-0.15, -0.08, 0.08, 0.15, 0.3),
           None, calibrated("squat", "knee_past_toes", "right",
                            _squat_knob("shank_share", heel_lift_deg=20.0), (0.2, 0.35, 0.55)),
           "right",
           "squats from the side, heels up 20 deg and knees travelling past the toes "
           "(foot lengths)", "side"),
    Ladder("deadlift_hips_first_side", "deadlift", "hips_rise_first", (-0.8, -0.4, 0.4, 1.0), None,
           calibrated("deadlift", "hips_rise_first", None,
                      _catalogue_knob("deadlift", "hips_first"),
                      (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0)), None,
           "deadlifts from the side, hips rising before the shoulders (ratio)", "side"),
    Ladder("box_jump_stiff_landing_side", "box_jump", "stiff_landing",
           (-15.0, -8.0, 8.0, 15.0, 25.0), None,
           calibrated("box_jump", "stiff_landing", "right", _box_jumps("absorb"), (40.0, 80.0)),
           "right", "box jumps from the side, knees barely bending on landing (deg)", "side"),
    # Heels drawn up more than about 20 deg at touchdown read no higher on the synthetic poses (the
    # heel is still coming down as the toes meet the box), so the ladder stays below that.
    Ladder("box_jump_flat_landing_side", "box_jump", "flat_footed_landing",
           (-15.0, -7.0, 5.0, 10.0, 15.0), None,
           calibrated("box_jump", "flat_footed_landing", "right", _box_jumps("toes"), (0.0, 20.0)),
           "right", "box jumps from the side, heels coming down with the toes or first (deg of heel "
           "pitch at touchdown)", "side"),
)

# Offsets and tolerances from the measured table in fixtures/videos/README.md. Ladders whose
# tolerance is None are measured and shown (and kept for the fault evidence table) but no verdict is
# expected to follow them: pelvic drop is drawn (the mannequin's shorts tilt with the hip line) but
# the pose model reads a fraction of it.
LADDERS: tuple[Ladder, ...] = (
    Ladder("pistol_valgus", "pistol_squat", "knee_valgus", (-12.0, -6.0, 6.0, 12.0, 18.0), 12.0,
           _valgus, "left", "left-leg pistols from the front, knee caving in (FPPA, deg)"),
    Ladder("bridge_hip_sag", "glute_bridge", "incomplete_lockout", (-8.0, -4.0, 4.0, 8.0), 8.0,
           _hip_sag, "right", "glute bridges from the side, top short of the straight line (deg)",
           "side"),
    Ladder("sldl_rounding", "single_leg_deadlift", "spine_flexion", (-0.05, -0.02, 0.02, 0.05, 0.08),
           0.05, _rounding, None, "left-leg single-leg deadlifts, back rounding (shoulder-hip chord)",
           "side"),
    Ladder("squat_depth", "squat", "shallow_depth", (-10.0, -4.0, 4.0, 10.0), 10.0, _depth, "right",
           "squats from the side, bottom thigh angle above horizontal (deg)", "side"),
    Ladder("pistol_tempo", "pistol_squat", "too_fast", (-1.0, -0.1, 0.1, 0.2, 0.4), 0.2,
           _tempo_family,
           None, "left-leg pistols from the front, descent time (s)"),
    Ladder("squat_heel_lift", "squat", "heel_lift", (-0.05, -0.02, 0.02, 0.05), 0.05, _heel,
           "right", "squats from the side, heel rising (leg lengths)", "side"),
) + _valgus_ladders() + PELVIC_LADDERS + MEASURED_LADDERS + CATALOGUE_LADDERS


@dataclass(frozen=True)
class Rung:
    rep: int
    side: str | None
    drawn: float
    measured: float | None
    flagged: bool
    confidence: str | None = None  # "clear" | "possible" when flagged
    uncertainty: float | None = None


def run(ladder: Ladder, folder: str | Path | None = None) -> tuple[list[Rung], int]:
    """Render the ladder, analyse the video; (one Rung per drawn rep, reps counted)."""
    from formcheck.analysis import analyze_video
    from formcheck.mannequin import render_clip

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(folder or tmp) / f"{ladder.name}.mp4"
        render_clip(ladder.sequence(), path)
        report = analyze_video(path, get_exercise(ladder.exercise_id)).report
    key = ladder.code + (f".{ladder.metric_side}" if ladder.metric_side else "")
    rungs = []
    for drawn, rep in zip(ladder.drawn(), report.reps, strict=False):
        if ladder.working_side is None and ladder.metric_side and key not in rep.metrics:
            # A two-legged exercise is judged on the leg nearer the camera, whichever it is.
            key = f"{ladder.code}.{'left' if ladder.metric_side == 'right' else 'right'}"
        found = [f for f in rep.faults if f.code == ladder.code and (
            ladder.metric_side is None or f.side in (ladder.metric_side, None))]
        confidence = ("clear" if any(f.clear for f in found) else "possible") if found else None
        rungs.append(Rung(rep.index, rep.side, drawn, rep.metrics.get(key), bool(found), confidence,
                          rep.uncertainty.get(key)))
    return rungs, report.rep_count


def summary(ladder: Ladder, rungs: Sequence[Rung], counted: int) -> dict[str, Any]:
    """What a ladder shows, for the fault evidence table: the smallest drawn fault reported clear
    and reported at all, whether anything drawn inside the limit was reported, and the largest
    measured-minus-drawn error (when the rule measures in the drawing's unit)."""
    rule = ladder.rule()
    if counted > len(ladder.offsets):
        # Extra reps counted: which rep is which drawing is unknown, so nothing is compared.
        rungs = []
    sign = 1.0 if rule.direction == "above" or ladder.draw_limit is not None else -1.0
    drawn_limit = rule.limit if ladder.draw_limit is None else ladder.draw_limit
    beyond = [r for r in rungs if sign * (r.drawn - drawn_limit) > 0]

    def smallest(rs: Sequence[Rung]) -> float | None:
        return min((sign * r.drawn for r in rs), default=None) if rs else None

    clear = smallest([r for r in beyond if r.confidence == "clear"])
    flagged = smallest([r for r in beyond if r.flagged])
    same_unit = ladder.draw_limit is None
    # A rep read on the other leg is a leg mix-up, counted apart (`other_leg`), not a measure error.
    on_leg = [r for r in rungs if ladder.working_side is None or r.side == ladder.working_side]
    errors = [abs(r.measured - r.drawn) for r in on_leg if same_unit and r.measured is not None]
    return {
        "ladder": ladder.name, "code": ladder.code, "exercise": ladder.exercise_id,
        "view": ladder.view, "note": ladder.note, "limit": drawn_limit,
        "reps": len(ladder.offsets), "counted": counted,
        "smallest_clear": None if clear is None else sign * clear,
        "smallest_flagged": None if flagged is None else sign * flagged,
        "inside_flagged": sum(1 for r in rungs if r.flagged and r not in beyond),
        "other_leg": len(rungs) - len(on_leg),
        "max_error": round(max(errors), 3) if errors else None,
        "max_uncertainty": max((r.uncertainty for r in rungs if r.uncertainty is not None),
                               default=None),
        "rungs": [{"drawn": r.drawn, "measured": r.measured, "confidence": r.confidence,
                   "side": r.side} for r in rungs],
    }


def main(names: Sequence[str] = (), write: str | Path | None = None) -> int:
    """Print every ladder (or the named ones); with `write`, keep the summaries as JSON for the
    fault evidence table (formcheck.evidence)."""
    results = []
    for ladder in LADDERS:
        if names and ladder.name not in names:
            continue
        rule = ladder.rule()
        rungs, count = run(ladder)
        results.append(summary(ladder, rungs, count))
        print(f"{ladder.name}: {ladder.note}; limit {rule.direction} {rule.limit} {rule.unit}; "
              f"{count} of {len(ladder.offsets)} reps counted", flush=True)
        for r in rungs:
            measured = "-" if r.measured is None else f"{r.measured:.4g}"
            print(f"  rep {r.rep} ({r.side or 'both legs'}): drawn {r.drawn:.4g}  measured {measured}  "
                  f"{(r.confidence or 'ok').upper() if r.flagged else 'ok'}", flush=True)
    if write is not None:
        from formcheck.evidence import update_ladders

        update_ladders(results, write)
    return 0
