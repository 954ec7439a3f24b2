"""The explicit registry of exercises (no import-time discovery).

Every exercise id of the routines (exercises.md) and the variants seen in the labelled footage is
listed here, with its aliases; an alias names the same exercise, never a different one.
"""

from __future__ import annotations

from formcheck.errors import UnknownExerciseError
from formcheck.exercises.base import Exercise
from formcheck.exercises.bridges import GLUTE_BRIDGE, HIP_THRUST, WALKING_BRIDGE
from formcheck.exercises.calf_raise import CALF_RAISE
from formcheck.exercises.hamstring_curl import HAMSTRING_CURL
from formcheck.exercises.hinges import DEADLIFT, ROMANIAN_DEADLIFT
from formcheck.exercises.hip_hike import HIP_HIKE
from formcheck.exercises.hot_salsa import HOT_SALSA
from formcheck.exercises.jumps import BOX_JUMP, JUMP_SQUAT, PLYOMETRIC_LUNGE
from formcheck.exercises.lunges import (
    BULGARIAN_SPLIT_SQUAT,
    LATERAL_LUNGE,
    LUNGE,
    WALKING_LUNGE,
)
from formcheck.exercises.pistol_squat import PISTOL_SQUAT
from formcheck.exercises.single_leg_deadlift import SINGLE_LEG_DEADLIFT
from formcheck.exercises.squat import SQUAT
from formcheck.exercises.step_ups import FRONT_STEP_UP, SIDE_STEP_UP, STEP_UP
from formcheck.exercises.thrusts import SINGLE_LEG_BRIDGE, SINGLE_LEG_HIP_THRUST

# Routine 1 (single-leg), routine 2 (leg workouts), extras, then footage variants.
EXERCISES: dict[str, Exercise] = {
    ex.id: ex
    for ex in (
        WALKING_BRIDGE, SINGLE_LEG_HIP_THRUST, HIP_HIKE, FRONT_STEP_UP, SIDE_STEP_UP,
        PISTOL_SQUAT, SINGLE_LEG_DEADLIFT, HOT_SALSA,
        SQUAT, LUNGE, WALKING_LUNGE, DEADLIFT, STEP_UP, CALF_RAISE, GLUTE_BRIDGE,
        BULGARIAN_SPLIT_SQUAT,
        BOX_JUMP, PLYOMETRIC_LUNGE, HAMSTRING_CURL,
        HIP_THRUST, SINGLE_LEG_BRIDGE, ROMANIAN_DEADLIFT, LATERAL_LUNGE, JUMP_SQUAT,
    )
}

ALIASES: dict[str, str] = {alias: ex.id for ex in EXERCISES.values() for alias in ex.aliases}


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise for an id or alias (case and dashes forgiven)."""
    key = exercise_id.strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    try:
        return EXERCISES[key]
    except KeyError:
        known = ", ".join(sorted(EXERCISES))
        raise UnknownExerciseError(f"unknown exercise {exercise_id!r}; known: {known}") from None


def list_exercises() -> list[Exercise]:
    return list(EXERCISES.values())
