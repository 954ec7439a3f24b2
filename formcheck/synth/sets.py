"""Synthetic sets for the exercises the builders of formcheck.synth.exercises do not draw.

Same figure (formcheck.synth.figure) and camera (formcheck.synth.project) as synth; what is added
here: movements whose legs swap roles from rep to rep (alternating lunges, hot salsa, walking
bridge), flight (jumps), hinges from the floor and the faults of those movements. Each builder
returns the PoseSequence of a whole set filmed from `view`.
"""

from __future__ import annotations

import numpy as np

from formcheck.pose.sequence import PoseSequence
from formcheck.synth import BODY, Motion, Profile, Tempo, project
from formcheck.synth.engine import VISIBILITY
from formcheck.synth.figure import landmarks

FPS = 30.0
SIZE = (1280, 720)
NOISE_PX = 0.5
G = 9.81  # m/s^2, for flight


class Clip:
    """The timeline of a set: times `t`, rep profile `p` (0 at rest, 1 at the rep's extreme),
    which rep each frame belongs to (`rep`, split at the middle of each pause), whether it is in
    the rep's second half (`rising`) and how far through the following pause it is (`after`)."""

    def __init__(self, reps: int, rep_s: float = 2.4, pause_s: float = 0.6, lead_s: float = 0.8,
                 tail_s: float = 0.8, hold_s: float = 0.0, eccentric_frac: float = 0.5) -> None:
        self.tempo = Tempo(reps=reps, rep_s=rep_s, pause_s=pause_s, lead_s=lead_s, tail_s=tail_s,
                           hold_s=hold_s, eccentric_frac=eccentric_frac)
        prof = Profile(self.tempo, FPS)
        self.profile, self.t, self.p = prof, prof.t, prof.p
        start, bottom, end = (np.array(w) for w in zip(*self.tempo.windows(), strict=True))
        self.start, self.bottom, self.end = start, bottom, end
        self.rep = np.searchsorted((end[:-1] + start[1:]) / 2, self.t)
        self.rising = self.t >= bottom[self.rep]
        gap = np.append(start[1:], end[-1] + tail_s) - end
        self.after = np.clip((self.t - end[self.rep]) / gap[self.rep], 0.0, 1.0)

    def per_rep(self, values: list[object]) -> np.ndarray:
        return np.asarray(values, dtype=object)[self.rep]


def film(points: np.ndarray, t: np.ndarray, view: str, facing: str = "right",
         seed: int = 0) -> PoseSequence:
    """Body-frame landmarks (T, 33, 3) -> the PoseSequence a camera at `view` records."""
    w, h = SIZE
    xy, world = project(points, view, facing, w, h)
    xy = xy + np.random.default_rng(seed).normal(0.0, NOISE_PX, xy.shape) / np.array([w, h])
    return PoseSequence(xy, world, np.full(xy.shape[:2], VISIBILITY), t, w, h, FPS)


def alternating(clip: Clip, first: str, alternate: bool, **curves: object) -> np.ndarray:
    """Landmarks where rep i is done on `first` / the other leg in turn (or always `first`).

    The same curves drive a figure on each leg; frames are taken from the leg of their rep. The
    figure at rest is the same on either leg, so the seams fall where nothing moves.
    """
    other = "right" if first == "left" else "left"
    sides = clip.per_rep([first if i % 2 == 0 or not alternate else other
                          for i in range(clip.tempo.reps)])
    out = None
    for side in (first, other):
        pts = landmarks(Motion(clip.t, chain=side, **curves))  # type: ignore[arg-type]
        out = pts if out is None else np.where((sides == side)[:, None, None], pts, out)
    assert out is not None
    return out


def shifted(points: np.ndarray, up: np.ndarray | float = 0.0,
            fwd: np.ndarray | float = 0.0) -> np.ndarray:
    """Move the whole figure up / forward by (T,) curves, metres (flight, a box, a hop)."""
    shift = np.stack(np.broadcast_arrays(0.0, up, fwd), axis=-1)
    return points + np.broadcast_to(shift, (points.shape[0], 3))[:, None, :]


# ---- lunges --------------------------------------------------------------------------------

def reverse_lunge(view: str = "side", reps: int = 4, *, side: str = "left",
                  alternate: bool = True, depth: float = 90.0, shank: float = 5.0,
                  trunk: float = 5.0, lean: float = 0.0, valgus: float = 0.0,
                  facing: str = "right") -> PoseSequence:
    """Lunges from standing: the front foot stays, the rear knee drops toward the floor.

    depth: front knee flexion at the bottom; shank: front shin tilt there (+ knee forward).
    """
    clip = Clip(reps)
    p = clip.p
    pts = alternating(clip, side, alternate, other="free", knee_flex=depth * p,
                      shank_tilt=shank * p, trunk=trunk * p, lean=lean * p, fppa=valgus * p,
                      other_thigh=-8.0 * p, other_knee_flex=95.0 * p, stance_width=BODY.hip_w,
                      arm=5.0)
    return film(pts, clip.t, view, facing)


