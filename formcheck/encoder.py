"""Write BGR frames to a video file a web browser can play.

Codec choice: H.264 (libx264, yuv420p) in an .mp4 with the index ("moov atom") at the front,
through PyAV. H.264 mp4 plays in every browser and phone, and `+faststart` lets a browser start
playing before the whole file has downloaded. OpenCV's pip wheel cannot encode H.264 (its avc1/H264
writers fail to open) and its mp4v (MPEG-4 Part 2) output plays in no browser; PyAV's wheel bundles
libx264. When PyAV or libx264 is missing, the writer falls back to VP9 in .webm through OpenCV,
which browsers also play.

Encoding runs on a worker thread fed through a small bounded queue: x264 and OpenCV release the GIL,
so encoding overlaps with decoding and drawing the next frames, and the queue bounds memory to a
few frames whatever the length of the video.
"""

from __future__ import annotations

import logging
import queue
import threading
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np

from formcheck.errors import VideoError

log = logging.getLogger(__name__)

# 90 kHz is the MPEG clock: every common frame rate (24, 25, 29.97, 30, 50, 59.94, 60) is a whole
# number of ticks, and variable-rate phone timestamps keep sub-millisecond precision.
TIME_BASE = Fraction(1, 90000)
# Frames waiting for the encoder; each is one BGR image (2.7 MB at 720p).
QUEUE_FRAMES = 8

_STOP = None


def frame_rate(fps: float) -> Fraction:
    """A frame rate as an exact fraction (29.97 -> 30000/1001, 30.0 -> 30)."""
    if not np.isfinite(fps) or fps <= 0:
        raise VideoError(f"cannot write a video at {fps} frames per second")
    return Fraction(fps).limit_denominator(1001)


def even_size(width: int, height: int) -> tuple[int, int]:
    """The size rounded up to even numbers: 4:2:0 chroma needs whole 2x2 blocks."""
    return width + width % 2, height + height % 2


def h264_available() -> bool:
    """Is PyAV installed with the libx264 encoder?"""
    try:
        import av
    except ImportError:
        return False
    try:
        av.codec.Codec("libx264", "w")
    except (ValueError, av.FFmpegError):
        return False
    return True


class _H264Sink:
    """libx264 through PyAV into .mp4 with +faststart; frames carry their own timestamps."""

    codec = "h264"

    def __init__(self, path: Path, width: int, height: int, rate: Fraction, crf: int,
                 preset: str) -> None:
        import av

        self._av = av
        self.path = path
        self._container = av.open(str(path), "w", format="mp4",
                                  container_options={"movflags": "+faststart"})
        stream = self._container.add_stream(
            "libx264", rate=rate, options={"crf": str(crf), "preset": preset})
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = TIME_BASE
        stream.codec_context.time_base = TIME_BASE
        # PyAV asks for slice threads, which barely help x264 on small frames; frame threads
        # keep every core busy (a few frames of latency, nothing else).
        stream.codec_context.thread_type = "FRAME"
        stream.codec_context.thread_count = 0
        self._stream = stream
        self._ticks = round(1 / (rate * TIME_BASE))  # one frame's duration in TIME_BASE ticks

    def write(self, image: np.ndarray, pts: int) -> None:
        # OpenCV's BT.601 limited-range conversion is what swscale would do, only faster.
        yuv: np.ndarray = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)
        frame = self._av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        frame.pts, frame.time_base, frame.duration = pts, TIME_BASE, self._ticks
        self._container.mux(self._stream.encode(frame))

    def close(self) -> None:
        try:
            self._container.mux(self._stream.encode(None))
        finally:
            self._container.close()


class _VP9Sink:
    """VP9 in .webm through OpenCV's FFmpeg backend: constant frame rate, no timestamps."""

    codec = "vp9"

    def __init__(self, path: Path, width: int, height: int, rate: Fraction) -> None:
        self.path = path.with_suffix(".webm")
        fourcc = cv2.VideoWriter.fourcc(*"VP90")
        self._writer = cv2.VideoWriter(str(self.path), fourcc, float(rate), (width, height))
        if not self._writer.isOpened():
            raise VideoError(f"{self.path}: no video encoder available (neither H.264 nor VP9)")

    def write(self, image: np.ndarray, pts: int) -> None:
        self._writer.write(image)

    def close(self) -> None:
        self._writer.release()


