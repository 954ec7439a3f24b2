"""Rendered mannequin clips: the real pose model finds the figure and measures what was drawn.

Runs MediaPipe over the committed fixture clips in fixtures/videos (each clip once per run, shared
with the other tests of the fixture clips: conftest.fixture_poses).
Biases and tolerances per check are in each clip's expected.json (calibration: formcheck.mannequin).
"""

import json
from functools import cache
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import geometry as g
from formcheck import mannequin, synth
from formcheck.pose.estimate import estimate_poses
from formcheck.pose.landmarks import joint
from formcheck.pose.sequence import PoseSequence
from formcheck.video import iter_frames, probe

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "videos"
EXPECTED = {p.name.removesuffix(".expected.json"): json.loads(p.read_text())
            for p in sorted(FIXTURES.glob("*.expected.json"))}
WITH_PERSON = [name for name, e in EXPECTED.items() if e["reps"] > 0]

pytestmark = pytest.mark.skipif(not EXPECTED, reason=f"no rendered fixtures in {FIXTURES}")


@cache
def poses(name: str) -> PoseSequence:
    path = FIXTURES / EXPECTED[name]["file"]
    return estimate_poses(iter_frames(path), probe(path).fps)


def at_bottoms(seq: PoseSequence, values: np.ndarray, rep_times: list) -> np.ndarray:
    """Median of 5 frames around each rep's bottom."""
    out = []
    for _, bottom, _ in rep_times:
        i = int(np.argmin(np.abs(seq.t - bottom)))
        out.append(np.nanmedian(values[max(i - 2, 0):i + 3]))
    return np.array(out)


def test_fixture_files_are_short_small_browser_playable_h264():
    videos = sorted(FIXTURES.glob("*.mp4"))
    assert {v.name for v in videos} == {e["file"] for e in EXPECTED.values()}
    assert sum(v.stat().st_size for v in videos) < 3_000_000
    for video in videos:
        assert video.stat().st_size < 500_000, video.name
        assert probe(video).duration_s <= 8.05, video.name
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            assert (stream.codec_context.name, stream.codec_context.pix_fmt) == ("h264", "yuv420p")


@pytest.mark.parametrize("name", WITH_PERSON)
def test_the_mannequin_is_found_with_its_legs_visible(name, fixture_poses):
    seq = fixture_poses(name)
    assert seq.detected().mean() >= 0.95
    for side in EXPECTED[name]["visible_sides"]:
        for part in ("hip", "knee", "ankle"):
            vis = seq.vis(joint(part, side))[seq.detected()]
            assert np.median(vis) >= 0.6, f"{side} {part}: median visibility {np.median(vis):.2f}"


@pytest.mark.parametrize("name", WITH_PERSON)
def test_measured_angles_match_the_drawn_ones(name, fixture_poses):
    seq, exp = fixture_poses(name), EXPECTED[name]
    lead = exp["rep_times"][0][0]
    for check in exp["checks"]:
        fn = getattr(g, check["signal"])
        values = fn(seq, check["side"]) if check["side"] else fn(seq)
        if check["baseline"]:
            values = values - np.nanmedian(values[seq.t < lead - 0.1])
        measured = at_bottoms(seq, values, exp["rep_times"])
        error = measured - np.array(check["drawn"]) - check["bias"]
        assert np.all(np.abs(error) <= check["tolerance"]), (
            f"{check['signal']} {check['side']}: drawn {check['drawn']}, measured "
            f"{np.round(measured, 1).tolist()} (bias {check['bias']}, tol {check['tolerance']})")


def test_nobody_is_found_in_the_empty_clip():
    name = next(n for n, e in EXPECTED.items() if e["reps"] == 0)
    assert poses(name).detected().sum() == 0


def test_render_clip_writes_every_frame_and_leaves_missing_ones_empty(tmp_path):
    seq = synth.squat(view="side", reps=1, rep_s=0.5, pause_s=0.0, lead_s=0.1, tail_s=0.1,
                      drop_frames=(3,), size=(320, 240))
    path = mannequin.render_clip(seq, tmp_path / "tiny.mp4")
    frames = list(iter_frames(path))
    assert len(frames) == len(seq)
    assert frames[0].image.shape == (240, 320, 3)
    assert probe(path).fps == pytest.approx(30.0)
    drawn = list(mannequin.frames(seq))
    empty = drawn[3][: seq.height // 2]  # above the floor line: background only
    assert (empty == np.array(mannequin.BACKGROUND, np.uint8)).all()
    assert not (drawn[4][: seq.height // 2] == np.array(mannequin.BACKGROUND, np.uint8)).all()
