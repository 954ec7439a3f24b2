"""Synthetic training and test sequences: every movement filmed from varied cameras, degraded.

example(name, rng) draws one clip of one exercise (formcheck.recognition.movements) with random
tempo, rep count, working leg, camera yaw (any angle from front to back, facing either way), camera
tilt, image size and framing, landmark jitter and lost frames, and returns the smoothed
PoseSequence the pipeline would hand to recognition.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence
from formcheck.recognition.movements import MOVEMENTS, Drawn
from formcheck.smoothing import smooth_sequence
from formcheck.synth.engine import Profile, Shot, Tempo, _degrade, frame_fit
from formcheck.synth.figure import landmarks

SIZES = ((1280, 720), (720, 1280), (1920, 1080), (1080, 1920), (640, 480), (480, 640))


def _points(d: Drawn) -> np.ndarray:
    pts = landmarks(d.motion, d.body)
    if d.lift_m is not None:
        pts[..., 1] += d.lift_m[:, None]
    if d.travel_m is not None:
        pts[..., 2] += d.travel_m[:, None]
    return pts


def film(points: np.ndarray, t: np.ndarray, yaw_deg: float, tilt_deg: float, size: tuple[int, int],
         fill: float, fps: float) -> PoseSequence:
    """Body-frame points (T, 33, 3) seen by a camera turned yaw_deg about the vertical (0: facing
    the person, 90: their left side toward the camera) and pitched down tilt_deg."""
    yaw, tilt = np.radians(yaw_deg), np.radians(tilt_deg)
    lat, up, fwd = points[..., 0], points[..., 1], points[..., 2]
    x = lat * np.cos(yaw) + fwd * np.sin(yaw)
    toward = fwd * np.cos(yaw) - lat * np.sin(yaw)
    up_c = up * np.cos(tilt) + toward * np.sin(tilt)
    toward_c = toward * np.cos(tilt) - up * np.sin(tilt)
    cam = np.stack([x, up_c, toward_c], axis=-1)
    width, height = size
    scale, x0, y0 = frame_fit(cam, width, height, fill=fill)
    xy = np.stack([(x0 + scale * cam[..., 0]) / width, (y0 - scale * cam[..., 1]) / height], -1)
    world = np.stack([cam[..., 0], -cam[..., 1], -cam[..., 2]], axis=-1)
    hips = (world[:, Landmark.LEFT_HIP] + world[:, Landmark.RIGHT_HIP]) / 2
    return PoseSequence(xy, world - hips[:, None, :], np.full(xy.shape[:2], 0.99), t, width, height, fps)


def _tempo(rng: np.random.Generator, reps: int, hold: tuple[float, float]) -> Tempo:
    hold_s = float(rng.uniform(*hold))
    return Tempo(reps=reps, rep_s=hold_s + float(rng.uniform(1.0, 3.5)), pause_s=float(rng.uniform(0.0, 1.2)),
                 lead_s=float(rng.uniform(0.0, 1.5)), tail_s=float(rng.uniform(0.0, 1.5)), hold_s=hold_s,
                 eccentric_frac=float(rng.uniform(0.35, 0.65)))


def _relaxed(d: Drawn, rng: np.random.Generator) -> Drawn:
    """Nobody stands with dead-straight knees and a vertical trunk, and the pose model reads a
    standing knee as bent 5-15 degrees: a standing figure gets a little knee bend and trunk lean."""
    if d.motion.lying:
        return d
    m = d.motion
    bend, lean = float(rng.uniform(0, 15)), float(rng.uniform(0, 8))
    m = replace(m, knee_flex=m.c("knee_flex") + bend, trunk=m.c("trunk") + lean,
                other_knee_flex=m.c("other_knee_flex") + (bend if m.other == "free" else 0.0))
    return replace(d, motion=m)


def raw_example(name: str, rng: np.random.Generator, reps: int | None = None,
                side: str | None = None, fps: float | None = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Body-frame points (T, 33, 3), times (T,) and fps of one drawn clip of exercise `name`."""
    mv = MOVEMENTS[name]
    drawn_fps = float(rng.choice([24.0, 25.0, 30.0]))
    fps = drawn_fps if fps is None else fps
    n = int(reps if reps is not None else rng.integers(1, 7))
    first = side or str(rng.choice(["left", "right"]))
    if not mv.alternating:
        prof = Profile(_tempo(rng, n, mv.hold_s), fps)
        return _points(_relaxed(mv.draw(rng, prof, first), rng)), prof.t, fps
    # Each rep is drawn in the body's own frame; it starts where the last one ended, so the
    # figure moves only as far as its reps carry it (a walking lunge's steps, nothing else).
    parts, last_end = [], 0.0
    hips = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]
    for i in range(n):
        s = first if i % 2 == 0 else ("right" if first == "left" else "left")
        tempo = _tempo(rng, 1, mv.hold_s)
        prof = Profile(tempo, fps)
        pts = _points(_relaxed(mv.draw(rng, prof, s), rng))
        if i:
            pts[..., 2] += last_end - float(np.nanmedian(pts[:1, hips, 2]))
        last_end = float(np.nanmedian(pts[-1:, hips, 2]))
        parts.append(pts if i == 0 else pts[1:])
    pts = np.concatenate(parts)
    return pts, np.arange(len(pts)) / fps, fps


