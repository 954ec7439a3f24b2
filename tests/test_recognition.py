"""Exercise recognition: the shipped model on clips drawn by the synth builders (not the training
generator), mirror invariance, restriction to a plan, safe loading, analyze without an exercise."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from formcheck import analysis as analysis_module
from formcheck import analyze_poses, get_exercise, synth
from formcheck.evaluation import ClipResult
from formcheck.recognition import SAME_MOVEMENT, Recognition, load_model, recognise
from formcheck.recognition.features import N_FEATURES, features
from formcheck.recognition.model import MODEL_PATH, Classifier, ModelError
from formcheck.recognition.scoring import confusion_lines, score_recognition
from formcheck.report import Report
from formcheck.smoothing import smooth_sequence

# Builder clips the recogniser never saw (the synth builders' own geometry and tempo), each in a
# view people film it from.
CLIPS = {
    "squat": lambda: synth.squat(view="front", reps=4, noise_px=1.5, seed=3),
    "pistol_squat": lambda: synth.pistol(side="right", view="front45", reps=3, noise_px=1.5),
    "glute_bridge": lambda: synth.bridge(view="side", reps=4),
    "single_leg_deadlift": lambda: synth.single_leg_deadlift(side="left", view="side", reps=3),
    "lunge": lambda: synth.lunge(side="left", view="side", reps=4),
    "calf_raise": lambda: synth.calf_raise(view="side", reps=4),
    "step_up": lambda: synth.step_up(side="right", view="side", reps=4),
}


@pytest.mark.parametrize("exercise", sorted(CLIPS))
def test_builder_clips_are_recognised(exercise):
    rec = recognise(smooth_sequence(CLIPS[exercise]()))
    assert rec.exercise == exercise, rec.message()
    assert rec.alternatives and all(e != exercise for e, _ in rec.alternatives)
    assert 0 < rec.confidence <= 1


def test_a_mirrored_clip_is_the_same_exercise():
    seq = smooth_sequence(synth.pistol(side="left", view="side", reps=3))
    assert np.allclose(features(seq), features(seq.mirrored()), equal_nan=True)


def test_allowed_restricts_the_answer_and_names_the_plan_id():
    seq = smooth_sequence(CLIPS["step_up"]())
    rec = recognise(seq, allowed=["front_step_up", "pistol_squat"])
    assert rec.exercise == "front_step_up"
    assert "step_up" in rec.same_movement
    squat = recognise(smooth_sequence(CLIPS["squat"]()), allowed=["lunge", "glute_bridge"])
    assert squat.exercise in ("lunge", "glute_bridge")


def test_analyze_without_an_exercise_recognises_it():
    analysis = analyze_poses(synth.squat(view="front", reps=4, seed=5), None)
    report = analysis.report.to_dict()
    assert report["exercise"] == "squat" and report["recognition"]["exercise"] == "squat"
    assert set(report["recognition"]) >= {"confidence", "alternatives", "sure"}
    given = analyze_poses(synth.squat(view="front", reps=4, seed=5), get_exercise("squat")).report.to_dict()
    assert "recognition" not in given and given["rep_count"] == report["rep_count"] == 4


def _recognised_as(monkeypatch, ranked: list[tuple[str, float]]) -> None:
    """analyze_poses recognises every clip, sure, as `ranked` says, most likely first."""
    rec = Recognition(ranked[0][0], ranked[0][1], True, tuple(ranked[1:4]), (), tuple(ranked))
    monkeypatch.setattr(analysis_module, "_recognise", lambda raw: rec)


def test_a_recognised_exercise_that_counts_no_rep_gives_way_to_one_that_does(monkeypatch):
    # A calf raise's counter finds no rep in a squat: the next candidate that counts reps is
    # taken, and the report says it is not sure, with the first guess among the alternatives.
    _recognised_as(monkeypatch, [("calf_raise", 0.8), ("squat", 0.1), ("lunge", 0.05),
                                 ("glute_bridge", 0.05)])
    report = analyze_poses(synth.squat(view="side", reps=4, seed=5), None).report.to_dict()
    assert report["exercise"] == "squat" and report["rep_count"] == 4
    rec = report["recognition"]
    assert rec["exercise"] == "squat" and rec["confidence"] == 0.1 and rec["sure"] is False
    assert [a["exercise"] for a in rec["alternatives"]] == ["calf_raise", "lunge", "glute_bridge"]
    assert rec["no_reps"] == ["calf_raise"]
    assert any("not sure" in w and "squat 10% (calf_raise counted no rep in it)" in w
               for w in report["warnings"])


def test_when_no_candidate_counts_a_rep_the_first_guess_stays(monkeypatch):
    _recognised_as(monkeypatch, [("squat", 0.9), ("lunge", 0.05), ("glute_bridge", 0.05)])
    still = synth.squat(view="side", reps=1, seed=5, depth_deg=0.0)
    report = analyze_poses(still, None).report.to_dict()
    assert report["rep_count"] == 0
    assert report["recognition"]["exercise"] == "squat" and report["recognition"]["sure"] is True
    assert report["recognition"]["no_reps"] == []


def _unsure_as(monkeypatch, ranked: list[tuple[str, float]]) -> None:
    rec = Recognition(ranked[0][0], ranked[0][1], False, tuple(ranked[1:4]), (), tuple(ranked))
    monkeypatch.setattr(analysis_module, "_recognise", lambda raw: rec)


def test_faults_judged_as_an_exercise_recognised_without_certainty_are_only_possible(monkeypatch):
    # Knees caving in well past the squat's limit: clear when the squat is named or recognised for
    # certain; judged as a guess, the same faults are worth a look, and say why.
    caving = synth.squat(view="front", reps=4, seed=5, valgus_deg=20)
    named = analyze_poses(caving, get_exercise("squat")).report
    assert named.faults and all(f.clear for f in named.faults)
    _recognised_as(monkeypatch, [("squat", 0.9), ("lunge", 0.05), ("glute_bridge", 0.05)])
    sure = analyze_poses(caving, None).report
    assert [f.confidence for f in sure.faults] == [f.confidence for f in named.faults]
    _unsure_as(monkeypatch, [("squat", 0.5), ("lunge", 0.3), ("glute_bridge", 0.2)])
    guess = analyze_poses(caving, None).report
    assert [(f.code, f.side, f.value) for f in guess.faults] == [
        (f.code, f.side, f.value) for f in named.faults]
    assert all(f.confidence == "possible" for f in guess.faults)
    assert all("may not be one" in f.message and "squat" in f.message for f in guess.faults)
    assert any("marked possible until the exercise is named" in w for w in guess.warnings)
    # Left versus right still counts them: only how sure they are changes.
    assert guess.asymmetry == named.asymmetry


def test_a_walking_bridge_recognised_with_no_exercise_counts_as_when_named(footage_run):
    # Real footage: a marching bridge, whose hips stay up (a glute bridge's counter finds no rep
    # in it), recognised and counted as when the exercise is named.
    clip = "single_leg_bridge_side_lifeenh_1.mp4"
    poses = footage_run.poses(clip)
    named = analyze_poses(poses, get_exercise("walking_bridge")).report
    recognised = analyze_poses(poses, None).report
    assert recognised.rep_count == named.rep_count == 4
    assert recognised.reps_by_side == named.reps_by_side == {"left": 2, "right": 2}
    assert recognised.recognition is not None
    assert recognised.recognition["exercise"] == "walking_bridge"


@pytest.mark.parametrize("name", ["walking_bridge", "plyometric_lunge", "hot_salsa", "walking_lunge"])
def test_clips_on_alternating_legs_move_only_as_far_as_their_reps_carry_them(name):
    # Each rep is drawn on its own and placed where the last one ended: a marching bridge or a
    # jumping lunge stays where it is, a walking lunge moves forward about a step per rep.
    from formcheck.pose.landmarks import Landmark
    from formcheck.recognition.synthetic import raw_example

    pts, _, _ = raw_example(name, np.random.default_rng(7), reps=6, side="left")
    hips = np.nanmean(pts[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 2], axis=1)
    moved = float(hips[-1] - hips[0])
    if name == "walking_lunge":
        assert 6 * 0.4 < moved < 6 * 1.1  # steps of 0.55-1.0 m
    else:
        assert abs(moved) < 0.1
    assert np.abs(np.diff(hips)).max() < 0.15  # no rep starts anywhere but where the last ended


def test_drawn_lateral_lunges_bend_one_knee_and_keep_the_other_leg_straight():
    # Real lateral lunges: the knees move against each other (correlation -0.9 and -0.3 on the
    # labelled clips). Drawn with both knees bending together they were wide squats, and real
    # squatters with a wide stance read as lateral lunges.
    from formcheck.recognition.features import feature_names
    from formcheck.recognition.synthetic import example

    names = feature_names()
    drawn = np.array([features(example("lateral_lunge", np.random.default_rng(k))) for k in range(12)])
    assert np.median(drawn[:, names.index("corr.kf_lr")]) < 0.3
    assert np.median(drawn[:, names.index("kf.less.p90")]) < 30
    assert np.median(drawn[:, names.index("kf.more.p90")]) > 60


def test_a_jump_exercise_is_sure_only_when_a_jump_was_seen():
    # A jump squat, its flights seen: sure. The same clip's features with no flight seen, to a
    # model (threshold lowered) still confident it is a jump squat: the same answer, not sure, and
    # the report says why. Other exercises are not held to it.
    from formcheck.recognition import recognise_features
    from formcheck.recognition.features import feature_names
    from formcheck.recognition.synthetic import clip

    model = load_model()
    lenient = Classifier(model.classes, model.feature_names, model.mean, model.std, model.layers,
                         threshold=0.3)
    x = features(smooth_sequence(clip("jump_squat", "left", 4, 20.0, seed=4)))
    jumps = feature_names().index("jumps.per_dip")
    seen = recognise_features(x, lenient)
    assert x[jumps] > 0 and seen.exercise == "jump_squat" and seen.sure and not seen.unsure_because
    no_flight = x.copy()
    no_flight[jumps] = 0.0
    unseen = recognise_features(no_flight, lenient)
    assert unseen.exercise == "jump_squat" and unseen.confidence >= lenient.threshold
    assert not unseen.sure and unseen.unsure_because == "no jump was seen, which a jump squat needs"
    assert "(no jump was seen, which a jump squat needs)" in unseen.message()
    assert unseen.to_dict()["unsure_because"] == unseen.unsure_because
    squat = recognise(smooth_sequence(CLIPS["squat"]()), model=lenient)
    assert squat.exercise == "squat" and squat.sure and not squat.unsure_because


def test_unsure_recognition_is_said_in_the_report(tmp_path):
    model = load_model()
    strict = Classifier(model.classes, model.feature_names, model.mean, model.std, model.layers,
                        threshold=1.01)
    rec = recognise(smooth_sequence(CLIPS["squat"]()), model=strict)
    assert not rec.sure and "not sure" in rec.message() and "--exercise" in rec.message()


def test_the_model_file_is_small_plain_json_with_its_digest_in_the_card():
    size = MODEL_PATH.stat().st_size
    assert size < 3 * 2**20
    raw = json.loads(MODEL_PATH.read_text())
    assert raw["format"] == "formcheck-recognition/1" and len(raw["feature_names"]) == N_FEATURES
    assert set(SAME_MOVEMENT) <= set(raw["classes"])
    card = (MODEL_PATH.parent / "README.md").read_text()
    digest = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    assert digest in card, "models/README.md must state the model file's sha256"
    assert re.search(r"python -m formcheck\.recognition\.training", card)


def test_a_broken_model_file_is_refused(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "something else"}')
    with pytest.raises(ModelError, match="not a FormCheck recognition model"):
        Classifier.load(bad)
    with pytest.raises(ModelError):
        Classifier.load(tmp_path / "missing.json")


def _result(label: dict, rec: dict | None) -> ClipResult:
    return ClipResult(label, Report("squat", "front", (), (), {}, False, recognition=rec))


def test_scoring_counts_aliases_as_right_and_unsure_apart():
    results = [
        _result({"exercise": "rdl", "usable": True}, {"exercise": "romanian_deadlift", "sure": True}),
        _result({"exercise": "squat", "usable": True}, {"exercise": "lunge", "sure": False}),
        _result({"exercise": "squat", "usable": True}, {"exercise": "lunge", "sure": True}),
        _result({"exercise": "squat", "usable": False}, {"exercise": "lunge", "sure": True}),
    ]
    s = score_recognition(results)
    assert (s.right, s.unsure, s.wrong) == (1, 1, 1)
    assert "right 33.3% (1/3)" in s.summary()
    assert s.top == 1 and "top guess right 33.3% (1/3)" in s.summary()  # the alias, sure or not
    unsure_right = score_recognition([_result({"exercise": "squat", "usable": True},
                                              {"exercise": "squat", "sure": False})])
    assert (unsure_right.right, unsure_right.unsure, unsure_right.top) == (0, 1, 1)
    lines = confusion_lines(s)
    assert len(lines) == 1 + 2 + 1  # header, romanian_deadlift and squat, legend
    assert lines[-1].strip().startswith("1 lunge") and "? unsure" in lines[-1]


def test_features_of_a_short_or_empty_clip_are_missing_not_errors():
    seq = smooth_sequence(CLIPS["squat"]()).slice(0, 2)
    assert features(seq).shape == (N_FEATURES,)


def test_model_path_is_inside_the_project():
    assert MODEL_PATH.parent.name == "models" and Path(MODEL_PATH).suffix == ".json"


def _jumps(seq) -> float:
    from formcheck.recognition.features import feature_names

    return float(features(seq)[feature_names().index("jumps.per_dip")])


def _filmed(name: str, seed: int):
    from formcheck.recognition.synthetic import film, raw_example

    pts, t, fps = raw_example(name, np.random.default_rng(seed), reps=3, side="left", fps=30.0)
    return film(pts, t, 30.0, 5.0, (1280, 720), 0.75, fps)


def test_a_jump_is_the_whole_body_leaving_the_floor_not_the_feet_or_the_camera():
    from formcheck.pose.landmarks import Landmark

    assert _jumps(smooth_sequence(_filmed("jump_squat", 1))) >= 0.5
    squat = _filmed("squat", 1)
    assert _jumps(smooth_sequence(squat)) == 0.0
    # Both lower legs drawn 0.15 of the picture high for a third of a second, hips where they were:
    # the pose model slipping, not a jump.
    xy = np.array(squat.image_xy)
    mid = len(xy) // 2
    legs = [Landmark[f"{s}_{n}"] for s in ("LEFT", "RIGHT") for n in ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")]
    xy[mid:mid + 10, legs, 1] -= 0.15
    assert _jumps(smooth_sequence(squat.replace_arrays(image_xy=xy))) == 0.0
    # The whole figure sliding down the picture over the first half second (the camera tilting up
    # as filming starts): no take-off is seen, so no flight.
    xy = np.array(squat.image_xy)
    slide = np.clip(1 - squat.t / 0.5, 0, 1) * 0.15
    xy[..., 1] -= slide[:, None]
    assert _jumps(smooth_sequence(squat.replace_arrays(image_xy=xy))) == 0.0


def test_a_rendered_clip_is_recognised_through_the_pose_model():
    """The mannequin's jump squats, rendered and run through the whole pipeline with no exercise
    named, are recognised as jump squats (formcheck.recognition.rendered)."""
    from formcheck.recognition.rendered import run

    (result,) = run(["jump_squat"], per_class=1)
    assert result.report is not None and result.report.recognition is not None
    assert result.report.recognition["exercise"] == "jump_squat", result.report.recognition
