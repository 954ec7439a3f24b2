"""Recognition scored on labelled clips: right (the label's id or an alias of it), unsure, wrong,
and the confusion matrix of labelled against recognised exercises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from rich.console import Console

from formcheck.exercises.registry import get_exercise
from formcheck.report import Report

UNSURE = "unsure"


class Scored(Protocol):
    label: dict
    report: Report | None


def outcome(label: dict, report: Report | None) -> tuple[str, str]:
    """(labelled id, what was recognised: an id, "unsure", or "error")."""
    want = get_exercise(label["exercise"]).id
    if report is None or report.recognition is None:
        return want, "error"
    rec = report.recognition
    if not rec["sure"]:
        return want, UNSURE
    return want, rec["exercise"]


def is_right(want: str, got: str) -> bool:
    return got not in (UNSURE, "error") and get_exercise(got).id == want


@dataclass
class RecognitionScores:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    # Per clip: was the model's first choice the labelled exercise, sure or not?
    tops: list[bool] = field(default_factory=list)

    @property
    def top(self) -> int:
        return sum(self.tops)

    @property
    def right(self) -> int:
        return sum(is_right(w, g) for w, g in self.pairs)

    @property
    def unsure(self) -> int:
        return sum(g == UNSURE for _, g in self.pairs)

    @property
    def wrong(self) -> int:
        return len(self.pairs) - self.right - self.unsure

    def summary(self) -> str:
        n = len(self.pairs)
        pct = (lambda a: f"{100 * a / n:.1f}% ({a}/{n})") if n else (lambda a: "n/a")
        return (f"recognition on usable clips: right {pct(self.right)}, unsure {pct(self.unsure)}, "
                f"wrong {pct(self.wrong)}, top guess right {pct(self.top)}")


def score_recognition(results: Iterable[Scored]) -> RecognitionScores:
    s = RecognitionScores()
    for r in results:
        if r.label.get("usable"):
            want, got = outcome(r.label, r.report)
            s.pairs.append((want, got))
            rec = r.report.recognition if r.report is not None else None
            s.tops.append(rec is not None and is_right(want, rec["exercise"]))
    return s


def confusion_lines(s: RecognitionScores) -> list[str]:
    """The confusion matrix as text that fits a terminal: rows are the labelled exercises,
    columns numbered (legend below), "?" for unsure."""
    rows = sorted({w for w, _ in s.pairs})
    cols = sorted({g for _, g in s.pairs} - {UNSURE, "error"}) + [
        c for c in (UNSURE, "error") if any(g == c for _, g in s.pairs)]
    counts = Counter(s.pairs)
    code = {c: ("?" if c == UNSURE else "!" if c == "error" else str(k + 1)) for k, c in enumerate(cols)}
    width = max(len(r) for r in rows) if rows else 5
    lines = [f"{'label':>{width}} " + " ".join(f"{code[c]:>3}" for c in cols)]
    for w in rows:
        lines.append(f"{w:>{width}} " + " ".join(f"{counts[(w, c)] or '.':>3}" for c in cols))
    lines.append("  " + ", ".join(f"{code[c]} {c}" for c in cols))
    return lines


def print_recognition(results: Iterable[Scored], console: Console) -> RecognitionScores:
    s = score_recognition(results)
    for line in confusion_lines(s):
        console.print(line, highlight=False, soft_wrap=True)
    console.print(s.summary(), highlight=False, soft_wrap=True)
    return s
