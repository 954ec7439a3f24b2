"""Landing measures: initial contact, absorption, valgus and the foot at touchdown.

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
    frames,
    y_px,
)

# Falls slower than this (leg lengths per second) are steps, not flight; box-jump feet come down
# onto the box near the top of the flight, so the limit stays low.
MIN_FALL_SPEED = 0.5


# How long after initial contact the landing is judged (s): the absorption phase.
LANDING_WINDOW_S = 0.5


def initial_contact(ctx: RepContext, side: str, lo: int, hi: int) -> int | None:
    """Frame the foot first lands in [lo, hi]: the peak of its first fall at flight speed.

    The zero-lag smoothing spreads the stop at impact evenly about it, so the smoothed fall
    speed peaks at initial contact. None when the foot never falls as fast as flight (a step).
    """
    lo, hi = max(lo, 0), min(hi, len(ctx.seq) - 1)
    if hi - lo < 3:
        return None
    y = y_px(ctx, "ankle", side) / ctx.scale
    v = np.gradient(y, ctx.seq.t)[lo:hi + 1]  # + = falling (image y grows downward)
    fast = np.flatnonzero(v >= MIN_FALL_SPEED)
    if fast.size == 0:
        return None
    peak = int(fast[0])
    while peak + 1 < v.size and v[peak + 1] >= v[peak]:
        peak += 1
    return lo + peak


def _landing(ctx: RepContext, side: str) -> int | None:
    """Initial contact of `side` within the rep, or shortly before it (a split-jump landing)."""
    return initial_contact(ctx, side, ctx.start - frames(ctx, 0.4), ctx.end)


def landing_absorption(ctx: RepContext) -> tuple[float, float]:
    """Knee flexion gained from initial contact to its peak in the landing window (deg)."""
    ic = _landing(ctx, ctx.side)
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    kf = g.knee_flexion(ctx.seq, ctx.side)
    peak, t = ctx.extreme(kf, ic, ic + frames(ctx, LANDING_WINDOW_S))
    return peak - float(kf[ic]), t


def landing_valgus(ctx: RepContext) -> tuple[float, float]:
    """FPPA at the deepest knee bend after landing minus at the rep start (deg, + valgus).

    The deepest bend is found in 3D (world landmarks): seen from the front the 2D knee angle is
    the FPPA itself.
    """
    ic = _landing(ctx, ctx.side)
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    i = arg_extreme(g.knee_flexion_3d(ctx.seq, ctx.side), ic, ic + frames(ctx, LANDING_WINDOW_S))
    if i is None:
        return NAN, ctx.t(ic)
    f = g.fppa(ctx.seq, ctx.side)
    return float(f[i] - ctx.base_value(f)), ctx.t(i)


def landing_toe_first(ctx: RepContext) -> tuple[float, float]:
    """Foot pitch at initial contact above standing (deg): + heel still up, toes landing first."""
    ic = _landing(ctx, ctx.side)
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    pitch = g.foot_pitch(ctx.seq, ctx.side)
    return float(pitch[ic] - ctx.base_value(pitch)), ctx.t(ic)