def split_squat(view: str = "side", reps: int = 4, *, side: str = "left", depth: float = 95.0,
                shank: float = 5.0, trunk: float = 10.0, valgus: float = 0.0, heel: float = 0.0,
                facing: str = "right") -> PoseSequence:
    """Split squat with the rear foot planted behind (Bulgarian: front leg does the work)."""
    clip = Clip(reps)
    p = clip.p
    m = Motion(clip.t, chain=side, other="planted", knee_flex=5 + (depth - 5) * p,
               shank_tilt=-20 + (shank + 20) * p, trunk=trunk * p, fppa=valgus * p,
               heel_lift=heel * p, other_foot=-0.8, other_heel_lift=45.0,
               stance_width=BODY.hip_w, arm=5.0)
    return film(landmarks(m), clip.t, view, facing)


def lateral_lunge(view: str = "front", reps: int = 4, *, side: str = "left", bend: float = 75.0,
                  knee_in: bool = False, facing: str = "right") -> PoseSequence:
    """Wide stance, sitting into `side`: its knee bends `bend` degrees in the frontal plane, out
    over the foot (or collapsing inside it with knee_in) while the other leg stays straight."""
    clip = Clip(reps)
    p = clip.p
    m = Motion(clip.t, chain=side, other="planted", knee_flex=60.0 * p, shank_tilt=25.0 * p,
               fppa=(1.0 if knee_in else -1.0) * bend * p, trunk=20.0 * p,
               stance_width=0.9, toe_out=20.0, arm=30.0)
    return film(landmarks(m), clip.t, view, facing)


# ---- step-ups ------------------------------------------------------------------------------

def step_up(view: str = "side", reps: int = 4, *, side: str = "left", box: float = 0.3,
            drive: float = 90.0, trunk: float = 12.0, valgus: float = 0.0, drop: float = 0.0,
            pushoff: float = 0.0, lockout_knee: float = 0.0,
            facing: str = "right") -> PoseSequence:
    """Step-up onto a box with `side`; the trailing leg leaves the floor a third of the way up and
    drives to `drive` degrees (thigh from vertical) at the top.

    valgus peaks half-way up (0 at the bent start and the straight top); pushoff lifts the
    trailing heel while its toes are still down; lockout_knee is the stance knee left at the top.
    """
    clip = Clip(reps, rep_s=2.6)
    p = clip.p
    start_knee = 80.0
    tilt0 = np.radians(0.4 * start_knee)
    hip_up = (box + BODY.ankle_h + BODY.shank * np.cos(tilt0)
              + BODY.thigh * np.cos(tilt0 - np.radians(start_knee)))
    reach = (hip_up - BODY.ankle_h) / (BODY.thigh + BODY.shank)
    back = -np.degrees(np.arccos(np.clip(reach, -1.0, 1.0)))
    swing = np.clip((p - 0.35) / 0.65, 0.0, 1.0)
    kf = start_knee * (1 - p) + lockout_knee * p
    m = Motion(clip.t, chain=side, other="free", box=box, knee_flex=kf, shank_tilt=0.4 * kf,
               trunk=trunk * (1 - p), fppa=valgus * np.sin(np.pi * p), pelvic_drop=drop * p,
               other_thigh=back + (drive - back) * swing, other_knee_flex=90.0 * swing,
               other_heel_lift=pushoff * np.sin(np.pi * np.clip(p / 0.35, 0.0, 1.0)),
               stance_width=BODY.hip_w, arm=10.0)
    return film(landmarks(m), clip.t, view, facing)


# ---- hinges --------------------------------------------------------------------------------

def deadlift(view: str = "side", reps: int = 3, *, knee: float = 70.0, trunk: float = 55.0,
             chord: float = 0.0, lockout: float = 0.0, hips_first: float = 0.0,
             facing: str = "right") -> PoseSequence:
    """Deadlift from the floor: the set starts at the bar, each rep pulls to lockout and lowers.

    lockout: knee and trunk angle left at the top. hips_first (0 to 1, True = 1): how far the
    pull goes toward the knees straightening in its first 40% while the chest drops 20 deg
    further, the trunk coming up only after.
    """
    clip = Clip(reps, rep_s=3.0)
    up = clip.p  # 0 at the floor, 1 at lockout
    share = float(hips_first)
    knee_up = (1 - share) * up + share * np.clip(up / 0.4, 0.0, 1.0)
    kf = lockout + (knee - lockout) * (1 - knee_up)
    tr = lockout + (trunk - lockout) * (1 - up)
    tr = tr + share * 20.0 * np.sin(np.pi * np.clip(up / 0.5, 0.0, 1.0))
    m = Motion(clip.t, knee_flex=kf, shank_tilt=0.35 * kf, trunk=tr, chord_loss=chord * (1 - up),
               arm=0.0, arm_abduct=6.0, elbow=0.0, stance_width=0.3)
    return film(landmarks(m), clip.t, view, facing)


