"""The pose stage: decode a video and run the pose model on every frame, streamed.

While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
tracked person stands still beside someone who exercises, the pass is run again on the athlete.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from formcheck.errors import PoseDataError
from formcheck.pose.parallel import pose_pass
from formcheck.pose.people import Box, uncrop
from formcheck.pose.sequence import PoseSequence
from formcheck.progress import Progress
from formcheck.video import VideoInfo, probe

__all__ = ["extract_poses", "extract_poses_kept"]

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


def extract_poses_kept(path: str | Path, kept: str | Path, progress: Progress | None = None,
                       workers: int = 1) -> tuple[PoseSequence, VideoInfo]:
    """extract_poses, keeping the poses in the .npz file `kept`: when that file holds the poses
    of an earlier run they are read instead (a file that cannot be read is made again). `kept`
    is written whole or not at all (under a temporary name, then renamed), so processes side by
    side may share it; it must belong to this video alone: poses of a picture of another size
    raise PoseDataError."""
    kept = Path(kept)
    if kept.exists():
        try:
            seq, info = PoseSequence.load(kept), probe(path)
        except PoseDataError as exc:
            log.warning("%s", exc)
        else:
            _check_same_video(seq, info, kept)
            if progress is not None:
                progress(1.0, "pose")
            return seq, info
    seq, info = extract_poses(path, progress, workers)
    partial = kept.with_name(f".{kept.stem}.{os.getpid()}.npz")
    seq.save(partial)
    os.replace(partial, kept)
    return seq, info


def _check_same_video(seq: PoseSequence, info: VideoInfo, kept: Path) -> None:
    """Kept poses of a picture of another size are another video's. (Frame counts are not
    compared: the container's count is only an estimate for some formats.)"""
    if (seq.width, seq.height) != (info.width, info.height):
        raise PoseDataError(f"{kept}: the poses of another video ({seq.width}x{seq.height}; "
                            f"{Path(info.path).name} is {info.width}x{info.height})")


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
