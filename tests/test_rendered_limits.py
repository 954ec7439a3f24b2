"""Each fault family rendered as a video and run through the whole pipeline (pose model included).

A ladder of reps drawn from inside a rule's limit to beyond it (formcheck.synth.limits): every rep
is counted on the working leg, the fault is reported exactly on the reps measured beyond the limit,
every rep drawn beyond the limit measures further out than every rep drawn inside it, and reps
drawn further than the family's tolerance from the limit get the drawing's verdict. The
drawn-versus-measured table is in fixtures/videos/README.md.
"""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.synth.limits import LADDERS, Ladder, run

# Metrics are reported to 4 significant figures: this close to the limit a value may lie either side.
REPORTED_PRECISION = 1e-3
JUDGED = [ladder for ladder in LADDERS if ladder.tolerance is not None]


@pytest.mark.parametrize("ladder", JUDGED, ids=lambda ladder: ladder.name)
def test_rendered_fault_is_found_beyond_its_limit_and_not_inside(ladder: Ladder):
    rule = ladder.rule()
    rungs, counted = run(ladder)
    assert counted == len(ladder.offsets), f"{counted} reps counted of {len(ladder.offsets)}"
    if ladder.working_side is not None:
        assert [r.side for r in rungs] == [ladder.working_side] * counted
    measured = [r.measured for r in rungs]
    assert all(m is not None and np.isfinite(m) for m in measured), measured
    for r in rungs:
        assert r.measured is not None
        beyond = r.measured > rule.limit if rule.direction == "above" else r.measured < rule.limit
        if abs(r.measured - rule.limit) > REPORTED_PRECISION * max(1.0, abs(rule.limit)):
            assert r.flagged == beyond, f"rep {r.rep}: measured {r.measured}, flagged {r.flagged}"
    # The measurement follows the drawing: every rep drawn beyond the limit measures further out
    # than every rep drawn inside it (sign: + further in the fault's direction).
    sign = 1.0 if rule.direction == "above" else -1.0
    inside = [sign * m for m, off in zip(measured, ladder.offsets, strict=True) if off < 0]
    beyond = [sign * m for m, off in zip(measured, ladder.offsets, strict=True) if off > 0]
    assert min(beyond) > max(inside), list(zip(ladder.drawn(), measured, strict=True))
    assert ladder.tolerance is not None
    for r, off in zip(rungs, ladder.offsets, strict=True):
        if abs(off) >= ladder.tolerance:
            assert r.flagged == (off > 0), f"drawn {r.drawn} (limit {rule.limit}): measured {r.measured}"


@pytest.mark.parametrize("view", ["back", "front"])
def test_rendered_hip_hikes_are_counted_on_the_standing_leg_from_front_and_back(view, tmp_path):
    from formcheck import analyze_video, get_exercise, synth
    from formcheck.mannequin import render_clip

    seq = synth.hip_hike(side="left", view=view, reps=3, drop_deg=14.0, size=(720, 720),
                         rep_s=2.4, pause_s=0.3)
    path = tmp_path / f"hip_hike_{view}.mp4"
    render_clip(seq, path)
    report = analyze_video(path, get_exercise("hip_hike")).report
    assert report.reps_by_side == {"left": 3, "right": 0}
    ranges = [r.metrics.get("insufficient_range") for r in report.reps]
    assert all(v is not None and abs(v - 14.0) < 3.5 for v in ranges), ranges
    assert not report.faults
