"""Upload a clip, follow its analysis, fetch the results (report, video, per-frame data)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as FastApiPath
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from api.deps import (
    MAX_DB_INT,
    AnalysisDep,
    CurrentUser,
    QueueDep,
    SessionDep,
    SettingsDep,
    visible_owner_ids,
)
from api.jobs import JobQueue
from api.limits import too_many
from api.models import Analysis, FaultReview, UploadEvent, User, new_id
from api.plans import AUTO, resolve_plan
from api.retention import delete_analyses
from api.schemas import AnalysisDetail, AnalysisSummary, can_reanalyse, detail, report_ready, summary
from api.settings import Settings
from api.storage import clip_files, source_name, write_atomic
from api.upload import receive_upload
from api.wire import Frames, ReportOut, SessionOut
from formcheck import VideoError, VideoInfo, get_exercise, probe

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/analyses", tags=["analyses"],
                   responses={401: {"description": "not signed in"},
                              404: {"description": "no such analysis (or not yours)"}})


class Accepted(BaseModel):
    id: str
    status: str
    url: str


def reviews_of(session: SessionDep, analysis_id: str) -> dict[int, FaultReview]:
    rows = session.scalars(select(FaultReview).where(FaultReview.analysis_id == analysis_id))
    return {r.fault_index: r for r in rows}


def _probe_upload(path: Path, original_name: str, settings: Settings,
                  session: bool = False) -> VideoInfo:
    """Probe the saved upload; VideoError (422) with the user's file name when it is not usable."""
    try:
        info = probe(path)
    except VideoError as exc:
        raise VideoError(str(exc).replace(str(path), original_name or "the upload")) from exc
    if info.frames < 2:
        raise VideoError(f"{original_name}: a single image, not a video")
    if session and info.duration_s > settings.max_session_duration_s:
        raise VideoError(f"{original_name}: the recording is {info.duration_s:.0f} s long; the "
                         f"limit for a session is {settings.max_session_duration_s:g} s")
    if not session and info.duration_s > settings.max_duration_s:
        raise VideoError(f"{original_name}: the video is {info.duration_s:.0f} s long; the limit "
                         f"is {settings.max_duration_s:g} s (trim it to the set you want checked, "
                         "or upload it as a session of several sets)")
    return info


@dataclass(frozen=True)
class UploadRequest:
    """What was asked of an upload: a clip with its exercise ("" = recognise it), or a session
    (several sets in one recording) with an optional plan id."""

    kind: str
    exercise: str
    plan: str | None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def upload_request(fields: Mapping[str, str]) -> UploadRequest:
    """The request from the form fields (or query parameters); 422 with the reason when it does
    not make sense. No exercise (or "auto") = recognise it; a plan implies a session."""
    flag = fields.get("session", "").strip().lower()
    if flag not in _TRUE | _FALSE:
        raise HTTPException(422, f"session must be true or false, not {flag[:40]!r}")
    plan_id = fields.get("plan", "").strip() or None
    named = fields.get("exercise", "").strip()
    if flag in _TRUE or plan_id:
        if named and named.lower() != AUTO:
            raise HTTPException(422, "a session recognises the exercise of each set: leave "
                                     "exercise empty (or name a plan to check the sets against)")
        return UploadRequest("session", "", resolve_plan(plan_id).id if plan_id else None)
    if not named or named.lower() == AUTO:
        return UploadRequest("clip", "", None)
    return UploadRequest("clip", get_exercise(named).id, None)


async def _save_upload(request: Request, folder: Path,
                       settings: Settings) -> tuple[UploadRequest, str, int, VideoInfo]:
    """Stream the upload into `folder`; returns (what was asked, name, size, video info)."""
    upload_request(request.query_params)  # refuse a bad exercise or plan before the file
    received = await receive_upload(request, folder / "upload.partial", settings.max_upload_bytes)
    assert received.path is not None
    asked = upload_request({**request.query_params, **received.fields})
    name = Path(received.filename).name[:200] or "upload"
    if received.size == 0:
        raise VideoError(f"{name}: the file is empty")
    path = folder / source_name(name)
    os.replace(received.path, path)
    info = await run_in_threadpool(_probe_upload, path, name, settings, asked.kind == "session")
    return asked, name, received.size, info


_UPLOAD_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "exercise": {"type": "string", "description": "exercise id (GET /api/exercises); empty "
                     "or \"auto\": recognised, and the report's `recognition` says how sure"},
        "session": {"type": "boolean", "description": "a recording of several sets: each set "
                    "is found, recognised and analysed (GET .../{id} answers `session`)"},
        "plan": {"type": "string", "description": "a session's plan id (GET /api/plans): the "
                 "sets are checked against it; implies session"},
        "file": {"type": "string", "format": "binary", "description": "the video"},
    },
}
# The body is parsed by hand (streamed to disk), so describe the form for /docs explicitly.
_UPLOAD_BODY = {"requestBody": {"required": True,
                                "content": {"multipart/form-data": {"schema": _UPLOAD_FORM}}}}


