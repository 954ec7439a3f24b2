"""Hip hike (routine 1): on one foot, the free side of the pelvis drops and is hiked back.

Reps are cut on the vertical separation of the two feet, which any camera view shows: the free leg
hangs straight from the dropping hip, and the pose model follows a foot where it keeps the hip
landmarks nearly level. The obliquity angle itself and the trunk's share of it need a frontal view.
"""

import numpy as np

from formcheck import geometry as g
from formcheck.exercises import measures as ms
from formcheck.exercises.base import FRONTAL, SAGITTAL, Driver, Exercise, Rule
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

# Distance between the two hip landmarks in leg lengths: median 0.27 over the labelled front and
# back clips (0.20-0.30).
HIP_WIDTH_LEGS = 0.27

INSUFFICIENT_RANGE = Rule(
    code="insufficient_range", cue="Let the free hip drop further, then lift it back up.",
    measure=ms.obliquity_excursion, limit=10.0, major=6.0, direction="below", unit="deg",
    views=FRONTAL, landmarks=("hip",), sided=False,
    why="A pelvis that barely moves does not work the standing-side gluteus medius.",
    source="Healthy pelvic obliquity ROM 11.3 +/- 4.8 deg (Trendelenburg test, Bailey, Selfe & "
           "Richards); exercise target >= 10 deg total excursion (biomechanics.md section 4, L).")

STANCE_KNEE_BEND = Rule(
    code="stance_knee_bend", cue="Keep the standing knee straight: move from the hip.",
    measure=ms.knee_bend_change, limit=10.0, major=20.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee", "ankle"),
    why="Bending the standing knee lowers the pelvis without the hip abductors doing the work.",
    source="Exercise instructions: knee straight; flag KF rising > 10 deg (biomechanics.md "
           "section 4, L). Measured as the change within the rep, so pose bias cancels.")

TRUNK_SUBSTITUTION = Rule(
    code="lateral_trunk_lean", cue="Keep your trunk still: tilt the pelvis, not the shoulders.",
    measure=ms.trunk_over_pelvis, limit=3.0, major=8.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Side-bending the trunk (quadratus lumborum) fakes the hike without the stance hip.",
    source="Flag |change in lateral trunk lean| > |change in pelvic obliquity| (biomechanics.md "
           "section 4, L), with 3 deg for the noise of a hip-line angle (section 1).")

def hip_tilt(seq: PoseSequence, scale: float) -> np.ndarray:
    """(T,) vertical separation of the two feet as an angle over a nominal pelvis width (deg,
    unsigned): grows as either side of the pelvis drops and its straight leg hangs lower, seen
    from any view. The feet, not the hips: the pose model keeps the hip landmarks nearly level
    however far a pelvis tilts, and follows a hanging foot (geometry.hanging_leg_obliquity)."""
    dy = np.nanmean([seq.px(joint(n, "left"))[:, 1] - seq.px(joint(n, "right"))[:, 1]
                     for n in g.FOOT_POINTS], axis=0)
    return np.degrees(np.arctan2(np.abs(dy), HIP_WIDTH_LEGS * scale))


HIP_TILT = Driver("hip_tilt", hip_tilt, "vertical separation of the feet (degrees over pelvis width)")

HIP_HIKE = Exercise(
    id="hip_hike", name="Hip hike", driver=HIP_TILT,
    rep_spec=RepSpec(rom_prior=10.0, min_excursion=4.0, min_duration_s=0.6),
    rules=(INSUFFICIENT_RANGE, STANCE_KNEE_BEND, TRUNK_SUBSTITUTION),
    per_leg=True, working_leg="high_hip", best_views=frozenset({"back", "front"}),
    prescription="20-30 per leg", rep_range=(20, 30), aliases=("hip_hitch",),
    description="On one foot, let the free side of the pelvis drop, then lift it back to level "
                "with the standing-side hip muscles.",
    signals=("knee_flexion", "trunk_inclination"))
