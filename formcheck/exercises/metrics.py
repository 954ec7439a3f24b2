"""Measurements rules read on one rep (RepContext -> value, or (value, time_s)).

Each is a formula from biomechanics.md, computed in pixel coordinates on the smoothed poses.
Frontal-plane values are baseline-corrected against the top (standing) frame of the same rep.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import RepContext
from formcheck.pose.landmarks import joint


def _around_bottom(ctx: RepContext, frac: float = 0.3) -> slice:
    """Frames within `frac` of the rep's duration either side of the bottom."""
    half = max(1, int((ctx.end - ctx.start) * frac))
    return slice(max(ctx.start, ctx.bottom - half), min(ctx.end, ctx.bottom + half) + 1)


# Frames whose 3D knee flexion is past this share of the rep's range (from its straightest frame)
# are where a knee can cave in.
DEEP_SHARE = 0.5


def knee_valgus(ctx: RepContext) -> tuple[float, float]:
    """Depth-corrected FPPA of the judged knee (geometry.knee_valgus_angle): worst over the bent
    half of the rep minus the straight leg (deg, + valgus), from the front or the back.

    The bent and straight frames are chosen by the 3D knee angle, which the view does not
    flatten; a 3-frame running median keeps one frame's jitter out of the worst value.
    """
    seq, side = ctx.seq, ctx.side
    lo, hi = min(ctx.base, ctx.start), ctx.end
    kf = g.knee_flexion_3d(seq, side)[lo:hi + 1]
    if not np.isfinite(kf).any():
        return float("nan"), ctx.t(ctx.bottom)
    k0, k1 = float(np.nanmin(kf)), float(np.nanmax(kf))
    with np.errstate(invalid="ignore"):
        straight = kf <= k0 + g.STRAIGHT_BAND_DEG
        deep = kf >= k0 + DEEP_SHARE * (k1 - k0)
    angle = _running_median(g.knee_valgus_angle(seq.slice(lo, hi + 1), side, straight), 3)
    rise = np.where(deep, angle - np.nanmedian(angle[straight]), np.nan)
    if not np.isfinite(rise).any():
        return float("nan"), ctx.t(ctx.bottom)
    i = int(np.nanargmax(rise))
    return float(rise[i]), ctx.t(lo + i)


def step_up_valgus(ctx: RepContext) -> tuple[float, float]:
    """knee_valgus of the stance knee on the way up a step: its own uncertainty, since the driving
    knee passes in front of it from a front camera."""
    return knee_valgus(ctx)


def pelvic_drop(ctx: RepContext) -> tuple[float, float]:
    """Worst free-side pelvic drop during the rep, minus the top frame (deg)."""
    po = g.pelvic_obliquity(ctx.seq, ctx.side) - ctx.base_value(g.pelvic_obliquity(ctx.seq, ctx.side))
    return ctx.extreme(po)


def lateral_lean(ctx: RepContext) -> tuple[float, float]:
    """Worst trunk lean toward the working leg during the rep, minus the top frame (deg)."""
    lean = g.lateral_trunk_lean(ctx.seq, ctx.side)
    return ctx.extreme(lean - ctx.base_value(lean))


def thigh_angle_at_bottom(ctx: RepContext) -> float:
    """Thigh-to-horizontal at the bottom (deg): <= 0 means the hip reached knee height.

    Filmed obliquely, the thigh's forward reach is foreshortened by sin(yaw) and the image angle
    grows; tan(true) = tan(image) x sin(yaw) undoes that (yaw 90 side-on leaves it unchanged).
    """
    image = ctx.bottom_value(g.thigh_to_horizontal(ctx.seq, ctx.side))
    reach = np.sin(np.radians(np.clip(ctx.yaw_deg, 30.0, 90.0)))
    return float(np.degrees(np.arctan(np.tan(np.radians(image)) * reach)))


def trunk_ahead_of_shin(ctx: RepContext) -> float:
    """Trunk inclination minus shank inclination at the bottom (deg): the chest dropping."""
    ti = ctx.bottom_value(g.trunk_inclination(ctx.seq))
    si = ctx.bottom_value(g.shank_inclination(ctx.seq, ctx.side))
    return ti - si


def trunk_at_bottom(ctx: RepContext) -> float:
    """Trunk inclination from vertical at the bottom (deg)."""
    return ctx.bottom_value(g.trunk_inclination(ctx.seq))


def heel_rise(ctx: RepContext) -> tuple[float, float]:
    """Rise of the judged heel above its toe around the bottom, against the standing frames
    (leg lengths).

    The vertical heel-over-toe gap only: foot pitch angles also swing when the foot is merely
    foreshortened or hidden behind the knees at depth. Medians over the frames around the bottom
    and over the standing frames keep one mistracked frame from counting.
    """
    seq = ctx.seq
    gap = (seq.px(joint("foot_index", ctx.side))[:, 1] - seq.px(joint("heel", ctx.side))[:, 1])
    gap = gap / ctx.scale
    part = gap[_around_bottom(ctx, 0.15)]
    top = _top_median(ctx, gap)
    if not np.isfinite(part).any() or not np.isfinite(top):
        return float("nan"), ctx.t(ctx.bottom)
    return float(np.nanmedian(part)) - top, ctx.t(ctx.bottom)


def _top_median(ctx: RepContext, series: np.ndarray, frac: float = 0.15) -> float:
    """Median of a series over the rep's standing frames (driver within `frac` of its top),
    from the calibration frame to the rep's end: steadier than one frame."""
    w = ctx.window
    span = slice(min(ctx.base, ctx.start), ctx.end + 1)
    with np.errstate(invalid="ignore"):
        top = ctx.driver[span] <= w.baseline + frac * (w.peak - w.baseline)
    values = series[span][top]
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else ctx.base_value(series)


