"""Uploads: streamed to disk, limits enforced, bad files refused with a clear 4xx."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Account, make_settings, upload
from tests.api.media import write_noise_video


def clip_folders(data_dir: Path) -> list[Path]:
    root = data_dir / "clips"
    return sorted(root.iterdir()) if root.exists() else []


def assert_refused(r, status: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert needle in r.json()["detail"].lower(), r.json()


@pytest.fixture
def athlete(client) -> Account:
    return Account(client, "a@example.org")


def test_good_upload_is_saved_queued_and_listed(client, athlete, noise_video, settings):
    r = upload(client, athlete, noise_video, exercise="Pistol-Squat")
    assert r.status_code == 202
    body = r.json()
    assert body["status"] == "queued" and body["url"] == f"/api/analyses/{body['id']}"
    saved = settings.data_dir / "clips" / body["id"] / "source.mp4"
    assert saved.read_bytes() == noise_video.read_bytes()
    detail = client.get(body["url"], headers=athlete.headers).json()
    assert detail["exercise"] == "pistol_squat"  # aliases and case resolved to the canonical id
    assert detail["status"] == "queued" and detail["report"] is None
    assert detail["duration_s"] == pytest.approx(1.0, abs=0.15)
    listed = client.get("/api/analyses", headers=athlete.headers).json()
    assert [a["id"] for a in listed] == [body["id"]]
    assert client.get(f"{body['url']}/video", headers=athlete.headers).status_code == 409


def test_text_file_named_mp4_is_refused(client, athlete, tmp_path, settings):
    notes = tmp_path / "notes.mp4"
    notes.write_text("my training notes, not a video\n" * 100)
    r = upload(client, athlete, notes)
    assert_refused(r, 422, "not a video")
    assert "notes.mp4" in r.json()["detail"] and str(settings.data_dir) not in r.json()["detail"]
    assert clip_folders(settings.data_dir) == []


def test_empty_file_is_refused(client, athlete, tmp_path, settings):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert_refused(upload(client, athlete, empty), 422, "empty")
    assert clip_folders(settings.data_dir) == []


def test_truncated_video_is_refused(client, athlete, tmp_path, settings):
    whole = write_noise_video(tmp_path / "whole.mp4", seconds=2.0)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert_refused(upload(client, athlete, cut), 422, "cut.mp4")
    assert clip_folders(settings.data_dir) == []


def test_unknown_exercise_is_refused(client, athlete, noise_video, settings):
    r = upload(client, athlete, noise_video, exercise="burpee")
    assert_refused(r, 422, "unknown exercise 'burpee'")
    assert "squat" in r.json()["detail"]  # the message lists the known ones
    assert clip_folders(settings.data_dir) == []


def test_not_multipart_and_missing_file(client, athlete):
    r = client.post("/api/analyses", headers=athlete.headers, json={"exercise": "squat"})
    assert_refused(r, 400, "multipart")
    r = client.post("/api/analyses", headers=athlete.headers, data={"exercise": "squat"},
                    files={"other": ("x.txt", b"hello", "text/plain")})
    assert_refused(r, 422, "no video file")


def test_upload_needs_an_account(client, noise_video):
    with open(noise_video, "rb") as f:
        r = client.post("/api/analyses", data={"exercise": "squat"}, files={"file": f})
    assert r.status_code == 401


def test_too_large_declared_and_streamed(tmp_path):
    settings = make_settings(tmp_path / "data", max_upload_mb=0.05)  # 52 kB
    with TestClient(create_app(settings)) as client:
        athlete = Account(client, "a@example.org")
        big = tmp_path / "big.mp4"
        big.write_bytes(b"\0" * 200_000)
        assert_refused(upload(client, athlete, big), 413, "upload limit")

        boundary = "fcboundary"

        def chunked_body():  # no Content-Length: the limit must hold while streaming
            yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"exercise\"\r\n\r\n"
                   f"squat\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                   f"filename=\"big.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").encode()
            for _ in range(40):
                yield b"\0" * 10_000
            yield f"\r\n--{boundary}--\r\n".encode()

        r = client.post("/api/analyses", content=chunked_body(), headers={
            **athlete.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert_refused(r, 413, "upload limit")
        assert clip_folders(settings.data_dir) == []


def test_too_long_video_is_refused(tmp_path):
    settings = make_settings(tmp_path / "data", max_duration_s=1.5, max_session_duration_s=2.5)
    with TestClient(create_app(settings)) as client:
        athlete = Account(client, "a@example.org")
        long = write_noise_video(tmp_path / "long.mp4", seconds=2.0)
        r = upload(client, athlete, long)
        assert_refused(r, 422, "the limit is 1.5 s")
        assert "or upload it as a session" in r.json()["detail"]
        assert clip_folders(settings.data_dir) == []
        # A session (a whole routine) has its own, longer limit.
        with open(long, "rb") as f:
            r = client.post("/api/analyses", headers=athlete.headers, data={"session": "true"},
                            files={"file": ("long.mp4", f, "video/mp4")})
        assert r.status_code == 202, r.text
        longer = write_noise_video(tmp_path / "longer.mp4", seconds=3.0)
        with open(longer, "rb") as f:
            r = client.post("/api/analyses", headers=athlete.headers, data={"session": "true"},
                            files={"file": ("longer.mp4", f, "video/mp4")})
        assert_refused(r, 422, "the limit for a session is 2.5 s")
        limits = client.get("/api/limits").json()
        assert limits["max_duration_s"] == 1.5 and limits["max_session_duration_s"] == 2.5


def test_openapi_documents_the_upload_form(client):
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/analyses"]["post"]["requestBody"]["content"]
    form = body["multipart/form-data"]["schema"]
    assert set(form["properties"]) == {"exercise", "session", "plan", "file"}
    assert form["required"] == ["file"]  # no exercise: it is recognised
    assert client.get("/docs").status_code == 200
