"""Service settings from FORMCHECK_* environment variables, with embedded defaults.

Every limit the service enforces is here so that an operator can change it without code.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """FORMCHECK_DATA_DIR, FORMCHECK_MAX_UPLOAD_MB, ... (names are the fields, upper-cased)."""

    model_config = SettingsConfigDict(env_prefix="FORMCHECK_", extra="ignore")

    data_dir: Path = Path("./data")
    # SQLAlchemy URL; empty means a SQLite file in data_dir.
    database_url: str = ""
    max_upload_mb: float = 500.0
    max_duration_s: float = 600.0
    # A session is one recording of a whole routine (sets and the rests between them).
    max_session_duration_s: float = 2700.0
    queue_backend: Literal["sqlite", "redis"] = "sqlite"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # Run a queue consumer inside `formcheck serve`; unset means yes for sqlite, no for redis.
    embedded_worker: bool | None = None
    # Analysis worker processes per consumer: jobs analysed at once (MediaPipe is CPU-bound: one
    # per core, so that a full queue keeps every core busy).
    workers: int = max(1, min(4, os.cpu_count() or 1))
    # Processes one clip's analysis is split between (formcheck.pose.parallel); 0: the cores
    # shared out between the jobs running at once (api.jobs.clip_workers), so a lone upload uses
    # every core and a full queue one core per job.
    clip_workers: int = Field(default=0, ge=0)
    # Empty means: read data_dir/secret.key, creating it on first start.
    secret_key: str = ""
    token_ttl_s: int = 7 * 24 * 3600
    cookie_secure: bool = False
    # A worker that has not reported progress for this long is presumed dead; its job is re-run.
    stale_job_s: float = 300.0
    # A clip that crashed the worker this many times is marked failed instead of re-run forever.
    max_attempts: int = 3
    live_idle_s: float = 30.0
    max_live_sessions: int = 4
    max_live_frame_kb: int = 4096
    # Sign-in throttling: after this many failed sign-ins within login_window_s, further attempts
    # for the account (or from the client address) are refused with 429 and Retry-After.
    login_failures_per_account: int = 5
    login_failures_per_client: int = 20
    login_window_s: float = 900.0
    # Uploads per account: at most uploads_per_window within upload_window_s, and at most
    # upload_quota_mb_per_day megabytes in 24 hours (429 with Retry-After past either).
    uploads_per_window: int = 10
    upload_window_s: float = 600.0
    upload_quota_mb_per_day: float = 2000.0
    # A request whose body stops arriving for this long is answered 408 and dropped.
    body_timeout_s: float = 30.0
    # Failed analyses (and their uploads) are deleted this long after they failed; upload
    # folders that never became an analysis (interrupted uploads) after stale_upload_s.
    failed_retention_s: float = 7 * 24 * 3600.0
    stale_upload_s: float = 3600.0
    # Origins besides the service's own (scheme://host[:port] of each request) allowed to send
    # state-changing requests with the login cookie, comma-separated (e.g. behind a proxy).
    trusted_origins: str = ""

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def runs_embedded_worker(self) -> bool:
        if self.embedded_worker is None:
            return self.queue_backend == "sqlite"
        return self.embedded_worker

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'formcheck.sqlite3'}"

    @property
    def trusted_origin_set(self) -> set[str]:
        return {o.strip().rstrip("/").lower() for o in self.trusted_origins.split(",") if o.strip()}

    def prepare(self) -> Settings:
        """Create data_dir (owner-only) and fill in the secret key (persisted so tokens survive).

        Files and folders this process creates from now on are owner-only (umask 077): the data
        folder holds password hashes and videos of people's bodies.
        """
        os.umask(0o077)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # A data folder made by an older version (0755) is closed too; its contents then cannot
        # be reached by other users whatever their own modes.
        try:
            self.data_dir.chmod(0o700)
        except PermissionError:  # a shared folder owned by another account: leave it as set up
            pass
        if not self.secret_key:
            self.secret_key = _persisted_secret(self.data_dir / "secret.key")
        return self

    def as_env(self) -> dict[str, str]:
        """These settings as FORMCHECK_* variables, for a child process that must agree."""
        env = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            text = str(value).lower() if isinstance(value, bool) else str(value)
            env[f"FORMCHECK_{name.upper()}"] = text
        env["FORMCHECK_DATA_DIR"] = str(self.data_dir.resolve())
        return env


def _persisted_secret(path: Path) -> str:
    key = secrets.token_urlsafe(48)
    try:
        # Owner-only permissions: the key signs every login token. O_EXCL: when the server and a
        # worker start together, one creates the key and the other reads it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests build their own Settings and pass them to create_app)."""
    return Settings().prepare()
