"""How long MediaPipe's tracker takes to lock on when started in the middle of a clip.

The split pose pass (formcheck.pose.parallel) starts every span's tracker OVERLAP_S early and throws
those frames away. This measures what that lead-in must be: for each clip, one pass over the whole
clip, then passes started cold at a few points (a quarter, half and three quarters in); at each
frame after a cold start, the largest difference (pixels) between the two passes' image landmarks
that the single pass saw (visibility >= 0.5), median over those landmarks.

The tracker is deterministic run to run, but it never comes back to exactly the single pass's
landmarks: a cold start's region of interest and smoothing filter leave a difference that falls
fast for a fraction of a second, then levels off at a pixel or two (it wanders, it does not keep
shrinking). Settled: the first frame at which that difference, averaged over a quarter of a second,
is within SETTLED_FACTOR of its level over the second half of the window; the printed jitter (the
pose model's own frame-to-frame noise on the clip: median distance between raw and smoothed
landmarks) is for scale.

    .venv/bin/python bench/bench_overlap.py                    # rendered fixtures + 3 footage clips
    .venv/bin/python bench/bench_overlap.py a.mp4 b.mp4 --window 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FOOTAGE_CLIPS = ROOT.parent / "shared" / "footage" / "clips"
FIXTURES = ROOT / "fixtures" / "videos"
FOOTAGE = ("squat_side", "bulgarian_split_squat_side", "step_up_front")


def default_clips() -> list[Path]:
    clips = sorted(p for p in FIXTURES.glob("*.mp4") if p.stem != "nobody")
    for prefix in FOOTAGE:
        found = sorted(FOOTAGE_CLIPS.glob(f"{prefix}_*.mp4"))
        clips += found[:1]
    return clips


def noise_px(seq) -> float:  # noqa: ANN001
    """The pose model's frame-to-frame jitter on this clip: median distance (px) between the raw
    and the smoothed landmarks it saw (what the offline smoothing removes anyway)."""
    from formcheck.smoothing import smooth_sequence

    size = np.array([seq.width, seq.height])
    d = np.linalg.norm((seq.image_xy - smooth_sequence(seq).image_xy) * size, axis=2)
    return float(np.nanmedian(d[seq.visibility >= 0.5]))


SETTLED_FACTOR = 1.5


def measure(clip: Path, window_s: float) -> tuple[float, list[tuple[float, int, float, list[float]]]]:
    """The clip's jitter (px), and per cold start: (start s, frames until settled, the level it
    settled at (px), difference at 0, 0.25, 0.5, 1, 2, 3 s)."""
    from formcheck.pose.parallel import Span, _span_pass
    from formcheck.video import probe

    info = probe(clip)
    full, _ = _span_pass(str(clip), info, Span(0, 0, None), None, False, lambda n: None)
    tol = noise_px(full)
    window = round(window_s * info.fps)
    size = np.array([full.width, full.height])
    smooth = max(1, round(0.25 * info.fps))  # a quarter of a second, as the 4 Hz smoothing sees
    out = []
    for share in (0.25, 0.5, 0.75):
        k = min(int(share * len(full)), len(full) - window)
        if k <= 0 or any(o[0] == k / info.fps for o in out):
            continue
        cold, _ = _span_pass(str(clip), info, Span(k, k, k + window), None, False, lambda n: None)
        ref = full.slice(k, k + window)
        seen = ref.visibility >= 0.5
        dist = np.linalg.norm((cold.image_xy - ref.image_xy) * size, axis=2)  # (T, 33) px
        per_frame = np.array([np.nanmedian(d[s]) if s.any() and np.isfinite(d[s]).any() else 0.0
                              for d, s in zip(dist, seen, strict=True)])
        rolling = np.convolve(per_frame, np.ones(smooth) / smooth, mode="valid")
        level = float(np.median(per_frame[window // 2:]))
        settled = int(np.argmax(rolling <= SETTLED_FACTOR * level))
        marks = [round(s * info.fps) for s in (0, 0.25, 0.5, 1, 2, 3)]
        out.append((k / info.fps, settled, level, [float(per_frame[i]) for i in marks if i < window]))
    return tol, out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("clips", nargs="*", help="video files (default: rendered fixtures + footage)")
    p.add_argument("--window", type=float, default=4.0, help="seconds tracked after a cold start")
    args = p.parse_args(argv)
    from formcheck.video import probe

    clips = [Path(c) for c in args.clips] or default_clips()
    print(f"{'clip':<40}{'jitter px':>10}{'start s':>8}{'settled':>14}{'at px':>7}"
          "   median px at 0/0.25/0.5/1/2/3 s")
    slowest = 0.0
    for clip in clips:
        fps = probe(clip).fps
        tol, rows = measure(clip, args.window)
        for start, frames, level, diffs in rows:
            slowest = max(slowest, frames / fps)
            print(f"{clip.name[:39]:<40}{tol:>10.2f}{start:>8.1f}"
                  f"{f'{frames} fr {frames / fps:.2f} s':>14}{level:>7.2f}   "
                  + " ".join(f"{d:.2f}" for d in diffs))
    print(f"slowest to settle: {slowest:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
