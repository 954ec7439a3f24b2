"""FormCheck: computer-vision form checking for runners' leg strength work.

The public API. Shells (the command line, the web service, live mode) compose these pieces:

    from formcheck import analyze_video, get_exercise, write_annotated_video

    analysis = analyze_video("set.mp4", get_exercise("pistol_squat"))  # None: recognise it
    print(analysis.report.to_json())
    write_annotated_video("set.mp4", analysis, "annotated.mp4")

Layers, lowest first (each imports only from those below it; tests/test_layers.py checks):
pose core (formcheck.pose: frames, sequences, the estimator protocol) -> measures and rules
(geometry, exercises, rules, judging) -> offline analysis and live (analysis, live, session,
recognition) -> output (report, render, console) -> the command line (formcheck.cli). The web
service (package `api`) sits on top and imports only this module's names.

Names are loaded on first use, so `import formcheck` stays cheap for the command line.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# FFmpeg (inside OpenCV) and MediaPipe log decoder and graph chatter to stderr; FormCheck reports
# problems itself, so keep theirs to fatal errors unless the user asks otherwise.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"

# public name -> the module that defines it (__all__ below lists the same names)
_EXPORTS: dict[str, str] = {
    # analysing a clip
    "Analysis": "formcheck.analysis",
    "analyze_poses": "formcheck.analysis",
    "analyze_video": "formcheck.analysis",
    "extract_poses": "formcheck.pose.extract",
    "extract_poses_kept": "formcheck.pose.extract",
    "write_annotated_video": "formcheck.render",
    "part": "formcheck.progress",
    "Progress": "formcheck.progress",
    # using the cores: how many, and work split between forked processes
    "available_cores": "formcheck.forked",
    "run_forked": "formcheck.forked",
    # exercises and what they check
    "Exercise": "formcheck.exercises.base",
    "get_exercise": "formcheck.exercises.registry",
    "list_exercises": "formcheck.exercises.registry",
    # reports
    "Report": "formcheck.report",
    "Rep": "formcheck.report",
    "Fault": "formcheck.report",
    # poses
    "PoseSequence": "formcheck.pose.sequence",
    "PoseFrame": "formcheck.pose.frame",
    "PoseEstimator": "formcheck.pose.frame",
    "default_estimator": "formcheck.pose.estimate",
    "estimate_poses": "formcheck.pose.estimate",
    # video files
    "VideoInfo": "formcheck.video",
    "probe": "formcheck.video",
    # live feedback, recognition, sessions and plans
    "LiveSession": "formcheck.live",
    "LiveRecognizer": "formcheck.recognition.live",
    "Recognition": "formcheck.recognition",
    "recognise": "formcheck.recognition",
    "analyze_session_video": "formcheck.session",
    "analyze_session_log": "formcheck.session",
    "read_pose_log": "formcheck.session",
    "write_session_video": "formcheck.session.video",
    "Plan": "formcheck.plans",
    "PlanError": "formcheck.plans",
    "get_plan": "formcheck.plans",
    "list_plans": "formcheck.plans",
    # words, units and colours for people (the web pages)
    "COLOURS": "formcheck.overlay",
    "VIEW_NAMES": "formcheck.catalogue",
    "VISIBILITY_THRESHOLD": "formcheck.overlay",
    "exercise_meta": "formcheck.catalogue",
    "fault_titles": "formcheck.catalogue",
    "signals_meta": "formcheck.catalogue",
    "skeleton_meta": "formcheck.pose.landmarks",
    "units_meta": "formcheck.catalogue",
    # errors a user can cause (each has a message meant for them)
    "FormcheckError": "formcheck.errors",
    "NoPersonError": "formcheck.errors",
    "PoseDataError": "formcheck.errors",
    "UnknownExerciseError": "formcheck.errors",
    "VideoError": "formcheck.errors",
}

__all__ = [
    "Analysis", "COLOURS", "Exercise", "Fault", "FormcheckError", "LiveRecognizer", "LiveSession",
    "NoPersonError", "Plan", "PlanError", "PoseDataError", "PoseEstimator", "PoseFrame",
    "PoseSequence", "Progress",
    "Recognition", "Rep", "Report", "UnknownExerciseError", "VIEW_NAMES", "VISIBILITY_THRESHOLD",
    "VideoError", "VideoInfo", "analyze_poses", "analyze_session_log", "analyze_session_video",
    "analyze_video",
    "available_cores", "run_forked",
    "default_estimator", "estimate_poses", "exercise_meta", "extract_poses", "extract_poses_kept",
    "fault_titles",
    "get_exercise", "get_plan", "list_exercises", "list_plans", "part", "probe", "read_pose_log",
    "recognise",
    "signals_meta", "skeleton_meta", "units_meta", "write_annotated_video", "write_session_video",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'formcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:  # what type checkers and editors see; tests/test_layers.py keeps it in step
    from formcheck.analysis import Analysis, analyze_poses, analyze_video
    from formcheck.catalogue import VIEW_NAMES, exercise_meta, fault_titles, signals_meta, units_meta
    from formcheck.errors import (
        FormcheckError,
        NoPersonError,
        PoseDataError,
        UnknownExerciseError,
        VideoError,
    )
    from formcheck.exercises.base import Exercise
    from formcheck.exercises.registry import get_exercise, list_exercises
    from formcheck.forked import available_cores, run_forked
    from formcheck.live import LiveSession
    from formcheck.overlay import COLOURS, VISIBILITY_THRESHOLD
    from formcheck.plans import Plan, PlanError, get_plan, list_plans
    from formcheck.pose.estimate import default_estimator, estimate_poses
    from formcheck.pose.extract import extract_poses, extract_poses_kept
    from formcheck.pose.frame import PoseEstimator, PoseFrame
    from formcheck.pose.landmarks import skeleton_meta
    from formcheck.pose.sequence import PoseSequence
    from formcheck.progress import Progress, part
    from formcheck.recognition import Recognition, recognise
    from formcheck.recognition.live import LiveRecognizer
    from formcheck.render import write_annotated_video
    from formcheck.report import Fault, Rep, Report
    from formcheck.session import analyze_session_log, analyze_session_video, read_pose_log
    from formcheck.session.video import write_session_video
    from formcheck.video import VideoInfo, probe
