"""Synthetic sets with flight or travelling steps: box jump, jump squat, plyometric lunge, hot
salsa (same figure and camera as formcheck.synth.sets)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.synth import BODY, Motion
from formcheck.synth.figure import landmarks
from formcheck.synth.sets import FPS, Clip, G, alternating, film, shifted


def _ease(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return 0.5 * (1 - np.cos(np.pi * x))


def _flight(tau: np.ndarray, duration: float, rise: float) -> np.ndarray:
    """Height (m) of a ballistic flight of `duration` s ending `rise` m above its take-off."""
    v0 = (rise + G * duration**2 / 2) / duration
    tau = np.clip(tau, 0.0, duration)
    return v0 * tau - G * tau**2 / 2


def box_jump(view: str = "side", reps: int = 3, *, box: float = 0.4, land_knee: float = 15.0,
             absorb: float | Sequence[float] = 85.0, valgus: float = 0.0,
             toes: float | Sequence[float] = 25.0, facing: str = "right") -> PoseSequence:
    """Box jumps: dip, jump onto a `box` m box landing with `land_knee` deg of knee bend and the
    heels `toes` deg up (toes first), sink to `absorb` deg (valgus: FPPA there), stand, step down.
    absorb and toes: one value, or one per rep.
    """
    period, lead = 4.0, 1.0
    t = np.arange(int((lead + reps * period + 0.6) * FPS)) / FPS
    tau = np.where(t >= lead, (t - lead) % period, -1.0)
    rep = np.clip(((t - lead) // period).astype(int), 0, reps - 1)
    sink = np.broadcast_to(np.asarray(absorb, dtype=float), (reps,))[rep]
    pitch = np.broadcast_to(np.asarray(toes, dtype=float), (reps,))[rep]
    fly = (tau >= 0.75) & (tau < 1.15)
    ft = tau - 0.75
    kf = np.select(
        [tau < 0, tau < 0.5, tau < 0.75, fly, tau < 1.55, tau < 2.05],
        [0.0, 60 * _ease(tau / 0.5), 60 * (1 - _ease((tau - 0.5) / 0.25)),
         land_knee * ft / 0.4 + 50 * np.sin(np.pi * ft / 0.4),
         land_knee + (sink - land_knee) * np.sin(np.pi / 2 * np.clip((tau - 1.15) / 0.4, 0, 1)),
         sink * (1 - _ease((tau - 1.55) / 0.5))], 0.0)
    up = np.select([tau < 0.75, fly, tau < 2.4], [0.0, _flight(ft, 0.4, box), box],
                   box * (1 - _ease((tau - 2.4) / 0.8)))
    fwd = np.select([tau < 0.75, fly, tau < 2.4], [0.0, 0.5 * ft / 0.4, 0.5],
                    0.5 * (1 - _ease((tau - 2.4) / 0.8)))
    heel = np.select([tau < 0.75, fly, tau < 1.27],
                     [0.0, pitch * ft / 0.4, pitch * (1 - (tau - 1.15) / 0.12)], 0.0)
    sinking = np.clip((kf - land_knee) / np.maximum(sink - land_knee, 1.0), 0.0, 1.0)
    m = Motion(t, knee_flex=kf, shank_tilt=0.35 * kf, trunk=0.45 * kf, heel_lift=heel,
               other_heel_lift=heel, fppa=np.where(tau >= 1.15, valgus * sinking, 0.0),
               other_fppa=np.where(tau >= 1.15, valgus * sinking, 0.0),
               arm=np.where(tau < 0.5, -40 * _ease(tau / 0.5), 30.0), stance_width=0.3)
    return film(shifted(landmarks(m), up, fwd), t, view, facing)


def jump_squat(view: str = "side", reps: int = 4, *, depth: float = 110.0, trunk: float = 0.45,
               valgus: float = 0.0, facing: str = "right") -> PoseSequence:
    """Squats to `depth` deg of knee bend with a 0.15 m jump between them; trunk: trunk
    inclination per degree of knee bend; valgus: both knees' FPPA at the bottom."""
    clip = Clip(reps, rep_s=1.6, pause_s=0.5)
    kf = depth * clip.p
    between = clip.after * (clip.rep < reps - 1)
    up = _flight(between * 0.5, 0.5, 0.0) * (between > 0)
    m = Motion(clip.t, knee_flex=kf, shank_tilt=0.35 * kf, trunk=trunk * kf,
               fppa=valgus * clip.p, other_fppa=valgus * clip.p, arm=5 + 0.75 * kf,
               stance_width=0.34)
    return film(shifted(landmarks(m), up), clip.t, view, facing)


