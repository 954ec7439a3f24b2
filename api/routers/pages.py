"""The web pages: HTML shells on one base template (header, styles, the page's ES module) that
fetch their data from the API (no build step, no CDN, no inline script)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import COOKIE_NAME, user_from_token
from api.models import User

router = APIRouter(include_in_schema=False)

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

# The header's links by role; the current page's link is marked active.
LINKS = {
    "coach": [("/coach", "Athletes"), ("/upload", "My clips"), ("/live", "Live")],
    "athlete": [("/upload", "Upload"), ("/live", "Live")],
}
ACTIVE = {"upload": "/upload", "live": "/live", "coach": "/coach"}


def render(request: Request, name: str, user: User | None) -> Response:
    context = {"page": name, "user": user, "links": LINKS.get(user.role, []) if user else [],
               "active": ACTIVE.get(name)}
    return templates.TemplateResponse(request, f"{name}.html", context,
                                      headers={"Cache-Control": "no-store"})


def _user(request: Request) -> User | None:
    state = request.app.state
    with state.db.session() as session:
        return user_from_token(session, state.settings, request.cookies.get(COOKIE_NAME))


def _page(name: str, request: Request, role: str | None = None) -> Response:
    """The page, or a redirect to sign-in (or home when the role does not fit)."""
    user = _user(request)
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if role is not None and user.role != role:
        return RedirectResponse("/", status_code=303)
    return render(request, name, user)


@router.get("/")
def home(request: Request) -> Response:
    user = _user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/coach" if user.role == "coach" else "/upload", status_code=303)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Refused: anything not starting with one "/", "//host" and "/\\host" (browsers read a
    backslash as a slash), and control characters (browsers drop tabs and newlines in URLs).
    """
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    return target


@router.get("/login")
def login(request: Request) -> Response:
    """The sign-in page; a `next` that is not a path on this site is dropped."""
    if "next" in request.query_params and safe_next(request.query_params["next"]) is None:
        return RedirectResponse("/login", status_code=303)
    return render(request, "login", None)


@router.get("/upload")
def upload(request: Request) -> Response:
    return _page("upload", request)


@router.get("/clips/{analysis_id}")
def clip(analysis_id: str, request: Request) -> Response:
    return _page("clip", request)


@router.get("/sessions/{analysis_id}")
def session(analysis_id: str, request: Request) -> Response:
    return _page("session", request)


@router.get("/compare")
def compare(request: Request) -> Response:
    return _page("compare", request)


@router.get("/live")
def live(request: Request) -> Response:
    return _page("live", request)


@router.get("/coach")
def coach(request: Request) -> Response:
    return _page("coach", request, role="coach")
