"""Hamstring curl (extra exercise): bend the knee against resistance through full range, lower
slowly. Reps follow the heel rising toward the knee (standing or lying alike, from any view); the
range is read from the more bent knee.
"""

import numpy as np

from formcheck.exercises import measures as ms
from formcheck.exercises.base import ANY_VIEW, SAGITTAL_WIDE, Driver, Exercise, Rule
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

INSUFFICIENT_RANGE = Rule(
    code="insufficient_range", cue="Curl further: bring the heel toward your glutes.",
    measure=ms.peak_either_knee_flexion, limit=90.0, major=70.0, direction="below", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("hip", "knee", "ankle"), sided=False,
    why="Short curls miss the shortened range where the hamstrings are weakest.",
    source="No published limit (L): full curls pass 90 deg of knee flexion; a shorter peak is a "
           "partial rep.")

TOO_FAST = Rule(
    code="too_fast", cue="Lower slowly: take at least a second on the way down.",
    measure=ms.return_phase_s, limit=1.0, major=0.6, direction="below", unit="s",
    views=ANY_VIEW, landmarks=("knee", "ankle"), sided=False,
    why="Dropping the weight skips the eccentric work that protects the hamstrings.",
    source="Controlled tempo (exercises.md: range and tempo); lowering < 1 s (L, by analogy with "
           "the < 1.2 s whole-rep limit of the heel-rise test, biomechanics.md 6e).")



def heel_curl(seq: PoseSequence, scale: float) -> np.ndarray:
    """Height of the higher ankle above its own knee, in leg lengths (about -0.5 with the leg
    hanging straight, 0 at a 90 deg curl standing; rises as the heel comes up lying too)."""
    rise = [(seq.px(joint("knee", s))[:, 1] - seq.px(joint("ankle", s))[:, 1]) / scale
            for s in ("left", "right")]
    return np.fmax(rise[0], rise[1])


HEEL_CURL = Driver("heel_curl", heel_curl, "ankle above its knee (leg lengths)")

HAMSTRING_CURL = Exercise(
    posture="any",
    id="hamstring_curl", name="Hamstring curl", driver=HEEL_CURL,
    rep_spec=RepSpec(rom_prior=0.5, min_excursion=0.2, min_duration_s=0.6),
    rules=(INSUFFICIENT_RANGE, TOO_FAST), per_leg=False, working_leg=None,
    best_views=frozenset({"side"}), prescription="3 x 12-15", rep_range=(12, 15),
    aliases=("leg_curl", "lying_leg_curl", "standing_hamstring_curl"),
    description="Curl the heel toward the glutes through full range, lower slowly.",
    signals=("knee_flexion",))
