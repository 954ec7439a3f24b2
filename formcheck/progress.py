"""Progress callbacks: progress(fraction done 0..1, stage name), and a stage's share of a job."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[float, str], None]


def part(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A callback for one stage of a longer job: its 0..1 mapped onto start..end of the whole."""
    if progress is None:
        return None

    def report(fraction: float, stage: str) -> None:
        progress(start + min(max(fraction, 0.0), 1.0) * (end - start), stage)

    return report
