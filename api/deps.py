"""Dependencies shared by the routers: settings, database session, the current user, access checks.

Authentication accepts a bearer token (API clients) or the same token in an HttpOnly cookie (the
web pages: <video> and download links cannot send headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, WebSocket
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from api.db import Database
from api.jobs import JobQueue
from api.models import Analysis, User
from api.security import read_token
from api.settings import Settings

COOKIE_NAME = "formcheck_token"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_queue(request: Request) -> JobQueue:
    return request.app.state.queue


def get_session(db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    with db.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
QueueDep = Annotated[JobQueue, Depends(get_queue)]


# Integer columns are 32-bit on PostgreSQL: larger ids are refused before they reach the database.
MAX_DB_INT = 2**31 - 1


def user_from_token(session: Session, settings: Settings, token: str | None) -> User | None:
    """The user of a valid token whose version is still the user's (not signed out since)."""
    if not token:
        return None
    claims = read_token(settings.secret_key, token)
    if claims is None or not claims.subject.isdigit() or int(claims.subject) > MAX_DB_INT:
        return None
    user = session.get(User, int(claims.subject))
    if user is None or user.token_version != claims.version:
        return None
    return user


def request_token(request: Request, bearer: str | None) -> str | None:
    """The bearer token if the request has an Authorization header, else the login cookie.

    A request with the header is never authenticated by the cookie: it skips the CSRF checks
    (api.web_security), which only cookie-authenticated requests need.
    """
    if "authorization" in request.headers:
        return bearer or None
    return request.cookies.get(COOKIE_NAME)


def get_current_user(request: Request, session: SessionDep, settings: SettingsDep,
                     bearer: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    user = user_from_token(session, settings, request_token(request, bearer))
    if user is None:
        raise HTTPException(401, "not signed in (or the session expired): sign in again",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_coach(user: CurrentUser) -> User:
    if user.role != "coach":
        raise HTTPException(403, "only coaches can see this")
    return user


CurrentCoach = Annotated[User, Depends(get_coach)]


def is_coach_of(coach: User, athlete: User) -> bool:
    """The athlete asked this coach and the coach accepted."""
    return (coach.role == "coach" and athlete.coach_id == coach.id
            and athlete.coach_status == "accepted")


def can_see(user: User, owner: User) -> bool:
    """An athlete sees their own clips; a coach sees their own and their athletes' clips."""
    return owner.id == user.id or is_coach_of(user, owner)


def athletes_of(coach: User) -> Select[User]:
    """A query of the coach's accepted athletes."""
    return select(User).where(User.coach_id == coach.id, User.coach_status == "accepted")


def visible_owner_ids(session: Session, user: User) -> list[int]:
    ids = [user.id]
    if user.role == "coach":
        ids += [a.id for a in session.scalars(athletes_of(user))]
    return ids


def get_analysis(analysis_id: str, user: CurrentUser, session: SessionDep) -> Analysis:
    """The analysis, if it exists and this user may see it (404 otherwise: no existence leak)."""
    row = session.get(Analysis, analysis_id)
    if row is None or not can_see(user, row.owner):
        raise HTTPException(404, "no such analysis")
    return row


AnalysisDep = Annotated[Analysis, Depends(get_analysis)]


def websocket_user(websocket: WebSocket, token: str | None) -> User | None:
    """The user of a WebSocket: ?token=... or the login cookie (same-origin pages only)."""
    state = websocket.app.state
    cookie = websocket.cookies.get(COOKIE_NAME)
    if not token and cookie:
        origin = websocket.headers.get("origin")
        host = websocket.headers.get("host")
        # Browsers send cookies on cross-site WebSocket handshakes: only trust them same-origin.
        if origin is not None and origin.split("://", 1)[-1] != host:
            return None
        token = cookie
    with state.db.session() as session:
        user = user_from_token(session, state.settings, token)
        if user is not None:
            session.expunge(user)
        return user
