"""Hand-made features of a pose sequence for recognising the exercise: one vector per clip or window.

Per frame, a few quantities that tell exercises apart whatever the camera angle, the person's size
or the frame rate: knee and hip angles from the 3D (world) landmarks, trunk inclination, heights
in leg lengths in the image (hips over the feet, shoulders over the hips, a knee driven above the
hip, hands overhead, one foot higher than the other, both feet off the floor), how far apart the
feet are along and across the body (3D), heel lift and travel across the image. Per clip, their
10th, 50th and 90th percentiles and their range, with the two legs ordered by how much they move
(so that a left and a right pistol squat give the same vector), and how some of them move together.

Input: a smoothed PoseSequence (formcheck.smoothing.smooth_sequence). Output: (N_FEATURES,) float
array, NaN where a quantity was never seen (the model fills it with its training mean).
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence

SCALAR = ("trunk", "hip_h", "sh_h", "foot_dy", "foot_dx", "knee_dy", "sep_fwd", "sep_lat", "wrist_h",
          "knee_hi", "feet_h", "heel", "hip_x")
PAIRED = ("kf", "hf", "thigh")
STATS = ("p10", "p50", "p90", "range")


def feature_names() -> list[str]:
    names = [f"{s}.{k}" for s in SCALAR for k in STATS]
    names += [f"{p}.{leg}.{k}" for p in PAIRED for leg in ("more", "less") for k in STATS]
    names += ["corr.kf_lr", "corr.hip_trunk", "corr.hip_kf", "share.trunk", "travel.net",
              "frac.one_foot_up", "frac.lying", "corr.feet_hip", "jumps.per_dip"]
    return names


N_FEATURES = len(feature_names())


def _pt(a: np.ndarray, name: str) -> np.ndarray:
    return a[:, Landmark[name]]


def _angle3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    u, v = a - b, c - b
    cross = np.linalg.norm(np.cross(u, v), axis=1)
    return np.degrees(np.arctan2(cross, (u * v).sum(axis=1)))


def _leg_px(p: np.ndarray, side: str) -> float:
    up = side.upper()
    d = (np.linalg.norm(_pt(p, f"{up}_HIP") - _pt(p, f"{up}_KNEE"), axis=1)
         + np.linalg.norm(_pt(p, f"{up}_KNEE") - _pt(p, f"{up}_ANKLE"), axis=1))
    d = d[np.isfinite(d)]
    return float(np.median(d)) if d.size else float("nan")


def frame_signals(seq: PoseSequence) -> dict[str, np.ndarray]:
    """(T,) per-frame quantities by name (heights in leg lengths, angles in degrees)."""
    p = seq.image_xy * np.array([seq.width, seq.height], dtype=np.float64)  # pixels, y down
    w = seq.world_xyz
    scale = np.nanmax([_leg_px(p, "left"), _leg_px(p, "right"), 1e-6])

    def y(name: str) -> np.ndarray:
        return _pt(p, name)[:, 1] / scale

    def mid(name: str, axis: int) -> np.ndarray:
        return (_pt(p, f"LEFT_{name}")[:, axis] + _pt(p, f"RIGHT_{name}")[:, axis]) / 2 / scale

    s: dict[str, np.ndarray] = {}
    for side in ("left", "right"):
        up = side.upper()
        hip, knee, ank = _pt(w, f"{up}_HIP"), _pt(w, f"{up}_KNEE"), _pt(w, f"{up}_ANKLE")
        s[f"kf.{side}"] = 180.0 - _angle3(hip, knee, ank)
        s[f"hf.{side}"] = 180.0 - _angle3(_pt(w, f"{up}_SHOULDER"), hip, knee)
        thigh = knee - hip
        down = np.array([0.0, 1.0, 0.0])
        s[f"thigh.{side}"] = np.degrees(np.arccos(np.clip(
            thigh @ down / np.maximum(np.linalg.norm(thigh, axis=1), 1e-9), -1, 1)))
    hip_y, sh_y = mid("HIP", 1), mid("SHOULDER", 1)
    low_ankle = np.fmax(y("LEFT_ANKLE"), y("RIGHT_ANKLE"))
    dx, dy = mid("SHOULDER", 0) - mid("HIP", 0), hip_y - sh_y
    s["trunk"] = np.degrees(np.arctan2(np.abs(dx), dy))
    s["hip_h"] = low_ankle - hip_y
    s["sh_h"] = hip_y - sh_y
    s["foot_dy"] = np.abs(y("LEFT_ANKLE") - y("RIGHT_ANKLE"))
    s["foot_dx"] = np.abs(_pt(p, "LEFT_ANKLE")[:, 0] - _pt(p, "RIGHT_ANKLE")[:, 0]) / scale
    s["knee_dy"] = np.abs(y("LEFT_KNEE") - y("RIGHT_KNEE"))
    s["wrist_h"] = sh_y - mid("WRIST", 1)
    s["knee_hi"] = np.fmax(y("LEFT_HIP") - y("LEFT_KNEE"), y("RIGHT_HIP") - y("RIGHT_KNEE"))
    s["feet_h"] = _local_floor(low_ankle, seq.t) - low_ankle
    s["heel"] = ((y("LEFT_FOOT_INDEX") - y("LEFT_HEEL")) + (y("RIGHT_FOOT_INDEX") - y("RIGHT_HEEL"))) / 2
    s["hip_x"] = mid("HIP", 0)
    s["hip_y"] = -hip_y
    s["sep_fwd"], s["sep_lat"] = _feet_apart(w)
    return s


# A jump leaves the floor for well under a second; the camera drifts and zooms far more slowly.
FLOOR_WINDOW_S = 1.0


def _local_floor(low_ankle: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(T,) the floor under the feet: the lowest the lower ankle got within FLOOR_WINDOW_S."""
    out = np.full_like(low_ankle, np.nan)
    if len(t) == 0:
        return out
    lo = np.searchsorted(t, t - FLOOR_WINDOW_S)
    hi = np.searchsorted(t, t + FLOOR_WINDOW_S, side="right")
    for i in range(len(t)):
        part = low_ankle[lo[i]:hi[i]]
        if np.isfinite(part).any():
            out[i] = np.nanmax(part)
    return out