# The lowering starts where the body has left the top by DESCENT_START_FRAC of the rep's excursion.
# The rep counter's own start comes later (at its entry threshold, 40% of the way down) and read a
# drawn 1.1 s pistol descent as 0.6 s; from 5% it reads 0.76 s (synthetic poses, 100 fps): the rest
# is the first moment of knee bend, when the hips hardly move yet. Noise at the top (1-2% of the
# excursion) does not start it early.
DESCENT_START_FRAC = 0.05


def eccentric_s(ctx: RepContext) -> tuple[float, float]:
    """Duration of the lowering phase, from leaving the top to the bottom (s)."""
    first = min(ctx.base, ctx.start)
    part = ctx.driver[first:ctx.bottom + 1]
    top, deep = ctx.driver[ctx.base], ctx.driver[ctx.bottom]
    begin = ctx.start
    if np.isfinite(top) and np.isfinite(deep) and deep > top:
        with np.errstate(invalid="ignore"):
            below = np.flatnonzero(part < top + DESCENT_START_FRAC * (deep - top))
        if below.size:
            begin = min(first + int(below[-1]) + 1, ctx.start)
    return ctx.t(ctx.bottom) - ctx.t(begin), ctx.t(ctx.bottom)


def free_foot_clearance(ctx: RepContext) -> tuple[float, float]:
    """Lowest height of the free ankle above the stance heel around the bottom (leg lengths)."""
    span = _around_bottom(ctx)
    free = ctx.seq.px(joint("ankle", ctx.free))[span, 1]
    stance = ctx.seq.px(joint("heel", ctx.side))[span, 1]
    gap = (stance - free) / ctx.scale
    if not np.isfinite(gap).any():
        return float("nan"), ctx.t(ctx.bottom)
    i = int(np.nanargmin(gap))
    return float(gap[i]), ctx.t(span.start + i)


def stance_foot_shift(ctx: RepContext) -> tuple[float, float]:
    """Largest horizontal move of the stance toe from the top frame (leg lengths).

    A running median over 5 frames first: seen side-on, the model swaps the two feet for a frame
    as the free foot passes the stance foot, which is not the stance foot moving.
    """
    x = ctx.seq.px(joint("foot_index", ctx.side))[:, 0]
    shift = np.abs(x - ctx.base_value(x)) / ctx.scale
    return ctx.extreme(_running_median(shift, 5))


def _running_median(values: np.ndarray, width: int) -> np.ndarray:
    """Median over a centred window of `width` frames (NaN ignored; NaN where all are missing)."""
    pad = width // 2
    padded = np.pad(values, pad, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.full(len(values), np.nan)
    ok = np.isfinite(windows).any(axis=1)
    out[ok] = np.nanmedian(windows[ok], axis=1)
    return out


def hip_extension_at_top(ctx: RepContext) -> float:
    """Shoulder-hip-knee angle at the highest hip position (deg, 180 = straight line)."""
    return ctx.bottom_value(g.hip_extension(ctx.seq, ctx.side))


def hip_sag_during_hold(ctx: RepContext) -> tuple[float, float]:
    """How far the shoulder-hip-knee angle falls below the rep's start (deg)."""
    he = g.hip_extension(ctx.seq, ctx.side)
    drop = ctx.base_value(he) - he
    return ctx.extreme(drop)


def hold_time(ctx: RepContext) -> float:
    """Time the driver stays above 70% of the rep's excursion (s)."""
    w = ctx.window
    level = w.baseline + 0.7 * (w.peak - w.baseline)
    t = ctx.seq.t[ctx.span]
    d = ctx.driver[ctx.span]
    above = d >= level
    if not above.any():
        return 0.0
    idx = np.flatnonzero(above)
    return float(t[idx[-1]] - t[idx[0]])


def trunk_chord_shortening(ctx: RepContext) -> float:
    """1 - shoulder-hip chord at the bottom / at the top: a rounding back shortens it (ratio)."""
    chord = g.trunk_chord(ctx.seq)
    return 1.0 - ctx.bottom_value(chord) / ctx.base_value(chord)


def stance_knee_flexion(ctx: RepContext) -> float:
    """Knee flexion of the working leg at the bottom (deg)."""
    return ctx.bottom_value(g.knee_flexion(ctx.seq, ctx.side))


def free_leg_line(ctx: RepContext) -> float:
    """ang(mid SHOULDER, free HIP, free ANKLE) at the bottom (deg, 180 = leg in line with trunk)."""
    sh = g.mid(ctx.seq, "shoulder")
    hip = ctx.seq.px(joint("hip", ctx.free))
    ank = ctx.seq.px(joint("ankle", ctx.free))
    return ctx.bottom_value(g.angle_at(sh, hip, ank))


def knee_to_foot_width(ctx: RepContext) -> float:
    """Knee separation over toe separation at the bottom (ratio; < 1 knees inside the feet).

    For deep two-legged squats seen from the front, where the thigh points at the camera and the
    single-knee projection angle stops meaning anything.
    """
    seq = ctx.seq
    knees = np.abs(seq.px(joint("knee", "left"))[:, 0] - seq.px(joint("knee", "right"))[:, 0])
    toes = np.abs(seq.px(joint("foot_index", "left"))[:, 0]
                  - seq.px(joint("foot_index", "right"))[:, 0])
    span = _around_bottom(ctx, 0.1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = knees[span] / toes[span]
    return float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")