def plyometric_lunge(view: str = "side", reps: int = 4, *, side: str = "left",
                     depth: float = 90.0, valgus: float = 0.0,
                     facing: str = "right") -> PoseSequence:
    """Jumping lunges: 0.45 s jumps (before the first lunge, between lunges and after the last)
    switching legs in the air, each landing straight into a lunge on the other leg (front knee
    to `depth` deg, FPPA `valgus` at the bottom)."""
    flight = 0.45
    clip = Clip(reps, rep_s=1.2, pause_s=flight, lead_s=0.8 + flight, tail_s=0.6 + flight)
    p = clip.p
    pts = alternating(clip, side, True, other="free", knee_flex=depth * p, shank_tilt=5.0 * p,
                      fppa=valgus * p, other_thigh=-8.0 * p, other_knee_flex=95.0 * p,
                      trunk=5.0 * p, stance_width=BODY.hip_w, arm=20.0)
    up = np.zeros_like(clip.t)
    for take_off in (*(clip.start - flight), clip.end[-1]):
        up += _flight(clip.t - take_off, flight, 0.0) * (clip.t > take_off)
    return film(shifted(pts, up), clip.t, view, facing)


def hot_salsa(view: str = "side", reps: int = 4, *, side: str = "left", chord: float = 0.0,
              valgus: float = 0.0, slide: float = 0.0, drive: float = 90.0,
              facing: str = "right") -> PoseSequence:
    """Hot salsa, legs taking turns from `side`: the stepping leg lifts and steps, the weight comes
    down from overhead to its knee as the trunk hinges (the other leg reaching back to the floor),
    then the lifter rises on it with the other knee driven to `drive` deg and the weight back
    overhead, and stands again in the pause.

    chord: spine rounding at the bottom; valgus: stepping knee FPPA there; slide: metres the
    standing foot shuffles forward while rising.
    """
    clip = Clip(reps, rep_s=2.8, pause_s=1.0)
    p, rising = clip.p, clip.rising
    # The driven knee comes down in the first half of the pause, so the legs can swap roles.
    knee_up = np.where(rising, drive * (1 - p), 0.0) * (1 - np.clip(2 * clip.after, 0.0, 1.0))
    pts = alternating(clip, side, True, other="free", knee_flex=60.0 * p, shank_tilt=25.0 * p,
                      trunk=45.0 * p, chord_loss=chord * p, fppa=valgus * p,
                      other_thigh=-30.0 * p + knee_up, other_knee_flex=knee_up,
                      arm=170.0 - 135.0 * p, arm_abduct=8.0, elbow=0.0, stance_width=BODY.hip_w)
    descent = np.clip((clip.t - clip.start[clip.rep]) /
                      (clip.bottom[clip.rep] - clip.start[clip.rep]), 0.0, 1.0)
    lift = 0.12 * np.sin(np.pi * np.clip(descent / 0.6, 0.0, 1.0)) * ~rising
    other = "right" if side == "left" else "left"
    stepping = clip.per_rep([side if i % 2 == 0 else other for i in range(reps)])
    for name in ("knee", "ankle", "heel", "foot_index"):
        for s in ("left", "right"):
            pts[:, joint(name, s), 1] += np.where(stepping == s, lift, 0.0)
    # Each rise moves the whole figure `slide` m forward: a shuffle of the standing foot.
    moved = np.where(rising & (clip.after == 0), 1 - p, 0.0) + (clip.after > 0)
    fwd = slide * (clip.rep + moved)
    return film(shifted(pts, fwd=fwd), clip.t, view, facing)
