"""Clips with known answers for the service tests, rendered into a temporary folder.

A mannequin squat (front view, 3 reps, knees drawn 30 degrees into valgus in reps 2 and 3: well
past the rule's major limit, so BlazePose's pull toward normal anatomy cannot hide it; rep 1 is
drawn clean but measures close to the minor limit, so tests only rely on the major faults), and a
clip with nobody in it. Small (640x360, 15 fps) so an analysis takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

SQUAT_REPS = 3
SQUAT_VALGUS_REPS = (2, 3)


@dataclass(frozen=True)
class Clips:
    squat: Path
    nobody: Path


def render_squat(path: Path) -> Path:
    from formcheck import synth
    from formcheck.encoder import VideoWriter
    from formcheck.mannequin import frames

    seq = synth.squat(view="front", reps=SQUAT_REPS, valgus_deg=[0.0, 30.0, 30.0],
                      size=(640, 360), fps=15.0)
    with VideoWriter(path, seq.width, seq.height, seq.fps) as writer:
        for t, image in zip(seq.t, frames(seq), strict=True):
            writer.write(image, float(t))
    return writer.path


def write_noise_video(path: Path, seconds: float = 1.0, fps: float = 10.0,
                      size: tuple[int, int] = (96, 64)) -> Path:
    """A valid video with nobody in it (random grey noise), written with OpenCV's mp4v encoder."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    rng = np.random.default_rng(0)
    for _ in range(int(seconds * fps)):
        writer.write(rng.integers(90, 160, (size[1], size[0], 3), dtype=np.uint8))
    writer.release()
    return path


def render_clips(folder: Path) -> Clips:
    folder.mkdir(parents=True, exist_ok=True)
    return Clips(squat=render_squat(folder / "squat_front_valgus.mp4"),
                 nobody=write_noise_video(folder / "empty_room.mp4", seconds=2.0))


SESSION_REPS = 3  # per set
SESSION_REST_S = 20.0  # as the library's own rendered-session test: half still, half getting into position


def render_session(path: Path, size: tuple[int, int] = (640, 360), fps: float = 15.0) -> Path:
    """A recording of two sets: the synth engine's single-leg deadlifts on the left leg, a rest,
    then on the right leg, side-on with the stance leg nearest the camera (as the fixture clips
    are filmed), drawn by the mannequin."""
    from formcheck import synth
    from formcheck.mannequin import render_clip
    from formcheck.session.synthetic import join

    options = {"view": "side", "reps": SESSION_REPS, "noise_px": 1.0, "size": size, "fps": fps}
    left = synth.single_leg_deadlift(side="left", seed=1, facing="left", **options)
    right = synth.single_leg_deadlift(side="right", seed=2, facing="right", **options)
    return render_clip(join([left, right], [SESSION_REST_S]), path, preset="veryfast")
