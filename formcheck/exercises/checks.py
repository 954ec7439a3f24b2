"""The rules several exercises share, each defined once.

An exercise module takes these as they are or with its own cue or limit (`dataclasses.replace`),
and defines the rules only it needs; no exercise module imports another. What each fault code
means to people, and each measure's uncertainty, are in the fault catalogue (formcheck.faults).
"""

from formcheck.exercises import measures as ms
from formcheck.exercises.base import FRONTAL, SAGITTAL, SAGITTAL_WIDE, Rule
from formcheck.reps import RepSpec

SHALLOW_DEPTH = Rule(
    code="shallow_depth", cue="Sit lower: get your thighs to parallel.",
    measure=ms.thigh_angle_at_bottom, limit=15.0, major=30.0, direction="above", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("hip", "knee"),
    why="Partial squats load the knee without training the hips through range.",
    source="FMS deep squat: femur below horizontal (TA < 0). The BlazePose hip is the joint centre, "
           "which sits above the hip crease: limit TA > 15 deg (L, tuned on the labelled clips).")


KNEE_VALGUS = Rule(
    code="knee_valgus", cue="Knees out: keep them over your toes.",
    measure=ms.knee_valgus, limit=12.0, major=16.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="Knees caving in load the patellofemoral joint and the ACL.",
    source="FPPA norms in the single-leg squat: > 12-13 deg (F) excessive, > 16 deg PFP-like "
           "(Herrington 2014); 2D SDD 7.5-8.9 deg (Munro 2012). Depth-corrected, worst over the "
           "bent half of the rep against the straight leg.")


TRUNK_AHEAD_OF_SHIN = Rule(
    code="forward_lean", cue="Chest up: keep your back parallel to your shins.",
    measure=ms.trunk_ahead_of_shin, limit=25.0, major=35.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip", "knee", "ankle"),
    why="A chest that drops far ahead of the shins shifts the load to the low back.",
    source="FMS: torso parallel to tibia; heuristic 15 deg widened to 25 deg for the 5-7 deg "
           "error of side-view pose angles (biomechanics.md section 9) (L).")


HEEL_LIFT = Rule(
    code="heel_lift", cue="Keep your heels down: push through the whole foot.",
    measure=ms.heel_rise, limit=0.05, major=0.1, direction="above", unit="leg",
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


STANCE_PELVIC_DROP = Rule(
    code="pelvic_drop", cue="Keep your hips level: squeeze the standing-side glute.",
    measure=ms.pelvic_drop, limit=5.0, major=10.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip",), sided=False,
    why="Contralateral pelvic drop signals weak hip abductors, linked to running injuries.",
    source="Heuristic PO > 5 deg above standing (L); +1 deg drop raised injury odds ~80% in running "
           "(Bramah 2018).")


FRONT_KNEE_VALGUS = Rule(
    code="knee_valgus", cue="Keep your front knee over your second toe.",
    measure=ms.knee_valgus, limit=12.0, major=16.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="A front knee caving in loads the patellofemoral joint in every step.",
    source="Single-leg FPPA norms, > 12-13 deg excessive, > 16 PFP-like (Herrington 2014; "
           "biomechanics.md 6b: use the section 1 thresholds); 2D SDD 7.5-8.9 deg (Munro 2012). "
           "Depth-corrected: at depth the thigh points at the camera and the plain FPPA of its "
           "short image stops meaning anything.")


# Lunges cut on hip height: a lunge drops the hips about a third of a leg length.
LUNGE_SPEC = RepSpec(rom_prior=0.3, min_excursion=0.1, min_duration_s=0.6)


SHALLOW_HINGE = Rule(
    code="shallow_hinge", cue="Hinge further: bring your chest toward the floor.",
    measure=ms.trunk_at_bottom, limit=45.0, major=30.0, direction="below", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip"), sided=False,
    why="A barely tilted trunk does not load the hamstrings and glutes.",
    source="Monnier 2012 single-leg lean test target 45 deg (L-M).")


HINGE_SPINE_FLEXION = Rule(
    code="spine_flexion", cue="Keep your back flat: push the hips back, chest proud.",
    measure=ms.hinge_chord_shortening, limit=0.11, major=0.16, direction="above", unit="ratio",
    views=SAGITTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Lifting with a rounded back loads the lumbar discs (reported as possible rounding: 2D "
        "video cannot separate pelvic tilt from spinal flexion).",
    source="Trunk-chord shortening > 7% of the upright length (biomechanics.md sections 2 and 6d, "
           "L), raised to 11% on the labelled clips: clean pulls from the floor reach 8.5% as the "
           "bar draws the shoulders down and forward.")


LOW_KNEE_DRIVE = Rule(
    code="low_knee_drive", cue="Drive the free knee up to hip height: the running position.",
    measure=ms.knee_drive, limit=70.0, major=55.0, direction="below", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee"), sided=False,
    why="The knee drive rehearses the running position; a low thigh skips it.",
    source="Running position: thigh at or above horizontal (hip flexion >= 80-90 deg); flag "
           "thigh elevation < 70 deg (biomechanics.md section 5, L).")


BRIDGE_LOCKOUT = Rule(
    code="incomplete_lockout", cue="Drive your hips up until shoulders, hips and knees line up.",
    measure=ms.hip_extension_at_top, limit=160.0, major=150.0, direction="below", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip", "knee"),
    why="Stopping short of the line leaves the glutes untrained at their shortest.",
    source="Target HE >= 170 deg at the top (biomechanics.md section 3); limit 160 for the 5-10 deg "
           "bias of pose hip angles (section 9) (M).")


BRIDGE_ARCH = Rule(
    code="lumbar_hyperextension", cue="Don't arch: stop at the straight line, ribs down.",
    measure=ms.hip_extension_at_top, limit=195.0, major=205.0, direction="above", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip", "knee"),
    why="Pushing past the line comes from the low back, not the hips.",
    source="Heuristic HE > 190 deg (L), widened by 5 deg for pose error.")


BRIDGE_PELVIC_DROP = Rule(
    code="pelvic_drop", cue="Keep your hips level: don't let one side dip.",
    measure=ms.pelvic_drop, limit=7.0, major=10.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip",), sided=False,
    why="A hip dip shows the glute on the support side is not holding the pelvis.",
    source="Bridge with unilateral knee extension: MDC95 6.6 deg; flag >= 7, fail >= 10 "
           "(SLB endurance study) (M).")

THRUST_DEPTH = Rule(
    code="shallow_depth", cue="Lower your hips almost to the floor before driving up.",
    measure=ms.hip_extension_range, limit=25.0, major=15.0, direction="below", unit="deg",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip", "knee"),
    why="Half reps at the top skip the stretched range where the glutes work hardest.",
    source="Exercise instructions: lower the butt almost to the floor. A floor bridge from hips "
           "down to the straight line spans ~40 deg of shoulder-hip-knee angle; flag < 25 deg (L).")
