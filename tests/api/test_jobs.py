"""Analyses as queued jobs, end to end: upload, the worker process analyses, results come back."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Account, make_settings, upload, wait_finished
from tests.api.media import SQUAT_REPS, SQUAT_VALGUS_REPS


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def service(request, tmp_path_factory, clips):  # type: ignore[no-untyped-def]
    """One app with its embedded worker (a real consumer process) for the whole module, on
    SQLite and on PostgreSQL (web process and worker processes share the database).

    The squat and the empty clip are uploaded at once so that both workers run them together.
    """
    url = ""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").new_database()
    settings = make_settings(tmp_path_factory.mktemp("data"), embedded_worker=True, workers=2,
                             database_url=url)
    with pytest.MonkeyPatch.context() as mp:
        from pwdlib import PasswordHash
        from pwdlib.hashers.argon2 import Argon2Hasher

        import api.security

        mp.setattr(api.security, "_hasher", PasswordHash((Argon2Hasher(1, 1024, 1),)))
        with TestClient(create_app(settings)) as client:
            coach = Account(client, "coach@example.org", role="coach")
            athlete = Account(client, "athlete@example.org", coach="coach@example.org")
            squat = upload(client, athlete, clips.squat).json()["id"]
            nobody = upload(client, athlete, clips.nobody).json()["id"]
            yield {"client": client, "coach": coach, "athlete": athlete, "squat": squat,
                   "nobody": nobody, "settings": settings}


@pytest.fixture(scope="module")
def squat_done(service):  # type: ignore[no-untyped-def]
    body = wait_finished(service["client"], service["athlete"], service["squat"])
    assert body["status"] == "done", body["error"]
    return body


def test_health_reports_the_embedded_worker(service):
    body = service["client"].get("/api/health").json()
    assert body == {"status": "ok", "queue": "sqlite", "embedded_worker": True}


def test_report_has_the_known_reps_and_faults(squat_done):
    report = squat_done["report"]
    assert report["exercise"] == "squat" and report["rep_count"] == SQUAT_REPS
    # The drawn valgus is far past the rule's major limit; the undrawn rep may sit near its limit.
    major = {f["rep"] for f in squat_done["faults"]
             if f["code"] == "knee_valgus" and f["severity"] == "major"}
    assert major == set(SQUAT_VALGUS_REPS)
    assert squat_done["progress"] == 1.0 and squat_done["error"] is None
    # How long the job ran: set when it is done, and no longer than the clip had been waiting.
    created = datetime.fromisoformat(squat_done["created_at"])
    finished = datetime.fromisoformat(squat_done["finished_at"])
    assert 0 < squat_done["analysis_s"] <= (finished - created).total_seconds() + 0.01
    assert squat_done["video_url"] and squat_done["frames_url"]
    assert squat_done["fault_count"] == len(squat_done["faults"]) > 0


def test_nobody_in_frame_ends_failed_with_a_message(service):
    body = wait_finished(service["client"], service["athlete"], service["nobody"])
    assert body["status"] == "failed"
    assert "no person found" in body["error"]
    assert str(service["settings"].data_dir) not in body["error"]
    assert body["report"] is None and body["video_url"] is None
    assert body["analysis_s"] is None  # only a finished analysis has taken a time


def test_a_lone_job_splits_its_clip_between_the_cores_a_full_queue_does_not(monkeypatch):
    from api import jobs
    from api.settings import Settings

    for cores, expect in ((2, [2, 1, 1]), (4, [4, 2, 1]), (1, [1, 1, 1])):
        monkeypatch.setattr(jobs, "available_cores", lambda cores=cores: cores)
        assert [jobs.clip_workers(Settings(), running) for running in (1, 2, 4)] == expect
    assert jobs.clip_workers(Settings(clip_workers=3), 2) == 3


def test_video_is_served_with_range_requests(service, squat_done):
    client, headers = service["client"], service["athlete"].headers
    url = squat_done["video_url"]
    whole = client.get(url, headers=headers)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    size = len(whole.content)
    assert whole.content[4:8] == b"ftyp"  # an mp4 container
    part = client.get(url, headers={**headers, "Range": "bytes=100-299"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-299/{size}"
    assert part.content == whole.content[100:300]
    tail = client.get(url, headers={**headers, "Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == whole.content[-50:]
    beyond = client.get(url, headers={**headers, "Range": f"bytes={size + 10}-"})
    assert beyond.status_code == 416


def test_frames_json_matches_the_video(service, squat_done):
    frames = service["client"].get(squat_done["frames_url"],
                                   headers=service["athlete"].headers).json()
    n = squat_done["report"]["video"]["frames"]
    assert len(frames["t"]) == len(frames["landmarks"]) == n
    assert len(frames["landmarks"][n // 2]) == 33 and len(frames["landmarks"][n // 2][0]) == 3
    knee = frames["signals"]["knee_flexion_left"]
    assert len(knee) == n
    # The hips drop in every rep (driver: hip height in leg lengths, larger = lower).
    driver = frames["signals"]["driver"]

    def at(t: float) -> float:
        return driver[min(range(n), key=lambda i: abs(frames["t"][i] - t))]

    for rep in squat_done["report"]["reps"]:
        assert at(rep["bottom_s"]) > at(rep["start_s"]) + 0.1, rep
    assert [0, 1] not in frames["connections"] and len(frames["connections"]) > 10


def test_report_downloads(service, squat_done):
    client, headers = service["client"], service["athlete"].headers
    base = f"/api/analyses/{squat_done['id']}"
    r = client.get(f"{base}/report.json", headers=headers)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert json.loads(r.content) == squat_done["report"]
    r = client.get(f"{base}/report.csv", headers=headers)
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {int(row["rep"]) for row in rows} == set(range(1, SQUAT_REPS + 1))
    assert {int(row["rep"]) for row in rows
            if row["fault"] == "knee_valgus" and row["severity"] == "major"} == set(
        SQUAT_VALGUS_REPS)


def test_fault_reviews_are_kept_beside_the_report(service, squat_done):
    client, coach, athlete = service["client"], service["coach"], service["athlete"]
    base = f"/api/analyses/{squat_done['id']}"
    total = squat_done["fault_count"]
    r = client.put(f"{base}/faults/0/review", headers=coach.headers,
                   json={"verdict": "dismissed", "comment": "camera angle"})
    assert r.status_code == 200
    assert r.json()["review"]["verdict"] == "dismissed"
    assert r.json()["review"]["reviewer"] == "coach@example.org"
    after = client.get(base, headers=athlete.headers).json()
    assert after["fault_count"] == total - 1
    assert after["report"] == squat_done["report"]  # the report itself never changes
    assert after["faults"][0]["review"]["comment"] == "camera angle"
    # The coach's verdict is the coach's: the athlete can neither replace nor remove it.
    r = client.put(f"{base}/faults/0/review", headers=athlete.headers,
                   json={"verdict": "confirmed"})
    assert r.status_code == 403
    assert client.delete(f"{base}/faults/0/review", headers=athlete.headers).status_code == 403
    assert client.get(base, headers=athlete.headers).json()["fault_count"] == total - 1
    r = client.put(f"{base}/faults/0/review", headers=coach.headers,
                   json={"verdict": "confirmed"})
    assert r.json()["review"]["verdict"] == "confirmed"
    assert client.get(base, headers=athlete.headers).json()["fault_count"] == total
    assert client.delete(f"{base}/faults/0/review", headers=coach.headers).json()["review"] is None
    assert client.put(f"{base}/faults/{total}/review", headers=coach.headers,
                      json={"verdict": "dismissed"}).status_code == 404
    assert client.put(f"{base}/faults/0/review", headers=coach.headers,
                      json={"verdict": "maybe"}).status_code == 422


def test_coach_sees_trends_per_leg(service, squat_done):
    client, coach, athlete = service["client"], service["coach"], service["athlete"]
    athletes = client.get("/api/coach/athletes", headers=coach.headers).json()
    assert athletes[0]["clips"] == 2 and athletes[0]["done"] == 1
    trend = client.get(f"/api/coach/athletes/{athlete.id}/trends", headers=coach.headers).json()
    assert [p["analysis_id"] for p in trend] == [squat_done["id"]]
    assert trend[0]["reps"] == {"both": SQUAT_REPS}
    assert sum(trend[0]["faults"].values()) == squat_done["fault_count"]


def test_failed_analysis_can_be_retried(service):
    client, athlete = service["client"], service["athlete"]
    nobody = service["nobody"]
    wait_finished(client, athlete, nobody)
    assert client.post(f"/api/analyses/{nobody}/retry", headers=athlete.headers).status_code == 202
    again = wait_finished(client, athlete, nobody)
    assert again["status"] == "failed" and "no person found" in again["error"]
    # Nobody in the clip: running it again cannot help, so the pages offer no retry.
    assert again["stage"] == "rejected" and again["can_retry"] is False
