"""The multi-machine setup: Redis queue, web app without a worker, a separate `worker` process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import Account, make_settings, upload, wait_finished

ROOT = Path(__file__).resolve().parents[2]
REDIS = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def redis_url(tmp_path):  # type: ignore[no-untyped-def]
    if REDIS is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    port = _free_port()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not _listening(port):
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


def test_redis_queue_with_a_separate_worker(tmp_path, redis_url, clips):
    settings = make_settings(tmp_path / "data", queue_backend="redis", redis_url=redis_url)
    assert not settings.runs_embedded_worker  # with Redis the web app only enqueues
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").json()["embedded_worker"] is None
        athlete = Account(client, "a@example.org")
        analysis_id = upload(client, athlete, clips.nobody).json()["id"]
        time.sleep(0.5)
        assert client.get(f"/api/analyses/{analysis_id}",
                          headers=athlete.headers).json()["status"] == "queued"
        env = {**os.environ, **settings.as_env()}
        worker = subprocess.Popen([sys.executable, "-m", "api.worker"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            body = wait_finished(client, athlete, analysis_id, timeout_s=60)
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(30)
    assert body["status"] == "failed" and "no person found" in body["error"]
