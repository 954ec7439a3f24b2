"""Hip and pelvis measures: drop and obliquity, depth, hip extension and lockout, the drive thigh.

Each measure takes a RepContext and returns a value, or (value, time_s), in pixel coordinates on
the smoothed poses (formulas from biomechanics.md); its uncertainty is in formcheck.faults.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import RepContext
from formcheck.exercises.measures.window import (
    frames,
)
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence


def pelvic_drop(ctx: RepContext) -> tuple[float, float]:
    """Worst free-side pelvic drop during the rep, minus the top frame (deg)."""
    po = g.pelvic_obliquity(ctx.seq, ctx.side) - ctx.base_value(g.pelvic_obliquity(ctx.seq, ctx.side))
    return ctx.extreme(po)


def obliquity_excursion(ctx: RepContext) -> float:
    """Pelvic obliquity range over the rep, drop plus hike, read from the hanging free leg (deg,
    frontal; geometry.hanging_leg_obliquity)."""
    po = g.hanging_leg_obliquity(ctx.seq, ctx.side)
    hi, _ = ctx.extreme(po, ctx.start, ctx.end)
    lo, _ = ctx.extreme(po, ctx.start, ctx.end, "min")
    return hi - lo


def thigh_angle_at_bottom(ctx: RepContext) -> float:
    """Thigh-to-horizontal at the bottom (deg): <= 0 means the hip reached knee height.

    Filmed obliquely, the thigh's forward reach is foreshortened by sin(yaw) and the image angle
    grows; tan(true) = tan(image) x sin(yaw) undoes that (yaw 90 side-on leaves it unchanged).
    """
    image = ctx.bottom_value(g.thigh_to_horizontal(ctx.seq, ctx.side))
    reach = np.sin(np.radians(np.clip(ctx.yaw_deg, 30.0, 90.0)))
    return float(np.degrees(np.arctan(np.tan(np.radians(image)) * reach)))


def hip_extension_at_top(ctx: RepContext) -> float:
    """Shoulder-hip-knee angle at the highest hip position (deg, 180 = straight line)."""
    return ctx.bottom_value(g.hip_extension(ctx.seq, ctx.side))


def hip_sag_during_hold(ctx: RepContext) -> tuple[float, float]:
    """How far the shoulder-hip-knee angle falls below the rep's start (deg)."""
    he = g.hip_extension(ctx.seq, ctx.side)
    drop = ctx.base_value(he) - he
    return ctx.extreme(drop)


def hip_extension_range(ctx: RepContext) -> float:
    """Shoulder-hip-knee angle at the top minus its lowest value in the rep (deg)."""
    he = g.hip_extension(ctx.seq, ctx.side)
    low, _ = ctx.extreme(he, ctx.start, ctx.end, "min")
    return ctx.bottom_value(he) - low


# How long after a rep's end its finishing position (runner position) is still looked for (s).
FINISH_TAIL_S = 0.5


def thigh_elevation(seq: PoseSequence, side: str) -> np.ndarray:
    """(T,) angle of the thigh from hanging straight down (deg): 90 = thigh horizontal."""
    hip = seq.px(joint("hip", side))
    knee = seq.px(joint("knee", side))
    return np.abs(g.incl_from_vertical(knee, hip))


def knee_drive(ctx: RepContext) -> tuple[float, float]:
    """Highest drive-thigh (free leg) elevation from the rep's start to shortly after its end."""
    hi = min(len(ctx.seq) - 1, ctx.end + frames(ctx, FINISH_TAIL_S))
    return ctx.extreme(thigh_elevation(ctx.seq, ctx.free), ctx.start, hi)


def free_leg_line(ctx: RepContext) -> float:
    """ang(mid SHOULDER, free HIP, free ANKLE) at the bottom (deg, 180 = leg in line with trunk)."""
    sh = g.mid(ctx.seq, "shoulder")
    hip = ctx.seq.px(joint("hip", ctx.free))
    ank = ctx.seq.px(joint("ankle", ctx.free))
    return ctx.bottom_value(g.angle_at(sh, hip, ank))


# How long after a standing-start rep's end the return to standing is looked for (s).
LOCKOUT_WINDOW_S = 1.0


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
    return ctx.extreme(_bent(ctx), ctx.end, ctx.end + frames(ctx, LOCKOUT_WINDOW_S), "min")
