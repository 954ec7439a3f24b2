"""The live WebSocket: real frames in, skeleton and reps out; garbage answered, never fatal."""

from __future__ import annotations

import struct

import cv2
import pytest
from starlette.websockets import WebSocketDisconnect

from formcheck.video import iter_frames
from tests.api.conftest import Account
from tests.api.media import SQUAT_REPS, SQUAT_VALGUS_REPS


def frame_message(t: float, image) -> bytes:  # type: ignore[no-untyped-def]
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return struct.pack("<d", t) + jpeg.tobytes()


@pytest.fixture
def athlete(client) -> Account:
    return Account(client, "a@example.org")


def test_live_session_counts_reps_of_a_streamed_clip(client, athlete, clips):
    url = f"/api/live?exercise=squat&token={athlete.token}"
    with client.websocket_connect(url) as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["exercise"] == "squat"
        assert ready["landmark_names"][25] == "LEFT_KNEE" and ready["connections"]
        replies, events = [], []
        for frame in iter_frames(clips.squat):
            ws.send_bytes(frame_message(frame.t, frame.image))
            reply = ws.receive_json()
            assert reply["type"] == "frame", reply
            replies.append(reply)
            events += reply["events"]
    assert [r["seq"] for r in replies] == list(range(1, len(replies) + 1))
    assert all(r["dropped"] == 0 for r in replies)  # one frame in flight: nothing to drop
    seen = [r for r in replies if r["landmarks"] is not None]
    assert len(seen) > 0.9 * len(replies)
    assert len(seen[0]["landmarks"]) == 33 and "knee_flexion_left" in seen[0]["angles"]
    assert replies[-1]["reps"]["total"] == SQUAT_REPS
    assert [e["index"] for e in events] == list(range(1, SQUAT_REPS + 1))
    faulty = {e["index"] for e in events
              if any(f["code"] == "knee_valgus" and f["severity"] == "major" for f in e["faults"])}
    assert faulty == set(SQUAT_VALGUS_REPS)
    assert all(e["cue"] for e in events if e["index"] in faulty)


def test_garbage_frames_get_an_error_and_the_session_goes_on(client, athlete, clips):
    frame = next(iter(iter_frames(clips.squat)))
    with client.websocket_connect(f"/api/live?exercise=squat&token={athlete.token}") as ws:
        assert ws.receive_json()["type"] == "ready"
        ws.send_bytes(b"garbage")
        assert "timestamp" in ws.receive_json()["detail"]
        ws.send_bytes(struct.pack("<d", 1.0) + b"\xff\xd8 not really a jpeg" * 20)
        assert "not a JPEG or PNG" in ws.receive_json()["detail"]
        ws.send_bytes(struct.pack("<d", float("nan")) + b"x" * 100)
        assert "not a number" in ws.receive_json()["detail"]
        ws.send_text("hello")
        assert "binary" in ws.receive_json()["detail"]
        ws.send_bytes(frame_message(2.0, frame.image))
        assert ws.receive_json()["type"] == "frame"
        ws.send_bytes(frame_message(1.5, frame.image))
        assert "increase" in ws.receive_json()["detail"]
        ws.send_bytes(frame_message(2.1, frame.image))
        assert ws.receive_json()["seq"] == 2


def test_newest_frame_wins_when_the_client_sends_too_fast(client, athlete, clips):
    frames = [f for _, f in zip(range(12), iter_frames(clips.squat), strict=False)]
    with client.websocket_connect(f"/api/live?exercise=squat&token={athlete.token}") as ws:
        assert ws.receive_json()["type"] == "ready"
        for f in frames:  # no waiting for replies: a misbehaving client
            ws.send_bytes(frame_message(f.t, f.image))
        replies = []
        while not replies or replies[-1]["t"] != pytest.approx(frames[-1].t, abs=1e-3):
            replies.append(ws.receive_json())
    # The last frame is always answered; the ones that arrived during work were dropped.
    assert len(replies) < len(frames)
    assert replies[-1]["dropped"] == len(frames) - len(replies)


