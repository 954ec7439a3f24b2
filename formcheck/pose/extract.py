"""The pose stage: decode a video and run the pose model on every frame, streamed.

While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
tracked person stands still beside someone who exercises, the pass is run again on the athlete.
"""

from __future__ import annotations

import logging
from pathlib import Path

from formcheck.pose.parallel import pose_pass
from formcheck.pose.people import Box, uncrop
from formcheck.pose.sequence import PoseSequence
from formcheck.progress import Progress
from formcheck.video import VideoInfo, probe

__all__ = ["extract_poses"]

log = logging.getLogger(__name__)


def extract_poses(path: str | Path, progress: Progress | None = None,
                  workers: int = 1) -> tuple[PoseSequence, VideoInfo]:
    """Decode a video and run the pose model on every frame (streamed), its frames split between
    `workers` processes (formcheck.pose.parallel; 1: one pass in this process).

    While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
    tracked person stands still beside someone who exercises, the pass is run again on the athlete.
    """
    info = probe(path)
    seq, check = pose_pass(str(path), info, workers, progress=progress, stage="pose")
    if check.follow_other:
        seq = _pose_pass_on_athlete(path, info, check.crop(), seq, progress, workers)
    note = check.note()
    return (seq.with_notes(note) if note else seq), info


# The athlete's crop must be at least this many pixels each way to be worth a second pass.
MIN_CROP_PX = 64


def _pose_pass_on_athlete(path: str | Path, info: VideoInfo, box: Box, first: PoseSequence,
                          progress: Progress | None, workers: int = 1) -> PoseSequence:
    """The pose pass again on a crop around the athlete; the first pass if that finds less."""
    x0, y0, x1, y1 = box.pixels(first.width, first.height)
    if min(x1 - x0, y1 - y0) < MIN_CROP_PX:
        return first
    log.info("second person in frame: pose pass again on %s", box)
    crop, _ = pose_pass(str(path), info, workers, crop=box, people=False, progress=progress,
                        stage="athlete")
    if len(crop) != len(first) or crop.detected().sum() < 0.5 * first.detected().sum():
        return first
    return PoseSequence(uncrop(crop.image_xy, box, first.width, first.height), crop.world_xyz,
                        crop.visibility, crop.t, first.width, first.height, first.fps,
                        image_contrast=first.image_contrast)
