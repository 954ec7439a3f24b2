"""Angles and distances over a PoseSequence, in pixel coordinates (biomechanics.md section 0).

Every function returns a (T,) float array (degrees or a ratio), NaN where landmarks are missing.
Image y points down; "up" quantities are negated so that larger means higher.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import Landmark, joint, other_side
from formcheck.pose.sequence import PoseSequence


def angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle at b between b->a and b->c, degrees in 0..180. a, b, c: (T, 2)."""
    u = a - b
    v = c - b
    cross = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    dot = (u * v).sum(axis=1)
    return np.degrees(np.arctan2(np.abs(cross), dot))


def incl_from_vertical(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Signed angle of q - p from vertical-up, degrees (+ when q is to the image right of p)."""
    d = q - p
    return np.degrees(np.arctan2(d[:, 0], -d[:, 1]))


def incl_from_horizontal(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Angle of q - p above horizontal, degrees (+ when q is higher than p)."""
    d = q - p
    return np.degrees(np.arctan2(-d[:, 1], np.abs(d[:, 0])))


def mid(seq: PoseSequence, name: str) -> np.ndarray:
    """(T, 2) pixel midpoint of the left and right landmark called `name` ("hip", "shoulder"...)."""
    return (seq.px(joint(name, "left")) + seq.px(joint(name, "right"))) / 2.0


def _p(seq: PoseSequence, name: str, side: str) -> np.ndarray:
    return seq.px(joint(name, side))


def knee_flexion(seq: PoseSequence, side: str) -> np.ndarray:
    """KF = 180 - ang(HIP, KNEE, ANKLE): 0 with the leg straight."""
    return 180.0 - angle_at(_p(seq, "hip", side), _p(seq, "knee", side), _p(seq, "ankle", side))


def knee_flexion_3d(seq: PoseSequence, side: str) -> np.ndarray:
    """Knee flexion from MediaPipe world landmarks (deg): coarse, but independent of the view."""
    w = seq.world_xyz
    hip, knee, ank = (w[:, joint(n, side)] for n in ("hip", "knee", "ankle"))
    u, v = hip - knee, ank - knee
    cross = np.linalg.norm(np.cross(u, v), axis=1)
    return 180.0 - np.degrees(np.arctan2(cross, (u * v).sum(axis=1)))


def hip_flexion(seq: PoseSequence, side: str) -> np.ndarray:
    """Trunk-thigh flexion HF = 180 - ang(SHOULDER, HIP, KNEE) (sagittal)."""
    return 180.0 - angle_at(_p(seq, "shoulder", side), _p(seq, "hip", side), _p(seq, "knee", side))


def trunk_inclination(seq: PoseSequence) -> np.ndarray:
    """TI = |angle of mid-hip -> mid-shoulder from vertical|, degrees (0 upright, 90 horizontal)."""
    return np.abs(incl_from_vertical(mid(seq, "hip"), mid(seq, "shoulder")))


def lateral_trunk_lean(seq: PoseSequence, toward: str) -> np.ndarray:
    """Frontal view: trunk lean toward the `toward` side's image position, degrees (+ = toward)."""
    signed = incl_from_vertical(mid(seq, "hip"), mid(seq, "shoulder"))
    hip_s = _p(seq, "hip", toward)[:, 0]
    hip_o = _p(seq, "hip", other_side(toward))[:, 0]
    direction = np.sign(hip_s - hip_o)
    return signed * direction


def thigh_to_horizontal(seq: PoseSequence, side: str) -> np.ndarray:
    """TA = angle of knee -> hip above horizontal; <= 0 means the hip is at or below the knee."""
    return incl_from_horizontal(_p(seq, "knee", side), _p(seq, "hip", side))


def shank_inclination(seq: PoseSequence, side: str) -> np.ndarray:
    """|angle of ankle -> knee from vertical|, degrees."""
    return np.abs(incl_from_vertical(_p(seq, "ankle", side), _p(seq, "knee", side)))


def fppa(seq: PoseSequence, side: str) -> np.ndarray:
    """Frontal plane projection angle of one knee, degrees, + = valgus (knee medial of hip-ankle).

    180 - ang(HIP, KNEE, ANKLE) signed by which side of the hip-ankle line the knee falls, medial
    being toward the other hip.
    """
    hip, knee, ank = _p(seq, "hip", side), _p(seq, "knee", side), _p(seq, "ankle", side)
    other_hip = _p(seq, "hip", other_side(side))
    dy = ank[:, 1] - hip[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        x_line = hip[:, 0] + (knee[:, 1] - hip[:, 1]) * (ank[:, 0] - hip[:, 0]) / dy
    medial = (knee[:, 0] - x_line) * np.sign(other_hip[:, 0] - hip[:, 0])
    magnitude = 180.0 - angle_at(hip, knee, ank)
    return np.where(medial >= 0, magnitude, -magnitude)


# Frames within this many degrees of a leg's straightest (3D knee flexion) give its straight
# segment lengths.
STRAIGHT_BAND_DEG = 10.0


def knee_valgus_angle(seq: PoseSequence, side: str, straight: np.ndarray | None = None) -> np.ndarray:
    """Depth-corrected FPPA of one knee, degrees, + = valgus (knee toward the other hip).

    atan(d / thigh) + atan(d / shank), with d the knee's offset from the hip-ankle line in pixels
    and thigh and shank the segments' image lengths over the `straight` frames (default: the frames
    within STRAIGHT_BAND_DEG of the leg's straightest, by the 3D knee angle). On an upright leg it
    is the FPPA; as the bent thigh turns toward a front camera its image shortens, and the plain
    FPPA of the short segment swells with depth and noise while this stays the angle the same
    sideways offset makes on an upright leg.
    """
    hip, knee, ank = _p(seq, "hip", side), _p(seq, "knee", side), _p(seq, "ankle", side)
    other = _p(seq, "hip", other_side(side))
    if straight is None:
        kf = knee_flexion_3d(seq, side)
        with np.errstate(invalid="ignore"):
            straight = kf <= np.nanmin(kf) + STRAIGHT_BAND_DEG if np.isfinite(kf).any() else kf > 0
    line = ank - hip
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = line / np.linalg.norm(line, axis=1, keepdims=True)
    normal = np.stack([-unit[:, 1], unit[:, 0]], axis=1)
    toward = np.sum((other - hip) * normal, axis=1)
    sign = np.sign(np.nanmedian(toward)) if np.isfinite(toward).any() else 1.0
    offset = np.sum((knee - hip) * normal, axis=1) * sign
    if not np.any(straight):
        return np.full(len(seq), np.nan)
    thigh = float(np.nanmedian(np.linalg.norm(knee - hip, axis=1)[straight]))
    shank = float(np.nanmedian(np.linalg.norm(ank - knee, axis=1)[straight]))
    if not (thigh > 0 and shank > 0):
        return np.full(len(seq), np.nan)
    return np.degrees(np.arctan(offset / thigh) + np.arctan(offset / shank))


def pelvic_obliquity(seq: PoseSequence, stance: str) -> np.ndarray:
    """PO = atan2(Y_hip_stance - Y_hip_free, |dX|), degrees; + means the free side is lower."""
    s = _p(seq, "hip", stance)
    f = _p(seq, "hip", other_side(stance))
    return np.degrees(np.arctan2(f[:, 1] - s[:, 1], np.abs(f[:, 0] - s[:, 0])))


FOOT_POINTS = ("ankle", "heel", "foot_index")


def hanging_leg_obliquity(seq: PoseSequence, stance: str) -> np.ndarray:
    """Pelvic obliquity read from a straight free leg hanging beside the stance leg (deg; + free
    side lower): atan2(free foot's drop below the stance foot, pelvis width).

    A free leg that hangs from a dropping hip drops with it, one for one. The pose model follows a
    foot far better than the hip landmarks, which it keeps nearly level however far the pelvis
    tilts (rendered hip hikes: 16 deg of drop moved the hips by 0.4 deg and the feet by 15). The
    foot height is the mean of ankle, heel and toe; the pelvis width is the median horizontal gap
    of the hip landmarks, which a front or back view shows.
    """
    free = other_side(stance)
    dy = np.nanmean([_p(seq, n, free)[:, 1] - _p(seq, n, stance)[:, 1] for n in FOOT_POINTS], axis=0)
    gap = np.abs(_p(seq, "hip", "left")[:, 0] - _p(seq, "hip", "right")[:, 0])
    width = float(np.nanmedian(gap)) if np.isfinite(gap).any() else float("nan")
    return np.degrees(np.arctan2(dy, width))


def hip_extension(seq: PoseSequence, side: str) -> np.ndarray:
    """HE = ang(SHOULDER, HIP, KNEE), signed so that > 180 means the hip is above the SH-KNEE line.

    For bridges and hip thrusts filmed from the side: 180 is a straight line, < 180 hips sagging.
    """
    sh, hip, knee = _p(seq, "shoulder", side), _p(seq, "hip", side), _p(seq, "knee", side)
    a = angle_at(sh, hip, knee)
    dx = knee[:, 0] - sh[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        line_y = sh[:, 1] + (hip[:, 0] - sh[:, 0]) * (knee[:, 1] - sh[:, 1]) / dx
    above = hip[:, 1] < line_y
    return np.where(above, 360.0 - a, a)


def segment(seq: PoseSequence, a: Landmark, b: Landmark) -> np.ndarray:
    """(T,) pixel distance between two landmarks."""
    return np.linalg.norm(seq.px(a) - seq.px(b), axis=1)


def leg_length(seq: PoseSequence, side: str) -> float:
    """Median |HIP-KNEE| + |KNEE-ANKLE| in pixels over the clip (NaN if never seen)."""
    thigh = segment(seq, joint("hip", side), joint("knee", side))
    shank = segment(seq, joint("knee", side), joint("ankle", side))
    total = thigh + shank
    return float(np.nanmedian(total)) if np.isfinite(total).any() else float("nan")


def body_scale(seq: PoseSequence) -> float:
    """A robust body size in pixels: the longer of the two legs' median lengths."""
    lengths = [leg_length(seq, s) for s in ("left", "right")]
    finite = [v for v in lengths if np.isfinite(v)]
    return max(finite) if finite else float("nan")


def height_of(seq: PoseSequence, lm_name: str, scale: float, side: str | None = None) -> np.ndarray:
    """Height of a landmark (or the left/right midpoint) above image bottom, in units of `scale`."""
    y = (_p(seq, lm_name, side) if side else mid(seq, lm_name))[:, 1]
    return (seq.height - y) / scale


def ear_shoulder_hip(seq: PoseSequence, side: str) -> np.ndarray:
    """ang(EAR, SHOULDER, HIP): about 180 with the head in line with the trunk."""
    return angle_at(_p(seq, "ear", side), _p(seq, "shoulder", side), _p(seq, "hip", side))


def trunk_chord(seq: PoseSequence) -> np.ndarray:
    """|mid(SHOULDER) - mid(HIP)| in pixels: a curving spine shortens it."""
    return np.linalg.norm(mid(seq, "shoulder") - mid(seq, "hip"), axis=1)


def foot_pitch(seq: PoseSequence, side: str) -> np.ndarray:
    """Angle of heel -> toe above horizontal, degrees: grows as the heel lifts."""
    return -incl_from_horizontal(_p(seq, "heel", side), _p(seq, "foot_index", side))
