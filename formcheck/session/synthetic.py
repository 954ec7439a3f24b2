"""Synthetic session recordings with known answers: clips joined by rests (the athlete standing
still, or out of frame), at one frame size and rate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcheck.pose.sequence import PoseSequence


@dataclass(frozen=True)
class Part:
    """One set of the recording: its poses and what it is."""

    poses: PoseSequence
    exercise: str
    side: str | None
    reps: int


def still(last: PoseSequence, seconds: float, seed: int, jitter_px: float = 1.0) -> PoseSequence:
    """The athlete standing still for `seconds` in the pose of `last`'s final frame."""
    n = max(int(round(seconds * last.fps)), 1)
    rng = np.random.default_rng(seed)
    xy = np.repeat(last.image_xy[-1:], n, axis=0)
    xy = xy + rng.normal(0, jitter_px, xy.shape) / np.array([last.width, last.height])
    t = last.t[-1] + (np.arange(n) + 1) / last.fps
    return PoseSequence(xy, np.repeat(last.world_xyz[-1:], n, axis=0),
                        np.repeat(last.visibility[-1:], n, axis=0), t, last.width, last.height, last.fps)


def join(parts: Sequence[PoseSequence], rests_s: Sequence[float], seed: int = 0) -> PoseSequence:
    """Clips one after another with a rest of rests_s[i] after clip i (times made continuous): the
    athlete still in clip i's last pose, then, halfway, still in clip i+1's first pose (getting
    into position for the next set)."""
    pieces: list[PoseSequence] = []
    for i, p in enumerate(parts):
        pieces.append(p)
        if i < len(rests_s) and rests_s[i] > 0:
            following = parts[i + 1] if i + 1 < len(parts) else p
            pieces.append(still(p, rests_s[i] / 2, seed + i))
            pieces.append(still(following.slice(0, 1), rests_s[i] / 2, seed + i + 1000))
    fps = parts[0].fps
    xy = np.concatenate([p.image_xy for p in pieces])
    return PoseSequence(xy, np.concatenate([p.world_xyz for p in pieces]),
                        np.concatenate([p.visibility for p in pieces]), np.arange(len(xy)) / fps,
                        parts[0].width, parts[0].height, fps)
