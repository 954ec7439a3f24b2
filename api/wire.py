"""The wire format, defined once: the report, the session, the per-frame data and the live
messages as typed models. The API declares them as its response models, the worker and the live
socket build their JSON through them, and /openapi.json documents them.

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
    # Schema 2: "clear" beyond the limit by more than the uncertainty, "possible" by less (or by
    # more, found by the rules of an exercise recognised without certainty).
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


class RecognitionAlternative(Wire):
    exercise: str
    confidence: float


class RecognitionOut(Wire):
    """How the exercise was recognised (formcheck.recognition): present when it was not given."""

    exercise: str
    confidence: float
    sure: bool
    alternatives: list[RecognitionAlternative] = []
    same_movement: list[str] = []  # ids the pose cannot tell apart from `exercise`
    no_reps: list[str] = []  # likelier ids passed over: their rep counters found no rep
    unsure_because: str = ""  # why a confident answer is not sure (a jump exercise, no jump seen)


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
    recognition: RecognitionOut | None = None


# ---- a session: one recording of several sets (formcheck.session) ----

class SessionSetOut(Wire):
    index: int
    exercise: str
    side: Literal["left", "right"] | None = None  # working leg of a per-leg set
    start_s: float
    end_s: float
    duration_s: float | None = None
    rep_count: int = 0
    reps_by_side: dict[str, int] | None = None
    recognition: RecognitionOut | None = None
    named: bool = False  # the athlete named the exercise (POST .../sets/{index}/exercise)
    report: ReportOut


class RestOut(Wire):
    after_set: int
    start_s: float
    end_s: float
    duration_s: float


class PlanItemCheck(Wire):
    """One plan item against the sets done; per leg (dicts by side) for a per-leg item."""

    exercise: str
    prescription: str
    sets_planned: int
    sets_done: int | dict[str, int]
    reps_per_set: list[int] | dict[str, list[int]]
    status: str  # "as planned", "missing", or what falls short
    reps_range: list[int]


class PlanCheckOut(Wire):
    id: str
    name: str
    items: list[PlanItemCheck]
    missing: list[str]
    extra: list[str]
    complete: bool


class ExerciseTotals(Wire):
    sets: int
    sets_by_side: dict[str, int]
    reps: int
    reps_by_side: dict[str, int] | None = None
    faults: int
    per_leg: bool | None = None


class LegsOfExercise(Wire):
    reps: dict[str, int]
    faults: dict[str, int]
    reps_lsi: float | None = None
    weaker: Literal["left", "right"] | None = None
    note: str | None = None


class LeftVsRight(Wire):
    by_exercise: dict[str, LegsOfExercise] = {}
    weaker_count: dict[str, int] = {}
    compared: int = 0
    verdict: str = ""


class SessionSummaryOut(Wire):
    sets: int
    reps: int
    exercises: dict[str, ExerciseTotals] = {}
    left_vs_right: LeftVsRight = LeftVsRight()


class SessionOut(Wire):
    """formcheck.session.SessionReport.to_dict(), as stored and served."""

    sets: list[SessionSetOut]
    rests: list[RestOut] = []
    plan: PlanCheckOut | None = None
    summary: SessionSummaryOut
    warnings: list[str] = []
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
    """The tracker is loaded. exercise is None while it is being recognised (none was chosen)."""

    type: Literal["ready"] = "ready"
    exercise: str | None
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
    recognising: bool = False  # no exercise yet: watching the first reps to recognise it


class LiveRecognised(Wire):
    """The exercise live mode counts from now on: recognised (within the first reps), or chosen
    by the athlete (a correction); the reps done so far are counted for it."""

    type: Literal["recognised"] = "recognised"
    exercise: str
    name: str
    per_leg: bool
    by: Literal["recognition", "athlete"]
    confidence: float | None = None
    sure: bool | None = None
    alternatives: list[RecognitionAlternative] = []
    t: float


class LiveChoose(Wire):
    """client -> server (a text message): count this exercise from now on."""

    type: Literal["exercise"]
    exercise: str


class LiveMessage(Wire):
    """An error with one frame (the session goes on), or the session closing."""

    type: Literal["error", "closed"]
    detail: str


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON-ready dict of a wire model (what is sent or stored)."""
    return model.model_dump(mode="json")
