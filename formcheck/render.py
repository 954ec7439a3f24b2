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

import cv2
import numpy as np

from formcheck.encoder import VideoWriter, h264_available, join_h264
from formcheck.forked import run_forked
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
                          preset: str = "veryfast", crf: int = 23, workers: int = 1) -> Path:
    """Draw the analysis onto every frame of `src_path` and write it to `out_path`.

    analysis.poses[i] belongs to frame i of the source. Output: the source's picture (turned
    upright with the poses when the clip was filmed on its side) scaled down to fit MAX_SIDE
    pixels on its long side (never up; padded to even), its frame rate, frame count and
    timestamps. Returns the path written (a .webm
    next to out_path if H.264 is unavailable). progress(fraction 0..1, "video").

    workers: the cores it may use. One writer already keeps about WRITER_CORES busy (decoding,
    drawing and x264's own threads), so with at least twice that the clip is drawn and encoded in
    workers // WRITER_CORES consecutive parts at once (forked processes, formcheck.forked), joined
    without re-encoding (encoder.join_h264); each part starts on a key frame, nothing else
    differs. Clips shorter than MIN_PART_S a part, or without H.264, are written in one piece.
    """
    info = probe(src_path)
    frames = AnalysisFrames(analysis)
    if len(frames) != info.frames:
        log.debug("pose frames %d, container frames %d", len(frames), info.frames)
    total = max(info.frames, len(frames), 1)
    turns = analysis.turns % 4
    width, height = output_size(info.width, info.height)
    if turns % 2:
        width, height = height, width
    parts = max(1, min(workers // WRITER_CORES, int(info.duration_s // MIN_PART_S)))
    if parts > 1 and h264_available():
        return _write_in_parts(src_path, frames, out_path, parts, progress, turns,
                               (width, height), info.fps, total, preset=preset, crf=crf)
    done = 0

    def on_frame(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None and done % 10 == 0:
            progress(min(done / total, 1.0), "video")

    with VideoWriter(out_path, width, height, info.fps, preset=preset, crf=crf) as writer:
        _draw(src_path, frames, writer, turns, 0, None, on_frame, (width, height))
    if progress is not None:
        progress(1.0, "video")
    return writer.path


# The annotated video's long side at most (pixels): 720p, which a phone or a laptop shows as
# sharply as the source. Encoding a 1080p frame took 2.5x the CPU of a 720p one (23.5 against
# 9.5 ms with x264 veryfast), more than the pose model's own time; a 4K phone clip 9x.
MAX_SIDE = 1280


def output_size(width: int, height: int) -> tuple[int, int]:
    """The annotated video's size for a picture of width x height: scaled down to fit MAX_SIDE
    on the long side, keeping the aspect ratio."""
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


# A part of a clip drawn in parallel must last at least this long (seconds): each part costs a
# process, a key frame and a decode of the clip up to its start.
MIN_PART_S = 2.0
# Cores one writer keeps busy. Measured on two cores (one writer against two parts at once, 960x540
# to 1080p clips): one writer drew and encoded at 1.6-1.8 cores, and two parts were 2-18% slower
# than it (their forks, their second decoder and the join cost more than the idle core gave).
WRITER_CORES = 2


def _draw(src_path: str | Path, frames: AnalysisFrames, writer: VideoWriter, turns: int,
          start: int, stop: int | None, on_frame: Callable[[int], None],
          size: tuple[int, int]) -> float | None:
    """Frames [start, stop) of the source, turned and scaled to `size`, annotated, into
    `writer`; the first one's time."""
    first_t = None
    for frame in iter_frames(src_path, stop, start=start):
        first_t = frame.t if first_t is None else first_t
        image = turn_image(frame.image, turns) if turns else frame.image
        if (image.shape[1], image.shape[0]) != size:
            image = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
        writer.write(annotate(image, frames.state(frame.index)), frame.t)
        on_frame(1)
    return first_t


def _write_in_parts(src_path: str | Path, frames: AnalysisFrames, out_path: str | Path,
                    parts: int, progress: Callable[[float, str], None] | None, turns: int,
                    size: tuple[int, int], fps: float, total: int, *, preset: str,
                    crf: int) -> Path:
    out_path = Path(out_path)
    bounds: list[int | None] = [round(k * total / parts) for k in range(parts)] + [None]
    paths = [out_path.with_name(f".{out_path.stem}.part{k}.mp4") for k in range(parts)]

    def task(k: int) -> Callable[[Callable[[int], None]], float | None]:
        def run(send: Callable[[int], None]) -> float | None:
            pending = 0

            def on_frame(n: int) -> None:
                nonlocal pending
                pending += n
                if pending >= 10:
                    send(pending)
                    pending = 0

            with VideoWriter(paths[k], *size, fps, preset=preset, crf=crf,
                             codec="h264") as writer:
                first_t = _draw(src_path, frames, writer, turns, bounds[k] or 0, bounds[k + 1],
                                on_frame, size)
            send(pending)
            return first_t

        return run

    done = 0

    def on_message(_k: int, n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(min(done / total, 1.0), "video")

    try:
        starts = run_forked([task(k) for k in range(parts)], on_message)
        kept = [(p, t) for p, t in zip(paths, starts, strict=True) if t is not None]
        t0 = kept[0][1]
        join_h264([p for p, _ in kept], [t - t0 for _, t in kept], out_path)
    finally:
        for p in paths:
            p.unlink(missing_ok=True)
    if progress is not None:
        progress(1.0, "video")
    return out_path


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