def check_upload_allowance(session: Session, settings: Settings, user_id: int,
                           incoming_bytes: int) -> None:
    """429 with Retry-After when this account has uploaded too often or too much lately.

    Counted from the upload log in the database (kept even when clips are deleted), so the limits
    hold across web processes and machines.
    """
    now = datetime.now(UTC)
    since = now - timedelta(seconds=settings.upload_window_s)
    recent = list(session.scalars(
        select(UploadEvent.created_at).where(UploadEvent.user_id == user_id,
                                             UploadEvent.created_at > since)
        .order_by(UploadEvent.created_at)))
    if len(recent) >= settings.uploads_per_window:
        oldest = recent[len(recent) - settings.uploads_per_window]
        wait = (oldest - since).total_seconds()
        raise too_many(f"at most {settings.uploads_per_window} uploads per "
                       f"{settings.upload_window_s / 60:g} minutes", wait)
    day_ago = now - timedelta(days=1)
    rows = list(session.execute(
        select(UploadEvent.created_at, UploadEvent.size_bytes).where(
            UploadEvent.user_id == user_id, UploadEvent.created_at > day_ago)
        .order_by(UploadEvent.created_at)))
    quota = int(settings.upload_quota_mb_per_day * 1024 * 1024)
    used = sum(size for _, size in rows)
    if used + incoming_bytes <= quota:
        return
    for created, size in rows:  # the upload fits once enough of the day's uploads are older
        used -= size
        if used + incoming_bytes <= quota:
            raise too_many(f"the upload quota of {settings.upload_quota_mb_per_day:g} MB per "
                           "day is used up", (created - day_ago).total_seconds())
    raise HTTPException(413, f"the video is larger than the daily upload quota of "
                             f"{settings.upload_quota_mb_per_day:g} MB")


def _declared_size(request: Request, settings: Settings) -> int:
    declared = request.headers.get("content-length", "")
    size = int(declared) if declared.isdigit() and len(declared) < 20 else 0
    return min(size, settings.max_upload_bytes)


@router.post("", status_code=202, response_model=Accepted, openapi_extra=_UPLOAD_BODY,
             responses={400: {"description": "not a multipart upload"},
                        408: {"description": "the upload stalled"},
                        413: {"description": "larger than the upload limit"},
                        422: {"description": "unknown exercise or plan, or not a usable video"},
                        429: {"description": "upload rate or daily quota reached (Retry-After)"}})
async def create_analysis(request: Request, user: CurrentUser, session: SessionDep,
                          settings: SettingsDep, queue: QueueDep) -> Accepted:
    """Upload a video (multipart: `exercise`, `session`, `plan`, then `file`); the analysis runs
    as a queued job.

    No exercise: it is recognised. `session=true` (or a `plan`): a recording of several sets,
    each found, recognised and analysed, checked against the plan when one is named.

    413 when larger than FORMCHECK_MAX_UPLOAD_MB; 422 for an unknown exercise or plan, an empty
    file, a file that is not a video, or a video longer than FORMCHECK_MAX_DURATION_S (a session:
    FORMCHECK_MAX_SESSION_DURATION_S); 429 past the account's upload rate or daily quota.
    """
    await run_in_threadpool(check_upload_allowance, session, settings, user.id,
                            _declared_size(request, settings))
    analysis_id = new_id()
    folder = clip_files(settings.data_dir, analysis_id).folder
    folder.mkdir(parents=True)
    try:
        asked, name, size, info = await _save_upload(request, folder, settings)
        # The declared length may be missing (chunked): the quota is checked on what arrived too.
        await run_in_threadpool(check_upload_allowance, session, settings, user.id, size)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    row = Analysis(id=analysis_id, owner_id=user.id, exercise=asked.exercise, kind=asked.kind,
                   plan=asked.plan, original_name=name, size_bytes=size,
                   duration_s=round(info.duration_s, 3), status="queued", stage="queued")
    session.add(row)
    session.add(UploadEvent(user_id=user.id, size_bytes=size))
    await run_in_threadpool(session.commit)
    try:
        await run_in_threadpool(queue.enqueue, analysis_id)
    except Exception:
        # The row and the file are saved: the periodic recovery will enqueue it again.
        log.exception("could not enqueue analysis %s", analysis_id)
    return Accepted(id=analysis_id, status="queued", url=f"/api/analyses/{analysis_id}")


