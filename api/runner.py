"""One analysis job from start to finish: claim it, run the library, store outputs, record status.

Every way a job can end is recorded: "done" with the report, or "failed" with a message the user
can act on. A clip's report (a session's JSON) is recorded as soon as it is made, while the
annotated video is still being drawn (status "running", stage "video"): the page shows it then,
and the video when the job is done; a job that fails after that takes its report back. Errors the
user can fix (FormcheckError) keep their message; anything else is logged with its traceback and
reported as an internal error.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from huey.exceptions import TaskTimeout
from sqlalchemy import update

from api.db import Database
from api.models import Analysis
from api.settings import Settings
from api.storage import ClipFiles, clean_json, clip_files, write_atomic, write_frames
from api.wire import ReportOut, SessionOut, dump
from formcheck import FormcheckError, Progress

log = logging.getLogger(__name__)

# Progress is written at most this often (seconds) so the worker does not hammer the database.
PROGRESS_INTERVAL_S = 0.5
# Share of a job's progress bar given to the pose pass; drawing the annotated video takes the rest.
POSE_SHARE = 0.8
# What a failed job records: a report made before the failure is not kept (it was never final).
_NO_REPORT = {"report": None, "session_report": None, "report_s": None}


def claim(db: Database, analysis_id: str) -> bool:
    """Move a queued analysis to running (atomically: a duplicate delivery finds it taken)."""
    now = datetime.now(UTC)
    with db.transaction() as s:
        result = s.execute(
            update(Analysis)
            .where(Analysis.id == analysis_id, Analysis.status == "queued")
            .values(status="running", attempts=Analysis.attempts + 1, heartbeat_at=now,
                    stage="starting", progress=0.0, error=None, **_NO_REPORT)
        )
        return bool(getattr(result, "rowcount", 0))


def record(db: Database, analysis_id: str, **values: object) -> None:
    with db.transaction() as s:
        s.execute(update(Analysis).where(Analysis.id == analysis_id).values(**values))


class ProgressWriter:
    """A progress(fraction, stage) callback that writes to the database, throttled."""

    def __init__(self, db: Database, analysis_id: str) -> None:
        self.db, self.analysis_id = db, analysis_id
        self._last = 0.0
        self._stage = ""

    def __call__(self, fraction: float, stage: str) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < PROGRESS_INTERVAL_S:
            return
        self._last, self._stage = now, stage
        record(self.db, self.analysis_id, progress=round(min(max(fraction, 0.0), 1.0), 4),
               stage=stage, heartbeat_at=datetime.now(UTC))


def run_analysis(db: Database, settings: Settings, analysis_id: str, clip_workers: int = 1) -> str:
    """Run one queued analysis, its clip split between `clip_workers` processes; returns its final
    status ("done", "failed" or "skipped")."""
    if not claim(db, analysis_id):
        log.info("analysis %s is not queued any more; skipping", analysis_id)
        return "skipped"
    with db.session() as s:
        row = s.get(Analysis, analysis_id)
        assert row is not None  # claimed just now
        exercise, original, kind, plan = row.exercise, row.original_name, row.kind, row.plan
    files = clip_files(settings.data_dir, analysis_id)
    started = time.monotonic()
    results: dict[str, object]
    try:
        if kind == "session":
            results = {"session_report": _analyze_session(db, files, plan, analysis_id)}
        else:
            report = _analyze(db, files, exercise or None, analysis_id, clip_workers)
            # A recognised clip is filed under the exercise it was recognised as.
            results = {"report": report, "exercise": report["exercise"]}
    except FormcheckError as exc:
        message = _user_message(exc, files, original)
        log.info("analysis %s failed: %s", analysis_id, message)
        # "rejected": the clip itself cannot be analysed (nobody in it, not a video): running it
        # again would give the same answer, so the pages offer no retry.
        record(db, analysis_id, status="failed", error=message, stage="rejected",
               finished_at=datetime.now(UTC), **_NO_REPORT)
        return "failed"
    except TaskTimeout:
        log.warning("analysis %s ran past its time limit", analysis_id)
        record(db, analysis_id, status="failed", stage="failed", finished_at=datetime.now(UTC),
               error="the analysis took too long and was stopped; try a shorter clip", **_NO_REPORT)
        return "failed"
    except Exception:
        log.exception("analysis %s crashed", analysis_id)
        record(db, analysis_id, status="failed", stage="failed", finished_at=datetime.now(UTC),
               error="the analysis stopped on an internal error; the clip is kept, please "
                     "try again or report the problem", **_NO_REPORT)
        return "failed"
    record(db, analysis_id, status="done", progress=1.0, stage="done",
           finished_at=datetime.now(UTC), error=None,
           analysis_s=round(time.monotonic() - started, 2), **results)
    with db.session() as s:
        if s.get(Analysis, analysis_id) is None:
            # Deleted while it ran: what the job wrote goes too.
            shutil.rmtree(files.folder, ignore_errors=True)
            return "deleted"
    return "done"


def _in_fork(db: Database, files: ClipFiles, analysis_id: str,
             work: Callable[[Path, Progress, Callable[[dict], None]], dict]) -> dict:
    """work(source, progress, early) in a forked process, its progress written to the database by
    this one; its result returned. early(values) sends the report's columns ({"report": ...} or
    {"session_report": ...}) before the work ends: they are recorded at once (with the seconds
    since the job started) so the page can show them while the video is drawn.

    The job process itself never runs the pose model: MediaPipe's native state does not survive
    fork(), and a clip split between processes (formcheck's pose pass) forks from the process
    that analyses it, so that process must be fresh for every clip."""
    from formcheck import run_forked

    source = files.source()
    if source is None:
        raise FormcheckError("the uploaded file is missing from storage")
    progress = ProgressWriter(db, analysis_id)
    started = time.monotonic()

    def task(send: Callable[[tuple], None]) -> dict:
        return work(source, lambda fraction, stage: send(("progress", fraction, stage)),
                    lambda values: send(("report", values)))

    def on_message(_i: int, message: tuple) -> None:
        if message[0] == "report":
            record(db, analysis_id, **message[1], stage="video",
                   report_s=round(time.monotonic() - started, 2))
        else:
            progress(*message[1:])

    result: dict = run_forked([task], on_message)[0]
    return result


def _keep_video(written: Path, files: ClipFiles) -> None:
    if written.exists():
        os.replace(written, files.annotated)


def _analyze(db: Database, files: ClipFiles, exercise: str | None, analysis_id: str,
             clip_workers: int) -> dict:
    """One set: the report, the frames, the CSV and the annotated video; its report returned."""

    def work(source: Path, progress: Progress, early: Callable[[dict], None]) -> dict:
        # heavy (MediaPipe): only where jobs run
        from formcheck import analyze_video, get_exercise, part, write_annotated_video

        # The poses are kept: analysed again as another exercise, the clip skips the pose pass.
        result = analyze_video(source, get_exercise(exercise) if exercise else None,
                               progress=part(progress, 0.0, POSE_SHARE), workers=clip_workers,
                               kept=files.poses)
        report = dump(ReportOut.model_validate(clean_json(result.report.to_dict())))
        write_frames(files.frames, result.poses, result.signals)
        write_atomic(files.report_json, json.dumps(report, indent=2))
        write_atomic(files.report_csv, result.report.to_csv())
        early({"report": report})
        _keep_video(write_annotated_video(source, result, files.partial(files.annotated),
                                          part(progress, POSE_SHARE, 1.0), workers=clip_workers),
                    files)
        return report

    return _in_fork(db, files, analysis_id, work)


def _analyze_session(db: Database, files: ClipFiles, plan_id: str | None,
                     analysis_id: str) -> dict:
    """A recording of several sets (formcheck.session): the session JSON, and the recording with
    each set labelled as the annotated video; the session JSON returned."""
    from formcheck import get_plan

    plan = get_plan(plan_id) if plan_id else None

    named = files.named()

    def work(source: Path, progress: Progress, early: Callable[[dict], None]) -> dict:
        from formcheck import analyze_session_video, part, write_session_video

        # The poses are kept: run again (a set named as another exercise), the session skips
        # the pose pass.
        session = analyze_session_video(source, plan, part(progress, 0.0, POSE_SHARE),
                                        keep=files.pose_log, named=named)
        data = dump(SessionOut.model_validate(clean_json(session.to_dict())))
        write_atomic(files.session_json, json.dumps(data, indent=2))
        early({"session_report": data})
        written = write_session_video(source, session, files.partial(files.annotated),
                                      part(progress, POSE_SHARE, 1.0))
        _keep_video(written, files)
        return data

    return _in_fork(db, files, analysis_id, work)


def _user_message(exc: Exception, files: ClipFiles, original_name: str) -> str:
    """The error text with server paths replaced by the name the user uploaded."""
    text = str(exc)
    source = files.source()
    if source is not None:
        for path in (str(source.resolve()), str(source)):
            text = text.replace(path, original_name)
    return text.replace(str(files.folder), "upload")
