"""Rep segmentation: one streaming hysteresis counter, used offline and live.

The counter reads a driver signal oriented so that larger means deeper into the rep (hip drop for a
squat, hip rise for a bridge, trunk inclination for a hinge). It keeps a running top baseline, enters
a rep when the signal leaves the baseline by `enter_frac` of the expected range of motion (ROM) and
closes it when the signal comes back within `exit_frac` of the baseline (biomechanics.md section 12).
The expected ROM starts from a prior (the exercise's typical ROM, or offline the clip's own range)
and then follows the reps actually done, so jitter smaller than the hysteresis band never counts.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RepSpec:
    """How reps are cut from a driver signal (units are the driver's own).

    rom_prior: typical excursion of one rep. min_excursion: smallest excursion that is a rep at all
    (jitter and fidgeting stay below it). enter_frac/exit_frac: hysteresis band as fractions of the
    expected ROM. min_duration_s/max_duration_s: plausible rep durations. baseline_window_s: how far
    back the top baseline looks, so slow drifts (stepping closer to the camera) do not pile up.
    A rep that starts with the stream (the clip opens mid-rep) is held for up to `edge_wait_s`
    and dropped if the signal then settles lower than where it started by more than
    `partial_frac` of its excursion: the real top was never seen, so the rep was cut.
    """

    rom_prior: float
    min_excursion: float
    enter_frac: float = 0.4
    exit_frac: float = 0.35
    rebound_frac: float = 0.5
    bound_frac: float = 0.12
    min_duration_s: float = 0.5
    max_duration_s: float = 20.0
    baseline_window_s: float = 3.0
    max_gap_s: float = 1.0
    edge_wait_s: float = 1.0
    partial_frac: float = 0.3


@dataclass(frozen=True)
class RepWindow:
    """One rep found in the driver: times (s) of start, bottom (deepest) and end, and its depth."""

    start_s: float
    bottom_s: float
    end_s: float
    baseline: float
    peak: float

    @property
    def excursion(self) -> float:
        return self.peak - self.baseline


class RepCounter:
    """Feed (t, value) one sample at a time; `update` returns a RepWindow when a rep closes."""

    def __init__(self, spec: RepSpec, rom: float | None = None) -> None:
        self.spec = spec
        if rom is None or not math.isfinite(rom):
            # Live, nothing seen yet: let the first rep in on min_excursion alone (a partial or
            # box pistol is still a rep), then follow the reps actually done.
            rom = min(spec.rom_prior, spec.min_excursion / spec.enter_frac)
        self.rom = max(rom, spec.min_excursion)
        self._recent: deque[tuple[float, float]] = deque()  # (t, v) since the rep start candidate
        self._down = False
        self._baseline = math.nan
        self._peak = -math.inf
        self._peak_t = 0.0
        self._trough = math.inf
        self._trough_t = 0.0
        self._last_t: float | None = None
        self._excursions: list[float] = []
        self._first_t: float | None = None
        self._held: RepWindow | None = None
        self._held_t = 0.0
        self._held_low = math.inf

    @property
    def baseline(self) -> float:
        return self._baseline

    def _enter_level(self) -> float:
        return max(self.spec.min_excursion, self.spec.enter_frac * self.rom)

    def update(self, t: float, value: float) -> RepWindow | None:
        if not math.isfinite(value):
            return None
        if self._last_t is not None and t - self._last_t > self.spec.max_gap_s:
            self._reset()  # the person left the frame: a rep across the gap is not trusted
        if self._first_t is None:
            self._first_t = t
        self._last_t = t
        released = self._check_held(t, value)
        rep = self._step(t, value)
        if rep is not None and rep.start_s <= self._first_t + 1e-6 and not self._excursions[:-1]:
            self._held, self._held_t, self._held_low = rep, t, value
            return released
        return rep if released is None else released

    def finish(self) -> RepWindow | None:
        """End of the stream: a held edge rep is judged on what was seen."""
        held, self._held = self._held, None
        if held is not None and self._edge_rep_ok(held):
            return held
        return None

    def _edge_rep_ok(self, rep: RepWindow) -> bool:
        return rep.baseline - self._held_low <= self.spec.partial_frac * rep.excursion

    def _check_held(self, t: float, value: float) -> RepWindow | None:
        if self._held is None:
            return None
        self._held_low = min(self._held_low, value)
        if t - self._held_t < self.spec.edge_wait_s and not self._down:
            return None
        return self.finish()

    def _step(self, t: float, value: float) -> RepWindow | None:
        self._recent.append((t, value))
        if not self._down:
            self._track_top(t)
            if value - self._baseline >= self._enter_level():
                self._down = True
                self._peak, self._peak_t = value, t
                self._trough, self._trough_t = value, t
            return None
        if value > self._peak:
            self._peak, self._peak_t = value, t
            self._trough, self._trough_t = value, t
        elif value < self._trough:
            self._trough, self._trough_t = value, t
        excursion = self._peak - self._baseline
        if value <= self._baseline + self.spec.exit_frac * excursion:
            return self._close(t)
        if self._rebounded(value, excursion):
            # Came most of the way back up, then went down again without reaching the old top
            # (the top baseline was a tracking glitch): close the rep at the turn, open the next.
            turn_t, turn_v = self._trough_t, self._trough
            since_turn = deque(s for s in self._recent if s[0] >= turn_t)
            rep = self._close(turn_t)
            self._recent = since_turn
            self._baseline = turn_v
            self._down, self._peak, self._peak_t = True, value, t
            self._trough, self._trough_t = value, t
            return rep
        if t - self._recent[0][0] > self.spec.max_duration_s:
            self._reset()  # never came back up: not a rep, start afresh from here
        return None

    def _rebounded(self, value: float, excursion: float) -> bool:
        came_back = self._peak - self._trough >= self.spec.rebound_frac * excursion
        return came_back and value - self._trough >= self._enter_level()

    def _track_top(self, t: float) -> None:
        while self._recent and t - self._recent[0][0] > self.spec.baseline_window_s:
            self._recent.popleft()
        self._baseline = min(v for _, v in self._recent)

    def _close(self, t_exit: float) -> RepWindow | None:
        base, peak = self._baseline, self._peak
        bound = base + self.spec.bound_frac * (peak - base)
        samples = list(self._recent)
        before = [s for s in samples if s[0] <= self._peak_t]
        start = next((s[0] for s in reversed(before) if s[1] <= bound), before[0][0])
        end = t_exit
        window = RepWindow(start, self._peak_t, end, base, peak)
        self._down = False
        self._recent = deque([samples[-1]])
        self._baseline = samples[-1][1]
        self._peak = -math.inf
        duration = end - start
        if peak - base < self.spec.min_excursion or not (
            self.spec.min_duration_s <= duration <= self.spec.max_duration_s
        ):
            return None
        self._excursions.append(peak - base)
        recent = sorted(self._excursions[-5:])
        self.rom = max(recent[len(recent) // 2], self.spec.min_excursion)
        return window

    def _reset(self) -> None:
        self._first_t = None
        self._recent.clear()
        self._down = False
        self._baseline = math.nan
        self._peak = -math.inf


def count_reps(t: list[float] | tuple[float, ...], values: list[float], spec: RepSpec,
               rom: float | None = None) -> list[RepWindow]:
    """Run the streaming counter over a whole signal (offline use of the same machine)."""
    counter = RepCounter(spec, rom)
    reps = []
    for ti, vi in zip(t, values, strict=True):
        rep = counter.update(float(ti), float(vi))
        if rep is not None:
            reps.append(rep)
    last = counter.finish()
    if last is not None:
        reps.append(last)
    return reps


def robust_rom(values: list[float] | object, low_q: float = 5.0, high_q: float = 95.0) -> float:
    """Offline ROM prior: spread between low and high percentiles of the finite samples."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size < 3:
        return math.nan
    return float(np.percentile(arr, high_q) - np.percentile(arr, low_q))
