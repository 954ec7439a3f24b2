"""A clip filmed with the phone on its side, and a deadlift set that starts at lockout."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck import analyze_poses, synth
from formcheck.exercises.registry import get_exercise
from formcheck.geometry import body_scale
from formcheck.judging import cut_reps
from formcheck.pose.orientation import body_up_deg, turned, upright_turns
from formcheck.smoothing import smooth_sequence
from formcheck.synth import sets as poses


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_squat_filmed_on_its_side_counts_as_filmed_upright(turns):
    upright = synth.squat(view="side", reps=3, depth_deg=120.0)
    sideways = turned(upright, 4 - turns)  # the frame as a phone on its side recorded it
    assert abs(body_up_deg(sideways)) > 60
    assert upright_turns(sideways) == turns
    assert np.allclose(turned(sideways, turns).image_xy, upright.image_xy, equal_nan=True)
    a = analyze_poses(upright, get_exercise("squat"))
    b = analyze_poses(sideways, get_exercise("squat"))
    assert b.report.rep_count == a.report.rep_count == 3
    assert b.turns == turns and a.turns == 0
    assert any("on its side" in w for w in b.report.warnings)
    assert (b.poses.width, b.poses.height) == (a.poses.width, a.poses.height)


def test_a_bridge_lying_across_the_frame_is_left_as_it_is():
    bridge = synth.bridge(view="side", reps=3)
    assert analyze_poses(bridge, get_exercise("glute_bridge")).turns == 0


def test_an_upright_clip_is_not_turned():
    assert upright_turns(synth.pistol(side="left", view="front", reps=2)) == 0


def test_a_deadlift_set_that_starts_at_lockout_counts_every_rep():
    floor_start = poses.deadlift(reps=3)
    assert analyze_poses(floor_start, get_exercise("deadlift")).report.rep_count == 3
    # The same set filmed from the first lockout to the last: lower, pull, lower, pull.
    n = len(floor_start)
    shoulder_y = floor_start.px(11)[:, 1]
    first_top = int(np.argmin(shoulder_y[: n // 3]))
    last_top = 2 * n // 3 + int(np.argmin(shoulder_y[2 * n // 3:]))
    clip = floor_start.slice(first_top, last_top + 1)
    clip = clip.replace_arrays(t=clip.t - clip.t[0])
    assert analyze_poses(clip, get_exercise("deadlift")).report.rep_count == 2
    primary_only = replace(get_exercise("deadlift"), reverse_driver=None)
    driver, windows = cut_reps(primary_only, smooth_sequence(clip), body_scale(smooth_sequence(clip)))
    assert len(windows) == 1  # cut floor-first, only one lower-and-pull fits
