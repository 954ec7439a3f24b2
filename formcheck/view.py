"""Camera view (front / back / side / front45 / back45), facing direction and body orientation.

Measured on upright frames from the ratio of shoulder and hip widths to torso length in the image
(near 0 side-on, about 0.7-0.9 square to the camera) together with the yaw of the hip line in
MediaPipe's world coordinates; front against back from where the nose sits relative to the ears in
depth. Lying exercises (bridges) use the yaw alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck import geometry as g
from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence

# Yaw of the hip/shoulder line from the image plane, degrees: below SIDE_MIN_YAW is front/back,
# above is oblique, above SIDE_YAW is side-on. Tuned on the labelled clips (footage.md).
OBLIQUE_YAW = 30.0
SIDE_YAW = 60.0


@dataclass(frozen=True)
class ViewEstimate:
    view: str  # "front" | "back" | "side" | "front45" | "back45" | "unknown"
    facing: int  # +1 faces image right, -1 faces image left, 0 square to the camera
    yaw_deg: float  # 0 = square to the camera, 90 = side-on
    lying: bool

    def to_dict(self) -> dict[str, object]:
        return {"view": self.view, "facing": self.facing, "yaw_deg": round(self.yaw_deg, 1),
                "lying": self.lying}


def _nanmean_rows(stack: np.ndarray) -> np.ndarray:
    """Mean over axis 0 ignoring NaN, NaN (without a warning) where a column has no value."""
    count = np.isfinite(stack).sum(axis=0)
    total = np.nansum(stack, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _nanmedian(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def _width_yaw(seq: PoseSequence, name: str) -> np.ndarray:
    """Per-frame yaw estimate from the image width of a left/right pair against torso length."""
    left = seq.px(Landmark[f"LEFT_{name}"])
    right = seq.px(Landmark[f"RIGHT_{name}"])
    width = np.abs(left[:, 0] - right[:, 0])
    torso = g.trunk_chord(seq)
    # Shoulders are about 0.8 torso lengths apart when square on, hips about 0.55.
    full = {"SHOULDER": 0.8, "HIP": 0.55}[name] * torso
    ratio = np.clip(width / full, 0.0, 1.0)
    return np.degrees(np.arccos(ratio))


def _world_yaw(seq: PoseSequence) -> np.ndarray:
    """Per-frame yaw of the hip and shoulder lines from MediaPipe world x/z (degrees, 0..90)."""
    yaws = []
    for name in ("HIP", "SHOULDER"):
        d = seq.world_xyz[:, Landmark[f"LEFT_{name}"]] - seq.world_xyz[:, Landmark[f"RIGHT_{name}"]]
        yaws.append(np.degrees(np.arctan2(np.abs(d[:, 2]), np.abs(d[:, 0]))))
    return _nanmean_rows(np.stack(yaws))


def _facing(seq: PoseSequence) -> int:
    """+1 if the person faces image right, -1 image left (from toes against heels and the nose)."""
    votes = []
    for side in ("LEFT", "RIGHT"):
        toe = seq.px(Landmark[f"{side}_FOOT_INDEX"])[:, 0]
        heel = seq.px(Landmark[f"{side}_HEEL"])[:, 0]
        votes.append(np.sign(toe - heel))
    ears = (seq.px(Landmark.LEFT_EAR)[:, 0] + seq.px(Landmark.RIGHT_EAR)[:, 0]) / 2
    votes.append(np.sign(seq.px(Landmark.NOSE)[:, 0] - ears))
    total = np.nansum(np.stack(votes))
    return 1 if total >= 0 else -1


def _is_lying(seq: PoseSequence) -> bool:
    tilt = g.trunk_inclination(seq)
    return bool(_nanmedian(tilt) > 55.0)


def _front_or_back(seq: PoseSequence) -> str:
    """Front when the body's left side appears on the image right (and the nose is nearer)."""
    lx = seq.px(Landmark.LEFT_SHOULDER)[:, 0] + seq.px(Landmark.LEFT_HIP)[:, 0]
    rx = seq.px(Landmark.RIGHT_SHOULDER)[:, 0] + seq.px(Landmark.RIGHT_HIP)[:, 0]
    mirror_vote = _nanmedian(np.sign(lx - rx))
    ear_z = (seq.world_xyz[:, Landmark.LEFT_EAR, 2] + seq.world_xyz[:, Landmark.RIGHT_EAR, 2]) / 2
    nose_vote = _nanmedian(np.sign(ear_z - seq.world_xyz[:, Landmark.NOSE, 2]))
    score = (mirror_vote if np.isfinite(mirror_vote) else 0) + (
        nose_vote if np.isfinite(nose_vote) else 0)
    return "front" if score >= 0 else "back"


def estimate_view(seq: PoseSequence) -> ViewEstimate:
    """Camera view of a (smoothed) PoseSequence. 'unknown' when nobody is seen long enough."""
    seen = seq.detected()
    if seen.sum() < 5:
        return ViewEstimate("unknown", 0, float("nan"), False)
    lying = _is_lying(seq)
    world = _world_yaw(seq)
    if lying:
        yaw = _nanmedian(world)
    else:
        image = _nanmean_rows(np.stack([_width_yaw(seq, "SHOULDER"), _width_yaw(seq, "HIP")]))
        yaw = _nanmedian((image + world) / 2)
    if not np.isfinite(yaw):
        return ViewEstimate("unknown", 0, yaw, lying)
    if yaw >= SIDE_YAW:
        return ViewEstimate("side", _facing(seq), yaw, lying)
    front_back = _front_or_back(seq)
    if yaw >= OBLIQUE_YAW:
        return ViewEstimate(front_back + "45", _facing(seq), yaw, lying)
    return ViewEstimate(front_back, 0, yaw, lying)
