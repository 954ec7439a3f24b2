"""A long recording's raw poses on disk, one fixed-size record per frame, written as the frames come.

    with PoseLogWriter(path, width, height, fps) as log:   # written to path.partial, renamed on close
        log.write(t, xy, world, vis, contrast)
    log = read_pose_log(path)                              # None when missing or unreadable
    for t, xy, world, vis, contrast in log.frames(): ...

A session keeps its poses so that it can be analysed again (a set named as another exercise)
without the pose model, which is nearly all of the time. Memory stays flat both ways: the writer
holds one record, the reader maps the file. A log is complete only once closed: a pass that stops
midway leaves a .partial file, never a log that looks whole.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from formcheck.pose.landmarks import NUM_LANDMARKS

MAGIC = b"FCPL"
# t, image xy, world xyz, visibility, frame contrast
RECORD = 1 + NUM_LANDMARKS * 2 + NUM_LANDMARKS * 3 + NUM_LANDMARKS + 1
_HEAD = struct.Struct("<4sI")

Frame = tuple[float, np.ndarray, np.ndarray, np.ndarray, float]


class PoseLogWriter:
    def __init__(self, path: str | Path, width: int, height: int, fps: float,
                 video: dict[str, Any] | None = None) -> None:
        """video: the recording's details (formcheck.video.VideoInfo.to_dict), kept for the report."""
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        header = json.dumps({"width": width, "height": height, "fps": fps,
                             "landmarks": NUM_LANDMARKS, "video": video}).encode()
        self._file = open(self.partial, "wb")  # noqa: SIM115 - closed by close()
        self._file.write(_HEAD.pack(MAGIC, len(header)) + header)
        self.frames = 0

    def write(self, t: float, xy: np.ndarray, world: np.ndarray, vis: np.ndarray,
              contrast: float = float("nan")) -> None:
        record = np.concatenate([[t], np.ravel(xy), np.ravel(world), np.ravel(vis), [contrast]])
        self._file.write(record.astype("<f4").tobytes())
        self.frames += 1

    def close(self) -> None:
        """Complete the log (renamed into place)."""
        if not self._file.closed:
            self._file.close()
            os.replace(self.partial, self.path)

    def abandon(self) -> None:
        """Drop an unfinished log."""
        if not self._file.closed:
            self._file.close()
        self.partial.unlink(missing_ok=True)

    def __enter__(self) -> PoseLogWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()


@dataclass(frozen=True)
class PoseLog:
    width: int
    height: int
    fps: float
    records: np.ndarray  # (T, RECORD) float32, mapped from the file
    recording: dict[str, Any] | None = None  # the recording's details, as written

    def __len__(self) -> int:
        return len(self.records)

    def frames(self) -> Iterator[Frame]:
        n = NUM_LANDMARKS
        for r in self.records:
            r64 = np.asarray(r, dtype=np.float64)
            yield (float(r64[0]), r64[1:1 + 2 * n].reshape(n, 2),
                   r64[1 + 2 * n:1 + 5 * n].reshape(n, 3), r64[1 + 5 * n:1 + 6 * n],
                   float(r64[-1]))

    def video(self) -> dict[str, Any]:
        if self.recording:
            return dict(self.recording)
        duration = float(self.records[-1, 0]) if len(self) else 0.0
        return {"fps": round(self.fps, 3), "frames": len(self), "duration_s": round(duration, 3),
                "width": self.width, "height": self.height}


def read_pose_log(path: str | Path) -> PoseLog | None:
    """The log at path, or None when there is none or it is not a complete pose log."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            magic, size = _HEAD.unpack(f.read(_HEAD.size))
            if magic != MAGIC or size > 4096:
                return None
            header = json.loads(f.read(size))
        if header.get("landmarks") != NUM_LANDMARKS:
            return None
        offset = _HEAD.size + size
        count = (path.stat().st_size - offset) // (RECORD * 4)
        records = (np.memmap(path, dtype="<f4", mode="r", offset=offset, shape=(count, RECORD))
                   if count else np.zeros((0, RECORD), np.float32))
        return PoseLog(int(header["width"]), int(header["height"]), float(header["fps"]), records,
                       header.get("video"))
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None
