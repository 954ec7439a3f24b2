"""Live feedback: the same rep counter and rules as offline analysis, fed one frame at a time.

A LiveSession owns one pose tracker (never shared), a causal One Euro smoother, the exercise's
streaming RepCounter and a bounded buffer of recent smoothed poses. When a rep closes, the rules run
on the buffer exactly as they do offline, and the rep with its faults and cues is returned as an
event.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.registry import get_exercise
from formcheck.faults import title
from formcheck.judging import evaluate_reps, frame_signals
from formcheck.pose.estimate import PoseEstimator, default_estimator
from formcheck.pose.frame import PoseFrame
from formcheck.pose.landmarks import NUM_LANDMARKS
from formcheck.pose.sequence import PoseSequence
from formcheck.report import Rep
from formcheck.reps import RepCounter
from formcheck.rules import grade, unconfirmed
from formcheck.smoothing import MIN_VISIBILITY, OneEuroFilter
from formcheck.view import ViewEstimate, estimate_view

# Seconds of poses kept for the rules and the view (a rep longer than this is not judged).
BUFFER_S = 30.0
# The body scale is re-estimated this often (frames) from the buffer.
SCALE_EVERY = 15


@dataclass
class LiveState:
    """What the live view shows after one frame (JSON-ready through to_dict)."""

    t: float
    landmarks: np.ndarray | None  # (33, 3): normalised x, y and visibility; None if nobody seen
    angles: dict[str, float]
    reps: list[Rep]
    per_leg: bool
    view: str
    events: list[Rep] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {"total": len(self.reps)}
        if self.per_leg:
            for side in ("left", "right"):
                out[side] = sum(1 for r in self.reps if r.side == side)
        return out

    def to_dict(self) -> dict[str, Any]:
        lms = None if self.landmarks is None else np.round(self.landmarks, 4).tolist()
        return {
            "t": round(self.t, 3),
            "landmarks": lms,
            "angles": {k: round(v, 1) for k, v in self.angles.items() if np.isfinite(v)},
            "reps": self.counts(),
            "view": self.view,
            "events": [_rep_event(r) for r in self.events],
        }


def _rep_event(rep: Rep) -> dict[str, Any]:
    return {
        "type": "rep",
        "index": rep.index,
        "side": rep.side,
        "start_s": rep.start_s,
        "bottom_s": rep.bottom_s,
        "end_s": rep.end_s,
        "faults": [{"code": f.code, "title": title(f.code), "severity": f.severity,
                    "value": f.value, "limit": f.limit, "unit": f.unit, "cue": f.cue,
                    "side": f.side, "confidence": f.confidence, "margin": f.margin,
                    "uncertainty": f.uncertainty} for f in rep.faults],
        # Only a clear fault is spoken: a possible one is shown, not called out mid-set.
        "cue": next((f.cue for f in rep.faults if f.clear), None),
    }


class LiveSession:
    """Feed frames (or poses) in time order; get the live state and rep events back."""

    def __init__(self, exercise_id: str, estimator: PoseEstimator | None = None,
                 width: int = 640, height: int = 480, *, confirmed: bool = True) -> None:
        """confirmed=False: the exercise is a guess (recognised without certainty), so its rules'
        faults are shown as possible and none is called out (formcheck.rules.unconfirmed)."""
        self.exercise = get_exercise(exercise_id)
        self.confirmed = confirmed
        self._estimator = estimator
        self._own_estimator = estimator is None
        self._filter = OneEuroFilter(min_cutoff=1.5, beta=2.0, d_cutoff=1.0)
        self._counter = RepCounter(self.exercise.rep_spec)
        self._buf: deque[tuple[float, np.ndarray, np.ndarray, np.ndarray]] = deque()
        self._scale = float("nan")
        self._frames = 0
        self.size = (width, height)
        self.reps: list[Rep] = []
        self._ungraded: list[Rep] = []  # as judged, before rules.grade weighs the reps' spread
        self.view = ViewEstimate("unknown", 0, float("nan"), False)

    def feed(self, image_bgr: np.ndarray, t: float) -> LiveState:
        """Run the pose model on one BGR frame taken at time t (seconds) and update."""
        if self._estimator is None:
            self._estimator = default_estimator()
        h, w = image_bgr.shape[:2]
        self.size = (w, h)
        return self.feed_pose(self._estimator.process(image_bgr), t)

    def feed_pose(self, pose: PoseFrame | None, t: float) -> LiveState:
        """Update with an already estimated pose (None when nobody is in the frame)."""
        self._frames += 1
        if pose is None:
            return self._state(t, None, {}, [])
        xy = np.array(pose.image_xy, dtype=np.float64)
        xy[pose.visibility < MIN_VISIBILITY] = np.nan
        smooth = self._filter(xy, t)
        self._push(t, smooth, pose.world_xyz, pose.visibility)
        one = self._sequence(last=1)
        if self._frames % SCALE_EVERY == 1 or not np.isfinite(self._scale):
            self._scale = g.body_scale(self._sequence())
        events: list[Rep] = []
        if np.isfinite(self._scale):
            value = float(self.exercise.driver.fn(one, self._scale)[0])
            window = self._counter.update(t, value)
            if window is not None:
                events = self._judge(window)
        angles = {k: float(v[0]) for k, v in frame_signals(one, np.zeros(1)).items()
                  if k != "driver"}
        lms = np.concatenate([smooth, pose.visibility[:, None]], axis=1)
        return self._state(t, lms, angles, events)

    def _judge(self, window: Any) -> list[Rep]:
        seq = self._sequence()
        self.view = estimate_view(seq)
        driver = self.exercise.driver.fn(seq, self._scale)
        reps, _ = evaluate_reps(self.exercise, seq, [window], self.view, self._scale, driver)
        if not reps:
            return []  # not credible (hips and knees not seen): not a rep, as offline
        index = len(self.reps) + 1
        self._ungraded.append(replace(reps[0], index=index,
                                      faults=tuple(replace(f, rep=index) for f in reps[0].faults)))
        self.reps = grade(self._ungraded)
        if not self.confirmed:
            self.reps = unconfirmed(self.reps, self.exercise.name)
        return [self.reps[-1]]

    def _push(self, t: float, xy: np.ndarray, world: np.ndarray, vis: np.ndarray) -> None:
        self._buf.append((t, xy, np.asarray(world, dtype=np.float64), np.asarray(vis)))
        while self._buf and t - self._buf[0][0] > BUFFER_S:
            self._buf.popleft()

    def _sequence(self, last: int | None = None) -> PoseSequence:
        items = list(self._buf)[-last:] if last else list(self._buf)
        w, h = self.size
        if not items:
            return PoseSequence.empty(w, h)
        return PoseSequence(
            image_xy=np.stack([i[1] for i in items]),
            world_xyz=np.stack([i[2] for i in items]).reshape(len(items), NUM_LANDMARKS, 3),
            visibility=np.stack([i[3] for i in items]),
            t=np.array([i[0] for i in items]),
            width=w, height=h)

    def _state(self, t: float, lms: np.ndarray | None, angles: dict[str, float],
               events: list[Rep]) -> LiveState:
        return LiveState(t, lms, angles, list(self.reps), self.exercise.per_leg, self.view.view,
                         events)

    def close(self) -> None:
        if self._own_estimator and self._estimator is not None:
            self._estimator.close()
            self._estimator = None

    def __enter__(self) -> LiveSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
