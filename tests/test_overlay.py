"""annotate(): skeleton, angles, counter, banner and view drawn where they belong, at any size."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.overlay import (
    LEFT_COLOUR,
    MAJOR_COLOUR,
    RIGHT_COLOUR,
    OverlayState,
    annotate,
    split_signal,
)
from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark
from formcheck.report import Fault

GREY = 100


def standing() -> np.ndarray:
    """(33, 2) normalised landmarks of a person facing the camera (their left on image right)."""
    xy = np.full((NUM_LANDMARKS, 2), 0.5)
    xy[: Landmark.MOUTH_RIGHT + 1] = (0.5, 0.14)
    for side, sign in (("LEFT", 1), ("RIGHT", -1)):
        for name, (dx, y) in {"SHOULDER": (0.08, 0.3), "ELBOW": (0.12, 0.45),
                              "WRIST": (0.14, 0.58), "PINKY": (0.14, 0.6), "INDEX": (0.14, 0.6),
                              "THUMB": (0.13, 0.6), "HIP": (0.05, 0.55), "KNEE": (0.06, 0.72),
                              "ANKLE": (0.06, 0.88), "HEEL": (0.05, 0.9),
                              "FOOT_INDEX": (0.08, 0.93)}.items():
            xy[Landmark[f"{side}_{name}"]] = (0.5 + sign * dx, y)
    return xy


def frame(w: int = 640, h: int = 480) -> np.ndarray:
    return np.full((h, w, 3), GREY, dtype=np.uint8)


def at(xy: np.ndarray, a: Landmark, b: Landmark, w: int, h: int, f: float = 0.5) -> tuple:
    """Pixel (row, col) a fraction f of the way from landmark a to landmark b."""
    p = (xy[a] + f * (xy[b] - xy[a])) * (w, h)
    return int(round(p[1])), int(round(p[0]))


def close(pixel: np.ndarray, colour: tuple[int, int, int], tol: int = 40) -> bool:
    return bool(np.abs(pixel.astype(int) - colour).max() <= tol)


def fault(code: str = "knee_valgus", side: str | None = "left", severity: str = "major",
          cue: str = "Keep your knee over your second toe.") -> Fault:
    return Fault(code, severity, 1.0, 20.0, 12.0, "deg", cue, side, 1)


def test_limbs_are_drawn_in_their_side_colour() -> None:
    img, xy = frame(), standing()
    out = annotate(img, OverlayState(xy, np.ones(NUM_LANDMARKS)))
    assert out is img
    assert close(img[at(xy, Landmark.LEFT_HIP, Landmark.LEFT_KNEE, 640, 480)], LEFT_COLOUR)
    assert close(img[at(xy, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, 640, 480)], RIGHT_COLOUR)
    # Nothing far from the body changes (no counter, view or banner asked for).
    assert (img[:, :120] == GREY).all() and (img[:, -120:] == GREY).all()


def test_poorly_seen_points_are_not_drawn() -> None:
    img, xy = frame(), standing()
    vis = np.ones(NUM_LANDMARKS)
    vis[Landmark.LEFT_KNEE] = 0.3
    annotate(img, OverlayState(xy, vis))
    assert (img[at(xy, Landmark.LEFT_HIP, Landmark.LEFT_KNEE, 640, 480)] == GREY).all()
    assert (img[at(xy, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE, 640, 480)] == GREY).all()
    assert close(img[at(xy, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, 640, 480)], RIGHT_COLOUR)


@pytest.mark.parametrize("bad", [np.nan, np.inf, 1e12])
def test_missing_or_absurd_landmarks_do_not_crash(bad: float) -> None:
    xy = standing()
    xy[Landmark.LEFT_KNEE] = bad
    img = frame()
    annotate(img, OverlayState(xy, np.ones(NUM_LANDMARKS), {"knee_flexion_left": 90.0}))
    assert (img[at(xy, Landmark.LEFT_HIP, Landmark.RIGHT_HIP, 640, 480, 0.0)] != GREY).any()
    blank = frame()
    annotate(blank, OverlayState(np.full((NUM_LANDMARKS, 2), bad), np.full(NUM_LANDMARKS, np.nan),
                                 {"knee_flexion_left": float("nan")}))
    assert (blank == GREY).all()


def test_angle_is_written_beside_its_joint() -> None:
    xy = standing()
    plain, labelled = frame(), frame()
    annotate(plain, OverlayState(xy))
    annotate(labelled, OverlayState(xy, angles={"knee_flexion_left": 87.0,
                                                "knee_flexion_right": float("nan")}))
    changed = np.argwhere((plain != labelled).any(axis=2))
    knee = xy[Landmark.LEFT_KNEE] * (640, 480)
    right_knee = xy[Landmark.RIGHT_KNEE] * (640, 480)
    assert len(changed) > 50
    # On the outside of the left knee (image right, away from the other knee), at its height.
    assert changed[:, 1].min() > knee[0] and abs(np.median(changed[:, 0]) - knee[1]) < 15
    assert not (changed[:, 1] < right_knee[0]).any()


def test_banner_shows_the_fault_and_rings_the_joint() -> None:
    xy = standing()
    img = frame()
    annotate(img, OverlayState(xy, faults=[fault()], reps={"total": 2}))
    red = np.all(np.abs(img.astype(int) - MAJOR_COLOUR) < 60, axis=2)
    rows = np.flatnonzero(red.mean(axis=1) > 0.5)
    assert len(rows) > 10 and rows.max() < 480 * 0.3  # a full-width band near the top
    knee = (xy[Landmark.LEFT_KNEE] * (640, 480)).astype(int)
    ring = red[knee[1] - 30:knee[1] + 30, knee[0] - 30:knee[0] + 30]
    assert ring.sum() > 30
    calm = frame()
    annotate(calm, OverlayState(xy, reps={"total": 2}))
    assert not np.all(np.abs(calm.astype(int) - MAJOR_COLOUR) < 60, axis=2).any()


def test_long_cues_wrap_inside_narrow_frames() -> None:
    cue = "Keep the standing knee soft but nearly straight: hinge from the hip, don't squat."
    narrow, wide = frame(480, 800), frame(1600, 480)  # same short side: same font size
    for img in (narrow, wide):
        annotate(img, OverlayState(faults=[fault("stance_knee_bend", cue=cue)]))

    def band(img: np.ndarray) -> int:
        return int((np.abs(img.astype(int) - MAJOR_COLOUR) < 60).all(axis=2).any(axis=1).sum())

    assert band(narrow) > 1.5 * band(wide)  # two lines against one
    # Every line fits: the banner's right margin stays text-free.
    assert (np.abs(narrow[:band(narrow), -4:].astype(int) - MAJOR_COLOUR) < 60).all()


def counter_height(w: int, h: int, reps: dict[str, int]) -> int:
    """Rows of the darkened counter panel in the top-left corner."""
    img = frame(w, h)
    annotate(img, OverlayState(reps=reps, title="Squat"))
    return int((img[:, 1, 0] < GREY).sum())


def test_text_scales_with_the_frame() -> None:
    small, large = counter_height(854, 480, {"total": 3}), counter_height(1920, 1080, {"total": 3})
    assert small >= 30  # readable at 480p
    assert large / small == pytest.approx(1080 / 480, rel=0.2)


def test_per_leg_counter_uses_both_side_colours() -> None:
    img = frame()
    annotate(img, OverlayState(reps={"left": 3, "right": 2}))
    corner = img[:80, :200].reshape(-1, 3)
    assert any(close(p, LEFT_COLOUR, 30) for p in corner)
    assert any(close(p, RIGHT_COLOUR, 30) for p in corner)


def test_view_label_sits_top_right() -> None:
    img = frame()
    annotate(img, OverlayState(view="side"))
    changed = np.argwhere((img != GREY).any(axis=2))
    assert changed[:, 1].min() > 640 * 0.6 and changed[:, 0].max() < 480 * 0.15


def test_split_signal() -> None:
    assert split_signal("knee_flexion_left") == ("knee_flexion", "left")
    assert split_signal("trunk_inclination") == ("trunk_inclination", None)
