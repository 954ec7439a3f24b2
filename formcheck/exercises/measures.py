"""Measurements for the lunge, step-up, hinge, thrust, hip-hike, calf-raise and jump rules.

Each takes a RepContext and returns a value, or (value, time_s). Formulas follow biomechanics.md,
in pixel coordinates on the smoothed poses. Frontal-plane values are baseline-corrected against
the rep's start frame. Rules that read either phase of a rep (a deadlift rep starts at the floor,
a Romanian deadlift standing) find their frames from the movement, not from the driver.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import RepContext
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence

NAN = float("nan")
# Falls slower than this (leg lengths per second) are steps, not flight; box-jump feet come down
# onto the box near the top of the flight, so the limit stays low.
MIN_FALL_SPEED = 0.5
# How long after initial contact the landing is judged (s): the absorption phase.
LANDING_WINDOW_S = 0.5
# How long after a rep's end its finishing position (runner position) is still looked for (s).
FINISH_TAIL_S = 0.5
# How long before a rep's start the bottom of a lift from the floor is looked for (s).
LIFT_LOOKBACK_S = 1.0
# How long after a standing-start rep's end the return to standing is looked for (s).
LOCKOUT_WINDOW_S = 1.0


def _frames(ctx: RepContext, seconds: float) -> int:
    return max(1, int(round(seconds * ctx.seq.fps)))


def _arg(series: np.ndarray, lo: int, hi: int, worst: str = "max") -> int | None:
    part = series[lo:hi + 1]
    if part.size == 0 or not np.isfinite(part).any():
        return None
    return lo + int(np.nanargmax(part) if worst == "max" else np.nanargmin(part))


def _y(ctx: RepContext, name: str, side: str) -> np.ndarray:
    return ctx.seq.px(joint(name, side))[:, 1]


# ---- depth, lean and knee position ---------------------------------------------------------

def peak_knee_flexion(ctx: RepContext) -> tuple[float, float]:
    """Deepest knee flexion of the working leg during the rep (deg)."""
    return ctx.extreme(g.knee_flexion(ctx.seq, ctx.side), ctx.start, ctx.end)


def either_knee_flexion(seq: PoseSequence) -> np.ndarray:
    """(T,) the larger knee flexion of the two legs (deg): the leg that is working."""
    return np.fmax(g.knee_flexion(seq, "left"), g.knee_flexion(seq, "right"))


def peak_either_knee_flexion(ctx: RepContext) -> tuple[float, float]:
    """Deepest knee flexion of whichever leg bends more during the rep (deg)."""
    return ctx.extreme(either_knee_flexion(ctx.seq), ctx.start, ctx.end)


def peak_trunk_inclination(ctx: RepContext) -> tuple[float, float]:
    """Largest trunk inclination from vertical during the rep (deg)."""
    return ctx.extreme(g.trunk_inclination(ctx.seq), ctx.start, ctx.end)


def knee_past_toes(ctx: RepContext) -> tuple[float, float]:
    """KT = (X_knee - X_toe) * facing / L_foot at the deepest knee bend (foot lengths).

    The facing direction is the working foot's own heel-to-toe direction over the rep.
    """
    heel = ctx.seq.px(joint("heel", ctx.side))[ctx.span]
    toe = ctx.seq.px(joint("foot_index", ctx.side))[ctx.span]
    foot = np.linalg.norm(toe - heel, axis=1)
    direction = np.sign(np.nanmedian(toe[:, 0] - heel[:, 0])) if np.isfinite(foot).any() else 0.0
    kf = g.knee_flexion(ctx.seq, ctx.side)
    i = _arg(kf, ctx.start, ctx.end)
    if i is None or direction == 0:
        return NAN, ctx.t(ctx.bottom)
    knee_x = ctx.seq.px(joint("knee", ctx.side))[i, 0]
    toe_x = ctx.seq.px(joint("foot_index", ctx.side))[i, 0]
    return float((knee_x - toe_x) * direction / np.nanmedian(foot)), ctx.t(i)


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


# ---- step-ups ------------------------------------------------------------------------------


def thigh_elevation(seq: PoseSequence, side: str) -> np.ndarray:
    """(T,) angle of the thigh from hanging straight down (deg): 90 = thigh horizontal."""
    hip = seq.px(joint("hip", side))
    knee = seq.px(joint("knee", side))
    return np.abs(g.incl_from_vertical(knee, hip))


def knee_drive(ctx: RepContext) -> tuple[float, float]:
    """Highest drive-thigh (free leg) elevation from the rep's start to shortly after its end."""
    hi = min(len(ctx.seq) - 1, ctx.end + _frames(ctx, FINISH_TAIL_S))
    return ctx.extreme(thigh_elevation(ctx.seq, ctx.free), ctx.start, hi)


