"""Trunk measures: forward and sideways lean, back rounding (trunk chord), the hinge.

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
)


def peak_trunk_inclination(ctx: RepContext) -> tuple[float, float]:
    """Largest trunk inclination from vertical during the rep (deg)."""
    return ctx.extreme(g.trunk_inclination(ctx.seq), ctx.start, ctx.end)


def trunk_ahead_of_shin(ctx: RepContext) -> float:
    """Trunk inclination minus shank inclination at the bottom (deg): the chest dropping."""
    ti = ctx.bottom_value(g.trunk_inclination(ctx.seq))
    si = ctx.bottom_value(g.shank_inclination(ctx.seq, ctx.side))
    return ti - si


def trunk_at_bottom(ctx: RepContext) -> float:
    """Trunk inclination from vertical at the bottom (deg)."""
    return ctx.bottom_value(g.trunk_inclination(ctx.seq))


def lateral_lean(ctx: RepContext) -> tuple[float, float]:
    """Worst trunk lean toward the working leg during the rep, minus the top frame (deg)."""
    lean = g.lateral_trunk_lean(ctx.seq, ctx.side)
    return ctx.extreme(lean - ctx.base_value(lean))


def trunk_over_pelvis(ctx: RepContext) -> tuple[float, float]:
    """Largest lateral trunk lean change minus largest pelvic obliquity change (deg, frontal).

    Positive when the trunk side-bends more than the pelvis moves: the hike comes from the trunk.
    """
    lean = g.lateral_trunk_lean(ctx.seq, ctx.side)
    po = g.hanging_leg_obliquity(ctx.seq, ctx.side)
    d_lean, t = ctx.extreme(np.abs(lean - ctx.base_value(lean)), ctx.start, ctx.end)
    d_po, _ = ctx.extreme(np.abs(po - ctx.base_value(po)), ctx.start, ctx.end)
    return d_lean - d_po, t


def trunk_chord_shortening(ctx: RepContext) -> float:
    """1 - shoulder-hip chord at the bottom / at the top: a rounding back shortens it (ratio)."""
    chord = g.trunk_chord(ctx.seq)
    return 1.0 - ctx.bottom_value(chord) / ctx.base_value(chord)


# How long before a rep's start the bottom of a lift from the floor is looked for (s).
LIFT_LOOKBACK_S = 1.0


def _hinge_frames(ctx: RepContext) -> tuple[int, int] | None:
    """(most tilted, most upright) frames of the rep, from trunk inclination: a deadlift rep
    starts at the floor, a Romanian deadlift standing, and both read alike this way."""
    ti = g.trunk_inclination(ctx.seq)
    deep = arg_extreme(ti, ctx.start, ctx.end)
    top = arg_extreme(ti, ctx.start, ctx.end, "min")
    return None if deep is None or top is None else (deep, top)


def hinge_chord_shortening(ctx: RepContext) -> tuple[float, float]:
    """1 - shoulder-hip chord at the deepest hinge / at the most upright frame (ratio)."""
    frames = _hinge_frames(ctx)
    if frames is None:
        return NAN, ctx.t(ctx.bottom)
    chord = g.trunk_chord(ctx.seq)
    return float(1.0 - chord[frames[0]] / chord[frames[1]]), ctx.t(frames[0])


def knee_at_deepest_hinge(ctx: RepContext) -> tuple[float, float]:
    """Knee flexion at the most tilted trunk frame (deg): a squatted lift bends far more."""
    frames = _hinge_frames(ctx)
    if frames is None:
        return NAN, ctx.t(ctx.bottom)
    return float(g.knee_flexion(ctx.seq, ctx.side)[frames[0]]), ctx.t(frames[0])


def hip_lead_ratio(ctx: RepContext, share: float = 0.3) -> tuple[float, float]:
    """Hip rise over shoulder rise while the hips make the first `share` of their rise (ratio).

    A ratio well above 1 means the hips shoot up while the chest stays down. The lift starts at
    the last frame the hips sit within 5% of their rise above their lowest, looked for up to a
    second before the rep: a rep cut on the shoulders starts only once they move.
    """
    hip = -g.mid(ctx.seq, "hip")[:, 1]
    sh = -g.mid(ctx.seq, "shoulder")[:, 1]
    top = arg_extreme(hip, ctx.start, ctx.end)
    lookback = max(0, ctx.start - frames(ctx, LIFT_LOOKBACK_S))
    low = None if top is None else arg_extreme(hip, lookback, top, "min")
    if top is None or low is None or top - low < 2:
        return NAN, ctx.t(ctx.bottom)
    rise = hip[lookback:top + 1] - hip[low]
    total = float(hip[top] - hip[low])
    deep = lookback + int(np.flatnonzero(rise <= 0.05 * total)[-1])
    early = deep + int(np.argmax(rise[deep - lookback:] >= share * total))
    d_hip, d_sh = hip[early] - hip[deep], sh[early] - sh[deep]
    floor = 0.01 * ctx.scale  # shoulder rise below landmark noise counts as this much
    return float(d_hip / max(d_sh, floor)), ctx.t(early)


# Half-width of the window around the bottom over which the head's drop is read (s): a few frames
# at any frame rate, so one misplaced ear does not decide.
HEAD_DROP_WINDOW_S = 0.1


def head_drop(ctx: RepContext) -> float:
    """180 - ang(EAR, SHOULDER, HIP) at the bottom (deg), on the side that reads the straighter:
    how far the head and upper back curl forward of the trunk line (biomechanics.md section 2,
    proxy b). The straighter side is taken because the far ear is often hidden and guessed low;
    a back that really rounds curls both."""
    half = frames(ctx, HEAD_DROP_WINDOW_S)
    lo, hi = max(ctx.start, ctx.bottom - half), min(ctx.end, ctx.bottom + half) + 1
    straightest = NAN
    for side in ("left", "right"):
        part = g.ear_shoulder_hip(ctx.seq, side)[lo:hi]
        if np.isfinite(part).any():
            straightest = float(np.nanmax([straightest, np.nanmedian(part)]))
    return 180.0 - straightest
