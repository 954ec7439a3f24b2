"""Annotated video: a second pass over the source, drawn frame by frame, timed like the source."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import Analysis
from formcheck.exercises.registry import get_exercise
from formcheck.live import LiveState
from formcheck.overlay import LEFT_COLOUR, MAJOR_COLOUR
from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark
from formcheck.pose.sequence import PoseSequence
from formcheck.render import LiveOverlay, Timeline, write_annotated_video
from formcheck.report import Fault, Rep, Report
from formcheck.view import ViewEstimate
from tests.test_overlay import standing

FPS = 30.0
GREY = 90


def source_clip(path: Path, n: int, w: int, h: int, fps: float = FPS) -> Path:
    """A lossless grey clip (FFV1 in mkv: exact pixels, any size)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("ffv1", rate=int(fps))
        stream.width, stream.height, stream.pix_fmt = w, h, "bgr0"
        for i in range(n):
            img = np.full((h, w, 3), GREY, dtype=np.uint8)
            img[:4, :4] = i  # a frame number in the corner, under the counter panel
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts = i
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path


def decode(path: Path) -> tuple[dict, list[np.ndarray]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        images = [f.to_ndarray(format="bgr24") for f in container.decode(stream)]
        facts = {"codec": stream.codec_context.name, "rate": stream.base_rate,
                 "average_rate": float(stream.average_rate),
                 "duration_s": container.duration / av.time_base}
    return facts, images


def fault_at(time_s: float, rep: int = 1, side: str | None = "left") -> Fault:
    return Fault("knee_valgus", "major", time_s, 20.0, 12.0, "deg",
                 "Keep your knee over your second toe.", side, rep)


def analysis(n: int, w: int, h: int, reps: tuple[Rep, ...], per_leg: bool = False) -> Analysis:
    t = np.arange(n) / FPS
    xy = np.repeat(standing()[None], n, axis=0)
    poses = PoseSequence(xy, np.zeros((n, NUM_LANDMARKS, 3)), np.ones((n, NUM_LANDMARKS)), t,
                         w, h, FPS)
    report = Report("squat", "front", reps, (), {}, per_leg)
    signals = {"knee_flexion_left": np.linspace(0, 90, n), "knee_flexion_right": np.full(n, 45.0),
               "trunk_inclination": np.full(n, np.nan), "fppa_left": np.zeros(n)}
    return Analysis(get_exercise("squat"), report, poses, signals,
                    ViewEstimate("front", 0, 0.0, False), 1.0)


def red_share(img: np.ndarray) -> float:
    return float(np.all(np.abs(img.astype(int) - MAJOR_COLOUR) < 60, axis=2).mean())


def test_video_has_the_source_frames_rate_and_length(tmp_path: Path) -> None:
    n, w, h = 60, 320, 240
    src = source_clip(tmp_path / "src.mkv", n, w, h)
    reps = (Rep(1, None, 0.2, 0.5, 0.9, (fault_at(0.5),)), Rep(2, None, 1.0, 1.3, 1.6))
    calls: list[tuple[float, str]] = []
    out = write_annotated_video(src, analysis(n, w, h, reps), tmp_path / "out.mp4",
                                lambda f, stage: calls.append((f, stage)))
    facts, images = decode(out)
    assert out == tmp_path / "out.mp4" and facts["codec"] == "h264"
    assert len(images) == n and facts["rate"] == FPS
    # The source's timestamps are whole milliseconds, so the average rate is 30 within 0.1%.
    assert facts["average_rate"] == pytest.approx(FPS, rel=1e-3)
    assert abs(facts["duration_s"] - n / FPS) <= 1 / FPS
    assert images[0].shape == (h, w, 3)
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {s for _, s in calls} == {"video"}
    # The skeleton is drawn on every frame, on the left thigh, in the left colour.
    xy = standing()
    thigh = ((xy[Landmark.LEFT_HIP] + xy[Landmark.LEFT_KNEE]) / 2 * (w, h)).round().astype(int)
    for img in images[::10]:
        assert np.abs(img[thigh[1], thigh[0]].astype(int) - LEFT_COLOUR).max() < 50


def test_fault_banner_shows_only_for_a_second_after_the_fault(tmp_path: Path) -> None:
    n, w, h = 75, 320, 240
    src = source_clip(tmp_path / "src.mkv", n, w, h)
    reps = (Rep(1, None, 0.2, 0.5, 0.9, (fault_at(0.5),)),)
    _, images = decode(write_annotated_video(src, analysis(n, w, h, reps), tmp_path / "o.mp4"))
    shown = [red_share(img) > 0.05 for img in images]
    # Fault at 0.5 s (frame 15), on screen for 1 s (to frame 44); allow a frame either side.
    assert not any(shown[:14]) and all(shown[16:44]) and not any(shown[46:])


def test_odd_sized_source(tmp_path: Path) -> None:
    n, w, h = 20, 161, 121
    src = source_clip(tmp_path / "odd.mkv", n, w, h)
    facts, images = decode(write_annotated_video(src, analysis(n, w, h, ()), tmp_path / "o.mp4"))
    assert len(images) == n and images[0].shape == (122, 162, 3)


def test_large_source_is_written_at_720p(tmp_path: Path) -> None:
    """A 1080p or 4K phone clip is annotated at 720p (long side MAX_SIDE), aspect kept, portrait
    too: encoding the full size cost more than the pose model."""
    from formcheck.render import MAX_SIDE, output_size

    assert output_size(3840, 2160) == (MAX_SIDE, 720) and output_size(1080, 1920) == (720, MAX_SIDE)
    n, w, h = 10, 1600, 900
    src = source_clip(tmp_path / "big.mkv", n, w, h)
    facts, images = decode(write_annotated_video(src, analysis(n, w, h, ()), tmp_path / "o.mp4"))
    assert len(images) == n and images[0].shape == (720, 1280, 3)
    assert output_size(640, 480) == (640, 480)  # never scaled up


def test_source_longer_than_the_poses(tmp_path: Path) -> None:
    src = source_clip(tmp_path / "src.mkv", 30, 160, 120)
    facts, images = decode(write_annotated_video(src, analysis(20, 160, 120, ()),
                                                 tmp_path / "o.mp4"))
    assert len(images) == 30


def test_timeline_counts_reps_per_leg_when_they_end() -> None:
    reps = (Rep(1, "left", 0.0, 0.5, 1.0), Rep(2, "right", 1.1, 1.5, 2.0),
            Rep(3, "left", 2.1, 2.5, 3.0))
    t = np.array([0.5, 0.999, 1.0, 1.9, 2.0, 3.5])
    tl = Timeline.build(Report("pistol_squat", "front", reps, (), {}, True), t)
    assert tl.counts["left"].tolist() == [0, 1, 1, 1, 1, 2]  # 0.999 s is 1.0 s in the report
    assert tl.counts["right"].tolist() == [0, 0, 0, 0, 1, 1]
    assert tl.reps_at(5) == {"left": 2, "right": 1}
    total = Timeline.build(Report("squat", "front", reps, (), {}, False), t)
    assert total.counts["total"].tolist() == [0, 1, 1, 1, 2, 3]


def test_timeline_holds_each_fault_for_the_banner_time() -> None:
    late, early = fault_at(2.0, 2), fault_at(0.5, 1, "right")
    reps = (Rep(1, None, 0.0, 0.5, 1.0, (early,)), Rep(2, None, 1.5, 2.0, 2.5, (late,)))
    t = np.array([0.4, 0.5, 1.2, 1.5, 2.0, 2.4, 2.99, 3.0])
    tl = Timeline.build(Report("squat", "front", reps, (), {}, False), t, hold_s=1.0)
    got = [tl.faults_at(i) for i in range(len(t))]
    assert got == [(), (early,), (early,), (), (late,), (late,), (late,), ()]
    overlap = Timeline.build(Report("squat", "front", reps, (), {}, False), t, hold_s=2.0)
    assert overlap.faults_at(4) == (early, late)


def test_live_overlay_keeps_a_cue_up_for_the_hold_time() -> None:
    overlay = LiveOverlay("Pistol squat", signals=("knee_flexion",), hold_s=1.0)
    rep = Rep(1, "left", 0.0, 1.0, 2.0, (fault_at(1.0),))
    lms = np.concatenate([standing(), np.ones((NUM_LANDMARKS, 1))], axis=1)
    angles = {"knee_flexion_left": 80.0, "hip_flexion_left": 70.0}
    closing = LiveState(2.0, lms, angles, [rep], True, "front", [rep])
    state = overlay.from_live(closing)
    assert state.faults == rep.faults and state.reps == {"left": 1, "right": 0}
    assert state.angles == {"knee_flexion_left": 80.0} and state.view == "front"
    assert np.array_equal(state.image_xy, standing()) and state.visibility is not None
    later = overlay.from_live(LiveState(2.9, lms, angles, [rep], True, "front"))
    assert later.faults == rep.faults
    gone = overlay.from_live(LiveState(3.1, None, {}, [rep], True, "unknown"))
    assert gone.faults == () and gone.image_xy is None and gone.view == ""


def test_video_drawn_in_parts_is_the_video_drawn_in_one(tmp_path: Path) -> None:
    n, w, h = 160, 320, 240  # 5.3 s: two parts of at least MIN_PART_S
    src = source_clip(tmp_path / "src.mkv", n, w, h)
    reps = (Rep(1, None, 1.5, 2.5, 3.2, (fault_at(2.6),)), Rep(2, None, 3.4, 4.0, 4.6))
    calls: list[tuple[float, str]] = []
    one = write_annotated_video(src, analysis(n, w, h, reps), tmp_path / "one.mp4")
    parts = write_annotated_video(src, analysis(n, w, h, reps), tmp_path / "parts.mp4",
                                  lambda f, stage: calls.append((f, stage)), workers=4)
    assert parts == tmp_path / "parts.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.mp4", "parts.mp4", "src.mkv"]

    def frames(path: Path) -> list[tuple[float, np.ndarray]]:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            return [(float(f.pts * stream.time_base), f.to_ndarray(format="bgr24"))
                    for f in container.decode(stream)]

    def key_frames(path: Path) -> list[int]:
        with av.open(str(path)) as container:
            return [i for i, f in enumerate(container.decode(video=0)) if f.key_frame]

    assert key_frames(one) == [0] and key_frames(parts) == [0, n // 2]  # drawn in two parts
    a, b = frames(one), frames(parts)
    assert len(a) == len(b) == n
    assert [t for t, _ in b] == pytest.approx([t for t, _ in a], abs=1e-4)
    # The same drawing on every frame; only the encoder's choices differ where the second part
    # starts on a key frame.
    diffs = [np.abs(x.astype(int) - y.astype(int)).mean() for (_, x), (_, y) in zip(a, b, strict=True)]
    assert max(diffs) < 1.5
    assert [red_share(x) > 0.01 for _, x in a] == [red_share(y) > 0.01 for _, y in b]
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_two_cores_write_the_video_in_one_piece(tmp_path: Path) -> None:
    # One writer already keeps about two cores busy: parts pay only with twice that.
    n, w, h = 160, 320, 240
    src = source_clip(tmp_path / "src.mkv", n, w, h)
    out = write_annotated_video(src, analysis(n, w, h, ()), tmp_path / "out.mp4", workers=2)
    with av.open(str(out)) as container:
        assert [i for i, f in enumerate(container.decode(video=0)) if f.key_frame] == [0]
