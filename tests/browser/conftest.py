"""Browser tests: the service in a subprocess on a free loopback port, driven by Debian's Chromium.

Screenshots go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import httpx
import numpy as np
import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright
from sqlalchemy import update

from api.db import Database
from api.models import Analysis, new_id
from api.storage import clip_files
from formcheck.video import iter_frames
from tests.api.conftest import PASSWORD, make_settings
from tests.api.media import Clips, render_clips
from tests.served import served

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(
                    reason=f"{CHROMIUM} not found: install Debian's chromium package"))


@dataclass
class Service:
    url: str
    data_dir: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def account(self, email: str, role: str = "athlete", coach: str | None = None) -> dict:
        """Register (through the API) and return bearer headers."""
        with self.client() as http:
            r = http.post("/api/auth/register", json={"email": email, "password": PASSWORD,
                                                      "role": role, "coach": coach})
            assert r.status_code == 201, r.text
            token = http.post("/api/auth/token", data={"username": email, "password": PASSWORD})
            return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """`formcheck serve` equivalent with its embedded worker, on a temporary data folder."""
    data_dir = tmp_path_factory.mktemp("service")
    with served(data_dir, {"FORMCHECK_WORKERS": "2"}, stop=signal.SIGINT) as url:
        yield Service(url, data_dir)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    return render_clips(tmp_path_factory.mktemp("clips"))


def render_pistols_both_legs(path: Path) -> Path:
    """A rendered (mannequin) set of pistol squats from the front: 2 on the left leg with the knee
    caving in 35 deg at each bottom, then 2 on the right leg tracking straight."""
    from formcheck import synth
    from formcheck.encoder import VideoWriter
    from formcheck.mannequin import frames

    options = {"view": "front", "reps": 2, "depth_deg": 60.0, "free_leg_deg": 45.0,
               "size": (480, 480), "fps": 15.0}
    parts = [synth.pistol(side="left", valgus_deg=35.0, **options),
             synth.pistol(side="right", valgus_deg=0.0, **options)]
    offset = 0.0
    with VideoWriter(path, 480, 480, 15.0) as writer:
        for seq in parts:
            for t, image in zip(seq.t, frames(seq), strict=True):
                writer.write(image, offset + float(t))
            offset += float(seq.t[-1]) + 1.0 / 15.0
    return writer.path


@pytest.fixture(scope="session")
def pistols(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pistols_both_legs(tmp_path_factory.mktemp("pistols") / "pistols_both_legs.mp4")


def write_y4m(src: Path, dest: Path, *, width: int = 640, fps: int = 15,
              lead_s: float = 0.0) -> Path:
    """Convert a video to the raw Y4M (4:2:0) that Chromium's fake camera plays in a loop.

    lead_s: seconds of the first frame, still, before the clip (time for the page to connect).
    """
    out = None
    next_t = 0.0
    with open(dest, "wb") as f:
        for frame in iter_frames(src):
            if frame.t + 1e-6 < next_t:
                continue  # resample to `fps`
            next_t += 1.0 / fps
            h, w = frame.image.shape[:2]
            size = (width, int(round(h * width / w / 2)) * 2)
            image = cv2.resize(frame.image, size, interpolation=cv2.INTER_AREA)
            yuv = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420).tobytes()
            if out is None:
                f.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
                out = yuv
                for _ in range(int(lead_s * fps)):
                    f.write(b"FRAME\n" + out)
            f.write(b"FRAME\n" + yuv)
    assert out is not None and np.frombuffer(out, np.uint8).size > 0
    return dest


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


DOCS_SHOTS = ROOT / "docs" / "screenshots"


def docs_screenshot(path: Path, name: str, width: int | None = None) -> Path | None:
    """With FORMCHECK_DOCS_SCREENSHOTS=1, a small copy (palette PNG, at most `width` px wide) of a
    screenshot into docs/screenshots/ for the documentation; otherwise nothing."""
    if os.environ.get("FORMCHECK_DOCS_SCREENSHOTS") != "1":
        return None
    from PIL import Image

    image = Image.open(path).convert("RGB")
    if width is not None and image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    out = DOCS_SHOTS / f"{name}.png"
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(out, optimize=True)
    return out


def cut_off_tables(page: Any) -> list[str]:
    """Tables on the page wider than their card (which would scroll them sideways): their ids, or
    their card's. On a phone the columns that matter must all be in view."""
    return page.evaluate("[...document.querySelectorAll('.table-wrap')]"
                         ".filter((w) => w.scrollWidth > w.clientWidth + 1)"
                         ".map((w) => w.querySelector('table').id || w.parentElement.id)")


@contextmanager
def service_database(service: Service) -> Iterator[Database]:
    """The served app's own database (its settings' URL on its data folder), for a test to read or
    change rows behind its back."""
    db = Database(make_settings(service.data_dir).db_url)
    try:
        yield db
    finally:
        db.dispose()


def drawing_video_copy(service: Service, analysis_id: str) -> str:
    """A copy of a finished clip or session as its job leaves it while the annotated video is
    drawn: the report (or sets) recorded, status running at 85%, no video yet. Returns its id."""
    with service_database(service) as db, db.transaction() as s:
        done = s.get(Analysis, analysis_id)
        values = {c.key: getattr(done, c.key) for c in Analysis.__table__.columns}
        values.update(id=new_id(), status="running", stage="video", progress=0.85, report_s=2.0,
                      analysis_s=None, finished_at=None)
        s.add(Analysis(**values))
    src, dest = clip_files(service.data_dir, analysis_id), clip_files(service.data_dir, values["id"])
    shutil.copytree(src.folder, dest.folder, ignore=shutil.ignore_patterns(src.annotated.name))
    return str(values["id"])


def finish_drawing(service: Service, copy: str, analysis_id: str) -> None:
    """The job of drawing_video_copy(service, analysis_id) ends: its video written, done in 3 s."""
    shutil.copy(clip_files(service.data_dir, analysis_id).annotated,
                clip_files(service.data_dir, copy).annotated)
    with service_database(service) as db, db.transaction() as s:
        s.execute(update(Analysis).where(Analysis.id == copy)
                  .values(status="done", stage="done", progress=1.0, analysis_s=3.0))


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression until it is true. Playwright's wait_for_function evaluates its
    predicate with eval inside the page, which the service's Content-Security-Policy (no
    unsafe-eval) rightly refuses; page.evaluate runs through the browser's debugging protocol."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout:g} s: {expression}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless, shared by the browser tests (each opens its own pages)."""
    b = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()


def sign_in(page: Any, service: Service, email: str) -> None:
    """Sign in through the login page as a browser user does."""
    page.goto(f"{service.url}/login")
    page.fill("#login-email", email)
    page.fill("#login-password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url)
