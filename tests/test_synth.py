"""Synthetic poses: angles measured by formcheck.geometry come back exactly as drawn."""

import json

import numpy as np
import pytest

from formcheck import geometry as g
from formcheck import synth
from formcheck.pose.landmarks import Landmark
from formcheck.synth import clips
from formcheck.synth.limits import CATALOGUE_LADDERS, MEASURED_LADDERS, measured_on_synthetic
from formcheck.view import estimate_view

TEMPO = {"rep_s": 2.0, "pause_s": 0.5, "lead_s": 0.6, "tail_s": 0.4}
EXACT = 0.5  # degrees


def drawn(amount, reps=3, **tempo) -> np.ndarray:
    """The profile curve a builder drew for `amount` at the bottom of each rep."""
    return synth.Profile(synth.Tempo(reps=reps, **{**TEMPO, **tempo}), 30.0)(amount)


def assert_exact(measured: np.ndarray, expected: np.ndarray, tol: float = EXACT) -> None:
    assert measured.shape == expected.shape
    worst = float(np.max(np.abs(measured - expected)))
    assert worst < tol, f"worst error {worst:.3f} deg"


def test_knee_flexion_side_view_both_legs_and_facings():
    for facing in ("right", "left"):
        seq = synth.squat(view="side", reps=3, depth_deg=(120, 90, 60), facing=facing, **TEMPO)
        for side in ("left", "right"):
            assert_exact(g.knee_flexion(seq, side), drawn((120, 90, 60)))


def test_thigh_to_horizontal_follows_the_documented_squat_geometry():
    seq = synth.squat(view="side", reps=3, depth_deg=140, **TEMPO)
    assert_exact(g.thigh_to_horizontal(seq, "right"), 90 - 0.65 * drawn(140))
    assert g.thigh_to_horizontal(seq, "right").min() < 0  # below parallel at 140


@pytest.mark.parametrize("view", ["front", "back"])
def test_fppa_per_leg_front_and_back(view):
    seq = synth.squat(view=view, reps=3, depth_deg=90, valgus_deg=(10, 20, 5),
                      other_valgus_deg=-8, knees_out_deg=6, **TEMPO)
    assert_exact(g.knee_valgus_angle(seq, "left"), drawn((4, 14, -1)))
    assert_exact(g.knee_valgus_angle(seq, "right"), drawn(-14))


def test_fppa_of_the_pistol_stance_leg_only():
    seq = synth.pistol(side="right", view="front", depth_deg=80, valgus_deg=25, **TEMPO)
    assert_exact(g.knee_valgus_angle(seq, "right"), drawn(25))


@pytest.mark.parametrize("depth", [60, 90, 120])
def test_a_caving_knee_is_drawn_and_measured_the_same_at_any_depth(depth):
    # Deep, the thigh points at a front camera and the plain FPPA swells; the drawn
    # sideways offset, and the depth-corrected angle, stay.
    seq = synth.squat(view="front", reps=3, depth_deg=depth, valgus_deg=15, knees_out_deg=0,
                      **TEMPO)
    assert_exact(g.knee_valgus_angle(seq, "left"), drawn(15))
    if depth == 120:
        assert np.nanmax(g.fppa(seq, "left")) > 20  # the plain projection angle swells


@pytest.mark.parametrize("view", ["front", "back"])
def test_pelvic_obliquity_of_a_hip_hike(view):
    seq = synth.hip_hike(side="left", view=view, reps=3, drop_deg=(8, 4, 12), **TEMPO)
    assert_exact(g.pelvic_obliquity(seq, "left"), drawn((8, 4, 12), hold_s=1.0))
    assert_exact(g.pelvic_obliquity(seq, "right"), -drawn((8, 4, 12), hold_s=1.0))


def test_pelvic_drop_and_lateral_lean_faults_on_a_pistol():
    seq = synth.pistol(side="left", view="back", depth_deg=70, pelvic_drop_deg=9, lean_deg=12,
                       **TEMPO)
    assert_exact(g.pelvic_obliquity(seq, "left"), drawn(9))
    assert_exact(g.lateral_trunk_lean(seq, "left"), drawn(12))


def test_trunk_inclination_of_a_hinge_and_forward_lean_fault():
    seq = synth.single_leg_deadlift(side="left", view="side", hinge_deg=(80, 60, 40), **TEMPO)
    assert_exact(g.trunk_inclination(seq), drawn((80, 60, 40)))
    lean = synth.squat(view="side", reps=3, depth_deg=100, trunk_deg=30, forward_lean_deg=25,
                       **TEMPO)
    assert_exact(g.trunk_inclination(lean), drawn(55))


