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
    peak = _first_fall_peak(v)
    return None if peak is None else lo + peak


def _first_fall_peak(v: np.ndarray) -> int | None:
    """Index in v (fall speeds) of the peak of its first fall at flight speed, None if none."""
    fast = np.flatnonzero(v >= MIN_FALL_SPEED)
    if fast.size == 0:
        return None
    peak = int(fast[0])
    while peak + 1 < v.size and v[peak + 1] >= v[peak]:
        peak += 1
    return peak


def _landing(ctx: RepContext, side: str) -> int | None:
    """Initial contact of `side` within the rep, or shortly before it (a split-jump landing)."""
    return initial_contact(ctx, side, ctx.start - frames(ctx, 0.4), ctx.end)


def landing_absorption(ctx: RepContext) -> tuple[float, float]:
    """Knee flexion gained from initial contact to its peak in the landing window (deg)."""
    return _absorption(ctx, _landing(ctx, ctx.side))


def landing_valgus(ctx: RepContext) -> tuple[float, float]:
    """FPPA at the deepest knee bend after landing minus at the rep start (deg, + valgus).

    The deepest bend is found in 3D (world landmarks): seen from the front the 2D knee angle is
    the FPPA itself.
    """
    return _valgus(ctx, _landing(ctx, ctx.side))


def landing_toe_first(ctx: RepContext) -> tuple[float, float]:
    """Foot pitch at initial contact above standing (deg): + heel still up, toes landing first."""
    return _toe_first(ctx, _landing(ctx, ctx.side))


# ---- landing on a box ----------------------------------------------------------------------
# A box jump's feet come down onto the box near the top of their flight, often slower than a
# fall at flight speed, and the first fast fall in the rep may be a landmark slip in the dip
# before take-off or the step down after. A box jump's rep is cut on the feet's height
# (formcheck.exercises.jumps.FEET_RISE), so its deepest point is the feet's highest: contact is
# looked for between there and the feet coming to rest on the box.

# A foot coming down slower than this (leg lengths per second) has come to rest.
SETTLED_SPEED = 0.1


def box_contact(ctx: RepContext, side: str) -> int | None:
    """Initial contact on the box: the peak of a fall at flight speed between the feet's highest
    point and their coming to rest, or else the frame where the knee is straightest there (the
    legs reach for the box, then bend to absorb it)."""
    y = y_px(ctx, "ankle", side) / ctx.scale
    apex = ctx.bottom
    if not np.isfinite(y[apex]):
        return None
    v = np.gradient(y, ctx.seq.t)  # + = falling (image y grows downward)
    hi = min(ctx.end, apex + frames(ctx, LANDING_WINDOW_S))
    rest = hi
    falling = np.flatnonzero(v[apex:hi + 1] > SETTLED_SPEED)
    if falling.size:
        still = np.flatnonzero(~(v[apex + int(falling[0]):hi + 1] > SETTLED_SPEED))
        if still.size:
            rest = apex + int(falling[0]) + int(still[0])
    peak = _first_fall_peak(v[apex:rest + 1])
    if peak is not None:
        return apex + peak
    return arg_extreme(g.knee_flexion(ctx.seq, side), apex, rest, "min")


def box_landing_absorption(ctx: RepContext) -> tuple[float, float]:
    """Knee flexion gained from touching down on the box to its peak in the landing window (deg)."""
    return _absorption(ctx, box_contact(ctx, ctx.side))


def box_landing_valgus(ctx: RepContext) -> tuple[float, float]:
    """FPPA at the deepest knee bend after touching down on the box minus at the rep start (deg)."""
    return _valgus(ctx, box_contact(ctx, ctx.side))


def box_landing_toe_first(ctx: RepContext) -> tuple[float, float]:
    """Foot pitch on touching down on the box above standing (deg): + toes first."""
    return _toe_first(ctx, box_contact(ctx, ctx.side))


def _absorption(ctx: RepContext, ic: int | None) -> tuple[float, float]:
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    kf = g.knee_flexion(ctx.seq, ctx.side)
    peak, t = ctx.extreme(kf, ic, ic + frames(ctx, LANDING_WINDOW_S))
    return peak - float(kf[ic]), t


def _valgus(ctx: RepContext, ic: int | None) -> tuple[float, float]:
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    i = arg_extreme(g.knee_flexion_3d(ctx.seq, ctx.side), ic, ic + frames(ctx, LANDING_WINDOW_S))
    if i is None:
        return NAN, ctx.t(ic)
    f = g.fppa(ctx.seq, ctx.side)
    return float(f[i] - ctx.base_value(f)), ctx.t(i)


def _toe_first(ctx: RepContext, ic: int | None) -> tuple[float, float]:
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    pitch = g.foot_pitch(ctx.seq, ctx.side)
    return float(pitch[ic] - ctx.base_value(pitch)), ctx.t(ic)
