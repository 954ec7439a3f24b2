"""Run a pose estimator over a stream of frames and collect a PoseSequence."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from formcheck.pose.frame import PoseEstimator, PoseFrame
from formcheck.pose.landmarks import NUM_LANDMARKS
from formcheck.pose.scene import frame_contrast
from formcheck.pose.sequence import PoseSequence
from formcheck.video import Frame

__all__ = ["PoseCollector", "PoseEstimator", "PoseFrame", "default_estimator", "estimate_poses",
           "track"]


def default_estimator() -> PoseEstimator:
    """FormCheck's pose model (BlazePose through MediaPipe), loaded only when asked for."""
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    return MediaPipePoseEstimator()


class PoseCollector:
    """Accumulates per-frame results into arrays (NaN rows where nobody was found)."""

    def __init__(self) -> None:
        self._xy: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._vis: list[np.ndarray] = []
        self._t: list[float] = []
        self._contrast: list[float] = []
        self.width = 0
        self.height = 0

    def add(self, frame: Frame, pose: PoseFrame | None) -> None:
        self.height, self.width = frame.image.shape[:2]
        self._t.append(frame.t)
        self._contrast.append(frame_contrast(frame.image))
        if pose is None:
            self._xy.append(np.full((NUM_LANDMARKS, 2), np.nan))
            self._world.append(np.full((NUM_LANDMARKS, 3), np.nan))
            self._vis.append(np.zeros(NUM_LANDMARKS))
        else:
            self._xy.append(pose.image_xy)
            self._world.append(pose.world_xyz)
            self._vis.append(pose.visibility)

    def sequence(self, fps: float) -> PoseSequence:
        if not self._t:
            return PoseSequence.empty(max(self.width, 1), max(self.height, 1), fps)
        return PoseSequence(
            image_xy=np.stack(self._xy),
            world_xyz=np.stack(self._world),
            visibility=np.stack(self._vis),
            t=np.array(self._t),
            width=self.width,
            height=self.height,
            fps=fps,
            image_contrast=np.array(self._contrast),
        )


def track(frames: Iterable[Frame], estimator: PoseEstimator) -> Iterator[tuple[Frame, PoseFrame | None]]:
    """Pose of each frame, in order."""
    for frame in frames:
        yield frame, estimator.process(frame.image)


def estimate_poses(
    frames: Iterable[Frame],
    fps: float,
    estimator: PoseEstimator | None = None,
    on_frame: Callable[[Frame, PoseFrame | None], None] | None = None,
) -> PoseSequence:
    """Run the estimator over all frames and return the raw PoseSequence."""
    own = estimator is None
    est = estimator or default_estimator()
    collector = PoseCollector()
    try:
        for frame, pose in track(frames, est):
            collector.add(frame, pose)
            if on_frame is not None:
                on_frame(frame, pose)
    finally:
        if own:
            est.close()
    return collector.sequence(fps)