@pytest.mark.parametrize("side", [None, "left", "right"])
def test_hip_extension_of_bridges_with_and_without_sag(side):
    seq = synth.bridge(view="side", reps=3, side=side, bottom_deg=140, sag_deg=(0, 15, -12),
                       **TEMPO)
    expected = 140 + 40 * drawn(1.0, hold_s=1.0) - drawn((0, 15, -12), hold_s=1.0)
    stance = side or "left"
    assert_exact(g.hip_extension(seq, stance), expected)
    if side is None:
        assert_exact(g.hip_extension(seq, "right"), expected)


def test_heel_lift_and_calf_raise_foot_pitch():
    squat = synth.squat(view="side", reps=3, heel_lift_deg=20, **TEMPO)
    assert_exact(g.foot_pitch(squat, "left"), drawn(20))
    assert_exact(g.foot_pitch(squat, "right"), np.zeros(len(squat)))
    calf = synth.calf_raise(view="side", reps=3, rise_deg=35, facing="left", **TEMPO)
    for side in ("left", "right"):
        assert_exact(g.foot_pitch(calf, side), drawn(35))


def test_rounded_back_proxies():
    seq = synth.single_leg_deadlift(side="right", reps=3, chord_loss=0.10, neck_flex_deg=30,
                                    **TEMPO)
    chord = g.trunk_chord(seq)
    assert_exact(chord / chord[0], 1 - drawn(0.10), tol=1e-3)
    assert_exact(g.ear_shoulder_hip(seq, "right"), 180 - drawn(30))


def test_free_leg_in_line_with_the_trunk_in_a_single_leg_deadlift():
    seq = synth.single_leg_deadlift(side="left", reps=3, hinge_deg=80, leg_gap_deg=0, **TEMPO)
    bottom = int(np.argmax(g.trunk_inclination(seq)))
    line = g.angle_at(g.mid(seq, "shoulder"), seq.px(Landmark.RIGHT_HIP),
                      seq.px(Landmark.RIGHT_ANKLE))
    assert line[bottom] > 175  # the free leg's small knee bend is all that bends the line
    dropped = synth.single_leg_deadlift(side="left", reps=3, hinge_deg=80, leg_gap_deg=30,
                                        **TEMPO)
    line = g.angle_at(g.mid(dropped, "shoulder"), dropped.px(Landmark.RIGHT_HIP),
                      dropped.px(Landmark.RIGHT_ANKLE))
    assert 145 < line[bottom] < 155


@pytest.mark.parametrize("name", sorted(synth.BUILDERS))
def test_every_builder_gives_a_complete_plausible_sequence(name):
    seq = synth.BUILDERS[name](reps=2, **TEMPO)
    assert np.isfinite(seq.image_xy).all() and np.isfinite(seq.world_xyz).all()
    assert ((seq.image_xy > 0) & (seq.image_xy < 1)).all()
    assert np.all(seq.visibility == pytest.approx(0.99))
    hips = (seq.world_xyz[:, Landmark.LEFT_HIP] + seq.world_xyz[:, Landmark.RIGHT_HIP]) / 2
    assert np.abs(hips).max() < 1e-9  # world origin at the hip midpoint, as MediaPipe gives
    for a, b, length in ((Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, synth.BODY.shank),
                         (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, synth.BODY.shoulder_w)):
        d = np.linalg.norm(seq.world_xyz[:, a] - seq.world_xyz[:, b], axis=1)
        assert np.allclose(d, length, atol=0.03)  # metres (valgus stretches the shank a little)
    head = seq.px(Landmark.NOSE)[:, 1]
    assert np.all(head < seq.px(Landmark.LEFT_ANKLE)[:, 1]) or name == "glute_bridge"


def test_pixel_scale_matches_world_metres():
    seq = synth.squat(view="front", reps=1, **TEMPO)
    px = np.linalg.norm(seq.px(Landmark.LEFT_SHOULDER) - seq.px(Landmark.RIGHT_SHOULDER), axis=1)
    w = np.linalg.norm(seq.world_xyz[:, Landmark.LEFT_SHOULDER, :2]
                       - seq.world_xyz[:, Landmark.RIGHT_SHOULDER, :2], axis=1)
    assert np.allclose(px / w, px[0] / w[0])
    assert 250 < px[0] / w[0] < 450  # a whole standing person fills most of a 720 px height


