"""Dependencies shared by the routers: settings, database session, the current user, access checks.

Authentication accepts a bearer token (API clients) or the same token in an HttpOnly cookie (the
web pages: <video> and download links cannot send headers).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, WebSocket
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select
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


def user_from_token(session: Session, settings: Settings, token: str | None) -> User | None:
    if not token:
        return None
    subject = read_token(settings.secret_key, token)
    if subject is None or not subject.isdigit():
        return None
    return session.get(User, int(subject))


def get_current_user(request: Request, session: SessionDep, settings: SettingsDep,
                     bearer: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    token = bearer or request.cookies.get(COOKIE_NAME)
    user = user_from_token(session, settings, token)
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


def can_see(user: User, owner: User) -> bool:
    """An athlete sees their own clips; a coach sees their own and their athletes' clips."""
    return owner.id == user.id or (user.role == "coach" and owner.coach_id == user.id)


def visible_owner_ids(session: Session, user: User) -> list[int]:
    ids = [user.id]
    if user.role == "coach":
        ids += list(session.scalars(select(User.id).where(User.coach_id == user.id)))
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
