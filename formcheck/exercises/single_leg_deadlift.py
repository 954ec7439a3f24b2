"""Single-leg Romanian deadlift (routines 1 and 2): hinge on one leg, free leg extends behind."""

from formcheck.exercises import measures as ms
from formcheck.exercises.base import ANY_VIEW, SAGITTAL, TRUNK_DROP, Exercise, Rule
from formcheck.exercises.checks import SHALLOW_HINGE
from formcheck.reps import RepSpec

SPINE_FLEXION = Rule(
    code="spine_flexion", cue="Hinge from the hip: keep your back long and flat.",
    measure=ms.trunk_chord_shortening, limit=0.07, major=0.12, direction="above", unit="ratio",
    views=SAGITTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Rounding the back instead of hinging loads the lumbar discs (reported as possible rounding:"
        " 2D video cannot separate pelvic tilt from spinal flexion).",
    source="Trunk-chord shortening > 7% of standing length (L); < 4% is within landmark noise.")

STANCE_KNEE_BEND = Rule(
    code="stance_knee_bend", cue="Keep the standing knee soft but nearly straight: hinge, don't squat.",
    measure=ms.stance_knee_flexion, limit=40.0, major=55.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee", "ankle"),
    why="A deep knee bend turns the hinge into a squat and takes the hamstrings out.",
    source="RDL coaching norm 15-30 deg soft knee; flag KF > 40 deg (L).")


FREE_LEG_MISALIGNED = Rule(
    code="free_leg_misaligned", cue="Reach the back leg long, in line with your trunk.",
    measure=ms.free_leg_line, limit=150.0, major=135.0, direction="below", unit="deg",
    views=SAGITTAL, landmarks=("hip", "ankle"), sided=False,
    why="A dropped back leg breaks the hinge line and the balance.",
    source="Monnier 2012: rear leg in line with the body; heuristic < 160 deg widened to 150 for pose "
           "error (L-M).")

LOSS_OF_BALANCE = Rule(
    code="loss_of_balance", cue="Root the standing foot: move slowly and stay balanced.",
    measure=ms.stance_foot_shift, limit=0.12, direction="above", unit="leg",
    views=ANY_VIEW, landmarks=("foot_index",),
    why="A stance foot that shifts or hops means balance was lost.",
    source="Stance toe displacement > 0.03 L_leg (biomechanics.md section 2, L). Raised to 0.12: a "
           "rendered figure with its stance foot fixed reads up to 0.105 (the model's toe estimate "
           "moves as the body tips over it); clean real clips read 0.02-0.03.")

SINGLE_LEG_DEADLIFT = Exercise(
    id="single_leg_deadlift", name="Single-leg deadlift", driver=TRUNK_DROP,
    rep_spec=RepSpec(rom_prior=0.45, min_excursion=0.1, min_duration_s=0.8),
    rules=(SPINE_FLEXION, STANCE_KNEE_BEND, SHALLOW_HINGE, FREE_LEG_MISALIGNED, LOSS_OF_BALANCE),
    per_leg=True, working_leg="stance", best_views=frozenset({"side"}),
    prescription="8-12 per leg", rep_range=(8, 12), aliases=("single_leg_rdl", "sl_rdl"),
    description="On one leg, hinge from the hip with the free leg extending behind; back straight.",
    signals=("trunk_inclination", "knee_flexion", "hip_flexion"))
