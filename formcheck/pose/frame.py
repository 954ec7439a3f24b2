"""What a pose estimator gives for one frame, and what any estimator must do.

The pose core: everything downstream (sequences, analysis, live) speaks these types; the MediaPipe
implementation (formcheck.pose.mediapipe_backend) is one estimator among possible others and is
only imported where a real model runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class PoseFrame:
    """Landmarks found in one frame: image_xy (33, 2) normalised, world_xyz (33, 3) m, vis (33,)."""

    image_xy: np.ndarray
    world_xyz: np.ndarray
    visibility: np.ndarray


class PoseEstimator(Protocol):
    """One tracker for one stream of frames: `process` returns the frame's pose, or None when
    nobody is found; `close` releases the model."""

    def process(self, image_bgr: np.ndarray) -> PoseFrame | None: ...

    def close(self) -> None: ...
