"""The FastAPI application: routers, error mapping, static files, the job machinery's life."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from api import http_errors
from api.db import Database
from api.jobs import JobQueue, recover
from api.routers import analyses, auth, coach, live, pages, reviews, service
from api.settings import Settings, get_settings
from api.worker import EmbeddedWorker

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"


async def _watch(app: FastAPI, every_s: float = 5.0) -> None:
    """Restart the embedded worker if it dies; its unfinished jobs are re-run first."""
    worker: EmbeddedWorker = app.state.worker
    while True:
        await asyncio.sleep(every_s)
        if worker.alive:
            continue
        log.warning("the embedded worker exited (code %s); restarting it",
                    worker.process.returncode if worker.process else None)
        await run_in_threadpool(recover, app.state.db, app.state.queue, workers_dead=True)
        worker.start()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Re-enqueue unfinished jobs, start the embedded worker; stop it on shutdown."""
    settings: Settings = app.state.settings
    embedded = settings.runs_embedded_worker
    # With our own worker not yet started, nothing can be running: every unfinished job is re-run.
    await run_in_threadpool(recover, app.state.db, app.state.queue, workers_dead=embedded)
    watch: asyncio.Task[None] | None = None
    if embedded:
        app.state.worker = EmbeddedWorker(settings)
        app.state.worker.start()
        watch = asyncio.create_task(_watch(app))
    try:
        yield
    finally:
        if watch is not None:
            watch.cancel()
        if app.state.worker is not None:
            await run_in_threadpool(app.state.worker.stop)
        app.state.queue.close()
        app.state.db.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app for these settings (default: from FORMCHECK_* environment variables)."""
    settings = (settings or get_settings()).prepare()
    app = FastAPI(title="FormCheck", version="0.1.0", lifespan=lifespan,
                  description="Form checks for runners' leg strength work: upload a set, train "
                              "live, review as a coach.")
    app.state.settings = settings
    app.state.db = Database(settings.db_url)
    app.state.queue = JobQueue(settings)
    app.state.worker = None
    app.state.live_sessions = 0
    http_errors.install(app)
    for module in (service, auth, analyses, reviews, coach, live, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
