"""What an exercise module declares: its driver signal, rep spec, working-leg rule and rules.

A rule is data plus one measurement: a metric over the rep (RepContext -> value) and the code, cue,
limit, direction, unit, camera views, landmarks it needs, and the source of its threshold.
Thresholds are keyword data: tune with `dataclasses.replace(rule, limit=...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from formcheck import geometry as g
from formcheck.pose.landmarks import joint, other_side
from formcheck.pose.sequence import PoseSequence
from formcheck.reps import RepSpec, RepWindow

FRONTAL = frozenset({"front", "back"})
SAGITTAL = frozenset({"side"})
SAGITTAL_WIDE = frozenset({"side", "front45", "back45"})
ANY_VIEW = frozenset({"front", "back", "side", "front45", "back45"})

HOW_TO_FILM = {
    "front": "film from the front, camera at knee height, 3-4 m away, whole body in frame",
    "back": "film from behind, camera at pelvis height, 3-4 m away, whole body in frame",
    "side": "film side-on (camera square to your side), at hip height, 3-4 m away, whole body in frame",
}


def how_to_film(views: frozenset[str]) -> str:
    for v in ("side", "front", "back"):
        if v in views:
            return HOW_TO_FILM[v]
    return HOW_TO_FILM["side"]


@dataclass
class RepContext:
    """Everything a rule may read about one rep. Indices are frame indices into `seq`.

    seq: the smoothed PoseSequence; side: the working leg (stance / front / stepping leg) or the
    leg being judged for two-legged work; base: index of the standing/top calibration frame.
    """

    seq: PoseSequence
    window: RepWindow
    start: int
    bottom: int
    end: int
    side: str
    base: int
    scale: float
    view: str
    facing: int  # +1 facing image right, -1 facing image left, 0 unknown (frontal views)
    driver: np.ndarray  # (T,) the exercise's rep driver over the whole clip
    yaw_deg: float = 90.0  # body turned from the image plane: 90 side-on, 0 square to the camera

    @property
    def free(self) -> str:
        return other_side(self.side)

    @cached_property
    def span(self) -> slice:
        return slice(self.start, self.end + 1)

    def at(self, series: np.ndarray, index: int) -> float:
        v = float(series[index])
        return v

    def bottom_value(self, series: np.ndarray) -> float:
        return self.at(series, self.bottom)

    def base_value(self, series: np.ndarray) -> float:
        return self.at(series, self.base)

    def extreme(self, series: np.ndarray, lo: int | None = None, hi: int | None = None,
                worst: str = "max") -> tuple[float, float]:
        """Largest (or smallest) finite value of series[lo:hi+1] (default: the rep) and its time;
        NaN when there is none."""
        lo = max(self.start if lo is None else lo, 0)
        hi = self.end if hi is None else hi
        part = series[lo:hi + 1]
        if part.size == 0 or not np.isfinite(part).any():
            return float("nan"), self.t(min(lo, len(self.seq) - 1))
        i = int(np.nanargmax(part) if worst == "max" else np.nanargmin(part))
        return float(part[i]), self.t(lo + i)

    def t(self, index: int) -> float:
        return float(self.seq.t[index])

    def visibility(self, names: tuple[str, ...], side: str | None) -> float:
        """Lowest median visibility over the rep of these joints (of `side`, or both sides)."""
        sides = (side,) if side else ("left", "right")
        meds = [float(np.median(v)) for n in names for s in sides
                if (v := self.seq.vis(joint(n, s))[self.span]).size]
        return min(meds) if meds else float("nan")

    def visible(self, names: tuple[str, ...], side: str | None, min_vis: float) -> bool:
        """Are these joints (of `side`, or of both sides when side is None) seen during the rep?"""
        sides = (side,) if side else ("left", "right")
        for name in names:
            for s in sides:
                vis = self.seq.vis(joint(name, s))[self.span]
                if vis.size == 0 or float(np.median(vis)) < min_vis:
                    return False
        return True


Metric = Callable[[RepContext], "tuple[float, float] | float"]


@dataclass(frozen=True)
class Rule:
    """One fault check.

    measure(ctx) returns the value (or (value, time_s)); it is a fault when the value is beyond
    `limit` in `direction` ("above": value > limit; "below": value < limit), major when beyond
    `major`. views: the camera views the measurement is valid from; landmarks: joint names that
    must be visible ("hip", "knee", ...), on the working side when `sided`, else both sides.
    """

    code: str
    cue: str
    measure: Metric
    limit: float
    direction: str
    unit: str
    views: frozenset[str]
    landmarks: tuple[str, ...]
    why: str
    source: str
    major: float | None = None
    sided: bool = True
    min_visibility: float = 0.5
    requires: str | None = None  # only reported in a rep where this other fault is found too

    def is_fault(self, value: float) -> bool:
        if not np.isfinite(value):
            return False
        return value > self.limit if self.direction == "above" else value < self.limit

    def severity(self, value: float) -> str:
        if self.major is None:
            return "minor"
        beyond = value > self.major if self.direction == "above" else value < self.major
        return "major" if beyond else "minor"


@dataclass(frozen=True)
class Driver:
    """The signal reps are cut from: fn(seq, scale) -> (T,) array, larger = deeper into the rep."""

    name: str
    fn: Callable[[PoseSequence, float], np.ndarray]
    description: str


# Squats, lunges and pistols bend the knee: every rep counted on the labelled clips reached 44 deg or
# more (3D knee angle near the bottom; quarter squats 44-59), while a tracking jump that moved the
# hips with the legs straight read 17 (squat_side_biomech_1). Quarter squats are the shallowest
# work prescribed (exercises.md); 30 deg keeps them with room for the model's error.
KNEE_BEND_REP_DEG = 30.0


@dataclass(frozen=True)
class Exercise:
    """One exercise: id, name, driver, rep spec, how the working leg is chosen, rules, prescription.

    per_leg: reps are reported per leg. working_leg: "stance" (the foot that stays down, i.e. the
    lower ankle: single-leg deadlift), "bent_knee" (the more flexed knee at the bottom while the
    free leg is held straight: pistol squat, single-leg bridges), "front" (lunges: the higher knee
    at the bottom), "step" (step-ups: the foot that is up on the box as the rep starts),
    "high_hip" (hip hike: the standing side's hip stays high) or None for two-legged work
    (formcheck.legs). min_knee_bend_deg: for squats and lunges, a rep whose more bent knee stays
    under this near the bottom is not counted (KNEE_BEND_REP_DEG). posture: a standing exercise's
    body shows which way is up in a frame filmed on its side (formcheck.pose.orientation).
    """

    id: str
    name: str
    driver: Driver
    rep_spec: RepSpec
    rules: tuple[Rule, ...]
    per_leg: bool
    working_leg: str | None
    best_views: frozenset[str]
    prescription: str
    rep_range: tuple[int, int]
    description: str = ""
    aliases: tuple[str, ...] = ()
    signals: tuple[str, ...] = field(default=("knee_flexion", "hip_flexion", "trunk_inclination"))
    min_knee_bend_deg: float | None = None
    posture: str = "standing"  # "standing" | "lying" | "any": how the body lies in an upright frame
    # Reps that may start at either end of the movement (a deadlift from the floor or from lockout):
    # the driver of the other phase order, used when it finds more reps.
    reverse_driver: Driver | None = None


# ---- drivers shared by several exercises ------------------------------------------------------

def hip_drop(seq: PoseSequence, scale: float) -> np.ndarray:
    """Mid-hip height below the image top, in leg lengths (grows as the hips go down)."""
    return g.mid(seq, "hip")[:, 1] / scale


def hip_rise(seq: PoseSequence, scale: float) -> np.ndarray:
    """Mid-hip height, in leg lengths (grows as the hips go up)."""
    return -hip_drop(seq, scale)


# No hinge takes the shoulders this far past horizontal: beyond it the tracker has lost the body.
MAX_HINGE_DEG = 120.0


def trunk_drop(seq: PoseSequence, scale: float) -> np.ndarray:
    """Shoulders' height above the hips, lost (leg lengths): grows as the trunk hinges forward.

    The vertical shoulder-hip gap is torso x cos(inclination) whether the hinge is seen from the
    side or toward the camera, so this counts hinges from any view. NaN where upside down.
    """
    gap = (g.mid(seq, "hip")[:, 1] - g.mid(seq, "shoulder")[:, 1]) / scale
    with np.errstate(invalid="ignore"):
        return np.where(g.trunk_inclination(seq) > MAX_HINGE_DEG, np.nan, -gap)


HIP_DROP = Driver("hip_drop", hip_drop, "hip height drop (leg lengths)")
HIP_RISE = Driver("hip_rise", hip_rise, "hip height rise (leg lengths)")
TRUNK_DROP = Driver("trunk_drop", trunk_drop, "shoulder height lost relative to the hips (leg lengths)")
