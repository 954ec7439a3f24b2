"""The pose pass and the annotated video split between processes give what one process gives.

The tracker of a split span starts cold OVERLAP_S early (formcheck.pose.parallel); its landmarks
are not bit-identical to the single pass's, so the reports are compared: same reps (times within a
frame), legs and faults, every metric within that rep's measurement uncertainty (formcheck.rules:
the jitter the smoothed landmarks still carry, for the view and frame rate). A fault's grade
(clear, or possible when it is past the limit by less than that uncertainty) is not compared: a
value about its uncertainty past the limit may change grade with a difference of a degree. The
split passes run in a fresh process (tests/split_pass.py): MediaPipe cannot fork once it has run
in a process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import VideoError
from formcheck.forked import WorkerDied, run_forked
from formcheck.pose.parallel import MIN_SPAN_S, OVERLAP_S, Span, split
from formcheck.pose.sequence import PoseSequence
from formcheck.video import iter_frames, probe

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "videos"
FOOTAGE_CLIPS = ROOT.parent / "shared" / "footage" / "clips"


# --- spans -------------------------------------------------------------------------------------

@pytest.mark.parametrize("frames", [240, 241, 420, 901, 18000])
@pytest.mark.parametrize("workers", [2, 3, 4])
def test_spans_cover_every_frame_once_with_equal_work(frames, workers):
    spans = split(frames, 30.0, workers)
    assert len(spans) == min(workers, frames // round(MIN_SPAN_S * 30))
    assert spans[0] == Span(0, 0, spans[1].start)
    assert spans[-1].stop is None
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.stop == b.start
        assert b.start - b.lead == round(OVERLAP_S * 30)
    ends = [s.stop if s.stop is not None else frames for s in spans]
    work = [end - s.lead for s, end in zip(spans, ends, strict=True)]
    assert max(work) - min(work) <= 2


def test_a_clip_too_short_to_split_is_one_span():
    assert split(60, 30.0, 2) == [Span(0, 0, None)]
    assert split(120, 30.0, 4) == split(120, 30.0, 1) == [Span(0, 0, None)]
    assert len(split(180, 30.0, 4)) == 2


def test_frames_from_a_start_are_those_of_a_pass_from_the_first_frame():
    clip = FIXTURES / "squat_side_shallow.mp4"
    whole = list(iter_frames(clip))
    part = list(iter_frames(clip, 150, start=100))
    assert [f.index for f in part] == list(range(100, 150))
    assert [f.t for f in part] == [f.t for f in whole[100:150]]
    assert all(np.array_equal(a.image, b.image) for a, b in zip(part, whole[100:150], strict=True))
    assert list(iter_frames(clip, start=10_000)) == []


def test_same_person_is_told_from_someone_beside_them():
    from formcheck.pose.landmarks import NUM_LANDMARKS
    from formcheck.pose.parallel import same_person
    from formcheck.pose.sequence import PoseSequence
    from tests.test_overlay import standing

    def seq(xy: np.ndarray) -> PoseSequence:
        n = len(xy)
        return PoseSequence(xy, np.zeros((n, NUM_LANDMARKS, 3)), np.ones((n, NUM_LANDMARKS)),
                            np.arange(n) / 30.0, 1280, 720, 30.0)

    body = np.repeat(standing()[None] * 0.5, 20, axis=0)  # a figure in the left half
    jitter = body + np.random.default_rng(0).normal(0, 0.003, body.shape)
    beside = body + [0.5, 0.0]  # the same figure in the right half
    assert same_person(seq(body), seq(jitter))
    assert not same_person(seq(body), seq(beside))
    nobody = np.full_like(body, np.nan)
    assert same_person(seq(nobody), seq(body))  # nobody to compare: no evidence of another


# --- the forked workers ------------------------------------------------------------------------

def test_forked_tasks_return_in_order_and_report_progress():
    seen: list[tuple[int, int]] = []

    def task(k: int):
        def run(send):
            for i in range(3):
                send(i)
            return k * 10, os.getpid()
        return run

    results = run_forked([task(k) for k in range(3)], lambda i, v: seen.append((i, v)))
    assert [r[0] for r in results] == [0, 10, 20]
    assert len({r[1] for r in results} | {os.getpid()}) == 4  # three other processes
    assert sorted(seen) == [(i, v) for i in range(3) for v in range(3)]


def test_an_error_in_a_worker_is_raised_in_the_caller():
    def bad(send):
        raise VideoError("clip.mp4: no frame could be decoded")

    with pytest.raises(VideoError, match="no frame could be decoded"):
        run_forked([lambda send: 1, bad])


def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(WorkerDied):
        run_forked([lambda send: os.kill(os.getpid(), signal.SIGKILL)])


# --- the same report ---------------------------------------------------------------------------

def _split_and_single(clip: Path, exercise: str, tmp_path: Path, workers: int = 2,
                      one: PoseSequence | None = None) -> dict:
    """The reports of the split pass and of the single pass (`one`: its poses, made already)."""
    given = []
    if one is not None:
        tmp_path.mkdir(parents=True, exist_ok=True)
        one.save(tmp_path / "one_given.npz")
        given = [str(tmp_path / "one_given.npz")]
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "split_pass.py"), str(clip),
                           exercise, str(workers), str(tmp_path), *given], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((tmp_path / "reports.json").read_text())


def _assert_same_report(one: dict, split_: dict, fps: float) -> None:
    assert split_["rep_count"] == one["rep_count"]
    assert split_["reps_by_side"] == one["reps_by_side"]
    assert split_["view"] == one["view"]
    for a, b in zip(one["reps"], split_["reps"], strict=True):
        assert a["side"] == b["side"]
        for key in ("start_s", "bottom_s", "end_s"):
            assert abs(a[key] - b[key]) <= 1.01 / fps, (key, a, b)
        assert sorted(f["code"] for f in a["faults"]) == sorted(f["code"] for f in b["faults"])
        for name, value in a["metrics"].items():
            if not isinstance(value, float) or not np.isfinite(value):
                continue
            tol = a["uncertainty"].get(name)
            assert tol is not None and abs(b["metrics"][name] - value) <= tol, (
                f"rep {a['index']} {name}: {b['metrics'][name]} split, {value} one pass, "
                f"uncertainty {tol}")
    assert [n["code"] for n in split_["not_assessed"]] == [n["code"] for n in one["not_assessed"]]


def _straddles(report: dict, spans: list, fps: float) -> bool:
    """Is a split point inside one of the reps?"""
    cuts = [s[1] / fps for s in spans[1:]]
    return any(r["start_s"] < c < r["end_s"] for r in report["reps"] for c in cuts)


# Rendered clips (formcheck.mannequin): the split point of two workers (4.7 s) falls inside the
# bridge's third rep, the pistol's second and the squat's third; the squat has depth faults, the
# pistol valgus on one leg.
RENDERED = [("glute_bridge_side", "glute_bridge"), ("pistol_front_left_valgus", "pistol_squat"),
            ("squat_side_shallow", "squat")]


@pytest.mark.parametrize(("name", "exercise"), RENDERED)
def test_split_pose_pass_gives_the_single_pass_report_on_rendered_clips(name, exercise, fixture_poses,
                                                                        tmp_path):
    clip = FIXTURES / f"{name}.mp4"
    fps = probe(clip).fps
    out = _split_and_single(clip, exercise, tmp_path, one=fixture_poses(name))
    assert len(out["spans"]) == 2
    assert out["one"]["rep_count"] >= 3
    _assert_same_report(out["one"], out["split"], fps)
    assert _straddles(out["one"], out["spans"], fps)


def test_three_workers_give_the_single_pass_report(fixture_poses, tmp_path):
    clip = FIXTURES / "single_leg_deadlift_side_left.mp4"
    out = _split_and_single(clip, "single_leg_deadlift", tmp_path, workers=3,
                            one=fixture_poses("single_leg_deadlift_side_left"))
    assert len(out["spans"]) == 2  # 8 s: two spans of at least MIN_SPAN_S
    _assert_same_report(out["one"], out["split"], probe(clip).fps)


# Real clips, one per leg and one two-legged: the pose pass itself is under test, so poses cached
# between runs cannot stand in; the single pass the footage tests made in this run can
# (tests/footage_run.py). In three spans the split points of the split squat fall inside its
# second and third reps; in two the squat's falls between reps.
REAL = [("bulgarian_split_squat_side_aipt_1.mp4", "bulgarian_split_squat", 3, True),
        ("squat_side_aitrainer_1.mp4", "squat", 2, False)]


@pytest.mark.footage
@pytest.mark.parametrize(("name", "exercise", "workers", "straddles"), REAL)
def test_split_pose_pass_gives_the_single_pass_report_on_real_clips(name, exercise, workers,
                                                                    straddles, footage_run, tmp_path):
    clip = FOOTAGE_CLIPS / name
    if not clip.exists():
        pytest.skip(f"labelled footage not found at {clip}")
    fps = probe(clip).fps
    one = footage_run.poses(name) if footage_run.fresh else None
    out = _split_and_single(clip, exercise, tmp_path, workers, one)
    assert len(out["spans"]) == workers
    assert out["one"]["rep_count"] >= 3
    _assert_same_report(out["one"], out["split"], fps)
    assert _straddles(out["one"], out["spans"], fps) == straddles


def test_split_pass_still_follows_the_athlete_beside_a_bystander(bystander_poses, tmp_path):
    """The second-person probe runs in the span workers; their findings, merged, must still make
    the pass follow the athlete (formcheck.pose.people)."""
    clip, one, info = bystander_poses(athlete_on_the_left=False)
    fps = info.fps
    out = _split_and_single(clip, "squat", tmp_path / "out", one=one)
    assert len(out["spans"]) == 2
    for report in (out["one"], out["split"]):
        assert report["rep_count"] == 4
        assert any("two people" in w or "another person" in w for w in report["warnings"])
    assert out["split"]["warnings"] == out["one"]["warnings"]  # the same decision on the probes
    _assert_same_report(out["one"], out["split"], fps)
    hips = np.load(tmp_path / "out" / "split.npz")["image_xy"][:, 23, 0]
    assert np.nanmedian(hips) > 0.5  # the athlete's half of the frame
