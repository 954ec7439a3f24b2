"""Sessions and recognition in Chromium: a recording of two sets uploaded as a session against a
plan (the session page lists the sets, jumps the video to one, checks the plan and compares the
legs, offline and at a phone's width), a clip whose exercise FormCheck recognises and its owner
re-runs as another, and the live page recognising the exercise and taking a one-tap correction."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.api.media import SESSION_REPS, render_session
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    cut_off_tables,
    drawing_video_copy,
    finish_drawing,
    screenshot,
    sign_in,
    wait_until,
    write_y4m,
)
from tests.browser.test_journeys import ANALYSIS_TIMEOUT_MS, canvas_has_ink

# A session is analysed in two passes (sets, then the labelled video) on a machine running other
# tests: allowed longer than one clip.
SESSION_TIMEOUT_MS = 2 * ANALYSIS_TIMEOUT_MS
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ATHLETE, STRANGER = "sessions-athlete@example.org", "sessions-stranger@example.org"


@pytest.fixture(scope="module")
def accounts(service):  # type: ignore[no-untyped-def]
    return {ATHLETE: service.account(ATHLETE), STRANGER: service.account(STRANGER)}


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_session(tmp_path_factory.mktemp("session") / "two_sets_of_deadlifts.mp4")


def off_site_requests(page: Page, base: str) -> list[str]:
    seen: list[str] = []
    host = urlsplit(base).netloc
    page.on("request", lambda r: seen.append(r.url) if urlsplit(r.url).netloc not in (host, "") else None)
    return seen


def wait_for_result(page: Page, pattern: str, timeout_ms: float) -> None:
    """Wait until the upload page moves on to the result page; fail with what the page says."""
    try:
        page.wait_for_url(pattern, timeout=timeout_ms)
    except PlaywrightTimeout:
        screenshot(page, "upload-stuck")
        said = page.evaluate("[document.querySelector('#upload-msg').textContent, "
                             "document.querySelector('#analysis-stage').textContent, "
                             "document.querySelector('#analysis-pct').textContent].join(' | ')")
        raise AssertionError(f"no result page after {timeout_ms / 1000:g} s: {said}") from None


def test_upload_a_session_and_jump_to_a_set(service, accounts, recording, browser):
    page = browser.new_context(viewport=DESKTOP).new_page()
    off_site = off_site_requests(page, service.url)
    sign_in(page, service, ATHLETE)
    page.check("#is-session")
    expect(page.locator("#exercise")).to_be_hidden()
    page.select_option("#plan", "workout_b")
    expect(page.locator("#plan-info")).to_contain_text("3 x 10 per leg")
    page.set_input_files("#file", str(recording))
    page.click("#upload-submit")
    wait_for_result(page, "**/sessions/*", SESSION_TIMEOUT_MS)
    session_id = page.url.rsplit("/", 1)[-1]
    sets = page.locator("#sets .set")
    expect(sets).to_have_count(2, timeout=30_000)
    expect(page.locator("#title")).to_contain_text("Workout B")
    for k, side in enumerate(("left", "right")):
        expect(sets.nth(k)).to_contain_text(f"Set {k + 1} · Single-leg deadlift")
        expect(sets.nth(k).locator(".chip." + side)).to_have_count(1)
        expect(sets.nth(k)).to_contain_text(f"{side} ")
    expect(page.locator("#sets .rest")).to_have_count(1)
    expect(page.locator("#sets .rest")).to_contain_text("Rest ")
    # The plan: deadlifts done 1 set per leg of 3; the other exercises missing.
    row = page.locator("#plan-table tr[data-exercise='single_leg_deadlift']")
    expect(row).to_contain_text(re.compile(r"L \d+ · R \d+"))  # one set on each leg
    expect(row).to_contain_text("of 3 sets")
    expect(page.locator("#plan-missing")).to_contain_text("Glute bridge")
    expect(page.locator("#legs-table tr[data-exercise='single_leg_deadlift']")).to_have_count(1)
    expect(page.locator("#legs-verdict")).not_to_be_empty()
    # Click the second set: the video (drawn after the sets are shown) jumps to its start.
    wait_until(page, "document.querySelector('#video').readyState >= 1", SESSION_TIMEOUT_MS / 1000)
    start = float(sets.nth(1).get_attribute("data-start"))
    sets.nth(1).locator(".set-jump").click()
    wait_until(page, f"Math.abs(document.querySelector('#video').currentTime - {start}) < 0.2")
    expect(sets.nth(1)).to_have_class("set current")
    with service.client() as http:
        data = http.get(f"/api/analyses/{session_id}", headers=accounts[ATHLETE]).json()["session"]
    reps = [s["reps_by_side"][s["side"]] for s in data["sets"]]
    assert all(abs(n - SESSION_REPS) <= 1 for n in reps), reps
    screenshot(page, "session-desktop")
    assert off_site == [], off_site

    # The list on the upload page opens the session page.
    page.goto(f"{service.url}/upload")
    page.locator(f"#clips tbody tr[data-id='{session_id}']").click()
    page.wait_for_url(f"**/sessions/{session_id}")

    # At a phone's width, nothing wider than the screen.
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, service, ATHLETE)
    phone.goto(f"{service.url}/sessions/{session_id}")
    expect(phone.locator("#sets .set")).to_have_count(2, timeout=30_000)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "session-phone")
    # Every table fits its card without scrolling: the plan's status is a word, what falls short
    # is said under the exercise's name.
    assert cut_off_tables(phone) == []
    expect(phone.locator("#plan-table tr[data-exercise='step_up'] .chip")).to_have_text("missing")
    # A set whose likelier guess counted no rep says so beside its reps.
    def passed_over(route):
        response = route.fetch()
        body = response.json()
        if body["session"]:  # none while the session is analysed again
            first = body["session"]["sets"][0]
            first["recognition"] = {"exercise": first["exercise"], "confidence": 0.3, "sure": False,
                                    "alternatives": [{"exercise": "glute_bridge", "confidence": 0.6}],
                                    "same_movement": [], "no_reps": ["glute_bridge"]}
        route.fulfill(response=response, json=body)

    phone.route(f"**/api/analyses/{session_id}", passed_over)
    phone.reload()
    expect(phone.locator("#sets .set").first).to_contain_text(
        "not sure (30%, as Glute bridge counted no rep); next: Glute bridge 60%", timeout=30_000)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The athlete says which exercise it was, in one tap: the session is analysed again from the
    # poses it kept, that set as named, the other as before.
    first = phone.locator("#sets .set").first
    first.locator(".name-set summary").click()
    expect(first.locator(".name-set .alt")).to_have_text(["Glute bridge"])
    expect(first.locator(".name-set select option")).to_have_count(23)  # every other exercise
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "session-name-a-set-phone")
    first.locator(".name-set .alt").click()
    named = phone.locator("#sets .set").first
    expect(named).to_contain_text("Set 1 · Glute bridge", timeout=SESSION_TIMEOUT_MS)
    expect(named).to_contain_text("named by you")
    expect(phone.locator("#sets .set").nth(1)).to_contain_text("Set 2 · Single-leg deadlift")
    wait_until(phone, "document.body.dataset.ready === 'athlete'", SESSION_TIMEOUT_MS / 1000)
    expect(named.locator(".name-set .alt")).to_have_count(0)  # named: no guess to correct
    phone.unroute(f"**/api/analyses/{session_id}")
    with service.client() as http:
        sets = http.get(f"/api/analyses/{session_id}", headers=accounts[ATHLETE]).json()["session"]["sets"]
    assert [(x["exercise"], x["named"]) for x in sets] == [("glute_bridge", True),
                                                           ("single_leg_deadlift", False)]

    # While the video is drawn the sets are shown already, the video's progress in the player;
    # when the job ends the video takes its place.
    drawing = drawing_video_copy(service, session_id)
    phone.goto(f"{service.url}/sessions/{drawing}")
    expect(phone.locator("#sets .set")).to_have_count(2, timeout=30_000)
    expect(phone.locator("#video-pending")).to_contain_text("Drawing the annotated video")
    expect(phone.locator("#video-pct")).to_have_text("85%")
    expect(phone.locator("#video")).to_be_hidden()
    expect(phone.locator("#download-video")).to_have_count(0)
    expect(phone.locator("#took")).to_have_text(" · report in 2.0 s")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finish_drawing(service, drawing, session_id)
    expect(phone.locator("#video")).to_be_visible(timeout=10_000)
    expect(phone.locator("#video-pending")).to_be_hidden()
    expect(phone.locator("#download-video")).to_be_visible()
    expect(phone.locator("#took")).to_have_text(" · report in 2.0 s, video in 3.0 s")
    wait_until(phone, "document.body.dataset.ready === 'athlete'")

    # Another user gets nothing; the owner deletes it from its page.
    other = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(other, service, STRANGER)
    other.goto(f"{service.url}/sessions/{session_id}")
    expect(other.locator("#msg .error")).to_contain_text("no such analysis")
    expect(other.locator("#sets .set")).to_have_count(0)
    expect(other.locator("#delete-clip")).to_have_count(0)
    page.goto(f"{service.url}/sessions/{session_id}")
    expect(page.locator("#sets .set")).to_have_count(2, timeout=30_000)
    page.once("dialog", lambda d: d.accept())
    page.click("#delete-clip")
    page.wait_for_url("**/upload")
    assert not (service.data_dir / "clips" / session_id).exists()
    for p in (page, phone, other):
        p.context.close()


def test_the_session_box_ticked_while_the_page_loads_takes_effect(service, accounts, browser):
    # The athlete ticks "several sets" before the page has its exercises and plans: once they
    # arrive, the page shows the session's fields, not the single set's.
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, service, ATHLETE)
    held = []
    page.route("**/api/meta", lambda route: held.append(route))
    page.goto(f"{service.url}/upload", wait_until="domcontentloaded")
    page.check("#is-session")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for its exercises and plans"
    expect(page.locator("#session-fields")).to_be_hidden()  # nothing set up yet
    held[0].continue_()
    expect(page.locator("#exercise")).to_be_hidden()
    expect(page.locator("#session-fields")).to_be_visible()
    page.unroute("**/api/meta")
    page.context.close()


def test_a_recognised_clip_says_so_and_is_rerun_in_one_tap(service, accounts, clips, browser):
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, service, ATHLETE)
    page.select_option("#exercise", "auto")
    expect(page.locator("#exercise-info")).to_contain_text("recognises the exercise")
    page.set_input_files("#file", str(clips.squat))
    page.click("#upload-submit")
    wait_for_result(page, "**/clips/*", ANALYSIS_TIMEOUT_MS)
    expect(page.locator("#recognition")).to_be_visible(timeout=30_000)
    expect(page.locator("#title")).to_have_text("Squat")
    verdict = page.locator("#recognition-verdict")
    with service.client() as http:
        clip_id = page.url.rsplit("/", 1)[-1]
        rec = http.get(f"/api/analyses/{clip_id}", headers=accounts[ATHLETE]).json()["recognition"]
    expect(verdict).to_contain_text("Recognised as Squat" if rec["sure"] else "Not sure")
    alternatives = page.locator("#recognition-alternatives .alt")
    expect(alternatives).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "clip-recognised-phone")
    expect(page.locator("#recognition-no-reps")).to_have_count(0)
    # A likelier guess passed over because its counter found no rep: the page says why.
    def passed_over(route):
        response = route.fetch()
        body = response.json()
        body["recognition"].update(sure=False, no_reps=["calf_raise"],
                                   unsure_because="no jump was seen, which a jump squat needs")
        # A fault clearly past the squat's limit, marked possible: the squat is only a guess.
        body["faults"] = [{"index": 0, "rep": 1, "code": "knee_valgus", "severity": "major",
                           "time_s": 1.0, "value": 0.5, "limit": 0.7, "unit": "ratio",
                           "cue": "Push your knees out.", "side": None, "confidence": "possible",
                           "margin": 0.2, "uncertainty": 0.05, "review": None}]
        route.fulfill(response=response, json=body)

    page.route(f"**/api/analyses/{clip_id}", passed_over)
    page.reload()
    expect(page.locator("#recognition-no-reps")).to_have_text(
        "Calf raise counted no rep in this clip, so Squat, which does, was taken.")
    expect(page.locator("#recognition-verdict")).to_contain_text("Not sure")
    expect(page.locator("#recognition-because")).to_have_text(
        "No jump was seen, which a jump squat needs: check it before trusting the count and the faults.")
    guessed = page.locator("#faults .fault")
    expect(guessed).to_have_count(1)
    expect(guessed.locator(".chip.possible")).to_have_text("worth a look")
    expect(guessed.locator(".certainty")).to_contain_text(
        "clearly past it, but the exercise is only a best guess")
    page.unroute(f"**/api/analyses/{clip_id}")
    page.reload()
    expect(page.locator("#recognition")).to_be_visible(timeout=30_000)
    # One tap on an alternative: the clip is analysed again as that exercise.
    other = alternatives.first.get_attribute("data-exercise")
    alternatives.first.click()
    with service.client() as http:
        exercises = {e["id"]: e["name"] for e in http.get("/api/exercises").json()}
    expect(page.locator("#title")).to_have_text(exercises[other])
    expect(page.locator("#stats")).to_be_visible(timeout=ANALYSIS_TIMEOUT_MS)  # analysed again
    expect(page.locator("#recognition-verdict")).to_have_count(0)  # named now, not recognised
    expect(page.locator("#reanalyse")).to_be_visible()
    page.context.close()


def test_live_recognises_the_exercise_and_takes_a_one_tap_correction(service, accounts, clips,
                                                                     tmp_path, playwright):
    y4m = write_y4m(clips.squat, tmp_path / "squat.y4m", lead_s=6.0)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}"])
    try:
        page = browser.new_page(viewport=PHONE)
        sign_in(page, service, ATHLETE)
        page.goto(f"{service.url}/live?exercise=auto")
        expect(page.locator("#exercise")).to_have_value("auto")
        page.click("#start")
        expect(page.locator("#recognised-text")).to_contain_text("Watching your first reps",
                                                                 timeout=60_000)
        expect(page.locator("#recognised")).to_have_attribute("data-by", "recognition",
                                                              timeout=90_000)
        expect(page.locator("#recognised-text")).to_contain_text("Squat")
        expect(page.locator("#count-left")).to_have_text("–")  # squats: both legs together
        assert canvas_has_ink(page, "#overlay"), "no skeleton drawn over the camera"
        screenshot(page, "live-recognised-phone")
        # The athlete was doing lunges, say: one choice, and the reps are counted per leg.
        page.select_option("#recognised-other", "lunge")
        expect(page.locator("#recognised")).to_have_attribute("data-by", "athlete", timeout=30_000)
        expect(page.locator("#recognised-text")).to_contain_text("Counting Lunge")
        expect(page.locator("#count-left")).not_to_have_text("–", timeout=30_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        browser.close()
