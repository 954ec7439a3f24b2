from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOOTAGE = ROOT.parent / "shared" / "footage"
FIXTURES = ROOT / "fixtures" / "videos"


def footage_labels() -> list[dict]:
    path = FOOTAGE / "labels.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def footage() -> Path:
    if not (FOOTAGE / "labels.jsonl").exists():
        pytest.skip(f"labelled footage not found at {FOOTAGE}")
    return FOOTAGE