def _wander(rng: np.random.Generator, t: np.ndarray, shape: tuple[int, ...], lo_hz: float,
            hi_hz: float) -> np.ndarray:
    """(T, *shape) smooth random curves in about -1..1: three sinusoids of random frequency."""
    out = np.zeros((len(t), *shape))
    for _ in range(3):
        f = rng.uniform(lo_hz, hi_hz, shape)
        phase = rng.uniform(0, 2 * np.pi, shape)
        out += np.sin(2 * np.pi * f * t.reshape(-1, *([1] * len(shape))) + phase) / 3
    return out


_LEGS = [[Landmark[f"{s}_{n}"] for n in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")] for s in ("LEFT", "RIGHT")]


def _glitch(xy: np.ndarray, t: np.ndarray, tall: float, rng: np.random.Generator) -> None:
    """The pose model's brief slips, in place: for a fraction of a second a lower leg (or both)
    is drawn a little way off, mostly up or down, then snaps back."""
    duration = float(t[-1] - t[0]) if len(t) > 1 else 0.0
    for _ in range(int(rng.poisson(rng.uniform(0, 0.3) * duration))):
        start, length = rng.uniform(t[0], t[-1]), rng.uniform(0.1, 0.6)
        ramp = np.clip(np.minimum(t - start, start + length - t) / 0.05, 0, 1)
        legs = _LEGS[int(rng.integers(2))] if rng.random() < 0.5 else _LEGS[0] + _LEGS[1]
        shift = np.array([rng.normal(0, 0.3), rng.choice([-1.0, 1.0])]) * rng.uniform(0.05, 0.35) * tall
        xy[:, legs] += ramp[:, None, None] * shift


def shake(seq: PoseSequence, rng: np.random.Generator) -> PoseSequence:
    """What real footage adds to a perfect figure: the camera drifting and zooming slowly, and the
    pose model's errors, which wander smoothly over a few frames rather than jump frame to frame
    (more in depth, which one camera barely sees)."""
    t = seq.t
    xy = np.array(seq.image_xy)
    ys = xy[..., 1][np.isfinite(xy[..., 1])]
    tall = float(ys.max() - ys.min()) if ys.size else 0.5
    pan = _wander(rng, t, (2,), 0.02, 0.3) * rng.uniform(0, [0.08, 0.04])
    zoom = 1 + _wander(rng, t, (), 0.02, 0.3) * rng.uniform(0, 0.1)
    xy = (xy - 0.5) * zoom[:, None, None] + 0.5 + pan[:, None, :]
    xy += _wander(rng, t, xy.shape[1:], 0.3, 2.0) * tall * rng.uniform(0, 0.03)
    xy += rng.normal(0, 1, xy.shape[1:]) * tall * rng.uniform(0, 0.02)  # a steady bias per point
    _glitch(xy, t, tall, rng)
    world = np.array(seq.world_xyz)
    # The pose model sees depth from one camera and reads it short: a body's extent toward the
    # camera comes out a half to nearly all of its true length.
    world[..., 2] *= rng.uniform(0.5, 1.0)
    depth = np.array([1.0, 1.0, 3.0])
    world += _wander(rng, t, world.shape[1:], 0.3, 2.0) * rng.uniform(0, 0.05) * depth
    world += rng.normal(0, 1, world.shape[1:]) * rng.uniform(0, 0.03) * depth
    return seq.replace_arrays(image_xy=xy, world_xyz=world)


def clip(name: str, side: str, reps: int, yaw_deg: float, seed: int, size: tuple[int, int] = (1280, 720),
         noise_px: float = 1.0) -> PoseSequence:
    """One raw (unsmoothed) synthetic clip of exercise `name` on `side`, filmed from yaw_deg
    (0 front, 90 the person's left side), with light jitter: a known answer for tests."""
    rng = np.random.default_rng(seed)
    pts, t, fps = raw_example(name, rng, reps=reps, side=side, fps=30.0)
    seq = film(pts, t, yaw_deg, 5.0, size, 0.75, fps)
    return _degrade(seq, Shot(fps=fps, size=size, noise_px=noise_px, seed=seed))


def example(name: str, rng: np.random.Generator, reps: int | None = None) -> PoseSequence:
    """One smoothed synthetic clip of exercise `name`, filmed and degraded at random."""
    pts, t, fps = raw_example(name, rng, reps)
    # Lying exercises are filmed from the side or obliquely: from the feet the body is a blur.
    low, high = (45.0, 135.0) if MOVEMENTS[name].lying else (0.0, 180.0)
    yaw = float(rng.uniform(low, high)) * float(rng.choice([-1.0, 1.0]))
    size = SIZES[int(rng.integers(len(SIZES)))]
    seq = film(pts, t, yaw, float(rng.uniform(-10, 35)), size, float(rng.uniform(0.45, 0.9)), fps)
    shot = Shot(fps=fps, size=size, noise_px=float(rng.uniform(0, 0.006)) * max(size),
                drop_frac=float(rng.uniform(0, 0.1)), seed=int(rng.integers(2**31)))
    return smooth_sequence(_degrade(shake(seq, rng), shot))
