"""Sessions from synthetic recordings with known answers: routine 1 drawn by the synth engine,
joined by rests; a per-leg set on one leg then the other without rest; a recording of rest only."""

from __future__ import annotations

import json

import numpy as np
import pytest

from formcheck import analyze_poses, get_exercise, synth
from formcheck.plans import get_plan
from formcheck.recognition.synthetic import clip
from formcheck.session import analyze_session_poses
from formcheck.session.synthetic import join, still

# The view each exercise of routine 1 is filmed from (its rules' best view), as yaw degrees.
YAW = {"walking_bridge": 90.0, "single_leg_hip_thrust": 90.0, "hip_hike": 180.0, "front_step_up": 60.0,
       "side_step_up": 60.0, "pistol_squat": 30.0, "single_leg_deadlift": 60.0, "hot_salsa": 60.0}
MOVEMENT = {"front_step_up": "step_up", "side_step_up": "step_up"}
ALTERNATING = {"walking_bridge", "hot_salsa"}
REPS = 5
# Rest between sets: half still in the last pose, half in the next set's starting pose.
REST_S = 20.0


def alone(part, exercise: str):
    """The clip analysed on its own as a user films one set: standing still for 2 s before and
    after it."""
    lead = still(part.slice(0, 1), 2.0, seed=0)
    return analyze_poses(join([lead, part], [0.0, 2.0]), get_exercise(exercise)).report


def _reps(report) -> dict[str, int]:
    return report.reps_by_side if report.reps_by_side is not None else {"all": report.rep_count}


@pytest.fixture(scope="module")
def routine():
    plan = get_plan("single_leg_routine")
    parts, truth = [], []
    for k, item in enumerate(plan.items):
        sides = ("left",) if item.exercise in ALTERNATING else ("left", "right")
        for side in sides:
            seed = 100 + 2 * k + (side == "right")
            if item.exercise == "hip_hike":  # the synth engine's own builder, filmed from behind
                part = synth.hip_hike(side=side, view="back", reps=REPS, noise_px=1.0, seed=seed)
            else:
                part = clip(MOVEMENT.get(item.exercise, item.exercise), side, REPS, YAW[item.exercise],
                            seed=seed)
            parts.append(part)
            truth.append((item.exercise, None if item.exercise in ALTERNATING else side,
                          _reps(alone(part, item.exercise))))
    seq = join(parts, [REST_S] * len(parts))
    return plan, truth, analyze_session_poses(seq, plan)


def test_every_set_of_routine_1_is_found_with_its_exercise_leg_and_reps(routine):
    plan, truth, session = routine
    got = [(s.exercise, s.side, _reps(s.report)) for s in session.sets]
    assert len(got) == len(truth), got
    for (ex, side, reps), (want_ex, want_side, want_reps) in zip(got, truth, strict=True):
        assert ex == want_ex, (got, truth)
        if want_side is not None:
            assert side == want_side, (ex, side, want_side)
        assert all(abs(reps[k] - want_reps[k]) <= 1 for k in want_reps), (ex, reps, want_reps)


def test_routine_1_session_json_has_sets_rests_plan_and_legs(routine):
    plan, truth, session = routine
    data = json.loads(session.to_json())
    assert [s["index"] for s in data["sets"]] == list(range(1, len(truth) + 1))
    for s in data["sets"]:
        assert set(s) >= {"index", "exercise", "side", "start_s", "end_s", "rep_count", "reps_by_side",
                          "report"}
        assert s["end_s"] > s["start_s"] and s["report"]["exercise"] == s["exercise"]
    assert len(data["rests"]) == len(truth) - 1
    # Rests are the stillness between sets: the drawn rest, less the moment of getting into position.
    assert all(REST_S / 2 <= r["duration_s"] <= REST_S + 3 for r in data["rests"]), data["rests"]
    check = data["plan"]
    assert check["id"] == "single_leg_routine" and not check["missing"] and not check["extra"]
    # Five reps a set is short of every routine-1 prescription but the pistol squat's (5-10).
    statuses = {it["exercise"]: it["status"] for it in check["items"]}
    assert statuses["pistol_squat"] == "as planned"
    assert "short of 10 reps" in statuses["front_step_up"]
    legs = data["summary"]["left_vs_right"]
    assert legs["compared"] >= 4 and "single-leg exercises" in legs["verdict"]


def test_one_leg_then_the_other_without_rest_is_two_sets():
    left = clip("pistol_squat", "left", 4, 30.0, seed=7)
    right = clip("pistol_squat", "right", 4, 30.0, seed=8)
    seq = join([left, right], [2.0])
    session = analyze_session_poses(seq)
    assert [(s.exercise, s.side) for s in session.sets] == [("pistol_squat", "left"),
                                                            ("pistol_squat", "right")]
    assert [s.report.reps_by_side for s in session.sets] == [{"left": 4, "right": 0},
                                                             {"left": 0, "right": 4}]
    assert session.rests[0]["duration_s"] < 8.0


def test_two_exercises_separated_by_rest_are_two_sets():
    squat = clip("squat", "left", 4, 0.0, seed=11)
    bridge = clip("glute_bridge", "left", 4, 90.0, seed=12)
    session = analyze_session_poses(join([squat, bridge], [REST_S]))
    assert [s.exercise for s in session.sets] == ["squat", "glute_bridge"]
    assert [s.rep_count for s in session.sets] == [4, 4]
    assert session.to_dict()["summary"]["exercises"]["squat"]["sets"] == 1


def test_a_recording_of_rest_only_says_so():
    standing = clip("squat", "left", 1, 0.0, seed=3).slice(0, 5)
    session = analyze_session_poses(still(standing, 60.0, seed=1))
    assert session.sets == () and "no movement" in session.warnings[0]
    data = session.to_dict()
    assert data["sets"] == [] and data["rests"] == [] and data["summary"]["reps"] == 0


