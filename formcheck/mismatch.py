"""Does the movement in the clip look like the exercise it was analysed as?

Two measurements, both on the smoothed poses, neither a guess about which exercise it really is:

- posture (Exercise.posture): bridges and hip thrusts are done lying on the back (trunk near
  horizontal most of the clip); standing exercises on the feet. A clip whose trunk stays upright
  analysed as a bridge, or lying analysed as a squat, is flagged. A standing exercise whose body
  lay across the picture was turned upright (formcheck.pose.orientation: a phone on its side); when
  that finds no rep either, the clip may well be a lying exercise, and it is flagged too.
- movement without reps: the hips or knees clearly moved (several leg lengths' tenths, tens of
  degrees) but no rep of the chosen exercise was found.

Hinges (deadlifts, single-leg deadlifts, hot salsas) tilt the trunk to horizontal by design and are
left out of the posture check.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import Exercise
from formcheck.pose.sequence import PoseSequence

# Standing exercises that tilt the trunk to horizontal by design: no posture expectation.
HINGES = frozenset({"deadlift", "romanian_deadlift", "single_leg_deadlift", "hot_salsa"})

# Trunk inclination from vertical (deg): under UPRIGHT_DEG is on the feet, over LYING_DEG lying.
UPRIGHT_DEG = 40.0
LYING_DEG = 55.0
# Share of the detected frames that must contradict the exercise before it is flagged.
POSTURE_SHARE = 0.75
# Clear movement: hip height range (leg lengths) or knee bend range (deg), 5th to 95th percentile.
CLEAR_HIP_RANGE = 0.15
CLEAR_KNEE_RANGE = 40.0


def _spread(values: np.ndarray) -> float:
    v = values[np.isfinite(values)]
    if v.size < 3:
        return 0.0
    return float(np.percentile(v, 95) - np.percentile(v, 5))


def posture_mismatch(ex: Exercise, seq: PoseSequence) -> str | None:
    """A sentence when the body's posture contradicts the exercise, else None."""
    if ex.id in HINGES or ex.posture not in ("standing", "lying"):
        return None
    trunk = g.trunk_inclination(seq)
    trunk = trunk[np.isfinite(trunk)]
    if trunk.size < 10:
        return None
    upright = float(np.mean(trunk < UPRIGHT_DEG))
    lying = float(np.mean(trunk > LYING_DEG))
    if ex.posture == "lying" and upright >= POSTURE_SHARE:
        return (f"this does not look like a {ex.name.lower()}: the trunk stays upright in "
                f"{100 * upright:.0f}% of the clip, while a {ex.name.lower()} is done lying on "
                "the back. Check the exercise chosen; the reps and faults below assume it")
    if ex.posture == "standing" and lying >= POSTURE_SHARE:
        return (f"this does not look like a {ex.name.lower()}: the trunk is near horizontal in "
                f"{100 * lying:.0f}% of the clip, while a {ex.name.lower()} is done on your feet. "
                "Check the exercise chosen; the reps and faults below assume it")
    return None


def movement_without_reps(ex: Exercise, seq: PoseSequence, scale: float, n_reps: int) -> str | None:
    """A sentence when the body clearly moved but no rep of the exercise was found, else None."""
    if n_reps > 0:
        return None
    hip = _spread(g.mid(seq, "hip")[:, 1] / scale)
    knee = max(_spread(g.knee_flexion(seq, "left")), _spread(g.knee_flexion(seq, "right")))
    if hip < CLEAR_HIP_RANGE and knee < CLEAR_KNEE_RANGE:
        return None
    return (f"the body moved (hips through {hip:.2f} leg lengths, knees through {knee:.0f} deg) "
            f"but no {ex.name.lower()} rep was found: check the exercise chosen")


def turned_without_reps(ex: Exercise, n_reps: int, turns: int) -> str | None:
    """A standing exercise turned upright (the body lay across the picture) with no rep found."""
    if not turns or n_reps > 0:
        return None
    return (f"the body lay across the picture, so the clip was taken as filmed with the phone on "
            f"its side and turned upright, but no {ex.name.lower()} rep was found: if the "
            "exercise is done lying down (a bridge or a hip thrust), choose it")


def exercise_mismatch(ex: Exercise, seq: PoseSequence, scale: float, n_reps: int,
                      turns: int = 0) -> str | None:
    """The first reason to think the clip is not this exercise, or None. turns: quarter turns the
    poses were turned upright by (formcheck.pose.orientation)."""
    return (turned_without_reps(ex, n_reps, turns) or posture_mismatch(ex, seq)
            or movement_without_reps(ex, seq, scale, n_reps))
