"""Pistol squat (routine 1): one-legged squat, free leg held forward; per leg."""

from dataclasses import replace

from formcheck.exercises import measures as ms
from formcheck.exercises.base import ANY_VIEW, FRONTAL, HIP_DROP, KNEE_BEND_REP_DEG, SAGITTAL, Exercise, Rule
from formcheck.exercises.checks import HEEL_LIFT, KNEE_VALGUS, SHALLOW_DEPTH, STANCE_PELVIC_DROP
from formcheck.reps import RepSpec

PISTOL_FORWARD_LEAN = Rule(
    code="forward_lean", cue="Lean less: keep your chest over your knee.",
    measure=ms.trunk_ahead_of_shin, limit=25.0, major=40.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip", "knee", "ankle"),
    why="Some lean balances a pistol; far more than the shin turns it into a hip hinge.",
    source="Khuu 2016; pistol: flag only a trunk far beyond the tibia (> 20 deg), widened by side-view "
           "pose error (L).")


LATERAL_LEAN = Rule(
    code="lateral_trunk_lean", cue="Stay tall: don't lean your trunk over the standing leg.",
    measure=ms.lateral_lean, limit=10.0, major=15.0, direction="above", unit="deg",
    views=FRONTAL, landmarks=("shoulder", "hip"), sided=False,
    why="Leaning over the stance leg off-loads weak hip abductors.",
    source="Dingenen 2014 (2D lateral trunk motion ICC 0.98); heuristic > 10 deg (L).")

TOO_FAST = Rule(
    code="too_fast", cue="Slow down: take two seconds on the way down.",
    measure=ms.eccentric_s, limit=0.8, major=0.5, direction="below", unit="s",
    views=ANY_VIEW, landmarks=("hip",), sided=False,
    why="Dropping into the bottom hides weakness and loads the knee abruptly.",
    source="SLS protocols ~5 s per rep (Herrington 2014); eccentric < 1.5-2 s flagged for training "
           "reps; 0.8 s kept to spare brisk but controlled reps (L).")

LOSS_OF_BALANCE = Rule(
    code="loss_of_balance", cue="Keep the free foot off the floor: control the bottom.",
    measure=ms.free_foot_clearance, limit=0.02, direction="below", unit="leg",
    views=SAGITTAL, landmarks=("ankle", "heel"), sided=False,
    why="A touch-down means the rep was supported by the other leg.",
    source="Free ankle at floor level (< 0.02 L_leg above the stance heel) fails the rep (Piva; "
           "Crossley 2011). Side view only: seen from the front the forward free leg projects low.")

PISTOL_SQUAT = Exercise(
    id="pistol_squat", name="Pistol squat", driver=HIP_DROP,
    rep_spec=RepSpec(rom_prior=0.45, min_excursion=0.12, min_duration_s=0.4),
    rules=(KNEE_VALGUS, replace(SHALLOW_DEPTH, cue="Go lower: thigh parallel to the floor."),
           PISTOL_FORWARD_LEAN, TOO_FAST, STANCE_PELVIC_DROP, LATERAL_LEAN, HEEL_LIFT,
           LOSS_OF_BALANCE),
    per_leg=True, working_leg="bent_knee", best_views=frozenset({"front", "side"}),
    prescription="5-10 per leg", rep_range=(5, 10), aliases=("single_leg_squat",),
    description="One-legged squat, free leg forward, knee over the second toe, slow and controlled.",
    min_knee_bend_deg=KNEE_BEND_REP_DEG)
