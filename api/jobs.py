"""The analysis job queue (huey): SQLite-backed on one machine, Redis-backed across machines.

The database row is the source of truth, the queue only carries analysis ids. That is what makes a
job survive a restart: the upload is on disk and its row says "queued" before anything is enqueued,
and `recover` re-enqueues every row whose job is not in the queue and not being worked on (a worker
killed mid-analysis leaves a "running" row whose heartbeat stops).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from datetime import UTC, datetime, timedelta

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from sqlalchemy import select

from api.db import Database
from api.models import Analysis
from api.settings import Settings
from formcheck import available_cores

log = logging.getLogger(__name__)

ANALYZE_TASK = "formcheck.analyze"
RECOVER_TASK = "formcheck.recover"
# A queued row younger than this may still be on its way into the queue (the API commits the row,
# then enqueues): leave it alone.
ENQUEUE_GRACE_S = 60.0


def make_huey(settings: Settings) -> Huey:
    if settings.queue_backend == "redis":
        return RedisHuey("formcheck", url=settings.redis_url, results=False)
    return SqliteHuey("formcheck", filename=str(settings.data_dir.resolve() / "queue.sqlite3"),
                      results=False, fsync=True)


class JobQueue:
    """The huey instance with FormCheck's tasks registered (same code in web and worker processes).

    analyze(analysis_id) runs one analysis; recover() runs every five minutes on the workers to
    pick up jobs whose worker died.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.huey = make_huey(settings)
        self._databases: dict[int, Database] = {}
        # Jobs running now in this consumer's worker processes (shared memory: the consumer makes
        # it before it forks its workers).
        self._running = multiprocessing.get_context("fork").Value("i", 0)
        # A hung analysis must end: the job fails after a generous multiple of the longest clip
        # (a session: the longest recording, analysed as it streams, then drawn once more).
        longest = max(settings.max_duration_s, settings.max_session_duration_s / 2)
        timeout = int(max(600.0, longest * 6))
        self._analyze = self.huey.task(name=ANALYZE_TASK, timeout=timeout)(self._run)
        self.huey.periodic_task(crontab(minute="*/5"), name=RECOVER_TASK)(self._recover)

    def database(self) -> Database:
        """This process' database handle (worker processes are forked: never share an engine)."""
        pid = os.getpid()
        if pid not in self._databases:
            self._databases[pid] = Database(self.settings.db_url)
        return self._databases[pid]

    def enqueue(self, analysis_id: str) -> None:
        self._analyze(analysis_id)

    def pending_ids(self) -> set[str]:
        return {str(task.args[0]) for task in self.huey.pending()
                if task.name == ANALYZE_TASK and task.args}

    def _run(self, analysis_id: str) -> str:
        from api.runner import run_analysis

        with self._running.get_lock():
            self._running.value += 1
            running = self._running.value
        try:
            return run_analysis(self.database(), self.settings, analysis_id,
                                clip_workers(self.settings, running))
        finally:
            with self._running.get_lock():
                self._running.value -= 1

    def _recover(self) -> int:
        from api.retention import clean_up

        clean_up(self.database(), self.settings)
        return recover(self.database(), self, workers_dead=False)

    def close(self) -> None:
        for db in self._databases.values():
            db.dispose()
        self._databases.clear()


def clip_workers(settings: Settings, running: int) -> int:
    """Processes one clip is split between when `running` jobs (this one included) run at once
    in this consumer: settings.clip_workers when set, else the cores shared out between the jobs
    running (a lone upload gets every core; a full queue one core per job, as many jobs as
    settings.workers). A job keeps the share it started with: while a busy spell begins, a
    job that started alone and one that just started share the cores with one process too many."""
    if settings.clip_workers > 0:
        return settings.clip_workers
    return max(1, available_cores() // max(running, 1))


def _needs_rerun(row: Analysis, pending: set[str], now: datetime, stale_s: float,
                 workers_dead: bool) -> bool:
    if row.id in pending:
        return False
    if workers_dead:
        return True
    if row.status == "running":
        beat = row.heartbeat_at or row.created_at
        return now - beat > timedelta(seconds=stale_s)
    return now - row.created_at > timedelta(seconds=ENQUEUE_GRACE_S)


def recover(db: Database, queue: JobQueue, *, workers_dead: bool) -> int:
    """Re-enqueue analyses that were queued or running but have no live job; returns how many.

    workers_dead: no worker can be running any job now (the embedded worker at start-up), so every
    unfinished row not in the queue is re-run at once instead of waiting for its heartbeat to age.
    A row that has already been attempted max_attempts times is marked failed instead.
    """
    settings = queue.settings
    pending = queue.pending_ids()
    now = datetime.now(UTC)
    rerun: list[str] = []
    with db.transaction() as s:
        rows = s.scalars(select(Analysis).where(Analysis.status.in_(("queued", "running"))))
        for row in rows:
            if not _needs_rerun(row, pending, now, settings.stale_job_s, workers_dead):
                continue
            if row.attempts >= settings.max_attempts:
                row.status, row.stage, row.finished_at = "failed", "failed", now
                row.report = row.session_report = row.report_s = None
                row.error = (f"the analysis was interrupted {row.attempts} times without "
                             "finishing; the clip is kept, please try again or report it")
                continue
            row.status, row.stage, row.progress = "queued", "queued again after a restart", 0.0
            row.report = row.session_report = row.report_s = None
            rerun.append(row.id)
    for analysis_id in rerun:
        queue.enqueue(analysis_id)
    if rerun:
        log.info("re-enqueued %d unfinished analyses: %s", len(rerun), ", ".join(rerun))
    return len(rerun)
