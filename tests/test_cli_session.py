"""`formcheck session` end to end on a rendered recording: the synth engine's single-leg deadlifts
on the left leg, a rest, then on the right leg, drawn by the mannequin and run through the pose
model (tests/api/media.py, the recording the service's session tests upload), checked against
Workout B."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from formcheck.video import probe
from tests.api.media import SESSION_REPS, render_session

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formcheck.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_session_of_both_legs_against_workout_b(tmp_path):
    video = render_session(tmp_path / "session.mp4")
    annotated, as_json = tmp_path / "annotated.mp4", tmp_path / "session.json"
    proc = run_cli("session", str(video), "--plan", "workout_b", "--json", str(as_json), "-q",
                   "--video", str(annotated))
    assert proc.returncode == 0, proc.stderr
    assert probe(annotated).frames == probe(video).frames  # every frame, each set labelled
    data = json.loads(as_json.read_text())
    sets = [(s["exercise"], s["side"]) for s in data["sets"]]
    assert sets == [("single_leg_deadlift", "left"), ("single_leg_deadlift", "right")], sets
    for s in data["sets"]:
        assert abs(s["reps_by_side"][s["side"]] - SESSION_REPS) <= 1, s["reps_by_side"]
    assert len(data["rests"]) == 1 and data["rests"][0]["duration_s"] >= 7
    item = next(i for i in data["plan"]["items"] if i["exercise"] == "single_leg_deadlift")
    assert item["sets_done"] == {"left": 1, "right": 1} and "of 3 sets" in item["status"]
    assert set(data["plan"]["missing"]) == {"step_up", "bulgarian_split_squat", "glute_bridge"}
    # The JSON written to a file, the text on stdout from the same run.
    assert "single_leg_deadlift" in proc.stdout and "Rest after set 1" in proc.stdout


def test_session_json_on_stdout_is_the_json_alone():
    clip = ROOT / "fixtures" / "videos" / "single_leg_deadlift_side_left.mp4"
    proc = run_cli("session", str(clip), "--json", "-", "-q")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [(s["exercise"], s["side"]) for s in data["sets"]] == [("single_leg_deadlift", "left")]


def test_session_of_a_missing_file_is_one_line_error(tmp_path):
    proc = run_cli("session", str(tmp_path / "nope.mp4"), "-q")
    assert proc.returncode == 2 and proc.stderr.strip().startswith("error:")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_set_named_on_the_command_line_is_analysed_again_from_the_kept_poses(tmp_path):
    clip = ROOT / "fixtures" / "videos" / "single_leg_deadlift_side_left.mp4"
    log = tmp_path / "session.poses"
    first = run_cli("session", str(clip), "--json", "-", "-q", "--poses", str(log))
    assert first.returncode == 0, first.stderr
    (one,) = json.loads(first.stdout)["sets"]
    assert one["exercise"] == "single_leg_deadlift" and not one["named"]
    made = log.stat()
    middle = (one["start_s"] + one["end_s"]) / 2
    again = run_cli("session", str(clip), "--json", "-", "-q", "--poses", str(log),
                    "--name", f"{middle:.1f}=romanian deadlift")
    assert again.returncode == 0, again.stderr
    (named,) = json.loads(again.stdout)["sets"]
    assert named["exercise"] == "romanian_deadlift" and named["named"] and named["recognition"] is None
    assert (log.stat().st_ino, log.stat().st_mtime_ns) == (made.st_ino, made.st_mtime_ns)  # no pose pass
    # Mistakes are one-line errors, and a file that is not a pose log is never overwritten.
    for bad in ("lunge", "soon=lunge", "12=", "-3=lunge"):
        proc = run_cli("session", str(clip), "-q", f"--name={bad}")
        assert proc.returncode == 2 and "as 95=lunge or 1:35=lunge" in proc.stderr, (bad, proc.stderr)
    proc = run_cli("session", str(clip), "-q", "--poses", str(log), "--name", "0:05=burpee")
    assert proc.returncode != 0 and "unknown exercise 'burpee'" in proc.stderr
    other = tmp_path / "notes.txt"
    other.write_text("my notes")
    proc = run_cli("session", str(clip), "-q", "--poses", str(other))
    assert proc.returncode != 0 and "not a session's pose log" in proc.stderr
    assert other.read_text() == "my notes"
