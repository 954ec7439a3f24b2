"""Lunges (routine 2): forward / reverse / walking lunge, Bulgarian split squat, lateral lunge.

Every rep is judged on the front (working) leg; reps are reported per leg.
"""

from dataclasses import replace

from formcheck.exercises import measures as ms
from formcheck.exercises.base import FRONTAL, HIP_DROP, KNEE_BEND_REP_DEG, SAGITTAL, Exercise, Rule
from formcheck.exercises.checks import FRONT_KNEE_VALGUS, HEEL_LIFT, LUNGE_SPEC, SHALLOW_DEPTH
from formcheck.exercises.checks import KNEE_PAST_TOES as SQUAT_KNEE_PAST_TOES

SHALLOW_DEPTH_KNEE = Rule(
    code="shallow_depth", cue="Sink lower: front knee to about 90 degrees.",
    measure=ms.peak_knee_flexion, limit=75.0, major=60.0, direction="below", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee", "ankle"),
    why="A shallow lunge trains neither the front-leg quadriceps nor the glutes through range.",
    source="Coaching target ~90/90; flag front-knee flexion < 75 deg (biomechanics.md 6b, L). "
           "Side view only: from the labelled front-oblique clips clean lunges read 38-70 deg.")


LUNGE_FORWARD_LEAN = Rule(
    code="forward_lean", cue="Stay tall: chest up over your hips.",
    measure=ms.trunk_at_bottom, limit=45.0, major=60.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Some lean is a valid glute-biased variant; far more turns the lunge into a hinge.",
    source="Farrokhi 2008 (moderate lean raises glute work); flag forward TI > 45 deg "
           "(biomechanics.md 6b, L).")

# The same informational cue as the squat's, for the front knee: only with the front heel lifting
# (biomechanics.md sections 1 and 6b: knee travel is not a fault by itself, Fry 2003). With the rear
# foot up on a bench, the front heel is the only one on the floor.
KNEE_PAST_TOES = replace(
    SQUAT_KNEE_PAST_TOES, cue="Sit back a little so the front knee stays near your toes.")

FRONT_HEEL_LIFT = replace(HEEL_LIFT, cue="Keep the front heel down: push through it.")

LATERAL_LEAN = Rule(
    code="lateral_trunk_lean", cue="Keep your trunk upright: don't lean to the side.",
    measure=ms.lateral_lean, limit=10.0, major=15.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Leaning sideways off-loads the front hip's abductors and shifts weight off the leg.",
    source="Flag lateral lean > 10 deg (biomechanics.md 6b, L); 2D lateral trunk ICC 0.98 "
           "(Dingenen 2014).")


LUNGE = Exercise(
    id="lunge", name="Lunge", driver=HIP_DROP, rep_spec=LUNGE_SPEC,
    # No heel-lift or knee-past-toes check: in a lunge the rear heel lifts by design, and seen
    # side-on the pose model swaps the two feet as they pass, so a front heel lift cannot be told
    # from the rear one, and knee travel is only reported together with a heel lift.
    rules=(SHALLOW_DEPTH_KNEE, FRONT_KNEE_VALGUS, LUNGE_FORWARD_LEAN, LATERAL_LEAN),
    per_leg=True, working_leg="front", best_views=frozenset({"side", "front"}),
    prescription="3 x 12 per leg", rep_range=(12, 12),
    aliases=("forward_lunge", "reverse_lunge", "split_squat", "static_lunge"),
    description="Step forward and lower until both knees are at 90 deg; push through the front "
                "heel back to the start.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"), min_knee_bend_deg=KNEE_BEND_REP_DEG)

WALKING_LUNGE = replace(
    LUNGE, id="walking_lunge", name="Walking lunge", aliases=(),
    description="Lunges stepping forward each rep, alternating legs; both knees to 90 deg.")

BULGARIAN_SPLIT_SQUAT = Exercise(
    id="bulgarian_split_squat", name="Bulgarian split squat", driver=HIP_DROP,
    rep_spec=LUNGE_SPEC,
    rules=(replace(SHALLOW_DEPTH, cue="Lower until your front thigh is parallel."),
           FRONT_KNEE_VALGUS, LUNGE_FORWARD_LEAN, FRONT_HEEL_LIFT, KNEE_PAST_TOES),
    per_leg=True, working_leg="front", best_views=frozenset({"side", "front"}),
    prescription="3 x 10 per leg", rep_range=(10, 10),
    aliases=("rear_foot_elevated_split_squat",),
    description="Rear foot on a bench behind; lower until the front thigh is parallel, chest up.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"), min_knee_bend_deg=KNEE_BEND_REP_DEG)

LATERAL_SHALLOW = Rule(
    code="shallow_depth", cue="Sit deeper into the bent leg.",
    measure=ms.peak_knee_flexion, limit=60.0, major=45.0, direction="below", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="A lateral lunge that barely bends the knee does not load the adductors and glutes.",
    source="No published norm (L): clean lateral lunges in the labelled clips reach 70-80 deg of "
           "knee flexion, a shallow one 40-50 deg; limit 60 deg between them.")

LATERAL_KNEE_IN = Rule(
    code="knee_valgus", cue="Push the bent knee out over your toes.",
    measure=ms.knee_inside_foot, limit=0.05, major=0.1, direction="above", unit="leg",
    views=FRONTAL, landmarks=("hip", "knee", "foot_index"),
    why="In a side lunge the knee flexes in the frontal plane, so FPPA reads the bend itself; a "
        "knee drifting inside the foot is the collapse.",
    source="Knee medial to the second toe (Piva 2006 lateral step-down scoring; 2D valgus 11.6 vs "
           "5.0 deg for knee-over-foot, Ageberg 2010; biomechanics.md section 1, M): 0.05 leg "
           "lengths (~4 cm) beyond the start offset for landmark noise (L).")

LATERAL_LUNGE = Exercise(
    id="lateral_lunge", name="Lateral lunge", driver=HIP_DROP, rep_spec=LUNGE_SPEC,
    rules=(LATERAL_SHALLOW, LATERAL_KNEE_IN),
    per_leg=True, working_leg="bent_knee", best_views=frozenset({"front"}),
    prescription="3 x 10 per leg", rep_range=(10, 10), aliases=("side_lunge",),
    description="Wide stance; sit into one leg with the other straight, knee over the toes.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"), min_knee_bend_deg=KNEE_BEND_REP_DEG)
