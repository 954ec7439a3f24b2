"""The three journeys in a real browser: upload a set, train live, review as a coach."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import Page, Playwright, expect

from tests.api.media import SQUAT_REPS
from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    Service,
    screenshot,
    sign_in,
    wait_until,
    write_y4m,
)

FOOTAGE = ROOT.parent / "shared" / "footage"
ANALYSIS_TIMEOUT_MS = 180_000


def canvas_has_ink(page: Page, selector: str) -> bool:
    return page.eval_on_selector(selector, """c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
        return false; }""")


def test_journey_upload_a_set(service, clips, browser):
    service.account("upload@example.org")
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    sign_in(page, service, "upload@example.org")
    expect(page).to_have_url(f"{service.url}/upload")
    page.select_option("#exercise", "squat")
    page.set_input_files("#file", str(clips.squat))
    screenshot(page, "1-upload-form")
    page.click("#upload-submit")
    expect(page.locator("#analysis-progress")).to_be_visible()
    page.wait_for_url("**/clips/*", timeout=ANALYSIS_TIMEOUT_MS)
    expect(page.locator("#stats")).to_be_visible(timeout=30_000)
    expect(page.locator("#stats .stat").first.locator(".v")).to_have_text(str(SQUAT_REPS))
    expect(page.locator("#reps-table tbody tr")).to_have_count(SQUAT_REPS)
    wait_until(page, "document.querySelector('#video').readyState >= 1")
    faults = page.locator("#faults .fault")
    assert faults.count() > 0
    # Click a fault: the video jumps to it.
    target = page.evaluate("Number(document.querySelector('#faults .fault a').textContent"
                           ".split('·')[1].trim().split(':')[1])")
    faults.first.locator("a").click()
    wait_until(page, f"Math.abs(document.querySelector('#video').currentTime - {target}) < 0.2")
    assert canvas_has_ink(page, "#timeline") and canvas_has_ink(page, "#plot")
    expect(page.locator("#legend label")).not_to_have_count(0)
    with page.expect_download() as download:
        page.click("#download-json")
    report = json.loads(open(download.value.path()).read())
    assert report["rep_count"] == SQUAT_REPS
    screenshot(page, "1-result")
    # How long the analysis took (the report, then the video), on the clip page and in the upload
    # page's list of clips.
    clip_id = page.url.rsplit("/", 1)[-1]
    wait_until(page, "document.body.dataset.ready === 'athlete'")  # the job is done
    body = page.evaluate(f"fetch('/api/analyses/{clip_id}').then(r => r.json())")
    took, report_s = body["analysis_s"], body["report_s"]
    assert 0 < report_s <= took < ANALYSIS_TIMEOUT_MS / 1000
    shown = page.locator("#took").inner_text()
    match = re.fullmatch(r" · report in (\d+(?:\.\d)?) s, video in (\d+(?:\.\d)?) s", shown)
    assert match, shown
    for text, value in zip(match.groups(), (report_s, took), strict=True):
        assert abs(float(text) - value) <= (0.05 if value < 10 else 0.5) + 1e-9
    page.goto(f"{service.url}/upload")
    expect(page.locator(f"#clips tbody tr[data-id='{clip_id}'] .took")).to_have_text(
        f"{match.group(1)} s, video {match.group(2)} s")
    page.close()


def live_reps(playwright: Playwright, browser_args: list[str], service: Service, exercise: str,
              expected: list[int], shot: str) -> int:
    """Open the live page with a fake camera; return the rep count once it reaches `expected`."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", *browser_args])
    try:
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        sign_in(page, service, "live@example.org")
        page.goto(f"{service.url}/live?exercise={exercise}")
        page.click("#start")
        expect(page.locator("#status")).to_contain_text("Tracking", timeout=60_000)
        total = page.locator("#count-total")
        deadline = time.monotonic() + 90
        while int(total.inner_text()) < min(expected) and time.monotonic() < deadline:
            time.sleep(0.25)
        screenshot(page, shot)
        assert canvas_has_ink(page, "#overlay"), "no skeleton drawn over the camera"
        count = int(total.inner_text())
        events = page.locator("#events > div").count()
    finally:
        browser.close()
    assert events == min(count, 8)
    return count


