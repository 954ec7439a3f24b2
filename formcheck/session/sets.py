"""One set found in a session recording: its exercise, working leg, time span and report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from formcheck.report import Report

__all__ = ["SessionSet"]


@dataclass(frozen=True)
class SessionSet:
    index: int
    exercise: str
    side: str | None  # working leg of a per-leg set, else None
    start_s: float
    end_s: float
    report: Report
    recognition: dict[str, Any] | None = None
    named: bool = False  # the exercise was named by the athlete, not recognised

    @property
    def rep_count(self) -> int:
        return self.report.rep_count

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "exercise": self.exercise, "side": self.side,
                "start_s": round(self.start_s, 2), "end_s": round(self.end_s, 2),
                "duration_s": round(self.end_s - self.start_s, 2), "rep_count": self.rep_count,
                "reps_by_side": self.report.reps_by_side, "recognition": self.recognition,
                "named": self.named, "report": self.report.to_dict()}
