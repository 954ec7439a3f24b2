"""Open, probe and iterate the frames of a video file or a camera.

Frames are streamed one at a time (never the whole video in memory). OpenCV's FFmpeg backend applies
phone rotation metadata, so frames come out upright and `width`/`height` are the displayed size.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcheck.errors import VideoError

log = logging.getLogger(__name__)

# A frame rate outside this range is metadata garbage; fall back to 30 fps.
_FPS_RANGE = (1.0, 480.0)


@dataclass(frozen=True)
class VideoInfo:
    """What a video is: size after rotation (pixels), frame rate, frame count and duration."""

    path: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float

    def to_dict(self) -> dict[str, float | int]:
        return {
            "fps": round(self.fps, 3),
            "frames": self.frames,
            "duration_s": round(self.duration_s, 3),
            "width": self.width,
            "height": self.height,
        }


@dataclass(frozen=True)
class Frame:
    """One decoded frame: BGR uint8 image (H, W, 3), its index and its time in seconds."""

    index: int
    t: float
    image: np.ndarray


def _open(path: str | Path) -> cv2.VideoCapture:
    p = Path(path)
    if not p.exists():
        raise VideoError(f"{p}: no such file")
    if p.is_dir():
        raise VideoError(f"{p}: is a folder, not a video file")
    if p.stat().st_size == 0:
        raise VideoError(f"{p}: the file is empty")
    cap = cv2.VideoCapture(str(p))
    if not cap.isOpened():
        cap.release()
        raise VideoError(f"{p}: not a video FormCheck can read (is it an mp4, mov, avi or webm?)")
    return cap


def _fps(cap: cv2.VideoCapture) -> float:
    fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
    if not math.isfinite(fps) or not _FPS_RANGE[0] <= fps <= _FPS_RANGE[1]:
        return 30.0
    return fps


def probe(path: str | Path) -> VideoInfo:
    """Read a video's size, rate and length without decoding it all.

    Raises VideoError if the file is missing, empty, not a video, or has no decodable frame.
    """
    cap = _open(path)
    try:
        ok, first = cap.read()
        if not ok or first is None:
            raise VideoError(f"{path}: no frame could be decoded (the file is empty or damaged)")
        height, width = first.shape[:2]
        fps = _fps(cap)
        frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        if frames <= 0:
            frames = 1
        return VideoInfo(str(path), width, height, fps, frames, frames / fps)
    finally:
        cap.release()


def iter_frames(path: str | Path, max_frames: int | None = None, *,
                start: int = 0) -> Iterator[Frame]:
    """Yield the frames of a video in order, with real timestamps (seconds).

    start: the first frame to yield; the frames before it are decoded but not converted to
    images (seeking is not frame-exact in every container, decoding from the start is), so
    frame indices and timestamps are those of a pass from the first frame. max_frames: stop
    before this frame index.
    A truncated file yields the frames that decode and stops; it does not raise.
    """
    cap = _open(path)
    fps = _fps(cap)
    try:
        index = 0
        last_t = -1.0
        while max_frames is None or index < max_frames:
            if index < start:
                if not cap.grab():
                    break
                last_t = _timestamp(cap, index, fps, last_t)
                index += 1
                continue
            ok, image = cap.read()
            if not ok or image is None:
                break
            t = _timestamp(cap, index, fps, last_t)
            last_t = t
            yield Frame(index, t, image)
            index += 1
        if index == 0:
            raise VideoError(f"{path}: no frame could be decoded (the file is empty or damaged)")
    finally:
        cap.release()


def _timestamp(cap: cv2.VideoCapture, index: int, fps: float, last_t: float) -> float:
    """Container timestamp of the frame just read, or index/fps when the container has none."""
    msec = cap.get(cv2.CAP_PROP_POS_MSEC)
    t = msec / 1000.0 if msec and math.isfinite(msec) and msec > 0 else index / fps
    if index > 0 and t <= last_t:
        t = last_t + 1.0 / fps
    return t


def iter_camera(source: int | str, max_frames: int | None = None) -> Iterator[Frame]:
    """Yield frames from a webcam index (or a file path used as a camera), timed by the clock."""
    import time

    cap = cv2.VideoCapture(source)
    if not cap.isOpened():
        raise VideoError(f"camera {source!r} could not be opened")
    start = time.monotonic()
    is_file = isinstance(source, str)
    fps = _fps(cap)
    try:
        index = 0
        while max_frames is None or index < max_frames:
            ok, image = cap.read()
            if not ok or image is None:
                break
            t = index / fps if is_file else time.monotonic() - start
            yield Frame(index, t, image)
            index += 1
    finally:
        cap.release()
