"""Attacks on the service, each answered: cross-site requests, sign-in abuse, tokens, limits, input.

Every test here is an attack from the security review (or a check that its defence does not get
in the way of a legitimate client).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routers.pages import safe_next
from api.security import password_problem
from api.web_security import CSRF_COOKIE, new_csrf_token
from tests.api.conftest import PASSWORD, Account, csrf, make_settings, upload

ME = "http://testserver"
ELSEWHERE = "http://testserver:8766"  # a page on another port of the same host


def cookie_session(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign the test client in the way the login page does: same origin, token from the page."""
    client.cookies.clear()
    page = client.get("/login")
    assert CSRF_COOKIE in page.cookies
    r = client.post("/api/auth/token", data={"username": email, "password": password},
                    headers={"Origin": ME, **csrf(client)})
    assert r.status_code == 200, r.text


# ---- cross-site request forgery ----

def test_login_from_another_origin_is_refused(client):
    Account(client, "attacker@example.org")
    client.get("/login")  # the victim's browser has a CSRF cookie from an earlier visit
    for origin in (ELSEWHERE, "http://evil.example", "null"):
        r = client.post("/api/auth/token", headers={"Origin": origin, **csrf(client)},
                        data={"username": "attacker@example.org", "password": PASSWORD})
        assert r.status_code == 403, (origin, r.text)
        assert "cross-site" in r.json()["detail"]
        assert "formcheck_token" not in r.headers.get("set-cookie", "")
    referer = client.post("/api/auth/token", headers={"Referer": f"{ELSEWHERE}/pwn.html"},
                          data={"username": "attacker@example.org", "password": PASSWORD})
    assert referer.status_code == 403


def test_login_from_a_browser_needs_the_csrf_token(client):
    Account(client, "a@example.org")
    client.get("/login")
    without = client.post("/api/auth/token", headers={"Origin": ME},
                          data={"username": "a@example.org", "password": PASSWORD})
    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    ok = client.post("/api/auth/token", headers={"Origin": ME, **csrf(client)},
                     data={"username": "a@example.org", "password": PASSWORD})
    assert ok.status_code == 200


def test_cookie_requests_need_the_token_and_the_own_origin(client, noise_video):
    athlete = Account(client, "a@example.org")
    cookie_session(client, "a@example.org")
    assert client.get("/api/me").status_code == 200  # reading needs no token
    note_url = None
    with open(noise_video, "rb") as f:
        forged_upload = client.post("/api/analyses", data={"exercise": "squat"},
                                    files={"file": ("x.mp4", f, "video/mp4")})
    assert forged_upload.status_code == 403
    with open(noise_video, "rb") as f:
        cross_origin = client.post("/api/analyses", data={"exercise": "squat"},
                                   headers={"Origin": ELSEWHERE, **csrf(client)},
                                   files={"file": ("x.mp4", f, "video/mp4")})
    assert cross_origin.status_code == 403
    with open(noise_video, "rb") as f:
        good = client.post("/api/analyses", data={"exercise": "squat"},
                           headers={"Origin": ME, **csrf(client)},
                           files={"file": ("x.mp4", f, "video/mp4")})
    assert good.status_code == 202, good.text
    note_url = f"/api/analyses/{good.json()['id']}/notes"
    assert client.post(note_url, json={"text": "forged"}).status_code == 403
    assert client.post(note_url, json={"text": "forged"},
                       headers={"X-CSRF-Token": "nonce.0123456789abcdef0123456789abcdef"}
                       ).status_code == 403
    assert client.post(note_url, json={"text": "mine"}, headers=csrf(client)).status_code == 201
    assert client.put(f"/api/analyses/{good.json()['id']}/faults/0/review",
                      json={"verdict": "dismissed"}).status_code == 403
    assert client.post("/api/auth/logout").status_code == 403  # sign-out is checked too
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/analyses", headers=athlete.headers).json()[0]["id"] == good.json()["id"]


def test_a_planted_csrf_cookie_is_refused(client):
    """Cookies do not keep ports apart: a neighbour may set one. Unsigned values are refused."""
    Account(client, "a@example.org")
    cookie_session(client, "a@example.org")
    client.cookies.set(CSRF_COOKIE, "planted.by-the-neighbour")
    r = client.post("/api/auth/logout", headers={"X-CSRF-Token": "planted.by-the-neighbour"})
    assert r.status_code == 403
    signed_elsewhere = new_csrf_token("another service's key" * 3)
    client.cookies.set(CSRF_COOKIE, signed_elsewhere)
    r = client.post("/api/auth/logout", headers={"X-CSRF-Token": signed_elsewhere})
    assert r.status_code == 403