@router.get("", response_model=list[AnalysisSummary])
def list_analyses(user: CurrentUser, session: SessionDep,
                  athlete_id: Annotated[int | None, Query(ge=1, le=MAX_DB_INT)] = None,
                  exercise: Annotated[str | None, Query(max_length=64)] = None,
                  kind: Annotated[Literal["clip", "session"] | None, Query()] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict]:
    """Clips this user may see, newest first (a coach: their own and their athletes')."""
    owners = visible_owner_ids(session, user)
    if athlete_id is not None:
        owners = [athlete_id] if athlete_id in owners else []
    query = select(Analysis).join(User, Analysis.owner_id == User.id).where(
        Analysis.owner_id.in_(owners))
    if exercise:
        query = query.where(Analysis.exercise == exercise)
    if kind:
        query = query.where(Analysis.kind == kind)
    rows = session.scalars(query.order_by(Analysis.created_at.desc()).limit(limit))
    return [summary(r, reviews_of(session, r.id)) for r in rows]


@router.get("/{analysis_id}", response_model=AnalysisDetail)
def get_analysis(row: AnalysisDep, session: SessionDep) -> AnalysisDetail:
    """Status and progress; when done, the report and its faults with their reviews."""
    return detail(row, reviews_of(session, row.id))


@router.delete("/{analysis_id}", status_code=204,
               responses={403: {"description": "only the athlete who uploaded it"}})
def delete_analysis(row: AnalysisDep, user: CurrentUser, session: SessionDep,
                    settings: SettingsDep) -> Response:
    """Delete a clip or session: the upload, annotated video, per-frame data, reports, the
    session JSON, notes and reviews.

    A queued job of the clip does nothing when its turn comes.
    """
    if row.owner_id != user.id:
        raise HTTPException(403, "only the athlete who uploaded the clip can delete it")
    delete_analyses(session, settings, [row.id])
    return Response(status_code=204)


@router.post("/{analysis_id}/retry", status_code=202, response_model=Accepted,
             responses={403: {"description": "not the owner"},
                        409: {"description": "not failed"}})
def retry(row: AnalysisDep, user: CurrentUser, session: SessionDep, queue: QueueDep) -> Accepted:
    """Run a failed analysis again (its upload is kept)."""
    if row.owner_id != user.id:
        raise HTTPException(403, "only the athlete who uploaded the clip can re-run it")
    if row.status != "failed":
        raise HTTPException(409, f"the analysis is {row.status}, not failed")
    row.status, row.stage, row.progress, row.error, row.attempts = "queued", "queued", 0.0, None, 0
    session.commit()
    queue.enqueue(row.id)
    return Accepted(id=row.id, status="queued", url=f"/api/analyses/{row.id}")


class Reanalyse(BaseModel):
    exercise: str = Field(max_length=64, description="exercise id (GET /api/exercises)")


@router.post("/{analysis_id}/reanalyse", status_code=202, response_model=Accepted,
             responses={403: {"description": "not the owner"},
                        409: {"description": "a session, or the analysis has not ended"},
                        422: {"description": "unknown exercise"}})
def reanalyse(row: AnalysisDep, body: Reanalyse, user: CurrentUser, session: SessionDep,
              settings: SettingsDep, queue: QueueDep) -> Accepted:
    """Analyse a finished clip again as the exercise named (e.g. one recognised unsure, or
    wrongly). The report is replaced; reviews of the old report's faults are dropped with it."""
    if row.owner_id != user.id:
        raise HTTPException(403, "only the athlete who uploaded the clip can re-run it")
    if not can_reanalyse(row):
        what = "a session recognises each set" if row.kind == "session" else f"the analysis is {row.status}"
        raise HTTPException(409, f"{what}: it cannot be re-analysed as one exercise")
    exercise = get_exercise(body.exercise)
    row.exercise, row.report = exercise.id, None
    files = clip_files(settings.data_dir, row.id)
    return _analyse_again(row, session, queue,
                          (files.annotated, files.frames, files.report_json, files.report_csv))


def _analyse_again(row: Analysis, session: Session, queue: JobQueue,
                   stale: tuple[Path, ...]) -> Accepted:
    """Queue a finished analysis to run again (its kept poses spare the pose model): the reviews
    of its old faults and the files it will write again go."""
    session.execute(delete(FaultReview).where(FaultReview.analysis_id == row.id))
    row.status, row.stage, row.progress, row.error, row.attempts = "queued", "queued", 0.0, None, 0
    row.finished_at = None
    session.commit()
    for path in stale:
        path.unlink(missing_ok=True)
    queue.enqueue(row.id)
    return Accepted(id=row.id, status="queued", url=f"/api/analyses/{row.id}")


