"""Limits that only a real server shows: `formcheck serve` (uvicorn) in a subprocess on loopback."""

from __future__ import annotations

import json
import os
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from websockets.sync.client import connect

from tests.api.conftest import PASSWORD
from tests.served import served as running

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("served")
    with running(data_dir, {"FORMCHECK_EMBEDDED_WORKER": "false", "FORMCHECK_BODY_TIMEOUT_S": "3"}) as url:
        yield url


def _token(url: str, email: str) -> str:
    with httpx.Client(base_url=url) as http:
        assert http.post("/api/auth/register",
                         json={"email": email, "password": PASSWORD}).status_code == 201
        return http.post("/api/auth/token",
                         data={"username": email, "password": PASSWORD}).json()["access_token"]


def test_an_oversized_live_frame_gets_an_error_and_the_session_goes_on(served):
    token = _token(served, "live@example.org")
    ws_url = served.replace("http://", "ws://") + f"/api/live?exercise=squat&token={token}"
    image = np.full((240, 320, 3), 90, np.uint8)
    ok, jpeg = cv2.imencode(".jpg", image)
    assert ok
    with connect(ws_url, max_size=None, open_timeout=30) as ws:
        assert json.loads(ws.recv(timeout=60))["type"] == "ready"
        ws.send(struct.pack("<d", 0.5) + os.urandom(5 * 1024 * 1024))  # 5 MB: over the 4 MB limit
        reply = json.loads(ws.recv(timeout=30))
        assert reply["type"] == "error" and "larger than" in reply["detail"]
        ws.send(struct.pack("<d", 1.0) + jpeg.tobytes())
        reply = json.loads(ws.recv(timeout=30))
        assert reply["type"] == "frame" and reply["seq"] == 1


def test_a_stalled_upload_is_dropped(served):
    token = _token(served, "stall@example.org")
    with socket.create_connection(("127.0.0.1", int(served.rsplit(":", 1)[1])), timeout=60) as s:
        s.sendall((f"POST /api/analyses?exercise=squat HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {token}\r\n"
                   "Content-Type: multipart/form-data; boundary=b\r\n"
                   f"Content-Length: {400 * 1024 * 1024}\r\n\r\n--b\r\n").encode())
        started = time.monotonic()
        answer = s.recv(4096).decode("latin-1")  # then nothing more is sent
        took = time.monotonic() - started
    assert answer.startswith("HTTP/1.1 408"), answer
    assert 2.5 < took < 15  # FORMCHECK_BODY_TIMEOUT_S is 3 s here
