"""BlazePose through mediapipe==0.10.21's `solutions.pose` API: the only module importing mediapipe.

This release ships the pose models inside the wheel, so nothing is downloaded at run time.
A `Pose` object keeps tracking state: one estimator per stream, never shared.
"""

from __future__ import annotations

import logging

import cv2
import numpy as np

from formcheck.pose.frame import PoseFrame
from formcheck.pose.landmarks import NUM_LANDMARKS

log = logging.getLogger(__name__)

# Has this process made a MediaPipe graph? Its threads and native state do not survive fork():
# a process forked after this crashes in MediaPipe (formcheck.pose.parallel forks only before).
_graphs_made = False


def graphs_made() -> bool:
    """Has a MediaPipe graph been made in this process (so it must not fork to run another)?"""
    return _graphs_made


class MediaPipePoseEstimator:
    """One BlazePose Full tracker (model_complexity=1) for one video stream.

    Use as a context manager, or call close(). `process(image_bgr)` returns a PoseFrame or None
    when nobody is found.
    """

    def __init__(self, static_image_mode: bool = False, min_detection_confidence: float = 0.5,
                 min_tracking_confidence: float = 0.5) -> None:
        import mediapipe as mp  # heavy import kept local: only pose estimation needs it

        global _graphs_made
        _graphs_made = True
        self._pose = mp.solutions.pose.Pose(
            static_image_mode=static_image_mode,
            model_complexity=1,
            smooth_landmarks=True,
            enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def process(self, image_bgr: np.ndarray) -> PoseFrame | None:
        rgb = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB)
        rgb.flags.writeable = False
        result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return None
        lms = result.pose_landmarks.landmark
        xy = np.array([[p.x, p.y] for p in lms], dtype=np.float64)
        vis = np.array([p.visibility for p in lms], dtype=np.float64)
        if result.pose_world_landmarks is not None:
            world = np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks.landmark])
        else:
            world = np.full((NUM_LANDMARKS, 3), np.nan)
        return PoseFrame(xy, world, vis)

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> MediaPipePoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
