"""Engine and sessions: one SQLite file in the data folder unless a database URL is given.

The web process and the worker processes write the same file, so SQLite runs in WAL mode with a
busy timeout (writers wait for each other instead of failing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from api.models import Base


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


# Columns added after the first release: (table, column, SQL type and default). A database made
# by an older version gets them on start-up (create_all only creates missing tables).
_ADDED_COLUMNS = (
    ("users", "coach_request", "VARCHAR(320)"),
    ("users", "coach_status", "VARCHAR(16)"),
    ("users", "token_version", "INTEGER NOT NULL DEFAULT 0"),
    ("analyses", "analysis_s", "FLOAT"),
    ("analyses", "kind", "VARCHAR(16) NOT NULL DEFAULT 'clip'"),
    ("analyses", "plan", "VARCHAR(64)"),
    ("analyses", "session_report", "JSON"),
    ("analyses", "report_s", "FLOAT"),
)


def _add_missing_columns(engine: Engine) -> None:
    with engine.begin() as conn:
        for table, column, ddl in _ADDED_COLUMNS:
            existing = {c["name"] for c in inspect(conn).get_columns(table)}
            if column in existing:
                continue
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))
            if column == "coach_status":
                # Links made before coaches could accept them wait for the coach's consent.
                conn.execute(text(
                    "UPDATE users SET coach_status = 'pending', coach_request = (SELECT c.email "
                    "FROM users AS c WHERE c.id = users.coach_id) WHERE coach_id IS NOT NULL"))


class Database:
    """An engine plus a session factory; create_all on first use."""

    def __init__(self, url: str) -> None:
        is_sqlite = url.startswith("sqlite")
        args = {"check_same_thread": False, "timeout": 10} if is_sqlite else {}
        self.engine: Engine = create_engine(url, connect_args=args)
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
