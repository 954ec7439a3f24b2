"""Annotated video: the analysis drawn back onto the source frames, and the live overlay state.

`write_annotated_video` decodes the source a second time and streams each frame through
`annotate` into a `VideoWriter` (H.264 mp4; see formcheck.encoder for why), so memory stays flat
whatever the length of the clip. Per-frame rep counts and fault banners are worked out once, up
front, from the report (`Timeline`); `LiveOverlay` does the same job frame by frame for live mode.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from formcheck.encoder import VideoWriter
from formcheck.overlay import BANNER_S, OverlayState, annotate, split_signal
from formcheck.pose.orientation import turn_image
from formcheck.report import Fault, Report
from formcheck.video import iter_frames, probe

if TYPE_CHECKING:
    from formcheck.analysis import Analysis
    from formcheck.live import LiveState

__all__ = ["BANNER_S", "LiveOverlay", "OverlayState", "Timeline", "VideoWriter", "annotate",
           "write_annotated_video"]

log = logging.getLogger(__name__)

# Timestamps are rounded to the millisecond in the report; a frame this close counts as "at" it.
_EPS_S = 1e-3


def shown_signals(signals: Mapping[str, np.ndarray], names: Iterable[str]) -> dict[str, np.ndarray]:
    """The per-frame arrays for an exercise's signal names ("knee_flexion" -> both knees)."""
    out: dict[str, np.ndarray] = {}
    for name in names:
        for key in (name, f"{name}_left", f"{name}_right"):
            if key in signals:
                out[key] = np.asarray(signals[key], dtype=np.float64)
    return out


@dataclass(frozen=True)
class Timeline:
    """What the overlay shows at each frame time of a finished analysis.

    t: (T,) frame times (s). counts: side ("left"/"right", or "total") -> (T,) reps finished by
    then. faults: all faults sorted by time; shown[i] = (lo, hi) slice of faults on screen at
    frame i (those with time_s in (t - hold_s, t]).
    """

    t: np.ndarray
    counts: dict[str, np.ndarray]
    faults: tuple[Fault, ...]
    shown: np.ndarray  # (T, 2) int

    @classmethod
    def build(cls, report: Report, t: np.ndarray, hold_s: float = BANNER_S) -> Timeline:
        t = np.asarray(t, dtype=np.float64)
        sides = ("left", "right") if report.per_leg else ("total",)
        counts = {}
        for side in sides:
            ends = np.sort([r.end_s for r in report.reps if side in ("total", r.side)])
            counts[side] = np.searchsorted(ends, t + _EPS_S, side="right")
        faults = tuple(sorted(report.faults, key=lambda f: f.time_s))
        times = np.array([f.time_s for f in faults], dtype=np.float64)
        lo = np.searchsorted(times, t + _EPS_S - hold_s, side="right")
        hi = np.searchsorted(times, t + _EPS_S, side="right")
        return cls(t, counts, faults, np.stack([lo, hi], axis=1))

    def reps_at(self, i: int) -> dict[str, int]:
        return {side: int(c[i]) for side, c in self.counts.items()}

    def faults_at(self, i: int) -> tuple[Fault, ...]:
        lo, hi = self.shown[i]
        return self.faults[lo:hi]


class AnalysisFrames:
    """OverlayState for frame i of an analysis (poses, signals and timeline indexed alike)."""

    def __init__(self, analysis: Analysis, hold_s: float = BANNER_S) -> None:
        self._poses = analysis.poses
        self._signals = shown_signals(analysis.signals, analysis.exercise.signals)
        self._timeline = Timeline.build(analysis.report, analysis.poses.t, hold_s)
        self._view = "" if analysis.view.view == "unknown" else analysis.view.view
        self._title = analysis.exercise.name

    def __len__(self) -> int:
        return len(self._poses)

    def state(self, i: int) -> OverlayState:
        """The overlay of frame i; frames past the pose data get only the title and view."""
        if not 0 <= i < len(self._poses):
            return OverlayState(view=self._view, title=self._title)
        angles = {k: float(v[i]) for k, v in self._signals.items() if np.isfinite(v[i])}
        return OverlayState(self._poses.image_xy[i], self._poses.visibility[i], angles,
                            self._timeline.reps_at(i), self._timeline.faults_at(i), self._view,
                            self._title)


def write_annotated_video(src_path: str | Path, analysis: Analysis, out_path: str | Path,
                          progress: Callable[[float, str], None] | None = None, *,
                          preset: str = "veryfast", crf: int = 23) -> Path:
    """Draw the analysis onto every frame of `src_path` and write it to `out_path`.

    analysis.poses[i] belongs to frame i of the source. Output: same size (padded to even; turned
    upright with the poses when the clip was filmed on its side), frame rate, frame count and
    timestamps as the source. Returns the path written (a .webm
    next to out_path if H.264 is unavailable). progress(fraction 0..1, "video").
    """
    info = probe(src_path)
    frames = AnalysisFrames(analysis)
    if len(frames) != info.frames:
        log.debug("pose frames %d, container frames %d", len(frames), info.frames)
    total = max(info.frames, len(frames), 1)
    turns = analysis.turns % 4
    width, height = (info.height, info.width) if turns % 2 else (info.width, info.height)
    with VideoWriter(out_path, width, height, info.fps, preset=preset, crf=crf) as writer:
        for frame in iter_frames(src_path):
            image = turn_image(frame.image, turns) if turns else frame.image
            writer.write(annotate(image, frames.state(frame.index)), frame.t)
            if progress is not None and frame.index % 10 == 0:
                progress(min(frame.index / total, 1.0), "video")
    if progress is not None:
        progress(1.0, "video")
    return writer.path


class LiveOverlay:
    """Overlay state for a live stream: faults stay on screen for hold_s after their rep closes.

    `from_live(live_state)` turns one LiveSession.feed result into an OverlayState. Without a
    LiveSession, call `add_faults(faults, t)` when a rep closes and `state(...)` every frame.
    signals: the exercise's signal names to show (None: every angle given).
    """

    def __init__(self, title: str = "", signals: Iterable[str] | None = None, view: str = "",
                 hold_s: float = BANNER_S) -> None:
        self.title = title
        self.signals = None if signals is None else tuple(signals)
        self.view = view
        self.hold_s = hold_s
        self._faults: list[tuple[float, Fault]] = []

    def from_live(self, live: LiveState) -> OverlayState:
        for rep in live.events:
            self.add_faults(rep.faults, live.t)
        self.view = live.view if live.view != "unknown" else ""
        counts = live.counts()
        reps = {s: counts[s] for s in ("left", "right")} if live.per_leg else {
            "total": counts["total"]}
        lms = live.landmarks
        return self.state(live.t, None if lms is None else lms[:, :2],
                          None if lms is None else lms[:, 2], live.angles, reps)

    def add_faults(self, faults: Iterable[Fault], t: float) -> None:
        """Show these faults from time t (the moment they are known, not their time in the rep)."""
        self._faults.extend((t, f) for f in faults)

    def state(self, t: float, image_xy: np.ndarray | None = None,
              visibility: np.ndarray | None = None, angles: Mapping[str, float] | None = None,
              reps: Mapping[str, int] | None = None) -> OverlayState:
        self._faults = [(t0, f) for t0, f in self._faults if t - t0 < self.hold_s]
        angles = dict(angles or {})
        if self.signals is not None:
            angles = {k: v for k, v in angles.items() if split_signal(k)[0] in self.signals}
        return OverlayState(image_xy, visibility, angles, dict(reps or {}),
                            tuple(f for _, f in self._faults), self.view, self.title)
