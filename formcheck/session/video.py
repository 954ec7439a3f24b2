"""The annotated video of a session: each set labelled (number, exercise, working leg) with its rep
count and the faults of each rep as it ends, and the rests timed between sets.

The recording is decoded again and streamed frame by frame into the encoder, so memory stays flat
however long the session; the poses are not kept for a whole session, so no skeleton is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from formcheck.encoder import VideoWriter
from formcheck.errors import UnknownExerciseError
from formcheck.exercises.registry import get_exercise
from formcheck.overlay import BANNER_S, OverlayState, annotate
from formcheck.report import Fault
from formcheck.session import SessionReport
from formcheck.session.sets import SessionSet
from formcheck.video import iter_frames, probe


def _name(exercise_id: str) -> str:
    try:
        return get_exercise(exercise_id).name
    except UnknownExerciseError:
        return exercise_id


def set_title(s: SessionSet) -> str:
    leg = f" · {s.side} leg" if s.side else ""
    return f"Set {s.index} · {_name(s.exercise)}{leg}"


def session_overlay(session: SessionReport, t: float) -> OverlayState:
    """What the frame at time t shows: the set under way with its reps so far and the faults of
    reps that ended less than BANNER_S ago, or the rest since the last set."""
    current = next((s for s in session.sets if s.start_s <= t <= s.end_s), None)
    if current is None:
        before = [s for s in session.sets if s.end_s < t]
        if not before or before[-1] is session.sets[-1]:
            return OverlayState()
        rest = t - before[-1].end_s
        return OverlayState(title=f"Rest {int(rest) // 60}:{int(rest) % 60:02d} after set {before[-1].index}")
    done = [r for r in current.report.reps if r.end_s <= t]
    if current.report.per_leg:
        reps = {side: sum(r.side == side for r in done) for side in ("left", "right")}
    else:
        reps = {"total": len(done)}
    faults: list[Fault] = [f for r in done if t - r.end_s < BANNER_S for f in r.faults]
    return OverlayState(reps=reps, faults=tuple(faults), title=set_title(current))


def write_session_video(src_path: str | Path, session: SessionReport, out_path: str | Path,
                        progress: Callable[[float, str], None] | None = None, *,
                        preset: str = "veryfast", crf: int = 23) -> Path:
    """Draw the session onto every frame of `src_path` into `out_path` (H.264 mp4; a .webm beside
    it when H.264 is unavailable); returns the path written. progress(fraction, "video")."""
    info = probe(src_path)
    total = max(info.frames, 1)
    with VideoWriter(out_path, info.width, info.height, info.fps, preset=preset, crf=crf) as writer:
        for frame in iter_frames(src_path):
            writer.write(annotate(frame.image, session_overlay(session, frame.t)), frame.t)
            if progress is not None and frame.index % 30 == 0:
                progress(min(frame.index / total, 1.0), "video")
    if progress is not None:
        progress(1.0, "video")
    return writer.path
