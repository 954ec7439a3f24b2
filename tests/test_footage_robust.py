"""The labelled real clips made harder the way users' own clips are: filmed at a phone's low frame
rate, or cut to a single rep with hardly a moment before and after it.

The poses are the footage run's (tests/footage_run.py: the pose model once per clip); each clip is
thinned or cut and analysed again with its labelled exercise. Thinning the poses of a 24-30 fps
pass is not a 12 fps recording run through the tracker, but it is what the rules and the rep
counter see of one: fewer frames, wider gaps, a coarser bottom of each rep.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from formcheck.evaluation import ClipResult, evaluate_poses, score
from formcheck.pose.sequence import PoseSequence
from tests.test_footage import _usable

pytestmark = pytest.mark.footage

# Phone clips are often 12 fps or less; every clip is thinned to at most this.
PHONE_FPS = 12.0
# A rep cut out of its clip keeps this much before its start and after its end (seconds).
CUT_MARGINS_S = (0.1, 0.3)
# A PoseSequence's per-frame arrays.
PER_FRAME = ("image_xy", "world_xyz", "visibility", "t", "image_contrast")


def thinned(seq: PoseSequence, fps: float) -> PoseSequence:
    """Every k-th frame, k the smallest step that brings the frame rate to at most `fps`."""
    k = max(1, math.ceil(seq.fps / fps - 1e-9))
    every = {name: getattr(seq, name)[::k] for name in PER_FRAME}
    return replace(seq, fps=seq.fps / k, **every)


@pytest.fixture(scope="module")
def phone_rate(footage_run, footage_results) -> list[tuple[ClipResult, ClipResult]]:
    """(full rate, thinned to PHONE_FPS) for every usable clip."""
    return [(r, evaluate_poses(r.label, thinned(footage_run.poses(r.file), PHONE_FPS)))
            for r in _usable(footage_results)]


def test_thinning_keeps_every_kth_frame():
    t = np.arange(90) / 30.0
    seq = PoseSequence(np.zeros((90, 33, 2)), np.zeros((90, 33, 3)), np.ones((90, 33)), t, 640, 480,
                       30.0)
    low = thinned(seq, PHONE_FPS)
    assert low.fps == pytest.approx(10.0) and len(low) == 30
    assert np.allclose(np.diff(low.t), 0.1)
    phone = PoseSequence(seq.image_xy, seq.world_xyz, seq.visibility, t * 30 / 12, 640, 480, 12.0)
    assert len(thinned(phone, PHONE_FPS)) == 90  # already 12 fps: left as it is


def test_reps_hold_at_a_phone_frame_rate(phone_rate):
    low = [thin for _, thin in phone_rate]
    assert len(low) >= 60
    far = [f"{r.file}: {r.got_reps} vs {r.label['reps']}" for r in low if not r.reps_off_by_one()]
    assert not far
    s = score(low)
    assert s.exact >= 0.95 * s.usable, s.summary()


def test_fault_calls_hold_at_a_phone_frame_rate(phone_rate):
    """Fewer frames make a measurement less certain, never a clean rep faulty: no fault the
    labels list absent is called clear, and every listed fault found at the full rate is still
    found (clear or possible)."""
    s = score([thin for _, thin in phone_rate])
    reported, total = s.absent_reported()
    assert total > 100 and reported <= 0.02 * total, s.summary()
    lost = [(full.file, code) for full, thin in phone_rate
            for code in full.label.get("faults_present", [])
            if code in full.reported_codes() and code not in thin.reported_codes()]
    assert not lost
    gained = [(full.file, sorted(thin.clear_codes() - full.clear_codes()))
              for full, thin in phone_rate
              if not full.label.get("faults_present") and thin.clear_codes() - full.clear_codes()]
    assert not gained


@pytest.mark.parametrize("margin_s", CUT_MARGINS_S)
def test_a_single_rep_cut_tight_is_counted(footage_run, footage_results, margin_s):
    """Each of a clip's first two labelled reps, cut out with margin_s either side, counts one rep
    (a short clip of one rep is what many people film)."""
    cuts, missed = 0, []
    for r in _usable(footage_results):
        times = r.label.get("rep_times") or []
        if not times or r.label["exercise"] == "walking_bridge":  # a rep there is one leg's turn
            continue
        raw = footage_run.poses(r.file)
        for start, *_, end in times[:2]:
            i0, i1 = np.searchsorted(raw.t, [start - margin_s, end + margin_s])
            part = raw.slice(int(i0), int(i1))
            part = part.replace_arrays(t=part.t - part.t[0])
            got = evaluate_poses(r.label, part)
            cuts += 1
            if got.got_reps != 1:
                missed.append(f"{r.file} {start:.1f}-{end:.1f} s: {got.got_reps or got.error}")
    assert cuts >= 50
    assert len(missed) <= 0.05 * cuts, missed
