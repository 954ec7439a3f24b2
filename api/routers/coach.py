"""The coach's view: their athletes, and each athlete's trends per leg over time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import MAX_DB_INT, CurrentCoach, SessionDep, athletes_of, is_coach_of
from api.models import Analysis, User
from api.routers.analyses import reviews_of
from api.schemas import summary

router = APIRouter(prefix="/api/coach", tags=["coach"],
                   responses={401: {"description": "not signed in"},
                              403: {"description": "not a coach"}})

AthleteId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]


class RequestOut(BaseModel):
    """An athlete who asked to join this coach and waits for an answer."""

    id: int
    email: str


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
    prescription: str | None = None  # "5-10 per leg: left leg short (2 of 5)"


def _athlete(session: SessionDep, coach: User, athlete_id: int) -> User:
    athlete = session.get(User, athlete_id)
    if athlete is None or not is_coach_of(coach, athlete):
        raise HTTPException(404, "no such athlete")
    return athlete


def _requester(session: SessionDep, coach: User, athlete_id: int) -> User:
    athlete = session.get(User, athlete_id)
    if athlete is None or athlete.coach_id != coach.id or athlete.coach_status != "pending":
        raise HTTPException(404, "no such request")
    return athlete


@router.get("/requests", response_model=list[RequestOut])
def requests(coach: CurrentCoach, session: SessionDep) -> list[RequestOut]:
    """Athletes who asked to join this coach; they share nothing until accepted."""
    rows = session.scalars(select(User).where(User.coach_id == coach.id,
                                              User.coach_status == "pending")
                           .order_by(User.email))
    return [RequestOut(id=a.id, email=a.email) for a in rows]


@router.post("/requests/{athlete_id}/accept", response_model=RequestOut,
             responses={404: {"description": "no such request"}})
def accept(athlete_id: AthleteId, coach: CurrentCoach, session: SessionDep) -> RequestOut:
    """Accept an athlete's request: their clips become visible to this coach."""
    athlete = _requester(session, coach, athlete_id)
    athlete.coach_status = "accepted"
    session.commit()
    return RequestOut(id=athlete.id, email=athlete.email)


@router.delete("/requests/{athlete_id}", status_code=204,
               responses={404: {"description": "no such request"}})
def decline(athlete_id: AthleteId, coach: CurrentCoach, session: SessionDep) -> Response:
    """Decline an athlete's request."""
    athlete = _requester(session, coach, athlete_id)
    athlete.coach_id = athlete.coach_status = athlete.coach_request = None
    session.commit()
    return Response(status_code=204)


@router.delete("/athletes/{athlete_id}", status_code=204,
               responses={404: {"description": "no such athlete"}})
def remove_athlete(athlete_id: AthleteId, coach: CurrentCoach, session: SessionDep) -> Response:
    """Stop coaching an athlete: the coach no longer sees their clips."""
    athlete = session.get(User, athlete_id)
    if athlete is None or athlete.coach_id != coach.id:
        raise HTTPException(404, "no such athlete")
    athlete.coach_id = athlete.coach_status = athlete.coach_request = None
    session.commit()
    return Response(status_code=204)


@router.get("/athletes", response_model=list[AthleteOut])
def athletes(coach: CurrentCoach, session: SessionDep) -> list[AthleteOut]:
    out = []
    for athlete in session.scalars(athletes_of(coach).order_by(User.email)):
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
        metrics=sym.get("metrics") or {}, prescription=_prescription(report))


def _prescription(report: dict[str, Any]) -> str | None:
    p = report.get("prescription") or {}
    return f"{p['text']}: {p.get('status') or ''}".rstrip(": ") if p.get("text") else None


@router.get("/athletes/{athlete_id}/trends", response_model=list[TrendPoint],
            responses={404: {"description": "no such athlete"}})
def trends(athlete_id: AthleteId, coach: CurrentCoach, session: SessionDep,
           exercise: Annotated[str | None, Query(max_length=64)] = None) -> list[TrendPoint]:
    """Finished clips of one athlete, oldest first, with per-leg numbers for trend charts (single
    clips: a session's sets are of several exercises; its page compares the legs across them)."""
    athlete = _athlete(session, coach, athlete_id)
    query = select(Analysis).where(Analysis.owner_id == athlete.id, Analysis.status == "done",
                                   Analysis.kind == "clip")
    if exercise:
        query = query.where(Analysis.exercise == exercise)
    return [_point(r, session) for r in session.scalars(query.order_by(Analysis.created_at))]