def trailing_pushoff(ctx: RepContext) -> tuple[float, float]:
    """Trailing-foot pitch rise while its toe is still down, before the stance knee is half
    extended (deg above the rep's start): the calf launching the body."""
    kf = g.knee_flexion(ctx.seq, ctx.side)
    first = _arg(kf, ctx.start, ctx.bottom)
    if first is None:
        return NAN, ctx.t(ctx.bottom)
    half = kf[first] - 0.5 * (kf[first] - np.nanmin(kf[first:ctx.bottom + 1]))
    after = np.flatnonzero(kf[first:ctx.bottom + 1] <= half)
    stop = first + int(after[0]) if after.size else ctx.bottom
    toe_y = _y(ctx, "foot_index", ctx.free)
    planted = (toe_y[ctx.start] - toe_y) / ctx.scale < 0.03
    pitch = g.foot_pitch(ctx.seq, ctx.free) - ctx.base_value(g.foot_pitch(ctx.seq, ctx.free))
    return ctx.extreme(np.where(planted, pitch, np.nan), ctx.start, stop)


def _bent(ctx: RepContext) -> np.ndarray:
    return np.fmax(g.knee_flexion(ctx.seq, ctx.side), g.hip_flexion(ctx.seq, ctx.side))


def lockout_flexion(ctx: RepContext) -> tuple[float, float]:
    """Least-bent frame of the rep, judged by the worse of knee and hip flexion (deg).

    For reps whose top is the driver's peak (step-ups, deadlifts from the floor).
    """
    return ctx.extreme(_bent(ctx), ctx.start, ctx.end, "min")


def lockout_after(ctx: RepContext) -> tuple[float, float]:
    """Least-bent frame in the second after the rep (deg): the standing finish of a rep that
    starts and ends upright (Romanian deadlift), which the rep window itself stops short of."""
    return ctx.extreme(_bent(ctx), ctx.end, ctx.end + _frames(ctx, LOCKOUT_WINDOW_S), "min")


# ---- hinges -------------------------------------------------------------------------------

def _hinge_frames(ctx: RepContext) -> tuple[int, int] | None:
    """(most tilted, most upright) frames of the rep, from trunk inclination: a deadlift rep
    starts at the floor, a Romanian deadlift standing, and both read alike this way."""
    ti = g.trunk_inclination(ctx.seq)
    deep = _arg(ti, ctx.start, ctx.end)
    top = _arg(ti, ctx.start, ctx.end, "min")
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
    top = _arg(hip, ctx.start, ctx.end)
    lookback = max(0, ctx.start - _frames(ctx, LIFT_LOOKBACK_S))
    low = None if top is None else _arg(hip, lookback, top, "min")
    if top is None or low is None or top - low < 2:
        return NAN, ctx.t(ctx.bottom)
    rise = hip[lookback:top + 1] - hip[low]
    total = float(hip[top] - hip[low])
    deep = lookback + int(np.flatnonzero(rise <= 0.05 * total)[-1])
    early = deep + int(np.argmax(rise[deep - lookback:] >= share * total))
    d_hip, d_sh = hip[early] - hip[deep], sh[early] - sh[deep]
    floor = 0.01 * ctx.scale  # shoulder rise below landmark noise counts as this much
    return float(d_hip / max(d_sh, floor)), ctx.t(early)


# ---- bridges and thrusts ------------------------------------------------------------------

def hip_extension_range(ctx: RepContext) -> float:
    """Shoulder-hip-knee angle at the top minus its lowest value in the rep (deg)."""
    he = g.hip_extension(ctx.seq, ctx.side)
    low, _ = ctx.extreme(he, ctx.start, ctx.end, "min")
    return ctx.bottom_value(he) - low


