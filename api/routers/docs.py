"""The OpenAPI documentation page, served with Swagger UI's files from the swagger-ui-py
package: nothing is loaded from the network, and no inline script is needed."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, Response

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@router.get("/docs")
def docs() -> Response:
    return FileResponse(TEMPLATES / "docs.html", media_type="text/html")
