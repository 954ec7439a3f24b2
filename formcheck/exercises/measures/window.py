"""Frames and windows of a rep that several measures read: around the bottom, the standing
frames, running medians, frame counts from seconds.

Each measure takes a RepContext and returns a value, or (value, time_s), in pixel coordinates on
the smoothed poses (formulas from biomechanics.md); its uncertainty is in formcheck.faults.
"""

from __future__ import annotations

import numpy as np

from formcheck.exercises.base import RepContext
from formcheck.pose.landmarks import joint

NAN = float("nan")


def frames(ctx: RepContext, seconds: float) -> int:
    return max(1, int(round(seconds * ctx.seq.fps)))


def arg_extreme(series: np.ndarray, lo: int, hi: int, worst: str = "max") -> int | None:
    part = series[lo:hi + 1]
    if part.size == 0 or not np.isfinite(part).any():
        return None
    return lo + int(np.nanargmax(part) if worst == "max" else np.nanargmin(part))


def y_px(ctx: RepContext, name: str, side: str) -> np.ndarray:
    return ctx.seq.px(joint(name, side))[:, 1]


def around_bottom(ctx: RepContext, frac: float = 0.3) -> slice:
    """Frames within `frac` of the rep's duration either side of the bottom."""
    half = max(1, int((ctx.end - ctx.start) * frac))
    return slice(max(ctx.start, ctx.bottom - half), min(ctx.end, ctx.bottom + half) + 1)


def top_median(ctx: RepContext, series: np.ndarray, frac: float = 0.15) -> float:
    """Median of a series over the rep's standing frames (driver within `frac` of its top),
    from the calibration frame to the rep's end: steadier than one frame."""
    w = ctx.window
    span = slice(min(ctx.base, ctx.start), ctx.end + 1)
    with np.errstate(invalid="ignore"):
        top = ctx.driver[span] <= w.baseline + frac * (w.peak - w.baseline)
    values = series[span][top]
    values = values[np.isfinite(values)]
    return float(np.median(values)) if values.size else ctx.base_value(series)


def running_median(values: np.ndarray, width: int) -> np.ndarray:
    """Median over a centred window of `width` frames (NaN ignored; NaN where all are missing)."""
    pad = width // 2
    padded = np.pad(values, pad, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.full(len(values), np.nan)
    ok = np.isfinite(windows).any(axis=1)
    out[ok] = np.nanmedian(windows[ok], axis=1)
    return out
