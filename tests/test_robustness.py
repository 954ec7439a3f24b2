"""Real clips transformed: mirrored, re-timed and padded with empty frames.

The pose model runs on the transformed frames (not on transformed poses), so these check the whole
pipeline: a mirrored clip swaps the legs and nothing else; playback speed and empty frames around
the set do not change the count.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck import analyze_poses, get_exercise
from formcheck.pose.estimate import estimate_poses
from formcheck.report import Report
from formcheck.video import Frame, iter_frames, probe

pytestmark = pytest.mark.footage

BRIDGE = "single_leg_bridge_side_lifeenh_1.mp4"  # 4 reps: left 2, right 2
SQUAT = "squat_front_nowva_1.mp4"  # 5 reps


def clip(footage: Path, name: str) -> Path:
    path = footage / "clips" / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    return path


def run(frames: Iterator[Frame], fps: float, exercise: str) -> Report:
    return analyze_poses(estimate_poses(frames, fps), get_exercise(exercise)).report


def mirrored(path: Path) -> Iterator[Frame]:
    for f in iter_frames(path):
        yield Frame(f.index, f.t, cv2.flip(f.image, 1))


def retimed(path: Path, speed: float, fps: float) -> Iterator[Frame]:
    """Frames as a camera at the same fps would record the set played at `speed`."""
    frames = list(iter_frames(path))  # short clip: fine to hold for a test
    n_out = int(len(frames) / speed)
    for i in range(n_out):
        src = frames[min(int(round(i * speed)), len(frames) - 1)]
        yield Frame(i, i / fps, src.image)


def padded(path: Path, seconds: float, fps: float) -> Iterator[Frame]:
    frames = list(iter_frames(path))
    blank = np.full_like(frames[0].image, 90)
    pad = int(seconds * fps)
    images = [blank] * pad + [f.image for f in frames] + [blank] * pad
    for i, image in enumerate(images):
        yield Frame(i, i / fps, image)


def test_mirrored_clip_swaps_legs_only(footage, footage_run):
    path = clip(footage, BRIDGE)
    fps = probe(path).fps
    # The clip as filmed: this run's one pose pass over it (tests/footage_run.py).
    plain = analyze_poses(footage_run.poses(BRIDGE), get_exercise("walking_bridge")).report
    flipped = run(mirrored(path), fps, "walking_bridge")
    assert plain.rep_count == flipped.rep_count == 4
    assert [r.side for r in flipped.reps] == [
        {"left": "right", "right": "left"}[r.side] for r in plain.reps]
    assert plain.view == flipped.view
    assert plain.facing != flipped.facing


@pytest.mark.parametrize("speed", [0.75, 1.5])
def test_playback_speed_same_reps(footage, speed):
    path = clip(footage, SQUAT)
    fps = probe(path).fps
    assert run(retimed(path, speed, fps), fps, "squat").rep_count == 5


def test_empty_frames_around_the_set(footage):
    path = clip(footage, SQUAT)
    fps = probe(path).fps
    report = run(padded(path, 2.0, fps), fps, "squat")
    assert report.rep_count == 5
