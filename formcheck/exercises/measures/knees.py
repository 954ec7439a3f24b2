"""Knee measures: valgus (depth-corrected FPPA), knees against the feet, knee bend and travel.

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
)
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence

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
    angle = running_median(g.knee_valgus_angle(seq.slice(lo, hi + 1), side, straight), 3)
    rise = np.where(deep, angle - np.nanmedian(angle[straight]), np.nan)
    if not np.isfinite(rise).any():
        return float("nan"), ctx.t(ctx.bottom)
    i = int(np.nanargmax(rise))
    return float(rise[i]), ctx.t(lo + i)


def step_up_valgus(ctx: RepContext) -> tuple[float, float]:
    """knee_valgus of the stance knee on the way up a step: its own uncertainty, since the driving
    knee passes in front of it from a front camera."""
    return knee_valgus(ctx)


def knee_inside_foot(ctx: RepContext) -> tuple[float, float]:
    """Frontal: how far the knee has moved medial of its toe at the bottom since the start (legs).

    Medial is toward the other hip; a knee tracking over the toes keeps its start offset. Unlike
    FPPA this stays meaningful when the thigh points at the camera (a lunge at parallel).
    """
    knee = ctx.seq.px(joint("knee", ctx.side))[:, 0]
    toe = ctx.seq.px(joint("foot_index", ctx.side))[:, 0]
    hip = ctx.seq.px(joint("hip", ctx.side))[:, 0]
    other = ctx.seq.px(joint("hip", ctx.free))[:, 0]
    medial = (knee - toe) * np.sign(other - hip) / ctx.scale
    return float(medial[ctx.bottom] - medial[ctx.base]), ctx.t(ctx.bottom)


def knee_to_foot_width(ctx: RepContext) -> float:
    """Knee separation over toe separation at the bottom (ratio; < 1 knees inside the feet).

    For deep two-legged squats seen from the front, where the thigh points at the camera and the
    single-knee projection angle stops meaning anything.
    """
    seq = ctx.seq
    knees = np.abs(seq.px(joint("knee", "left"))[:, 0] - seq.px(joint("knee", "right"))[:, 0])
    toes = np.abs(seq.px(joint("foot_index", "left"))[:, 0]
                  - seq.px(joint("foot_index", "right"))[:, 0])
    span = around_bottom(ctx, 0.1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = knees[span] / toes[span]
    return float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")


def peak_knee_flexion(ctx: RepContext) -> tuple[float, float]:
    """Deepest knee flexion of the working leg during the rep (deg)."""
    return ctx.extreme(g.knee_flexion(ctx.seq, ctx.side), ctx.start, ctx.end)


def either_knee_flexion(seq: PoseSequence) -> np.ndarray:
    """(T,) the larger knee flexion of the two legs (deg): the leg that is working."""
    return np.fmax(g.knee_flexion(seq, "left"), g.knee_flexion(seq, "right"))


def peak_either_knee_flexion(ctx: RepContext) -> tuple[float, float]:
    """Deepest knee flexion of whichever leg bends more during the rep (deg)."""
    return ctx.extreme(either_knee_flexion(ctx.seq), ctx.start, ctx.end)


def stance_knee_flexion(ctx: RepContext) -> float:
    """Knee flexion of the working leg at the bottom (deg)."""
    return ctx.bottom_value(g.knee_flexion(ctx.seq, ctx.side))


def knee_bend_change(ctx: RepContext) -> tuple[float, float]:
    """Most the working knee bends during the rep beyond its start (deg)."""
    kf = g.knee_flexion(ctx.seq, ctx.side)
    value, t = ctx.extreme(kf, ctx.start, ctx.end)
    return value - ctx.base_value(kf), t


def knee_past_toes(ctx: RepContext) -> tuple[float, float]:
    """KT = (X_knee - X_toe) * facing / L_foot at the deepest knee bend (foot lengths).

    The facing direction is the working foot's own heel-to-toe direction over the rep.
    """
    heel = ctx.seq.px(joint("heel", ctx.side))[ctx.span]
    toe = ctx.seq.px(joint("foot_index", ctx.side))[ctx.span]
    foot = np.linalg.norm(toe - heel, axis=1)
    direction = np.sign(np.nanmedian(toe[:, 0] - heel[:, 0])) if np.isfinite(foot).any() else 0.0
    kf = g.knee_flexion(ctx.seq, ctx.side)
    i = arg_extreme(kf, ctx.start, ctx.end)
    if i is None or direction == 0:
        return NAN, ctx.t(ctx.bottom)
    knee_x = ctx.seq.px(joint("knee", ctx.side))[i, 0]
    toe_x = ctx.seq.px(joint("foot_index", ctx.side))[i, 0]
    return float((knee_x - toe_x) * direction / np.nanmedian(foot)), ctx.t(i)
