"""Sessions and recognition through the API: a recording of several sets analysed as a session
(with a plan), a clip whose exercise is recognised and re-run as a named one, and who may see,
re-run and delete them; bad session or plan fields are refused with a reason."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.storage import clip_files
from tests.api.conftest import Account, make_settings, wait_finished
from tests.api.media import SESSION_REPS, SESSION_REST_S, SQUAT_REPS, render_session

SESSION_TIMEOUT_S = 300.0


def post(client: TestClient, account: Account, path, **data):  # type: ignore[no-untyped-def]
    with open(path, "rb") as f:
        return client.post("/api/analyses", headers=account.headers, data=data,
                           files={"file": (path.name, f, "video/mp4")})


def clip_folders(settings) -> list:  # type: ignore[no-untyped-def]
    clips = settings.data_dir / "clips"
    return sorted(clips.iterdir()) if clips.exists() else []


# ---- refused before any work: both databases, no worker ----

@pytest.fixture
def athlete(client) -> Account:
    return Account(client, "a@example.org")


def test_a_bad_plan_is_refused_with_the_known_plans(client, athlete, noise_video, settings):
    r = post(client, athlete, noise_video, session="true", plan="leg_day_9000")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "unknown plan 'leg_day_9000'" in detail and "workout_a" in detail
    # The library reads a plan from a file path; the service takes ids only.
    for path in ("../../etc/passwd.json", "/etc/hosts", "formcheck/plans/workout_a.json"):
        r = post(client, athlete, noise_video, plan=path)
        assert r.status_code == 422 and "named by its id" in r.json()["detail"], r.text
    # A bad plan in the query string is refused before the file is received.
    with open(noise_video, "rb") as f:
        r = client.post("/api/analyses?session=true&plan=nope", headers=athlete.headers,
                        files={"file": ("n.mp4", f, "video/mp4")})
    assert r.status_code == 422 and "unknown plan 'nope'" in r.json()["detail"]
    assert clip_folders(settings) == []
    assert client.get("/api/analyses", headers=athlete.headers).json() == []


def test_session_fields_that_make_no_sense_are_refused(client, athlete, noise_video, settings):
    r = post(client, athlete, noise_video, session="maybe")
    assert r.status_code == 422 and "session must be true or false" in r.json()["detail"]
    r = post(client, athlete, noise_video, session="true", exercise="squat")
    assert r.status_code == 422 and "recognises the exercise of each set" in r.json()["detail"]
    assert clip_folders(settings) == []


def test_no_exercise_is_queued_to_be_recognised_and_a_plan_makes_a_session(client, athlete,
                                                                            noise_video):
    for fields in ({}, {"exercise": ""}, {"exercise": "AUTO"}):
        body = client.get(post(client, athlete, noise_video, **fields).json()["url"],
                          headers=athlete.headers).json()
        assert body["kind"] == "clip" and body["exercise"] == "" and not body["recognised"]
        assert body["exercise_name"] == "To be recognised" and body["page_url"] == f"/clips/{body['id']}"
    r = post(client, athlete, noise_video, plan="B")  # an alias, any case
    assert r.status_code == 202, r.text
    body = client.get(r.json()["url"], headers=athlete.headers).json()
    assert body["kind"] == "session" and body["plan"] == "workout_b"
    assert body["page_url"] == f"/sessions/{body['id']}"
    assert body["exercise_name"].startswith("Session · Workout B")
    sessions = client.get("/api/analyses?kind=session", headers=athlete.headers).json()
    assert [s["id"] for s in sessions] == [body["id"]]
    assert len(client.get("/api/analyses?kind=clip", headers=athlete.headers).json()) == 3
    assert client.get("/api/analyses?kind=other", headers=athlete.headers).status_code == 422


def test_plans_are_listed_and_in_the_metadata(client):
    plans = client.get("/api/plans").json()
    assert [p["id"] for p in plans] == ["single_leg_routine", "workout_a", "workout_b"]
    assert client.get("/api/meta").json()["plans"] == plans
    b = plans[2]
    assert "b" in b["aliases"] and b["items"][0]["prescription"] == "3 x 12 per leg"


# ---- analysed by the worker (one service for the module, SQLite) ----

@pytest.fixture(scope="module")
def service(tmp_path_factory, clips):  # type: ignore[no-untyped-def]
    settings = make_settings(tmp_path_factory.mktemp("data"), embedded_worker=True, workers=2)
    recording = render_session(tmp_path_factory.mktemp("session") / "two_sets.mp4")
    with pytest.MonkeyPatch.context() as mp:
        from pwdlib import PasswordHash
        from pwdlib.hashers.argon2 import Argon2Hasher

        import api.security

        mp.setattr(api.security, "_hasher", PasswordHash((Argon2Hasher(1, 1024, 1),)))
        with TestClient(create_app(settings)) as client:
            coach = Account(client, "coach@example.org", role="coach")
            athlete = Account(client, "athlete@example.org", coach="coach@example.org")
            stranger = Account(client, "stranger@example.org")
            session = post(client, athlete, recording, session="true", plan="workout_b").json()["id"]
            squat = post(client, athlete, clips.squat).json()["id"]  # no exercise: recognised
            yield {"client": client, "coach": coach, "athlete": athlete, "stranger": stranger,
                   "session": session, "squat": squat, "settings": settings}


@pytest.fixture(scope="module")
def session_done(service):  # type: ignore[no-untyped-def]
    body = wait_finished(service["client"], service["athlete"], service["session"],
                         SESSION_TIMEOUT_S)
    assert body["status"] == "done", body["error"]
    return body


@pytest.fixture(scope="module")
def squat_done(service):  # type: ignore[no-untyped-def]
    body = wait_finished(service["client"], service["athlete"], service["squat"], SESSION_TIMEOUT_S)
    assert body["status"] == "done", body["error"]
    return body


def test_the_session_has_each_set_with_its_leg_reps_rest_and_the_plan(service, session_done):
    s = session_done["session"]
    assert [(x["exercise"], x["side"]) for x in s["sets"]] == [
        ("single_leg_deadlift", "left"), ("single_leg_deadlift", "right")]
    for x in s["sets"]:
        assert abs(x["reps_by_side"][x["side"]] - SESSION_REPS) <= 1, x["reps_by_side"]
        assert x["end_s"] > x["start_s"] and x["report"]["exercise"] == x["exercise"]
        assert all(x["start_s"] - 0.5 <= r["start_s"] and r["end_s"] <= x["end_s"] + 0.5
                   for r in x["report"]["reps"])
    assert len(s["rests"]) == 1 and s["rests"][0]["duration_s"] >= SESSION_REST_S / 3
    item = next(i for i in s["plan"]["items"] if i["exercise"] == "single_leg_deadlift")
    assert item["sets_done"] == {"left": 1, "right": 1} and "of 3 sets" in item["status"]
    assert set(s["plan"]["missing"]) == {"step_up", "bulgarian_split_squat", "glute_bridge"}
    assert s["summary"]["left_vs_right"]["compared"] == 1
    # The list row sums the session up.
    assert session_done["rep_count"] == sum(x["rep_count"] for x in s["sets"])
    assert session_done["reps_by_side"]["left"] >= SESSION_REPS - 1
    assert session_done["report"] is None and session_done["frames_url"] is None
    assert not session_done["can_reanalyse"]


def test_the_session_video_and_json_are_served(service, session_done):
    client, headers = service["client"], service["athlete"].headers
    video = client.get(session_done["video_url"], headers=headers)
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert len(video.content) > 10_000
    data = client.get(f"/api/analyses/{service['session']}/session.json", headers=headers)
    assert data.status_code == 200 and data.json()["sets"] == session_done["session"]["sets"]
    assert "formcheck-session-" in data.headers["content-disposition"]
    single = client.get(f"/api/analyses/{service['squat']}/session.json", headers=headers)
    assert single.status_code == 404 and "not a session" in single.json()["detail"]


def test_a_clip_without_exercise_is_recognised_and_says_how_sure(service, squat_done):
    rec = squat_done["recognition"]
    assert squat_done["exercise"] == squat_done["report"]["exercise"] == rec["exercise"]
    assert squat_done["recognised"] and squat_done["report"]["recognition"] == rec
    assert 0 < rec["confidence"] <= 1 and isinstance(rec["sure"], bool)
    assert len(rec["alternatives"]) == 3
    assert all(a["confidence"] <= rec["confidence"] for a in rec["alternatives"])
    assert squat_done["can_reanalyse"]


def test_others_cannot_see_rerun_or_delete_a_session(service, session_done):
    client = service["client"]
    url = f"/api/analyses/{service['session']}"
    stranger, coach = service["stranger"].headers, service["coach"].headers
    for path in ("", "/video", "/session.json"):
        assert client.get(url + path, headers=stranger).status_code == 404
    assert client.delete(url, headers=stranger).status_code == 404
    assert client.post(f"{url}/reanalyse", json={"exercise": "squat"}, headers=stranger).status_code == 404
    assert service["session"] not in [a["id"] for a in client.get("/api/analyses", headers=stranger).json()]
    # The athlete's coach sees it, but only the athlete deletes it.
    assert client.get(url, headers=coach).json()["session"]["sets"]
    assert client.get(url + "/session.json", headers=coach).status_code == 200
    assert client.delete(url, headers=coach).status_code == 403
    # A session is not re-run as one exercise.
    r = client.post(f"{url}/reanalyse", json={"exercise": "squat"}, headers=service["athlete"].headers)
    assert r.status_code == 409 and "session" in r.json()["detail"]


def test_the_owner_reruns_a_recognised_clip_as_a_named_exercise(service, squat_done):
    client, athlete = service["client"], service["athlete"]
    url = f"/api/analyses/{service['squat']}"
    r = client.put(f"{url}/faults/0/review", json={"verdict": "confirmed"}, headers=athlete.headers)
    assert r.status_code == 200, r.text
    assert client.post(f"{url}/reanalyse", json={"exercise": "squat"},
                       headers=service["coach"].headers).status_code == 403
    r = client.post(f"{url}/reanalyse", json={"exercise": "burpee"}, headers=athlete.headers)
    assert r.status_code == 422 and "unknown exercise 'burpee'" in r.json()["detail"]
    poses = clip_files(service["settings"].data_dir, service["squat"]).poses
    made = poses.stat()  # the pose pass's poses, kept with the clip
    r = client.post(f"{url}/reanalyse", json={"exercise": "Squat"}, headers=athlete.headers)
    assert r.status_code == 202, r.text
    body = wait_finished(client, athlete, service["squat"], SESSION_TIMEOUT_S)
    assert body["status"] == "done", body["error"]
    # Analysed again from the kept poses: the pose pass did not run (it would have rewritten them).
    assert (poses.stat().st_ino, poses.stat().st_mtime_ns) == (made.st_ino, made.st_mtime_ns)
    assert body["exercise"] == "squat" and body["recognition"] is None and not body["recognised"]
    assert body["rep_count"] == SQUAT_REPS
    assert all(f["review"] is None for f in body["faults"])  # reviews of the old report went with it
    again = client.post(f"{url}/reanalyse", json={"exercise": "squat"}, headers=athlete.headers)
    assert again.status_code == 202  # a done clip can be re-run again
    assert wait_finished(client, athlete, service["squat"], SESSION_TIMEOUT_S)["status"] == "done"


def test_the_athlete_names_a_set_and_the_session_is_run_again_without_the_pose_model(
        service, session_done):
    client, athlete = service["client"], service["athlete"]
    sid = service["session"]
    url = f"/api/analyses/{sid}/sets/2/exercise"
    files = clip_files(service["settings"].data_dir, sid)
    made = files.pose_log.stat()  # the first pass kept the poses
    # Refused with a reason, nothing changed: others, unknown exercise or set, a clip.
    r = client.post(url, json={"exercise": "squat"}, headers=service["stranger"].headers)
    assert r.status_code == 404
    r = client.post(url, json={"exercise": "squat"}, headers=service["coach"].headers)
    assert r.status_code == 403 and "only the athlete" in r.json()["detail"]
    r = client.post(url, json={"exercise": "burpee"}, headers=athlete.headers)
    assert r.status_code == 422 and "unknown exercise 'burpee'" in r.json()["detail"]
    r = client.post(f"/api/analyses/{sid}/sets/9/exercise", json={"exercise": "squat"},
                    headers=athlete.headers)
    assert r.status_code == 404 and "no set 9 (it has 2)" in r.json()["detail"]
    for bad in ("0", "-1", "x", "99999999999"):
        r = client.post(f"/api/analyses/{sid}/sets/{bad}/exercise", json={"exercise": "squat"},
                        headers=athlete.headers)
        assert r.status_code == 422, (bad, r.text)
    r = client.post(f"/api/analyses/{service['squat']}/sets/1/exercise", json={"exercise": "squat"},
                    headers=athlete.headers)
    assert r.status_code == 409 and "not a session" in r.json()["detail"]
    assert client.get(f"/api/analyses/{sid}", headers=athlete.headers).json()["status"] == "done"
    # The second set was a Bulgarian split squat: the session is analysed again, that set as named.
    r = client.post(url, json={"exercise": "Bulgarian split squat"}, headers=athlete.headers)
    assert r.status_code == 202, r.text
    r = client.post(url, json={"exercise": "squat"}, headers=athlete.headers)
    assert r.status_code == 409 and "name its sets once it is done" in r.json()["detail"]
    body = wait_finished(client, athlete, sid, SESSION_TIMEOUT_S)
    assert body["status"] == "done", body["error"]
    sets = body["session"]["sets"]
    assert [(x["exercise"], x["named"]) for x in sets] == [
        ("single_leg_deadlift", False), ("bulgarian_split_squat", True)]
    assert sets[0] == session_done["session"]["sets"][0] | {"named": False}
    assert sets[1]["recognition"] is None and sets[1]["report"]["exercise"] == "bulgarian_split_squat"
    assert "bulgarian_split_squat" not in body["session"]["plan"]["missing"]
    # From the kept poses: the pose pass did not run (it would have written them again).
    kept = files.pose_log.stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)
    assert files.annotated.exists()
    assert client.get(body["video_url"], headers=athlete.headers).status_code == 200


def test_deleting_a_session_deletes_its_files(service, session_done):
    client, athlete, settings = service["client"], service["athlete"], service["settings"]
    files = clip_files(settings.data_dir, service["session"])
    assert files.session_json.exists() and files.annotated.exists() and files.source() is not None
    assert client.delete(f"/api/analyses/{service['session']}", headers=athlete.headers).status_code == 204
    assert not files.folder.exists()
    assert client.get(f"/api/analyses/{service['session']}", headers=athlete.headers).status_code == 404
