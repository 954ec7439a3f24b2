"""Bad input on the command line: a one-line error and a non-zero exit, never a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "videos"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def assert_clean_error(proc: subprocess.CompletedProcess, needle: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr.lower()


def test_missing_file(tmp_path):
    assert_clean_error(run_cli("analyze", str(tmp_path / "nope.mp4"), "-e", "squat"),
                       "no such file")


def test_text_file_renamed_mp4(tmp_path):
    f = tmp_path / "notes.mp4"
    f.write_text("these are my training notes, not a video\n" * 50)
    assert_clean_error(run_cli("analyze", str(f), "-e", "squat"), "not a video")


def test_empty_file(tmp_path):
    f = tmp_path / "empty.mp4"
    f.write_bytes(b"")
    assert_clean_error(run_cli("analyze", str(f), "-e", "squat"), "empty")


def test_unknown_exercise(tmp_path):
    f = tmp_path / "x.mp4"
    f.write_bytes(b"x")
    assert_clean_error(run_cli("analyze", str(f), "-e", "moonwalk"), "unknown exercise")


def test_exercises_lists_ids():
    proc = run_cli("exercises")
    assert proc.returncode == 0
    for ex_id in ("pistol_squat", "single_leg_deadlift", "walking_bridge", "glute_bridge", "squat"):
        assert ex_id in proc.stdout


@pytest.mark.parametrize("keep", [0.5])
def test_truncated_video_reports_what_it_saw(tmp_path, keep):
    import cv2
    import numpy as np

    src = tmp_path / "full.avi"
    w = cv2.VideoWriter(str(src), cv2.VideoWriter_fourcc(*"MJPG"), 30, (320, 240))
    for i in range(60):
        w.write(np.full((240, 320, 3), i * 4 % 255, np.uint8))
    w.release()
    data = src.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[: int(len(data) * keep)])
    proc = run_cli("analyze", str(cut), "-e", "squat")
    # Blank frames: the decodable part is read and the user is told nobody is in it.
    assert_clean_error(proc, "no person")


@pytest.mark.parametrize(("value", "needle"), [("0", "must be at least 1"),
                                               ("two", "not a whole number")])
def test_workers_must_be_a_positive_number(value, needle):
    proc = run_cli("analyze", str(FIXTURES / "squat_side_shallow.mp4"), "-e", "squat",
                   "--workers", value)
    assert proc.returncode == 2 and needle in proc.stderr


def test_nobody_in_frame_is_one_line_with_the_pose_pass_in_workers(tmp_path):
    """With --workers 2 the pose pass runs in a forked worker; the error stays one line."""
    assert_clean_error(run_cli("analyze", str(FIXTURES / "nobody.mp4"), "-e", "squat",
                               "--workers", "2"), "no person found")
