"""Cross-site request forgery in a real browser: a signed-in athlete opens an attacker's page.

The attacker's pages are served from another port of the same host (same site: cookies are shared
across ports, SameSite does not help) and from another origin (localhost instead of 127.0.0.1).
Each page tries, with the victim's cookies, to sign the browser into the attacker's account, sign
the victim out, upload a clip, post a note and review a fault. None of it may work.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import func, select

from api.models import Analysis, FaultReview, Note
from tests.api.conftest import PASSWORD
from tests.browser.conftest import Service, screenshot, service_database, sign_in, wait_until

REPORT = {"exercise": "squat", "rep_count": 1, "reps_by_side": None,
          "reps": [{"index": 1, "side": None, "faults": [
              {"code": "knee_valgus", "severity": "major", "time_s": 1.0, "cue": "Knees out."}]}]}


class AttackerSite:
    """Serves the attack page (whatever `page` holds) on a port of its own."""

    def __init__(self) -> None:
        self.page = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                body = site.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def attacker() -> Iterator[AttackerSite]:
    site = AttackerSite()
    yield site
    site.close()


def attack_page(target: str, clip: str) -> str:
    """Every forgery at once: plain form posts (no script needed) and fetch() with cookies."""
    return f"""<!doctype html><html><body>
<iframe name="sink" style="display:none"></iframe>
<form id="login" method="post" action="{target}/api/auth/token" target="sink">
  <input name="username" value="attacker@example.org"><input name="password" value="{PASSWORD}">
</form>
<form id="note" method="post" action="{target}/api/analyses/{clip}/notes" target="sink"
      enctype="text/plain"><input name='{{"text": "forged", "x": "' value='"}}'></form>
<script>
const opts = (body, type) => ({{method: "POST", mode: "no-cors", credentials: "include",
  body, headers: type ? {{"Content-Type": type}} : {{}}}});
async function attack() {{
  const tries = [];
  const form = new FormData();
  form.append("exercise", "squat");
  form.append("file", new Blob(["not much of a video"], {{type: "video/mp4"}}), "set.mp4");
  tries.push(fetch("{target}/api/analyses", opts(form)));
  tries.push(fetch("{target}/api/analyses/{clip}/notes",
                   opts(JSON.stringify({{text: "forged by fetch"}}), "text/plain")));
  tries.push(fetch("{target}/api/analyses/{clip}/faults/0/review", {{method: "PUT",
    credentials: "include", headers: {{"Content-Type": "application/json"}},
    body: JSON.stringify({{verdict: "dismissed"}})}}));
  tries.push(fetch("{target}/api/auth/token",
                   opts(new URLSearchParams({{username: "attacker@example.org",
                                              password: "{PASSWORD}"}}))));
  document.getElementById("note").submit();
  await Promise.allSettled(tries);
  document.getElementById("login").submit();
  await new Promise((r) => setTimeout(r, 1500));
  await fetch("{target}/api/auth/logout", opts(null)).catch(() => null);
  document.title = "attacked";
}}
attack();
</script></body></html>"""


def _counts(service: Service, clip: str, owner_id: int) -> tuple[int, int, int]:
    with service_database(service) as db, db.session() as s:
        clips = s.scalar(select(func.count()).select_from(Analysis)
                         .where(Analysis.owner_id == owner_id)) or 0
        notes = s.scalar(select(func.count()).select_from(Note)
                         .where(Note.analysis_id == clip)) or 0
        reviews = s.scalar(select(func.count()).select_from(FaultReview)
                           .where(FaultReview.analysis_id == clip)) or 0
    return clips, notes, reviews


def _done_clip(service: Service, owner_id: int) -> str:
    with service_database(service) as db, db.transaction() as s:
        row = Analysis(owner_id=owner_id, exercise="squat", original_name="set.mp4",
                       size_bytes=10, duration_s=2.0, status="done", stage="done",
                       progress=1.0, report=REPORT)
        s.add(row)
        s.flush()
        return row.id


def _me(page: Page, service: Service) -> dict:
    page.goto(f"{service.url}/api/me")
    return json.loads(page.inner_text("body"))


@pytest.mark.parametrize("attacker_host", ["127.0.0.1", "localhost"],
                         ids=["another-port", "another-origin"])
def test_a_page_elsewhere_cannot_act_for_the_signed_in_user(service, attacker, browser,
                                                            attacker_host, tmp_path: Path):
    victim_email = f"victim-{attacker_host}@example.org"
    try:
        service.account("attacker@example.org")
    except AssertionError:
        pass  # made by the other parametrisation
    service.account(victim_email)
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, service, victim_email)
    victim = _me(page, service)
    clip = _done_clip(service, victim["id"])
    before = _counts(service, clip, victim["id"])

    attacker.page = attack_page(service.url, clip)
    evil = context.new_page()
    evil.goto(f"http://{attacker_host}:{attacker.port}/")
    wait_until(evil, "document.title === 'attacked'")
    screenshot(evil, f"csrf-{attacker_host}")
    evil.close()

    # Still the victim, still signed in: no sign-in as the attacker, no sign-out.
    assert _me(page, service)["email"] == victim_email
    # Nothing uploaded, no note, no review.
    assert _counts(service, clip, victim["id"]) == before == (1, 0, 0)
    # The same actions from the service's own pages work.
    page.goto(f"{service.url}/clips/{clip}")
    page.fill("#note-text", "my own note")
    page.click("#note-submit")
    page.wait_for_selector("#notes .note")
    assert _counts(service, clip, victim["id"])[1] == 1
    page.click("#logout")
    page.wait_for_url("**/login")
    page.goto(f"{service.url}/api/me")
    assert "not signed in" in page.inner_text("body")
    context.close()


def test_sign_in_does_not_follow_next_off_site(service, browser):
    service.account("next@example.org")
    page = browser.new_page()
    port = service.url.rsplit(":", 1)[1]
    for target in (f"/\\localhost:{port}/pwned", f"//localhost:{port}/pwned",
                   f"https://localhost:{port}/pwned"):
        page.goto(f"{service.url}/login?next={target}")
        page.fill("#login-email", "next@example.org")
        page.fill("#login-password", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url(lambda url: "/login" not in url)
        assert page.url == f"{service.url}/upload", target
        # The upload page's own requests finish first: one answered 401 after the cookies are
        # cleared would send the page to sign-in with next=/upload, racing the next goto.
        page.wait_for_load_state("networkidle")
        page.context.clear_cookies()
    page.goto(f"{service.url}/login?next=/live")
    page.fill("#login-email", "next@example.org")
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{service.url}/live")
    page.close()


def test_an_athlete_deletes_a_clip_from_its_page(service, browser):
    service.account("deleter@example.org")
    page = browser.new_page()
    sign_in(page, service, "deleter@example.org")
    me = _me(page, service)
    clip = _done_clip(service, me["id"])
    folder = service.data_dir / "clips" / clip
    folder.mkdir(parents=True)
    (folder / "annotated.mp4").write_bytes(b"video")
    page.goto(f"{service.url}/clips/{clip}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#delete-clip")
    page.wait_for_url(f"{service.url}/upload")
    assert not folder.exists()
    assert _counts(service, clip, me["id"])[0] == 0
    page.close()
