"""Jobs survive restarts: a queued job runs when the service comes back, a job killed mid-analysis
is run again, and a clip that keeps killing its worker ends failed instead of looping."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.db import Database
from api.jobs import JobQueue, recover
from api.models import Analysis, User
from tests.api.conftest import PASSWORD, Account, make_settings, upload, wait_finished
from tests.api.media import SQUAT_REPS

ROOT = Path(__file__).resolve().parents[2]


def test_job_queued_while_down_runs_after_restart(tmp_path, clips):
    settings = make_settings(tmp_path / "data")  # no worker: the job waits in the queue
    with TestClient(create_app(settings)) as client:
        athlete = Account(client, "a@example.org")
        analysis_id = upload(client, athlete, clips.nobody).json()["id"]
    restarted = make_settings(tmp_path / "data", embedded_worker=True)
    with TestClient(create_app(restarted)) as client:
        body = wait_finished(client, athlete, analysis_id, timeout_s=60)
    assert body["status"] == "failed" and "no person found" in body["error"]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_crashed_worker_is_restarted_and_its_job_rerun(tmp_path, clips):
    settings = make_settings(tmp_path / "data", embedded_worker=True)
    with TestClient(create_app(settings)) as client:
        athlete = Account(client, "a@example.org")
        analysis_id = upload(client, athlete, clips.squat).json()["id"]
        url = f"/api/analyses/{analysis_id}"
        deadline = time.monotonic() + 60
        while client.get(url, headers=athlete.headers).json()["progress"] < 0.2:
            assert time.monotonic() < deadline, "the analysis never started"
            time.sleep(0.1)
        consumer = client.app.state.worker.process
        processes = [consumer.pid, *_descendants(consumer.pid)]
        consumer.send_signal(signal.SIGKILL)
        deadline = time.monotonic() + 20
        while any(_alive(p) for p in processes):  # process workers die with their consumer
            assert time.monotonic() < deadline, "a process worker outlived its consumer"
            time.sleep(0.1)
        body = wait_finished(client, athlete, analysis_id, timeout_s=120)
        assert client.app.state.worker.process.pid != consumer.pid
        assert client.get("/api/health").json()["embedded_worker"] is True
    assert body["status"] == "done", body["error"]
    assert body["report"]["rep_count"] == SQUAT_REPS


def _rows(db: Database, *rows: Analysis) -> None:
    with db.transaction() as s:
        s.add(User(id=1, email="a@example.org", password_hash="x", role="athlete"))
        s.add_all(rows)


def _row(analysis_id: str, status: str, **kw: object) -> Analysis:
    return Analysis(id=analysis_id, owner_id=1, exercise="squat", original_name="x.mp4",
                    size_bytes=1, duration_s=1.0, status=status, **kw)


def test_recover_reruns_orphans_and_gives_up_after_max_attempts(tmp_path):
    settings = make_settings(tmp_path / "data", max_attempts=3).prepare()
    db, queue = Database(settings.db_url), JobQueue(settings)
    old = datetime.now(UTC) - timedelta(hours=1)
    _rows(db, _row("running1", "running", attempts=1, heartbeat_at=old),
          _row("running3", "running", attempts=3, heartbeat_at=old),
          _row("fresh", "running", attempts=1, heartbeat_at=datetime.now(UTC)),
          _row("queued", "queued", created_at=old),
          _row("done", "done", attempts=1))
    queue.enqueue("queued")  # already in the queue: must not be enqueued twice
    assert recover(db, queue, workers_dead=False) == 1  # a live worker may own "fresh"
    assert queue.pending_ids() == {"queued", "running1"}
    assert queue.huey.pending_count() == 2
    with db.session() as s:
        assert s.get(Analysis, "running1").status == "queued"
        gave_up = s.get(Analysis, "running3")
        assert gave_up.status == "failed" and "interrupted 3 times" in gave_up.error
        assert s.get(Analysis, "fresh").status == "running"
    # With the service's own worker not yet started, nothing can be running.
    assert recover(db, queue, workers_dead=True) == 1
    assert queue.pending_ids() == {"queued", "running1", "fresh"}
    queue.close()
    db.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "FORMCHECK_DATA_DIR": str(data_dir), "FORMCHECK_WORKERS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from api.server import serve; serve('127.0.0.1', {port})"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health").status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not start")


def _descendants(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_server_killed_mid_analysis_finishes_the_job_after_restart(tmp_path, clips):
    data_dir, port = tmp_path / "data", _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start_server(data_dir, port)
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            http.post("/api/auth/register", json={"email": "a@example.org", "password": PASSWORD})
            token = http.post("/api/auth/token", data={"username": "a@example.org",
                                                       "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            with open(clips.squat, "rb") as f:
                analysis_id = http.post("/api/analyses", headers=headers,
                                        data={"exercise": "squat"}, files={"file": f}).json()["id"]
            deadline = time.monotonic() + 60
            url = f"/api/analyses/{analysis_id}"
            while http.get(url, headers=headers).json()["progress"] < 0.2:
                assert time.monotonic() < deadline, "the analysis never started"
                time.sleep(0.1)
            workers = _descendants(server.pid)  # the consumer and its process workers
            assert len(workers) >= 2, "the server has no worker processes"
            server.send_signal(signal.SIGKILL)
            server.wait()
            deadline = time.monotonic() + 20
            while any(_alive(p) for p in workers):  # the workers die with the server
                assert time.monotonic() < deadline, "a worker outlived the killed server"
                time.sleep(0.1)
            assert (data_dir / "clips" / analysis_id / "source.mp4").exists()

        server = _start_server(data_dir, port)
        with httpx.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 120
            while (body := http.get(f"/api/analyses/{analysis_id}", headers=headers).json())[
                    "status"] not in ("done", "failed"):
                assert time.monotonic() < deadline, body
                time.sleep(0.3)
        assert body["status"] == "done", body["error"]
        assert body["report"]["rep_count"] == SQUAT_REPS
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
