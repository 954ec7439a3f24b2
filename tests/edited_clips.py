"""A rendered fixture clip edited as real recordings are: a second person beside the athlete, a
fade to an end card (tests/test_people.py, tests/test_parallel.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np

from formcheck.video import iter_frames

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "videos"
SQUAT = FIXTURES / "squat_front_clean.mp4"  # 4 squats, reps end at 2.1, 3.9, 5.7 and 7.5 s


def write(path: Path, frames: list[np.ndarray], fps: float) -> Path:
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    return path


@cache
def squat_frames() -> tuple[list[np.ndarray], float]:
    frames = [f.image for f in iter_frames(SQUAT)]
    return frames, float(cv2.VideoCapture(str(SQUAT)).get(cv2.CAP_PROP_FPS))


def beside_a_bystander(path: Path, athlete_on_the_left: bool) -> Path:
    """The squat beside the same figure standing still for the whole clip."""
    frames, fps = squat_frames()
    bystander = frames[0]
    pairs = [(f, bystander) if athlete_on_the_left else (bystander, f) for f in frames]
    return write(path, [cv2.hconcat(list(p)) for p in pairs], fps)
