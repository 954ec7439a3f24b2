"""A second person in frame: find them, and follow the one who is exercising.

BlazePose (solutions.pose) follows one person. When a coach or a training partner stands in frame,
the tracker may lock on to them while the athlete moves beside them. During the pose pass a few
frames (PROBES, spread over the video) are looked at again with the tracked person painted out; a
person found there is a second person. Across the probes each person's movement is measured (how
much their bounding box moves and changes size, relative to their height): the athlete is the one
who moves. When that is not the tracked person, the pose pass is run again on a crop around them.

Parameters (set on the labelled footage: the coach in step_up_side_rnhrn_1 moves 0.01-0.02 of his
height between probes, the athlete 0.1-0.3; athletes filmed alone move 0.05-0.5):
- PROBES: frames looked at for a second person (each costs one extra pose inference).
- SECOND_PERSON_SHARE: share of the probes in which the other person must be found.
- SWITCH_RATIO / SWITCH_MIN_MOTION: the other person must move this many times more than the
  tracked one, and at least this much, for the pose pass to follow them instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from formcheck.pose.frame import PoseEstimator, PoseFrame
from formcheck.video import Frame

PROBES = 8
SECOND_PERSON_SHARE = 0.5
SWITCH_RATIO = 3.0
SWITCH_MIN_MOTION = 0.05
# Padding around a person's box (fraction of its width, height) when painting them out.
MASK_PAD = (0.15, 0.08)
# Padding around the athlete's box (all probes together) for the second pass.
CROP_PAD = (0.25, 0.10)
# A probe image is scaled down to this height at most: detection runs at 224 px anyway.
PROBE_MAX_HEIGHT = 720
# The second person must not be mostly inside the first one's box (that is the same person).
MAX_OVERLAP = 0.5


@dataclass(frozen=True)
class Box:
    """A person's extent in normalised image coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def of(cls, image_xy: np.ndarray) -> Box | None:
        xy = image_xy[np.isfinite(image_xy).all(axis=1)]
        if len(xy) < 10:
            return None
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        return cls(float(x0), float(y0), float(x1), float(y1))

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def padded(self, fx: float, fy: float) -> Box:
        px, py = self.width * fx, self.height * fy
        return Box(max(0.0, self.x0 - px), max(0.0, self.y0 - py),
                   min(1.0, self.x1 + px), min(1.0, self.y1 + py))

    def overlap(self, other: Box) -> float:
        """Share of this box's area that lies inside `other`."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        area = self.width * self.height
        return max(w, 0.0) * max(h, 0.0) / area if area > 0 else 0.0

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        return (int(self.x0 * width), int(self.y0 * height),
                int(np.ceil(self.x1 * width)), int(np.ceil(self.y1 * height)))


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return Box(min(b.x0 for b in bs), min(b.y0 for b in bs), max(b.x1 for b in bs), max(b.y1 for b in bs))


def consistent(boxes: list[Box]) -> list[Box]:
    """The boxes that belong to one person: the largest group whose centres lie inside one of them (a
    detector that jumps between several people, or between the panels of a split-screen clip, is not
    one person moving)."""
    def members(anchor: Box) -> list[Box]:
        return [b for b in boxes if anchor.x0 <= (b.x0 + b.x1) / 2 <= anchor.x1
                and anchor.y0 <= (b.y0 + b.y1) / 2 <= anchor.y1]

    return max((members(b) for b in boxes), key=len, default=[])


def motion(boxes: list[Box]) -> float:
    """How much a person moves across the probes: spread of box centre and size over their height."""
    if len(boxes) < 3:
        return 0.0
    a = np.array([[(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, b.width, b.height] for b in boxes])
    scale = float(np.median(a[:, 3]))
    if scale <= 0:
        return 0.0
    return float(np.sum(np.std(a, axis=0)) / scale)


@dataclass
class PeopleCheck:
    """What the probes found: the tracked person's and the other person's boxes."""

    tracked: list[Box] = field(default_factory=list)
    other: list[Box] = field(default_factory=list)
    probes: int = 0

    @property
    def second_person(self) -> bool:
        return self.probes > 0 and len(self.other) >= max(2, SECOND_PERSON_SHARE * self.probes)

    @property
    def follow_other(self) -> bool:
        """The other person is the one exercising: run the pose pass again on them."""
        other = consistent(self.other)
        if len(other) < max(2, SECOND_PERSON_SHARE * self.probes):
            return False
        m_other, m_tracked = motion(other), motion(self.tracked)
        return m_other >= SWITCH_MIN_MOTION and m_other >= SWITCH_RATIO * m_tracked

    def crop(self) -> Box:
        return union(consistent(self.other)).padded(*CROP_PAD)

    def note(self) -> str | None:
        if not self.second_person:
            return None
        if self.follow_other:
            return ("two people in frame: analysed the one exercising, not the one standing still; "
                    "film the athlete alone for the most reliable result")
        return ("another person (or a mirror reflection) is in frame: analysed the one the pose model "
                "followed; film the athlete alone for the most reliable result")


class PeopleProbe:
    """Looks for a second person on a few frames while the pose pass runs (see module doc)."""

    def __init__(self, total_frames: int, fps: float) -> None:
        if total_frames > 1:
            self.step = max(1, total_frames // PROBES)
        else:
            self.step = max(1, round(fps * 1.5))
        self.check = PeopleCheck()
        self._estimator: PoseEstimator | None = None  # made at the first probe

    def _static(self) -> PoseEstimator:
        if self._estimator is None:
            from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

            self._estimator = MediaPipePoseEstimator(static_image_mode=True)
        return self._estimator

    def observe(self, frame: Frame, pose: PoseFrame | None) -> None:
        if pose is None or frame.index % self.step != self.step // 2:
            return
        tracked = Box.of(pose.image_xy)
        if tracked is None:
            return
        self.check.probes += 1
        self.check.tracked.append(tracked)
        image = frame.image
        if image.shape[0] > PROBE_MAX_HEIGHT:
            scale = PROBE_MAX_HEIGHT / image.shape[0]
            image = cv2.resize(image, (round(image.shape[1] * scale), PROBE_MAX_HEIGHT),
                               interpolation=cv2.INTER_AREA)
        else:
            image = image.copy()
        h, w = image.shape[:2]
        x0, y0, x1, y1 = tracked.padded(*MASK_PAD).pixels(w, h)
        image[y0:y1, x0:x1] = 127
        found = self._static().process(image)
        other = Box.of(found.image_xy) if found is not None else None
        if other is not None and other.overlap(tracked) < MAX_OVERLAP and other.height > 0.1:
            self.check.other.append(other)

    def close(self) -> None:
        if self._estimator is not None:
            self._estimator.close()
            self._estimator = None


def cropped(frames: Iterable[Frame], box: Box) -> Iterator[Frame]:
    """The same frames cut to `box` (normalised)."""
    for frame in frames:
        h, w = frame.image.shape[:2]
        x0, y0, x1, y1 = box.pixels(w, h)
        yield Frame(frame.index, frame.t, frame.image[y0:y1, x0:x1])


def uncrop(image_xy: np.ndarray, box: Box, width: int, height: int) -> np.ndarray:
    """Landmarks found on a crop (made by `cropped`), back in whole-frame normalised coordinates."""
    x0, y0, x1, y1 = box.pixels(width, height)
    x1, y1 = min(x1, width), min(y1, height)
    out = np.array(image_xy, dtype=np.float64, copy=True)
    out[..., 0] = (x0 + out[..., 0] * (x1 - x0)) / width
    out[..., 1] = (y0 + out[..., 1] * (y1 - y0)) / height
    return out
