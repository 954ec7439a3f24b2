"""VideoWriter: H.264 mp4 that browsers play, same frames, rate and length as the input."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import encoder
from formcheck.encoder import VideoWriter, even_size, frame_rate
from formcheck.errors import VideoError


def decode(path: Path) -> tuple[dict, list[av.VideoFrame]]:
    """(stream facts, decoded frames) read back with PyAV."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        facts = {"codec": stream.codec_context.name, "rate": stream.average_rate,
                 "duration_s": container.duration / av.time_base, "pix_fmt": stream.pix_fmt}
    return facts, frames


def gradient(i: int, w: int, h: int) -> np.ndarray:
    """A moving BGR test pattern (H, W, 3) uint8."""
    x = np.arange(w, dtype=np.int32)[None, :]
    y = np.arange(h, dtype=np.int32)[:, None]
    img = np.zeros((h, w, 3), dtype=np.uint8)
    img[..., 0] = (x * 3 + i * 4) % 256
    img[..., 1] = (y * 3) % 256
    img[..., 2] = (x + y + i * 8) % 256
    return img


def write(path: Path, n: int, w: int, h: int, fps: float, **kw: object) -> VideoWriter:
    with VideoWriter(path, w, h, fps, **kw) as vw:
        for i in range(n):
            vw.write(gradient(i, w, h), i / fps)
    return vw


@pytest.mark.parametrize("fps", [30.0, 25.0, 30000 / 1001])
def test_h264_mp4_keeps_frame_count_rate_and_length(tmp_path: Path, fps: float) -> None:
    vw = write(tmp_path / "out.mp4", 45, 96, 64, fps)
    facts, frames = decode(vw.path)
    assert vw.path == tmp_path / "out.mp4" and vw.codec == "h264"
    assert facts["codec"] == "h264" and facts["pix_fmt"] == "yuv420p"
    assert len(frames) == 45
    assert abs(float(facts["rate"]) - fps) < 1e-3
    assert abs(facts["duration_s"] - 45 / fps) <= 1 / fps
    assert (frames[0].width, frames[0].height) == (96, 64)


def test_index_is_at_the_front_for_streaming(tmp_path: Path) -> None:
    vw = write(tmp_path / "out.mp4", 10, 64, 48, 30.0)
    data = vw.path.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")


def test_odd_sizes_are_padded_to_even(tmp_path: Path) -> None:
    vw = write(tmp_path / "odd.mp4", 12, 65, 47, 30.0)
    facts, frames = decode(vw.path)
    assert len(frames) == 12
    assert (frames[0].width, frames[0].height) == (66, 48)
    # The picture is where it was; the padding repeats its edge.
    img = frames[5].to_ndarray(format="bgr24").astype(int)
    assert np.abs(img[:47, :65] - gradient(5, 65, 47)).mean() < 8
    assert np.abs(img[:, 65] - img[:, 64]).mean() < 8 and np.abs(img[47] - img[46]).mean() < 8


def test_colours_survive_the_round_trip(tmp_path: Path) -> None:
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (200, 200, 200)]  # BGR
    img = np.zeros((64, 128, 3), dtype=np.uint8)
    for k, c in enumerate(colours):
        img[:, k * 32:(k + 1) * 32] = c
    with VideoWriter(tmp_path / "c.mp4", 128, 64, 30.0) as vw:
        for _ in range(3):
            vw.write(img.copy())
    _, frames = decode(vw.path)
    got = frames[1].to_ndarray(format="bgr24")
    for k, c in enumerate(colours):
        centre = got[24:40, k * 32 + 8:k * 32 + 24].reshape(-1, 3).mean(axis=0)
        assert np.abs(centre - c).max() < 12, (c, centre)


def test_timestamps_follow_the_input(tmp_path: Path) -> None:
    t = [0.0, 0.04, 0.07, 0.2, 0.25, 0.3]  # irregular, as phones record
    with VideoWriter(tmp_path / "vfr.mp4", 64, 48, 30.0) as vw:
        for i, ti in enumerate(t):
            vw.write(gradient(i, 64, 48), ti)
    _, frames = decode(vw.path)
    assert [round(float(f.time), 4) for f in frames] == t


def test_timestamps_start_at_zero(tmp_path: Path) -> None:
    with VideoWriter(tmp_path / "late.mp4", 64, 48, 30.0) as vw:
        for i in range(5):
            vw.write(gradient(i, 64, 48), 2.0 + i / 30)
    _, frames = decode(vw.path)
    assert frames[0].time == 0.0
    assert abs(frames[-1].time - 4 / 30) < 1e-4


def test_vp9_webm_fallback(tmp_path: Path) -> None:
    vw = write(tmp_path / "out.mp4", 15, 65, 47, 30.0, codec="vp9")
    assert vw.path == tmp_path / "out.webm" and vw.codec == "vp9"
    facts, frames = decode(vw.path)
    assert facts["codec"] == "vp9" and len(frames) == 15
    assert (frames[0].width, frames[0].height) == (66, 48)


def test_auto_falls_back_to_vp9_without_libx264(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "h264_available", lambda: False)
    vw = write(tmp_path / "out.mp4", 5, 64, 48, 30.0)
    assert vw.codec == "vp9" and vw.path.suffix == ".webm"
    with pytest.raises(VideoError, match="libx264"):
        VideoWriter(tmp_path / "x.mp4", 64, 48, 30.0, codec="h264")


def test_wrong_frame_size_is_refused(tmp_path: Path) -> None:
    with VideoWriter(tmp_path / "out.mp4", 64, 48, 30.0) as vw:
        vw.write(gradient(0, 64, 48))
        with pytest.raises(VideoError, match="does not match"):
            vw.write(gradient(0, 48, 64))
    assert len(decode(vw.path)[1]) == 1


@pytest.mark.parametrize("fps", [0.0, float("nan"), -5.0])
def test_bad_rates_are_refused(tmp_path: Path, fps: float) -> None:
    with pytest.raises(VideoError):
        VideoWriter(tmp_path / "out.mp4", 64, 48, fps)


def test_frame_rate_and_even_size() -> None:
    assert frame_rate(29.97002997) == Fraction(30000, 1001)
    assert frame_rate(30.0) == 30
    assert even_size(65, 47) == (66, 48) and even_size(64, 48) == (64, 48)


def test_write_after_close_is_refused(tmp_path: Path) -> None:
    vw = write(tmp_path / "out.mp4", 3, 64, 48, 30.0)
    with pytest.raises(VideoError, match="closed"):
        vw.write(gradient(0, 64, 48))


def test_encoder_errors_reach_the_caller(tmp_path: Path) -> None:
    with pytest.raises(VideoError, match="encoding failed"):
        write(tmp_path / "out.mp4", 20, 64, 48, 30.0, preset="no-such-preset")


def test_the_callers_error_is_not_masked(tmp_path: Path) -> None:
    with pytest.raises(KeyError), VideoWriter(tmp_path / "o.mp4", 64, 48, 30.0,
                                                preset="no-such-preset") as vw:
        vw.write(gradient(0, 64, 48))
        raise KeyError("from the caller")
