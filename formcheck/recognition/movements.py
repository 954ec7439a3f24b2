"""Synthetic examples of every movement the recogniser knows, drawn with varied bodies and styles.

Each movement is a function (rng, profile, side) -> Drawn: the figure's joint-angle curves (a
synth Motion), the body it is drawn with, and an optional vertical and forward offset of the
whole figure over time (jumps leave the floor, walking lunges travel). Parameters are drawn from
ranges wide enough to cover how people really do the exercise (depth, trunk, stance, arms, box
height), so that the recogniser learns the movement and not one way of doing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

import numpy as np

from formcheck.synth.body import BODY, Body, Motion
from formcheck.synth.engine import Profile
from formcheck.synth.exercises import trailing_thigh_deg


@dataclass(frozen=True)
class Drawn:
    motion: Motion
    body: Body = BODY
    lift_m: np.ndarray | None = None  # (T,) whole figure raised (jumps, box landings)
    travel_m: np.ndarray | None = None  # (T,) whole figure moved forward (walking)


Draw = Callable[[np.random.Generator, Profile, str], Drawn]


def _u(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.uniform(lo, hi))


def _arms(rng: np.random.Generator, r: Profile, kf: np.ndarray | float = 0.0) -> dict:
    """Arm carriage people use: hanging, reaching forward, hands at the chest, bar on the back,
    hands on the hips, arms held out in front (a bodyweight squat's counterbalance), overhead."""
    style = int(rng.integers(7))
    if style == 5:
        return {"arm": _u(rng, 70, 100), "elbow": _u(rng, 0, 20), "arm_abduct": _u(rng, 0, 15)}
    if style == 6:
        return {"arm": _u(rng, 150, 180), "elbow": _u(rng, 0, 20), "arm_abduct": _u(rng, 10, 30)}
    if style == 0:
        return {"arm": _u(rng, -5, 10), "elbow": _u(rng, 0, 20)}
    if style == 1:
        return {"arm": 5 + _u(rng, 0.5, 0.9) * np.asarray(kf), "elbow": _u(rng, 0, 20)}
    if style == 2:
        return {"arm": _u(rng, 10, 40), "elbow": _u(rng, 100, 140)}
    if style == 3:
        return {"arm": _u(rng, -30, -10), "elbow": _u(rng, 130, 160), "arm_abduct": _u(rng, 40, 70)}
    return {"arm": _u(rng, -15, 0), "elbow": _u(rng, 60, 90), "arm_abduct": _u(rng, 25, 45)}


def _body(rng: np.random.Generator) -> Body:
    """Segment lengths of people from short to tall and from narrow to broad."""
    k = _u(rng, 0.88, 1.12)
    return replace(BODY, thigh=BODY.thigh * k * _u(rng, 0.94, 1.06), shank=BODY.shank * k,
                   trunk=BODY.trunk * k * _u(rng, 0.92, 1.08), hip_w=BODY.hip_w * _u(rng, 0.85, 1.2),
                   shoulder_w=BODY.shoulder_w * _u(rng, 0.85, 1.15),
                   upper_arm=BODY.upper_arm * k, forearm=BODY.forearm * k)


# ---- two-legged, standing -----------------------------------------------------------------------

def squat(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    kf = r(_u(rng, 55, 135))
    trunk = _u(rng, 0.2, 0.6) * kf
    out = -r(_u(rng, 0, 15))
    return Drawn(Motion(r.t, knee_flex=kf, shank_tilt=_u(rng, 0.25, 0.4) * kf, trunk=trunk,
                        fppa=out, other_fppa=out, stance_width=_u(rng, 0.25, 0.5),
                        toe_out=_u(rng, 0, 25), **_arms(rng, r, kf)), _body(rng))


def _flight(r: Profile, height_m: float, land_m: float = 0.0, stay_s: float = 0.0) -> np.ndarray:
    """(T,) height of the whole figure: a ballistic hop as each rep ends, landing land_m higher
    (a box) and stepping back down after stay_s."""
    g = 9.81
    up = np.sqrt(2 * g * height_m) / g
    down = np.sqrt(2 * g * max(height_m - land_m, 0.02)) / g
    lift = np.zeros_like(r.t)
    for _, _, end in r.tempo.windows():
        s = r.t - end
        rise = (s >= 0) & (s < up)
        lift[rise] = np.maximum(lift[rise], height_m - 0.5 * g * (up - s[rise]) ** 2)
        fall = (s >= up) & (s < up + down)
        lift[fall] = np.maximum(lift[fall], height_m - 0.5 * g * (s[fall] - up) ** 2)
        if land_m > 0:
            stay = (s >= up + down) & (s < up + down + stay_s)
            lift[stay] = land_m
            step = (s >= up + down + stay_s) & (s < up + down + stay_s + 0.6)
            lift[step] = land_m * (1 - (s[step] - up - down - stay_s) / 0.6)
    return lift


def jump_squat(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    d = squat(rng, r, side)
    return replace(d, lift_m=_flight(r, _u(rng, 0.2, 0.45)))


def box_jump(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    kf = r(_u(rng, 40, 90))
    m = Motion(r.t, knee_flex=kf, shank_tilt=0.35 * kf, trunk=_u(rng, 0.3, 0.6) * kf,
               stance_width=_u(rng, 0.25, 0.4), arm=-20 + 0.6 * kf, elbow=10.0)
    box = _u(rng, 0.3, 0.6)
    return Drawn(m, _body(rng), lift_m=_flight(r, box + _u(rng, 0.05, 0.2), box, _u(rng, 0.5, 1.5)))


def deadlift(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    kf = r(_u(rng, 35, 75))
    return Drawn(Motion(r.t, knee_flex=kf, shank_tilt=_u(rng, 0.2, 0.35) * kf,
                        trunk=r(_u(rng, 45, 80)), stance_width=_u(rng, 0.22, 0.4),
                        arm=_u(rng, -5, 5), arm_abduct=_u(rng, 5, 15), elbow=0.0), _body(rng))


def romanian_deadlift(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    kf = r.span(_u(rng, 0, 8), _u(rng, 10, 28))
    return Drawn(Motion(r.t, knee_flex=kf, shank_tilt=_u(rng, 0.2, 0.4) * kf,
                        trunk=r(_u(rng, 55, 95)), stance_width=_u(rng, 0.2, 0.35),
                        arm=_u(rng, -5, 5), arm_abduct=_u(rng, 5, 15), elbow=0.0), _body(rng))


def calf_raise(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    rise = r(_u(rng, 15, 40))
    return Drawn(Motion(r.t, heel_lift=rise, other_heel_lift=rise, knee_flex=r(_u(rng, 0, 10)),
                        stance_width=_u(rng, 0.15, 0.35), **_arms(rng, r)), _body(rng))


# ---- single-leg, standing -----------------------------------------------------------------------

def pistol_squat(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    kf = r(_u(rng, 60, 135))
    return Drawn(Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=_u(rng, 0.3, 0.45) * kf,
                        trunk=_u(rng, 0.3, 0.6) * kf, other_thigh=r.span(_u(rng, 10, 30), _u(rng, 45, 95)),
                        other_knee_flex=_u(rng, 0, 30), other_abduct=_u(rng, 0, 20),
                        arm=10 + _u(rng, 0.4, 0.8) * kf, stance_width=BODY.hip_w), _body(rng))


def single_leg_deadlift(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    trunk = r(_u(rng, 45, 95))
    kf = r.span(5.0, _u(rng, 8, 35))
    return Drawn(Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.3 * kf, trunk=trunk,
                        other_thigh=-trunk + r(_u(rng, -10, 30)), other_knee_flex=_u(rng, 0, 30),
                        arm=_u(rng, -5, 10), arm_abduct=_u(rng, 0, 15), elbow=0.0,
                        stance_width=BODY.hip_w), _body(rng))


def step_up(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    box = _u(rng, 0.15, 0.5)
    start_knee = _u(rng, 50, 100)
    drive = _u(rng, 10, 100)
    kf = start_knee * (1 - r.p)
    back = trailing_thigh_deg(box, start_knee)
    return Drawn(Motion(r.t, chain=side, other="free", box=box, knee_flex=kf, shank_tilt=0.4 * kf,
                        trunk=_u(rng, 0, 25) * (1 - r.p), other_thigh=r.span(back, drive),
                        other_knee_flex=_u(rng, 60, 100) * r.p, stance_width=BODY.hip_w,
                        **_arms(rng, r)))


def hip_hike(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return Drawn(Motion(r.t, chain=side, other="free", box=_u(rng, 0.0, 0.3),
                        pelvic_drop=r(_u(rng, 4, 15)), knee_flex=r(_u(rng, 0, 8)),
                        other_knee_flex=_u(rng, 0, 40), other_thigh=_u(rng, -5, 15),
                        stance_width=BODY.hip_w, **_arms(rng, r)), _body(rng))


def hamstring_curl(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return Drawn(Motion(r.t, chain=side, other="free", other_thigh=_u(rng, -10, 15),
                        other_knee_flex=r.span(_u(rng, 0, 10), _u(rng, 80, 130)),
                        trunk=_u(rng, 0, 20), stance_width=BODY.hip_w, **_arms(rng, r)), _body(rng))


# ---- split stance --------------------------------------------------------------------------------

def lunge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    """Split-stance lunge; half of them step back out of standing and return each rep."""
    step = _u(rng, 0.55, 1.0)
    reach = np.minimum(1.0, _u(rng, 1.5, 3.0) * r.p) if rng.random() < 0.5 else np.ones_like(r.t)
    # The planted foot's place may be a curve: the figure broadcasts it over time.
    back = cast(float, -step * reach)
    return Drawn(Motion(r.t, chain=side, other="planted", knee_flex=r.span(_u(rng, 0, 12), _u(rng, 70, 115)),
                        shank_tilt=_u(rng, -25, -10) + _u(rng, 20, 35) * r.p, trunk=r(_u(rng, 0, 25)),
                        other_foot=back, other_heel_lift=_u(rng, 30, 60) * reach,
                        stance_width=_u(rng, 0.15, 0.3), **_arms(rng, r)), _body(rng))


def walking_lunge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    d = lunge(rng, r, side)
    step = -float(np.min(d.motion.other_foot))
    travel = np.zeros_like(r.t)
    for _, _, end in r.tempo.windows():
        travel += step * np.clip((r.t - end) / max(r.tempo.pause_s, 0.3), 0, 1)
    return replace(d, travel_m=travel)


def plyometric_lunge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    d = lunge(rng, r, side)
    return replace(d, lift_m=_flight(r, _u(rng, 0.2, 0.4)))


def bulgarian_split_squat(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return Drawn(Motion(r.t, chain=side, other="free", knee_flex=r.span(_u(rng, 5, 20), _u(rng, 75, 115)),
                        shank_tilt=_u(rng, -10, 0) + _u(rng, 15, 30) * r.p, trunk=r.span(_u(rng, 0, 15),
                                                                                        _u(rng, 10, 45)),
                        other_thigh=r.span(_u(rng, -35, -15), _u(rng, -10, 10)),
                        other_knee_flex=r.span(_u(rng, 60, 90), _u(rng, 100, 130)),
                        stance_width=_u(rng, 0.15, 0.3), **_arms(rng, r)), _body(rng))


def lateral_lunge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    """Feet planted wide; one knee bends and the hips move over that foot while the other leg
    stays straight."""
    kf = r(_u(rng, 60, 110))
    return Drawn(Motion(r.t, chain=side, other="planted", knee_flex=kf, lateral=True,
                        trunk=_u(rng, 0.2, 0.5) * kf, stance_width=_u(rng, 0.7, 1.1),
                        toe_out=_u(rng, 5, 30), **_arms(rng, r, kf)), _body(rng))


def hot_salsa(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    down = r.p
    return Drawn(Motion(r.t, chain=side, other="planted", knee_flex=r(_u(rng, 25, 60)),
                        shank_tilt=-10 + 25 * down, trunk=r(_u(rng, 20, 50)),
                        other_foot=-_u(rng, 0.35, 0.7), other_heel_lift=_u(rng, 20, 50),
                        arm=r.span(_u(rng, 150, 180), _u(rng, 30, 70)), elbow=_u(rng, 0, 30),
                        stance_width=_u(rng, 0.15, 0.3)), _body(rng))


# ---- lying on the back ---------------------------------------------------------------------------

def _bridge(rng: np.random.Generator, r: Profile, side: str | None, bench: bool,
            low: tuple[float, float] = (120, 145)) -> Drawn:
    body = _body(rng)
    if bench:
        body = replace(body, lying_shoulder_h=_u(rng, 0.3, 0.45))
    top, bottom = _u(rng, 168, 188), _u(rng, *low)
    m = Motion(r.t, chain=side or "left", other="free" if side else "planted", lying=True,
               hip_ext=bottom + (top - bottom) * r.p, arm=_u(rng, 60, 100), arm_abduct=_u(rng, 5, 30),
               elbow=_u(rng, 0, 30), stance_width=_u(rng, 0.2, 0.4), foot_reach=_u(rng, 0.85, 1.05),
               other_thigh=_u(rng, -15, 15) if side else 0.0, other_knee_flex=_u(rng, 0, 20) if side else 0.0)
    return Drawn(m, body)


def glute_bridge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return _bridge(rng, r, None, bench=False)


def hip_thrust(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return _bridge(rng, r, None, bench=True)


def single_leg_bridge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return _bridge(rng, r, side, bench=False)


def single_leg_hip_thrust(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    return _bridge(rng, r, side, bench=True)


def walking_bridge(rng: np.random.Generator, r: Profile, side: str) -> Drawn:
    """Hips held up while one leg straightens out and goes back down (sides alternate)."""
    top = _u(rng, 170, 185)
    m = Motion(r.t, chain=side, other="free", lying=True, hip_ext=top - r(_u(rng, 0, 12)),
               other_thigh=0.0, other_knee_flex=r.span(_u(rng, 90, 110), _u(rng, 0, 15)),
               arm=_u(rng, 60, 100), arm_abduct=_u(rng, 5, 30), elbow=_u(rng, 0, 30),
               stance_width=_u(rng, 0.2, 0.4), foot_reach=_u(rng, 0.85, 1.05))
    return Drawn(m, _body(rng))


@dataclass(frozen=True)
class Movement:
    draw: Draw
    alternating: bool = False  # the working leg changes every rep
    hold_s: tuple[float, float] = (0.0, 0.0)
    lying: bool = False


MOVEMENTS: dict[str, Movement] = {
    "squat": Movement(squat),
    "jump_squat": Movement(jump_squat),
    "box_jump": Movement(box_jump),
    "deadlift": Movement(deadlift),
    "romanian_deadlift": Movement(romanian_deadlift),
    "calf_raise": Movement(calf_raise, hold_s=(0.0, 1.0)),
    "pistol_squat": Movement(pistol_squat),
    "single_leg_deadlift": Movement(single_leg_deadlift),
    "step_up": Movement(step_up),
    "hip_hike": Movement(hip_hike, hold_s=(0.3, 1.5)),
    "hamstring_curl": Movement(hamstring_curl),
    "lunge": Movement(lunge),
    "walking_lunge": Movement(walking_lunge, alternating=True),
    "plyometric_lunge": Movement(plyometric_lunge, alternating=True),
    "bulgarian_split_squat": Movement(bulgarian_split_squat),
    "lateral_lunge": Movement(lateral_lunge),
    "hot_salsa": Movement(hot_salsa, alternating=True),
    "glute_bridge": Movement(glute_bridge, hold_s=(0.0, 2.0), lying=True),
    "hip_thrust": Movement(hip_thrust, hold_s=(0.0, 2.0), lying=True),
    "single_leg_bridge": Movement(single_leg_bridge, hold_s=(0.0, 2.0), lying=True),
    "single_leg_hip_thrust": Movement(single_leg_hip_thrust, hold_s=(0.0, 1.5), lying=True),
    "walking_bridge": Movement(walking_bridge, alternating=True, hold_s=(1.0, 3.0), lying=True),
}
