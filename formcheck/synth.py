"""Synthetic PoseSequences with known answers, for rule examples and end-to-end fixtures.

Every builder draws joint-angle curves for one kinematic figure (formcheck.kinematics) from a rep
profile, films it with an orthographic camera and returns the PoseSequence MediaPipe would give
for a perfect detection (visibility 0.99, world_xyz in metres). Angles measured by
formcheck.geometry come back as drawn in the view they belong to: sagittal ones from "side",
frontal ones from "front" / "back".

    seq = synth.squat(view="front", reps=5, depth_deg=100, valgus_deg=15)
    seq = synth.pistol(side="left", view="front", valgus_deg=25, rep_s=3.0, noise_px=1.5)
    seq = synth.bridge(side="right", sag_deg=15)          # single-leg bridge, hips sagging

Builders share three groups of keyword options: Tempo (rep_s, pause_s, lead_s, tail_s, hold_s,
eccentric_frac, shape), Shot (facing, fps, size, noise_px, drop_frac, drop_frames, seed) and
Faults (valgus_deg, other_valgus_deg, pelvic_drop_deg, lean_deg, forward_lean_deg,
heel_lift_deg, chord_loss, neck_flex_deg, sag_deg). A fault grows with the rep profile and
reaches its full value at the bottom of each rep; any fault, and `depth_deg`, may be one number
or one number per rep. `synthesize(draw, ...)` is the generic engine the builders use.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace

import numpy as np

from formcheck.kinematics import BODY, Motion, landmarks
from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence

Amount = float | Sequence[float]  # one value, or one per rep
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
    """The rep profile of a clip: `t` (T,) seconds, `p` (T,) 0..1, and per-rep amounts as curves.

    profile(amount) -> (T,) curve equal to amount (or amount[i] in rep i) at each rep's bottom.
    """

    def __init__(self, tempo: Tempo, fps: float) -> None:
        self.tempo = tempo
        self.t = np.arange(int(round(tempo.duration_s * fps)) + 1) / fps
        self._bumps = tempo.bumps(self.t)
        self.p = self._bumps.sum(axis=0)

    def __call__(self, amount: Amount) -> np.ndarray:
        per_rep = np.broadcast_to(np.asarray(amount, dtype=float), (self.tempo.reps,))
        return per_rep @ self._bumps


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
               symmetric: bool = False, **options: object) -> PoseSequence:
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


# ---- exercises ---------------------------------------------------------------------------------

def squat(view: str = "front", reps: int = 4, depth_deg: Amount = 100.0, *,
          trunk_deg: Amount | None = None, **options: object) -> PoseSequence:
    """Bodyweight squat, feet shoulder-width, arms rising forward.

    depth_deg: knee flexion of both knees at the bottom. The shanks tilt forward by 0.35 of it,
    so thigh-to-horizontal at the bottom is 90 - 0.65 * depth_deg (parallel at about 138).
    trunk_deg: trunk inclination at the bottom (default 0.45 * depth_deg).
    """
    def draw(r: Profile) -> Motion:
        kf = r(depth_deg)
        trunk = 0.45 * kf if trunk_deg is None else r(trunk_deg)
        return Motion(r.t, knee_flex=kf, shank_tilt=0.35 * kf, trunk=trunk, stance_width=0.36,
                      arm=5 + 0.75 * kf, elbow=10.0)
    return synthesize(draw, view, reps, symmetric=True, **options)


def pistol(side: str = "left", view: str = "front", reps: int = 3, depth_deg: Amount = 100.0, *,
           trunk_deg: Amount | None = None, free_leg_deg: Amount = 75.0,
           **options: object) -> PoseSequence:
    """Pistol (single-leg) squat on `side`, the free leg held forward and slightly out.

    depth_deg: stance knee flexion at the bottom; the shank tilts forward by 0.4 of it
    (thigh-to-horizontal 90 - 0.6 * depth_deg). trunk_deg: default 0.5 * depth_deg.
    free_leg_deg: free thigh from vertical at the bottom (25 at the top).
    """
    def draw(r: Profile) -> Motion:
        kf = r(depth_deg)
        trunk = 0.5 * kf if trunk_deg is None else r(trunk_deg)
        return Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.4 * kf,
                      trunk=trunk, other_thigh=25 + r(np.asarray(free_leg_deg) - 25),
                      other_knee_flex=10.0, other_abduct=12.0, arm=10 + 0.7 * kf,
                      stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


def lunge(side: str = "left", view: str = "side", reps: int = 4, depth_deg: Amount = 90.0, *,
          step_m: float = 0.75, trunk_deg: Amount = 5.0, **options: object) -> PoseSequence:
    """Split-stance lunge with `side` in front; the rear knee drops toward the floor.

    depth_deg: front knee flexion at the bottom (5 at the top); the front shank goes from 20
    degrees back at the top to 5 forward at the bottom. The rear foot stands on its ball step_m
    behind.
    """
    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side, other="planted", knee_flex=5 + r(np.asarray(depth_deg) - 5),
                      shank_tilt=-20 + 25 * r.p, trunk=r(trunk_deg), other_foot=-step_m,
                      other_heel_lift=45.0, stance_width=BODY.hip_w, arm=5.0)
    return synthesize(draw, view, reps, **options)


def single_leg_deadlift(side: str = "left", view: str = "side", reps: int = 3,
                        hinge_deg: Amount = 75.0, *, knee_deg: Amount = 20.0,
                        leg_gap_deg: Amount = 0.0, **options: object) -> PoseSequence:
    """Single-leg Romanian deadlift on `side`: hinge forward, free leg behind in line, arms hanging.

    hinge_deg: trunk inclination at the bottom. knee_deg: stance knee flexion at the bottom
    (5 at the top). leg_gap_deg: the free leg hangs this far below the trunk line at the bottom.
    """
    def draw(r: Profile) -> Motion:
        trunk = r(hinge_deg)
        kf = 5 + r(np.asarray(knee_deg) - 5)
        return Motion(r.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.3 * kf,
                      trunk=trunk, other_thigh=-trunk + r(leg_gap_deg), other_knee_flex=5.0,
                      arm=0.0, arm_abduct=5.0, stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


def bridge(view: str = "side", reps: int = 4, *, side: str | None = None, top_deg: float = 180.0,
           bottom_deg: float = 135.0, **options: object) -> PoseSequence:
    """Glute bridge lying on the back (side=None), or single-leg bridge on `side`'s foot.

    The shoulder-hip-knee angle of the stance side goes from bottom_deg (hips near the floor;
    128 is on it) to top_deg (180 = straight line); the free leg of a single-leg bridge is held
    straight in line with the stance thigh. Holds 1 s at the top unless hold_s is given.
    """
    options.setdefault("hold_s", 1.0)

    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side or "left", other="free" if side else "planted",
                      lying=True, hip_ext=bottom_deg + (top_deg - bottom_deg) * r.p,
                      arm=90.0, arm_abduct=12.0, elbow=0.0, stance_width=0.30)
    return synthesize(draw, view, reps, symmetric=side is None, **options)


def step_up(side: str = "left", view: str = "side", reps: int = 4, *, box_m: float = 0.3,
            start_knee_deg: float = 80.0, drive_deg: Amount = 90.0, trunk_deg: float = 12.0,
            **options: object) -> PoseSequence:
    """Step-up onto a box with `side`, driving the other knee up ("running position").

    At the top of the profile the stance leg is straight and the drive thigh is drive_deg from
    vertical (90 = horizontal) with the knee at 90; at rest the stance knee is bent
    start_knee_deg on the box and the trailing foot reaches back to the floor. Faults peak at
    the top.
    """
    def draw(r: Profile) -> Motion:
        kf = start_knee_deg * (1 - r.p)
        tilt0 = np.radians(0.4 * start_knee_deg)
        hip_up = (box_m + BODY.ankle_h + BODY.shank * np.cos(tilt0)
                  + BODY.thigh * np.cos(tilt0 - np.radians(start_knee_deg)))
        reach = (hip_up - BODY.ankle_h) / (BODY.thigh + BODY.shank)
        back = -np.degrees(np.arccos(np.clip(reach, -1.0, 1.0)))
        return Motion(r.t, chain=side, other="free", box=box_m, knee_flex=kf, shank_tilt=0.4 * kf,
                      trunk=trunk_deg * (1 - r.p), other_thigh=back + r(np.asarray(drive_deg) - back),
                      other_knee_flex=90 * r.p, stance_width=BODY.hip_w, arm=10.0)
    return synthesize(draw, view, reps, **options)


def calf_raise(view: str = "side", reps: int = 4, *, rise_deg: Amount = 30.0,
               knee_deg: Amount = 0.0, **options: object) -> PoseSequence:
    """Two-legged calf raise: both heels pitch up by rise_deg about the toes (knees bend knee_deg)."""
    def draw(r: Profile) -> Motion:
        rise = r(rise_deg)
        return Motion(r.t, heel_lift=rise, other_heel_lift=rise, knee_flex=r(knee_deg),
                      stance_width=0.22, arm=5.0)
    return synthesize(draw, view, reps, symmetric=True, **options)


def hip_hike(side: str = "left", view: str = "back", reps: int = 4, *, drop_deg: Amount = 8.0,
             box_m: float = 0.2, knee_deg: Amount = 0.0, **options: object) -> PoseSequence:
    """Hip hike standing on `side` on a step: the free side of the pelvis drops drop_deg and
    comes back level (pelvic obliquity, + free side lower); the stance knee bends knee_deg.
    Holds 1 s at the bottom unless hold_s is given.
    """
    options.setdefault("hold_s", 1.0)

    def draw(r: Profile) -> Motion:
        return Motion(r.t, chain=side, other="free", box=box_m, pelvic_drop=r(drop_deg),
                      knee_flex=r(knee_deg), other_knee_flex=8.0, stance_width=BODY.hip_w)
    return synthesize(draw, view, reps, **options)


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


def main(argv: list[str] | None = None) -> int:
    """`python -m formcheck.synth render-fixtures [folder]`: write the rendered fixture clips."""
    import argparse
    import logging

    from formcheck.clips import FIXTURES_DIR, render_fixtures

    parser = argparse.ArgumentParser(prog="python -m formcheck.synth")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("render-fixtures", help="render the fixture clips and expected answers")
    cmd.add_argument("folder", nargs="?", default=str(FIXTURES_DIR))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    render_fixtures(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
