"""Deleting data: one clip, a whole account, and failed or abandoned uploads after a while.

A clip is its database row, its notes and fault reviews, and its folder under data_dir/clips
(upload, annotated video, frames, reports). A queued job of a deleted clip finds no row when it
starts and does nothing (api.runner.claim); a job already running notices at its end and removes
what it wrote.
"""

from __future__ import annotations

import logging
import shutil
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from api.db import Database
from api.models import Analysis, FaultReview, Note, UploadEvent, User
from api.settings import Settings
from api.storage import clip_files

log = logging.getLogger(__name__)


def remove_clip_files(settings: Settings, analysis_id: str) -> None:
    shutil.rmtree(clip_files(settings.data_dir, analysis_id).folder, ignore_errors=True)


def delete_analyses(session: Session, settings: Settings, ids: list[str]) -> None:
    """Delete these analyses with their notes and reviews (commits), then their files."""
    if not ids:
        return
    session.execute(delete(Note).where(Note.analysis_id.in_(ids)))
    session.execute(delete(FaultReview).where(FaultReview.analysis_id.in_(ids)))
    session.execute(delete(Analysis).where(Analysis.id.in_(ids)))
    session.commit()
    for analysis_id in ids:
        remove_clip_files(settings, analysis_id)


def delete_user(session: Session, settings: Settings, user: User) -> None:
    """Delete an account: its clips (files included), its notes and reviews on others' clips,
    and its coach links (its athletes are left without a coach)."""
    ids = list(session.scalars(select(Analysis.id).where(Analysis.owner_id == user.id)))
    delete_analyses(session, settings, ids)
    session.execute(delete(Note).where(Note.author_id == user.id))
    session.execute(delete(FaultReview).where(FaultReview.reviewer_id == user.id))
    session.execute(update(User).where(User.coach_id == user.id)
                    .values(coach_id=None, coach_status=None, coach_request=None))
    session.execute(delete(UploadEvent).where(UploadEvent.user_id == user.id))
    session.execute(delete(User).where(User.id == user.id))
    session.commit()


def clean_up(db: Database, settings: Settings, now: float | None = None) -> int:
    """Delete failed analyses older than failed_retention_s and upload folders that never became
    an analysis (an interrupted upload) older than stale_upload_s; returns how many went."""
    now = time.time() if now is None else now
    cutoff = datetime.fromtimestamp(now, UTC) - timedelta(seconds=settings.failed_retention_s)
    removed = 0
    with db.session() as session:
        old = list(session.scalars(select(Analysis.id).where(
            Analysis.status == "failed",
            or_(Analysis.finished_at < cutoff,
                Analysis.finished_at.is_(None) & (Analysis.created_at < cutoff)))))
        delete_analyses(session, settings, old)
        removed += len(old)
        # The upload log only matters for the last day's rate and quota.
        day_ago = datetime.fromtimestamp(now, UTC) - timedelta(days=1)
        session.execute(delete(UploadEvent).where(UploadEvent.created_at < day_ago))
        session.commit()
        known = set(session.scalars(select(Analysis.id)))
    clips = settings.data_dir / "clips"
    if clips.is_dir():
        for folder in clips.iterdir():
            if folder.name in known or not folder.is_dir():
                continue
            try:  # the newest of the folder and its files: an upload still arriving is young
                age = now - max([folder.stat().st_mtime] +
                                [f.stat().st_mtime for f in folder.iterdir()])
            except FileNotFoundError:
                continue
            if age > settings.stale_upload_s:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    if removed:
        log.info("removed %d failed or abandoned uploads", removed)
    return removed
