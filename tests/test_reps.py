import numpy as np
import pytest

from formcheck.reps import RepCounter, RepSpec, count_reps, robust_rom

SPEC = RepSpec(rom_prior=1.0, min_excursion=0.2, min_duration_s=0.5)


def reps_signal(n=5, period=2.0, pause=1.0, fps=30.0, depth=1.0, noise=0.0, seed=0):
    t = np.arange(0, n * (period + pause) + pause, 1 / fps)
    phase = (t - pause) % (period + pause)
    active = (t >= pause) & (phase < period)
    v = np.where(active, depth * np.sin(np.pi * np.clip(phase / period, 0, 1)) ** 2, 0.0)
    v += np.random.default_rng(seed).normal(0, noise, len(t))
    return t, v


def test_counts_clean_reps_with_times():
    t, v = reps_signal(n=5)
    reps = count_reps(t.tolist(), v.tolist(), SPEC)
    assert len(reps) == 5
    for i, rep in enumerate(reps):
        bottom = 1.0 + i * 3.0 + 1.0
        assert rep.bottom_s == pytest.approx(bottom, abs=0.05)
        assert rep.start_s < rep.bottom_s < rep.end_s


def test_jitter_below_hysteresis_never_counts():
    t = np.arange(0, 10, 1 / 30)
    v = 0.1 * np.sin(2 * np.pi * 3 * t)  # fast fidgeting well below min_excursion
    assert count_reps(t.tolist(), v.tolist(), SPEC) == []


def test_noisy_reps_not_double_counted():
    t, v = reps_signal(n=6, noise=0.05, seed=3)
    assert len(count_reps(t.tolist(), v.tolist(), SPEC)) == 6


def test_shallow_reps_still_count_after_deep_ones():
    t1, v1 = reps_signal(n=3, depth=1.0)
    t2, v2 = reps_signal(n=3, depth=0.5)
    t = np.concatenate([t1, t2 + t1[-1] + 1 / 30])
    v = np.concatenate([v1, v2])
    assert len(count_reps(t.tolist(), v.tolist(), SPEC, robust_rom(v))) == 6


def test_gap_in_signal_drops_rep_across_it():
    t, v = reps_signal(n=3)
    v[(t > 4.5) & (t < 6.5)] = np.nan  # person out of frame during the second rep
    reps = count_reps(t.tolist(), v.tolist(), SPEC)
    assert len(reps) == 2


def test_streaming_matches_whole():
    t, v = reps_signal(n=4, noise=0.02)
    counter = RepCounter(SPEC)
    streamed = [r for ti, vi in zip(t, v, strict=True) if (r := counter.update(ti, vi))]
    assert streamed == count_reps(t.tolist(), v.tolist(), SPEC)


def test_slow_drift_is_not_a_rep():
    t = np.arange(0, 20, 1 / 30)
    v = t * 0.02  # stepping slowly closer to the camera
    assert count_reps(t.tolist(), v.tolist(), SPEC) == []
