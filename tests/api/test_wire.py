"""The wire models in api/wire.py describe exactly what the library and the service produce: every
field of a report, of the per-frame data and of a live frame is declared (none passes only as an
extra), and the API documents them."""

from __future__ import annotations

import numpy as np

from api.storage import clean_json, frames_payload
from api.wire import Frames, LiveFrame, LiveReady, ReportOut
from formcheck import analyze_poses, get_exercise, synth
from formcheck.live import LiveState
from formcheck.pose.landmarks import NUM_LANDMARKS
from formcheck.report import Fault, Rep


def undeclared(model: type, data: dict) -> set[str]:
    return set(data) - set(model.model_fields)


def test_a_report_is_fully_described_by_the_report_model():
    analysis = analyze_poses(synth.pistol(side="left", reps=3, valgus_deg=30.0), get_exercise("pistol_squat"))
    data = clean_json(analysis.report.to_dict())
    report = ReportOut.model_validate(data)
    assert undeclared(ReportOut, data) == set()
    assert report.per_leg is True and report.reps_by_side == {"left": 3, "right": 0}
    rep = data["reps"][0]
    assert undeclared(type(report.reps[0]), rep) == set()
    assert undeclared(type(report.reps[0].faults[0]), rep["faults"][0]) == set()
    assert undeclared(type(report.asymmetry), data["asymmetry"]) == set()
    assert report.model_dump(mode="json")["reps"][0]["faults"][0]["code"] == "knee_valgus"

    frames = frames_payload(analysis.poses, analysis.signals)
    assert undeclared(Frames, frames) == set()
    typed = Frames.model_validate(frames)
    assert len(typed.landmarks[0]) == NUM_LANDMARKS and "knee_flexion_left" in typed.signals


def test_a_live_frame_is_fully_described_by_the_live_models():
    fault = Fault("knee_valgus", "major", 1.0, 20.0, 12.0, "deg", "Knees out.", "left", 1)
    rep = Rep(1, "left", 0.5, 1.0, 1.6, (fault,))
    state = LiveState(1.6, np.zeros((NUM_LANDMARKS, 3)), {"knee_flexion_left": 80.0}, [rep], True,
                      "front", [rep])
    data = {**clean_json(state.to_dict()), "type": "frame", "seq": 3, "t": 1.6, "dropped": 0,
            "latency_ms": 12.5}
    frame = LiveFrame.model_validate(data)
    assert undeclared(LiveFrame, data) == set()
    assert undeclared(type(frame.events[0]), data["events"][0]) == set()
    assert frame.reps == {"total": 1, "left": 1, "right": 0} and frame.events[0].cue == "Knees out."


def test_the_api_documents_its_wire_models(client):
    schema = client.get("/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {"ReportOut", "Frames", "AnalysisDetail"} <= names
    detail = schema["components"]["schemas"]["AnalysisDetail"]["properties"]["report"]
    assert "ReportOut" in str(detail)
    assert LiveReady(exercise="squat", name="Squat", per_leg=False, landmark_names=[],
                     connections=[]).model_dump()["type"] == "ready"


def test_a_sparse_stored_report_is_still_served():
    """Reports stored by older versions or other tools lack fields: they are served, not refused."""
    sparse = {"exercise": "squat", "rep_count": 1, "reps_by_side": None,
              "reps": [{"index": 1, "side": None, "faults": [{"code": "knee_valgus"}]}]}
    report = ReportOut.model_validate(sparse)
    assert report.video is None and report.reps[0].faults[0].severity == "minor"
