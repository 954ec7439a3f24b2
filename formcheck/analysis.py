"""Offline analysis: raw poses -> smoothed poses -> view -> reps -> faults -> Report.

The stages are composed here and nothing else: the pose pass is formcheck.pose.extract, rep
judging formcheck.judging, and the annotated video formcheck.render (its callers draw it from the
Analysis this returns).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from formcheck import geometry as g
from formcheck.errors import NoPersonError
from formcheck.exercises.base import Exercise
from formcheck.exercises.registry import get_exercise
from formcheck.judging import cut_reps, evaluate_reps, frame_signals
from formcheck.mismatch import exercise_mismatch
from formcheck.pose.extract import extract_poses, extract_poses_kept
from formcheck.pose.orientation import turned, upright_turns
from formcheck.pose.sequence import PoseSequence
from formcheck.progress import Progress
from formcheck.recognition import Recognition, counting
from formcheck.report import Report
from formcheck.rules import grade, unconfirmed
from formcheck.smoothing import smooth_sequence
from formcheck.summary import build_report
from formcheck.video import VideoInfo
from formcheck.view import ViewEstimate, estimate_view

__all__ = ["Analysis", "analyze_poses", "analyze_video"]

log = logging.getLogger(__name__)

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
    turns: int = 0  # clockwise quarter turns that stood the frame upright (pose.orientation)


def _check_person(seq: PoseSequence) -> None:
    seen = int(seq.detected().sum())
    if seen < MIN_PERSON_FRAMES or seen < MIN_PERSON_FRACTION * len(seq):
        raise NoPersonError(
            f"no person found in the video (seen in {seen} of {len(seq)} frames): film the whole "
            "body, well lit, 3-4 m from the camera")


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


def analyze_poses(raw: PoseSequence, exercise: Exercise | None,
                  video_info: VideoInfo | None = None) -> Analysis:
    """Analyse a raw PoseSequence (from extract_poses or a saved .npz) for one exercise (any
    Exercise object: from the registry, or one with its rules tuned by dataclasses.replace);
    with no exercise, the exercise is recognised first (formcheck.recognition) and the report says
    so in `recognition`. A recognised exercise must explain the movement: when its rep counter finds
    no rep, the next candidate that does is taken, marked unsure (formcheck.recognition.counting)."""
    _check_person(raw)
    if exercise is not None:
        return _analyse(raw, exercise, video_info)
    recognition, analysis = counting(
        _recognise(raw), lambda exercise_id: _analyse(raw, get_exercise(exercise_id), video_info),
        lambda a: a.report.rep_count)
    report = replace(analysis.report, recognition=recognition.to_dict())
    if not recognition.sure:
        report = unsure_of_exercise(report, recognition)
    return replace(analysis, report=report)


def unsure_of_exercise(report: Report, recognition: Recognition) -> Report:
    """A report judged as an exercise recognised without certainty: the recognition's warning
    first, and its clear faults made possible (formcheck.rules.unconfirmed)."""
    return replace(report, reps=tuple(unconfirmed(report.reps, report.exercise_name or report.exercise)),
                   warnings=(recognition.message(),) + report.warnings)


def _analyse(raw: PoseSequence, ex: Exercise, video_info: VideoInfo | None) -> Analysis:
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
    return Analysis(ex, report, seq, frame_signals(seq, driver), view, scale, turns=turns)


def _video_from_seq(seq: PoseSequence) -> dict[str, float | int]:
    return {"fps": round(seq.fps, 3), "frames": len(seq), "duration_s": round(seq.duration_s, 3),
            "width": seq.width, "height": seq.height}


def analyze_video(path: str | Path, exercise: Exercise | None, *,
                  progress: Progress | None = None, workers: int = 1,
                  kept: str | Path | None = None) -> Analysis:
    """Analyse a video file: the pose pass, then analyze_poses. With no exercise it is recognised.

    progress(fraction, stage) is called as work proceeds (stage "pose", then "analysis"). The
    annotated video is drawn from the result by formcheck.render.write_annotated_video.
    kept: a .npz file keeping the clip's poses (extract_poses_kept): read when it holds them, so
    the clip analysed again as another exercise skips the pose pass.
    """
    raw, info = (extract_poses(path, progress, workers) if kept is None
                 else extract_poses_kept(path, kept, progress, workers))
    if progress is not None:
        progress(1.0, "analysis")
    return analyze_poses(raw, exercise, info)
