"""A database made by an earlier version gets the new columns on start-up."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from api.db import Database


def test_an_older_database_is_upgraded(settings):
    url = settings.db_url
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    old = create_engine(url)
    with old.begin() as conn:  # the users table as the first release created it
        conn.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(320), "
                          "password_hash VARCHAR(256), role VARCHAR(16), coach_id INTEGER, "
                          "created_at TIMESTAMP)"))
        conn.execute(text("INSERT INTO users (id, email, password_hash, role, coach_id) VALUES "
                          "(1, 'coach@example.org', 'x', 'coach', NULL), "
                          "(2, 'athlete@example.org', 'x', 'athlete', 1)"))
    old.dispose()
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, coach_status, coach_request, token_version "
                                     "FROM users ORDER BY id")).all()
    finally:
        db.dispose()
    # A link made before coaches could accept waits for the coach's consent.
    assert [tuple(r) for r in rows] == [(1, None, None, 0),
                                        (2, "pending", "coach@example.org", 0)]
