"""Notes on a clip and the verdicts (confirm / dismiss) on its reported faults.

Reviews are stored beside the report, never in it: the report stays what the analysis produced.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.deps import MAX_DB_INT, AnalysisDep, CurrentUser, SessionDep
from api.models import FaultReview, Note, User
from api.routers.analyses import reviews_of
from api.schemas import FaultOut, flat_faults

router = APIRouter(prefix="/api/analyses/{analysis_id}", tags=["review"],
                   responses={401: {"description": "not signed in"},
                              403: {"description": "not yours to change"},
                              404: {"description": "no such analysis, note or fault"}})


FaultIndex = Annotated[int, Path(ge=0, le=MAX_DB_INT, description="the fault's `index`")]


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


class NoteOut(BaseModel):
    id: int
    author: str
    author_role: str
    text: str
    created_at: datetime


class ReviewIn(BaseModel):
    verdict: Literal["confirmed", "dismissed"]
    comment: str = Field(default="", max_length=2000)


def _note_out(note: Note) -> NoteOut:
    return NoteOut(id=note.id, author=note.author.email, author_role=note.author.role,
                   text=note.text, created_at=note.created_at)


@router.get("/notes", response_model=list[NoteOut])
def list_notes(row: AnalysisDep, session: SessionDep) -> list[NoteOut]:
    notes = session.scalars(select(Note).where(Note.analysis_id == row.id).order_by(Note.id))
    return [_note_out(n) for n in notes]


@router.post("/notes", status_code=201, response_model=NoteOut)
def add_note(body: NoteIn, row: AnalysisDep, user: CurrentUser, session: SessionDep) -> NoteOut:
    note = Note(analysis_id=row.id, author_id=user.id, text=body.text.strip())
    session.add(note)
    session.commit()
    session.refresh(note)
    return _note_out(note)


@router.delete("/notes/{note_id}", status_code=204)
def delete_note(note_id: Annotated[int, Path(ge=1, le=MAX_DB_INT)], row: AnalysisDep, user: CurrentUser,
                session: SessionDep) -> Response:
    note = session.get(Note, note_id)
    if note is None or note.analysis_id != row.id:
        raise HTTPException(404, "no such note")
    if note.author_id != user.id:
        raise HTTPException(403, "only the author can delete a note")
    session.delete(note)
    session.commit()
    return Response(status_code=204)


def _fault(row: AnalysisDep, session: SessionDep, index: int) -> FaultOut:
    faults = flat_faults(row.report, reviews_of(session, row.id))
    if row.status != "done" or not 0 <= index < len(faults):
        raise HTTPException(404, "no such fault in this analysis")
    return faults[index]


def _may_change(review: FaultReview | None, user: User) -> None:
    """A coach's verdict is theirs: nobody else (the athlete included) may replace or remove it."""
    if review is not None and review.reviewer_id != user.id and review.reviewer.role == "coach":
        raise HTTPException(403, "this fault was reviewed by a coach; only that coach can "
                                 "change the review")


@router.get("/faults", response_model=list[FaultOut])
def list_faults(row: AnalysisDep, session: SessionDep) -> list[FaultOut]:
    return flat_faults(row.report, reviews_of(session, row.id))


@router.put("/faults/{index}/review", response_model=FaultOut)
def review_fault(index: FaultIndex, body: ReviewIn, row: AnalysisDep, user: CurrentUser,
                 session: SessionDep) -> FaultOut:
    """Confirm or dismiss one reported fault (the latest verdict replaces an earlier one)."""
    _fault(row, session, index)
    review = session.scalar(select(FaultReview).where(
        FaultReview.analysis_id == row.id, FaultReview.fault_index == index))
    _may_change(review, user)
    if review is None:
        review = FaultReview(analysis_id=row.id, fault_index=index)
        session.add(review)
    review.verdict, review.comment, review.reviewer_id = body.verdict, body.comment, user.id
    session.commit()
    session.expire_all()
    return _fault(row, session, index)


@router.delete("/faults/{index}/review", response_model=FaultOut)
def clear_review(index: FaultIndex, row: AnalysisDep, user: CurrentUser,
                 session: SessionDep) -> FaultOut:
    """Take back a verdict (a coach's verdict can be taken back only by that coach)."""
    _fault(row, session, index)
    review = session.scalar(select(FaultReview).where(
        FaultReview.analysis_id == row.id, FaultReview.fault_index == index))
    _may_change(review, user)
    if review is not None:
        session.delete(review)
        session.commit()
    return _fault(row, session, index)
