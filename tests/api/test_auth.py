"""Accounts, sign-in and tokens through the HTTP interface."""

from __future__ import annotations

import time

from api.deps import COOKIE_NAME
from api.security import create_token, read_token
from tests.api.conftest import PASSWORD, Account, csrf


def test_register_sign_in_and_me(client):
    athlete = Account(client, "Runner@Example.org")
    me = client.get("/api/me", headers=athlete.headers)
    assert me.status_code == 200
    assert me.json() == {"id": athlete.id, "email": "runner@example.org", "role": "athlete",
                         "coach": None, "coach_status": None, "athletes": 0}


def test_token_is_also_set_as_http_only_cookie(client):
    Account(client, "a@example.org")
    r = client.post("/api/auth/token", data={"username": "a@example.org", "password": PASSWORD})
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=") and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert client.get("/api/me").status_code == 200  # the cookie alone signs the client in
    assert client.post("/api/auth/logout", headers=csrf(client)).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    Account(client, "a@example.org")
    wrong = client.post("/api/auth/token", data={"username": "a@example.org", "password": "nope"})
    nobody = client.post("/api/auth/token", data={"username": "b@example.org", "password": "x"})
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json() == nobody.json() == {"detail": "wrong email or password"}


def test_register_refuses_bad_input(client):
    Account(client, "a@example.org")
    duplicate = client.post("/api/auth/register",
                            json={"email": "A@example.org", "password": PASSWORD})
    assert duplicate.status_code == 409
    assert client.post("/api/auth/register",
                       json={"email": "not-an-email", "password": PASSWORD}).status_code == 422
    assert client.post("/api/auth/register",
                       json={"email": "b@example.org", "password": "short"}).status_code == 422
    assert client.post("/api/auth/register", json={
        "email": "c@example.org", "password": PASSWORD, "role": "admin"}).status_code == 422


def test_coach_link_at_registration_and_later(client):
    coach = Account(client, "coach@example.org", role="coach")
    athlete = Account(client, "a@example.org", coach="coach@example.org", accepted=False)
    me = client.get("/api/me", headers=athlete.headers).json()
    assert (me["coach"], me["coach_status"]) == ("coach@example.org", "pending")
    assert client.get("/api/me", headers=coach.headers).json()["athletes"] == 0
    accepted = client.post(f"/api/coach/requests/{athlete.id}/accept", headers=coach.headers)
    assert accepted.status_code == 200, accepted.text
    assert client.get("/api/me", headers=athlete.headers).json()["coach_status"] == "accepted"
    assert client.get("/api/me", headers=coach.headers).json()["athletes"] == 1
    left = client.put("/api/me/coach", headers=athlete.headers, json={"coach": None})
    assert left.json()["coach"] is None
    assert client.get("/api/me", headers=coach.headers).json()["athletes"] == 0
    assert client.put("/api/me/coach", headers=coach.headers,
                      json={"coach": "coach@example.org"}).status_code == 422


def test_missing_forged_and_expired_tokens_are_refused(client, settings):
    athlete = Account(client, "a@example.org")
    assert client.get("/api/me").status_code == 401
    head, body, _sig = athlete.token.split(".")
    forged = f"{head}.{body}.{'A' * 43}"
    assert client.get("/api/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    expired = create_token(settings.secret_key, str(athlete.id), ttl_s=60, now=time.time() - 120)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {expired}"}).status_code == 401
    other_key = create_token("another secret " * 4, str(athlete.id), ttl_s=60)
    assert client.get("/api/me",
                      headers={"Authorization": f"Bearer {other_key}"}).status_code == 401


def test_token_round_trip_and_tampering():
    key = "k" * 48
    token = create_token(key, "42", ttl_s=100, version=3)
    claims = read_token(key, token)
    assert claims is not None and (claims.subject, claims.version) == ("42", 3)
    assert read_token(key, create_token(key, "42", ttl_s=10, now=time.time() - 11)) is None
    assert read_token("o" * 48, token) is None
    head, body, sig = token.split(".")
    assert read_token(key, f"{head}.{body}x.{sig}") is None
    assert read_token(key, "not.a-token") is None
    # The "none" algorithm and a token without expiry are refused.
    import jwt
    unsigned = jwt.encode({"sub": "42", "iat": 1, "exp": time.time() + 60}, None, algorithm="none")
    assert read_token(key, unsigned) is None
    forever = jwt.encode({"sub": "42", "iat": 1}, key, algorithm="HS256")
    assert read_token(key, forever) is None


def test_secret_key_persists_across_restarts(tmp_path):
    from api.settings import Settings

    first = Settings(data_dir=tmp_path).prepare().secret_key
    second = Settings(data_dir=tmp_path).prepare().secret_key
    assert first == second and len(first) > 40
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
