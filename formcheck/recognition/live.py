"""Recognition frame by frame, for live feedback: the exercise named within the first two reps.

LiveRecognizer keeps the poses seen so far (raw, as from the pose model) and, every CHECK_S, once
MIN_DIPS reps are in (formcheck.recognition.live.dips), recognises the exercise on all of them with the
offline path (smoothing, features, model): fed the frames of a clip, its answer at the end is the
offline answer on the same poses. It decides when the answer is sure, or at the latest once
MAX_DIPS reps are in (then with its best guess, flagged unsure, for the athlete to correct).
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.frame import PoseFrame
from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark
from formcheck.pose.sequence import PoseSequence
from formcheck.recognition import Recognition, recognise
from formcheck.recognition.features import _leg_px, _runs
from formcheck.smoothing import smooth_sequence

CHECK_S = 1.0
MIN_DIPS = 2
MAX_DIPS = 4
# A rep moves some part of the body at least this far (leg lengths): the hips of a hip hike,
# the smallest movement coached, about 0.05.
MIN_DIP_LEGS = 0.05


def _mid_y(seq: PoseSequence, name: str) -> np.ndarray:
    return (seq.image_xy[:, Landmark[f"LEFT_{name}"], 1] + seq.image_xy[:, Landmark[f"RIGHT_{name}"], 1]) / 2


def dips(seq: PoseSequence) -> int:
    """Reps so far: times the part of the body that moves most up and down (hips in a squat,
    shoulders in a hinge, a knee in a step-up) went past the middle of its range and came back."""
    p = seq.image_xy * np.array([seq.width, seq.height])
    leg = max(_leg_px(p, "left"), _leg_px(p, "right"))
    if len(seq) < 5 or not np.isfinite(leg):
        return 0
    candidates = [_mid_y(seq, "HIP"), _mid_y(seq, "SHOULDER"), seq.image_xy[:, Landmark.LEFT_KNEE, 1],
                  seq.image_xy[:, Landmark.RIGHT_KNEE, 1]]
    spans = [np.subtract(*np.nanpercentile(c, [95, 5])) if np.isfinite(c).sum() >= 5 else 0.0
             for c in candidates]
    k = int(np.argmax(spans))
    if spans[k] * seq.height < MIN_DIP_LEGS * leg:
        return 0  # standing still: the middle of the range is noise
    y = candidates[k]
    lo, hi = np.nanpercentile(y, [5, 95])
    with np.errstate(invalid="ignore"):
        away = np.nan_to_num(y, nan=lo) > (lo + hi) / 2
    if away[0]:  # started at the far end (a step-up's knee, a bridge's hips): count the other way
        away = ~away
    return sum(1 for _, b in _runs(away) if b < len(away))  # a dip still going on does not count


class LiveRecognizer:
    """feed(pose, t) per frame; `decided` holds the Recognition once made (None before)."""

    def __init__(self, width: int, height: int, fps: float = 30.0,
                 allowed: list[str] | None = None) -> None:
        self.width, self.height, self.fps = width, height, fps
        self.allowed = allowed
        self.frames: list[tuple[float, PoseFrame | None]] = []
        self.decided: Recognition | None = None
        self.decided_at: float | None = None
        self._last_check = float("-inf")

    def sequence(self) -> PoseSequence:
        n = len(self.frames)
        xy, world, vis = (np.full((n, NUM_LANDMARKS, 2), np.nan), np.full((n, NUM_LANDMARKS, 3), np.nan),
                          np.zeros((n, NUM_LANDMARKS)))
        for i, (_, pose) in enumerate(self.frames):
            if pose is not None:
                xy[i], world[i], vis[i] = pose.image_xy, pose.world_xyz, pose.visibility
        t = np.array([f[0] for f in self.frames])
        return PoseSequence(xy, world, vis, t, self.width, self.height, self.fps)

    def current(self) -> Recognition | None:
        """Recognition over every frame fed so far (None before two reps)."""
        seq = self.sequence()
        if len(seq) < 5 or dips(seq) < MIN_DIPS:
            return None
        return recognise(smooth_sequence(seq), allowed=self.allowed)

    def feed(self, pose: PoseFrame | None, t: float) -> Recognition | None:
        """Add one frame; returns the Recognition when it is decided on this frame."""
        self.frames.append((t, pose))
        if self.decided is not None or t - self._last_check < CHECK_S:
            return None
        self._last_check = t
        rec = self.current()
        if rec is None:
            return None
        if rec.sure or dips(self.sequence()) >= MAX_DIPS:
            self.decided, self.decided_at = rec, t
            return rec
        return None
