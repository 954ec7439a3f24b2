"""Exercise builders: one function per movement, each a `draw` over the shared engine.

Every builder returns a PoseSequence and takes the engine's options (Tempo, Shot and Faults
fields) as keywords. Depths and faults may be one value or one value per rep. `side` is the
working leg: stance leg (pistol, single-leg deadlift, hip hike, single-leg bridge), front leg
(lunge) or the leg on the box (step-up). Side views face image right unless facing="left"; the
person's right side is then nearest the camera.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from formcheck.pose.sequence import PoseSequence
from formcheck.synth.body import BODY, Motion
from formcheck.synth.engine import Amount, Profile, synthesize


def squat(view: str = "front", reps: int = 4, depth_deg: Amount = 100.0, *,
          trunk_deg: Amount | None = None, knees_out_deg: Amount = 10.0, shank_share: Amount = 0.35,
          **options: Any) -> PoseSequence:
    """Bodyweight squat, feet shoulder-width and turned out, arms rising forward.

    depth_deg: knee flexion of both knees at the bottom. The shanks tilt forward by shank_share
    (0.35) of it, so thigh-to-horizontal at the bottom is 90 - 0.65 * depth_deg (parallel at 138);
    a larger share sends the knees further past the toes.
    trunk_deg: trunk inclination at the bottom (default 0.4 * depth_deg, about parallel to the
    shins). knees_out_deg: the knees track out over the toes, FPPA -knees_out_deg at the bottom
    (knee width 0.8 of toe width at 100 deg, the median of real squats); valgus_deg adds to it.
    """
    def draw(r: Profile) -> Motion:
        kf = r(depth_deg)
        trunk = 0.4 * kf if trunk_deg is None else r(trunk_deg)
        out = -r(knees_out_deg)
        shank = r(np.multiply(shank_share, depth_deg))
        return Motion(r.t, knee_flex=kf, shank_tilt=shank, trunk=trunk, fppa=out,
                      other_fppa=out, stance_width=0.34, arm=5 + 0.75 * kf, elbow=10.0)
    return synthesize(draw, view, reps, symmetric=True, **options)


def pistol(side: str = "left", view: str = "front", reps: int = 3, depth_deg: Amount = 100.0, *,
           trunk_deg: Amount | None = None, free_leg_deg: Amount = 75.0,
           **options: Any) -> PoseSequence:
    """Pistol (single-leg) squat on `side`, the free leg held forward and a little out.

    depth_deg: stance knee flexion at the bottom; the shank tilts forward by 0.4 of it
    (thigh-to-horizontal 90 - 0.6 * depth_deg). trunk_deg: default 0.5 * depth_deg.
    free_leg_deg: free thigh from vertical at the bottom (25 at the top). A front-view FPPA
    needs the hip above the knee: depth_deg below about 145.
    """
    def draw(r: Profile) -> Motion:
        kf = r(depth_deg)
        trunk = 0.5 * kf if trunk_deg is None else r(trunk_deg)
        return Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.4 * kf,
                      trunk=trunk, other_thigh=r.span(25.0, free_leg_deg), other_knee_flex=10.0,
                      other_abduct=12.0, arm=10 + 0.7 * kf, stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


def lunge(side: str = "left", view: str = "side", reps: int = 4, depth_deg: Amount = 90.0, *,
          step_m: float = 0.75, trunk_deg: Amount = 5.0, **options: Any) -> PoseSequence:
    """Split-stance lunge with `side` in front; the rear knee drops toward the floor.

    depth_deg: front knee flexion at the bottom (5 at the top); the front shank turns from 20
    degrees back at the top to 5 forward at the bottom. The rear foot stands on its ball,
    step_m behind.
    """
    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side, other="planted", knee_flex=r.span(5.0, depth_deg),
                      shank_tilt=-20 + 25 * r.p, trunk=r(trunk_deg), other_foot=-step_m,
                      other_heel_lift=45.0, stance_width=BODY.hip_w, arm=5.0)
    return synthesize(draw, view, reps, **options)


def single_leg_deadlift(side: str = "left", view: str = "side", reps: int = 3,
                        hinge_deg: Amount = 75.0, *, knee_deg: Amount = 20.0,
                        leg_gap_deg: Amount = 0.0, **options: Any) -> PoseSequence:
    """Single-leg Romanian deadlift on `side`: hinge, free leg behind in line, arms hanging.

    hinge_deg: trunk inclination at the bottom. knee_deg: stance knee flexion at the bottom
    (5 at the top). leg_gap_deg: the free leg hangs this far below the trunk line at the bottom.
    """
    def draw(r: Profile) -> Motion:
        trunk = r(hinge_deg)
        kf = r.span(5.0, knee_deg)
        return Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.3 * kf,
                      trunk=trunk, other_thigh=-trunk + r(leg_gap_deg), other_knee_flex=5.0,
                      arm=0.0, arm_abduct=5.0, stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


def bridge(view: str = "side", reps: int = 4, *, side: str | None = None, top_deg: float = 180.0,
           bottom_deg: float = 135.0, **options: Any) -> PoseSequence:
    """Glute bridge lying on the back (side=None), or single-leg bridge on `side`'s foot.

    The profile's "bottom" is the top of the lift: the shoulder-hip-knee angle of the stance
    side goes from bottom_deg (hips near the floor; 128 is on it) to top_deg (180 = straight
    line; sag_deg lowers it). The free leg of a single-leg bridge is held straight in line with
    the stance thigh. Holds 1 s at the top unless hold_s is given.
    """
    options.setdefault("hold_s", 1.0)

    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side or "left", other="free" if side else "planted",
                      lying=True, hip_ext=bottom_deg + (top_deg - bottom_deg) * r.p,
                      arm=90.0, arm_abduct=12.0, elbow=0.0, stance_width=0.26)
    return synthesize(draw, view, reps, symmetric=side is None, **options)


def trailing_thigh_deg(box_m: float, start_knee_deg: float) -> float:
    """Trailing thigh from vertical (deg, - behind) with its foot on the floor while the stance
    foot stands on a box_m box, the stance knee bent start_knee_deg and its shank tilted forward by
    0.4 of that: the straight trailing leg reaches from the hip down to the floor."""
    tilt0 = np.radians(0.4 * start_knee_deg)
    hip_up = (box_m + BODY.ankle_h + BODY.shank * np.cos(tilt0)
              + BODY.thigh * np.cos(tilt0 - np.radians(start_knee_deg)))
    reach = (hip_up - BODY.ankle_h) / (BODY.thigh + BODY.shank)
    return -float(np.degrees(np.arccos(np.clip(reach, -1.0, 1.0))))


def step_up(side: str = "left", view: str = "side", reps: int = 4, *, box_m: float = 0.3,
            start_knee_deg: float = 80.0, drive_deg: Amount = 90.0, trunk_deg: float = 12.0,
            ascent_valgus_deg: Amount = 0.0, **options: Any) -> PoseSequence:
    """Step-up onto a box with `side`, driving the other knee up ("running position").

    The profile's "bottom" is the top of the step: stance leg straight, drive thigh drive_deg
    from vertical (90 = horizontal) with its knee at 90. At rest the stance foot is on the box
    with the knee bent start_knee_deg and the trailing foot reaches back to the floor.
    ascent_valgus_deg: the stance knee caving in while it is bent, fullest halfway up the step
    and gone at the straight-legged top (valgus_deg instead peaks at the top).
    """
    back = trailing_thigh_deg(box_m, start_knee_deg)

    def draw(r: Profile) -> Motion:
        kf = start_knee_deg * (1 - r.p)
        return Motion(r.t, chain=side, other="free", box=box_m, knee_flex=kf, shank_tilt=0.4 * kf,
                      trunk=trunk_deg * (1 - r.p), other_thigh=r.span(back, drive_deg),
                      other_knee_flex=90 * r.p, stance_width=BODY.hip_w, arm=10.0,
                      fppa=4.0 * r(ascent_valgus_deg) * (1 - r.p))
    return synthesize(draw, view, reps, **options)


def calf_raise(view: str = "side", reps: int = 4, *, rise_deg: Amount = 30.0,
               knee_deg: Amount = 0.0, **options: Any) -> PoseSequence:
    """Two-legged calf raise: both heels pitch up rise_deg about the toes; knees bend knee_deg."""
    def draw(r: Profile) -> Motion:
        rise = r(rise_deg)
        return Motion(r.t, heel_lift=rise, other_heel_lift=rise, knee_flex=r(knee_deg),
                      stance_width=0.22, arm=5.0)
    return synthesize(draw, view, reps, symmetric=True, **options)


def hip_hike(side: str = "left", view: str = "back", reps: int = 4, *, drop_deg: Amount = 8.0,
             box_m: float = 0.2, knee_deg: Amount = 0.0, **options: Any) -> PoseSequence:
    """Hip hike standing on `side` on a step: the free side of the pelvis drops drop_deg
    (pelvic obliquity, + free side lower) and hikes back level; the stance knee bends knee_deg.
    Holds 1 s at the bottom unless hold_s is given.
    """
    options.setdefault("hold_s", 1.0)

    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side, other="free", box=box_m, pelvic_drop=r(drop_deg),
                      knee_flex=r(knee_deg), other_knee_flex=8.0, stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


# Builders by exercise id (exercises.md).
BUILDERS: dict[str, Callable[..., PoseSequence]] = {
    "squat": squat,
    "pistol_squat": pistol,
    "lunge": lunge,
    "single_leg_deadlift": single_leg_deadlift,
    "glute_bridge": bridge,
    "step_up": step_up,
    "calf_raise": calf_raise,
    "hip_hike": hip_hike,
}
