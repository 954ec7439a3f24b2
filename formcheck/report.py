"""Report types: plain dataclasses, no numpy inside, JSON out of the box.

The JSON contract (other tools and the service rely on it; add fields, never rename):

    {"exercise", "view", "rep_count", "reps_by_side", "reps": [{"index", "side", "start_s",
     "bottom_s", "end_s", "faults": [{"code", "severity", "time_s", "value", "limit", "unit",
     "cue", "confidence", "margin"}]}], "not_assessed": [{"code", "reason"}], "video": {"fps",
     "frames", "duration_s", "width", "height"}}

Schema 2 added each fault's "confidence" ("clear" | "possible"), "margin" (value minus limit, signed
so that positive is worse), "uncertainty" and "title", each rep's "uncertainty" per metric, and
"per_leg".
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from formcheck.faults import title

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Fault:
    """One fault found in one rep: what, how bad, when, the measured value against its limit."""

    code: str
    severity: str  # "minor" | "major"
    time_s: float
    value: float
    limit: float
    unit: str
    cue: str
    side: str | None = None
    rep: int | None = None
    message: str = ""
    # "clear": beyond the limit by more than the measurement's uncertainty; "possible": beyond the
    # limit by less ("worth a look"). margin: value minus limit in the unit, positive = worse.
    confidence: str = "clear"
    margin: float = 0.0
    uncertainty: float = 0.0

    @property
    def clear(self) -> bool:
        return self.confidence == "clear"


@dataclass(frozen=True)
class Rep:
    """One repetition: working side (None for two-legged work) and its start/bottom/end times (s)."""

    index: int
    side: str | None
    start_s: float
    bottom_s: float
    end_s: float
    faults: tuple[Fault, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict)
    # Each metric's uncertainty in this rep (same keys as metrics, same units).
    uncertainty: dict[str, float] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class NotAssessed:
    """A check that could not be made from this clip, and how to film so that it can."""

    code: str
    reason: str
    how_to_film: str = ""


@dataclass(frozen=True)
class Report:
    exercise: str
    view: str
    reps: tuple[Rep, ...]
    not_assessed: tuple[NotAssessed, ...]
    video: dict[str, Any]
    per_leg: bool
    exercise_name: str = ""
    facing: str | None = None
    asymmetry: dict[str, Any] = field(default_factory=dict)
    prescription: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Why the movement does not look like the exercise chosen (formcheck.mismatch), or None.
    mismatch: str | None = None
    recognition: dict[str, Any] | None = None  # set when the exercise was recognised, not given

    @property
    def rep_count(self) -> int:
        return len(self.reps)

    @property
    def reps_by_side(self) -> dict[str, int] | None:
        if not self.per_leg:
            return None
        counts = {"left": 0, "right": 0}
        for rep in self.reps:
            if rep.side in counts:
                counts[rep.side] += 1
        return counts

    @property
    def faults(self) -> list[Fault]:
        return [f for rep in self.reps for f in rep.faults]

    def to_dict(self) -> dict[str, Any]:
        reps = []
        for rep in self.reps:
            r = asdict(rep)
            r["faults"] = [_fault_dict(f) for f in rep.faults]
            r["duration_s"] = round(rep.duration_s, 3)
            reps.append(r)
        return {
            "schema_version": SCHEMA_VERSION,
            "exercise": self.exercise,
            "exercise_name": self.exercise_name,
            "view": self.view,
            "facing": self.facing,
            "rep_count": self.rep_count,
            "reps_by_side": self.reps_by_side,
            "per_leg": self.per_leg,
            "reps": reps,
            "not_assessed": [asdict(n) for n in self.not_assessed],
            "asymmetry": self.asymmetry,
            "prescription": self.prescription,
            "warnings": list(self.warnings),
            "exercise_mismatch": self.mismatch,
            "video": self.video,
            **({"recognition": self.recognition} if self.recognition is not None else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def to_csv(self) -> str:
        """One row per rep and fault (a rep with no fault gets one row with empty fault columns)."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["rep", "side", "start_s", "bottom_s", "end_s", "fault", "severity",
                    "time_s", "value", "limit", "unit", "cue", "confidence", "margin"])
        for rep in self.reps:
            base = [rep.index, rep.side or "", rep.start_s, rep.bottom_s, rep.end_s]
            if not rep.faults:
                w.writerow(base + [""] * 9)
            for f in rep.faults:
                w.writerow(base + [f.code, f.severity, f.time_s, f.value, f.limit, f.unit, f.cue,
                                   f.confidence, f.margin])
        return out.getvalue()


def _fault_dict(f: Fault) -> dict[str, Any]:
    d = asdict(f)
    d["time_s"] = round(float(d["time_s"]), 3)
    d["title"] = title(f.code)
    return d
