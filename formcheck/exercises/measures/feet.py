"""Foot measures: heel lift, the free foot's clearance, the stance foot's shifts, push-off, rise.

Each measure takes a RepContext and returns a value, or (value, time_s), in pixel coordinates on
the smoothed poses (formulas from biomechanics.md); its uncertainty is in formcheck.faults.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import RepContext
from formcheck.exercises.measures.window import (
    NAN,
    arg_extreme,
    around_bottom,
    running_median,
    top_median,
    y_px,
)
from formcheck.pose.landmarks import joint


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
    part = gap[around_bottom(ctx, 0.15)]
    top = top_median(ctx, gap)
    if not np.isfinite(part).any() or not np.isfinite(top):
        return float("nan"), ctx.t(ctx.bottom)
    return float(np.nanmedian(part)) - top, ctx.t(ctx.bottom)


def free_foot_clearance(ctx: RepContext) -> tuple[float, float]:
    """Lowest height of the free ankle above the stance heel around the bottom (leg lengths)."""
    span = around_bottom(ctx)
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
    return ctx.extreme(running_median(shift, 5))


def stance_shift_after_bottom(ctx: RepContext) -> tuple[float, float]:
    """Largest move of the working toe from the bottom to the rep's end (leg lengths)."""
    x = ctx.seq.px(joint("foot_index", ctx.side))[:, 0]
    shift = np.abs(x - x[ctx.bottom]) / ctx.scale
    return ctx.extreme(shift, ctx.bottom, ctx.end)


def trailing_pushoff(ctx: RepContext) -> tuple[float, float]:
    """Trailing-foot pitch rise while its toe is still down, before the stance knee is half
    extended (deg above the rep's start): the calf launching the body."""
    kf = g.knee_flexion(ctx.seq, ctx.side)
    first = arg_extreme(kf, ctx.start, ctx.bottom)
    if first is None:
        return NAN, ctx.t(ctx.bottom)
    half = kf[first] - 0.5 * (kf[first] - np.nanmin(kf[first:ctx.bottom + 1]))
    after = np.flatnonzero(kf[first:ctx.bottom + 1] <= half)
    stop = first + int(after[0]) if after.size else ctx.bottom
    toe_y = y_px(ctx, "foot_index", ctx.free)
    planted = (toe_y[ctx.start] - toe_y) / ctx.scale < 0.03
    pitch = g.foot_pitch(ctx.seq, ctx.free) - ctx.base_value(g.foot_pitch(ctx.seq, ctx.free))
    return ctx.extreme(np.where(planted, pitch, np.nan), ctx.start, stop)


def rise_vs_best(ctx: RepContext) -> float:
    """This rep's peak over the set's best, both above the set's low level (ratio, 1 = best).

    Low and best are the 2nd and 98th percentiles of the driver over the clip, so a rep that
    starts before the low level was seen is not short-changed.
    """
    d = ctx.driver[np.isfinite(ctx.driver)]
    if d.size < 3:
        return NAN
    low, best = float(np.percentile(d, 2)), float(np.percentile(d, 98))
    return (ctx.window.peak - low) / (best - low) if best > low else NAN
