"""Coach consent, deleting clips and accounts, failed uploads cleaned up, owner-only files, upload
rate and quota."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.models import Analysis, FaultReview, Note, User
from api.retention import clean_up
from api.runner import run_analysis
from api.storage import clip_files
from tests.api.conftest import PASSWORD, Account, make_settings, upload

REPORT = {"exercise": "squat", "rep_count": 1, "reps_by_side": None,
          "reps": [{"index": 1, "side": None, "faults": [
              {"code": "knee_valgus", "severity": "major", "time_s": 1.0, "cue": "Knees out."}]}]}
OUTPUTS = ("source.mp4", "annotated.mp4", "frames.json", "report.json", "report.csv")


def finished_clip(client: TestClient, owner: Account) -> str:
    """A done analysis with every output file on disk (as a worker leaves it)."""
    app = client.app
    row = Analysis(owner_id=owner.id, exercise="squat", original_name="set.mp4", size_bytes=10,
                   duration_s=2.0, status="done", stage="done", progress=1.0, report=REPORT)
    with app.state.db.transaction() as s:  # type: ignore[attr-defined]
        s.add(row)
    folder = clip_files(app.state.settings.data_dir, row.id).folder  # type: ignore[attr-defined]
    folder.mkdir(parents=True)
    for name in OUTPUTS:
        (folder / name).write_bytes(b"data")
    return row.id


def count(client: TestClient, model: type, **where: object) -> int:
    with client.app.state.db.session() as s:  # type: ignore[attr-defined]
        query = select(func.count()).select_from(model).filter_by(**where)
        return s.scalar(query) or 0


# ---- coach consent ----

def test_an_athlete_cannot_attach_to_a_coach_without_consent(client, noise_video):
    coach = Account(client, "coach@example.org", role="coach")
    pushy = Account(client, "pushy@example.org", coach="coach@example.org", accepted=False)
    clip = upload(client, pushy, noise_video).json()["id"]
    assert client.get("/api/coach/athletes", headers=coach.headers).json() == []
    assert client.get(f"/api/analyses/{clip}", headers=coach.headers).status_code == 404
    assert client.get(f"/api/coach/athletes/{pushy.id}/trends",
                      headers=coach.headers).status_code == 404
    requests = client.get("/api/coach/requests", headers=coach.headers).json()
    assert requests == [{"id": pushy.id, "email": "pushy@example.org"}]
    # The coach declines: the request is gone, the athlete has no coach.
    assert client.delete(f"/api/coach/requests/{pushy.id}", headers=coach.headers).status_code == 204
    assert client.get("/api/coach/requests", headers=coach.headers).json() == []
    assert client.get("/api/me", headers=pushy.headers).json()["coach"] is None


def test_coach_accepts_then_removes_an_athlete(client, noise_video):
    coach = Account(client, "coach@example.org", role="coach")
    athlete = Account(client, "a@example.org", coach="coach@example.org", accepted=False)
    clip = upload(client, athlete, noise_video).json()["id"]
    other_coach = Account(client, "other@example.org", role="coach")
    assert client.post(f"/api/coach/requests/{athlete.id}/accept",
                       headers=other_coach.headers).status_code == 404
    assert client.post(f"/api/coach/requests/{athlete.id}/accept",
                       headers=athlete.headers).status_code == 403
    r = client.post(f"/api/coach/requests/{athlete.id}/accept", headers=coach.headers)
    assert r.status_code == 200 and r.json() == {"id": athlete.id, "email": "a@example.org"}
    assert client.get(f"/api/analyses/{clip}", headers=coach.headers).status_code == 200
    assert [a["id"] for a in client.get("/api/coach/athletes", headers=coach.headers).json()] \
        == [athlete.id]
    assert client.delete(f"/api/coach/athletes/{athlete.id}",
                         headers=coach.headers).status_code == 204
    assert client.get(f"/api/analyses/{clip}", headers=coach.headers).status_code == 404
    assert client.get("/api/coach/athletes", headers=coach.headers).json() == []
    assert client.delete(f"/api/coach/athletes/{athlete.id}",
                         headers=coach.headers).status_code == 404


def test_unknown_coach_emails_are_not_revealed(client):
    Account(client, "coach@example.org", role="coach")
    Account(client, "runner@example.org")
    answers = []
    for email in ("coach@example.org", "runner@example.org", "nobody@example.org"):
        athlete = Account(client, f"for-{email}", coach=None)
        r = client.put("/api/me/coach", headers=athlete.headers, json={"coach": email})
        answers.append((r.status_code, {k: v for k, v in r.json().items()
                                        if k not in ("id", "email", "coach")}))
        assert r.json()["coach"] == email
    assert answers[0] == answers[1] == answers[2] == (
        200, {"role": "athlete", "coach_status": "pending", "athletes": 0})
    registered = [client.post("/api/auth/register", json={
        "email": f"new{i}@example.org", "password": PASSWORD, "coach": email})
        for i, email in enumerate(("coach@example.org", "nobody@example.org"))]
    assert [r.status_code for r in registered] == [201, 201]
    assert registered[0].json()["coach_status"] == registered[1].json()["coach_status"]


def test_a_coach_registering_later_receives_earlier_requests(client):
    athlete = Account(client, "a@example.org")
    client.put("/api/me/coach", headers=athlete.headers, json={"coach": "late@example.org"})
    coach = Account(client, "late@example.org", role="coach")
    assert client.get("/api/coach/requests", headers=coach.headers).json() == [
        {"id": athlete.id, "email": "a@example.org"}]


def test_only_the_coach_changes_a_coach_review(client):
    coach = Account(client, "coach@example.org", role="coach")
    athlete = Account(client, "a@example.org", coach="coach@example.org")
    base = f"/api/analyses/{finished_clip(client, athlete)}/faults/0/review"
    assert client.put(base, headers=coach.headers, json={"verdict": "confirmed"}).status_code == 200
    assert client.put(base, headers=athlete.headers, json={"verdict": "dismissed"}).status_code == 403
    assert client.delete(base, headers=athlete.headers).status_code == 403
    faults = client.get(base.rsplit("/", 2)[0], headers=athlete.headers).json()
    assert faults[0]["review"]["verdict"] == "confirmed"
    # An athlete's own verdict may be replaced by their coach.
    assert client.delete(base, headers=coach.headers).status_code == 200
    assert client.put(base, headers=athlete.headers, json={"verdict": "dismissed"}).status_code == 200
    assert client.put(base, headers=coach.headers, json={"verdict": "confirmed"}).status_code == 200


# ---- deletion ----

def test_deleting_a_clip_removes_its_files_notes_reviews(client, settings):
    coach = Account(client, "coach@example.org", role="coach")
    athlete = Account(client, "a@example.org", coach="coach@example.org")
    clip = finished_clip(client, athlete)
    folder = clip_files(settings.data_dir, clip).folder
    assert sorted(p.name for p in folder.iterdir()) == sorted(OUTPUTS)
    client.post(f"/api/analyses/{clip}/notes", headers=coach.headers, json={"text": "knees"})
    client.put(f"/api/analyses/{clip}/faults/0/review", headers=coach.headers,
               json={"verdict": "confirmed"})
    assert client.delete(f"/api/analyses/{clip}", headers=coach.headers).status_code == 403
    stranger = Account(client, "s@example.org")
    assert client.delete(f"/api/analyses/{clip}", headers=stranger.headers).status_code == 404
    assert client.delete(f"/api/analyses/{clip}", headers=athlete.headers).status_code == 204
    assert not folder.exists()
    assert count(client, Analysis, id=clip) == count(client, Note, analysis_id=clip) == 0
    assert count(client, FaultReview, analysis_id=clip) == 0
    assert client.get(f"/api/analyses/{clip}", headers=athlete.headers).status_code == 404
    assert client.get("/api/coach/athletes", headers=coach.headers).json()[0]["clips"] == 0


def test_a_deleted_clip_in_the_queue_is_never_analysed(client, settings, noise_video):
    athlete = Account(client, "a@example.org")
    clip = upload(client, athlete, noise_video).json()["id"]  # queued; no worker runs here
    folder = clip_files(settings.data_dir, clip).folder
    assert any(folder.glob("source.*"))
    assert client.delete(f"/api/analyses/{clip}", headers=athlete.headers).status_code == 204
    assert not folder.exists()
    # The job is still in the queue: when a worker takes it, it finds nothing to do.
    assert clip in client.app.state.queue.pending_ids()  # type: ignore[attr-defined]
    assert run_analysis(client.app.state.db, settings, clip) == "skipped"  # type: ignore[attr-defined]
    assert not folder.exists()


def test_deleting_an_account_removes_everything_of_it(client, settings):
    coach = Account(client, "coach@example.org", role="coach")
    athlete = Account(client, "a@example.org", coach="coach@example.org")
    clips = [finished_clip(client, athlete) for _ in range(2)]
    coach_clip = finished_clip(client, coach)
    client.post(f"/api/analyses/{coach_clip}/notes", headers=coach.headers, json={"text": "mine"})
    client.post(f"/api/analyses/{clips[0]}/notes", headers=coach.headers, json={"text": "coach"})
    wrong = client.request("DELETE", "/api/me", headers=athlete.headers,
                           json={"password": "not my password"})
    assert wrong.status_code == 403
    assert client.request("DELETE", "/api/me", headers=athlete.headers).status_code == 422
    r = client.request("DELETE", "/api/me", headers=athlete.headers, json={"password": PASSWORD})
    assert r.status_code == 204
    for clip in clips:
        assert not clip_files(settings.data_dir, clip).folder.exists()
    assert count(client, User, email="a@example.org") == 0
    assert count(client, Analysis, owner_id=athlete.id) == 0
    assert client.get("/api/me", headers=athlete.headers).status_code == 401
    assert client.get("/api/coach/athletes", headers=coach.headers).json() == []
    # The coach's own clip and notes stay.
    assert clip_files(settings.data_dir, coach_clip).folder.exists()
    assert count(client, Note, analysis_id=coach_clip) == 1
    # A coach deleting their account leaves their athletes without a coach.
    athlete2 = Account(client, "b@example.org", coach="coach@example.org")
    assert client.request("DELETE", "/api/me", headers=coach.headers,
                          json={"password": PASSWORD}).status_code == 204
    assert client.get("/api/me", headers=athlete2.headers).json()["coach"] is None
    assert not clip_files(settings.data_dir, coach_clip).folder.exists()


def test_failed_and_abandoned_uploads_are_cleaned_up(client, settings):
    athlete = Account(client, "a@example.org")
    old, recent = finished_clip(client, athlete), finished_clip(client, athlete)
    now = datetime.now(UTC)
    with client.app.state.db.transaction() as s:  # type: ignore[attr-defined]
        for clip, age in ((old, timedelta(seconds=settings.failed_retention_s + 60)),
                          (recent, timedelta(seconds=60))):
            row = s.get(Analysis, clip)
            row.status, row.finished_at = "failed", now - age
    abandoned = settings.data_dir / "clips" / "abandoned"
    arriving = settings.data_dir / "clips" / "arriving"
    for folder in (abandoned, arriving):
        folder.mkdir()
        (folder / "upload.partial").write_bytes(b"half")
    stale = time.time() - settings.stale_upload_s - 60
    os.utime(abandoned / "upload.partial", (stale, stale))
    os.utime(abandoned, (stale, stale))
    assert clean_up(client.app.state.db, settings) == 2  # type: ignore[attr-defined]
    assert not clip_files(settings.data_dir, old).folder.exists()
    assert count(client, Analysis, id=old) == 0
    assert clip_files(settings.data_dir, recent).folder.exists()
    assert not abandoned.exists() and arriving.exists()


# ---- owner-only files ----

def test_data_folder_is_owner_only(tmp_path, noise_video):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    with TestClient(create_app(make_settings(data))) as client:
        athlete = Account(client, "a@example.org")
        assert upload(client, athlete, noise_video).status_code == 202
        finished_clip(client, athlete)
    paths = [data, *data.rglob("*")]
    assert any(p.name.startswith("source.") for p in paths)
    assert any(p.name.endswith(".sqlite3") for p in paths)
    for path in paths:
        mode = path.stat().st_mode & 0o777
        assert mode & 0o077 == 0, f"{path.relative_to(tmp_path)} is {oct(mode)}"


# ---- upload rate and quota ----

def test_upload_rate_per_account(tmp_path, noise_video):
    settings = make_settings(tmp_path / "data", uploads_per_window=3, upload_window_s=600)
    with TestClient(create_app(settings)) as client:
        athlete, other = Account(client, "a@example.org"), Account(client, "b@example.org")
        assert [upload(client, athlete, noise_video).status_code for _ in range(3)] == [202] * 3
        r = upload(client, athlete, noise_video)
        assert r.status_code == 429 and "3 uploads" in r.json()["detail"]
        assert 0 < int(r.headers["retry-after"]) <= 600
        assert upload(client, other, noise_video).status_code == 202
        # Deleting clips does not give uploads back.
        for clip in client.get("/api/analyses", headers=athlete.headers).json():
            client.delete(f"/api/analyses/{clip['id']}", headers=athlete.headers)
        assert upload(client, athlete, noise_video).status_code == 429


def test_upload_quota_per_day(tmp_path, noise_video: Path):
    size_mb = noise_video.stat().st_size / 1024 / 1024
    settings = make_settings(tmp_path / "data", upload_quota_mb_per_day=size_mb * 2.5)
    with TestClient(create_app(settings)) as client:
        athlete = Account(client, "a@example.org")
        assert [upload(client, athlete, noise_video).status_code for _ in range(2)] == [202] * 2
        r = upload(client, athlete, noise_video)
        assert r.status_code == 429 and "quota" in r.json()["detail"]
        assert 0 < int(r.headers["retry-after"]) <= 24 * 3600
