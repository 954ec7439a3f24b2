"""Response shapes of the analysis routes, and how rows and reports are turned into them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from api.models import Analysis, FaultReview
from api.wire import RecognitionOut, ReportOut, SessionOut
from formcheck import FormcheckError, UnknownExerciseError, get_exercise


class ReviewOut(BaseModel):
    verdict: str
    comment: str
    reviewer: str
    reviewer_role: str
    updated_at: datetime


class FaultOut(BaseModel):
    """One reported fault, flattened out of the report, with the review kept beside it."""

    index: int
    rep: int
    side: str | None
    code: str
    severity: str
    time_s: float
    value: float | None
    limit: float | None
    unit: str
    cue: str
    message: str = ""
    confidence: str = "clear"  # "possible": beyond the limit by less than the measurement's uncertainty
    margin: float | None = None
    uncertainty: float | None = None  # how far the measurement may be off, in the unit
    review: ReviewOut | None = None


class AnalysisSummary(BaseModel):
    id: str
    owner_id: int
    owner: str
    kind: str  # "clip" (one set) or "session" (several sets, formcheck.session)
    page_url: str  # the page that shows it: /clips/{id} or /sessions/{id}
    exercise: str  # "" while a clip's exercise is still to be recognised, and for a session
    exercise_name: str
    recognised: bool  # the exercise was recognised, not given (None-free: False until known)
    plan: str | None  # a session's plan id
    original_name: str
    status: str
    progress: float
    stage: str
    error: str | None
    can_retry: bool
    per_leg: bool
    created_at: datetime
    finished_at: datetime | None
    duration_s: float
    analysis_s: float | None  # seconds the job took, annotated video included
    report_s: float | None  # seconds until the report (a session's JSON) was ready; the video follows
    rep_count: int | None
    reps_by_side: dict[str, int] | None
    fault_count: int | None
    faults_by_side: dict[str, int] | None


class AnalysisDetail(AnalysisSummary):
    report: ReportOut | None
    recognition: RecognitionOut | None  # the report's, when the exercise was recognised
    session: SessionOut | None  # a session's sets, rests, plan check and summary, once made
    faults: list[FaultOut]
    video_url: str | None
    frames_url: str | None
    can_reanalyse: bool  # a finished or rejected clip can be run again with a named exercise


def review_out(review: FaultReview) -> ReviewOut:
    return ReviewOut(verdict=review.verdict, comment=review.comment,
                     reviewer=review.reviewer.email, reviewer_role=review.reviewer.role,
                     updated_at=review.updated_at)


def flat_faults(report: dict[str, Any] | None,
                reviews: dict[int, FaultReview] | None = None) -> list[FaultOut]:
    """Faults in report order (rep by rep); `index` is the position used by fault reviews."""
    out: list[FaultOut] = []
    for rep in (report or {}).get("reps", []):
        for fault in rep.get("faults", []):
            index = len(out)
            review = (reviews or {}).get(index)
            out.append(FaultOut(
                index=index, rep=fault.get("rep") or rep.get("index", 0),
                side=fault.get("side") or rep.get("side"), code=fault["code"],
                severity=fault.get("severity", "minor"), time_s=fault.get("time_s", 0.0),
                value=fault.get("value"), limit=fault.get("limit"), unit=fault.get("unit", ""),
                cue=fault.get("cue", ""), message=fault.get("message", ""),
                confidence=fault.get("confidence", "clear"), margin=fault.get("margin"),
                uncertainty=fault.get("uncertainty"), review=review_out(review) if review else None))
    return out


def _by_side(faults: list[FaultOut]) -> dict[str, int]:
    counts = {"left": 0, "right": 0, "both": 0}
    for f in faults:
        counts[f.side if f.side in ("left", "right") else "both"] += 1
    return counts


def plan_name(plan_id: str | None) -> str | None:
    if not plan_id:
        return None
    from formcheck import get_plan

    try:
        return get_plan(plan_id).name
    except FormcheckError:
        return plan_id.replace("_", " ")


def _session_summary(row: Analysis) -> dict[str, Any]:
    """The summary fields of a session: its sets, reps (per leg summed over per-leg sets), faults."""
    data = row.session_report
    name = plan_name(row.plan)
    title = f"Session · {name}" if name else "Session"
    base: dict[str, Any] = {"exercise_name": title, "rep_count": None, "reps_by_side": None,
                            "fault_count": None, "faults_by_side": None, "per_leg": False}
    if not data:
        return base
    sets = data.get("sets", [])
    by_side = {"left": 0, "right": 0}
    faults = {"left": 0, "right": 0, "both": 0}
    for s in sets:
        for side, n in (s.get("reps_by_side") or {}).items():
            if side in by_side:
                by_side[side] += int(n)
        for rep in s.get("report", {}).get("reps", []):
            for f in rep.get("faults", []):
                side = f.get("side") or rep.get("side")
                faults[side if side in ("left", "right") else "both"] += 1
    per_leg = any(s.get("report", {}).get("per_leg") for s in sets)
    exercises = len({s.get("exercise") for s in sets})
    counts = f"{len(sets)} set{'s' * (len(sets) != 1)}, {exercises} exercise{'s' * (exercises != 1)}"
    return {**base, "exercise_name": f"{title}: {counts}",
            "rep_count": sum(int(s.get("rep_count") or 0) for s in sets),
            "reps_by_side": by_side if per_leg else None,
            "fault_count": sum(faults.values()), "faults_by_side": faults, "per_leg": per_leg}


def summary(row: Analysis, reviews: dict[int, FaultReview] | None = None) -> dict[str, Any]:
    """Fields of AnalysisSummary; fault counts leave out faults a reviewer dismissed."""
    report = row.report
    faults = [f for f in flat_faults(report, reviews)
              if not (f.review and f.review.verdict == "dismissed")]
    session = row.kind == "session"
    out = {
        "id": row.id, "owner_id": row.owner_id, "owner": row.owner.email,
        "kind": row.kind, "page_url": f"/{'sessions' if session else 'clips'}/{row.id}",
        # A recognised clip's row is filed under its exercise when the job is done; its report
        # names it as soon as it is recorded.
        "exercise": row.exercise or (report or {}).get("exercise") or "", "plan": row.plan,
        "recognised": bool(report and report.get("recognition")),
        "exercise_name": ((report or {}).get("exercise_name") or _exercise_name(row.exercise)),
        "original_name": row.original_name, "status": row.status,
        "progress": row.progress, "stage": row.stage, "error": row.error,
        "can_retry": row.status == "failed" and row.stage != "rejected",
        "per_leg": _per_leg(row.exercise, report),
        "created_at": row.created_at, "finished_at": row.finished_at,
        "duration_s": row.duration_s, "analysis_s": row.analysis_s, "report_s": row.report_s,
        "rep_count": report.get("rep_count") if report else None,
        "reps_by_side": report.get("reps_by_side") if report else None,
        "fault_count": len(faults) if report else None,
        "faults_by_side": _by_side(faults) if report else None,
    }
    if session:
        out.update(_session_summary(row))
    return out


def _exercise_name(exercise_id: str) -> str:
    if not exercise_id:
        return "To be recognised"
    try:
        return get_exercise(exercise_id).name
    except UnknownExerciseError:
        return exercise_id.replace("_", " ")


def _per_leg(exercise_id: str, report: dict[str, Any] | None) -> bool:
    """From the report; for reports written before it said so, and unfinished clips, the catalogue."""
    if report is not None and isinstance(report.get("per_leg"), bool):
        return bool(report["per_leg"])
    try:
        return get_exercise(exercise_id).per_leg
    except UnknownExerciseError:
        return bool(report and report.get("reps_by_side"))


def report_ready(row: Analysis) -> bool:
    """A clip's report or a session's JSON is recorded: done, or running while the annotated video
    is drawn."""
    made = row.report if row.kind == "clip" else row.session_report
    return made is not None and row.status in ("running", "done")


def can_reanalyse(row: Analysis) -> bool:
    """A clip (not a session) whose job has ended with a report, or was rejected."""
    return row.kind == "clip" and (row.status == "done" or
                                    (row.status == "failed" and row.stage == "rejected"))


def detail(row: Analysis, reviews: dict[int, FaultReview]) -> AnalysisDetail:
    done = row.status == "done"
    report = None if row.report is None else ReportOut.model_validate(row.report)
    session = row.kind == "session"
    return AnalysisDetail(
        **summary(row, reviews),
        report=report,
        recognition=report.recognition if report else None,
        session=(SessionOut.model_validate(row.session_report)
                 if session and row.session_report else None),
        faults=flat_faults(row.report, reviews),
        video_url=f"/api/analyses/{row.id}/video" if done else None,
        frames_url=f"/api/analyses/{row.id}/frames" if report_ready(row) and not session else None,
        can_reanalyse=can_reanalyse(row))
