"""The explicit registry of exercises (no import-time discovery)."""

from __future__ import annotations

from formcheck.errors import UnknownExerciseError
from formcheck.exercises.base import Exercise
from formcheck.exercises.bridges import GLUTE_BRIDGE, WALKING_BRIDGE
from formcheck.exercises.pistol_squat import PISTOL_SQUAT
from formcheck.exercises.single_leg_deadlift import SINGLE_LEG_DEADLIFT
from formcheck.exercises.squat import SQUAT

EXERCISES: dict[str, Exercise] = {
    ex.id: ex
    for ex in (PISTOL_SQUAT, SINGLE_LEG_DEADLIFT, WALKING_BRIDGE, GLUTE_BRIDGE, SQUAT)
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
