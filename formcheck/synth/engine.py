"""The synthesis engine: rep timing, camera, injected faults and degradation around one figure.

synthesize(draw, view, reps, **options) calls draw(profile) -> Motion, adds the requested faults,
films the figure with an orthographic camera and returns a PoseSequence as MediaPipe would give it
for a perfect detection (visibility 0.99, world_xyz in metres), then adds pixel jitter and lost
frames if asked. Options are the fields of Tempo, Shot and Faults.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence
from formcheck.synth.body import Motion
from formcheck.synth.figure import landmarks

Amount = float | Sequence[float] | np.ndarray  # one value, or one per rep
VISIBILITY = 0.99


@dataclass(frozen=True)
class Tempo:
    """When reps happen, seconds. A rep is a descent, an optional hold at the bottom, a return."""

    reps: int = 4
    rep_s: float = 2.4  # one rep, hold included
    pause_s: float = 0.6  # still at the top between reps
    lead_s: float = 0.8  # still at the top before the first rep (the standing baseline)
    tail_s: float = 0.6
    hold_s: float = 0.0
    eccentric_frac: float = 0.5  # share of the moving time spent going down
    shape: str = "cosine"  # "cosine" (smooth ends) or "linear"

    @property
    def duration_s(self) -> float:
        return self.lead_s + self.reps * self.rep_s + (self.reps - 1) * self.pause_s + self.tail_s

    def windows(self) -> list[tuple[float, float, float]]:
        """(start, bottom, end) of each rep, seconds; the bottom is the middle of the hold."""
        down = self.eccentric_frac * (self.rep_s - self.hold_s)
        out = []
        for i in range(self.reps):
            start = self.lead_s + i * (self.rep_s + self.pause_s)
            out.append((start, start + down + self.hold_s / 2, start + self.rep_s))
        return out

    def bumps(self, t: np.ndarray) -> np.ndarray:
        """(reps, T) profiles in 0..1: 0 at the top, 1 at the bottom of each rep."""
        moving = self.rep_s - self.hold_s
        down, up = self.eccentric_frac * moving, (1 - self.eccentric_frac) * moving
        if self.hold_s < 0 or down <= 0 or up <= 0:
            raise ValueError(f"Tempo: no time to move in a {self.rep_s} s rep ({self})")
        out = np.zeros((self.reps, len(t)))
        for i, (start, _, end) in enumerate(self.windows()):
            u = np.clip((t - start) / down, 0, 1)
            w = np.clip((end - t) / up, 0, 1)
            out[i] = _ease(np.minimum(u, w), self.shape)
        return out


def _ease(x: np.ndarray, shape: str) -> np.ndarray:
    if shape == "cosine":
        return 0.5 * (1 - np.cos(np.pi * x))
    if shape == "linear":
        return x
    raise ValueError(f"unknown rep shape {shape!r}: use 'cosine' or 'linear'")


@dataclass(frozen=True)
class Shot:
    """How the clip is filmed and degraded."""

    facing: str = "right"  # side and oblique views: the way the person faces in the image
    fps: float = 30.0
    size: tuple[int, int] = (1280, 720)  # width, height in pixels
    noise_px: float = 0.0  # Gaussian jitter of every landmark, pixels (standard deviation)
    drop_frac: float = 0.0  # share of frames lost at random (NaN rows, visibility 0)
    drop_frames: tuple[int, ...] = ()  # frames lost on purpose
    seed: int = 0


@dataclass(frozen=True)
class Faults:
    """Injected faults, each at its full value at the bottom of a rep (one value or one per rep).

    valgus_deg: working (chain) knee FPPA, + valgus; other_valgus_deg: the other planted knee
    (None: same as valgus_deg for two-legged exercises, else 0). pelvic_drop_deg: the free side
    lower. lean_deg: lateral trunk lean toward the working leg. forward_lean_deg: extra forward
    trunk inclination. heel_lift_deg: working heel pitch. chord_loss: fraction the shoulder-hip
    chord shortens (spine rounding). neck_flex_deg: ear-shoulder-hip falls below 180 by this.
    sag_deg: bridges, the top stops this far below the straight line (negative: above it).
    """

    valgus_deg: Amount = 0.0
    other_valgus_deg: Amount | None = None
    pelvic_drop_deg: Amount = 0.0
    lean_deg: Amount = 0.0
    forward_lean_deg: Amount = 0.0
    heel_lift_deg: Amount = 0.0
    chord_loss: Amount = 0.0
    neck_flex_deg: Amount = 0.0
    sag_deg: Amount = 0.0


class Profile:
    """The rep profile of a clip: `t` (T,) seconds, `p` (T,) 0..1 (1 at each rep's bottom).

    profile(amount) -> (T,) curve, 0 between reps and amount (or amount[i] in rep i) at each
    rep's bottom.
    """

    def __init__(self, tempo: Tempo, fps: float) -> None:
        self.tempo = tempo
        self.t = np.arange(int(round(tempo.duration_s * fps)) + 1) / fps
        self._bumps = tempo.bumps(self.t)
        self.p = self._bumps.sum(axis=0)

    def __call__(self, amount: Amount) -> np.ndarray:
        per_rep = np.broadcast_to(np.asarray(amount, dtype=float), (self.tempo.reps,))
        return per_rep @ self._bumps

    def span(self, top: float, bottom: Amount) -> np.ndarray:
        """(T,) curve at `top` between reps and `bottom` (or bottom[i]) at each rep's bottom."""
        return top + self(np.asarray(bottom, dtype=float) - top)


def rep_curve(n_reps: int, rep_s: float, pause_s: float, fps: float, depth: Amount = 1.0,
              shape: str = "cosine", **tempo: float) -> tuple[np.ndarray, np.ndarray]:
    """Times (T,) s and a 0..depth rep profile (T,): still, then n_reps dips to `depth`.

    depth: one value or one per rep. Further Tempo fields (lead_s, tail_s, hold_s,
    eccentric_frac) go in `tempo`.
    """
    prof = Profile(Tempo(reps=n_reps, rep_s=rep_s, pause_s=pause_s, shape=shape, **tempo), fps)
    return prof.t, prof(depth)


# ---- the engine --------------------------------------------------------------------------------

def _split(options: dict[str, object]) -> tuple[dict, dict, dict]:
    groups: tuple[dict, dict, dict] = ({}, {}, {})
    names = [{f.name for f in fields(cls)} for cls in (Tempo, Shot, Faults)]
    for key, value in options.items():
        for group, known in zip(groups, names, strict=True):
            if key in known:
                group[key] = value
                break
        else:
            valid = sorted(set().union(*names))
            raise TypeError(f"unknown option {key!r}; options are {', '.join(valid)}")
    return groups


def _with_faults(m: Motion, f: Faults, prof: Profile, symmetric: bool) -> Motion:
    other = f.other_valgus_deg if f.other_valgus_deg is not None else (
        f.valgus_deg if symmetric else 0.0)
    return replace(
        m,
        fppa=m.c("fppa") + prof(f.valgus_deg),
        other_fppa=m.c("other_fppa") + prof(other),
        pelvic_drop=m.c("pelvic_drop") + prof(f.pelvic_drop_deg),
        lean=m.c("lean") + prof(f.lean_deg),
        trunk=m.c("trunk") + prof(f.forward_lean_deg),
        heel_lift=m.c("heel_lift") + prof(f.heel_lift_deg),
        chord_loss=m.c("chord_loss") + prof(f.chord_loss),
        neck_flex=m.c("neck_flex") + prof(f.neck_flex_deg),
        hip_ext=m.c("hip_ext") - prof(f.sag_deg),
    )


def synthesize(draw: Callable[[Profile], Motion], view: str = "front", reps: int = 4,
               symmetric: bool = False, **options: Any) -> PoseSequence:
    """The generic engine: draw(profile) -> Motion, faults added, filmed from `view`.

    view: "front", "back", "side", "front45" or "back45" (with facing="left"/"right").
    symmetric: two-legged exercise (valgus_deg applies to both knees by default).
    options: Tempo, Shot and Faults fields (see the module docstring).
    """
    tempo_kw, shot_kw, fault_kw = _split(options)
    shot = Shot(**shot_kw)
    prof = Profile(Tempo(reps=reps, **tempo_kw), shot.fps)
    motion = _with_faults(draw(prof), Faults(**fault_kw), prof, symmetric)
    width, height = shot.size
    xy, world = project(landmarks(motion), view, shot.facing, width, height)
    return _degrade(PoseSequence(xy, world, np.full(xy.shape[:2], VISIBILITY), prof.t,
                                 width, height, shot.fps), shot)


def _degrade(seq: PoseSequence, shot: Shot) -> PoseSequence:
    """Pixel jitter and lost frames, reproducible from shot.seed."""
    rng = np.random.default_rng(shot.seed)
    xy = np.array(seq.image_xy)
    if shot.noise_px > 0:
        xy += rng.normal(0.0, shot.noise_px, xy.shape) / np.array([seq.width, seq.height])
    lost = np.zeros(len(seq), dtype=bool)
    lost[list(shot.drop_frames)] = True
    if shot.drop_frac > 0:
        lost |= rng.random(len(seq)) < shot.drop_frac
    xy[lost] = np.nan
    world = np.array(seq.world_xyz)
    world[lost] = np.nan
    vis = np.array(seq.visibility)
    vis[lost] = 0.0
    return seq.replace_arrays(image_xy=xy, world_xyz=world, visibility=vis)


VIEW_YAW = {"front": 0.0, "front45": 45.0, "side": 90.0, "back45": 135.0, "back": 180.0}


def camera(points: np.ndarray, view: str, facing: str = "right") -> np.ndarray:
    """Turn body-frame points (..., 3) into camera metres (..., 3): x right, up, toward camera.

    Side and oblique views show the person facing image `facing` ("right" or "left"); lying
    figures "face" the way their feet point.
    """
    if view not in VIEW_YAW or facing not in ("left", "right"):
        raise ValueError(f"unknown view {view!r} / facing {facing!r}: views are {list(VIEW_YAW)}")
    yaw = np.radians(VIEW_YAW[view] * (1.0 if facing == "right" else -1.0))
    lat, up, fwd = points[..., 0], points[..., 1], points[..., 2]
    x = lat * np.cos(yaw) + fwd * np.sin(yaw)
    toward = fwd * np.cos(yaw) - lat * np.sin(yaw)
    return np.stack([x, up, toward], axis=-1)


def frame_fit(cam: np.ndarray, width: int, height: int, fill: float = 0.84,
              margin_m: float = 0.16) -> tuple[float, float, float]:
    """Scale (px per metre) and offsets (x0, y0 px) that fit every frame of `cam` in the image.

    cam: (T, 33, 3) camera metres. One fit for the whole clip, so the camera never moves.
    """
    x, up = cam[..., 0], cam[..., 1]
    lo_x, hi_x = np.nanmin(x) - margin_m, np.nanmax(x) + margin_m
    lo_y, hi_y = np.nanmin(up) - margin_m / 4, np.nanmax(up) + margin_m
    scale = min(fill * height / (hi_y - lo_y), fill * width / (hi_x - lo_x))
    x0 = width / 2 - scale * (lo_x + hi_x) / 2
    y0 = height / 2 + scale * (lo_y + hi_y) / 2
    return scale, x0, y0


def project(points: np.ndarray, view: str, facing: str, width: int,
            height: int) -> tuple[np.ndarray, np.ndarray]:
    """Body-frame points (T, 33, 3) -> (image_xy normalised (T, 33, 2), world_xyz (T, 33, 3)).

    world_xyz follows MediaPipe: metres, x right, y down, z away from the camera, origin at the
    hip midpoint of each frame.
    """
    cam = camera(points, view, facing)
    scale, x0, y0 = frame_fit(cam, width, height)
    xy = np.stack([(x0 + scale * cam[..., 0]) / width, (y0 - scale * cam[..., 1]) / height], -1)
    world = np.stack([cam[..., 0], -cam[..., 1], -cam[..., 2]], axis=-1)
    hips = (world[:, Landmark.LEFT_HIP] + world[:, Landmark.RIGHT_HIP]) / 2
    return xy, world - hips[:, None, :]