def test_an_authorization_header_never_falls_back_to_the_cookie(client):
    """Requests with an Authorization header skip the CSRF checks: they must not use the cookie."""
    Account(client, "a@example.org")
    cookie_session(client, "a@example.org")
    session_cookie = client.cookies.get("formcheck_token")
    for header in ("Bearer ", "Bearer not-a-token", "Basic YTpi"):
        assert client.get("/api/me", headers={"Authorization": header}).status_code == 401
        client.post("/api/auth/logout", headers={"Authorization": header})
        client.cookies.set("formcheck_token", session_cookie)
        assert client.get("/api/me").status_code == 200, header  # the session was not revoked


def test_bearer_clients_need_no_csrf_token(client, noise_video):
    athlete = Account(client, "a@example.org")
    r = client.post("/api/auth/token", data={"username": "a@example.org", "password": PASSWORD})
    assert r.status_code == 200  # an API client signing in: no Origin, no cookie, no token
    client.cookies.clear()
    assert upload(client, athlete, noise_video).status_code == 202
    assert client.post("/api/auth/logout", headers=athlete.headers).status_code == 204


# ---- security headers ----

def test_security_headers_on_every_kind_of_response(client):
    athlete = Account(client, "a@example.org")
    responses = [client.get("/login"), client.get("/api/health"), client.get("/static/common.js"),
                 client.get("/api/me"), client.get("/api/nothing-here"),
                 client.get("/api/me", headers=athlete.headers),
                 client.get("/upload", follow_redirects=False),
                 client.post("/api/auth/token", headers={"Origin": ELSEWHERE}),
                 client.get("/api/analyses?limit=-1", headers=athlete.headers),
                 client.delete("/api/exercises", headers=athlete.headers)]
    assert {r.status_code for r in responses} >= {200, 303, 401, 403, 404, 405, 422}
    for r in responses:
        assert r.headers["x-content-type-options"] == "nosniff", r.url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp, r.url
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "same-origin"


def test_pages_are_not_cached(client):
    """A page from the browser's cache would come back without the CSRF cookie it set."""
    r = client.get("/login")
    assert r.headers["cache-control"] == "no-store" and CSRF_COOKIE in r.cookies


