"""Run an exercise's rules over its reps: view gating, visibility gating, faults and not-assessed.

Every measurement carries its uncertainty: the measure's own for the camera view (formcheck.faults),
grown where its landmarks were poorly seen and where the frame rate is low, and combined with the
spread of the same measure over the clip's reps (grade). A fault is `clear` when its value is
beyond the limit by more than that uncertainty, `possible` when beyond it by less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from formcheck.exercises.base import SAGITTAL_WIDE, Exercise, RepContext, Rule, how_to_film
from formcheck.faults import describe, measure_uncertainty
from formcheck.pose.landmarks import joint
from formcheck.report import Fault, NotAssessed, Rep

OBLIQUE = frozenset({"front45", "back45"})


@dataclass
class RuleOutcome:
    faults: list[Fault]
    not_assessed: list[NotAssessed]
    metrics: dict[str, float]
    uncertainty: dict[str, float]


# Frame rates below this coarsen every measurement: the extreme of a rep is sampled less finely and
# fewer frames average out the landmarks' jitter (uncertainty x sqrt(REFERENCE_FPS / fps)).
REFERENCE_FPS = 30.0
# Landmarks seen with less visibility than this count as this (uncertainty / visibility).
MIN_VISIBILITY_FACTOR = 0.5


def rep_uncertainty(rule: Rule, ctx: RepContext, side: str | None) -> float:
    """The rule's measurement uncertainty in this rep (its unit), before the clip's rep spread.

    The measure's own uncertainty for the view (formcheck.faults), grown in an oblique view as the
    body turns toward the camera (and, for segment angles against the horizontal, by the tilt a
    camera above the body gives them) and, from the front or back, by what a body turned from square
    leaks in from the sagittal plane; divided by the median visibility of the landmarks it reads
    (poorly seen landmarks are placed less surely), times sqrt(30 / fps) below 30 fps; durations
    also gain a frame period at each end.
    """
    u = measure_uncertainty(rule.measure.__name__)
    base = u.for_view(ctx.view)
    if ctx.view in OBLIQUE and np.isfinite(ctx.yaw_deg) and not u.timing:  # times do not foreshorten
        base *= oblique_factor(ctx.yaw_deg)
        if u.camera_pitch:
            base = float(np.hypot(base, pitch_tilt(u.camera_pitch, ctx.yaw_deg)))
    elif ctx.view in ("front", "back") and u.turn_leak and np.isfinite(ctx.yaw_deg):
        base = float(np.hypot(base, u.turn_leak * np.sin(np.radians(min(ctx.yaw_deg, 90.0)))))
    vis = ctx.visibility(rule.landmarks, side)
    base /= min(max(vis, MIN_VISIBILITY_FACTOR), 1.0) if np.isfinite(vis) else MIN_VISIBILITY_FACTOR
    fps = ctx.seq.fps
    if fps > 0 and fps < REFERENCE_FPS:
        base *= float(np.sqrt(REFERENCE_FPS / fps))
    if u.timing and fps > 0:
        base = float(np.hypot(base, np.sqrt(2.0) / fps))
    return base


def margin(rule: Rule, value: float) -> float:
    """Value minus limit in the rule's unit, signed so that positive is worse."""
    return value - rule.limit if rule.direction == "above" else rule.limit - value


def _views_text(views: frozenset[str]) -> str:
    names = {"front": "front", "back": "back", "side": "side", "front45": "front-oblique",
             "back45": "back-oblique"}
    return " or ".join(names[v] for v in sorted(views))


# A side-on rule is still read from an oblique view while the body is turned at least this far from
# square to the camera (degrees; 90 = side-on): the pose model turns side-on people 45-65 deg toward
# the camera (formcheck.view), so an oblique reading may well be a side view. It then carries the
# measure's oblique uncertainty, grown as the body turns further toward the camera.
SIDE_RULES_MIN_YAW = 30.0
NOMINAL_OBLIQUE_YAW = 45.0


def judgeable(rule: Rule, ctx: RepContext) -> bool:
    """Can this rule be read from the rep's view? Side-on rules also from an oblique view turned
    at least SIDE_RULES_MIN_YAW, when their measure states an oblique uncertainty."""
    if ctx.view in OBLIQUE and "side" in rule.views:
        return (np.isfinite(ctx.yaw_deg) and ctx.yaw_deg >= SIDE_RULES_MIN_YAW
                and measure_uncertainty(rule.measure.__name__).oblique is not None)
    return ctx.view in rule.views


def oblique_factor(yaw_deg: float) -> float:
    """How much an oblique view's uncertainty grows at this yaw: (sin 45 / sin yaw)^2, 1 at 45 deg.

    What a side view measures is foreshortened by sin(yaw), and a camera above or below hip
    height mixes depth into height as the body turns toward it.
    """
    yaw = np.radians(np.clip(yaw_deg, SIDE_RULES_MIN_YAW, 90.0))
    return float((np.sin(np.radians(NOMINAL_OBLIQUE_YAW)) / np.sin(yaw)) ** 2)


