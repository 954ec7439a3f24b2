"""The wire format, defined once: the report, the per-frame data and the live messages as typed
models. The API declares them as its response models, the worker and the live socket build their
JSON through them, and /openapi.json documents them.

Reports are a stable contract (formcheck/report.py): fields are added, never renamed. The models
accept fields they do not list yet (extra="allow") so a newer library's report still passes, and
give every field but the exercise and the codes a default, so a stored report written by an older
version (or by another tool) is still served rather than refused.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    model_config = ConfigDict(extra="allow")


class ReportFault(Wire):
    code: str
    severity: str = "minor"
    time_s: float = 0.0
    value: float | None = None
    limit: float | None = None
    unit: str = ""
    cue: str = ""
    side: str | None = None
    rep: int | None = None
    message: str = ""
    # Schema 2: "clear" beyond the limit by more than the uncertainty, "possible" by less.
    confidence: Literal["clear", "possible"] = "clear"
    margin: float | None = None  # value minus limit, positive = worse
    uncertainty: float | None = None
    title: str | None = None


class ReportRep(Wire):
    index: int
    side: str | None = None
    start_s: float = 0.0
    bottom_s: float = 0.0
    end_s: float = 0.0
    duration_s: float | None = None
    faults: list[ReportFault] = []
    metrics: dict[str, float | None] = {}
    uncertainty: dict[str, float | None] = {}  # schema 2: each metric's uncertainty


class NotAssessedItem(Wire):
    code: str
    reason: str
    how_to_film: str = ""


class Comparison(Wire):
    """One measurement, left against right, in words and units against its noise floor."""

    code: str
    left: float | None
    right: float | None
    difference: float | None
    unit: str
    noise: float | None
    beyond_noise: bool
    worse: Literal["left", "right"] | None
    measure: str
    text: str


class Asymmetry(Wire):
    """Left versus right (formcheck.summary.asymmetry); empty in reports of older versions."""

    per_leg: bool | None = None
    reps: dict[str, int] | None = None
    reps_lsi: float | None = None
    tempo_s: dict[str, float | None] | None = None
    tempo_lsi: float | None = None
    faults: dict[str, int] | None = None
    metrics: dict[str, dict[str, float | None]] | None = None
    findings: list[str] = []
    comparisons: list[Comparison] = []
    verdict: str | None = None


class Prescription(Wire):
    text: str | None = None
    min: int | None = None
    max: int | None = None
    per_leg: bool | None = None
    status: str | None = None


class VideoInfoOut(Wire):
    fps: float
    frames: int
    duration_s: float
    width: int
    height: int


class ReportOut(Wire):
    """formcheck.report.Report.to_dict(), as stored and served."""

    schema_version: int = 1
    exercise: str
    exercise_name: str = ""
    view: str = ""
    facing: str | None = None
    per_leg: bool | None = None  # reports written before it was added lack it
    rep_count: int = 0
    reps_by_side: dict[str, int] | None = None
    reps: list[ReportRep] = []
    not_assessed: list[NotAssessedItem] = []
    asymmetry: Asymmetry = Asymmetry()
    prescription: Prescription = Prescription()
    warnings: list[str] = []
    exercise_mismatch: str | None = None
    video: VideoInfoOut | None = None


class Frames(Wire):
    """Per-frame data of a finished analysis (GET /api/analyses/{id}/frames)."""

    t: list[float | None]
    width: int
    height: int
    fps: float
    landmarks: list[list[list[float | None]]]  # (T, 33, [x, y, visibility]), x and y 0..1
    signals: dict[str, list[float | None]]  # per-frame angles (deg) and the rep driver
    connections: list[tuple[int, int]]


# ---- the live WebSocket (/api/live) ----

class LiveReady(Wire):
    type: Literal["ready"] = "ready"
    exercise: str
    name: str
    per_leg: bool
    landmark_names: list[str]
    connections: list[tuple[int, int]]


class LiveFault(Wire):
    code: str
    title: str | None = None
    severity: str
    value: float | None
    limit: float | None
    unit: str
    cue: str
    side: str | None
    confidence: Literal["clear", "possible"] = "clear"
    margin: float | None = None
    uncertainty: float | None = None


class LiveRepEvent(Wire):
    type: Literal["rep"] = "rep"
    index: int
    side: str | None
    start_s: float
    bottom_s: float
    end_s: float
    faults: list[LiveFault]
    cue: str | None


class LiveFrame(Wire):
    type: Literal["frame"] = "frame"
    seq: int
    t: float
    latency_ms: float
    dropped: int
    landmarks: list[list[float | None]] | None
    angles: dict[str, float]
    reps: dict[str, int]
    view: str
    events: list[LiveRepEvent]


class LiveMessage(Wire):
    """An error with one frame (the session goes on), or the session closing."""

    type: Literal["error", "closed"]
    detail: str


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON-ready dict of a wire model (what is sent or stored)."""
    return model.model_dump(mode="json")
