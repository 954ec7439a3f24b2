"""The pages in Chromium on rendered clips: left versus right on a per-leg set, the exercise picker,
the exercise-mismatch warning, no off-site request, and every page fitting a phone's width.

The clip-page screenshots (desktop and phone) are written to test-artifacts/browser/; with
FORMCHECK_DOCS_SCREENSHOTS=1 small copies go to docs/screenshots/ (those in the repository were
made so, on the rendered clip below, never on real footage).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from formcheck.catalogue import VIEW_NAMES
from tests.browser.conftest import (
    ROOT,
    Service,
    cut_off_tables,
    docs_screenshot,
    drawing_video_copy,
    finish_drawing,
    screenshot,
    sign_in,
    wait_until,
)
from tests.browser.test_journeys import ANALYSIS_TIMEOUT_MS

FIXTURES = ROOT / "fixtures" / "videos"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ATHLETE, COACH = "pages-athlete@example.org", "pages-coach@example.org"


@dataclass
class Uploaded:
    pistols: str  # per-leg: 2 left reps (knee caving in), 2 right
    bridge_squat: str  # a squat analysed as a glute bridge
    nobody: str  # an empty room: failed, cannot be retried


def _upload(service: Service, headers: dict, path: Path, exercise: str) -> str:
    with service.client() as http, open(path, "rb") as f:
        r = http.post("/api/analyses", headers=headers, data={"exercise": exercise},
                      files={"file": f})
        assert r.status_code == 202, r.text
        return r.json()["id"]


@pytest.fixture(scope="module")
def uploaded(service: Service, pistols: Path, clips) -> Uploaded:  # type: ignore[no-untyped-def]
    coach = service.account(COACH, role="coach")
    athlete = service.account(ATHLETE, coach=COACH)
    with service.client() as http:  # the coach accepts the athlete's request
        for request in http.get("/api/coach/requests", headers=coach).json():
            r = http.post(f"/api/coach/requests/{request['id']}/accept", headers=coach)
            assert r.status_code < 300, r.text
    out = Uploaded(pistols=_upload(service, athlete, pistols, "pistol_squat"),
                   bridge_squat=_upload(service, athlete, clips.squat, "glute_bridge"),
                   nobody=_upload(service, athlete, clips.nobody, "squat"))
    deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
    with service.client() as http:
        for analysis_id in (out.pistols, out.bridge_squat, out.nobody):
            while http.get(f"/api/analyses/{analysis_id}", headers=athlete).json()["status"] in (
                    "queued", "running"):
                assert time.monotonic() < deadline, "the analyses did not finish"
                time.sleep(0.5)
    return out


def page_for(browser: Browser, service: Service, email: str, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    sign_in(page, service, email)
    return page


def all_pages(uploaded: Uploaded) -> list[str]:
    return ["/upload", f"/clips/{uploaded.pistols}", f"/clips/{uploaded.bridge_squat}",
            f"/clips/{uploaded.nobody}", f"/compare?a={uploaded.pistols}&b={uploaded.bridge_squat}",
            "/live", "/docs"]


def test_per_leg_clip_page_shows_each_leg_and_the_verdict(service, uploaded, browser):
    page = page_for(browser, service, ATHLETE, DESKTOP)
    page.goto(f"{service.url}/clips/{uploaded.pistols}")
    expect(page.locator("#stats")).to_be_visible(timeout=30_000)
    expect(page.locator("#stats .stat.left .v")).to_have_text("2")
    expect(page.locator("#stats .stat.right .v")).to_have_text("2")
    expect(page.locator("#stats .stat.view .v")).to_have_text("front")
    expect(page.locator("#reps-left")).to_have_text("2")
    expect(page.locator("#reps-right")).to_have_text("2")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("Left knee caves in")
    expect(verdict).to_contain_text("deg more than the right")
    beyond = page.locator("#symmetry .findings li.beyond")
    expect(beyond.first).to_contain_text("measurement's noise here is about 8 deg")
    expect(page.locator("#symmetry tr.beyond[data-code=knee_valgus]")).to_have_count(1)
    prescription = page.locator("#prescription")
    expect(prescription).to_contain_text("5-10 per leg")
    expect(prescription).to_contain_text("left 2, right 2")
    assert "per leg per leg" not in prescription.inner_text()
    # Human words: no code with underscores, no raw view id, headed columns.
    for box in ("#symmetry", "#faults", "#legend", "#reps-table thead"):
        assert "_" not in page.locator(box).inner_text(), box
    expect(page.locator("#faults .fault .title").first).to_contain_text("Knee caving in")
    expect(page.locator("#faults .fault").first).to_contain_text(
        re.compile(r"knee caving in at the bottom \(front view\): \d+ deg \(limit 12 deg\)"))
    # How far past the limit and how sure, in words; a fault within its uncertainty is worth a look.
    certainty = page.locator("#faults .fault .certainty")
    expect(certainty.first).to_contain_text(
        re.compile(r"\d+ deg past the limit; measured to about \d+ deg, "))
    for row in page.locator("#faults .fault").all():
        possible = "worth a look rather than certain" in row.locator(".certainty").inner_text()
        expect(row.locator(".grades .chip.possible")).to_have_count(1 if possible else 0)
        if possible:
            expect(row.locator(".grades .chip.possible")).to_have_text("worth a look")
    expect(page.locator("#reps-table thead")).to_contain_text("seconds")
    wait_until(page, "document.querySelector('#video').readyState >= 2")
    docs_screenshot(screenshot(page, "clip-per-leg-desktop"), "clip-desktop", width=960)

    phone = page_for(browser, service, ATHLETE, PHONE)
    phone.goto(f"{service.url}/clips/{uploaded.pistols}")
    expect(phone.locator("#verdict")).to_contain_text("Left knee caves in", timeout=30_000)
    wait_until(phone, "document.querySelector('#video').readyState >= 2")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    docs_screenshot(screenshot(phone, "clip-per-leg-phone"), "clip-phone")


def test_exercise_picker_starts_empty_and_remembers_the_choice(service, uploaded, browser):
    page = page_for(browser, service, ATHLETE, DESKTOP)
    expect(page).to_have_url(f"{service.url}/upload")
    picker = page.locator("#exercise")
    expect(picker.locator("option").first).to_have_text("Choose an exercise…")
    assert picker.input_value() == ""
    page.set_input_files("#file", str(FIXTURES / "squat_front_clean.mp4"))
    expect(page.locator("#upload-submit")).to_be_disabled()  # a video alone is not enough
    picker.select_option("pistol_squat")
    expect(page.locator("#upload-submit")).to_be_enabled()
    expect(page.locator("#exercise-info")).to_contain_text("5-10 per leg")
    page.reload()
    expect(page.locator("#exercise")).to_have_value("pistol_squat")  # remembered on this device
    page.goto(f"{service.url}/live")
    expect(page.locator("#exercise")).to_have_value("pistol_squat")
    fresh = page_for(browser, service, ATHLETE, DESKTOP)  # another device: nothing remembered
    fresh.goto(f"{service.url}/live")
    expect(fresh.locator("#exercise option").first).to_have_text("Choose an exercise…")
    assert fresh.locator("#exercise").input_value() == ""
    expect(fresh.locator("#start")).to_be_disabled()


def test_a_squat_analysed_as_a_bridge_is_called_out(service, uploaded, browser):
    page = page_for(browser, service, ATHLETE, DESKTOP)
    page.goto(f"{service.url}/clips/{uploaded.bridge_squat}")
    expect(page.locator("#mismatch")).to_contain_text("does not look like a glute bridge",
                                                      timeout=30_000)
    expect(page.locator("#mismatch")).to_contain_text("upright")


def test_a_clip_nobody_is_in_shows_its_name_and_no_pointless_retry(service, uploaded, browser):
    page = page_for(browser, service, ATHLETE, DESKTOP)
    page.goto(f"{service.url}/clips/{uploaded.nobody}")
    expect(page.locator("#failed-reason")).to_contain_text("no person found", timeout=30_000)
    expect(page.locator("#title")).to_have_text("Squat")
    expect(page.locator("#retry")).to_be_hidden()
    page.goto(f"{service.url}/upload")
    row = page.locator(f"#clips tbody tr[data-id='{uploaded.nobody}']")
    expect(row).to_contain_text("Squat")
    expect(row.locator(".status")).to_have_text("failed")


def test_no_page_loads_an_off_site_resource(service, uploaded, browser):
    own = urlsplit(service.url).netloc
    off_site: list[str] = []

    def check(request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own:
            off_site.append(request.url)

    for email, paths in ((ATHLETE, ["/login", *all_pages(uploaded)]), (COACH, ["/coach"])):
        page = page_for(browser, service, email, DESKTOP)
        page.on("request", check)
        for path in paths:
            page.goto(f"{service.url}{path}")
            page.wait_for_load_state("networkidle")
        assert off_site == [], off_site
    # The API documentation renders from the service's own copy of Swagger UI.
    page.goto(f"{service.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("FormCheck")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen_with_the_header_intact(service, uploaded, browser, viewport):
    for email, paths in ((ATHLETE, all_pages(uploaded)), (COACH, ["/coach", "/login"])):
        page = page_for(browser, service, email, viewport)
        for path in paths:
            page.goto(f"{service.url}{path}")
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} is {width} px wide at {viewport['width']}"
            # No column (a rep's faults, a clip's status, left vs right) out of sight.
            wide = cut_off_tables(page)
            if wide:
                screenshot(page, "wide-" + path.strip("/").replace("/", "-"))
            assert wide == [], f"{path}: {wide} wider than their card"
            if path in ("/docs", "/login"):
                continue
            header = page.locator("header.topbar")
            box = header.bounding_box()
            assert box is not None and box["x"] >= 0 and box["width"] <= viewport["width"]
            for item in ("a.brand", "#logout", "nav a >> nth=-1"):
                b = header.locator(item).bounding_box()
                assert b is not None, (path, item)
                inside = (b["x"] >= 0 and b["x"] + b["width"] <= viewport["width"]
                          and b["y"] >= box["y"] and b["y"] + b["height"] <= box["y"] + box["height"])
                assert inside, f"{item} falls outside the header on {path}"


def test_coach_sees_per_leg_trends_notes_and_both_legs_points(service, uploaded, browser):
    page = page_for(browser, service, COACH, DESKTOP)
    expect(page).to_have_url(f"{service.url}/coach")
    page.select_option("#trend-exercise", "pistol_squat")
    points = page.eval_on_selector("#trend", "c => JSON.parse(c.dataset.points)")
    reps = {side: (x, y) for side, key, x, y in points if key == "reps"}
    assert reps["left"][1] == reps["right"][1]  # 2 reps each: the same height...
    assert abs(reps["left"][0] - reps["right"][0]) >= 8  # ...drawn apart, both visible
    expect(page.locator("#trend-table")).to_contain_text("Left knee caves in")
    expect(page.locator("#trend-table")).to_contain_text("5-10 per leg: left leg short (2 of 5)")

    page.goto(f"{service.url}/clips/{uploaded.pistols}")
    expect(page.locator("#stats")).to_be_visible(timeout=30_000)
    page.fill("#note-text", "Left knee: band around the knees next week.")
    page.click("#note-submit")
    expect(page.locator("#notes .note")).to_have_count(1)
    page.locator("#notes .note .delete-note").click()
    expect(page.locator("#notes .note")).to_have_count(0)
    expect(page.locator("#notes")).to_contain_text("No notes yet.")


def test_a_clip_being_analysed_reads_analysing_with_its_progress(service, uploaded, browser):
    page = page_for(browser, service, ATHLETE, DESKTOP)
    page.select_option("#exercise", "squat")
    page.set_input_files("#file", str(FIXTURES / "squat_front_clean.mp4"))
    page.click("#upload-submit")
    samples: list[tuple[str, str]] = []
    deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
    while "/clips/" not in page.url and time.monotonic() < deadline:
        try:
            sample = page.evaluate("""() => {
            const rows = document.querySelectorAll('#clips tbody tr .status');
            const bar = document.querySelector('#analysis-progress');
            return bar.classList.contains('hidden') || !rows.length ? null
                : [rows[0].textContent, document.querySelector('#analysis-pct').textContent]; }""")
        except PlaywrightError:  # the page went on to the finished clip meanwhile
            break
        if sample:
            samples.append(tuple(sample))
        time.sleep(0.1)
    page.wait_for_url("**/clips/*", timeout=ANALYSIS_TIMEOUT_MS)
    running = [s for s in samples if s[1] != "0%"]
    assert running, samples
    assert not [s for s in running if s[0] in ("waiting", "queued")], samples
    assert any(s[0].startswith("analysing ") and s[0].endswith("%") for s in running), samples


def test_the_report_shows_while_the_video_is_drawn(service, uploaded, browser):
    clip = drawing_video_copy(service, uploaded.pistols)
    page = page_for(browser, service, ATHLETE, PHONE)
    page.goto(f"{service.url}/clips/{clip}")
    # The report, left against right and the faults at once; the video's progress in the player.
    expect(page.locator("#stats .stat.left .v")).to_have_text("2", timeout=30_000)
    expect(page.locator("#verdict")).to_contain_text("Left knee caves in")
    expect(page.locator("#video-pending")).to_contain_text("Drawing the annotated video")
    expect(page.locator("#video-pct")).to_have_text("85%")
    expect(page.locator("#video")).to_be_hidden()
    expect(page.locator("#download-json")).to_be_visible()
    expect(page.locator("#download-video")).to_have_count(0)
    assert "null" not in page.locator("#downloads").inner_text()
    expect(page.locator("#took")).to_have_text(" · report in 2.0 s")
    expect(page.locator("#faults .fault button.good").first).to_be_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "clip-video-drawing-phone")
    # The job ends: the video takes its place in the player without a reload.
    page.evaluate("window.sameDocument = true")
    finish_drawing(service, clip, uploaded.pistols)
    expect(page.locator("#video")).to_be_visible(timeout=10_000)
    expect(page.locator("#video-pending")).to_be_hidden()
    wait_until(page, "document.querySelector('#video').readyState >= 2")
    expect(page.locator("#download-video")).to_be_visible()
    expect(page.locator("#took")).to_have_text(" · report in 2.0 s, video in 3.0 s")
    expect(page.locator("#faults .fault button.good").first).to_be_enabled()
    assert page.evaluate("window.sameDocument") is True
    assert page.get_attribute("body", "data-ready") == "athlete"


FOOTAGE = ROOT.parent / "shared" / "footage"
REAL_PER_LEG = "lunge_barbell_45deg_gymstero_1.mp4"  # labelled: 4 alternating lunges, 2 per leg


@pytest.mark.footage
def test_per_leg_clip_page_on_real_footage(service, uploaded, browser):
    clip = FOOTAGE / "clips" / REAL_PER_LEG
    if not clip.exists():
        pytest.skip(f"labelled footage not found at {FOOTAGE}")
    athlete = service.account("pages-footage@example.org")
    analysis_id = _upload(service, athlete, clip, "lunge")
    deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
    with service.client() as http:
        while (d := http.get(f"/api/analyses/{analysis_id}", headers=athlete).json())["status"] in (
                "queued", "running"):
            assert time.monotonic() < deadline, "the analysis did not finish"
            time.sleep(0.5)
    assert d["status"] == "done" and d["per_leg"] is True
    by_side = d["report"]["reps_by_side"]
    assert by_side["left"] > 0 and by_side["right"] > 0
    for viewport in (DESKTOP, PHONE):
        page = page_for(browser, service, "pages-footage@example.org", viewport)
        page.goto(f"{service.url}/clips/{analysis_id}")
        expect(page.locator("#stats .stat.left .v")).to_have_text(str(by_side["left"]),
                                                                   timeout=30_000)
        expect(page.locator("#stats .stat.right .v")).to_have_text(str(by_side["right"]))
        expect(page.locator("#stats .stat.view .v")).to_have_text(VIEW_NAMES[d["report"]["view"]])
        expect(page.locator("#reps-left")).to_have_text(str(by_side["left"]))
        expect(page.locator("#verdict")).not_to_be_empty()
        assert "_" not in page.locator("#symmetry").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
