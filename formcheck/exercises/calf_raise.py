"""Calf raise / standing calf raise (routine 2): both feet, rise onto the toes and lower.

Reps are cut on how far the heels rise above the toes, a foot-relative signal that a drifting
handheld camera does not disturb.
"""

import numpy as np

from formcheck.exercises import measures as ms
from formcheck.exercises.base import ANY_VIEW, SAGITTAL_WIDE, Driver, Exercise, Rule
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

# Heel height above the toes is visible from the side, the back and both obliques; from the front
# the heel hides behind the foot.
HEEL_VIEWS = frozenset({"side", "back", "front45", "back45"})

INSUFFICIENT_RANGE = Rule(
    code="insufficient_range", cue="Rise all the way onto the balls of your feet.",
    measure=ms.rise_vs_best, limit=0.75, major=0.5, direction="below", unit="ratio",
    views=HEEL_VIEWS, landmarks=("heel", "foot_index"), sided=False,
    why="Partial raises skip the top of the range where the calf and Achilles work hardest.",
    source="Heel-rise test ends when height cannot be maintained (Hebert-Losier 2017); flag a rep "
           "below 70-80% of the set's best rise (biomechanics.md 6e, L): 75%.")

TOO_FAST = Rule(
    code="too_fast", cue="Slow down: about one second up and one second down.",
    measure=ms.rep_duration, limit=1.2, major=0.8, direction="below", unit="s",
    views=ANY_VIEW, landmarks=("heel",), sided=False,
    why="Bouncing through reps uses tendon recoil instead of calf strength.",
    source="Heel-rise test pace 30 reps/min, ~2 s per rep (Hebert-Losier 2017); flag < 1.2 s "
           "(biomechanics.md 6e, M).")

KNEE_BEND = Rule(
    code="stance_knee_bend", cue="Keep your knees straight: rise from the ankles.",
    measure=ms.knee_bend_change, limit=10.0, major=20.0, direction="above", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("hip", "knee", "ankle"), sided=False,
    why="Bending the knees turns the raise into a dip-and-push and takes load off the calves.",
    source="Heel-rise test termination: knee angle not maintained; knee flexion change > 10 deg "
           "(biomechanics.md 6e, M). The routine calls this knee_bend.")

def heel_above_toe(seq: PoseSequence, scale: float) -> np.ndarray:
    """(T,) mean height of the heels above their toes, in leg lengths (camera drift cancels)."""
    rise = [(seq.px(joint("foot_index", s))[:, 1] - seq.px(joint("heel", s))[:, 1]) / scale
            for s in ("left", "right")]
    return (rise[0] + rise[1]) / 2.0


HEEL_RISE = Driver("heel_rise", heel_above_toe, "heel height above the toes (leg lengths)")

CALF_RAISE = Exercise(
    id="calf_raise", name="Calf raise", driver=HEEL_RISE,
    rep_spec=RepSpec(rom_prior=0.06, min_excursion=0.025, min_duration_s=0.5),
    rules=(INSUFFICIENT_RANGE, TOO_FAST, KNEE_BEND),
    per_leg=False, working_leg=None, best_views=frozenset({"side"}),
    prescription="3 x 15-20", rep_range=(15, 20),
    aliases=("standing_calf_raise", "heel_raise", "heel_rise"),
    description="Feet hip-width (support allowed), rise onto the toes, lower back down.",
    signals=("knee_flexion",))