def test_docs_page_has_no_inline_script(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    html = r.text
    assert html.count("<script") == html.count("<script src=") == 2
    assert client.get("/static/docs.js").status_code == 200


def test_pages_have_no_inline_scripts_or_handlers():
    """The CSP refuses inline scripts: every page's code must be a file under /static."""
    import re

    from api.routers.pages import TEMPLATES

    for page in TEMPLATES.glob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (page.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", html), page.name
        assert "javascript:" not in html, page.name


# ---- redirects after sign-in ----

@pytest.mark.parametrize("target", ["/\\localhost:8766/pwned", "//evil.example/x", "https://evil.example",
                                    "/\t/evil.example", "\\\\evil.example", "evil.example", ""])
def test_next_must_be_a_path_on_this_site(client, target):
    assert safe_next(target) is None
    r = client.get("/login", params={"next": target}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"


def test_next_keeps_paths_on_this_site(client):
    for target in ("/upload", "/clips/abc?x=1", "/compare?a=1&b=2"):
        assert safe_next(target) == target
        assert client.get("/login", params={"next": target}).status_code == 200


# ---- sign-in throttling, token revocation, password policy ----

def test_failed_sign_ins_are_throttled_per_account(tmp_path):
    settings = make_settings(tmp_path / "data", login_failures_per_account=3)
    with TestClient(create_app(settings)) as client:
        Account(client, "a@example.org")
        for _ in range(3):
            r = client.post("/api/auth/token", data={"username": "a@example.org", "password": "x"})
            assert r.status_code == 401
        blocked = client.post("/api/auth/token",
                              data={"username": "a@example.org", "password": PASSWORD})
        assert blocked.status_code == 429  # even the right password, until the window passes
        assert 0 < int(blocked.headers["retry-after"]) <= settings.login_window_s
        other = Account(client, "b@example.org")  # other accounts are not affected
        assert other.token


def test_failed_sign_ins_are_throttled_per_client_address(tmp_path):
    settings = make_settings(tmp_path / "data", login_failures_per_client=5)
    with TestClient(create_app(settings)) as client:
        Account(client, "a@example.org")
        for i in range(5):  # one guess each on many accounts
            client.post("/api/auth/token", data={"username": f"u{i}@example.org", "password": "x"})
        r = client.post("/api/auth/token", data={"username": "a@example.org", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_logout_revokes_the_token_everywhere(client):
    athlete = Account(client, "a@example.org")
    cookie_session(client, "a@example.org")
    stolen_cookie = client.cookies.get("formcheck_token")
    assert client.post("/api/auth/logout", headers={"Origin": ME, **csrf(client)}).status_code == 204
    assert client.get("/api/me", headers=athlete.headers).status_code == 401  # bearer replay
    client.cookies.set("formcheck_token", stolen_cookie)
    assert client.get("/api/me").status_code == 401  # cookie replay
    client.cookies.clear()
    again = client.post("/api/auth/token", data={"username": "a@example.org", "password": PASSWORD})
    assert client.get("/api/me", headers={
        "Authorization": f"Bearer {again.json()['access_token']}"}).status_code == 200


def test_a_revoked_token_cannot_open_a_live_session(client):
    athlete = Account(client, "a@example.org")
    assert client.post("/api/auth/logout", headers=athlete.headers).status_code == 204
    with client.websocket_connect(f"/api/live?exercise=squat&token={athlete.token}") as ws:
        reply = ws.receive_json()
    assert reply["type"] == "error" and "not signed in" in reply["detail"]


def test_password_change_revokes_old_tokens(client):
    athlete = Account(client, "a@example.org")
    wrong = client.put("/api/me/password", headers=athlete.headers,
                       json={"current_password": "not it at all", "new_password": "a new long one"})
    assert wrong.status_code == 403
    weak = client.put("/api/me/password", headers=athlete.headers,
                      json={"current_password": PASSWORD, "new_password": "password1"})
    assert weak.status_code == 422 and "common" in weak.json()["detail"]
    r = client.put("/api/me/password", headers=athlete.headers,
                   json={"current_password": PASSWORD, "new_password": "a new long one"})
    assert r.status_code == 200
    assert client.get("/api/me", headers=athlete.headers).status_code == 401
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert client.get("/api/me", headers=fresh).status_code == 200


@pytest.mark.parametrize("password, why", [
    ("password", "common"), ("Password", "common"), ("12345678", "common"), ("iloveyou", "common"),
    ("short", "too short"), ("a@example.org", "email"), ("x" * 300, "422")])
def test_weak_passwords_are_refused_with_a_reason(client, password, why):
    r = client.post("/api/auth/register", json={"email": "a@example.org", "password": password})
    assert r.status_code == 422
    assert why == "422" or why in str(r.json()["detail"])


def test_password_policy_accepts_pass_phrases():
    assert password_problem("correct horse battery", "a@example.org") is None
    assert password_problem("Tr4ck-Intervals!", "a@example.org") is None
    assert "email" in (password_problem("runner12", "runner12@example.org") or "")


# ---- input validation: 4xx, never 500 ----

@pytest.mark.parametrize("path", [
    "/api/analyses?limit=-99999999999999999999", "/api/analyses?limit=-1", "/api/analyses?limit=0",
    "/api/analyses?limit=99999999999999999999", "/api/analyses?athlete_id=99999999999999999999",
    "/api/analyses?athlete_id=-5", "/api/coach/athletes/99999999999999999999/trends",
    "/api/coach/athletes/-1/trends", "/api/analyses/x/faults/-1/review",
    "/api/analyses/x/notes/99999999999999999999", "/api/coach/requests/99999999999999999999/accept",
])
def test_out_of_range_integers_are_client_errors(client, path):
    coach = Account(client, "c@example.org", role="coach")
    for method in ("GET", "POST", "PUT", "DELETE"):
        r = client.request(method, path, headers=coach.headers)
        assert 400 <= r.status_code < 500, (method, path, r.status_code, r.text)


def test_limit_minus_one_no_longer_returns_everything(client, noise_video):
    athlete = Account(client, "a@example.org")
    upload(client, athlete, noise_video)
    r = client.get("/api/analyses?limit=-1", headers=athlete.headers)
    assert r.status_code == 422
    assert len(client.get("/api/analyses?limit=1", headers=athlete.headers).json()) == 1


# ---- request bodies that stall ----

def test_a_stalled_request_body_times_out(tmp_path):
    settings = make_settings(tmp_path / "data", body_timeout_s=0.5)
    app = create_app(settings)

    async def stalled() -> AsyncIterator[bytes]:
        yield b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.mp4\"\r\n\r\n"
        await asyncio.sleep(30)  # the client declared 400 MB and stops sending
        yield b"never"

    async def attack() -> tuple[int, float, dict]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url=ME) as http:
            with TestClient(app) as sync:
                token = Account(sync, "a@example.org").token
            started = asyncio.get_running_loop().time()
            r = await http.post("/api/analyses?exercise=squat", content=stalled(), headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "multipart/form-data; boundary=b",
                "Content-Length": str(400 * 1024 * 1024)})
            return r.status_code, asyncio.get_running_loop().time() - started, r.json()

    status, took, body = asyncio.run(attack())
    assert status == 408 and "stalled" in body["detail"]
    assert took < 5
    clips = settings.data_dir / "clips"
    assert not clips.exists() or not any(clips.iterdir())  # the partial upload is gone
