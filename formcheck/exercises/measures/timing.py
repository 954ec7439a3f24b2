"""Timing measures: the lowering phase, whole reps, holds.

Each measure takes a RepContext and returns a value, or (value, time_s), in pixel coordinates on
the smoothed poses (formulas from biomechanics.md); its uncertainty is in formcheck.faults.
"""

from __future__ import annotations

import numpy as np

from formcheck.exercises.base import RepContext

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
