"""Glute bridge (routine 2) and walking bridge (routine 1): lying, hips up to the straight line."""

from dataclasses import replace

import numpy as np

from formcheck import geometry as g
from formcheck.exercises import measures as ms
from formcheck.exercises.base import HIP_RISE, SAGITTAL_WIDE, Driver, Exercise, Rule
from formcheck.exercises.checks import BRIDGE_ARCH, BRIDGE_LOCKOUT, BRIDGE_PELVIC_DROP, THRUST_DEPTH
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

HIP_SAG = Rule(
    code="hip_sag", cue="Hold your hips up as the leg lifts: squeeze the glutes.",
    measure=ms.hip_sag_during_hold, limit=10.0, major=15.0, direction="above", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip", "knee"),
    why="Hips sinking when one foot lifts means the other side cannot hold the bridge.",
    source="Single-leg bridge test: failure when the hip deviates > 10 deg (Georgia Southern SLB "
           "normative study) (M).")

SHORT_HOLD = Rule(
    code="short_hold", cue="Hold the leg out longer: count to three.",
    measure=ms.hold_time, limit=1.5, direction="below", unit="s",
    views=frozenset({"front", "back", "side", "front45", "back45"}), landmarks=("ankle",),
    sided=False,
    why="The walking bridge trains holding the pelvis on one leg; rushing skips it.",
    source="Routine: leg held a few seconds; 1.5 s floor (L).")

GLUTE_BRIDGE = Exercise(
    posture="lying",
    id="glute_bridge", name="Glute bridge", driver=HIP_RISE,
    rep_spec=RepSpec(rom_prior=0.25, min_excursion=0.07, min_duration_s=0.6),
    rules=(BRIDGE_LOCKOUT, BRIDGE_ARCH, BRIDGE_PELVIC_DROP),
    per_leg=False, working_leg=None, best_views=frozenset({"side"}),
    prescription="3 x 15", rep_range=(15, 15), aliases=("bridge",),
    description="On the back, knees bent, feet flat; lift the hips by squeezing the glutes.",
    signals=("hip_extension", "knee_flexion"))


def lifted_foot(seq: PoseSequence, scale: float) -> np.ndarray:
    """Height of the higher ankle, in leg lengths (rises as either leg is extended and lifted)."""
    left = g.height_of(seq, "ankle", scale, "left")
    right = g.height_of(seq, "ankle", scale, "right")
    return np.fmax(left, right)


WALKING_BRIDGE = Exercise(
    posture="lying",
    id="walking_bridge", name="Walking bridge",
    driver=Driver("lifted_foot", lifted_foot, "height of the lifted foot (leg lengths)"),
    rep_spec=RepSpec(rom_prior=0.3, min_excursion=0.1, min_duration_s=0.6),
    rules=(HIP_SAG, BRIDGE_PELVIC_DROP, SHORT_HOLD),
    per_leg=True, working_leg="bent_knee", best_views=frozenset({"side"}),
    prescription="10-15 per leg", rep_range=(10, 15), aliases=("marching_bridge",),
    description="Bridge up, extend one leg and hold, put it back, then the other; hips stay up.",
    signals=("hip_extension", "knee_flexion"))

HIP_THRUST = replace(
    GLUTE_BRIDGE, id="hip_thrust", name="Hip thrust",
    rep_spec=RepSpec(rom_prior=0.3, min_excursion=0.08, min_duration_s=0.6),
    rules=(BRIDGE_LOCKOUT, BRIDGE_ARCH, THRUST_DEPTH),
    aliases=("barbell_hip_thrust",), prescription="3 x 10-15", rep_range=(10, 15),
    description="Upper back on a bench, feet flat; lower the hips and drive them up until "
                "shoulders, hips and knees line up.")
