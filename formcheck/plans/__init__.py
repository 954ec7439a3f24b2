"""Training plans as data: which exercises, how many sets, how many reps (per leg where per leg).

The plans FormCheck ships are the JSON files beside this module (routine 1, Workout A and Workout B
of exercises.md). A coach adds a plan without code: drop a JSON file of the same shape in a folder
named by FORMCHECK_PLANS_DIR (or pass its path wherever a plan id is asked for).

    {"id": "workout_a", "name": "...", "aliases": ["a"], "description": "...",
     "items": [{"exercise": "squat", "sets": 3, "reps": [10, 12], "per_leg": false}, ...]}

`sets` counts sets per leg for a per-leg item (3 sets per leg = 6 sets filmed); `reps` is the
prescribed range per set (per leg for a per-leg item).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.errors import FormcheckError, UnknownExerciseError
from formcheck.exercises.registry import get_exercise

PLANS_DIR = Path(__file__).resolve().parent
PLANS_ENV = "FORMCHECK_PLANS_DIR"


class PlanError(FormcheckError):
    """A plan file is malformed, names an unknown exercise, or the plan id is unknown."""


@dataclass(frozen=True)
class PlanItem:
    """One exercise of a plan: `sets` per leg when per_leg, `reps` = (min, max) per set (per leg)."""

    exercise: str
    sets: int
    reps: tuple[int, int]
    per_leg: bool

    @property
    def prescription(self) -> str:
        lo, hi = self.reps
        reps = f"{lo}" if lo == hi else f"{lo}-{hi}"
        return f"{self.sets} x {reps}" + (" per leg" if self.per_leg else "")

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "sets": self.sets, "reps": list(self.reps),
                "per_leg": self.per_leg, "prescription": self.prescription}


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    items: tuple[PlanItem, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""

    def item(self, exercise_id: str) -> PlanItem | None:
        return next((i for i in self.items if i.exercise == exercise_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "aliases": list(self.aliases),
                "description": self.description, "items": [i.to_dict() for i in self.items]}


def _item(raw: dict[str, Any], where: str) -> PlanItem:
    try:
        ex = get_exercise(str(raw["exercise"]))
        lo, hi = (int(v) for v in raw["reps"])
        sets = int(raw.get("sets", 1))
    except UnknownExerciseError as exc:
        raise PlanError(f"{where}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"{where}: each item needs an exercise and reps [min, max] ({exc!r})") from None
    if not 0 < lo <= hi or sets < 1:
        raise PlanError(f"{where}: {ex.id}: reps must be 0 < min <= max and sets at least 1")
    return PlanItem(ex.id, sets, (lo, hi), bool(raw.get("per_leg", ex.per_leg)))


def load_plan(path: str | Path) -> Plan:
    """A plan from its JSON file (PlanError with the file and the problem when malformed)."""
    p = Path(path)
    try:
        raw = json.loads(p.read_text())
        items = tuple(_item(it, f"{p.name} item {n + 1}") for n, it in enumerate(raw["items"]))
        plan = Plan(str(raw["id"]), str(raw.get("name", raw["id"])), items,
                    tuple(str(a) for a in raw.get("aliases", ())), str(raw.get("description", "")))
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise PlanError(f"{p}: not a plan file ({exc!r}); see `formcheck plans --json`") from None
    if not items:
        raise PlanError(f"{p}: a plan needs at least one item")
    return plan


def _folders() -> list[Path]:
    extra = os.environ.get(PLANS_ENV, "")
    return [PLANS_DIR, *(Path(d) for d in extra.split(os.pathsep) if d)]


def list_plans() -> list[Plan]:
    """Every plan shipped with FormCheck, then those in FORMCHECK_PLANS_DIR (later ids win)."""
    plans: dict[str, Plan] = {}
    for folder in _folders():
        for path in sorted(folder.glob("*.json")):
            plan = load_plan(path)
            plans[plan.id] = plan
    return list(plans.values())


def get_plan(name: str) -> Plan:
    """A plan by id, alias or path to a JSON file."""
    if name.endswith(".json") or os.sep in name:
        return load_plan(name)
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    for plan in list_plans():
        if key == plan.id or key in plan.aliases:
            return plan
    known = ", ".join(p.id for p in list_plans())
    raise PlanError(f"unknown plan {name!r}; known: {known} (or a path to a plan .json)")