def pitch_tilt(pitch_deg: float, yaw_deg: float) -> float:
    """How much a camera looking down by pitch_deg tilts a level segment of a body turned yaw_deg
    from square (deg): its depth toward the camera, cos(yaw), shows as height, x sin(pitch)."""
    yaw = np.radians(np.clip(yaw_deg, 0.0, 90.0))
    return float(np.degrees(np.arctan(np.sin(np.radians(pitch_deg)) * np.cos(yaw))))


def measure(rule: Rule, ctx: RepContext) -> tuple[float, float]:
    """(value, time_s) of one rule on one rep; value NaN when it cannot be measured."""
    out = rule.measure(ctx)
    if isinstance(out, tuple):
        return float(out[0]), float(out[1])
    return float(out), ctx.t(ctx.bottom)


def judged_sides(rule: Rule, ex: Exercise, ctx: RepContext) -> list[str]:
    """Which legs a sided rule is read on: the working leg, or both legs in two-legged work."""
    if ex.per_leg or not rule.sided:
        return [ctx.side]
    if ctx.view in SAGITTAL_WIDE:
        return [ctx.side]  # side-on, the far leg is hidden behind the near one
    return ["left", "right"]


def check_rep(ex: Exercise, ctx: RepContext, rep_index: int) -> RuleOutcome:
    """Evaluate every rule that the view allows on one rep."""
    out = RuleOutcome([], [], {}, {})
    for rule in ex.rules:
        if not judgeable(rule, ctx):
            out.not_assessed.append(NotAssessed(rule.code, f"needs a {_views_text(rule.views)} view",
                                                how_to_film(rule.views)))
            continue
        for side in judged_sides(rule, ex, ctx):
            _judge(rule, _with_side(ctx, side), side if rule.sided else None, rep_index, out)
    out.faults = _with_required(ex, out.faults)
    return out


# A landmark this far outside the frame (normalised units) at the measured moment is the pose
# model's guess, not a sighting.
OUT_OF_FRAME = 0.01


def _judge(rule: Rule, ctx: RepContext, side: str | None, rep_index: int, out: RuleOutcome) -> None:
    """Measure one rule on one leg (or on both, side None) and add what it found to `out`."""
    leg = f"{ctx.side} leg" if side else "legs"
    if not ctx.visible(rule.landmarks, side, rule.min_visibility):
        out.not_assessed.append(NotAssessed(rule.code, f"{leg} not visible enough",
                                            how_to_film(rule.views)))
        return
    value, time_s = measure(rule, ctx)
    if not np.isfinite(value):
        return
    value = _rounded(value)  # judged as reported: a value that prints as the limit is within it
    if _out_of_frame(ctx, rule.landmarks, side, time_s):
        out.not_assessed.append(NotAssessed(rule.code, f"{leg} out of the frame",
                                            how_to_film(rule.views)))
        return
    key = f"{rule.code}.{side}" if side else rule.code
    u = rep_uncertainty(rule, ctx, side)
    out.metrics[key] = value
    out.uncertainty[key] = _rounded(u)
    if rule.is_fault(value):
        m = margin(rule, value)
        out.faults.append(Fault(rule.code, rule.severity(value), round(time_s, 3), value,
                                rule.limit, rule.unit, rule.cue, side, rep_index,
                                confidence=_confidence(m, u), margin=_rounded(m),
                                uncertainty=_rounded(u)))


def _out_of_frame(ctx: RepContext, names: tuple[str, ...], side: str | None, time_s: float) -> bool:
    """Was any of these joints placed outside the picture at the measured moment?"""
    i = min(int(np.searchsorted(ctx.seq.t, time_s - 1e-6)), len(ctx.seq) - 1)
    for name in names:
        for s in (side,) if side else ("left", "right"):
            xy = ctx.seq.image_xy[i, joint(name, s)]
            if np.isfinite(xy).all() and (np.any(xy < -OUT_OF_FRAME) or np.any(xy > 1 + OUT_OF_FRAME)):
                return True
    return False


def _confidence(margin_value: float, uncertainty: float) -> str:
    return "clear" if margin_value > uncertainty else "possible"


# The spread of a measure over the clip's clean reps counts once there are this many to see it in.
MIN_REPS_FOR_SPREAD = 3


def rep_spread(reps: Sequence[Rep]) -> dict[str, float]:
    """Robust standard deviation (1.4826 x MAD) of each metric over the clip's clean reps: those
    where that metric raised no fault, so that the faults themselves do not widen it."""
    values: dict[str, list[float]] = {}
    for rep in reps:
        faulty = {f"{f.code}.{f.side}" if f.side else f.code for f in rep.faults}
        for key, v in rep.metrics.items():
            if key not in faulty:
                values.setdefault(key, []).append(v)
    out = {}
    for key, vs in values.items():
        if len(vs) >= MIN_REPS_FOR_SPREAD:
            arr = np.asarray(vs, dtype=float)
            out[key] = float(1.4826 * np.median(np.abs(arr - np.median(arr))))
    return out


