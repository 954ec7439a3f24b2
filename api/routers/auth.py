"""Accounts and sign-in: OAuth2 password flow, bearer token, and the same token as a cookie."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select

from api.deps import COOKIE_NAME, CurrentUser, SessionDep, SettingsDep
from api.models import User
from api.security import create_token, hash_password, verify_password

router = APIRouter(prefix="/api", tags=["auth"])

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not an email address")
    return value


class RegisterIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(min_length=8, max_length=256)
    role: Literal["athlete", "coach"] = "athlete"
    coach: str | None = Field(default=None, description="the coach's email (athletes only)")

    _check_email = field_validator("email")(_email)


class UserOut(BaseModel):
    id: int
    email: str
    role: str
    coach: str | None
    athletes: int = 0


class CoachIn(BaseModel):
    coach: str | None = Field(default=None, description="the coach's email; null to leave")


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def user_out(session: SessionDep, user: User) -> UserOut:
    athletes = 0
    if user.role == "coach":
        count = select(func.count()).select_from(User).where(User.coach_id == user.id)
        athletes = session.scalar(count) or 0
    return UserOut(id=user.id, email=user.email, role=user.role,
                   coach=user.coach.email if user.coach else None, athletes=athletes)


def _find_coach(session: SessionDep, email: str) -> User:
    coach = session.scalar(select(User).where(User.email == email.strip().lower()))
    if coach is None or coach.role != "coach":
        raise HTTPException(422, f"no coach is registered as {email!r}")
    return coach


@router.post("/auth/register", status_code=201, response_model=UserOut)
def register(body: RegisterIn, session: SessionDep) -> UserOut:
    if session.scalar(select(User).where(User.email == body.email)) is not None:
        raise HTTPException(409, "an account with this email already exists")
    coach_id = None
    if body.coach:
        if body.role == "coach":
            raise HTTPException(422, "a coach account cannot have a coach")
        coach_id = _find_coach(session, body.coach).id
    user = User(email=body.email, password_hash=hash_password(body.password), role=body.role,
                coach_id=coach_id)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user_out(session, user)


@router.post("/auth/token", response_model=TokenOut)
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep,
          settings: SettingsDep, response: Response) -> TokenOut:
    user = session.scalar(select(User).where(User.email == form.username.strip().lower()))
    if not verify_password(form.password, user.password_hash if user else None) or user is None:
        raise HTTPException(401, "wrong email or password", headers={"WWW-Authenticate": "Bearer"})
    access = create_token(settings.secret_key, str(user.id), settings.token_ttl_s)
    response.set_cookie(COOKIE_NAME, access, max_age=settings.token_ttl_s, httponly=True,
                        samesite="lax", secure=settings.cookie_secure, path="/")
    return TokenOut(access_token=access, expires_in=settings.token_ttl_s)


@router.post("/auth/logout", status_code=204)
def logout() -> Response:
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


@router.get("/me", response_model=UserOut)
def me(user: CurrentUser, session: SessionDep) -> UserOut:
    return user_out(session, user)


@router.put("/me/coach", response_model=UserOut)
def set_coach(body: CoachIn, user: CurrentUser, session: SessionDep) -> UserOut:
    """An athlete chooses (or leaves) their coach; the coach then sees the athlete's clips."""
    if user.role != "athlete":
        raise HTTPException(422, "only athletes have a coach")
    user = session.merge(user)
    user.coach_id = _find_coach(session, body.coach).id if body.coach else None
    session.commit()
    session.refresh(user)
    return user_out(session, user)
