"""Timing measures: the lowering phase, whole reps, holds.

Each measure takes a RepContext and returns a value, or (value, time_s), in pixel coordinates on
the smoothed poses (formulas from biomechanics.md); its uncertainty is in formcheck.faults.
"""

from __future__ import annotations

import numpy as np

from formcheck.exercises.base import RepContext
from formcheck.exercises.measures.window import NAN

# How the lowering is timed: between 10% and 90% of the driver's drop (hip height), divided by the
# share of a whole descent that lies between them. The start and the end of a descent are where
# the signal hardly changes and landmark jitter decides the frame; the middle is sharp. A smooth
# knee bend (cosine or minimum-jerk profile, Flash & Hogan 1985) lowers the hips by about
# 1 - cos(knee angle), so they lag at the start: for bends to 60-130 deg, 0.47-0.48 of the descent
# passes between 10% and 90% of the hips' drop.
DROP_LEVELS = (0.1, 0.9)
DROP_SHARE = 0.48


def _crossing(t: np.ndarray, values: np.ndarray, level: float, i: int) -> float:
    """Time at which values crosses `level` between frames i - 1 and i (linear)."""
    a, b = values[i - 1], values[i]
    frac = (level - a) / (b - a) if np.isfinite(a) and b != a else 1.0
    return float(t[i - 1] + np.clip(frac, 0.0, 1.0) * (t[i] - t[i - 1]))


def eccentric_s(ctx: RepContext) -> tuple[float, float]:
    """Duration of the lowering phase, from leaving the top to the bottom (s): the 10-90% part
    of the hips' drop over DROP_SHARE."""
    first = min(ctx.base, ctx.start)
    d = ctx.driver
    top, deep = d[ctx.base], d[ctx.bottom]
    if not (np.isfinite(top) and np.isfinite(deep) and deep > top) or ctx.bottom <= first:
        return NAN, ctx.t(ctx.bottom)
    lo, hi = (top + f * (deep - top) for f in DROP_LEVELS)
    part = d[first:ctx.bottom + 1]
    with np.errstate(invalid="ignore"):
        below = np.flatnonzero(part < lo)
    if below.size == 0:
        return NAN, ctx.t(ctx.bottom)
    i_lo = max(first + int(below[-1]) + 1, 1)
    with np.errstate(invalid="ignore"):
        i_hi = i_lo + int(np.argmax(d[i_lo:ctx.bottom + 1] >= hi))
    t = ctx.seq.t
    begin = _crossing(t, d, lo, i_lo)
    end = _crossing(t, d, hi, i_hi) if i_hi > i_lo else float(t[i_hi])
    return (end - begin) / DROP_SHARE, ctx.t(ctx.bottom)


def rep_duration(ctx: RepContext) -> float:
    """Whole rep, start to end (s)."""
    return ctx.t(ctx.end) - ctx.t(ctx.start)


def return_phase_s(ctx: RepContext) -> tuple[float, float]:
    """Second half of the rep, bottom to end (s): the lowering of a curl."""
    return ctx.t(ctx.end) - ctx.t(ctx.bottom), ctx.t(ctx.end)


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