def romanian_deadlift(view: str = "side", reps: int = 3, *, hinge: float = 80.0,
                      knee: float = 20.0, chord: float = 0.0, lockout: float = 0.0,
                      facing: str = "right") -> PoseSequence:
    """Romanian deadlift from standing: hinge to `hinge` deg with `knee` deg of knee bend."""
    clip = Clip(reps, rep_s=3.0)
    p = clip.p
    kf = lockout + (knee - lockout) * p
    m = Motion(clip.t, knee_flex=kf, shank_tilt=0.3 * kf, trunk=lockout + (hinge - lockout) * p,
               chord_loss=chord * p, arm=0.0, arm_abduct=6.0, elbow=0.0, stance_width=0.3)
    return film(landmarks(m), clip.t, view, facing)


# ---- single-leg work on one spot ---------------------------------------------------------

def hip_hike(view: str = "back", reps: int = 4, *, side: str = "left", drop: float = 14.0,
             knee: float = 0.0, lean: float = 0.0, facing: str = "right") -> PoseSequence:
    """Hip hike standing on a step on `side`, the free leg hanging straight beside it: the free
    side of the pelvis drops `drop` deg and comes back; the stance knee bends `knee`; the trunk
    leans `lean`."""
    clip = Clip(reps, rep_s=3.0, hold_s=1.0)
    p = clip.p
    m = Motion(clip.t, chain=side, other="free", box=0.2, pelvic_drop=drop * p, knee_flex=knee * p,
               lean=lean * p, other_thigh=0.0, other_knee_flex=8.0, stance_width=BODY.hip_w)
    return film(landmarks(m), clip.t, view, facing)


def single_leg_deadlift(view: str = "side", reps: int = 3, *, side: str = "left",
                        hinge: float = 75.0, knee: float = 20.0, chord: float = 0.0,
                        gap: float = 0.0, hop: float = 0.0, facing: str = "right") -> PoseSequence:
    """Single-leg Romanian deadlift on `side` (as formcheck.synth draws it) where the stance foot
    can also hop `hop` metres forward on the way up."""
    clip = Clip(reps)
    p = clip.p
    kf = 5 + (knee - 5) * p
    m = Motion(clip.t, chain=side, other="free", knee_flex=kf, shank_tilt=0.3 * kf,
               trunk=hinge * p, chord_loss=chord * p, other_thigh=-hinge * p + gap * p,
               other_knee_flex=5.0, arm=0.0, arm_abduct=5.0, stance_width=BODY.hip_w)
    moved = np.where(clip.rising & (clip.after == 0), 1 - p, 0.0) + (clip.after > 0)
    return film(shifted(landmarks(m), fwd=hop * (clip.rep + moved)), clip.t, view, facing)


def hamstring_curl(view: str = "side", reps: int = 4, *, curl: float = 120.0, rep_s: float = 4.0,
                   curl_share: float = 0.4, facing: str = "right") -> PoseSequence:
    """Standing hamstring curl on the right leg, left heel to `curl` deg; curl_share of the moving
    time is the curl, the rest the lowering."""
    clip = Clip(reps, rep_s=rep_s, eccentric_frac=curl_share)
    m = Motion(clip.t, chain="right", other="free", other_knee_flex=curl * clip.p,
               other_thigh=5.0 * clip.p, stance_width=BODY.hip_w)
    return film(landmarks(m), clip.t, view, facing)


def walking_bridge(view: str = "side", reps: int = 4, *, side: str = "left", sag: float = 0.0,
                   drop: float = 0.0, hold_s: float = 2.0, facing: str = "right") -> PoseSequence:
    """Bridge held at the top; each rep one leg straightens out in line with the thigh and is held,
    the legs taking turns, starting with `side` planted. sag: hips sink this far when it lifts;
    drop: the lifted leg's side of the pelvis drops this far."""
    clip = Clip(reps, rep_s=1.6 + hold_s, hold_s=hold_s)
    p = clip.p
    pts = alternating(clip, side, True, other="free", lying=True, hip_ext=178.0 - sag * p,
                      pelvic_drop=drop * p,
                      other_thigh=-5.0 * (1 - p), other_knee_flex=92.0 * (1 - p), arm=90.0,
                      arm_abduct=12.0, elbow=0.0, stance_width=0.26)
    return film(pts, clip.t, view, facing)
