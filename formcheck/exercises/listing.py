"""Exercises as plain data for `formcheck exercises --json` and the service."""

from __future__ import annotations

from typing import Any

from formcheck.exercises.base import Exercise


def exercise_dict(ex: Exercise) -> dict[str, Any]:
    """id, name, aliases, per_leg, views (best first: the views every rule can be read from),
    faults (the codes checked, in rule order) and the prescription (text and reps range)."""
    lo, hi = ex.rep_range
    return {
        "id": ex.id,
        "name": ex.name,
        "aliases": list(ex.aliases),
        "per_leg": ex.per_leg,
        "views": sorted(ex.best_views),
        "faults": list(dict.fromkeys(r.code for r in ex.rules)),
        "prescription": {"text": ex.prescription, "reps": [lo, hi], "per_leg": ex.per_leg},
        "description": ex.description,
    }
