"""Every route checks access: athletes see their own clips, coaches their athletes' clips."""

from __future__ import annotations

import pytest

from tests.api.conftest import Account, upload


@pytest.fixture
def people(client):  # type: ignore[no-untyped-def]
    coach = Account(client, "coach@example.org", role="coach")
    other_coach = Account(client, "other-coach@example.org", role="coach")
    athlete = Account(client, "athlete@example.org", coach="coach@example.org")
    stranger = Account(client, "stranger@example.org")
    return coach, other_coach, athlete, stranger


CLIP_ROUTES = ["", "/video", "/frames", "/report.json", "/report.csv", "/notes", "/faults"]


def test_only_owner_and_their_coach_see_a_clip(client, people, noise_video):
    coach, other_coach, athlete, stranger = people
    analysis_id = upload(client, athlete, noise_video).json()["id"]
    base = f"/api/analyses/{analysis_id}"
    for who in (stranger, other_coach):
        for route in CLIP_ROUTES:
            r = client.get(base + route, headers=who.headers)
            assert r.status_code == 404, (who.email, route, r.text)
        assert client.post(f"{base}/notes", headers=who.headers,
                           json={"text": "hi"}).status_code == 404
        assert client.put(f"{base}/faults/0/review", headers=who.headers,
                          json={"verdict": "dismissed"}).status_code == 404
        assert client.get("/api/analyses", headers=who.headers).json() == []
    for who in (athlete, coach):
        assert client.get(base, headers=who.headers).status_code == 200
        assert [a["id"] for a in client.get("/api/analyses", headers=who.headers).json()] == [
            analysis_id]
    for route in CLIP_ROUTES:
        assert client.get(base + route).status_code == 401


def test_coach_routes_are_for_coaches_and_their_own_athletes(client, people, noise_video):
    coach, other_coach, athlete, stranger = people
    upload(client, athlete, noise_video)
    assert client.get("/api/coach/athletes", headers=athlete.headers).status_code == 403
    mine = client.get("/api/coach/athletes", headers=coach.headers).json()
    assert [(a["email"], a["clips"], a["done"]) for a in mine] == [("athlete@example.org", 1, 0)]
    assert client.get("/api/coach/athletes", headers=other_coach.headers).json() == []
    assert client.get(f"/api/coach/athletes/{athlete.id}/trends",
                      headers=coach.headers).status_code == 200
    for who, status in ((other_coach, 404), (stranger, 403), (athlete, 403)):
        r = client.get(f"/api/coach/athletes/{athlete.id}/trends", headers=who.headers)
        assert r.status_code == status, who.email
    assert client.get(f"/api/coach/athletes/{stranger.id}/trends",
                      headers=coach.headers).status_code == 404


def test_coach_filter_by_athlete_cannot_reach_other_athletes(client, people, noise_video):
    coach, _other, athlete, stranger = people
    upload(client, stranger, noise_video)
    mine = upload(client, athlete, noise_video).json()["id"]
    assert [a["id"] for a in client.get(f"/api/analyses?athlete_id={athlete.id}",
                                        headers=coach.headers).json()] == [mine]
    assert client.get(f"/api/analyses?athlete_id={stranger.id}",
                      headers=coach.headers).json() == []


def test_leaving_a_coach_revokes_their_access(client, people, noise_video):
    coach, _other, athlete, _stranger = people
    analysis_id = upload(client, athlete, noise_video).json()["id"]
    client.put("/api/me/coach", headers=athlete.headers, json={"coach": None})
    assert client.get(f"/api/analyses/{analysis_id}", headers=coach.headers).status_code == 404


def test_notes_author_rules(client, people, noise_video):
    coach, _other, athlete, _stranger = people
    base = f"/api/analyses/{upload(client, athlete, noise_video).json()['id']}"
    note = client.post(f"{base}/notes", headers=coach.headers, json={"text": "  Knees out!  "})
    assert note.status_code == 201
    assert note.json()["text"] == "Knees out!" and note.json()["author_role"] == "coach"
    client.post(f"{base}/notes", headers=athlete.headers, json={"text": "will do"})
    texts = [n["text"] for n in client.get(f"{base}/notes", headers=athlete.headers).json()]
    assert texts == ["Knees out!", "will do"]
    note_url = f"{base}/notes/{note.json()['id']}"
    assert client.delete(note_url, headers=athlete.headers).status_code == 403
    assert client.delete(note_url, headers=coach.headers).status_code == 204
    assert client.post(f"{base}/notes", headers=coach.headers, json={"text": ""}).status_code == 422


def test_retry_only_for_the_owner_of_a_failed_clip(client, people, noise_video):
    coach, _other, athlete, _stranger = people
    base = f"/api/analyses/{upload(client, athlete, noise_video).json()['id']}"
    assert client.post(f"{base}/retry", headers=coach.headers).status_code == 403
    assert client.post(f"{base}/retry", headers=athlete.headers).status_code == 409  # queued


def test_pages_redirect_to_sign_in(client, people):
    coach, _other, athlete, _stranger = people
    r = client.get("/upload", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/upload"
    assert client.get("/login").status_code == 200
    client.cookies.set("formcheck_token", athlete.token)
    assert client.get("/", follow_redirects=False).headers["location"] == "/upload"
    assert client.get("/coach", follow_redirects=False).headers["location"] == "/"
    assert client.get("/upload").status_code == 200
    client.cookies.set("formcheck_token", coach.token)
    assert client.get("/", follow_redirects=False).headers["location"] == "/coach"
    assert "Your athletes" in client.get("/coach").text
    assert client.get("/static/app.css").status_code == 200


def test_the_service_runs_on_the_database_it_was_given(client, settings):
    """The SQLite and PostgreSQL runs of these tests really use those databases."""
    dialect = client.app.state.db.engine.dialect.name
    assert dialect == ("postgresql" if settings.database_url.startswith("postgresql") else "sqlite")