class NameSet(BaseModel):
    exercise: str = Field(max_length=64, description="exercise id or alias (GET /api/exercises)")


@router.post("/{analysis_id}/sets/{index}/exercise", status_code=202, response_model=Accepted,
             responses={403: {"description": "not the owner"},
                        404: {"description": "no such set"},
                        409: {"description": "a clip, or the session has not ended"},
                        422: {"description": "unknown exercise"}})
def name_set(row: AnalysisDep, index: Annotated[int, FastApiPath(ge=1, le=10_000)], body: NameSet,
             user: CurrentUser, session: SessionDep, settings: SettingsDep,
             queue: QueueDep) -> Accepted:
    """Say which exercise one set of a finished session was (one recognised unsure, or wrongly).
    The session is analysed again, that set as the exercise named and the others as before: from
    the poses its first pass kept, so without the pose model; sets named before stay named."""
    if row.owner_id != user.id:
        raise HTTPException(403, "only the athlete who filmed the session can name its sets")
    if row.kind != "session":
        raise HTTPException(409, "this is one clip, not a session: re-run it as an exercise instead")
    if row.status != "done":
        raise HTTPException(409, f"the session is {row.status}: name its sets once it is done")
    sets = (row.session_report or {}).get("sets", [])
    found = next((s for s in sets if s.get("index") == index), None)
    if found is None:
        raise HTTPException(404, f"the session has no set {index} (it has {len(sets)})")
    exercise = get_exercise(body.exercise)
    files = clip_files(settings.data_dir, row.id)
    lo, hi = float(found["start_s"]), float(found["end_s"])
    named = [(t, e) for t, e in files.named() if not lo <= t <= hi] + [((lo + hi) / 2, exercise.id)]
    write_atomic(files.named_sets, json.dumps([{"t": round(t, 3), "exercise": e} for t, e in named]))
    row.session_report, row.report_s = None, None
    return _analyse_again(row, session, queue, (files.annotated, files.session_json))


def _done_file(row: Analysis, settings: Settings, name: str) -> Path:
    # The report, its CSV, the per-frame data and a session's JSON are ready before the video.
    early = name in ("report_json", "report_csv", "frames", "session_json") and report_ready(row)
    if row.status != "done" and not early:
        what = "the annotated video is being drawn" if report_ready(row) else f"the analysis is {row.status}"
        raise HTTPException(409, f"{what}; results are not ready")
    path: Path = getattr(clip_files(settings.data_dir, row.id), name)
    if not path.exists():
        raise HTTPException(404, f"this analysis has no {name.replace('_', ' ')} file")
    return path


def _download_name(row: Analysis, ext: str) -> str:
    what = "session" if row.kind == "session" else (row.exercise or "clip")
    return f"formcheck-{what}-{row.created_at:%Y%m%d-%H%M}-{row.id[:8]}.{ext}"


_NOT_READY: dict[int | str, dict[str, Any]] = {409: {"description": "the analysis is not done"}}


@router.get("/{analysis_id}/video", responses=_NOT_READY)
def video(row: AnalysisDep, settings: SettingsDep) -> FileResponse:
    """The annotated video (H.264 mp4); supports HTTP range requests for seeking."""
    return FileResponse(_done_file(row, settings, "annotated"), media_type="video/mp4")


@router.get("/{analysis_id}/frames", responses={**_NOT_READY, 200: {"model": Frames}})
def frames(row: AnalysisDep, settings: SettingsDep) -> FileResponse:
    """Per-frame landmarks and angles: {t, width, height, fps, landmarks, signals, connections}."""
    return FileResponse(_done_file(row, settings, "frames"), media_type="application/json")


@router.get("/{analysis_id}/report.json", responses={**_NOT_READY, 200: {"model": ReportOut}})
def report_json(row: AnalysisDep, settings: SettingsDep) -> FileResponse:
    return FileResponse(_done_file(row, settings, "report_json"), media_type="application/json",
                        filename=_download_name(row, "json"))


@router.get("/{analysis_id}/session.json", responses={**_NOT_READY, 200: {"model": SessionOut}})
def session_json(row: AnalysisDep, settings: SettingsDep) -> FileResponse:
    """A session's JSON: {sets, rests, plan, summary} (404 for a single clip)."""
    if row.kind != "session":
        raise HTTPException(404, "this is a single clip, not a session: see report.json")
    return FileResponse(_done_file(row, settings, "session_json"), media_type="application/json",
                        filename=_download_name(row, "json"))


@router.get("/{analysis_id}/report.csv", responses=_NOT_READY)
def report_csv(row: AnalysisDep, settings: SettingsDep) -> FileResponse:
    return FileResponse(_done_file(row, settings, "report_csv"), media_type="text/csv",
                        filename=_download_name(row, "csv"))
