"""One live connection's work: the pose tracker, the exercise being counted, and, when none was
chosen, recognising it within the first reps (formcheck.recognition.live) with one-tap correction.

The poses of the last HISTORY_S are kept: when the exercise is recognised, or the athlete names
another one, a fresh LiveSession for it is fed those poses first, so the reps done meanwhile count
for the exercise counted from then on.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from formcheck import (
    LiveRecognizer,
    LiveSession,
    PoseEstimator,
    Recognition,
    default_estimator,
    get_exercise,
)

# Poses kept for a switch of exercise: recognition decides within four reps and a correction is
# one tap after it, both well inside this.
HISTORY_S = 60.0


class LiveRun:
    """feed(image, t) -> the frame's reply fields; choose(id) switches the exercise."""

    def __init__(self, exercise_id: str | None, estimator: PoseEstimator | None = None) -> None:
        self.estimator = estimator or default_estimator()
        self.session: LiveSession | None = None
        self.recognizer: LiveRecognizer | None = None
        self.history: deque[tuple[float, Any]] = deque()
        self.size = (640, 480)
        self._pending: list[dict[str, Any]] = []  # rep events of poses replayed on a switch
        if exercise_id is not None:
            self.session = LiveSession(exercise_id, estimator=self.estimator)

    @property
    def exercise(self) -> str | None:
        return None if self.session is None else self.session.exercise.id

    def feed(self, image: np.ndarray, t: float) -> tuple[dict[str, Any], Recognition | None]:
        """The reply to one frame, and the Recognition when it was decided on this frame."""
        h, w = image.shape[:2]
        self.size = (w, h)
        pose = self.estimator.process(image)
        self.history.append((t, pose))
        while self.history and t - self.history[0][0] > HISTORY_S:
            self.history.popleft()
        decided = None
        if self.session is None:
            if self.recognizer is None:
                self.recognizer = LiveRecognizer(w, h)
            decided = self.recognizer.feed(pose, t)
            if decided is None:
                self._trim_recognizer(t)
                return self._recognising(pose, t), None
            self._switch(decided.exercise, replay_last=False, confirmed=decided.sure)
        assert self.session is not None
        state = self.session.feed_pose(pose, t).to_dict()
        state["events"] = self._pending + state["events"]
        self._pending = []
        return state, decided

    def choose(self, exercise_id: str) -> str:
        """Count this exercise from now on (the reps in the poses kept count for it); its id."""
        ex = get_exercise(exercise_id)
        self._switch(ex.id, replay_last=True)
        return ex.id

    def _switch(self, exercise_id: str, replay_last: bool, confirmed: bool = True) -> None:
        """A new LiveSession fed the poses kept (all of them, or all but the newest, which the
        caller feeds itself); confirmed=False for a guess (its faults are only possible)."""
        session = LiveSession(exercise_id, estimator=self.estimator, confirmed=confirmed)
        session.size = self.size
        replay = list(self.history) if replay_last else list(self.history)[:-1]
        events: list[dict[str, Any]] = []
        for t, pose in replay:
            events += session.feed_pose(pose, t).to_dict()["events"]
        self.session, self._pending = session, events

    def _trim_recognizer(self, t: float) -> None:
        """Standing about before the first rep: keep only the poses of the last HISTORY_S."""
        frames = self.recognizer.frames if self.recognizer else []
        if frames and t - frames[0][0] > HISTORY_S:
            keep = [f for f in frames if t - f[0] <= HISTORY_S]
            frames[:] = keep

    def _recognising(self, pose: Any, t: float) -> dict[str, Any]:
        lms = None
        if pose is not None:
            lms = np.round(np.concatenate([pose.image_xy, pose.visibility[:, None]], axis=1),
                           4).tolist()
        return {"t": round(t, 3), "landmarks": lms, "angles": {}, "reps": {"total": 0},
                "view": "unknown", "events": [], "recognising": True}

    def close(self) -> None:
        self.estimator.close()