def _feet_apart(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ankle separation along the body's forward axis and along the hip line, 3D, leg lengths."""
    hips = _pt(w, "LEFT_HIP") - _pt(w, "RIGHT_HIP")
    hips[:, 1] = 0.0
    across = hips / np.maximum(np.linalg.norm(hips, axis=1, keepdims=True), 1e-9)
    fwd = np.cross(across, np.array([0.0, 1.0, 0.0]))
    gap = _pt(w, "LEFT_ANKLE") - _pt(w, "RIGHT_ANKLE")
    leg = (np.linalg.norm(_pt(w, "LEFT_HIP") - _pt(w, "LEFT_KNEE"), axis=1)
           + np.linalg.norm(_pt(w, "LEFT_KNEE") - _pt(w, "LEFT_ANKLE"), axis=1))
    finite = leg[np.isfinite(leg)]
    length = float(np.median(finite)) if finite.size else 0.8
    return np.abs((gap * fwd).sum(1)) / length, np.abs((gap * across).sum(1)) / length


def _stats(v: np.ndarray) -> list[float]:
    v = v[np.isfinite(v)]
    if v.size < 3:
        return [float("nan")] * len(STATS)
    p5, p10, p50, p90, p95 = np.percentile(v, [5, 10, 50, 90, 95])
    return [float(p10), float(p50), float(p90), float(p95 - p5)]


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 5 or np.std(a[ok]) < 1e-9 or np.std(b[ok]) < 1e-9:
        return 0.0
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


# Both feet this far off the floor (leg lengths) for FLIGHT_S seconds is a jump; a jump squat
# leaves the floor by 20-40 cm, a quarter to a half of a leg.
FLIGHT_LEGS = 0.12
FLIGHT_S = (0.1, 0.8)
# In flight the hips rise about as far as the feet (the legs stay about as long); half of it
# leaves room for a tuck.
HIPS_WITH_FEET = 0.5


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return list(zip(edges[::2], edges[1::2], strict=True))


def _flights(feet_h: np.ndarray, hip_y: np.ndarray, t: np.ndarray) -> int:
    """Jumps: both feet up for FLIGHT_S, and the whole body with them. A flight is seen to take
    off from and land on the floor (a run of raised feet at either end of the clip is the camera
    moving, not a jump), and the hips rise with the feet (the pose model's slip of both lower legs
    leaves the hips where they were)."""
    with np.errstate(invalid="ignore"):
        up = np.nan_to_num(feet_h) > FLIGHT_LEGS
    n = 0
    for a, b in _runs(up):
        if a == 0 or b == len(t) or not FLIGHT_S[0] <= t[b - 1] - t[a] <= FLIGHT_S[1]:
            continue
        rise = np.nanmax(hip_y[a:b]) - hip_y[a - 1]
        if np.isfinite(rise) and rise >= HIPS_WITH_FEET * np.nanmax(feet_h[a:b]):
            n += 1
    return n


def _jumps_per_dip(feet_h: np.ndarray, hip_y: np.ndarray, t: np.ndarray) -> float:
    """Flights per dip of the hips: about 1 for jumps, near 0 otherwise."""
    if len(t) < 5 or not np.isfinite(hip_y).any():
        return 0.0
    flights = _flights(feet_h, hip_y, t)
    lo, hi = np.nanpercentile(hip_y, [10, 90])
    with np.errstate(invalid="ignore"):
        low = np.nan_to_num(hip_y, nan=hi) < (lo + hi) / 2
    dips = len(_runs(low))
    return min(flights / max(dips, 1), 2.0)


def features(seq: PoseSequence) -> np.ndarray:
    """(N_FEATURES,) features of the whole sequence (see the module docstring)."""
    s = frame_signals(seq)
    out: list[float] = []
    for name in SCALAR:
        stats = _stats(s[name])
        if name == "hip_x":
            stats[:3] = [0.0, 0.0, 0.0]  # where the person stands in the image says nothing
        out += stats
    for name in PAIRED:
        left, right = _stats(s[f"{name}.left"]), _stats(s[f"{name}.right"])
        more, less = (left, right) if np.nan_to_num(left[3]) >= np.nan_to_num(right[3]) else (right, left)
        out += more + less
    kf_max = np.fmax(s["kf.left"], s["kf.right"])
    ranges = [_stats(s[k])[3] for k in ("trunk", "kf.left", "kf.right")]
    trunk_r, knee_r = np.nan_to_num(ranges[0]), np.nan_to_num(max(ranges[1], ranges[2]))
    hip_x = s["hip_x"][np.isfinite(s["hip_x"])]
    tenth = max(len(hip_x) // 10, 1)
    travel = abs(float(np.mean(hip_x[-tenth:]) - np.mean(hip_x[:tenth]))) if hip_x.size >= 10 else 0.0
    with np.errstate(invalid="ignore"):
        one_up = float(np.nanmean(s["foot_dy"] > 0.15)) if np.isfinite(s["foot_dy"]).any() else 0.0
        lying = float(np.nanmean(s["trunk"] > 55)) if np.isfinite(s["trunk"]).any() else 0.0
    out += [_corr(s["kf.left"], s["kf.right"]), _corr(s["hip_h"], s["trunk"]),
            _corr(s["hip_h"], kf_max), trunk_r / (trunk_r + knee_r + 1.0), travel, one_up, lying,
            _corr(s["feet_h"], s["hip_y"]), _jumps_per_dip(s["feet_h"], s["hip_y"], seq.t)]
    return np.asarray(out, dtype=np.float64)
