"""OpenAPI fuzzing (schemathesis): generated requests to every documented operation, bounded in
examples per operation; no answer may be a 5xx, and every answer must be one the schema documents
(status code, content type, body shape)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.models import User
from api.security import create_token
from tests.api.conftest import PASSWORD, make_settings

EXAMPLES_PER_OPERATION = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


class Fuzzed:
    def __init__(self, data_dir: Path) -> None:
        # Limits high enough that the fuzzer's own requests do not end in 429s for the test's
        # account (the 429 answers are documented and checked all the same).
        self.app = create_app(make_settings(data_dir, login_failures_per_client=10**6,
                                            uploads_per_window=10**6))
        self.client = TestClient(self.app)
        r = self.client.post("/api/auth/register", json={
            "email": "fuzz@example.org", "password": PASSWORD, "role": "coach"})
        assert r.status_code == 201, r.text

        self.user_id: int = r.json()["id"]

    def headers(self) -> dict[str, str]:
        """A valid token for every request (the fuzzer may have signed the last one out)."""
        state = self.app.state
        with state.db.session() as session:
            user = session.get(User, self.user_id)
            assert user is not None, "the fuzzer deleted its own account"
            version = user.token_version
        token = create_token(state.settings.secret_key, str(self.user_id), 3600, version=version)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    yield Fuzzed(tmp_path_factory.mktemp("fuzz"))


def test_api_answers_every_generated_request_as_documented(fuzzed):
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed.app)
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                  database=None, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case):  # type: ignore[no-untyped-def]
            public = case.path in ("/api/auth/token", "/api/auth/register")
            case.call_and_validate(headers={} if public else fuzzed.headers(), checks=CHECKS)

        try:
            run()
        except Exception as exc:  # every operation is fuzzed; all failures are reported at once
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 25
    assert not failures, "\n\n".join(failures)
