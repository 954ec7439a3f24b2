"""Bodyweight or loaded squat (routine 2): both legs, hips down to thigh-parallel."""

from formcheck.exercises import measures as ms
from formcheck.exercises import metrics as m
from formcheck.exercises.base import (
    FRONTAL,
    HIP_DROP,
    KNEE_BEND_REP_DEG,
    SAGITTAL,
    SAGITTAL_WIDE,
    Exercise,
    Rule,
)
from formcheck.reps import RepSpec

SHALLOW_DEPTH = Rule(
    code="shallow_depth", cue="Sit lower: get your thighs to parallel.",
    measure=m.thigh_angle_at_bottom, limit=15.0, major=30.0, direction="above", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("hip", "knee"),
    why="Partial squats load the knee without training the hips through range.",
    source="FMS deep squat: femur below horizontal (TA < 0). The BlazePose hip is the joint centre, "
           "which sits above the hip crease: limit TA > 15 deg (L, tuned on the labelled clips).")

KNEE_VALGUS = Rule(
    code="knee_valgus", cue="Knees out: keep them over your toes.",
    measure=m.knee_valgus, limit=12.0, major=16.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="Knees caving in load the patellofemoral joint and the ACL.",
    source="FPPA norms in the single-leg squat: > 12-13 deg (F) excessive, > 16 deg PFP-like "
           "(Herrington 2014); 2D SDD 7.5-8.9 deg (Munro 2012). Depth-corrected, worst over the "
           "bent half of the rep against the straight leg.")

KNEES_INSIDE_FEET = Rule(
    code="knee_valgus", cue="Knees out: keep them over your toes.",
    measure=m.knee_to_foot_width, limit=0.7, major=0.55, direction="below", unit="ratio",
    views=FRONTAL, landmarks=("knee", "foot_index"), sided=False,
    why="Knees drawing together inside the feet at the bottom of a squat load the knee medially.",
    source="Knee/feet width at the bottom of correct front-view squats: p1 0.7, median 0.8 (labelled "
           "landmark set, footage.md); FMS: knees aligned over the feet.")

FORWARD_LEAN = Rule(
    code="forward_lean", cue="Chest up: keep your back parallel to your shins.",
    measure=m.trunk_ahead_of_shin, limit=25.0, major=35.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip", "knee", "ankle"),
    why="A chest that drops far ahead of the shins shifts the load to the low back.",
    source="FMS: torso parallel to tibia; heuristic 15 deg widened to 25 deg for the 5-7 deg "
           "error of side-view pose angles (biomechanics.md section 9) (L).")

HEEL_LIFT = Rule(
    code="heel_lift", cue="Keep your heels down: push through the whole foot.",
    measure=m.heel_rise, limit=0.05, major=0.1, direction="above", unit="leg",
    views=SAGITTAL, landmarks=("heel", "foot_index"),
    why="Heels rising shift the weight onto the toes and the knees.",
    source="FMS deep squat: heels down; heel rise > 2% of leg length (biomechanics.md section 1, L), "
           "raised to 5% for landmark noise: on the labelled clips flat-footed squats read up to "
           "0.046, the labelled heel lift 0.08.")

KNEE_PAST_TOES = Rule(
    code="knee_past_toes", cue="Sit back into your hips so the knees stay near your toes.",
    measure=ms.knee_past_toes, limit=0.3, direction="above", unit="foot",
    views=SAGITTAL, landmarks=("knee", "heel", "foot_index"), requires="heel_lift",
    why="A cue of the runners' routine, not a fault by itself (Fry 2003): reported as minor advice, "
        "and only when the heels lift too.",
    source="KT > 0.3 foot lengths (biomechanics.md section 1, informational, L): only reported with "
           "heel lift (section 1); never major.")

SQUAT = Exercise(
    id="squat", name="Squat", driver=HIP_DROP,
    rep_spec=RepSpec(rom_prior=0.4, min_excursion=0.1, min_duration_s=0.4),
    rules=(SHALLOW_DEPTH, KNEES_INSIDE_FEET, FORWARD_LEAN, HEEL_LIFT, KNEE_PAST_TOES),
    per_leg=False, working_leg=None, best_views=frozenset({"side", "front"}),
    prescription="3 x 10-12", rep_range=(10, 12), aliases=("bodyweight_squat", "back_squat"),
    description="Feet shoulder-width, sit back, chest up, down to thigh-parallel, drive up.",
    min_knee_bend_deg=KNEE_BEND_REP_DEG)