def test_nobody_in_frame_says_so():
    standing = clip("squat", "left", 1, 0.0, seed=3).slice(0, 5)
    empty = still(standing, 20.0, seed=1)
    empty = empty.replace_arrays(image_xy=np.full_like(empty.image_xy, np.nan),
                                 visibility=np.zeros_like(empty.visibility))
    session = analyze_session_poses(empty)
    assert session.sets == () and "nobody" in session.warnings[0]


def test_a_change_of_exercise_without_rest_is_two_sets():
    squat = clip("squat", "left", 8, 0.0, seed=21)
    pistol = clip("pistol_squat", "left", 8, 0.0, seed=22)
    session = analyze_session_poses(join([squat, pistol], [1.0]))
    assert [s.exercise for s in session.sets] == ["squat", "pistol_squat"], session.to_dict()["sets"]
    assert [s.rep_count for s in session.sets] == [8, 8]


@pytest.mark.parametrize("sure", [True, False])
def test_a_set_judged_as_a_guess_has_its_faults_possible(monkeypatch, sure):
    # Knees caving in on every squat of a set: clear when the squat is recognised for certain,
    # possible when it is only the best guess (the set's report then says so first).
    import formcheck.session as session_module
    from formcheck.recognition import Recognition

    caving = synth.squat(view="front", reps=4, seed=5, valgus_deg=20)
    seq = join([still(caving.slice(0, 1), 5.0, seed=0), caving, still(caving.slice(0, 1), 5.0, seed=1)],
               [0.0, 0.0])
    guess = Recognition("squat", 0.9 if sure else 0.5, sure, (("lunge", 0.1),), (),
                        (("squat", 0.9 if sure else 0.5), ("lunge", 0.1)))
    monkeypatch.setattr(session_module, "recognise", lambda seq, allowed=None: guess)
    (one,) = analyze_session_poses(seq).sets
    faults = one.report.faults
    assert one.exercise == "squat" and one.rep_count == 4 and len(faults) == 4
    assert {f.confidence for f in faults} == ({"clear"} if sure else {"possible"})
    assert any("not sure" in w for w in one.report.warnings) is not sure


def test_a_set_named_by_the_athlete_is_that_exercise_and_the_others_stay_as_recognised():
    squat = clip("squat", "left", 4, 0.0, seed=11)
    bridge = clip("glute_bridge", "left", 4, 90.0, seed=12)
    seq = join([squat, bridge], [REST_S])
    first = analyze_session_poses(seq)
    middle = (first.sets[0].start_s + first.sets[0].end_s) / 2
    again = analyze_session_poses(seq, named=[(middle, "Back squat")])  # an alias of squat
    assert [s.exercise for s in again.sets] == ["squat", "glute_bridge"]
    assert again.sets[0].named and again.sets[0].recognition is None
    assert not again.sets[1].named and again.sets[1].to_dict() == first.sets[1].to_dict()
    named = analyze_session_poses(seq, named=[(middle, "deadlift")])
    assert [s.exercise for s in named.sets] == ["deadlift", "glute_bridge"]
    assert named.sets[0].report.exercise == "deadlift" and named.to_dict()["sets"][0]["named"] is True
    assert "deadlift" in named.to_dict()["summary"]["exercises"]
    assert "squat" not in named.to_dict()["summary"]["exercises"]


def test_a_session_read_back_from_its_pose_log_is_the_session(tmp_path):
    from formcheck.session import analyze_session_log, read_pose_log
    from formcheck.session.poselog import PoseLogWriter

    squat = clip("squat", "left", 4, 0.0, seed=11)
    bridge = clip("glute_bridge", "left", 4, 90.0, seed=12)
    seq = join([squat, bridge], [REST_S])
    path = tmp_path / "poses.log"
    with PoseLogWriter(path, seq.width, seq.height, seq.fps) as log:
        for i in range(len(seq)):
            log.write(float(seq.t[i]), seq.image_xy[i], seq.world_xyz[i], seq.visibility[i],
                      float(seq.image_contrast[i]))
        assert not path.exists()  # complete only once closed
    read = read_pose_log(path)
    assert read is not None and len(read) == len(seq) and (read.width, read.height) == (seq.width, seq.height)
    t, xy, world, vis, _ = list(read.frames())[100]
    assert t == pytest.approx(seq.t[100], abs=1e-4)
    np.testing.assert_allclose(xy, seq.image_xy[100], atol=1e-5)
    np.testing.assert_allclose(world, seq.world_xyz[100], atol=1e-5)
    direct, logged = analyze_session_poses(seq), analyze_session_log(read)
    assert [(s.exercise, s.side, s.rep_count, s.start_s) for s in logged.sets] == [
        (s.exercise, s.side, s.rep_count, pytest.approx(s.start_s, abs=0.05)) for s in direct.sets]


def test_a_pose_log_that_is_missing_unfinished_or_not_one_reads_as_none(tmp_path):
    from formcheck.session import read_pose_log
    from formcheck.session.poselog import PoseLogWriter

    assert read_pose_log(tmp_path / "none.log") is None
    (tmp_path / "junk.log").write_bytes(b"not a pose log at all")
    assert read_pose_log(tmp_path / "junk.log") is None
    (tmp_path / "short.log").write_bytes(b"FC")
    assert read_pose_log(tmp_path / "short.log") is None
    path = tmp_path / "cut.log"
    with pytest.raises(RuntimeError), PoseLogWriter(path, 640, 480, 30.0):
        raise RuntimeError("the pose pass stopped")
    assert not path.exists() and not path.with_name("cut.log.partial").exists()