def test_journey_live_with_a_rendered_clip_as_webcam(service, clips, tmp_path, playwright):
    service.account("live@example.org")
    # The clip begins with the figure standing still for 8 s: the page connects before rep 1.
    y4m = write_y4m(clips.squat, tmp_path / "squat.y4m", lead_s=8.0)
    count = live_reps(playwright, [f"--use-file-for-fake-video-capture={y4m}"], service, "squat",
                      [SQUAT_REPS], "2-live-rendered")
    assert count >= SQUAT_REPS


def test_journey_live_with_real_footage_as_webcam(service, tmp_path, playwright):
    labels = FOOTAGE / "labels.jsonl"
    if not labels.exists():
        pytest.skip(f"labelled footage not found at {FOOTAGE}")
    name = "squat_front_nowva_1.mp4"
    label = next(json.loads(line) for line in labels.read_text().splitlines()
                 if json.loads(line)["file"] == name)
    try:
        service.account("live@example.org")
    except AssertionError:
        pass  # registered by the other live test
    y4m = write_y4m(FOOTAGE / "clips" / name, tmp_path / "footage.y4m", lead_s=8.0)
    expected = [label["reps"], *label.get("reps_alt", [])]
    count = live_reps(playwright, [f"--use-file-for-fake-video-capture={y4m}"], service, "squat",
                      expected, "2-live-footage")
    assert count >= min(expected)


def test_journey_coach_review(service, clips, browser):
    service.account("coach@example.org", role="coach")
    athlete = service.account("athlete@example.org", coach="coach@example.org")
    with service.client() as http:
        ids = []
        for _ in range(2):  # this week's set and last week's
            with open(clips.squat, "rb") as f:
                ids.append(http.post("/api/analyses", headers=athlete,
                                     data={"exercise": "squat"}, files={"file": f}).json()["id"])
        deadline = time.monotonic() + ANALYSIS_TIMEOUT_MS / 1000
        while any(http.get(f"/api/analyses/{i}", headers=athlete).json()["status"] != "done"
                  for i in ids):
            assert time.monotonic() < deadline, "the analyses did not finish"
            time.sleep(0.5)

    page = browser.new_page(viewport={"width": 1360, "height": 900})
    sign_in(page, service, "coach@example.org")
    expect(page).to_have_url(f"{service.url}/coach")
    # The athlete asked to join: nothing is shared until the coach accepts.
    expect(page.locator(".athlete")).to_have_count(0)
    expect(page.locator("#requests .request .email")).to_have_text("athlete@example.org")
    page.locator("#requests button", has_text="Accept").click()
    expect(page.locator("#requests")).to_have_count(0)
    expect(page.locator(".athlete")).to_have_count(1)
    expect(page.locator(".athlete .email")).to_have_text("athlete@example.org")
    expect(page.locator("#clips tbody tr")).to_have_count(2)  # one athlete: opened at once
    expect(page.locator("#trend-table tbody tr")).to_have_count(2)
    assert canvas_has_ink(page, "#trend")
    screenshot(page, "3-coach-dashboard")

    page.locator(f"#clips tbody tr[data-id='{ids[0]}']").click()
    expect(page.locator("#stats")).to_be_visible(timeout=30_000)
    page.fill("#note-text", "Knees out on reps 2 and 3, film the left side next week.")
    page.click("#note-submit")
    expect(page.locator("#notes .note")).to_have_count(1)
    expect(page.locator("#notes .note .meta")).to_contain_text("coach@example.org (coach)")
    first = page.locator("#faults .fault").first
    open_faults = int(page.locator("#stats .stat", has_text="faults").locator(".v").inner_text())
    first.locator("button", has_text="Dismiss").click()
    expect(page.locator("#faults .fault").first).to_have_class("fault dismissed")
    expect(page.locator("#stats .stat", has_text="faults").locator(".v")).to_have_text(
        str(open_faults - 1))
    screenshot(page, "3-clip-review")
    with service.client() as http:
        faults = http.get(f"/api/analyses/{ids[0]}/faults", headers=athlete).json()
        assert faults[0]["review"]["verdict"] == "dismissed"
        assert faults[0]["review"]["reviewer"] == "coach@example.org"

    page.select_option("#compare-with", ids[1])
    page.click("#compare-go")
    page.wait_for_url("**/compare?*")
    expect(page.locator("video")).to_have_count(2)
    expect(page.locator("#col-b #stats")).to_be_visible()
    screenshot(page, "3-compare")
    page.close()