@pytest.mark.parametrize(("view", "facing", "expected"), [
    ("front", "right", "front"), ("back", "right", "back"), ("side", "right", "side"),
    ("side", "left", "side")])
def test_the_view_estimator_recognises_the_synthetic_camera(view, facing, expected):
    seq = synth.squat(view=view, facing=facing, reps=2, **TEMPO)
    est = estimate_view(seq)
    assert est.view == expected
    if view == "side":
        assert est.facing == (1 if facing == "right" else -1)


def test_a_right_leg_pistol_is_the_mirror_image_of_a_left_leg_one():
    left = synth.pistol(side="left", view="front", valgus_deg=10, **TEMPO)
    right = synth.pistol(side="right", view="front", valgus_deg=10, **TEMPO)
    assert np.allclose(left.mirrored().image_xy, right.image_xy, atol=1e-9)


def test_noise_is_gaussian_pixel_jitter_reproducible_by_seed():
    clean = synth.squat(view="side", reps=2, **TEMPO)
    noisy = synth.squat(view="side", reps=2, noise_px=2.0, seed=3, **TEMPO)
    err = (noisy.image_xy - clean.image_xy) * np.array([clean.width, clean.height])
    assert np.std(err) == pytest.approx(2.0, rel=0.05)
    assert abs(np.mean(err)) < 0.1
    again = synth.squat(view="side", reps=2, noise_px=2.0, seed=3, **TEMPO)
    other = synth.squat(view="side", reps=2, noise_px=2.0, seed=4, **TEMPO)
    assert np.array_equal(again.image_xy, noisy.image_xy)
    assert not np.array_equal(other.image_xy, noisy.image_xy)


def test_dropped_frames_are_nan_rows_with_zero_visibility():
    seq = synth.squat(view="front", reps=3, drop_frac=0.2, drop_frames=(0, 5), **TEMPO)
    lost = ~seq.detected()
    assert lost[0] and lost[5]
    assert 0.12 < lost.mean() < 0.3
    assert np.isnan(seq.image_xy[lost]).all() and np.isnan(seq.world_xyz[lost]).all()
    assert (seq.visibility[lost] == 0).all() and (seq.visibility[~lost] > 0.9).all()
    clean = synth.squat(view="front", reps=3, **TEMPO)
    assert np.array_equal(seq.image_xy[~lost], clean.image_xy[~lost])


def test_rep_curve_shape_depths_and_timing():
    t, p = synth.rep_curve(3, 2.0, 0.5, 30.0, depth=(1.0, 0.5, 0.8), lead_s=1.0, tail_s=0.5)
    assert t[-1] == pytest.approx(1.0 + 3 * 2.0 + 2 * 0.5 + 0.5)
    assert np.all(p[t < 1.0] == 0) and p.min() >= 0
    windows = synth.Tempo(reps=3, rep_s=2.0, pause_s=0.5, lead_s=1.0).windows()
    for (start, bottom, end), depth in zip(windows, (1.0, 0.5, 0.8), strict=True):
        inside = (t >= start) & (t <= end)
        assert p[inside].max() == pytest.approx(depth)
        assert t[inside][np.argmax(p[inside])] == pytest.approx(bottom, abs=1 / 30)
    _, slow_down = synth.rep_curve(1, 3.0, 0.0, 30.0, eccentric_frac=0.75, hold_s=1.0,
                                   lead_s=0.0, tail_s=0.0)
    top = np.flatnonzero(slow_down > 0.999)
    assert top[0] / 30 == pytest.approx(1.5, abs=0.04)  # 0.75 of the moving time going down
    assert top[-1] / 30 == pytest.approx(2.5, abs=0.04)  # then the 1 s hold


def test_bad_options_are_refused():
    with pytest.raises(TypeError, match="unknown option 'valgus'"):
        synth.squat(valgus=10)
    with pytest.raises(ValueError, match="view"):
        synth.squat(view="top")
    with pytest.raises(ValueError, match="shape"):
        synth.Motion(t=np.zeros(5), knee_flex=np.zeros(4))


