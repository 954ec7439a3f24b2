"""Rep judging: the rules of an exercise applied to each rep, shared by offline analysis and live.

Given smoothed poses, the camera view, the body scale and the rep windows cut from the exercise's
driver, `evaluate_reps` keeps the credible reps and checks each against the exercise's rules
(formcheck.rules); `frame_signals` gives the per-frame angles the plots and overlays show.
"""

from __future__ import annotations

import numpy as np

from formcheck import geometry as g
from formcheck.exercises.base import Exercise, RepContext
from formcheck.legs import deep_frames, working_side
from formcheck.pose.landmarks import joint
from formcheck.pose.scene import faded
from formcheck.pose.sequence import PoseSequence
from formcheck.report import Rep
from formcheck.reps import RepWindow, count_reps, robust_rom
from formcheck.rules import caveats, check_rep, merge_not_assessed
from formcheck.view import ViewEstimate

__all__ = ["credible", "cut_reps", "evaluate_reps", "frame_signals", "near_side", "rep_context"]


def frame_signals(seq: PoseSequence, driver: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame angles shown in plots and overlays (degrees), plus the rep driver."""
    out: dict[str, np.ndarray] = {"driver": driver, "trunk_inclination": g.trunk_inclination(seq)}
    for side in ("left", "right"):
        out[f"knee_flexion_{side}"] = g.knee_flexion(seq, side)
        out[f"hip_flexion_{side}"] = g.hip_flexion(seq, side)
        out[f"fppa_{side}"] = g.fppa(seq, side)
        out[f"hip_extension_{side}"] = g.hip_extension(seq, side)
    return out


def near_side(seq: PoseSequence) -> str:
    """The leg better seen by the camera (higher median visibility of hip, knee and ankle)."""
    def score(side: str) -> float:
        vis = [np.median(seq.vis(joint(n, side))) for n in ("hip", "knee", "ankle")]
        return float(np.mean(vis))

    return "left" if score("left") >= score("right") else "right"


# A rep is only credible when hips and knees were seen through it (close-ups, cut-aways and title
# cards make the tracker invent a body).
MIN_REP_VISIBILITY = 0.5


def credible(seq: PoseSequence, w: RepWindow, fade: np.ndarray | None = None) -> bool:
    """Were the hips and knees visible (median visibility) during this rep, with no fade in it?"""
    span = slice(_index(seq, w.start_s), _index(seq, w.end_s) + 1)
    if fade is not None and fade[span].any():
        return False
    names = ("hip", "knee")
    vis = [float(np.median(seq.vis(joint(n, s))[span])) for n in names for s in ("left", "right")]
    return max(vis[0], vis[1]) >= MIN_REP_VISIBILITY and max(vis[2], vis[3]) >= MIN_REP_VISIBILITY


def bends_knees(ex: Exercise, ctx: RepContext) -> bool:
    """For exercises that must bend the knees (Exercise.min_knee_bend_deg): did the more bent knee
    reach it near the bottom (3D knee angle, any view)? The hips moving with straight legs is the
    tracker jumping, not a rep."""
    if ex.min_knee_bend_deg is None:
        return True
    deep = deep_frames(ctx.driver, ctx.start, ctx.bottom, ctx.end)
    bend = np.fmax(g.knee_flexion_3d(ctx.seq, "left")[deep], g.knee_flexion_3d(ctx.seq, "right")[deep])
    if not np.isfinite(bend).any():
        return True  # knees not seen: the visibility check decides
    return float(np.nanmax(bend)) >= ex.min_knee_bend_deg


def _index(seq: PoseSequence, t: float) -> int:
    return min(int(np.searchsorted(seq.t, t - 1e-9)), len(seq) - 1)


# How far before a rep's start to look for its standing (top) frame, seconds.
TOP_LOOKBACK_S = 1.5


def top_frame(driver: np.ndarray, seq: PoseSequence, start: int) -> int:
    """The calibration frame of a rep: the shallowest driver value shortly before it starts.

    The rep's detected start is already a little way down; frontal angles (FPPA, pelvic drop) are
    baseline-corrected against the standing frame, so look back to where the body was at the top.
    """
    first = max(0, _index(seq, float(seq.t[start]) - TOP_LOOKBACK_S))
    part = driver[first:start + 1]
    if not np.isfinite(part).any():
        return start
    return first + int(np.nanargmin(part))


def rep_context(ex: Exercise, seq: PoseSequence, w: RepWindow, view: ViewEstimate,
                scale: float, default_side: str, driver: np.ndarray) -> RepContext:
    start, bottom, end = _index(seq, w.start_s), _index(seq, w.bottom_s), _index(seq, w.end_s)
    side = working_side(ex.working_leg, seq, driver, start, bottom, end, default_side)
    yaw = view.yaw_deg if np.isfinite(view.yaw_deg) else 90.0
    return RepContext(seq, w, start, bottom, end, side, top_frame(driver, seq, start), scale,
                      view.view, view.facing,
                      driver, yaw)


def evaluate_reps(ex: Exercise, seq: PoseSequence, windows: list[RepWindow],
                  view: ViewEstimate, scale: float, driver: np.ndarray) -> tuple[list[Rep], list]:
    """Rules on every rep: (reps with faults, merged not-assessed list). The reps' faults are not
    graded yet: rules.grade weighs them against the spread of the whole clip's reps."""
    default_side = near_side(seq)
    reps: list[Rep] = []
    skipped = []
    assessed: set[str] = set()
    fade = faded(seq.image_contrast)
    i = 0
    for w in windows:
        if not credible(seq, w, fade):
            continue
        ctx = rep_context(ex, seq, w, view, scale, default_side, driver)
        if not bends_knees(ex, ctx):
            continue
        i += 1
        outcome = check_rep(ex, ctx, i)
        skipped.append(outcome.not_assessed)
        assessed.update(k.split(".")[0] for k in outcome.metrics)
        reps.append(Rep(i, ctx.side if ex.per_leg else None, round(w.start_s, 3),
                        round(w.bottom_s, 3), round(w.end_s, 3), tuple(outcome.faults),
                        outcome.metrics, outcome.uncertainty))
    return reps, merge_not_assessed(skipped, len(windows), assessed) + caveats(ex, assessed)


def cut_reps(ex: Exercise, seq: PoseSequence, scale: float) -> tuple[np.ndarray, list[RepWindow]]:
    """The exercise's driver and the rep windows cut from it; for reps that may start at either
    end of the movement, the phase order that finds more reps (the primary on a tie)."""
    best: tuple[np.ndarray, list[RepWindow]] | None = None
    for drv in (ex.driver, ex.reverse_driver):
        if drv is None:
            continue
        signal = drv.fn(seq, scale)
        windows = count_reps(seq.t.tolist(), signal.tolist(), ex.rep_spec, robust_rom(signal))
        if best is None or len(windows) > len(best[1]):
            best = (signal, windows)
    assert best is not None
    return best