class VideoWriter:
    """Context manager writing BGR uint8 frames (H, W, 3) to a browser-playable video.

    fps: the input's frame rate; `write(image, t)` takes each frame's timestamp in seconds so the
    output keeps the input's timing and length (t=None: frames are evenly spaced at fps). Odd
    sizes are padded to even by repeating the last column/row. codec: "auto" (H.264 mp4 if PyAV
    with libx264 is installed, else VP9 webm), "h264" or "vp9". After a fall-back to VP9 the file
    is written next to `path` with a .webm suffix: read `writer.path` for where it went.
    """

    def __init__(self, path: str | Path, width: int, height: int, fps: float, *, crf: int = 23,
                 preset: str = "veryfast", codec: str = "auto",
                 queue_frames: int = QUEUE_FRAMES) -> None:
        if width <= 0 or height <= 0:
            raise VideoError(f"cannot write a video of size {width}x{height}")
        self.size = (width, height)
        self.rate = frame_rate(fps)
        self.frames = 0
        self._sink = _open_sink(Path(path), *even_size(width, height), self.rate, crf, preset,
                                codec)
        self._t0: float | None = None
        self._last_pts = -1
        self._error: BaseException | None = None
        self._queue: queue.Queue[tuple[np.ndarray, int] | None] = queue.Queue(queue_frames)
        self._thread = threading.Thread(target=self._run, name="video-encoder", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        return self._sink.path

    @property
    def codec(self) -> str:
        return self._sink.codec

    def write(self, image: np.ndarray, t: float | None = None) -> None:
        """Queue one BGR frame shown at `t` seconds. The writer owns `image` from now on."""
        self._raise_worker_error()
        if not self._thread.is_alive():
            raise VideoError(f"{self.path}: the video is already closed")
        if image.shape[:2] != self.size[::-1] or image.ndim != 3:
            raise VideoError(f"frame of shape {image.shape} does not match the video size "
                             f"{self.size[0]}x{self.size[1]}")
        self._queue.put((image, self._pts(t)))
        self.frames += 1

    def _pts(self, t: float | None) -> int:
        """Timestamp in TIME_BASE ticks from the first frame, strictly increasing."""
        if t is None or not np.isfinite(t):
            pts = round(self.frames / (self.rate * TIME_BASE))
        else:
            self._t0 = t if self._t0 is None else self._t0
            pts = round((t - self._t0) / TIME_BASE)
        pts = max(pts, self._last_pts + 1)
        self._last_pts = pts
        return pts

    def _run(self) -> None:
        while (item := self._queue.get()) is not _STOP:
            if self._error is not None:
                continue  # keep draining so the producer never blocks on a dead worker
            image, pts = item
            try:
                self._sink.write(_pad_even(image), pts)
            except Exception as exc:  # re-raised in the caller's thread on the next call
                self._error = exc

    def _raise_worker_error(self) -> None:
        if self._error is not None:
            raise VideoError(f"{self.path}: encoding failed ({self._error})") from self._error

    def close(self) -> None:
        """Flush the encoder and finish the file (idempotent)."""
        if not self._thread.is_alive():
            return
        self._queue.put(_STOP)
        self._thread.join()
        try:
            self._sink.close()
        except Exception as exc:
            self._error = self._error or exc
        self._raise_worker_error()
        log.debug("wrote %d frames to %s (%s)", self.frames, self.path, self.codec)

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc is None:
            self.close()
            return
        try:  # finish what was written, but let the caller's error be the one reported
            self.close()
        except VideoError as close_error:
            log.debug("closing %s after an error: %s", self.path, close_error)


def _pad_even(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    if h % 2 == 0 and w % 2 == 0:
        return image
    # Repeating the edge pixels keeps 2x2 chroma blocks at the border free of a dark smear.
    return cv2.copyMakeBorder(image, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE)


def _open_sink(path: Path, width: int, height: int, rate: Fraction, crf: int, preset: str,
               codec: str) -> _H264Sink | _VP9Sink:
    if codec not in ("auto", "h264", "vp9"):
        raise VideoError(f"unknown video codec {codec!r}: use auto, h264 or vp9")
    path.parent.mkdir(parents=True, exist_ok=True)
    if codec != "vp9" and h264_available():
        try:
            return _H264Sink(path, width, height, rate, crf, preset)
        except OSError as exc:
            raise VideoError(f"{path}: cannot write the video ({exc})") from exc
    if codec == "h264":
        raise VideoError("H.264 encoding needs PyAV with libx264 (pip install av)")
    if codec == "auto":
        log.warning("H.264 encoder unavailable: writing VP9 webm instead")
    return _VP9Sink(path, width, height, rate)


def join_h264(parts: list[Path], starts_s: list[float], out_path: str | Path) -> Path:
    """Join H.264 mp4 files written by VideoWriter one after the other into one mp4 (+faststart),
    without re-encoding: part k's frames are shifted to start at starts_s[k] seconds. Every part
    starts with a key frame and refers to no other part, so the packets only need new timestamps
    (decode times stay increasing: every part has the same B-frame delay). The parts must have
    been encoded alike (same size, rate, crf and preset: the same stream headers)."""
    import av

    out_path = Path(out_path)
    with av.open(str(out_path), "w", format="mp4",
                 container_options={"movflags": "+faststart"}) as out:
        stream = None
        extradata = None
        for part, start_s in zip(parts, starts_s, strict=True):
            with av.open(str(part)) as src:
                video = src.streams.video[0]
                if stream is None:
                    stream = out.add_stream_from_template(video)
                    extradata = video.codec_context.extradata
                elif video.codec_context.extradata != extradata:
                    raise VideoError(f"{part}: encoded with other settings than {parts[0]}")
                timed = []  # the flush packets at the end carry no data and no timestamps
                for packet in src.demux(video):
                    if packet.pts is not None and packet.dts is not None:
                        timed.append((packet, packet.pts, packet.dts))
                if not timed or video.time_base is None:
                    continue
                shift = round(start_s / video.time_base) - min(pts for _, pts, _ in timed)
                for packet, pts, dts in timed:
                    packet.pts, packet.dts = pts + shift, dts + shift
                    packet.stream = stream
                    out.mux(packet)
    return out_path
