"""Which leg does the work in one rep (Exercise.working_leg), read from the smoothed poses.

Each kind looks at the frames where it is unambiguous and averages over them, so one mistracked
frame (the model swapping legs for a moment at the bottom) does not decide the side.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence

WORKING_LEG_KINDS = ("stance", "bent_knee", "front", "step", "high_hip")

# Frames within this share of the rep's excursion from its deepest point count as "the bottom".
DEEP_FRAC = 0.15
# "bent_knee": a deep single-leg squat bends the stance knee 100 deg or more past the straight free
# leg and the 3D knee angles show it plainly (80-90 deg apart on the labelled pistols). A shallow one
# filmed from the front does not: the model's depth for a free leg pointing at the camera blurs a
# 50 deg difference to -15..+30 deg (rendered pistols to 60 deg). Closer than BENT_KNEE_CLEAR_DEG,
# the foot that stays down decides instead when it is clear: the ankles at least STANCE_CLEAR leg
# lengths apart in height (the free foot of those pistols: 0.12-0.16).
BENT_KNEE_CLEAR_DEG = 40.0
STANCE_CLEAR = 0.05

# The first part of the rise (share of start -> bottom) where a step-up's lead foot is on the box.
STEP_LEAD_FRAC = 0.2


def _mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


def deep_frames(driver: np.ndarray, start: int, bottom: int, end: int) -> np.ndarray:
    """Indices of the rep's frames near its deepest point."""
    span = np.arange(start, end + 1)
    part = driver[span]
    if not np.isfinite(part).any():
        return np.array([bottom])
    lo, hi = np.nanmin(part), np.nanmax(part)
    with np.errstate(invalid="ignore"):
        keep = part >= hi - DEEP_FRAC * (hi - lo)
    return span[keep] if keep.any() else np.array([bottom])


def _y(seq: PoseSequence, name: str, side: str, idx: np.ndarray) -> float:
    return _mean(seq.px(joint(name, side))[idx, 1])


def _left_minus_right(kind: str, seq: PoseSequence, driver: np.ndarray, start: int, bottom: int,
                      end: int) -> float:
    """A score whose sign says the working leg: + left, - right (NaN when unknown)."""
    deep = deep_frames(driver, start, bottom, end)
    if kind == "stance":  # the foot that stays down: the lower ankle while descending
        down = np.arange(start, bottom + 1)
        return _y(seq, "ankle", "left", down) - _y(seq, "ankle", "right", down)
    if kind == "bent_knee":  # free leg held straight; 3D so that a leg pointing at the camera works
        bent = _mean(g.knee_flexion_3d(seq, "left")[deep] - g.knee_flexion_3d(seq, "right")[deep])
        if abs(bent) >= BENT_KNEE_CLEAR_DEG:
            return bent
        stance = _left_minus_right("stance", seq, driver, start, bottom, end)
        legs = g.body_scale(seq)
        return stance if abs(stance) >= STANCE_CLEAR * legs else bent
    if kind == "front":  # lunges: the rear knee drops toward the floor, the front one stays high
        return _y(seq, "knee", "right", deep) - _y(seq, "knee", "left", deep)
    if kind == "step":  # the lead foot is up on the box as the body starts to rise
        lead = np.arange(start, start + max(1, int((bottom - start) * STEP_LEAD_FRAC)) + 1)
        return _y(seq, "ankle", "right", lead) - _y(seq, "ankle", "left", lead)
    if kind == "high_hip":  # hip hike: the standing foot stays up as the free leg drops with its hip
        return sum(_y(seq, n, "right", deep) - _y(seq, n, "left", deep)
                   for n in ("ankle", "heel", "foot_index"))
    raise ValueError(f"unknown working-leg kind {kind!r}")


def working_side(kind: str | None, seq: PoseSequence, driver: np.ndarray, start: int,
                 bottom: int, end: int, default: str) -> str:
    """The working leg of one rep; `default` for two-legged work or when it cannot be told."""
    if kind is None:
        return default
    score = _left_minus_right(kind, seq, driver, start, bottom, end)
    if not np.isfinite(score) or score == 0:
        return default
    return "left" if score > 0 else "right"