def grade(reps: Sequence[Rep]) -> list[Rep]:
    """Each rep with its uncertainties combined with the rep-to-rep spread of the same measure over
    the clip's clean reps (in quadrature) and each fault's confidence decided on the combined figure.

    Takes reps as evaluated (uncertainties of the rep alone) and is deterministic in them: the live
    session keeps its ungraded reps and grades all of them again after each new one.
    """
    spread = rep_spread(reps)
    out = []
    for rep in reps:
        total = {k: _rounded(float(np.hypot(u, spread.get(k, 0.0)))) for k, u in rep.uncertainty.items()}
        out.append(replace(rep, faults=tuple(_graded(f, total) for f in rep.faults), uncertainty=total))
    return out


def unconfirmed(reps: Sequence[Rep], exercise_name: str) -> list[Rep]:
    """Each rep with its clear faults made possible, for reps judged by the rules of an exercise
    that was recognised without certainty: a rule's limit belongs to its exercise, so a fault found
    by the rules of what may be the wrong exercise is worth a look, not certain (a lunge judged as a
    jumping lunge has "stiff landings"). Naming the exercise makes them clear again."""
    return [replace(rep, faults=tuple(_unconfirmed(f, exercise_name) for f in rep.faults))
            for rep in reps]


def _unconfirmed(f: Fault, exercise_name: str) -> Fault:
    if not f.clear:
        return f
    text = describe(f.code, f.side, f.value, f.limit, f.unit, f.margin, f.uncertainty, True)
    return replace(f, confidence="possible",
                   message=f"{text[:-1]} for a {exercise_name.lower()}, but this may not be one "
                           "(the exercise was not recognised for certain), so it is worth a look "
                           "rather than certain.")


def _graded(f: Fault, total: dict[str, float]) -> Fault:
    key = f"{f.code}.{f.side}" if f.side else f.code
    u = total.get(key, f.uncertainty)
    confidence = _confidence(f.margin, u)
    return replace(f, uncertainty=u, confidence=confidence,
                   message=describe(f.code, f.side, f.value, f.limit, f.unit, f.margin, u,
                                    confidence == "clear"))


def _with_required(ex: Exercise, faults: list[Fault]) -> list[Fault]:
    """Drop faults whose rule is only meaningful together with another fault in the same rep."""
    needs = {r.code: r.requires for r in ex.rules if r.requires}
    found = {f.code for f in faults}
    return [f for f in faults if needs.get(f.code) is None or needs[f.code] in found]


def _rounded(value: float) -> float:
    """Four significant figures: enough that a value beyond its limit never prints as the limit."""
    return float(f"{value:.4g}")


def _with_side(ctx: RepContext, side: str) -> RepContext:
    return ctx if side == ctx.side else replace(ctx, side=side)


# How to film so that a person can judge what the pose model cannot, by measure.
JUDGE_IT_YOURSELF = {
    "pelvic_drop": "film from behind at pelvis height in fitted shorts and watch the hips level in "
                   "the annotated video",
    "step_up_valgus": "film from the front a little to the stance side, so the driving knee does "
                      "not hide it, and watch the knee in the annotated video",
    "knee_to_foot_width": "film from the front at knee height in shorts and watch the knees "
                          "against the feet at the bottom in the annotated video",
}


def caveats(ex: Exercise, assessed: set[str]) -> list[NotAssessed]:
    """What the pose model cannot tell for the rules read on this clip (formcheck.faults caveats),
    as not-assessed entries that say how a person can judge it instead."""
    out: list[NotAssessed] = []
    for rule in ex.rules:
        name = rule.measure.__name__
        text = measure_uncertainty(name).caveat
        if text and rule.code in assessed and all(n.code != rule.code for n in out):
            out.append(NotAssessed(rule.code, text, JUDGE_IT_YOURSELF.get(name, "")))
    return out


def merge_not_assessed(per_rep: Sequence[list[NotAssessed]], n_reps: int,
                       assessed_codes: set[str]) -> list[NotAssessed]:
    """A code is reported not assessed when it was skipped in most reps and never measured."""
    counts: dict[str, tuple[int, NotAssessed]] = {}
    for items in per_rep:
        seen: set[str] = set()
        for item in items:
            if item.code in seen:
                continue
            seen.add(item.code)
            n, _ = counts.get(item.code, (0, item))
            counts[item.code] = (n + 1, item)
    return [item for code, (n, item) in counts.items()
            if code not in assessed_codes and n * 2 >= max(n_reps, 1)]
