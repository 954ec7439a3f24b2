"""Hot salsa (routine 1): weight overhead, step forward bringing it down to the front knee, rise
onto that leg into the runner position while pressing it back overhead; alternate legs.

Reps are cut on the height of the hands below the hips (overhead to the knee and back); the
working leg is the one that steps forward and is stood on at the finish.
"""

from dataclasses import replace

import numpy as np

from formcheck import geometry as g
from formcheck.exercises import measures as ms
from formcheck.exercises.base import ANY_VIEW, Driver, Exercise, Rule
from formcheck.exercises.checks import HINGE_SPINE_FLEXION, KNEE_VALGUS, LOW_KNEE_DRIVE
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec


def hands_down(seq: PoseSequence, scale: float) -> np.ndarray:
    """Height of the hip midpoint above the wrist midpoint, in leg lengths (grows as the weight
    comes down from overhead)."""
    return (g.mid(seq, "wrist")[:, 1] - g.mid(seq, "hip")[:, 1]) / scale


LOSS_OF_BALANCE = Rule(
    code="loss_of_balance", cue="Plant the front foot and rise on it without shuffling.",
    measure=ms.stance_shift_after_bottom, limit=0.06, direction="above", unit="leg",
    views=ANY_VIEW, landmarks=("foot_index",),
    why="A foot that shuffles or hops as you rise means balance was lost on the working leg.",
    source="Stance toe displacement > 0.03 L_leg (biomechanics.md sections 1-2), doubled for "
           "the noise of a foot that has just stepped (L).")

HANDS_DOWN = Driver("hands_down", hands_down, "hands below the hips (leg lengths)")

HOT_SALSA = Exercise(
    id="hot_salsa", name="Hot salsa", driver=HANDS_DOWN,
    # Overhead to the front knee moves the hands about one and a half leg lengths.
    rep_spec=RepSpec(rom_prior=1.2, min_excursion=0.5, min_duration_s=0.8),
    rules=(
        replace(HINGE_SPINE_FLEXION, cue="Keep your back straight as the weight comes down."),
        replace(KNEE_VALGUS, cue="Keep the front knee over your toes as you shift onto it."),
        LOSS_OF_BALANCE,
        replace(LOW_KNEE_DRIVE, cue="Finish in the runner position: knee up to hip height."),
    ),
    per_leg=True, working_leg="step", best_views=frozenset({"side", "front"}),
    prescription="10-20 in total", rep_range=(5, 10),
    description="Weight overhead; step forward bringing it down to the front knee, rise onto that "
                "leg with the other knee driven up while pressing it back overhead; alternate.",
    signals=("knee_flexion", "hip_flexion", "trunk_inclination"))
