"""Bodyweight or loaded squat (routine 2): both legs, hips down to thigh-parallel."""

from formcheck.exercises import measures as ms
from formcheck.exercises.base import (
    FRONTAL,
    HIP_DROP,
    KNEE_BEND_REP_DEG,
    SAGITTAL,
    Exercise,
    Rule,
)
from formcheck.exercises.checks import HEEL_LIFT, KNEE_PAST_TOES, SHALLOW_DEPTH, TRUNK_AHEAD_OF_SHIN
from formcheck.reps import RepSpec

KNEES_INSIDE_FEET = Rule(
    code="knee_valgus", cue="Knees out: keep them over your toes.",
    measure=ms.knee_to_foot_width, limit=0.7, major=0.55, direction="below", unit="ratio",
    views=FRONTAL, landmarks=("knee", "foot_index"), sided=False,
    why="Knees drawing together inside the feet at the bottom of a squat load the knee medially.",
    source="Knee/feet width at the bottom of correct front-view squats: p1 0.7, median 0.8 (labelled "
           "landmark set, footage.md); FMS: knees aligned over the feet.")

# The neck alone flexes about 45-50 deg (normal cervical range of motion, AAOS); a head that sits
# further forward of the trunk line than that at the bottom of a squat has taken the upper back
# with it. Looking at the floor a few metres ahead, with a neutral back, reads 5-30 deg.
HEAD_DROP_LIMIT_DEG = 45.0

SQUAT_ROUNDING = Rule(
    code="spine_flexion", cue="Chest up: keep your back straight and your eyes ahead, not on your knees.",
    measure=ms.head_drop, limit=HEAD_DROP_LIMIT_DEG, major=60.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("ear", "shoulder", "hip"), sided=False,
    why="A back that curls forward at the bottom loads the spine instead of the hips and legs "
        "(reported as possible rounding: 2D video sees the head and shoulders curl, not the spine).",
    source="Ear-shoulder-hip below the trunk line (biomechanics.md sections 2 and 6d, proxy b: "
           "< 155 deg, L); limit at 45 deg of drop, the neck's own flexion range (AAOS normal "
           "cervical range 45-50 deg): beyond it the upper back has rounded too.")


SQUAT = Exercise(
    id="squat", name="Squat", driver=HIP_DROP,
    rep_spec=RepSpec(rom_prior=0.4, min_excursion=0.1, min_duration_s=0.4),
    rules=(SHALLOW_DEPTH, KNEES_INSIDE_FEET, TRUNK_AHEAD_OF_SHIN, HEEL_LIFT, KNEE_PAST_TOES,
           SQUAT_ROUNDING),
    per_leg=False, working_leg=None, best_views=frozenset({"side", "front"}),
    prescription="3 x 10-12", rep_range=(10, 12), aliases=("bodyweight_squat", "back_squat"),
    description="Feet shoulder-width, sit back, chest up, down to thigh-parallel, drive up.",
    min_knee_bend_deg=KNEE_BEND_REP_DEG)
