"""The command line without --exercise, on the project's own rendered clip."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "fixtures" / "videos" / "single_leg_deadlift_side_left.mp4"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def expected() -> dict:
    if not CLIP.exists():
        pytest.skip(f"{CLIP} not rendered")
    return json.loads(CLIP.with_suffix(".expected.json").read_text())


def test_analyze_without_exercise_recognises_it(expected, tmp_path):
    proc = run_cli("analyze", str(CLIP), "--json", str(tmp_path / "report.json"), "-q")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["exercise"] == "single_leg_deadlift"
    assert report["recognition"]["sure"] and report["recognition"]["alternatives"]
    assert report["rep_count"] == expected["reps"]
    assert "Recognised single_leg_deadlift" in proc.stdout  # and the terminal says so


def test_live_without_exercise_recognises_within_two_reps_and_counts_them_all(expected):
    proc = run_cli("live", "--camera", str(CLIP), "--headless")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    said = next(i for i, line in enumerate(lines) if "Recognised: single_leg_deadlift" in line)
    t_said = float(lines[said].split("s")[0])
    assert t_said <= expected["rep_times"][1][2] + 1.5  # within a second or so of rep 2's end
    assert f"Set done: total {expected['reps']}, left {expected['reps']}, right 0" in proc.stdout
