"""The coach's view: their athletes, and each athlete's trends per leg over time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import CurrentCoach, SessionDep
from api.models import Analysis, User
from api.routers.analyses import reviews_of
from api.schemas import summary

router = APIRouter(prefix="/api/coach", tags=["coach"])


class AthleteOut(BaseModel):
    id: int
    email: str
    clips: int
    done: int
    last_clip_at: datetime | None
    open_faults: int


class TrendPoint(BaseModel):
    """One finished clip: per-leg reps and (not dismissed) faults, and the report's symmetry."""

    analysis_id: str
    created_at: datetime
    exercise: str
    exercise_name: str
    reps: dict[str, int]
    faults: dict[str, int]
    reps_lsi: float | None
    verdict: str | None
    metrics: dict[str, dict[str, float]]


def _athlete(session: SessionDep, coach: User, athlete_id: int) -> User:
    athlete = session.get(User, athlete_id)
    if athlete is None or athlete.coach_id != coach.id:
        raise HTTPException(404, "no such athlete")
    return athlete


@router.get("/athletes", response_model=list[AthleteOut])
def athletes(coach: CurrentCoach, session: SessionDep) -> list[AthleteOut]:
    out = []
    for athlete in session.scalars(select(User).where(User.coach_id == coach.id)
                                   .order_by(User.email)):
        rows = list(session.scalars(select(Analysis).where(Analysis.owner_id == athlete.id)))
        done = [r for r in rows if r.status == "done"]
        open_faults = sum(summary(r, reviews_of(session, r.id))["fault_count"] or 0 for r in done)
        out.append(AthleteOut(id=athlete.id, email=athlete.email, clips=len(rows),
                              done=len(done), open_faults=open_faults,
                              last_clip_at=max((r.created_at for r in rows), default=None)))
    return out


def _point(row: Analysis, session: SessionDep) -> TrendPoint:
    s = summary(row, reviews_of(session, row.id))
    report: dict[str, Any] = row.report or {}
    sym = report.get("asymmetry") or {}
    if s["reps_by_side"]:
        reps = {k: int(v) for k, v in s["reps_by_side"].items()}
    else:
        reps = {"both": int(s["rep_count"] or 0)}
    return TrendPoint(
        analysis_id=row.id, created_at=row.created_at, exercise=row.exercise,
        exercise_name=s["exercise_name"], reps=reps, faults=s["faults_by_side"] or {},
        reps_lsi=sym.get("reps_lsi"), verdict=sym.get("verdict"),
        metrics=sym.get("metrics") or {})


@router.get("/athletes/{athlete_id}/trends", response_model=list[TrendPoint])
def trends(athlete_id: int, coach: CurrentCoach, session: SessionDep,
           exercise: str | None = None) -> list[TrendPoint]:
    """Finished clips of one athlete, oldest first, with per-leg numbers for trend charts."""
    athlete = _athlete(session, coach, athlete_id)
    query = select(Analysis).where(Analysis.owner_id == athlete.id, Analysis.status == "done")
    if exercise:
        query = query.where(Analysis.exercise == exercise)
    return [_point(r, session) for r in session.scalars(query.order_by(Analysis.created_at))]
