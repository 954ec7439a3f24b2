"""Bodyweight or loaded squat (routine 2): both legs, hips down to thigh-parallel."""

from formcheck.exercises import measures as ms
from formcheck.exercises.base import (
    FRONTAL,
    HIP_DROP,
    KNEE_BEND_REP_DEG,
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




SQUAT = Exercise(
    id="squat", name="Squat", driver=HIP_DROP,
    rep_spec=RepSpec(rom_prior=0.4, min_excursion=0.1, min_duration_s=0.4),
    rules=(SHALLOW_DEPTH, KNEES_INSIDE_FEET, TRUNK_AHEAD_OF_SHIN, HEEL_LIFT, KNEE_PAST_TOES),
    per_leg=False, working_leg=None, best_views=frozenset({"side", "front"}),
    prescription="3 x 10-12", rep_range=(10, 12), aliases=("bodyweight_squat", "back_squat"),
    description="Feet shoulder-width, sit back, chest up, down to thigh-parallel, drive up.",
    min_knee_bend_deg=KNEE_BEND_REP_DEG)
