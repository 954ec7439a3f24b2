"""Service-level routes: health and the exercise catalogue."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import text

from api.deps import SessionDep
from formcheck import list_exercises

router = APIRouter(prefix="/api", tags=["service"])


class ExerciseOut(BaseModel):
    id: str
    name: str
    per_leg: bool
    best_views: list[str]
    prescription: str
    description: str
    aliases: list[str]


@router.get("/health")
def health(request: Request, session: SessionDep) -> dict[str, object]:
    """200 when the database answers; also says whether this server's own worker is running."""
    try:
        session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means not ready
        raise HTTPException(503, f"database unavailable: {exc}") from exc
    worker = request.app.state.worker
    return {
        "status": "ok",
        "queue": request.app.state.settings.queue_backend,
        "embedded_worker": None if worker is None else worker.alive,
    }


@router.get("/limits")
def limits(request: Request) -> dict[str, float]:
    """Upload limits, so pages can warn before sending a file that would be refused."""
    settings = request.app.state.settings
    return {"max_upload_mb": settings.max_upload_mb, "max_duration_s": settings.max_duration_s,
            "max_session_duration_s": settings.max_session_duration_s}


@router.get("/exercises", response_model=list[ExerciseOut])
def exercises() -> list[ExerciseOut]:
    return [
        ExerciseOut(id=ex.id, name=ex.name, per_leg=ex.per_leg, best_views=sorted(ex.best_views),
                    prescription=ex.prescription, description=ex.description,
                    aliases=list(ex.aliases))
        for ex in list_exercises()
    ]
