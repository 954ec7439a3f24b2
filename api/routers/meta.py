"""One metadata document for the pages: what the library knows, served once, read by every page.

Exercises with their signals and checks (names, units, rounding), fault titles, view names, the
left/right colours of the annotated video, the skeleton, the analysis stage names and status words,
and the visibility under which a joint is not drawn. The pages copy none of it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from formcheck import (
    COLOURS,
    VIEW_NAMES,
    VISIBILITY_THRESHOLD,
    exercise_meta,
    fault_titles,
    list_exercises,
    list_plans,
    signals_meta,
    skeleton_meta,
    units_meta,
)

router = APIRouter(prefix="/api", tags=["service"])

# What a person reads while a clip is analysed, by the stage the worker records (api/runner.py).
STAGE_NAMES: dict[str, str] = {
    "queued": "Waiting for a worker",
    "queued again after a restart": "Waiting for a worker (the service restarted)",
    "starting": "Starting",
    "pose": "Finding the body in each frame",
    "athlete": "Two people in frame: following the one exercising",
    "analysis": "Counting reps and checking form",
    "session": "Finding the sets, recognising and checking each",
    "video": "Drawing the annotated video",
    "done": "Done",
    "failed": "Failed",
    "rejected": "Could not be analysed",
}

STATUS_NAMES: dict[str, str] = {
    "queued": "waiting", "running": "analysing", "done": "done", "failed": "failed",
}


class Skeleton(BaseModel):
    landmark_names: list[str]
    connections: list[tuple[int, int]]


class PlanItemOut(BaseModel):
    exercise: str
    sets: int  # per leg for a per-leg item
    reps: list[int]  # [min, max] per set (per leg)
    per_leg: bool
    prescription: str


class PlanOut(BaseModel):
    """A training plan (formcheck/plans): what a session is checked against."""

    id: str
    name: str
    aliases: list[str]
    description: str
    items: list[PlanItemOut]


def plans() -> list[PlanOut]:
    return [PlanOut.model_validate(p.to_dict()) for p in list_plans()]


class Meta(BaseModel):
    exercises: list[dict[str, Any]]
    plans: list[PlanOut]
    faults: dict[str, str]
    signals: dict[str, dict[str, Any]]
    units: dict[str, dict[str, Any]]
    views: dict[str, str]
    colours: dict[str, str]
    skeleton: Skeleton
    stages: dict[str, str]
    statuses: dict[str, str]
    visibility_threshold: float


def skeleton() -> Skeleton:
    return Skeleton(**skeleton_meta())


def meta() -> Meta:
    return Meta(exercises=[exercise_meta(ex) for ex in list_exercises()], plans=plans(),
                faults=fault_titles(),
                signals=signals_meta(), units=units_meta(), views=VIEW_NAMES, colours=COLOURS,
                skeleton=skeleton(), stages=STAGE_NAMES, statuses=STATUS_NAMES,
                visibility_threshold=VISIBILITY_THRESHOLD)


@router.get("/plans", response_model=list[PlanOut])
def get_plans() -> list[PlanOut]:
    """The training plans a session can be checked against (POST /api/analyses `plan`)."""
    return plans()


@router.get("/meta", response_model=Meta)
def get_meta() -> Meta:
    """Names, units, colours and the skeleton the pages show (public: no personal data)."""
    return meta()
