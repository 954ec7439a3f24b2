"""Two-legged hinges: deadlift (routine 2, from the floor) and Romanian deadlift (from standing).

Both are cut on shoulder height (leg lengths), which rises and falls with every pull whether the
lift is hinged or squatted, and reads alike from the side, the front or an oblique view. A
deadlift rep starts at the floor (pull to lockout, lower back down), so its driver grows as the
shoulders rise, unless the set starts at lockout (lower, then pull): then the reps are cut the
other way round; a Romanian deadlift starts standing, so its driver grows as they drop. The rules
find the deepest and most upright frames from the movement, so they read either rep alike. Both
legs work together: leg rules read each leg that is seen well enough.
"""

from dataclasses import replace

import numpy as np

from formcheck import geometry as g
from formcheck.exercises import measures as ms
from formcheck.exercises.base import SAGITTAL, SAGITTAL_WIDE, Driver, Exercise, Rule
from formcheck.exercises.checks import HINGE_SPINE_FLEXION
from formcheck.exercises.checks import SHALLOW_HINGE as SL_SHALLOW_HINGE
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec

KNEE_DOMINANT = Rule(
    code="knee_dominant", cue="Hinge, don't squat: hips back, shins near vertical.",
    measure=ms.knee_at_deepest_hinge, limit=115.0, major=130.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("hip", "knee", "ankle"),
    why="Squatting the lift moves the work from the hamstrings and glutes to the quadriceps.",
    source="No published limit (L): a conventional pull starts near 60-90 deg of knee flexion "
           "and clean pulls in the labelled clips read up to 99 deg at the floor; 115 deg leaves "
           "the 10 deg side-view pose error of section 9 above that.")

INCOMPLETE_LOCKOUT = Rule(
    code="incomplete_lockout", cue="Finish tall: squeeze the glutes, hips through.",
    measure=ms.lockout_flexion, limit=20.0, major=30.0, direction="above", unit="deg",
    views=SAGITTAL, landmarks=("shoulder", "hip", "knee", "ankle"),
    why="Stopping short of lockout leaves the glutes' finishing range untrained.",
    source="Hip and knee within 10 deg of straight at the top (biomechanics.md section 5 lockout "
           "heuristic, L) plus 10 deg for side-view pose error (section 9).")

HIPS_RISE_FIRST = Rule(
    code="hips_rise_first", cue="Lift the chest and hips together: push the floor away.",
    measure=ms.hip_lead_ratio, limit=1.5, major=2.5, direction="above", unit="ratio",
    views=SAGITTAL_WIDE, landmarks=("shoulder", "hip"), sided=False,
    why="Hips shooting up first turns the pull into a stiff-legged lift on a flexed back.",
    source="Hip over shoulder rise in the first 30% of the lift > 1.5 (biomechanics.md 6d, L).")


def shoulder_rise(seq: PoseSequence, scale: float) -> np.ndarray:
    """Mid-shoulder height, in leg lengths (grows as the lifter stands up with the weight)."""
    return -g.mid(seq, "shoulder")[:, 1] / scale


def shoulder_drop(seq: PoseSequence, scale: float) -> np.ndarray:
    """Negated shoulder_rise: grows as the trunk tips forward and down."""
    return -shoulder_rise(seq, scale)


SHOULDERS_UP = Driver("shoulders_up", shoulder_rise, "shoulder height (leg lengths)")
SHOULDERS_DOWN = Driver("shoulders_down", shoulder_drop, "shoulder drop (leg lengths)")

# From the floor to lockout the shoulders rise about half a leg length; a Romanian deadlift to
# near horizontal lowers them about as much.
HINGE_SPEC = RepSpec(rom_prior=0.45, min_excursion=0.15, min_duration_s=0.8)

DEADLIFT = Exercise(
    id="deadlift", name="Deadlift", driver=SHOULDERS_UP, reverse_driver=SHOULDERS_DOWN,
    rep_spec=HINGE_SPEC,
    rules=(HINGE_SPINE_FLEXION, KNEE_DOMINANT, INCOMPLETE_LOCKOUT, HIPS_RISE_FIRST),
    per_leg=False, working_leg=None, best_views=frozenset({"side"}),
    prescription="3 x 8-10", rep_range=(8, 10),
    aliases=("conventional_deadlift", "barbell_deadlift"),
    description="Feet hip-width, weight in front; hinge at the hips with a straight back, lift to "
                "lockout and lower under control.",
    signals=("trunk_inclination", "knee_flexion", "hip_flexion"))

RDL_KNEE_BEND = replace(
    KNEE_DOMINANT, limit=40.0, major=55.0,
    cue="Soft knees only: push the hips back instead of bending the knees.",
    source="RDL coaching norm 15-30 deg soft knee; flag KF > 40 deg at the bottom "
           "(biomechanics.md section 2, L).")

# The trunk's deepest tilt over the rep, so it reads whichever end of the rep the bottom falls.
SHALLOW_HINGE = replace(SL_SHALLOW_HINGE, measure=ms.peak_trunk_inclination)

RDL_LOCKOUT = replace(
    INCOMPLETE_LOCKOUT, measure=ms.lockout_after,
    source=INCOMPLETE_LOCKOUT.source + " Read in the second after the rep, back at standing.")

ROMANIAN_DEADLIFT = replace(
    DEADLIFT, id="romanian_deadlift", name="Romanian deadlift", driver=SHOULDERS_DOWN,
    reverse_driver=None,
    # A hinge that stops at 30 deg of trunk tilt still lowers the shoulders ~0.08 leg lengths:
    # counted, so that shallow_hinge can judge it.
    rep_spec=replace(HINGE_SPEC, min_excursion=0.08),
    rules=(HINGE_SPINE_FLEXION, RDL_KNEE_BEND, SHALLOW_HINGE, RDL_LOCKOUT),
    aliases=("rdl", "stiff_leg_deadlift"),
    description="From standing, hinge at the hips with soft knees and a flat back, weight close "
                "to the legs, then drive the hips through to stand.")