# ---- hip hike -----------------------------------------------------------------------------

def obliquity_excursion(ctx: RepContext) -> float:
    """Pelvic obliquity range over the rep, drop plus hike, read from the hanging free leg (deg,
    frontal; geometry.hanging_leg_obliquity)."""
    po = g.hanging_leg_obliquity(ctx.seq, ctx.side)
    hi, _ = ctx.extreme(po, ctx.start, ctx.end)
    lo, _ = ctx.extreme(po, ctx.start, ctx.end, "min")
    return hi - lo


def trunk_over_pelvis(ctx: RepContext) -> tuple[float, float]:
    """Largest lateral trunk lean change minus largest pelvic obliquity change (deg, frontal).

    Positive when the trunk side-bends more than the pelvis moves: the hike comes from the trunk.
    """
    lean = g.lateral_trunk_lean(ctx.seq, ctx.side)
    po = g.hanging_leg_obliquity(ctx.seq, ctx.side)
    d_lean, t = ctx.extreme(np.abs(lean - ctx.base_value(lean)), ctx.start, ctx.end)
    d_po, _ = ctx.extreme(np.abs(po - ctx.base_value(po)), ctx.start, ctx.end)
    return d_lean - d_po, t


def knee_bend_change(ctx: RepContext) -> tuple[float, float]:
    """Most the working knee bends during the rep beyond its start (deg)."""
    kf = g.knee_flexion(ctx.seq, ctx.side)
    value, t = ctx.extreme(kf, ctx.start, ctx.end)
    return value - ctx.base_value(kf), t


# ---- calf raise ---------------------------------------------------------------------------

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


def rep_duration(ctx: RepContext) -> float:
    """Whole rep, start to end (s)."""
    return ctx.t(ctx.end) - ctx.t(ctx.start)


def return_phase_s(ctx: RepContext) -> tuple[float, float]:
    """Second half of the rep, bottom to end (s): the lowering of a curl."""
    return ctx.t(ctx.end) - ctx.t(ctx.bottom), ctx.t(ctx.end)


# ---- landings -----------------------------------------------------------------------------

def initial_contact(ctx: RepContext, side: str, lo: int, hi: int) -> int | None:
    """Frame the foot first lands in [lo, hi]: the peak of its first fall at flight speed.

    The zero-lag smoothing spreads the stop at impact evenly about it, so the smoothed fall
    speed peaks at initial contact. None when the foot never falls as fast as flight (a step).
    """
    lo, hi = max(lo, 0), min(hi, len(ctx.seq) - 1)
    if hi - lo < 3:
        return None
    y = _y(ctx, "ankle", side) / ctx.scale
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
    return initial_contact(ctx, side, ctx.start - _frames(ctx, 0.4), ctx.end)


def landing_absorption(ctx: RepContext) -> tuple[float, float]:
    """Knee flexion gained from initial contact to its peak in the landing window (deg)."""
    ic = _landing(ctx, ctx.side)
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    kf = g.knee_flexion(ctx.seq, ctx.side)
    peak, t = ctx.extreme(kf, ic, ic + _frames(ctx, LANDING_WINDOW_S))
    return peak - float(kf[ic]), t


def landing_valgus(ctx: RepContext) -> tuple[float, float]:
    """FPPA at the deepest knee bend after landing minus at the rep start (deg, + valgus).

    The deepest bend is found in 3D (world landmarks): seen from the front the 2D knee angle is
    the FPPA itself.
    """
    ic = _landing(ctx, ctx.side)
    if ic is None:
        return NAN, ctx.t(ctx.bottom)
    i = _arg(g.knee_flexion_3d(ctx.seq, ctx.side), ic, ic + _frames(ctx, LANDING_WINDOW_S))
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


def stance_shift_after_bottom(ctx: RepContext) -> tuple[float, float]:
    """Largest move of the working toe from the bottom to the rep's end (leg lengths)."""
    x = ctx.seq.px(joint("foot_index", ctx.side))[:, 0]
    shift = np.abs(x - x[ctx.bottom]) / ctx.scale
    return ctx.extreme(shift, ctx.bottom, ctx.end)