def test_custom_motions_through_the_generic_engine():
    def draw(r: synth.Profile) -> synth.Motion:
        return synth.Motion(r.t, chain="right", other="free", knee_flex=r(45),
                            other_thigh=r.span(0, 60), shank_tilt=r(20))
    seq = synth.synthesize(draw, view="side", reps=2, **TEMPO)
    assert_exact(g.knee_flexion(seq, "right"), drawn(45, reps=2))


@pytest.mark.parametrize("clip", clips.CLIPS, ids=lambda c: c.name)
def test_fixture_checks_match_what_the_builder_draws(clip):
    seq = clip.sequence()
    for check in clip.checks:
        fn = getattr(g, check.signal)
        values = fn(seq, check.side) if check.side else fn(seq)
        if check.baseline:
            values = values - values[0]
        bottoms = [int(round(b * seq.fps)) for _, b, _ in clip.tempo().windows()]
        assert_exact(values[bottoms], np.array(check.drawn))
    assert seq.duration_s <= 8.0


@pytest.mark.parametrize("clip", clips.CLIPS, ids=lambda c: c.name)
def test_committed_expected_json_is_up_to_date(clip):
    path = clips.FIXTURES_DIR / f"{clip.name}.expected.json"
    if not path.exists():
        pytest.skip(f"{path} not rendered: python -m formcheck.synth render-fixtures")
    assert json.loads(path.read_text()) == json.loads(json.dumps(clips.expected(clip)))


@pytest.mark.parametrize("name", [x.name for x in MEASURED_LADDERS + CATALOGUE_LADDERS
                                  if x.draw_limit is None])
def test_measured_ladders_are_drawn_in_their_rules_unit(name):
    """A ladder drawn through a synth knob (extra forward lean, hinge depth, ...) is mapped to its
    rule's unit on the synthetic poses: every rep counted measures what was asked for."""
    ladder = next(x for x in MEASURED_LADDERS + CATALOGUE_LADDERS if x.name == name)
    drawn = ladder.drawn()
    got = measured_on_synthetic(ladder.exercise_id, ladder.code, ladder.metric_side,
                                 ladder.sequence())
    assert len(got) >= len(drawn) - 1, (drawn, got)
    # Within a third of the ladder's smallest step from the limit.
    assert np.allclose(got, drawn[:len(got)], atol=0.3 * min(map(abs, ladder.offsets))), (drawn, got)


@pytest.mark.parametrize("chain", ["left", "right"])
def test_a_lateral_lunge_bends_one_knee_over_its_foot_while_the_other_leg_stays_straight(chain):
    # Feet planted wide: as the chain knee bends the hips move over the chain foot and the other
    # leg stays straight; at the top both straight legs slant out to the feet, hips centred.
    # Exact in 3D: every thigh and shank keeps its length (a squat-like draw bends both knees).
    from formcheck.synth.body import BODY, Motion
    from formcheck.synth.figure import landmarks

    t = np.linspace(0, 2, 41)
    flex = 100 * np.sin(np.pi * t / 2)
    pts = landmarks(Motion(t, chain=chain, knee_flex=flex, lateral=True, stance_width=0.9))
    other = "right" if chain == "left" else "left"

    def lm(name, side):  # type: ignore[no-untyped-def]
        return pts[:, Landmark[f"{side.upper()}_{name}"]]

    def bend(side):  # type: ignore[no-untyped-def]
        a, b = lm("HIP", side) - lm("KNEE", side), lm("ANKLE", side) - lm("KNEE", side)
        cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
        return 180 - np.degrees(np.arccos(np.clip(cos, -1, 1)))

    for side in ("left", "right"):
        assert np.allclose(np.linalg.norm(lm("HIP", side) - lm("KNEE", side), axis=1), BODY.thigh)
        assert np.allclose(np.linalg.norm(lm("KNEE", side) - lm("ANKLE", side), axis=1), BODY.shank)
    assert np.allclose(bend(chain), flex, atol=0.5)
    assert np.abs(bend(other)).max() < 0.5
    towards = 1.0 if chain == "left" else -1.0  # + lat is the person's left
    centre = (lm("HIP", "left")[:, 0] + lm("HIP", "right")[:, 0]) / 2
    feet = (lm("ANKLE", "left")[:, 0] + lm("ANKLE", "right")[:, 0]) / 2
    assert abs(centre[0] - feet[0]) < 1e-6  # centred at the top
    assert towards * (centre[20] - feet[20]) > 0.2  # over the chain foot at the bottom
    assert np.allclose(lm("ANKLE", chain)[0], lm("ANKLE", chain)[20])  # feet stay planted
