"""Accounts and sign-in: OAuth2 password flow, bearer token, and the same token as a cookie."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select, update

from api.deps import (
    COOKIE_NAME,
    CurrentUser,
    SessionDep,
    SettingsDep,
    athletes_of,
    oauth2_scheme,
    request_token,
    user_from_token,
)
from api.limits import LoginThrottle
from api.models import User
from api.retention import delete_user
from api.security import (
    MAX_PASSWORD_LENGTH,
    create_token,
    hash_password,
    password_problem,
    verify_password,
)
from api.settings import Settings
from api.web_security import CSRF_COOKIE, new_csrf_token

router = APIRouter(prefix="/api", tags=["auth"],
                   responses={401: {"description": "not signed in"}})

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not an email address")
    return value


class RegisterIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=MAX_PASSWORD_LENGTH,
                          description="8 characters or more, not a commonly used password")
    role: Literal["athlete", "coach"] = "athlete"
    coach: str | None = Field(default=None, max_length=320,
                              description="the coach's email (athletes only): a request the "
                                          "coach accepts")

    _check_email = field_validator("email")(_email)


class UserOut(BaseModel):
    id: int
    email: str
    role: str
    coach: str | None
    coach_status: Literal["pending", "accepted"] | None = None
    athletes: int = 0


class CoachIn(BaseModel):
    coach: str | None = Field(default=None, max_length=320,
                              description="the coach's email; null to leave")


class PasswordIn(BaseModel):
    current_password: str = Field(max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class DeleteMeIn(BaseModel):
    password: str = Field(max_length=MAX_PASSWORD_LENGTH)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def user_out(session: SessionDep, user: User) -> UserOut:
    athletes = 0
    if user.role == "coach":
        count = select(func.count()).select_from(athletes_of(user).subquery())
        athletes = session.scalar(count) or 0
    status = user.coach_status if user.coach_request else None
    return UserOut(id=user.id, email=user.email, role=user.role, coach=user.coach_request,
                   coach_status=status,  # type: ignore[arg-type]
                   athletes=athletes)


def _request_coach(session: SessionDep, athlete: User, email: str | None) -> None:
    """Ask to join the coach with this email (pending until the coach accepts), or leave.

    The answer is the same whether or not a coach has this email: an unknown email stays a
    pending request (a coach who registers with it later receives it), so the API cannot be used
    to find out which emails have coach accounts.
    """
    email = (email or "").strip().lower()
    if not email:
        athlete.coach_id = athlete.coach_status = athlete.coach_request = None
        return
    if not _EMAIL.match(email):
        raise HTTPException(422, "the coach's email is not an email address")
    if email == athlete.coach_request:
        return  # asking again keeps the request (or the acceptance) as it is
    coach = session.scalar(select(User).where(User.email == email, User.role == "coach"))
    athlete.coach_id = coach.id if coach is not None else None
    athlete.coach_status, athlete.coach_request = "pending", email


def _check_password(password: str, email: str) -> None:
    problem = password_problem(password, email)
    if problem is not None:
        raise HTTPException(422, problem)


def _set_login_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(COOKIE_NAME, token, max_age=settings.token_ttl_s, httponly=True,
                        samesite="lax", secure=settings.cookie_secure, path="/")
    # A fresh CSRF token with every sign-in (one planted before sign-in is worth nothing after).
    response.set_cookie(CSRF_COOKIE, new_csrf_token(settings.secret_key), httponly=False,
                        samesite="strict", secure=settings.cookie_secure, path="/")


def _issue(response: Response, settings: Settings, user: User) -> TokenOut:
    access = create_token(settings.secret_key, str(user.id), settings.token_ttl_s,
                          version=user.token_version)
    _set_login_cookie(response, settings, access)
    return TokenOut(access_token=access, expires_in=settings.token_ttl_s)


@router.post("/auth/register", status_code=201, response_model=UserOut,
             responses={409: {"description": "email taken"},
                        422: {"description": "bad email or password"}})
def register(body: RegisterIn, session: SessionDep) -> UserOut:
    """Create an account. Passwords: 8 characters or more, not a commonly used password."""
    if session.scalar(select(User).where(User.email == body.email)) is not None:
        raise HTTPException(409, "an account with this email already exists")
    if body.coach and body.role == "coach":
        raise HTTPException(422, "a coach account cannot have a coach")
    _check_password(body.password, body.email)
    user = User(email=body.email, password_hash=hash_password(body.password), role=body.role)
    if body.coach:
        _request_coach(session, user, body.coach)
    session.add(user)
    session.flush()
    if user.role == "coach":  # requests made to this email before the account existed
        session.execute(update(User).where(User.coach_request == user.email,
                                           User.coach_id.is_(None))
                        .values(coach_id=user.id))
    session.commit()
    session.refresh(user)
    return user_out(session, user)


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/auth/token", response_model=TokenOut,
             responses={429: {"description": "too many failed sign-ins (Retry-After)"}})
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
          session: SessionDep, settings: SettingsDep, response: Response) -> TokenOut:
    """Sign in. Failed attempts are throttled per account and per client address (429)."""
    throttle: LoginThrottle = request.app.state.login_throttle
    email, client = form.username.strip().lower()[:320], _client_address(request)
    throttle.check(email, client)
    user = session.scalar(select(User).where(User.email == email))
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        throttle.failed(email, client)
        raise HTTPException(401, "wrong email or password", headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(email)
    return _issue(response, settings, user)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, session: SessionDep, settings: SettingsDep,
           bearer: Annotated[str | None, Depends(oauth2_scheme)]) -> Response:
    """Sign out: the token (and every other token of this account) stops working at once."""
    user = user_from_token(session, settings, request_token(request, bearer))
    if user is not None:
        user.token_version += 1
        session.commit()
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser, session: SessionDep) -> UserOut:
    return user_out(session, user)


@router.put("/me/password", response_model=TokenOut,
            responses={403: {"description": "wrong current password"},
                       422: {"description": "the new password is refused"}})
def change_password(body: PasswordIn, user: CurrentUser, session: SessionDep,
                    settings: SettingsDep, response: Response) -> TokenOut:
    """Change the password: every earlier token is revoked; a new one is returned (and set)."""
    if not verify_password(body.current_password, user.password_hash):
        raise HTTPException(403, "the current password is wrong")
    _check_password(body.new_password, user.email)
    user.password_hash = hash_password(body.new_password)
    user.token_version += 1
    session.commit()
    return _issue(response, settings, user)


@router.delete("/me", status_code=204, responses={403: {"description": "wrong password"}})
def delete_me(body: DeleteMeIn, user: CurrentUser, session: SessionDep,
              settings: SettingsDep) -> Response:
    """Delete the account: every clip with its files, notes and reviews; the password confirms."""
    if not verify_password(body.password, user.password_hash):
        raise HTTPException(403, "the password is wrong")
    delete_user(session, settings, user)
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


@router.put("/me/coach", response_model=UserOut, responses={422: {"description": "not athlete"}})
def set_coach(body: CoachIn, user: CurrentUser, session: SessionDep) -> UserOut:
    """An athlete asks to join a coach (the coach accepts first), or leaves their coach."""
    if user.role != "athlete":
        raise HTTPException(422, "only athletes have a coach")
    _request_coach(session, user, body.coach)
    session.commit()
    session.refresh(user)
    return user_out(session, user)
