"""Step-ups: front and side step-up with knee drive (routine 1), plain step-up (routine 2).

Reps are cut on hip height (the body rises by the box height) and judged on the leg that steps
onto the box; the other leg is the trailing / drive leg.
"""

from dataclasses import replace

from formcheck.exercises import measures as ms
from formcheck.exercises.base import FRONTAL, HIP_RISE, SAGITTAL, Exercise, Rule
from formcheck.exercises.checks import LOW_KNEE_DRIVE, STANCE_PELVIC_DROP
from formcheck.reps import RepSpec

STANCE_VALGUS = Rule(
    code="knee_valgus", cue="Drive the box knee out over your second toe as you step up.",
    measure=ms.step_up_valgus, limit=12.0, major=16.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("hip", "knee", "ankle"),
    why="The stance knee caving in on the way up loads the patellofemoral joint.",
    source="FPPA > 12-13 deg excessive, > 16 PFP-like (Herrington 2014; biomechanics.md section 5, "
           "M); depth-corrected, worst over the bent half of the step against the straight-leg top.")

STEP_UP_FORWARD_LEAN = Rule(
    code="forward_lean", cue="Step up tall: chest up, don't fold over the box.",
    measure=ms.peak_trunk_inclination, limit=40.0, major=55.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip"), sided=False,
    why="A moderate lean is fine; folding far forward hands the work to the back and trailing leg.",
    source="Flag TI > 30-40 deg only (biomechanics.md section 5, L); upper end taken.")

STEP_PELVIC_DROP = replace(
    STANCE_PELVIC_DROP, cue="Keep your hips level at the top: squeeze the box-side glute.",
    source="Step-down scoring counts any loss of a level pelvis (Piva 2006); PO > 5 deg above "
           "the rep start (biomechanics.md section 5, L).")


TRAILING_PUSHOFF = Rule(
    code="trailing_leg_pushoff", cue="Let the box leg do the work: don't spring off the back foot.",
    measure=ms.trailing_pushoff, limit=15.0, major=30.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("heel", "foot_index", "knee"), sided=False,
    why="Pushing off the trailing calf takes the work away from the stance leg.",
    source="Trailing heel pitch rising > 15 deg before the stance knee is half extended "
           "(biomechanics.md section 5, L); only frames with the trailing toe still down count.")

INCOMPLETE_LOCKOUT = Rule(
    code="incomplete_lockout", cue="Stand all the way up on the box: hip and knee straight.",
    measure=ms.lockout_flexion, limit=20.0, major=30.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip", "knee", "ankle"),
    why="Stopping short of full extension skips the glute's finishing range.",
    source="Stance KF and HF < 10 deg at the top (biomechanics.md section 5, L), plus 10 deg for "
           "side-view pose error (section 9).")

# The hips rise by the box height, usually a third to a half of a leg length.
STEP_SPEC = RepSpec(rom_prior=0.35, min_excursion=0.12, min_duration_s=0.8)

FRONT_STEP_UP = Exercise(
    id="front_step_up", name="Front step-up with knee drive", driver=HIP_RISE,
    rep_spec=STEP_SPEC,
    rules=(STANCE_VALGUS, STEP_UP_FORWARD_LEAN, STEP_PELVIC_DROP, LOW_KNEE_DRIVE, TRAILING_PUSHOFF,
           INCOMPLETE_LOCKOUT),
    per_leg=True, working_leg="step", best_views=frozenset({"side", "front"}),
    prescription="10-20 per leg", rep_range=(10, 20),
    aliases=("step_up_knee_drive", "step_up_with_knee_drive"),
    description="Step onto a platform, drive through the heel, bring the other knee up to the "
                "running position, stand tall, step down.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"))

SIDE_STEP_UP = replace(
    FRONT_STEP_UP, id="side_step_up", name="Side step-up with knee drive",
    aliases=("lateral_step_up",),
    description="As the front step-up, standing side-on to the platform.")

STEP_UP = replace(
    FRONT_STEP_UP, id="step_up", name="Step-up", aliases=("box_step_up",),
    rules=(STANCE_VALGUS, TRAILING_PUSHOFF, STEP_UP_FORWARD_LEAN, INCOMPLETE_LOCKOUT),
    prescription="3 x 12 per leg", rep_range=(12, 12),
    description="Step onto a sturdy bench with one foot driving through the heel; step down with "
                "the same foot; repeat on the other side.")
