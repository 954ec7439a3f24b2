"""`formcheck live`: a webcam (or a file used as the camera) through a LiveSession, shown in a
window with the overlay, or headless with rep events printed."""

from __future__ import annotations

import time

from rich.console import Console

from formcheck.live import LiveSession, LiveState
from formcheck.video import iter_camera

WINDOW = "FormCheck live (q to quit)"


def _print_events(state: LiveState, console: Console) -> None:
    for rep in state.events:
        side = f" {rep.side} leg" if rep.side else ""
        counts = state.counts()
        tally = (f"left {counts['left']}, right {counts['right']}" if state.per_leg
                 else f"total {counts['total']}")
        console.print(f"{state.t:6.1f}s  rep {rep.index}{side} ({tally})", highlight=False)
        for f in rep.faults:
            console.print(f"        {f.code}: {f.cue}", highlight=False)


def run_live(camera: int | str, exercise_id: str, *, show: bool, console: Console,
             max_seconds: float | None = None) -> int:
    """Run until the camera ends, q is pressed, or max_seconds pass. Returns an exit code."""
    import cv2

    from formcheck.overlay import annotate
    from formcheck.render import LiveOverlay

    with LiveSession(exercise_id) as session:
        overlay = LiveOverlay(session.exercise.name, session.exercise.signals)
        start = time.monotonic()
        for frame in iter_camera(camera):
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
