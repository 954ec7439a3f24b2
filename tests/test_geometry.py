import numpy as np
import pytest

from formcheck import geometry as g
from formcheck.pose.landmarks import Landmark
from formcheck.pose.sequence import PoseSequence


def seq_from_points(points: dict[Landmark, tuple[float, float]], width=1000, height=1000):
    xy = np.full((1, 33, 2), 0.5)
    for lm, (x, y) in points.items():
        xy[0, lm] = (x / width, y / height)
    return PoseSequence(xy, np.zeros((1, 33, 3)), np.ones((1, 33)), np.zeros(1), width, height)


def test_angle_at_right_angle():
    a = np.array([[0.0, 1.0]])
    b = np.array([[0.0, 0.0]])
    c = np.array([[1.0, 0.0]])
    assert g.angle_at(a, b, c)[0] == pytest.approx(90.0)


def test_knee_flexion_straight_and_bent():
    straight = seq_from_points({Landmark.LEFT_HIP: (500, 300), Landmark.LEFT_KNEE: (500, 500),
                                Landmark.LEFT_ANKLE: (500, 700)})
    assert g.knee_flexion(straight, "left")[0] == pytest.approx(0.0, abs=1e-9)
    bent = seq_from_points({Landmark.LEFT_HIP: (300, 500), Landmark.LEFT_KNEE: (500, 500),
                            Landmark.LEFT_ANKLE: (500, 700)})
    assert g.knee_flexion(bent, "left")[0] == pytest.approx(90.0)


def test_pixel_coordinates_not_normalised():
    # In a 2:1 frame the same normalised offsets are twice as wide in pixels.
    s = seq_from_points({Landmark.LEFT_HIP: (1000, 0), Landmark.LEFT_KNEE: (1000, 500),
                         Landmark.LEFT_ANKLE: (1500, 1000)}, width=2000, height=1000)
    assert g.knee_flexion(s, "left")[0] == pytest.approx(45.0)


def test_fppa_sign_valgus_when_knee_medial():
    # Front view: the athlete's left leg is on the image right; medial is toward image left.
    base = {Landmark.LEFT_HIP: (600, 400), Landmark.RIGHT_HIP: (400, 400),
            Landmark.LEFT_ANKLE: (600, 800)}
    valgus = seq_from_points({**base, Landmark.LEFT_KNEE: (560, 600)})
    varus = seq_from_points({**base, Landmark.LEFT_KNEE: (640, 600)})
    expected = 2 * np.degrees(np.arctan(40 / 200))
    assert g.fppa(valgus, "left")[0] == pytest.approx(expected)
    assert g.fppa(varus, "left")[0] == pytest.approx(-expected)


def test_pelvic_obliquity_positive_when_free_side_lower():
    s = seq_from_points({Landmark.LEFT_HIP: (600, 400), Landmark.RIGHT_HIP: (400, 420)})
    assert g.pelvic_obliquity(s, "left")[0] == pytest.approx(np.degrees(np.arctan2(20, 200)))
    assert g.pelvic_obliquity(s, "right")[0] < 0


def test_thigh_to_horizontal_and_trunk():
    s = seq_from_points({Landmark.LEFT_HIP: (400, 500), Landmark.LEFT_KNEE: (600, 500),
                         Landmark.RIGHT_HIP: (400, 500), Landmark.RIGHT_KNEE: (600, 500),
                         Landmark.LEFT_SHOULDER: (500, 400), Landmark.RIGHT_SHOULDER: (500, 400)})
    assert g.thigh_to_horizontal(s, "left")[0] == pytest.approx(0.0)
    assert g.trunk_inclination(s)[0] == pytest.approx(45.0)


def test_hip_extension_signed_above_line():
    line = {Landmark.LEFT_SHOULDER: (200, 600), Landmark.LEFT_KNEE: (800, 600)}
    above = seq_from_points({**line, Landmark.LEFT_HIP: (500, 550)})
    below = seq_from_points({**line, Landmark.LEFT_HIP: (500, 650)})
    assert g.hip_extension(above, "left")[0] > 180
    assert g.hip_extension(below, "left")[0] < 180


def test_missing_landmarks_give_nan():
    s = seq_from_points({})
    xy = np.array(s.image_xy)
    xy[:] = np.nan
    s = s.replace_arrays(image_xy=xy)
    assert np.isnan(g.knee_flexion(s, "left")[0])
