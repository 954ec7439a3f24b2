"""Live recognition frame by frame: decided within the first two reps, and the same answer as
offline recognition on the same poses."""

from __future__ import annotations

import pytest

from formcheck import synth
from formcheck.pose.frame import PoseFrame
from formcheck.recognition import recognise
from formcheck.recognition.live import CHECK_S, LiveRecognizer, dips
from formcheck.smoothing import smooth_sequence
from formcheck.synth.engine import Tempo

CLIPS = {
    "squat": lambda: synth.squat(view="front", reps=5, noise_px=1.5, seed=4),
    "single_leg_deadlift": lambda: synth.single_leg_deadlift(side="left", view="side", reps=5),
    "pistol_squat": lambda: synth.pistol(side="right", view="front45", reps=5, noise_px=1.0),
}


def feed_all(seq, rec: LiveRecognizer) -> None:
    for i in range(len(seq)):
        rec.feed(PoseFrame(seq.image_xy[i], seq.world_xyz[i], seq.visibility[i]), float(seq.t[i]))


@pytest.mark.parametrize("exercise", sorted(CLIPS))
def test_live_recognition_is_decided_within_two_reps_and_agrees_with_offline(exercise):
    seq = CLIPS[exercise]()
    live = LiveRecognizer(seq.width, seq.height, seq.fps)
    feed_all(seq, live)
    offline = recognise(smooth_sequence(seq))
    final = live.current()
    assert final is not None and final.exercise == offline.exercise == exercise
    assert final.confidence == pytest.approx(offline.confidence)
    assert live.decided is not None and live.decided.exercise == exercise
    second_rep_ends = Tempo(reps=5).windows()[1][2]
    assert live.decided_at is not None and live.decided_at <= second_rep_ends + CHECK_S + 0.5


def test_nothing_is_decided_before_two_reps():
    seq = CLIPS["squat"]()
    one_rep = seq.slice(0, int(Tempo(reps=5).windows()[0][2] * seq.fps) + 5)
    live = LiveRecognizer(seq.width, seq.height, seq.fps)
    feed_all(one_rep, live)
    assert dips(one_rep) == 1 and live.decided is None and live.current() is None
