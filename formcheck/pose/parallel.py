"""The pose pass over a clip, its frames split between processes.

BlazePose runs on one core (its CPU inference uses one thread), so a clip's frames are split into
consecutive spans, one process each. MediaPipe's tracker carries state from frame to frame (the
region of interest found on the previous frame and the landmark smoothing filter), so a span's
tracker starts OVERLAP_S before the span and the poses of those lead-in frames are discarded: by the
span's first frame it has locked on and gives what a single pass over the whole clip gives there.

OVERLAP_S = 1.5 s, from bench/bench_overlap.py (19 cold starts on 5 rendered and 2 real clips).
The pose model is deterministic run to run, but a tracker started cold never gives exactly the
single pass's landmarks again: the median difference (image landmarks the single pass saw) starts
at 1.6-9.8 px, falls for about a second, then wanders at a level of its own (0.2-1.9 px, where the
pose model's own frame-to-frame jitter on these clips is 0.15-0.9 px) that a longer lead-in does
not lower (at 1, 2 and 3 s: 0.5-3.5, 0.2-3.5 and 0.1-2.7 px). It is within 1.5x of that level
after 0.7-2.3 s, median 1.2 s; 1.5 s covers three cold starts in four, and the rest are a pixel
or two off. What is left is far below what the rules can tell apart: the reports are the same
(tests/test_parallel.py: reps, legs and faults, every metric within its measurement uncertainty,
with reps that run across a split point).

Each span's process decodes the clip from its start (skipping frames costs a decode, not a pose;
seeking is not frame-exact in every container), so timestamps and indices are those of one pass.
The processes are forked (formcheck.forked: the libraries are imported once, a worker dies with its
parent), report progress through a pipe and send back their poses and what the second-person probe
saw on their frames (formcheck.pose.people: the probe frames are the same as in one pass, each
looked at by the process whose span holds it). With two people in frame a cold tracker may lock on
to the other one: each span's lead-in is compared with the previous span's poses on the same
frames (same_person), and when they follow different people the single pass is done instead.

workers=1 is the single pass in this process, exactly as before the split existed. With more,
the pose model never runs in the calling process: MediaPipe's native state does not survive fork(),
so a process that has run it cannot fork workers that run it again (pose_pass then falls back to
one pass in the process, and says so in the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcheck.forked import Send, Task, available_cores, run_forked
from formcheck.pose.estimate import estimate_poses
from formcheck.pose.mediapipe_backend import graphs_made
from formcheck.pose.people import MAX_OVERLAP, Box, PeopleCheck, PeopleProbe, cropped
from formcheck.pose.sequence import PoseSequence
from formcheck.video import Frame, VideoInfo, iter_frames

__all__ = ["MIN_SPAN_S", "OVERLAP_S", "Span", "available_cores", "pose_pass", "split"]

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

# Lead-in of every span but the first, seconds (see the module doc).
OVERLAP_S = 1.5
# A span must hold at least this many seconds of its own frames to be worth a process: a process
# costs a pose-model load and the lead-in (OVERLAP_S of pose work), which should stay a small part.
MIN_SPAN_S = 3.0
# Progress is sent every this many frames.
PROGRESS_FRAMES = 10


@dataclass(frozen=True)
class Span:
    """Frames [start, stop) of a clip, tracked from `lead` (<= start); stop None: to the end."""

    lead: int
    start: int
    stop: int | None


def split(frames: int, fps: float, workers: int) -> list[Span]:
    """The clip's frames in at most `workers` spans of equal pose work (a span's own frames plus
    its lead-in); one span when the clip is too short for more to pay."""
    overlap = round(OVERLAP_S * fps)
    n = max(1, min(workers, int(frames // (MIN_SPAN_S * fps)) if fps > 0 else 1))
    if n == 1:
        return [Span(0, 0, None)]
    # Every span does the same pose work, (frames + (n - 1) * overlap) / n poses: span 0 has no
    # lead-in and covers `work` frames, every later span `work - overlap` of its own.
    work = (frames + (n - 1) * overlap) / n
    starts = [0] + [round(work + (k - 1) * (work - overlap)) for k in range(1, n)]
    return [Span(max(0, s - overlap) if k else 0, s, starts[k + 1] if k + 1 < n else None)
            for k, s in enumerate(starts)]


def pose_pass(path: str, info: VideoInfo, workers: int = 1, *, crop: Box | None = None,
              people: bool = True, progress: Progress | None = None,
              stage: str = "pose") -> tuple[PoseSequence, PeopleCheck]:
    """Run the pose model over every frame of the clip (on `crop` of each frame when given), in
    up to `workers` processes. Returns the raw poses and, with people=True, what the second-person
    probe found (an empty check otherwise). progress(fraction, stage) as frames are done."""
    done = _Counter(info.frames, progress, stage)
    if workers <= 1:
        return _span_pass(path, info, Span(0, 0, None), crop, people, done.add)
    if graphs_made():
        log.info("the pose model already ran in this process, which therefore cannot fork: "
                 "one pose pass here instead of %d processes", workers)
        return _span_pass(path, info, Span(0, 0, None), crop, people, done.add)
    # Even one span runs in a worker: the pose model never runs here, so this process can fork
    # again for the next clip (a service's job worker analyses clip after clip).
    return _forked_pass(path, info, split(info.frames, info.fps, workers), crop, people, done)


class _Counter:
    """Frames done across spans, reported as progress(fraction, stage) every PROGRESS_FRAMES."""

    def __init__(self, total: int, progress: Progress | None, stage: str) -> None:
        self.total, self.progress, self.stage = max(total, 1), progress, stage
        self.done = 0
        self._reported = 0

    def add(self, frames: int) -> None:
        self.done += frames
        if self.progress is not None and self.done - self._reported >= PROGRESS_FRAMES:
            self._reported = self.done
            self.progress(min(self.done / self.total, 1.0), self.stage)


def _span_pass(path: str, info: VideoInfo, span: Span, crop: Box | None, people: bool,
               on_frames: Callable[[int], None],
               lead_in: list[PoseSequence] | None = None) -> tuple[PoseSequence, PeopleCheck]:
    """One tracker over a span: the poses of its own frames and the probe's findings on them
    (the lead-in's poses appended to `lead_in` when given)."""
    probe = PeopleProbe(info.frames, info.fps) if people else None

    def on_frame(frame: Frame, pose: object) -> None:
        if frame.index < span.start:
            return
        if probe is not None:
            probe.observe(frame, pose)  # type: ignore[arg-type]
        on_frames(1)

    frames = iter_frames(path, span.stop, start=span.lead)
    if crop is not None:
        frames = cropped(frames, crop)
    try:
        seq = estimate_poses(frames, info.fps, None, on_frame)
    finally:
        if probe is not None:
            probe.close()
    if span.start > span.lead:
        own = min(span.start - span.lead, len(seq))
        if lead_in is not None:
            lead_in.append(seq.slice(0, own))
        seq = seq.slice(own, len(seq))
    return seq, probe.check if probe is not None else PeopleCheck()


def joined(parts: list[PoseSequence], fps: float) -> PoseSequence:
    """Consecutive spans' poses as one sequence."""
    full = [p for p in parts if len(p)]
    if not full:
        return parts[0]
    first = full[0]
    return PoseSequence(
        image_xy=np.concatenate([p.image_xy for p in full]),
        world_xyz=np.concatenate([p.world_xyz for p in full]),
        visibility=np.concatenate([p.visibility for p in full]),
        t=np.concatenate([p.t for p in full]),
        width=first.width, height=first.height, fps=fps,
        image_contrast=np.concatenate([p.image_contrast for p in full]))


def merged(checks: list[PeopleCheck]) -> PeopleCheck:
    """The probes of consecutive spans as one check (in frame order, as a single pass sees them)."""
    return PeopleCheck([b for c in checks for b in c.tracked], [b for c in checks for b in c.other],
                       sum(c.probes for c in checks))


def _forked_pass(path: str, info: VideoInfo, spans: list[Span], crop: Box | None, people: bool,
                 done: _Counter) -> tuple[PoseSequence, PeopleCheck]:
    import mediapipe  # noqa: F401  (imported once here, inherited by every worker)

    def task(span: Span) -> Task:
        def run(send: Send) -> tuple[PoseSequence, PeopleCheck, PoseSequence | None]:
            pending = 0

            def on_frames(n: int) -> None:
                nonlocal pending
                pending += n
                if pending >= PROGRESS_FRAMES:
                    send(pending)
                    pending = 0

            lead_in: list[PoseSequence] = []
            seq, check = _span_pass(path, info, span, crop, people, on_frames, lead_in)
            send(pending)
            return seq, check, lead_in[0] if lead_in else None

        return run

    log.debug("pose pass in %d processes: %s", len(spans), spans)
    results = run_forked([task(span) for span in spans], lambda _i, n: done.add(n))
    for k in range(1, len(results)):
        before, lead_in = results[k - 1][0], results[k][2]
        if lead_in is not None and not same_person(before.slice(len(before) - len(lead_in),
                                                                len(before)), lead_in):
            # A tracker started cold may lock on to someone else in frame (a coach, a training
            # partner): the split cannot follow the single pass's person, so do the single pass.
            log.info("the tracker of span %d followed another person than span %d's: "
                     "one pose pass instead", k, k - 1)
            done.total = done.done + info.frames  # progress goes on from where it is
            one = run_forked([task(Span(0, 0, None))], lambda _i, n: done.add(n))[0]
            return one[0], one[1]
    return joined([r[0] for r in results], info.fps), merged([r[1] for r in results])


# Of the frames both trackers found someone in, over the last SAME_PERSON_S of a lead-in, the
# share where they agree on the person (their boxes overlap by at least people.MAX_OVERLAP, the
# second-person probe's own "that is the same person").
SAME_PERSON_S = 0.5
SAME_PERSON_SHARE = 0.5


def same_person(a: PoseSequence, b: PoseSequence) -> bool:
    """Do two passes over the same frames follow the same person (at the end of the frames)?"""
    n = min(len(a), len(b), max(1, round(SAME_PERSON_S * a.fps)))
    agree = seen = 0
    for xa, xb in zip(a.image_xy[len(a) - n:], b.image_xy[len(b) - n:], strict=True):
        box_a, box_b = Box.of(xa), Box.of(xb)
        if box_a is None or box_b is None:
            continue
        seen += 1
        agree += min(box_a.overlap(box_b), box_b.overlap(box_a)) >= MAX_OVERLAP
    return seen == 0 or agree >= SAME_PERSON_SHARE * seen
