"""`formcheck session` on recordings joined from the labelled real clips (read in place; the joined
video lives in a temporary folder only): clips of different exercises, and one per-leg clip with
its mirror image (the other leg), each followed by 10 s of rest (the last frame held), at one size
and frame rate. Every set must be found with its leg, its exercise right or flagged unsure, and its
reps per leg within one of analysing the clip alone.

The whole recording is joined from the clips' poses (the pose model runs once per clip per test
run, tests/footage_run.py) the way the video is joined from their frames; a shorter recording of
two of the clips is joined as a video and run through the pose model end to end."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck import analyze_poses
from formcheck.exercises.registry import get_exercise
from formcheck.pose.sequence import PoseSequence
from formcheck.session import SessionReport, analyze_session_poses, analyze_session_video
from formcheck.session.synthetic import still
from formcheck.video import iter_frames, probe
from tests.conftest import footage_labels

pytestmark = pytest.mark.footage

SIZE = (1280, 720)
FPS = 30.0
REST_S = 10.0
# The shortest usable clip labelled with high confidence of each exercise with a set of at least
# two reps (lunge: its mirror image added as the other leg).
CLIPS = [("squat_front_nowva_1.mp4", False), ("lunge_45deg_rnhrn_1.mp4", False),
         ("lunge_45deg_rnhrn_1.mp4", True), ("calf_raise_rear_rnhrn_1.mp4", False),
         ("deadlift_side_rnhrn_1.mp4", False)]
# Joined as a video: the two shortest, one per leg and one two-legged.
VIDEO_CLIPS = [("lunge_45deg_rnhrn_1.mp4", True), ("deadlift_side_rnhrn_1.mp4", False)]


def _fit(image: np.ndarray, mirror: bool) -> np.ndarray:
    """The frame scaled into SIZE with borders (letterbox), mirrored when asked."""
    h, w = image.shape[:2]
    k = min(SIZE[0] / w, SIZE[1] / h)
    small = cv2.resize(image, (int(w * k), int(h * k)))
    canvas = np.zeros((SIZE[1], SIZE[0], 3), dtype=np.uint8)
    y0, x0 = (SIZE[1] - small.shape[0]) // 2, (SIZE[0] - small.shape[1]) // 2
    canvas[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    return cv2.flip(canvas, 1) if mirror else canvas


def _frames_at_fps(count: int, src_fps: float) -> list[int]:
    """Which source frame each frame of the joined recording shows (count at src_fps)."""
    return [min(int(k / FPS * src_fps), count - 1) for k in range(int(count / src_fps * FPS))]


def join(paths: list[tuple[Path, bool]], out: Path) -> list[tuple[float, float]]:
    """Write the clips one after another at SIZE and FPS with REST_S still after each; returns
    each clip's (start_s, end_s) in the joined video."""
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    spans, n = [], 0
    try:
        for path, mirror in paths:
            frames = [_fit(f.image, mirror) for f in iter_frames(path)]
            shown = _frames_at_fps(len(frames), probe(path).fps)
            start = n / FPS
            for k in shown:
                writer.write(frames[k])
            n += len(shown)
            spans.append((start, n / FPS))
            for _ in range(int(REST_S * FPS)):
                writer.write(frames[-1])
            n += int(REST_S * FPS)
    finally:
        writer.release()
    return spans


def join_poses(parts: list[tuple[PoseSequence, bool]]) -> tuple[PoseSequence, list[tuple[float, float]]]:
    """The poses of the recording `join` writes: each clip's poses placed as its frames are (scaled
    into SIZE with borders, mirrored when asked, at FPS), REST_S of the last pose held after each
    (the pose model's jitter on a still frame, 1 px); with each clip's (start_s, end_s)."""
    pieces, spans, n = [], [], 0
    for seq, mirror in parts:
        k = min(SIZE[0] / seq.width, SIZE[1] / seq.height)
        w, h = int(seq.width * k), int(seq.height * k)
        origin = np.array([(SIZE[0] - w) // 2, (SIZE[1] - h) // 2])
        xy = (seq.image_xy * [w, h] + origin) / SIZE
        placed = PoseSequence(xy, seq.world_xyz, seq.visibility, seq.t, SIZE[0], SIZE[1], FPS,
                              image_contrast=seq.image_contrast)
        if mirror:
            placed = placed.mirrored()
        shown = _frames_at_fps(len(seq), seq.fps)
        placed = placed.replace_arrays(**{name: getattr(placed, name)[shown] for name in
                                          ("image_xy", "world_xyz", "visibility", "t", "image_contrast")})
        spans.append((n / FPS, (n + len(shown)) / FPS))
        rest = still(placed, REST_S, seed=len(pieces))
        rest = rest.replace_arrays(image_contrast=np.full(len(rest), placed.image_contrast[-1]))
        pieces += [placed, rest]
        n += len(placed) + len(rest)
    joined = PoseSequence(np.concatenate([p.image_xy for p in pieces]),
                          np.concatenate([p.world_xyz for p in pieces]),
                          np.concatenate([p.visibility for p in pieces]), np.arange(n) / FPS,
                          SIZE[0], SIZE[1], FPS,
                          image_contrast=np.concatenate([p.image_contrast for p in pieces]))
    return joined, spans


def alone(seq: PoseSequence, mirror: bool, exercise: str) -> dict[str, int]:
    """Reps per leg (or {"all": n} for two-legged work) of the clip analysed on its own."""
    report = analyze_poses(seq.mirrored() if mirror else seq, get_exercise(exercise)).report
    return report.reps_by_side if report.reps_by_side is not None else {"all": report.rep_count}


def _check_sets(session: SessionReport, clips: list[tuple[str, bool]],
                spans: list[tuple[float, float]], footage_run) -> None:
    labels = {lab["file"]: lab for lab in footage_labels()}
    found = [(s.exercise, s.side, round(s.start_s, 1), round(s.end_s, 1)) for s in session.sets]
    assert len(session.sets) == len(clips), found
    for s, (name, mirror), (lo, hi) in zip(session.sets, clips, spans, strict=True):
        want = get_exercise(labels[name]["exercise"]).id
        assert lo - 2 <= s.start_s and s.end_s <= hi + 2, (name, found, spans)
        sure = bool(s.recognition and s.recognition["sure"])
        assert s.exercise == want or not sure, (name, s.recognition)
        if s.exercise != want:
            continue  # unsure and wrong: the set is analysed as the best guess
        expected = alone(footage_run.poses(name), mirror, want)
        got = s.report.reps_by_side if s.report.reps_by_side is not None else {"all": s.rep_count}
        assert all(abs(got[k] - expected[k]) <= 1 for k in expected), (name, got, expected)
    assert len(session.rests) == len(clips) - 1
    assert all(r["duration_s"] >= REST_S - 3 for r in session.rests), session.rests
    lunge = [s.side for s in session.sets if s.exercise == "lunge"]
    assert len(lunge) < 2 or set(lunge) == {"left", "right"}


def test_joined_real_clips_are_split_into_their_sets(footage_run):
    joined, spans = join_poses([(footage_run.poses(name), mirror) for name, mirror in CLIPS])
    _check_sets(analyze_session_poses(joined), CLIPS, spans, footage_run)


def test_a_joined_real_video_is_split_into_its_sets(footage_run, tmp_path):
    spans = join([(footage_run.footage / "clips" / name, mirror) for name, mirror in VIDEO_CLIPS],
                 tmp_path / "session.mp4")
    _check_sets(analyze_session_video(tmp_path / "session.mp4"), VIDEO_CLIPS, spans, footage_run)
