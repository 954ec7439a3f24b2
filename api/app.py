"""The FastAPI application: routers, error mapping, static files, the job machinery's life."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import swagger_ui
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from api import http_errors
from api.db import Database
from api.jobs import JobQueue, recover
from api.limits import LoginThrottle
from api.retention import clean_up
from api.routers import analyses, auth, coach, docs, live, meta, pages, reviews, service
from api.settings import Settings, get_settings
from api.web_security import SecurityMiddleware
from api.worker import EmbeddedWorker

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
# Swagger UI's files as the swagger-ui-py package ships them (served for /docs: no CDN).
SWAGGER_UI = Path(swagger_ui.__file__).resolve().parent / "static"


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
    await run_in_threadpool(clean_up, app.state.db, settings)
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
                  docs_url=None, redoc_url=None,
                  description="Form checks for runners' leg strength work: upload a set, train "
                              "live, review as a coach.")
    app.state.settings = settings
    app.state.login_throttle = LoginThrottle(settings.login_failures_per_account,
                                             settings.login_failures_per_client,
                                             settings.login_window_s)
    app.state.db = Database(settings.db_url)
    app.state.queue = JobQueue(settings)
    app.state.worker = None
    app.state.live_sessions = 0
    http_errors.install(app)
    for module in (service, meta, auth, analyses, reviews, coach, live, pages, docs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    # Outermost, around Starlette's own error handling: even a 500 gets the security headers.
    build_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityMiddleware(  # type: ignore[method-assign]
        build_stack(), settings)
    return app

