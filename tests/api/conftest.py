"""Fixtures for the service tests: apps on temporary data folders, accounts, small videos."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.media import Clips, render_clips, write_noise_video
from tests.api.postgres import PostgresServer, find_bin_dir

PASSWORD = "correct horse battery"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": data_dir, "workers": 1, "embedded_worker": False}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


class Account:
    """A registered user and the headers that authenticate them."""

    def __init__(self, client: TestClient, email: str, role: str = "athlete",
                 coach: str | None = None, accepted: bool = True) -> None:
        r = client.post("/api/auth/register",
                        json={"email": email, "password": PASSWORD, "role": role, "coach": coach})
        assert r.status_code == 201, r.text
        self.id: int = r.json()["id"]
        self.email = email
        r = client.post("/api/auth/token", data={"username": email, "password": PASSWORD})
        assert r.status_code == 200, r.text
        self.token: str = r.json()["access_token"]
        self.headers = {"Authorization": f"Bearer {self.token}"}
        client.cookies.clear()
        if coach and accepted:  # the coach accepts the athlete's request
            r = client.post("/api/auth/token", data={"username": coach, "password": PASSWORD})
            bearer = {"Authorization": f"Bearer {r.json()['access_token']}"}
            r = client.post(f"/api/coach/requests/{self.id}/accept", headers=bearer)
            assert r.status_code == 200, r.text
        # TestClient keeps cookies; tests authenticate with headers explicitly.
        client.cookies.clear()


def csrf(client: TestClient) -> dict[str, str]:
    """The header a page sends with a state-changing request: the CSRF cookie's value."""
    return {"X-CSRF-Token": client.cookies.get("formcheck_csrf") or ""}


def upload(client: TestClient, account: Account, path: Path, exercise: str = "squat",
           name: str | None = None):  # type: ignore[no-untyped-def]
    with open(path, "rb") as f:
        return client.post("/api/analyses", headers=account.headers, data={"exercise": exercise},
                           files={"file": (name or path.name, f, "video/mp4")})


def wait_finished(client: TestClient, account: Account, analysis_id: str,
                  timeout_s: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(f"/api/analyses/{analysis_id}", headers=account.headers).json()
        if body["status"] in ("done", "failed"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"analysis {analysis_id} did not finish within {timeout_s} s: {body}")


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its lowest cost: the production parameters take half a second per hash."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    import api.security

    monkeypatch.setattr(api.security, "_hasher",
                        PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),)))


POSTGRES_MISSING = ("PostgreSQL is not installed (initdb/pg_ctl not found): run scripts/setup "
                    "as root to install Debian's postgresql package")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the session; skips, saying why, when it cannot run here."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip(POSTGRES_MISSING)
    try:
        server = PostgresServer(bin_dir)
    except RuntimeError as exc:  # root without a postgres account to run the server as
        pytest.skip(f"PostgreSQL cannot run here: {exc}")
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings on a fresh data folder, with the database on SQLite and on PostgreSQL.

    Every test using this fixture (and `client`) runs against both databases; the PostgreSQL run
    skips, saying why, where the server binaries are not installed.
    """
    if request.param == "sqlite":
        yield make_settings(tmp_path / "data")
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.new_database()
    yield make_settings(tmp_path / "data", database_url=url)
    server.drop_database(url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """An app with no queue consumer: uploads stay queued (for auth, access and input tests)."""
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def noise_video(tmp_path: Path) -> Path:
    return write_noise_video(tmp_path / "noise.mp4")


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Clips:
    """Rendered clips with known answers (rendered once per test session)."""
    return render_clips(tmp_path_factory.mktemp("clips"))
