"""Database tables: users, analyses, notes, fault reviews (SQLAlchemy 2 declarative)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the zone; put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime()}


class User(Base):
    """An athlete (films sets) or a coach (reviews their athletes' sets)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))  # "athlete" | "coach"
    # The coach an athlete asked to join; the coach sees the athlete's clips only once
    # coach_status is "accepted" ("pending" until then).
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    coach_status: Mapped[str | None] = mapped_column(String(16))
    # The email the athlete named: kept even when no coach has it (yet), so the answer never
    # tells whether an email belongs to a coach; a coach registering with it receives the request.
    coach_request: Mapped[str | None] = mapped_column(String(320), index=True)
    # Part of every token; incremented on sign-out and password change, revoking older tokens.
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coach: Mapped[User | None] = relationship(remote_side=[id], lazy="joined")


class Analysis(Base):
    """One uploaded clip and its analysis job.

    status: "queued" -> "running" -> "done" | "failed"; progress 0..1; report is the report JSON
    (formcheck.report contract), recorded while the annotated video is drawn (stage "video"; see
    report_ready) and never modified after the job finishes (a re-analysis with another
    exercise replaces it and drops the reviews of the old one).

    kind "clip": one set; `exercise` is the id given, or "" until the job has recognised it.
    kind "session": a recording of several sets (formcheck.session); `exercise` stays "", `plan`
    is the plan id it is checked against (or None) and `session_report` the session JSON.
    """

    __tablename__ = "analyses"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    exercise: Mapped[str] = mapped_column(String(64))
    original_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    duration_s: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    stage: Mapped[str] = mapped_column(String(64), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(16), default="clip", server_default="clip")
    plan: Mapped[str | None] = mapped_column(String(64))
    session_report: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    # Seconds the analysis job ran (pose pass, rules, annotated video), set when it is done.
    analysis_s: Mapped[float | None] = mapped_column(Float)
    # Seconds from the job's start until the report (a session's JSON) was recorded, before the
    # annotated video.
    report_s: Mapped[float | None] = mapped_column(Float)

    owner: Mapped[User] = relationship(lazy="joined")


class Note(Base):
    """A free-text comment on a clip, by its athlete or their coach."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey("analyses.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class FaultReview(Base):
    """A person's verdict on one reported fault, kept beside the report (which stays as it was).

    fault_index: position of the fault in the report's reps/faults order (stable: reports are
    immutable). verdict: "confirmed" | "dismissed".
    """

    __tablename__ = "fault_reviews"
    __table_args__ = (UniqueConstraint("analysis_id", "fault_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey("analyses.id"), index=True)
    fault_index: Mapped[int] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    reviewer: Mapped[User] = relationship(lazy="joined")


class UploadEvent(Base):
    """An accepted upload, kept for a day whatever becomes of the clip: the per-account upload
    rate and quota count these, so deleting clips does not give uploads back."""

    __tablename__ = "upload_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
