"""The offline pipeline: video -> poses -> smoothed poses -> view -> reps -> faults -> Report."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from formcheck import geometry as g
from formcheck.errors import NoPersonError
from formcheck.exercises.base import Exercise, RepContext
from formcheck.exercises.registry import get_exercise
from formcheck.legs import deep_frames, working_side
from formcheck.mismatch import exercise_mismatch
from formcheck.pose.estimate import estimate_poses
from formcheck.pose.landmarks import joint
from formcheck.pose.mediapipe_backend import PoseFrame
from formcheck.pose.orientation import turned, upright_turns
from formcheck.pose.people import Box, PeopleProbe, cropped, uncrop
from formcheck.pose.scene import faded
from formcheck.pose.sequence import PoseSequence
from formcheck.recognition import Recognition
from formcheck.report import Rep, Report
from formcheck.reps import RepWindow, count_reps, robust_rom
from formcheck.rules import caveats, check_rep, grade, merge_not_assessed
from formcheck.smoothing import smooth_sequence
from formcheck.summary import build_report
from formcheck.video import Frame, VideoInfo, iter_frames, probe
from formcheck.view import ViewEstimate, estimate_view

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# Fewer detected frames than this (and than MIN_PERSON_FRACTION of the clip) means nobody is there.
MIN_PERSON_FRAMES = 10
MIN_PERSON_FRACTION = 0.2


@dataclass
class Analysis:
    """Everything one analysis produced: the report, the smoothed poses and per-frame signals."""

    exercise: Exercise
    report: Report
    poses: PoseSequence
    signals: dict[str, np.ndarray]
    view: ViewEstimate
    scale: float
    video_path: Path | None = None  # the annotated video actually written (mp4, or webm fallback)
    turns: int = 0  # clockwise quarter turns that stood the frame upright (pose.orientation)


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


def _check_person(seq: PoseSequence) -> None:
    seen = int(seq.detected().sum())
    if seen < MIN_PERSON_FRAMES or seen < MIN_PERSON_FRACTION * len(seq):
        raise NoPersonError(
            f"no person found in the video (seen in {seen} of {len(seq)} frames): film the whole "
            "body, well lit, 3-4 m from the camera")


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


def _recognise(raw: PoseSequence) -> Recognition:
    """The exercise in raw poses. A clip that looks filmed on its side is recognised both as it is
    and turned upright: a standing exercise is taken from the turned poses (lying ones are what a
    sideways standing figure looks like, so the clip as filmed decides only for those)."""
    from formcheck.recognition import recognise

    rec = recognise(smooth_sequence(raw))
    turns = upright_turns(raw)
    if turns:
        upright = recognise(smooth_sequence(turned(raw, turns)))
        if get_exercise(upright.exercise).posture == "standing" and (
                get_exercise(rec.exercise).posture == "standing" or upright.confidence > rec.confidence):
            rec = upright
    return rec


def analyze_poses(raw: PoseSequence, exercise_id: str | None,
                  video_info: VideoInfo | None = None) -> Analysis:
    """Analyse a raw PoseSequence (from estimate_poses or a saved .npz) for one exercise; with
    no exercise id, the exercise is recognised first (formcheck.recognition) and the report
    says so in `recognition`."""
    ex = get_exercise(exercise_id) if exercise_id is not None else None
    _check_person(raw)
    recognition = None
    if ex is None:
        recognition = _recognise(raw)
        ex = get_exercise(recognition.exercise)
    turns = upright_turns(raw) if ex.posture == "standing" else 0
    if turns:
        raw = turned(raw, turns).with_notes(
            "the video was filmed on its side with no rotation flag: analysed turned upright")
    seq = smooth_sequence(raw)
    scale = g.body_scale(seq)
    if not np.isfinite(scale) or scale <= 0:
        raise NoPersonError("no legs found in the video: film the whole body, feet included")
    view = estimate_view(seq)
    driver, windows = cut_reps(ex, seq, scale)
    reps, not_assessed = evaluate_reps(ex, seq, windows, view, scale, driver)
    reps = grade(reps)
    video = video_info.to_dict() if video_info else _video_from_seq(seq)
    mismatch = exercise_mismatch(ex, seq, scale, len(reps), turns)
    report = build_report(ex, view, reps, not_assessed, video, seq, mismatch)
    if recognition is not None:
        note = () if recognition.sure else (recognition.message(),)
        report = replace(report, recognition=recognition.to_dict(), warnings=note + report.warnings)
    return Analysis(ex, report, seq, frame_signals(seq, driver), view, scale, turns=turns)


def _video_from_seq(seq: PoseSequence) -> dict[str, float | int]:
    return {"fps": round(seq.fps, 3), "frames": len(seq), "duration_s": round(seq.duration_s, 3),
            "width": seq.width, "height": seq.height}


def extract_poses(path: str | Path, progress: Progress | None = None) -> tuple[PoseSequence, VideoInfo]:
    """Decode a video and run the pose model on every frame (streamed).

    While it runs, a few frames are checked for a second person (formcheck.pose.people); when the
    tracked person stands still beside someone who exercises, the pass is run again on the athlete.
    """
    info = probe(path)
    people = PeopleProbe(info.frames, info.fps)
    report = _frame_progress(progress, info, "pose")

    def on_frame(frame, pose) -> None:  # type: ignore[no-untyped-def]
        people.observe(frame, pose)
        report(frame, pose)

    try:
        seq = estimate_poses(iter_frames(path), info.fps, None, on_frame)
    finally:
        people.close()
    check = people.check
    if check.follow_other:
        seq = _pose_pass_on_athlete(path, info, check.crop(), seq, progress)
    note = check.note()
    return (seq.with_notes(note) if note else seq), info


def _frame_progress(progress: Progress | None, info: VideoInfo,
                    stage: str) -> Callable[[Frame, PoseFrame | None], None]:
    """A per-frame callback reporting progress(fraction, stage) every 10 frames."""
    total = max(info.frames, 1)

    def on_frame(frame: Frame, _pose: PoseFrame | None) -> None:
        if progress is not None and frame.index % 10 == 0:
            progress(min(frame.index / total, 1.0), stage)

    return on_frame


# The athlete's crop must be at least this many pixels each way to be worth a second pass.
MIN_CROP_PX = 64


def _pose_pass_on_athlete(path: str | Path, info: VideoInfo, box: Box, first: PoseSequence,
                          progress: Progress | None) -> PoseSequence:
    """The pose pass again on a crop around the athlete; the first pass if that finds less."""
    x0, y0, x1, y1 = box.pixels(first.width, first.height)
    if min(x1 - x0, y1 - y0) < MIN_CROP_PX:
        return first
    log.info("second person in frame: pose pass again on %s", box)
    crop = estimate_poses(cropped(iter_frames(path), box), info.fps, None,
                          _frame_progress(progress, info, "athlete"))
    if len(crop) != len(first) or crop.detected().sum() < 0.5 * first.detected().sum():
        return first
    return PoseSequence(uncrop(crop.image_xy, box, first.width, first.height), crop.world_xyz,
                        crop.visibility, crop.t, first.width, first.height, first.fps,
                        image_contrast=first.image_contrast)


def analyze_video(path: str | Path, exercise_id: str | None, *, video_out: str | Path | None = None,
                  progress: Progress | None = None) -> Analysis:
    """Analyse a video file; write the annotated video to `video_out` when given. With no
    exercise id the exercise is recognised.

    progress(fraction, stage) is called as work proceeds (stage "pose", "analysis", "video").
    """
    if exercise_id is not None:
        get_exercise(exercise_id)  # fail fast on an unknown id, before any decoding
    pose_share = 0.8 if video_out else 1.0

    def pose_progress(f: float, stage: str) -> None:
        if progress is not None:
            progress(f * pose_share, stage)

    raw, info = extract_poses(path, pose_progress)
    if progress is not None:
        progress(pose_share, "analysis")
    analysis = analyze_poses(raw, exercise_id, info)
    if video_out is not None:
        from formcheck.render import write_annotated_video

        def video_progress(f: float, stage: str = "video") -> None:
            if progress is not None:
                progress(pose_share + f * (1 - pose_share), "video")

        analysis.video_path = write_annotated_video(path, analysis, video_out, video_progress)
    if progress is not None:
        progress(1.0, "done")
    return analysis
