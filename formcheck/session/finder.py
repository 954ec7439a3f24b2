"""Finding sets in a long recording, frame by frame: movement separated by rest.

SetFinder is fed one pose per frame and keeps only the frames of the movement in progress (plus a
short lead-in), so that memory follows the longest set, not the length of the recording. When
the athlete has been still (or out of frame) for MIN_REST_S after moving, the block of movement
is handed out as a raw PoseSequence to be recognised and analysed.

Activity is how fast the main joints move, in leg lengths per second, measured over ACTIVITY_LAG_S
so that the pose model's frame-to-frame jitter (a few pixels) does not read as movement.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark
from formcheck.pose.sequence import PoseSequence

JOINTS = [Landmark[f"{s}_{n}"] for s in ("LEFT", "RIGHT")
          for n in ("SHOULDER", "HIP", "KNEE", "ANKLE", "WRIST")]
# Where the main joints are on average over AVERAGE_S, against where they were ACTIVITY_LAG_S
# earlier: averaging cuts the pose model's jitter (2-3 px a frame) several-fold.
ACTIVITY_LAG_S = 1.0
AVERAGE_S = 0.25
ACTIVITY_PERCENTILE = 90  # the fastest joint or two: a hip hike or a walking bridge moves few
# Moving: above this speed, leg lengths per second, for at least MOVING_S. A still figure reads
# 0.01-0.02 (99th percentile of a synthetic figure with 2 px jitter: 0.012; a still rendered
# mannequin through the pose model: 0.02, drifting up to 0.06 for a fraction of a second); a hip
# hike, the smallest movement coached, 0.025 (median) to 0.05 while it moves; squats 0.2-0.8.
ACTIVE_LEGS_PER_S = 0.03
MOVING_S = 0.5
# Still for this long ends a set. Between reps people pause a second or two and hold a bridge or
# a walking-bridge leg a few seconds; rest between sets is 30-90 s (exercises.md sample sessions).
MIN_REST_S = 8.0
# Movement shorter than this is shuffling about, not a set.
MIN_SET_S = 2.0
# Standing frames kept before and after a set: the rep counter needs the athlete at rest.
PAD_S = 1.5


@dataclass(frozen=True)
class Block:
    """A stretch of movement: its frames (with PAD_S of stillness around) and when it moved."""

    poses: PoseSequence
    start_s: float  # first moving frame
    end_s: float  # last moving frame


class SetFinder:
    """Streaming set finder: feed(t, image_xy, world_xyz, visibility) per frame; finished blocks
    come back from feed() and finish()."""

    def __init__(self, width: int, height: int, fps: float) -> None:
        self.width, self.height, self.fps = width, height, fps
        self._frames: deque[tuple[float, np.ndarray, np.ndarray, np.ndarray, float]] = deque()
        self._recent: deque[tuple[float, np.ndarray]] = deque()
        self._scale = float("nan")
        self._moving_since: float | None = None
        self._first_move: float | None = None
        self._last_move: float | None = None
        self.duration_s = 0.0
        self.frames_seen = 0
        self.person_frames = 0

    def activity(self, t: float, xy: np.ndarray) -> float:
        """Speed of the main joints (leg lengths per second): where they were on average over the
        last AVERAGE_S against where they were ACTIVITY_LAG_S before (averaging cuts jitter)."""
        px = xy[JOINTS] * np.array([self.width, self.height])
        if not np.isfinite(px).all():
            return 0.0
        leg = max(_leg(xy, "LEFT", self.width, self.height), _leg(xy, "RIGHT", self.width, self.height))
        if np.isfinite(leg) and leg > 0:
            self._scale = leg if not np.isfinite(self._scale) else 0.95 * self._scale + 0.05 * leg
        self._recent.append((t, px))
        while self._recent and t - self._recent[0][0] > ACTIVITY_LAG_S + AVERAGE_S:
            self._recent.popleft()
        if t - self._recent[0][0] < ACTIVITY_LAG_S or not np.isfinite(self._scale):
            return 0.0
        now = np.mean([p for s, p in self._recent if s > t - AVERAGE_S], axis=0)
        then = np.mean([p for s, p in self._recent if s <= self._recent[0][0] + AVERAGE_S], axis=0)
        speed = np.linalg.norm(now - then, axis=1) / ACTIVITY_LAG_S / self._scale
        return float(np.percentile(speed, ACTIVITY_PERCENTILE))

    def feed(self, t: float, xy: np.ndarray, world: np.ndarray, vis: np.ndarray,
             contrast: float = float("nan")) -> Block | None:
        self.frames_seen += 1
        self.duration_s = t
        seen = bool(np.isfinite(xy[Landmark.LEFT_HIP]).all())
        self.person_frames += seen
        self._frames.append((t, xy, world, vis, contrast))
        moving = seen and self.activity(t, xy) > ACTIVE_LEGS_PER_S
        if moving:
            self._moving_since = t if self._moving_since is None else self._moving_since
            if t - self._moving_since >= MOVING_S:
                self._first_move = self._moving_since if self._first_move is None else self._first_move
                self._last_move = t
        else:
            self._moving_since = None
        if self._first_move is None:
            self._trim(t - PAD_S - ACTIVITY_LAG_S)
            return None
        if self._last_move is not None and t - self._last_move >= MIN_REST_S:
            return self._close()
        return None

    def finish(self) -> Block | None:
        return self._close() if self._first_move is not None else None

    def _trim(self, before: float) -> None:
        while self._frames and self._frames[0][0] < before:
            self._frames.popleft()

    def _close(self) -> Block | None:
        first, last = self._first_move, self._last_move
        self._first_move = self._last_move = self._moving_since = None
        assert first is not None and last is not None
        frames = [f for f in self._frames if first - PAD_S <= f[0] <= last + PAD_S]
        self._trim(last + PAD_S)
        if last - first < MIN_SET_S or len(frames) < 3:
            return None
        return Block(_sequence(frames, self.width, self.height, self.fps), first, last)


def _leg(xy: np.ndarray, side: str, width: int, height: int) -> float:
    p = xy * np.array([width, height])
    hip, knee, ankle = (p[Landmark[f"{side}_{n}"]] for n in ("HIP", "KNEE", "ANKLE"))
    return float(np.linalg.norm(hip - knee) + np.linalg.norm(knee - ankle))


def _sequence(frames: list[tuple[float, np.ndarray, np.ndarray, np.ndarray, float]], width: int,
              height: int, fps: float) -> PoseSequence:
    return PoseSequence(
        image_xy=np.stack([f[1] for f in frames]).reshape(-1, NUM_LANDMARKS, 2),
        world_xyz=np.stack([f[2] for f in frames]).reshape(-1, NUM_LANDMARKS, 3),
        visibility=np.stack([f[3] for f in frames]).reshape(-1, NUM_LANDMARKS),
        t=np.array([f[0] for f in frames]), width=width, height=height, fps=fps,
        image_contrast=np.array([f[4] for f in frames]))
