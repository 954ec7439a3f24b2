"""`formcheck serve` in a subprocess on a free loopback port, for tests that need a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(data_dir: Path, env: Mapping[str, str], *, stop: int = signal.SIGTERM) -> Iterator[str]:
    """The service on a free port with FORMCHECK_DATA_DIR=data_dir and these settings; yields its
    URL once /api/health answers (fails the test, pointing at the log, if it never does)."""
    port = free_port()
    full_env = {**os.environ, "FORMCHECK_DATA_DIR": str(data_dir), **env}
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [sys.executable, "-c", f"from api.server import serve; serve('127.0.0.1', {port})"],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"the service did not start; see {data_dir / 'server.log'}")
            time.sleep(0.2)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(stop)
            proc.wait(30)
        log.close()
