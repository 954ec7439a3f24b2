"""`formcheck live`: a webcam (or a file used as the camera) through a LiveSession, shown in a
window with the overlay, or headless with rep events printed."""

from __future__ import annotations

import time
from collections.abc import Iterator

from rich.console import Console

from formcheck.live import LiveSession, LiveState
from formcheck.pose.estimate import PoseEstimator
from formcheck.recognition import Recognition
from formcheck.recognition.live import LiveRecognizer
from formcheck.video import Frame, iter_camera

WINDOW = "FormCheck live (q to quit)"


def _print_events(state: LiveState, console: Console) -> None:
    for rep in state.events:
        side = f" {rep.side} leg" if rep.side else ""
        counts = state.counts()
        tally = (f"left {counts['left']}, right {counts['right']}" if state.per_leg
                 else f"total {counts['total']}")
        console.print(f"{state.t:6.1f}s  rep {rep.index}{side} ({tally})", highlight=False)
        for f in rep.faults:
            maybe = "" if f.clear else " (possible)"
            console.print(f"        {f.code}{maybe}: {f.cue}", highlight=False)


def _recognised(frames: Iterator[Frame], estimator: PoseEstimator, console: Console,
                show: bool) -> tuple[Recognition, LiveRecognizer] | None:
    """Watch until the exercise is recognised (formcheck.recognition.live: within the first two
    reps); returns it and the poses seen so far, or None when the camera ends first."""
    import cv2

    live: LiveRecognizer | None = None
    for frame in frames:
        if live is None:
            h, w = frame.image.shape[:2]
            live = LiveRecognizer(w, h)
        rec = live.feed(estimator.process(frame.image), frame.t)
        if show:
            cv2.imshow(WINDOW, frame.image)
            if cv2.waitKey(1) & 0xFF == ord("q"):
                return None
        if rec is not None:
            how = "Recognised" if rec.sure else "Not sure; best guess"
            alts = ", ".join(f"{e} {c:.0%}" for e, c in rec.alternatives)
            console.print(f"{frame.t:6.1f}s  {how}: {rec.exercise} ({rec.confidence:.0%}; next: {alts}); "
                          "restart with --exercise to correct it", highlight=False)
            return rec, live
    return None


def run_live(camera: int | str, exercise_id: str | None, *, show: bool, console: Console,
             max_seconds: float | None = None) -> int:
    """Run until the camera ends, q is pressed, or max_seconds pass. Returns an exit code.
    With no exercise id, the exercise is recognised first and the reps seen meanwhile count."""
    from formcheck.pose.estimate import default_estimator

    frames = iter_camera(camera)
    estimator = default_estimator()
    seen: LiveRecognizer | None = None
    try:
        if exercise_id is None:
            found = _recognised(frames, estimator, console, show)
            if found is None:
                console.print("No exercise recognised before the camera ended.")
                return 0
            rec, seen = found
            return _count(frames, rec.exercise, estimator, seen, show, console, max_seconds,
                          confirmed=rec.sure)
        return _count(frames, exercise_id, estimator, seen, show, console, max_seconds)
    finally:
        estimator.close()


def _count(frames: Iterator[Frame], exercise_id: str, estimator: PoseEstimator,
           seen: LiveRecognizer | None, show: bool, console: Console,
           max_seconds: float | None, confirmed: bool = True) -> int:
    import cv2

    from formcheck.overlay import annotate
    from formcheck.render import LiveOverlay

    with LiveSession(exercise_id, estimator=estimator, confirmed=confirmed) as session:
        if seen is not None:  # the reps done while the exercise was being recognised
            session.size = (seen.width, seen.height)
            for t, pose in seen.frames:
                _print_events(session.feed_pose(pose, t), console)
        overlay = LiveOverlay(session.exercise.name, session.exercise.signals)
        start = time.monotonic()
        for frame in frames:
            state = session.feed(frame.image, frame.t)
            _print_events(state, console)
            if show:
                cv2.imshow(WINDOW, annotate(frame.image, overlay.from_live(state)))
                if cv2.waitKey(1) & 0xFF == ord("q"):
                    break
            if max_seconds is not None and time.monotonic() - start > max_seconds:
                break
        if show:
            cv2.destroyAllWindows()
        counts = {"total": len(session.reps)}
        if session.exercise.per_leg:
            counts.update({s: sum(r.side == s for r in session.reps) for s in ("left", "right")})
        console.print("Set done: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                      highlight=False)
    return 0
