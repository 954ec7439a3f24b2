"""A second person in frame, and fades: the decisions on boxes, and end to end on edited fixture clips."""

import cv2
import numpy as np
import pytest

from formcheck import analyze_poses, extract_poses, get_exercise
from formcheck.pose.people import (
    SWITCH_MIN_MOTION,
    Box,
    PeopleCheck,
    consistent,
    cropped,
    motion,
    uncrop,
)
from formcheck.pose.scene import FADE_CONTRAST, faded, frame_contrast
from formcheck.video import Frame
from tests.edited_clips import SQUAT, squat_frames, write


def standing(x: float, dy: float = 0.0, h: float = 0.6) -> Box:
    return Box(x, 0.2 + dy, x + 0.15, 0.2 + dy + h)


def test_a_person_standing_still_does_not_move_and_a_squatting_one_does():
    still = [standing(0.2, dy=0.002 * (i % 2)) for i in range(8)]
    squatting = [standing(0.6, dy=0.15 * (i % 2), h=0.6 - 0.15 * (i % 2)) for i in range(8)]
    assert motion(still) < SWITCH_MIN_MOTION <= motion(squatting)


def test_the_pose_pass_follows_the_other_person_only_when_they_are_the_one_moving():
    still = [standing(0.2, dy=0.002 * (i % 2)) for i in range(8)]
    squatting = [standing(0.6, dy=0.15 * (i % 2), h=0.6 - 0.15 * (i % 2)) for i in range(8)]
    coach_tracked = PeopleCheck(tracked=still, other=squatting, probes=8)
    assert coach_tracked.second_person and coach_tracked.follow_other
    assert "two people" in (coach_tracked.note() or "")
    crop = coach_tracked.crop()
    assert crop.x0 < 0.6 and crop.x1 > 0.75 and crop.x1 < 0.9  # around the athlete, not the coach

    athlete_tracked = PeopleCheck(tracked=squatting, other=still, probes=8)
    assert athlete_tracked.second_person and not athlete_tracked.follow_other
    assert "another person" in (athlete_tracked.note() or "")

    glimpse = PeopleCheck(tracked=still, other=squatting[:2], probes=8)  # someone walking past
    assert not glimpse.second_person and not glimpse.follow_other and glimpse.note() is None


def test_detections_jumping_between_people_are_not_one_moving_person():
    # Split-screen clip: the detector finds the top panel, then the middle one, then the top one...
    jumping = [Box(0.3, 0.0 if i % 2 else 0.34, 0.7, 0.3 if i % 2 else 0.64) for i in range(8)]
    assert motion(jumping) > SWITCH_MIN_MOTION
    assert len(consistent(jumping)) == 4
    tracked = [Box(0.3, 0.68, 0.7, 0.98) for _ in range(8)]
    assert not PeopleCheck(tracked=tracked, other=jumping, probes=8).follow_other


def test_landmarks_found_on_a_crop_land_back_on_the_whole_frame():
    box = Box(0.25, 0.1, 0.75, 0.9)
    image = np.zeros((200, 400, 3), np.uint8)
    crop = next(cropped([Frame(0, 0.0, image)], box)).image
    assert crop.shape[:2] == (160, 200)
    xy = np.array([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5]])
    assert np.allclose(uncrop(xy, box, 400, 200), [[0.25, 0.1], [0.75, 0.9], [0.5, 0.5]])


def test_a_fade_is_found_against_the_clip_own_contrast():
    contrast = np.r_[np.full(50, 40.0), np.linspace(40, 10, 10), np.full(5, np.nan)]
    fade = faded(contrast)
    assert not fade[:50].any() and fade[-7:-5].all() and not fade[-5:].any()
    assert (contrast[fade] < FADE_CONTRAST * 40).all()
    assert not faded(np.full(5, np.nan)).any()
    grey = np.full((72, 128, 3), 127, np.uint8)
    assert frame_contrast(grey) == 0.0
    assert frame_contrast(np.tile(np.array([0, 255], np.uint8).repeat(64)[None, :, None], (72, 1, 3))) > 100


pytestmark = pytest.mark.skipif(not SQUAT.exists(), reason=f"rendered fixture {SQUAT} missing")


@pytest.mark.parametrize("athlete_on_the_left", [False, True])
def test_the_athlete_is_analysed_when_someone_stands_beside_them(bystander_poses,
                                                                athlete_on_the_left):
    _, raw, info = bystander_poses(athlete_on_the_left)  # the pose pass of analyze_video
    analysis = analyze_poses(raw, get_exercise("squat"), info)
    assert analysis.report.rep_count == 4
    assert any("two people" in w or "another person" in w for w in analysis.report.warnings)
    hips = analysis.poses.image_xy[:, 23, 0]  # the landmarks are on the athlete's half of the frame
    assert (np.nanmedian(hips) < 0.5) == athlete_on_the_left


def test_a_rep_finished_inside_a_fade_to_an_end_card_is_not_counted(tmp_path, monkeypatch):
    frames, fps = squat_frames()
    white = np.full_like(frames[0], 255)
    start = int(6.6 * fps)  # the last rep is at its bottom: it rises while the picture fades out
    # Washed out to 30% (the figure stays visible to the pose model, as in a fade to an end card).
    edited = [f if i < start else cv2.addWeighted(f, 1 - min(0.7, (i - start) / 10), white,
                                                  min(0.7, (i - start) / 10), 0)
              for i, f in enumerate(frames)]
    raw, info = extract_poses(write(tmp_path / "fade.mp4", edited, fps))
    assert analyze_poses(raw, get_exercise("squat"), info).report.rep_count == 3
    monkeypatch.setattr("formcheck.pose.scene.FADE_CONTRAST", 0.0)  # fades ignored: the rep is seen
    assert analyze_poses(raw, get_exercise("squat"), info).report.rep_count == 4


def test_a_crop_too_small_to_hold_a_person_keeps_the_first_pass():
    from formcheck.pose.extract import _pose_pass_on_athlete
    from formcheck.pose.sequence import PoseSequence
    from formcheck.video import probe

    first = PoseSequence.empty(720, 720, 30.0)
    tiny = Box(0.5, 0.5, 0.55, 0.55)  # 36 x 36 px
    assert _pose_pass_on_athlete(SQUAT, probe(SQUAT), tiny, first, None) is first
