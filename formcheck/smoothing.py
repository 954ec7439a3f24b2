"""Filters over landmark arrays: gap fill, zero-lag Butterworth (offline), One Euro (live).

All functions take arrays whose first axis is time and NaN for missing values.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import butter, filtfilt

from formcheck.pose.sequence import PoseSequence

# Landmarks below this visibility are treated as missing before filtering.
MIN_VISIBILITY = 0.3
# Gaps up to this long are interpolated; longer gaps stay missing (biomechanics.md section 11).
MAX_GAP_S = 0.4
# Cut-off for slow strength reps: 3-6 Hz is enough (biomechanics.md section 11).
CUTOFF_HZ = 4.0


def fill_gaps(values: np.ndarray, t: np.ndarray, max_gap_s: float = MAX_GAP_S) -> np.ndarray:
    """Linearly interpolate NaN runs no longer than max_gap_s; leave longer runs and edges NaN.

    values: (T, ...) float array; t: (T,) seconds. Returns a new array of the same shape.
    """
    out = np.array(values, dtype=np.float64, copy=True)
    flat = out.reshape(len(t), -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        bad = np.isnan(col)
        if not bad.any() or bad.all():
            continue
        good = np.flatnonzero(~bad)
        interp = np.interp(t, t[good], col[good])
        # Only fill interior runs short enough.
        for start, stop in _runs(bad):
            if start == 0 or stop == len(col):
                continue
            if t[stop] - t[start - 1] <= max_gap_s:
                col[start:stop] = interp[start:stop]
    return out


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) index ranges where mask is True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def butterworth(values: np.ndarray, fps: float, cutoff_hz: float = CUTOFF_HZ) -> np.ndarray:
    """Zero-lag 4th-order Butterworth (2nd order forward and backward) on each NaN-free run.

    Runs too short to filter are left as they are. values: (T, ...).
    """
    out = np.array(values, dtype=np.float64, copy=True)
    nyq = fps / 2.0
    if cutoff_hz >= nyq * 0.95:
        return out
    b, a = butter(2, cutoff_hz / nyq)
    flat = out.reshape(out.shape[0], -1)
    min_len = 3 * max(len(a), len(b)) + 1
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for start, stop in _runs(~np.isnan(col)):
            if stop - start >= min_len:
                col[start:stop] = filtfilt(b, a, col[start:stop], padtype="odd")
    return out


def smooth_sequence(seq: PoseSequence, cutoff_hz: float = CUTOFF_HZ,
                    max_gap_s: float = MAX_GAP_S) -> PoseSequence:
    """Offline smoothing: mask low-visibility points, fill short gaps, zero-lag filter."""
    if len(seq) == 0:
        return seq
    fps = _rate(seq.t, seq.fps)
    xy = np.array(seq.image_xy, copy=True)
    xy[seq.visibility < MIN_VISIBILITY] = np.nan
    # A frame where nobody was found stays missing whatever its visibility says.
    xy = fill_gaps(xy, seq.t, max_gap_s)
    world = fill_gaps(seq.world_xyz, seq.t, max_gap_s)
    return seq.replace_arrays(
        image_xy=butterworth(xy, fps, cutoff_hz),
        world_xyz=butterworth(world, fps, cutoff_hz),
    )


def _rate(t: np.ndarray, fallback: float) -> float:
    if len(t) < 3:
        return fallback
    dt = float(np.median(np.diff(t)))
    return 1.0 / dt if dt > 0 else fallback


class OneEuroFilter:
    """One Euro filter (Casiez, Roussel & Vogel, CHI 2012) over arrays of any fixed shape.

    Low jitter when slow, low lag when fast. NaN inputs hold the last output.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.5, d_cutoff: float = 1.0) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    @staticmethod
    def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray:
        tau = 1.0 / (2 * math.pi * np.asarray(cutoff))
        return 1.0 / (1.0 + tau / dt)

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._t is None or self._dx is None:
            self._x = x.copy()
            self._dx = np.zeros_like(x)
            self._t = t
            return self._x.copy()
        dt = max(t - self._t, 1e-3)
        self._t = t
        fresh = ~np.isnan(x)
        # A point seen for the first time starts from its own value.
        new = fresh & np.isnan(self._x)
        self._x[new] = x[new]
        dx = np.where(fresh, (x - self._x) / dt, 0.0)
        a_d = self._alpha(self.d_cutoff, dt)
        self._dx = np.where(fresh, a_d * dx + (1 - a_d) * self._dx, self._dx)
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        a = self._alpha(cutoff, dt)
        self._x = np.where(fresh, a * x + (1 - a) * self._x, self._x)
        return self._x.copy()
