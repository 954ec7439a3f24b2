"""The pose stage: decode a video and run the pose model on every frame, streamed.

While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
tracked person stands still beside someone who exercises, the pass is run again on the athlete.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from formcheck.pose.estimate import estimate_poses
from formcheck.pose.frame import PoseFrame
from formcheck.pose.people import Box, PeopleProbe, cropped, uncrop
from formcheck.pose.sequence import PoseSequence
from formcheck.progress import Progress
from formcheck.video import Frame, VideoInfo, iter_frames, probe

__all__ = ["extract_poses"]

log = logging.getLogger(__name__)


def extract_poses(path: str | Path, progress: Progress | None = None) -> tuple[PoseSequence, VideoInfo]:
    """Decode a video and run the pose model on every frame (streamed).

    While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
    tracked person stands still beside someone who exercises, the pass is run again on the athlete.
    """
    info = probe(path)
    people = PeopleProbe(info.frames, info.fps)
    report = _frame_progress(progress, info, "pose")

    def on_frame(frame, pose) -> None:  # type: ignore[no-untyped-def]
        people.observe(frame, pose)
        report(frame, pose)

    try:
        seq = estimate_poses(iter_frames(path), info.fps, None, on_frame)
    finally:
        people.close()
    check = people.check
    if check.follow_other:
        seq = _pose_pass_on_athlete(path, info, check.crop(), seq, progress)
    note = check.note()
    return (seq.with_notes(note) if note else seq), info


def _frame_progress(progress: Progress | None, info: VideoInfo,
                    stage: str) -> Callable[[Frame, PoseFrame | None], None]:
    """A per-frame callback reporting progress(fraction, stage) every 10 frames."""
    total = max(info.frames, 1)

    def on_frame(frame: Frame, _pose: PoseFrame | None) -> None:
        if progress is not None and frame.index % 10 == 0:
            progress(min(frame.index / total, 1.0), stage)

    return on_frame


# The athlete's crop must be at least this many pixels each way to be worth a second pass.
MIN_CROP_PX = 64


def _pose_pass_on_athlete(path: str | Path, info: VideoInfo, box: Box, first: PoseSequence,
                          progress: Progress | None) -> PoseSequence:
    """The pose pass again on a crop around the athlete; the first pass if that finds less."""
    x0, y0, x1, y1 = box.pixels(first.width, first.height)
    if min(x1 - x0, y1 - y0) < MIN_CROP_PX:
        return first
    log.info("second person in frame: pose pass again on %s", box)
    crop = estimate_poses(cropped(iter_frames(path), box), info.fps, None,
                          _frame_progress(progress, info, "athlete"))
    if len(crop) != len(first) or crop.detected().sum() < 0.5 * first.detected().sum():
        return first
    return PoseSequence(uncrop(crop.image_xy, box, first.width, first.height), crop.world_xyz,
                        crop.visibility, crop.t, first.width, first.height, first.fps,
                        image_contrast=first.image_contrast)
