"""One place that turns library errors into HTTP answers: 4xx JSON {"detail": message}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from formcheck import (
    FormcheckError,
    NoPersonError,
    PlanError,
    PoseDataError,
    UnknownExerciseError,
    VideoError,
)

log = logging.getLogger(__name__)

STATUS: dict[type[FormcheckError], int] = {
    UnknownExerciseError: 422,
    VideoError: 422,
    NoPersonError: 422,
    PoseDataError: 422,
    PlanError: 422,
}


def status_for(exc: FormcheckError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


async def formcheck_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FormcheckError)
    status = status_for(exc)
    log.info("%s %s -> %d: %s", request.method, request.url.path, status, exc)
    return JSONResponse({"detail": str(exc)}, status_code=status)


def install(app: FastAPI) -> None:
    app.add_exception_handler(FormcheckError, formcheck_error)