def close_reason(client, url: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with client.websocket_connect(url) as ws:
        message = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    return closed.value.code, message["detail"]


def test_refusals_close_with_a_reason(client, athlete, settings):
    assert close_reason(client, "/api/live?exercise=squat")[0] == 4401
    assert close_reason(client, "/api/live?exercise=squat&token=forged.token.here")[0] == 4401
    code, detail = close_reason(client, f"/api/live?exercise=burpee&token={athlete.token}")
    assert code == 4422 and "unknown exercise" in detail
    client.app.state.live_sessions = settings.max_live_sessions
    code, detail = close_reason(client, f"/api/live?exercise=squat&token={athlete.token}")
    assert code == 1013 and "busy" in detail
    client.app.state.live_sessions = 0


def test_idle_client_is_disconnected(tmp_path, clips):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from tests.api.conftest import make_settings

    with TestClient(create_app(make_settings(tmp_path / "d", live_idle_s=0.5))) as client:
        athlete = Account(client, "a@example.org")
        with client.websocket_connect(f"/api/live?exercise=squat&token={athlete.token}") as ws:
            assert ws.receive_json()["type"] == "ready"
            closed = ws.receive_json()
            assert closed["type"] == "closed" and "no frame for 0.5 s" in closed["detail"]
            with pytest.raises(WebSocketDisconnect) as gone:
                ws.receive_json()
            assert gone.value.code == 1000
        assert client.app.state.live_sessions == 0


def test_cookie_login_needs_same_origin(client, athlete):
    client.cookies.set("formcheck_token", athlete.token)
    with client.websocket_connect("/api/live?exercise=squat",
                                  headers={"origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "ready"
    with client.websocket_connect("/api/live?exercise=squat",
                                  headers={"origin": "http://evil.example"}) as ws:
        ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401


def test_with_no_exercise_it_is_recognised_within_the_first_reps_and_corrected_in_one_tap(
        client, athlete, clips):
    with client.websocket_connect(f"/api/live?exercise=auto&token={athlete.token}") as ws:
        ready = ws.receive_json()
        assert ready["type"] == "ready" and ready["exercise"] is None
        recognised, frames, events = None, [], []
        for frame in iter_frames(clips.squat):
            ws.send_bytes(frame_message(frame.t, frame.image))
            reply = ws.receive_json()
            if reply["type"] == "recognised":
                recognised = reply
                reply = ws.receive_json()
            assert reply["type"] == "frame", reply
            frames.append(reply)
            events += reply["events"]
        assert recognised is not None, "not recognised by the end of the clip"
        assert recognised["by"] == "recognition" and recognised["exercise"] == "squat"
        assert 0 < recognised["confidence"] <= 1 and len(recognised["alternatives"]) == 3
        # Recognised within the first two reps (the rep events count from the start of the clip).
        ends = sorted(e["end_s"] for e in events)
        assert len(ends) == SQUAT_REPS and recognised["t"] < ends[1] + 1.5
        before = [f for f in frames if f["t"] < recognised["t"]]
        assert before and all(f["recognising"] and f["reps"]["total"] == 0 for f in before)
        assert frames[-1]["reps"]["total"] == SQUAT_REPS and not frames[-1]["recognising"]
        # The athlete says it was another exercise: a bad id is an error, the session goes on.
        ws.send_text('{"type": "exercise", "exercise": "burpee"}')
        assert "unknown exercise 'burpee'" in ws.receive_json()["detail"]
        ws.send_text('{"type": "exercise", "exercise": "lunge"}')
        last = frames[-1]["t"]
        image = next(iter(iter_frames(clips.squat))).image
        ws.send_bytes(frame_message(last + 0.1, image))
        switched = ws.receive_json()
        assert switched["type"] == "recognised" and switched["by"] == "athlete"
        assert switched["exercise"] == "lunge" and switched["per_leg"] is True
        after = ws.receive_json()
        assert after["type"] == "frame" and "left" in after["reps"]  # counted per leg now


class _Replay:
    """A pose tracker that answers each frame with the next pose of a synthetic clip."""

    def __init__(self, seq) -> None:  # type: ignore[no-untyped-def]
        from formcheck.pose.frame import PoseFrame

        self.poses = iter([PoseFrame(seq.image_xy[i], seq.world_xyz[i], seq.visibility[i])
                           for i in range(len(seq))])

    def process(self, image):  # type: ignore[no-untyped-def]
        return next(self.poses)

    def close(self) -> None:
        pass


@pytest.mark.parametrize("sure", [True, False])
def test_a_live_guess_shows_its_faults_as_possible_and_calls_no_cue_until_named(monkeypatch, sure):
    # Knees caving in on every pistol squat: recognised for certain, each rep calls the cue; only
    # a best guess, the faults are shown as possible and nothing is spoken; named, they are clear.
    import numpy as np

    from api import live_run
    from formcheck import Recognition, synth

    seq = synth.pistol(side="right", view="front", reps=4, valgus_deg=25, rep_s=3.0)
    guess = Recognition("pistol_squat", 0.9 if sure else 0.5, sure, (("lunge", 0.1),))

    class Deciding:  # decides at the first frame after 4 s, as the model would after reps
        def __init__(self, *args) -> None:  # type: ignore[no-untyped-def]
            self.frames: list = []

        def feed(self, pose, t):  # type: ignore[no-untyped-def]
            return guess if t >= 4.0 else None

    monkeypatch.setattr(live_run, "LiveRecognizer", Deciding)
    run = live_run.LiveRun(None, estimator=_Replay(seq))
    image = np.zeros((seq.height, seq.width, 3), np.uint8)
    events = []
    for t in seq.t:
        state, _ = run.feed(image, float(t))
        events += state["events"]
    faults = [f for e in events for f in e["faults"]]
    assert len(events) == 4 and faults
    assert {f["confidence"] for f in faults} == ({"clear"} if sure else {"possible"})
    assert bool([e for e in events if e["cue"]]) is sure
    run.choose("pistol_squat")  # the athlete names it: the reps kept are judged again, for certain
    assert all(f.clear for r in run.session.reps for f in r.faults)
