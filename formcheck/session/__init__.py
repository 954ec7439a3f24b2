"""A whole training session from one long recording: sets found, recognised, analysed, summed up.

    session = analyze_session_video("routine.mp4", plan=get_plan("single_leg_routine"))
    session = analyze_session_poses(seq)          # the same from a saved PoseSequence

Sets are movement separated by rest (formcheck.session.finder), split again where the working leg
changes (a per-leg exercise done on one leg, then the other, without a long rest) or where the
exercise changes. Each set gets the exercise (recognised, among the plan's when a plan is given),
the working leg, and the per-set Report of `formcheck analyze`. The summary groups sets by
exercise, checks them against the plan and compares the legs (formcheck.session.summary).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.analysis import analyze_poses, unsure_of_exercise
from formcheck.errors import FormcheckError
from formcheck.exercises.registry import get_exercise
from formcheck.plans import Plan
from formcheck.pose.sequence import PoseSequence
from formcheck.recognition import Recognition, counting, recognise
from formcheck.report import Report
from formcheck.session.finder import Block, SetFinder
from formcheck.session.poselog import PoseLog, PoseLogWriter, read_pose_log
from formcheck.session.sets import SessionSet
from formcheck.session.summary import plan_check, summarise
from formcheck.smoothing import smooth_sequence

Progress = Callable[[float, str], None]
Named = Sequence[tuple[float, str]]

# A per-leg set is split where the working leg changes only when each leg did at least this many
# reps in a row: a lone rep on the other leg is a misread side, and alternating work (walking
# lunges) changes leg every rep by design.
MIN_REPS_PER_LEG = 2


@dataclass(frozen=True)
class SessionReport:
    sets: tuple[SessionSet, ...]
    video: dict[str, Any]
    plan: Plan | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rests(self) -> list[dict[str, float]]:
        pairs = zip(self.sets[:-1], self.sets[1:], strict=True)
        return [{"after_set": a.index, "start_s": round(a.end_s, 2), "end_s": round(b.start_s, 2),
                 "duration_s": round(b.start_s - a.end_s, 2)} for a, b in pairs]

    def to_dict(self) -> dict[str, Any]:
        return {"sets": [s.to_dict() for s in self.sets], "rests": self.rests,
                "plan": plan_check(self.sets, self.plan) if self.plan else None,
                "summary": summarise(self.sets), "warnings": list(self.warnings), "video": self.video}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)


def _recognised(block: Block, plan: Plan | None,
                done: list[SessionSet]) -> Recognition:
    """The block's exercise, among the plan's when there is one, read from the movement only (the
    still frames around it may show the last exercise's pose). Where the plan lists several
    exercises the pose cannot tell apart (front and side step-ups), they are taken in the plan's
    order: the first until as many sets as planned were done on each leg."""
    allowed = [i.exercise for i in plan.items] if plan else None
    moving = _part(block.poses, block.start_s, block.end_s)
    rec = recognise(smooth_sequence(moving if len(moving) >= 5 else block.poses), allowed=allowed)
    if plan is None or not rec.same_movement:
        return rec
    for item in plan.items:
        if item.exercise not in (rec.exercise, *rec.same_movement):
            continue
        sets = [s for s in done if s.exercise == item.exercise]
        per_leg = {side: sum(s.side in (side, None) for s in sets) for side in ("left", "right")}
        if min(per_leg.values()) < item.sets if item.per_leg else len(sets) < item.sets:
            return replace(rec, exercise=item.exercise)
    return rec


def _leg_runs(report: Report) -> list[tuple[str, int, int]]:
    """(side, first rep index, last rep index) of each run of reps on one leg (0-based)."""
    runs: list[tuple[str, int, int]] = []
    for i, rep in enumerate(report.reps):
        if runs and rep.side == runs[-1][0]:
            runs[-1] = (runs[-1][0], runs[-1][1], i)
        else:
            runs.append((str(rep.side), i, i))
    return runs


def _split_by_leg(poses: PoseSequence, exercise: str, report: Report) -> list[tuple[float, float]]:
    """Time spans of the parts of a set done on one leg, or [] when it is one set."""
    if not report.per_leg or len(report.reps) < 2 * MIN_REPS_PER_LEG:
        return []
    runs = _leg_runs(report)
    if len(runs) < 2 or any(b - a + 1 < MIN_REPS_PER_LEG for _, a, b in runs):
        return []
    reps = report.reps
    cuts = [(reps[b].end_s + reps[b + 1].start_s) / 2 for _, _, b in runs[:-1]]
    edges = [float(poses.t[0]), *cuts, float(poses.t[-1])]
    return list(zip(edges, edges[1:], strict=False))


def _part(poses: PoseSequence, lo: float, hi: float) -> PoseSequence:
    i, j = np.searchsorted(poses.t, [lo, hi])
    return poses.slice(int(i), int(j) + 1)


# A change of exercise without rest is looked for in windows of WINDOW_S every WINDOW_S / 2: two
# or three reps of any exercise, enough for recognition. A change counts when each exercise is
# recognised, sure, in at least two windows in a row.
WINDOW_S = 10.0


def _exercise_changes(block: Block, plan: Plan | None) -> list[float]:
    """Times (s) where the exercise changes inside one block of movement."""
    poses = block.poses
    if poses.duration_s < 2 * WINDOW_S:
        return []
    smooth = smooth_sequence(poses)
    allowed = [i.exercise for i in plan.items] if plan else None
    starts = np.arange(float(poses.t[0]), float(poses.t[-1]) - WINDOW_S + 1e-6, WINDOW_S / 2)
    runs: list[list[Any]] = []  # [exercise, first window start, last window start, windows]
    for lo in starts:
        rec = recognise(_part(smooth, lo, lo + WINDOW_S), allowed=allowed)
        if not rec.sure:
            continue
        if runs and runs[-1][0] == rec.exercise:
            runs[-1][2], runs[-1][3] = lo, runs[-1][3] + 1
        else:
            runs.append([rec.exercise, lo, lo, 1])
    runs = [r for r in runs if r[3] >= 2]
    merged: list[list[Any]] = []
    for r in runs:
        if merged and merged[-1][0] == r[0]:
            merged[-1][2] = r[2]
        else:
            merged.append(r)
    # The change happened after the last window of the first exercise started and before the
    # first window of the next one ended: cut in the middle.
    return [(a[2] + WINDOW_S / 2 + b[1] + WINDOW_S / 2) / 2 for a, b in zip(merged, merged[1:], strict=False)]


def _sets_of_block(block: Block, plan: Plan | None, done: list[SessionSet],
                   named: Named = ()) -> list[SessionSet]:
    cuts = _exercise_changes(block, plan)
    if not cuts:
        return _sets_of_one_exercise(block, plan, done, named)
    out: list[SessionSet] = []
    edges = [float(block.poses.t[0]), *cuts, float(block.poses.t[-1])]
    for lo, hi in zip(edges, edges[1:], strict=False):
        part = Block(_part(block.poses, lo, hi), max(lo, block.start_s), min(hi, block.end_s))
        out += _sets_of_one_exercise(part, plan, [*done, *out], named)
    return out


def _named(block: Block, named: Named) -> str | None:
    """The exercise the athlete named for a set of this stretch of movement (a time inside it)."""
    return next((get_exercise(e).id for t, e in named if block.start_s <= t <= block.end_s), None)


def _sets_of_one_exercise(block: Block, plan: Plan | None, done: list[SessionSet],
                          named: Named = ()) -> list[SessionSet]:
    first_index = len(done) + 1
    exercise = _named(block, named)
    rec: Recognition | None = None
    try:
        if exercise is not None:
            report = analyze_poses(block.poses, get_exercise(exercise)).report
        else:
            # The recognised exercise must explain the movement: when its rep counter finds no
            # rep in the set, the next candidate that does is taken, marked unsure.
            rec, report = counting(_recognised(block, plan, done),
                                   lambda e: analyze_poses(block.poses, get_exercise(e)).report,
                                   lambda r: r.rep_count)
            exercise = rec.exercise
    except FormcheckError:
        return []
    spans = _split_by_leg(block.poses, exercise, report)
    parts: list[tuple[float, float, Report]] = []
    if spans:
        for lo, hi in spans:
            part = analyze_poses(_part(block.poses, lo, hi), get_exercise(exercise)).report
            parts.append((max(lo, block.start_s), min(hi, block.end_s), part))
    else:
        parts.append((block.start_s, block.end_s, report))
    out = []
    for k, (lo, hi, rep_report) in enumerate(parts):
        if rec is not None and not rec.sure:
            rep_report = unsure_of_exercise(rep_report, rec)
        side = _working_side(rep_report)
        out.append(SessionSet(first_index + k, exercise, side, lo, hi, rep_report,
                              rec.to_dict() if rec else None, named=rec is None))
    return out


def _working_side(report: Report) -> str | None:
    by = report.reps_by_side
    if not by or not any(by.values()):
        return None
    left, right = by.get("left", 0), by.get("right", 0)
    if left and right and min(left, right) >= MIN_REPS_PER_LEG:
        return None  # both legs in one set (alternating work)
    return "left" if left >= right else "right"


class SessionAnalyzer:
    """Streaming session analysis: feed one pose per frame; sets are analysed as they end."""

    def __init__(self, width: int, height: int, fps: float, plan: Plan | None = None,
                 named: Named = ()) -> None:
        """named: (time s, exercise id) pairs: the set whose movement spans that time is that
        exercise, as the athlete said, not recognised."""
        self.finder = SetFinder(width, height, fps)
        self.plan = plan
        self.named = tuple(named)
        self.sets: list[SessionSet] = []

    def feed(self, t: float, xy: np.ndarray, world: np.ndarray, vis: np.ndarray,
             contrast: float = float("nan")) -> None:
        block = self.finder.feed(t, xy, world, vis, contrast)
        if block is not None:
            self._add(block)

    def _add(self, block: Block) -> None:
        self.sets.extend(_sets_of_block(block, self.plan, self.sets, self.named))

    def finish(self, video: dict[str, Any]) -> SessionReport:
        block = self.finder.finish()
        if block is not None:
            self._add(block)
        warnings = []
        if self.finder.person_frames == 0:
            warnings.append("nobody was found in the recording: film the whole body, 3-4 m away")
        elif not self.sets:
            warnings.append("no movement found: the recording is all rest (no set of reps in it)")
        return SessionReport(tuple(self.sets), video, self.plan, tuple(warnings))


def _frames_of(seq: PoseSequence) -> Iterator[tuple[float, np.ndarray, np.ndarray, np.ndarray, float]]:
    for i in range(len(seq)):
        yield (float(seq.t[i]), seq.image_xy[i], seq.world_xyz[i], seq.visibility[i],
               float(seq.image_contrast[i]))


def analyze_session_poses(seq: PoseSequence, plan: Plan | None = None,
                          named: Named = ()) -> SessionReport:
    """Sets of a recording whose raw poses are already known (a saved .npz, synthetic poses)."""
    run = SessionAnalyzer(seq.width, seq.height, seq.fps, plan, named)
    for frame in _frames_of(seq):
        run.feed(*frame)
    return run.finish({"fps": round(seq.fps, 3), "frames": len(seq),
                       "duration_s": round(seq.duration_s, 3), "width": seq.width, "height": seq.height})


def analyze_session_log(log: PoseLog, plan: Plan | None = None, named: Named = (),
                        progress: Progress | None = None) -> SessionReport:
    """The session again from the poses a first pass kept (formcheck.session.poselog), without
    the pose model: for a set the athlete named as another exercise (`named`)."""
    run = SessionAnalyzer(log.width, log.height, log.fps, plan, named)
    for i, frame in enumerate(log.frames()):
        run.feed(*frame)
        if progress is not None and i % 300 == 0:
            progress(min(i / max(len(log), 1), 1.0), "session")
    return run.finish(log.video())


def analyze_session_video(path: str | Path, plan: Plan | None = None,
                          progress: Progress | None = None, *, keep: str | Path | None = None,
                          named: Named = ()) -> SessionReport:
    """Decode a long recording and run the pose model frame by frame; each set is analysed as soon
    as the rest after it is long enough, and only its frames are held in memory. keep: a pose log
    (formcheck.session.poselog) of this recording: read instead of running the pose model when
    it holds a complete one (a session analysed again, a set named), else written as the frames
    come, complete once this returns."""
    from formcheck.pose.estimate import default_estimator
    from formcheck.pose.landmarks import NUM_LANDMARKS
    from formcheck.pose.scene import frame_contrast
    from formcheck.video import iter_frames, probe

    kept = read_pose_log(keep) if keep else None
    if kept is not None:
        return analyze_session_log(kept, plan, named, progress)
    info = probe(path)
    run = SessionAnalyzer(info.width, info.height, info.fps, plan, named)
    missing = (np.full((NUM_LANDMARKS, 2), np.nan), np.full((NUM_LANDMARKS, 3), np.nan),
               np.zeros(NUM_LANDMARKS))
    log = PoseLogWriter(keep, info.width, info.height, info.fps, info.to_dict()) if keep else None
    estimator = default_estimator()
    try:
        for frame in iter_frames(path):
            pose = estimator.process(frame.image)
            xy, world, vis = missing if pose is None else (pose.image_xy, pose.world_xyz, pose.visibility)
            contrast = frame_contrast(frame.image)
            run.feed(frame.t, xy, world, vis, contrast)
            if log is not None:
                log.write(frame.t, xy, world, vis, contrast)
            if progress is not None and frame.index % 30 == 0:
                progress(min(frame.index / max(info.frames, 1), 1.0), "session")
        report = run.finish(info.to_dict())
    except BaseException:
        if log is not None:
            log.abandon()
        raise
    finally:
        estimator.close()
    if log is not None:
        log.close()
    return report


__all__ = ["PoseLog", "SessionAnalyzer", "SessionReport", "SessionSet", "analyze_session_log",
           "analyze_session_poses", "analyze_session_video", "read_pose_log"]
