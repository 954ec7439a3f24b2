"""A clip's report, and a session's sets, are served while the annotated video is still being
drawn; a job that fails drawing the video, or is run again, takes the report back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import formcheck
from api.app import create_app
from api.db import Database
from api.runner import run_analysis
from api.settings import Settings
from tests.api.conftest import Account, make_settings, upload
from tests.api.media import SQUAT_REPS


def _detail(client: TestClient, who: Account, clip: str) -> dict:
    return client.get(f"/api/analyses/{clip}", headers=who.headers).json()


def _held(draw: Callable, release: Path) -> Callable:
    """`draw` (a video writer) made to wait until the file `release` exists (at most a minute)."""

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        return draw(*args, **kwargs)

    return held


def _start(db: Database, settings: Settings, analysis_id: str) -> tuple[threading.Thread, list[str]]:
    """The job run in a thread; the list gets its final status."""
    result: list[str] = []
    job = threading.Thread(target=lambda: result.append(run_analysis(db, settings, analysis_id)))
    job.start()
    return job, result


def _first_with(client: TestClient, who: Account, analysis_id: str, key: str) -> dict:
    """The analysis's detail as soon as `key` ("report", "session") is set (at most 2 minutes)."""
    deadline = time.monotonic() + 120
    body = _detail(client, who, analysis_id)
    while body[key] is None and time.monotonic() < deadline:
        time.sleep(0.1)
        body = _detail(client, who, analysis_id)
    assert body[key] is not None, body
    return body


def test_the_report_comes_before_the_video(tmp_path: Path, clips, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path / "data")
    release = tmp_path / "draw the video now"
    held = _held(formcheck.write_annotated_video, release)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the encoder stopped")

    with TestClient(create_app(settings)) as client:  # no queue consumer: jobs run here
        db = client.app.state.db  # type: ignore[attr-defined]
        athlete = Account(client, "a@example.org")
        clip = upload(client, athlete, clips.squat).json()["id"]

        # The video cannot be drawn: the job fails and keeps no report, though it had one.
        monkeypatch.setattr(formcheck, "write_annotated_video", broken)
        assert run_analysis(db, settings, clip) == "failed"
        failed = _detail(client, athlete, clip)
        assert failed["report"] is None and failed["report_s"] is None and failed["rep_count"] is None
        assert failed["can_retry"]
        assert client.get(f"/api/analyses/{clip}/report.json", headers=athlete.headers).status_code == 409

        # Run again (the kept poses skip the pose pass), the video held back until released.
        assert client.post(f"/api/analyses/{clip}/retry", headers=athlete.headers).status_code == 202
        monkeypatch.setattr(formcheck, "write_annotated_video", held)
        job, result = _start(db, settings, clip)
        try:
            body = _first_with(client, athlete, clip, "report")
            assert (body["status"], body["stage"]) == ("running", "video")
            assert body["report"]["rep_count"] == body["rep_count"] == SQUAT_REPS
            assert body["report_s"] > 0 and body["analysis_s"] is None
            assert body["exercise"] == "squat" and body["faults"]
            assert body["frames_url"] and body["video_url"] is None
            get = lambda path: client.get(f"/api/analyses/{clip}/{path}", headers=athlete.headers)  # noqa: E731
            assert get("report.json").json()["rep_count"] == SQUAT_REPS
            assert get("report.csv").status_code == 200
            assert len(get("frames").json()["t"]) > 0
            video = get("video")
            assert video.status_code == 409 and "being drawn" in video.json()["detail"]
            # Reviews wait for the end of the job.
            assert client.put(f"/api/analyses/{clip}/faults/0/review", headers=athlete.headers,
                              json={"verdict": "confirmed"}).status_code == 404
            assert result == []  # the job is still drawing
        finally:
            release.touch()
            job.join(120)
        assert result == ["done"]
        done = _detail(client, athlete, clip)
        assert done["status"] == "done" and done["report"] == body["report"]
        assert done["report_s"] == body["report_s"] <= done["analysis_s"]
        assert get("video").status_code == 200
        assert client.put(f"/api/analyses/{clip}/faults/0/review", headers=athlete.headers,
                          json={"verdict": "confirmed"}).status_code == 200


@pytest.mark.parametrize("restarted", [False, True])
def test_a_job_run_again_starts_without_the_old_report(tmp_path: Path, restarted: bool) -> None:
    """A job stopped while its video was drawn (the service went down) is run again, or failed
    after its last attempt: either way the row shows no report until a new one is made."""
    from api.jobs import recover
    from api.models import Analysis

    settings = make_settings(tmp_path / "data", max_attempts=3 if restarted else 1)
    with TestClient(create_app(settings)) as client:
        app = client.app
        athlete = Account(client, "a@example.org")
        row = Analysis(owner_id=athlete.id, exercise="squat", original_name="set.mp4", size_bytes=10,
                       duration_s=2.0, status="running", stage="video", progress=0.9, attempts=1,
                       report={"exercise": "squat", "rep_count": 1, "reps": []}, report_s=1.0)
        with app.state.db.transaction() as s:  # type: ignore[attr-defined]
            s.add(row)
        clip = row.id
        assert _detail(client, athlete, clip)["rep_count"] == 1
        recover(app.state.db, app.state.queue, workers_dead=True)  # type: ignore[attr-defined]
        body = _detail(client, athlete, clip)
        assert body["status"] == ("queued" if restarted else "failed")
        assert body["report"] is None and body["report_s"] is None


def test_a_sessions_sets_come_before_its_video(tmp_path: Path, clips, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path / "data")
    release = tmp_path / "draw the video now"
    monkeypatch.setattr(formcheck, "write_session_video", _held(formcheck.write_session_video, release))
    with TestClient(create_app(settings)) as client:
        db = client.app.state.db  # type: ignore[attr-defined]
        athlete = Account(client, "a@example.org")
        with open(clips.squat, "rb") as f:
            session = client.post("/api/analyses", headers=athlete.headers, data={"session": "true"},
                                  files={"file": ("routine.mp4", f, "video/mp4")}).json()["id"]
        job, result = _start(db, settings, session)
        try:
            body = _first_with(client, athlete, session, "session")
            assert (body["status"], body["stage"]) == ("running", "video") and body["report_s"] > 0
            assert [s["exercise"] for s in body["session"]["sets"]] == ["squat"]
            get = lambda path: client.get(f"/api/analyses/{session}/{path}", headers=athlete.headers)  # noqa: E731
            assert get("session.json").json()["sets"][0]["rep_count"] == SQUAT_REPS
            assert get("video").status_code == 409
            assert result == []
        finally:
            release.touch()
            job.join(120)
        assert result == ["done"]
        done = _detail(client, athlete, session)
        assert done["session"] == body["session"] and done["report_s"] <= done["analysis_s"]
        assert get("video").status_code == 200
