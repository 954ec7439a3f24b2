"""`formcheck session` on recordings joined from the labelled real clips (read in place; the joined
video lives in a temporary folder only): clips of different exercises, and one per-leg clip with
its mirror image (the other leg), each followed by 10 s of rest (the last frame held), at one size
and frame rate. Every set must be found with its leg, its exercise right or flagged unsure, and its
reps per leg within one of analysing the clip alone."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck import analyze_poses, extract_poses
from formcheck.exercises.registry import get_exercise
from formcheck.session import analyze_session_video
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


def _fit(image: np.ndarray, mirror: bool) -> np.ndarray:
    """The frame scaled into SIZE with borders (letterbox), mirrored when asked."""
    h, w = image.shape[:2]
    k = min(SIZE[0] / w, SIZE[1] / h)
    small = cv2.resize(image, (int(w * k), int(h * k)))
    canvas = np.zeros((SIZE[1], SIZE[0], 3), dtype=np.uint8)
    y0, x0 = (SIZE[1] - small.shape[0]) // 2, (SIZE[0] - small.shape[1]) // 2
    canvas[y0:y0 + small.shape[0], x0:x0 + small.shape[1]] = small
    return cv2.flip(canvas, 1) if mirror else canvas


def join(paths: list[tuple[Path, bool]], out: Path) -> list[tuple[float, float]]:
    """Write the clips one after another at SIZE and FPS with REST_S still after each; returns
    each clip's (start_s, end_s) in the joined video."""
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    spans, n = [], 0
    try:
        for path, mirror in paths:
            frames = [_fit(f.image, mirror) for f in iter_frames(path)]
            src_fps = probe(path).fps
            count = int(len(frames) / src_fps * FPS)
            start = n / FPS
            for k in range(count):
                writer.write(frames[min(int(k / FPS * src_fps), len(frames) - 1)])
            n += count
            spans.append((start, n / FPS))
            for _ in range(int(REST_S * FPS)):
                writer.write(frames[-1])
            n += int(REST_S * FPS)
    finally:
        writer.release()
    return spans


def alone(path: Path, mirror: bool, exercise: str) -> dict[str, int]:
    """Reps per leg (or {"all": n} for two-legged work) of the clip analysed on its own."""
    seq = extract_poses(path)[0]
    report = analyze_poses(seq.mirrored() if mirror else seq, get_exercise(exercise)).report
    return report.reps_by_side if report.reps_by_side is not None else {"all": report.rep_count}


def test_joined_real_clips_are_split_into_their_sets(footage, tmp_path):
    labels = {lab["file"]: lab for lab in footage_labels()}
    paths = [(footage / "clips" / name, mirror) for name, mirror in CLIPS]
    spans = join(paths, tmp_path / "session.mp4")
    session = analyze_session_video(tmp_path / "session.mp4")
    found = [(s.exercise, s.side, round(s.start_s, 1), round(s.end_s, 1)) for s in session.sets]
    assert len(session.sets) == len(CLIPS), found
    for s, (path, mirror), (lo, hi) in zip(session.sets, paths, spans, strict=True):
        want = get_exercise(labels[path.name]["exercise"]).id
        assert lo - 2 <= s.start_s and s.end_s <= hi + 2, (path.name, found, spans)
        sure = bool(s.recognition and s.recognition["sure"])
        assert s.exercise == want or not sure, (path.name, s.recognition)
        if s.exercise != want:
            continue  # unsure and wrong: the set is analysed as the best guess
        expected = alone(path, mirror, want)
        got = s.report.reps_by_side if s.report.reps_by_side is not None else {"all": s.rep_count}
        assert all(abs(got[k] - expected[k]) <= 1 for k in expected), (path.name, got, expected)
    assert len(session.rests) == len(CLIPS) - 1
    assert all(r["duration_s"] >= REST_S - 3 for r in session.rests), session.rests
    lunge = [s.side for s in session.sets if s.exercise == "lunge"]
    assert len(lunge) < 2 or set(lunge) == {"left", "right"}
