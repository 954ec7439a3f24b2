"""Every fault says how sure it is: margins, uncertainty by view, visibility, frame rate and the
clip's own rep-to-rep spread; clear against possible; what the terminal and live cues make of it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcheck import analyze_poses, get_exercise, synth
from formcheck.exercises.checks import KNEE_VALGUS
from formcheck.exercises.pistol_squat import TOO_FAST
from formcheck.faults import FAULTS, MEASURE_UNCERTAINTY, describe
from formcheck.report import Fault, Rep
from formcheck.rules import grade, margin, oblique_factor, pitch_tilt
from tests.test_pipeline import feed_live


def test_margin_is_positive_when_worse_for_both_directions():
    assert margin(KNEE_VALGUS, 15.0) == pytest.approx(3.0)  # above 12: worse
    assert margin(KNEE_VALGUS, 10.0) == pytest.approx(-2.0)
    assert margin(TOO_FAST, 0.5) == pytest.approx(0.3)  # below 0.8 s: worse
    assert margin(TOO_FAST, 1.0) == pytest.approx(-0.2)


def _rep(index: int, value: float, u: float, margin_value: float | None = None) -> Rep:
    faults = ()
    if margin_value is not None:
        faults = (Fault("knee_valgus", "minor", 1.0, value, 12.0, "deg", "cue", "left", index,
                        margin=margin_value, uncertainty=u),)
    return Rep(index, "left", 0.0, 1.0, 2.0, faults, {"knee_valgus.left": value},
               {"knee_valgus.left": u})


def test_clear_beyond_the_uncertainty_possible_within_it():
    reps = grade([_rep(1, 30.0, 8.0, 18.0), _rep(2, 15.0, 8.0, 3.0)])
    assert [f.confidence for r in reps for f in r.faults] == ["clear", "possible"]
    assert "clearly past it" in reps[0].faults[0].message
    assert "worth a look" in reps[1].faults[0].message


def test_the_spread_of_the_clips_clean_reps_widens_the_uncertainty():
    steady = grade([_rep(1, 21.0, 8.0, 9.0)] + [_rep(i, 5.0, 8.0) for i in range(2, 6)])
    assert steady[0].faults[0].confidence == "clear"
    # The same rep among clean reps that scatter by ten degrees is no longer sure.
    values = [-10.0, 8.0, 0.0, 11.0, -6.0]
    scattered = grade([_rep(1, 21.0, 8.0, 9.0)] + [_rep(i + 2, v, 8.0) for i, v in enumerate(values)])
    assert scattered[0].faults[0].confidence == "possible"
    assert scattered[0].uncertainty["knee_valgus.left"] > 12.0


def test_the_faults_themselves_do_not_widen_the_uncertainty():
    # Reps that cave in by very different amounts are each judged against the clean reps only.
    reps = [_rep(1, 40.0, 8.0, 28.0), _rep(2, 25.0, 8.0, 13.0), _rep(3, 60.0, 8.0, 48.0)] + [
        _rep(i, 2.0 + i, 8.0) for i in range(4, 8)]
    graded = grade(reps)
    assert [r.faults[0].confidence for r in graded[:3]] == ["clear"] * 3


def test_grading_again_gives_the_same_answer():
    reps = [_rep(i, 10.0 + 3 * i, 8.0, 3 * i - 2.0 if i > 0 else None) for i in range(5)]
    assert grade(reps) == grade(reps)


def test_a_valgus_pistol_is_clear_and_a_borderline_one_possible():
    bad = analyze_poses(synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0,
                                     valgus_deg=30.0), get_exercise("pistol_squat")).report
    assert {(f.code, f.confidence) for f in bad.faults} == {("knee_valgus", "clear")}
    near = analyze_poses(synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0,
                                      valgus_deg=15.0), get_exercise("pistol_squat")).report
    assert {(f.code, f.confidence) for f in near.faults} == {("knee_valgus", "possible")}
    assert all(0 < f.margin < f.uncertainty for f in near.faults)
    clean = analyze_poses(synth.pistol(side="left", view="front", reps=3, depth_deg=90.0,
                                       rep_s=3.0), get_exercise("pistol_squat")).report
    assert not clean.faults


def test_poorly_seen_landmarks_and_low_frame_rates_widen_the_uncertainty():
    seq = synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0, valgus_deg=30.0)
    sharp = analyze_poses(seq, get_exercise("pistol_squat")).report.reps[0].uncertainty["knee_valgus.left"]
    vis = np.array(seq.visibility)
    vis[:, 23:29] = 0.6  # hips, knees and ankles seen at 0.6
    dim = analyze_poses(seq.replace_arrays(visibility=vis), get_exercise("pistol_squat")).report
    stated = MEASURE_UNCERTAINTY["knee_valgus"].frontal
    assert sharp == pytest.approx(stated, rel=0.05)
    assert dim.reps[0].uncertainty["knee_valgus.left"] == pytest.approx(stated / 0.6, rel=0.01)
    slow = synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0,
                        valgus_deg=30.0, fps=12.0)
    slow_u = analyze_poses(slow, get_exercise("pistol_squat")).report.reps[0].uncertainty["knee_valgus.left"]
    assert slow_u == pytest.approx(sharp * np.sqrt(30 / 12), rel=0.05)


def test_oblique_views_widen_as_the_body_turns_toward_the_camera():
    assert oblique_factor(45.0) == pytest.approx(1.0)
    assert oblique_factor(30.0) == pytest.approx(2.0)
    assert oblique_factor(90.0) == pytest.approx(0.5)


def test_a_camera_above_the_body_tilts_level_segments_only_when_they_point_toward_it():
    assert pitch_tilt(30.0, 90.0) == pytest.approx(0.0, abs=1e-9)  # side-on: no depth to mix in
    assert pitch_tilt(30.0, 0.0) == pytest.approx(26.57, abs=0.01)  # atan(sin 30)
    assert pitch_tilt(30.0, 45.0) == pytest.approx(19.47, abs=0.01)


def test_squat_depth_read_obliquely_carries_the_camera_height_and_times_do_not_shrink():
    kw = {"reps": 3, "depth_deg": 125.0, "rep_s": 1.4}
    side = analyze_poses(synth.squat(view="side", **kw), get_exercise("squat")).report
    turned = analyze_poses(synth.squat(view="front45", **kw), get_exercise("squat")).report
    u_side = max(v for r in side.reps for k, v in r.uncertainty.items()
                 if k.startswith("shallow_depth"))
    u_turn = max(v for r in turned.reps for k, v in r.uncertainty.items()
                 if k.startswith("shallow_depth"))
    assert u_side < 10.0 and u_turn > 18.0  # the pitch term, atan(sin 30 x cos 45) = 19.5 deg
    pistol = {"reps": 3, "rep_s": 1.2, "depth_deg": 120.0}
    for view in ("front", "front45"):
        report = analyze_poses(synth.pistol(view=view, **pistol), get_exercise("pistol_squat")).report
        assert all(r.uncertainty["too_fast"] >= MEASURE_UNCERTAINTY["eccentric_s"].frontal
                   for r in report.reps), view


def test_side_rules_read_from_a_turned_side_view_with_a_wider_uncertainty():
    side = analyze_poses(synth.squat(view="side", reps=3, depth_deg=125.0, heel_lift_deg=25.0),
                         get_exercise("squat")).report
    turned = analyze_poses(synth.squat(view="front45", reps=3, depth_deg=125.0, heel_lift_deg=25.0),
                           get_exercise("squat")).report
    assert turned.view == "front45"
    assert "heel_lift" in {f.code for f in turned.faults}
    u_side = max(v for r in side.reps for k, v in r.uncertainty.items() if k.startswith("heel"))
    u_turn = max(v for r in turned.reps for k, v in r.uncertainty.items() if k.startswith("heel"))
    assert u_turn > u_side
    assert "forward_lean" not in {n.code for n in turned.not_assessed}


def test_a_foot_outside_the_picture_is_not_judged():
    seq = synth.squat(view="side", reps=3, depth_deg=125.0, heel_lift_deg=25.0)
    xy = np.array(seq.image_xy)
    bottom = np.argmax(xy[:, 23, 1])  # hips lowest: the first rep's bottom
    xy[bottom - 10:bottom + 10, 29:33, 1] += 1.0  # heels and toes pushed below the frame
    report = analyze_poses(seq.replace_arrays(image_xy=xy), get_exercise("squat")).report
    assert "heel_lift" not in {f.code for f in report.reps[0].faults}
    assert any("out of the frame" in n.reason for n in report.not_assessed) or len(report.reps) > 1


def test_live_speaks_clear_faults_only_and_grades_like_offline():
    seq = synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0, valgus_deg=15.0)
    offline = analyze_poses(seq, get_exercise("pistol_squat")).report
    live = feed_live(seq, "pistol_squat")
    assert [[(f.code, f.confidence) for f in r.faults] for r in live.reps] == [
        [(f.code, f.confidence) for f in r.faults] for r in offline.reps]
    from formcheck.live import _rep_event

    event = _rep_event(live.reps[-1])
    assert event["faults"] and event["faults"][0]["confidence"] == "possible"
    assert event["cue"] is None


def test_report_json_carries_confidence_margin_and_schema_2():
    report = analyze_poses(synth.pistol(side="left", view="front", reps=3, depth_deg=90.0, rep_s=3.0,
                                        valgus_deg=30.0), get_exercise("pistol_squat")).report
    d = report.to_dict()
    assert d["schema_version"] == 2 and d["per_leg"] is True
    fault = d["reps"][0]["faults"][0]
    for key in ("code", "severity", "time_s", "value", "limit", "unit", "cue", "confidence",
                "margin", "uncertainty", "title", "message"):
        assert key in fault
    assert fault["confidence"] in ("clear", "possible")
    assert fault["margin"] == pytest.approx(fault["value"] - fault["limit"], abs=0.01)
    assert "confidence" in report.to_csv().splitlines()[0]


def test_describe_speaks_units_a_runner_reads():
    text = describe("heel_lift", "right", 0.09, 0.05, "leg", 0.04, 0.03, True)
    assert text.startswith("Right heel lifting: 9% of leg length, 4% of leg length past")
    assert "clearly" in text


def test_the_catalogue_names_every_fault_once():
    titles = [f.title for f in FAULTS.values()]
    assert len(titles) == len(set(titles))
    assert all(u.source for u in MEASURE_UNCERTAINTY.values())


def test_a_changed_limit_still_grades():
    strict = replace(KNEE_VALGUS, limit=5.0)
    assert margin(strict, 15.0) == pytest.approx(10.0)


def test_what_the_pose_model_cannot_tell_is_said_with_how_to_judge_it():
    front = analyze_poses(synth.pistol(side="left", view="front", reps=3, rep_s=3.0),
                          get_exercise("pistol_squat")).report
    caveat = [n for n in front.not_assessed if n.code == "pelvic_drop"]
    assert caveat and "hip landmarks nearly level" in caveat[0].reason
    assert "from behind" in caveat[0].how_to_film
    side = analyze_poses(synth.pistol(side="left", view="side", reps=3, rep_s=3.0),
                         get_exercise("pistol_squat")).report
    assert [n.reason for n in side.not_assessed if n.code == "pelvic_drop"] == [
        "needs a back or front view"]


def test_a_front_squat_says_a_caving_knee_may_be_missed_and_how_to_see_it():
    front = analyze_poses(synth.squat(view="front", reps=3, depth_deg=110.0), get_exercise("squat")).report
    caveat = [n for n in front.not_assessed if n.code == "knee_valgus"]
    assert caveat and "may be missed" in caveat[0].reason
    assert "knees against the feet" in caveat[0].how_to_film
    side = analyze_poses(synth.squat(view="side", reps=3, depth_deg=110.0), get_exercise("squat")).report
    assert [n.reason for n in side.not_assessed if n.code == "knee_valgus"] == [
        "needs a back or front view"]
