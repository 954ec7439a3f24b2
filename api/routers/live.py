"""Live coaching over a WebSocket: the browser streams camera frames, the server answers each one.

Protocol (/api/live?exercise=<id>[&token=<bearer token>], or the login cookie); every message is
one of the models in api/wire.py (LiveReady, LiveFrame with LiveRepEvent events, LiveRecognised,
LiveChoose, LiveMessage):
  server -> {"type": "ready", "exercise", "name", "per_leg", "landmark_names", "connections"}
            once the pose tracker is loaded (exercise null: none given, it is being recognised);
  client -> binary message: 8-byte little-endian float64 timestamp (seconds) + a JPEG/PNG image;
  server -> {"type": "frame", "seq", "t", "latency_ms", "dropped", ...LiveSession.feed() fields}
            per processed frame ("recognising": true while the exercise is not known yet), or
            {"type": "error", "detail"} for a frame it could not use;
  server -> {"type": "recognised", "exercise", "name", "per_leg", "by", "confidence", "sure",
            "alternatives", "t"} when the exercise is recognised (within the first reps) or the
            athlete chose another;
  client -> text message {"type": "exercise", "exercise": <id>}: count this exercise from now on
            (a one-tap correction); the reps of the last minute are counted for it.
The client sends its next frame after a reply. Work is bounded anyway: while a frame is being
processed only the newest frame received is kept, older ones are dropped, never queued.
"""

from __future__ import annotations

import asyncio
import logging
import math
import struct
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import anyio
import cv2
import numpy as np
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from api.deps import websocket_user
from api.plans import AUTO
from api.storage import clean_json
from api.wire import LiveChoose, LiveFrame, LiveMessage, LiveReady, LiveRecognised, dump
from formcheck import FormcheckError, get_exercise, skeleton_meta

if TYPE_CHECKING:
    from api.live_run import LiveRun
    from formcheck import Recognition

log = logging.getLogger(__name__)

router = APIRouter(tags=["live"])

# Larger frames are scaled down: the pose model works at 256 px, more only costs decode time.
MAX_SIDE_PX = 1280
_STAMP = struct.Struct("<d")


@dataclass
class FrameSlot:
    """The newest unprocessed frame (older ones are overwritten and counted as dropped), and the
    exercise the athlete chose last, not yet taken."""

    data: bytes | None = None
    choice: str | None = None
    dropped: int = 0
    closed: bool = False
    ready: asyncio.Event = field(default_factory=asyncio.Event)

    def put(self, data: bytes) -> None:
        if self.data is not None:
            self.dropped += 1
        self.data = data
        self.ready.set()

    def choose(self, exercise_id: str) -> None:
        self.choice = exercise_id
        self.ready.set()

    def take_choice(self) -> str | None:
        choice, self.choice = self.choice, None
        return choice

    async def take(self) -> bytes | None:
        await self.ready.wait()
        self.ready.clear()
        data, self.data = self.data, None
        return data

    def close(self) -> None:
        self.closed = True
        self.ready.set()


def decode_frame(message: bytes) -> tuple[float, np.ndarray]:
    """(timestamp s, BGR image) from one binary message; ValueError with a reason if unusable."""
    if len(message) <= _STAMP.size:
        raise ValueError("a frame is 8 bytes of timestamp followed by a JPEG or PNG image")
    (t,) = _STAMP.unpack_from(message)
    if not math.isfinite(t):
        raise ValueError("the frame timestamp is not a number")
    image = cv2.imdecode(np.frombuffer(message, np.uint8, offset=_STAMP.size), cv2.IMREAD_COLOR)
    if image is None or image.ndim != 3:
        raise ValueError("the frame is not a JPEG or PNG image")
    scale = MAX_SIDE_PX / max(image.shape[:2])
    if scale < 1:
        image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return t, image


async def _receive(ws: WebSocket, slot: FrameSlot, idle_s: float, max_bytes: int) -> None:
    """Read messages into the slot until the client leaves or stays silent for idle_s."""
    try:
        while True:
            message = await asyncio.wait_for(ws.receive(), timeout=idle_s)
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is None:
                choice = _choice(message.get("text"))
                if choice is None:
                    await ws.send_json(dump(LiveMessage(
                        type="error", detail="send frames as binary messages, and "
                                             '{"type": "exercise", "exercise": id} as text')))
                else:
                    slot.choose(choice)
            elif len(data) > max_bytes:
                await ws.send_json(dump(LiveMessage(
                    type="error",
                    detail=f"frame larger than {max_bytes // 1024} KB; send a smaller JPEG")))
            else:
                slot.put(data)
    except TimeoutError:
        await _close(ws, 1000, f"no frame for {idle_s:g} s; connection closed")
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client vanished: the processor stops when the slot closes
    finally:
        slot.close()


def _choice(text: str | None) -> str | None:
    """The exercise id of a {"type": "exercise", "exercise": id} text message, else None."""
    if not text or len(text) > 1024:
        return None
    try:
        return LiveChoose.model_validate_json(text).exercise
    except ValidationError:
        return None


def _recognised(run: LiveRun, by: Literal["recognition", "athlete"], t: float,
                rec: Recognition | None = None) -> dict[str, Any]:
    assert run.session is not None
    ex = run.session.exercise
    extra: dict[str, Any] = {}
    if rec is not None:
        extra = {"confidence": round(rec.confidence, 3), "sure": rec.sure,
                 "alternatives": [{"exercise": e, "confidence": round(c, 3)}
                                  for e, c in rec.alternatives]}
    return dump(LiveRecognised(exercise=ex.id, name=ex.name, per_leg=ex.per_leg, by=by,
                               t=round(t, 3), **extra))


async def _apply_choice(ws: WebSocket, run: LiveRun, choice: str, t: float) -> None:
    try:
        get_exercise(choice)
    except FormcheckError as exc:
        await ws.send_json(dump(LiveMessage(type="error", detail=str(exc))))
        return
    await anyio.to_thread.run_sync(run.choose, choice)
    await ws.send_json(_recognised(run, "athlete", t))


async def _process(ws: WebSocket, slot: FrameSlot, run: LiveRun) -> None:
    """Answer the newest frame, one at a time, until the receiver closes the slot."""
    seq, last_t = 0, -math.inf
    while not slot.closed:
        data = await slot.take()
        choice = slot.take_choice()
        if choice is not None:
            await _apply_choice(ws, run, choice, max(last_t, 0.0))
        if data is None:
            continue
        try:
            t, image = decode_frame(data)
            if t <= last_t:
                raise ValueError("frame timestamps must increase")
        except ValueError as exc:
            await ws.send_json(dump(LiveMessage(type="error", detail=str(exc))))
            continue
        started = time.perf_counter()
        try:
            result, decided = await anyio.to_thread.run_sync(run.feed, image, t)
        except Exception:
            log.exception("live frame at t=%.3f could not be analysed", t)
            await ws.send_json(dump(LiveMessage(type="error",
                                                detail="this frame could not be analysed")))
            continue
        last_t, seq = t, seq + 1
        reply = LiveFrame.model_validate({
            **clean_json(result), "seq": seq, "t": t, "dropped": slot.dropped,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1)})
        if decided is not None:
            await ws.send_json(_recognised(run, "recognition", t, decided))
        await ws.send_json(dump(reply))


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    try:
        await ws.send_json(dump(LiveMessage(type="error" if code != 1000 else "closed",
                                            detail=reason)))
        await ws.close(code, reason[:120])
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client is already gone


@router.websocket("/api/live")
async def live(ws: WebSocket, exercise: str = "", token: str | None = None) -> None:
    """exercise: an id, or empty / "auto" to recognise it within the first reps."""
    await ws.accept()
    user = await anyio.to_thread.run_sync(websocket_user, ws, token)
    state = ws.app.state
    if user is None:
        return await _close(ws, 4401, "not signed in: sign in again")
    ex = None
    if exercise.strip() and exercise.strip().lower() != AUTO:
        try:
            ex = get_exercise(exercise)
        except FormcheckError as exc:
            return await _close(ws, 4422, str(exc))
    if state.live_sessions >= state.settings.max_live_sessions:
        return await _close(ws, 1013, "the server is busy with other live sessions; try later")
    state.live_sessions += 1
    try:
        if ex is None:
            await _run_session(ws, None, "Recognising the exercise", False)
        else:
            await _run_session(ws, ex.id, ex.name, ex.per_leg)
    finally:
        state.live_sessions -= 1


async def _run_session(ws: WebSocket, exercise_id: str | None, name: str, per_leg: bool) -> None:
    from api.live_run import LiveRun  # heavy (MediaPipe): loaded when a session starts

    settings = ws.app.state.settings
    try:
        session = await anyio.to_thread.run_sync(LiveRun, exercise_id)
    except Exception:
        log.exception("the live pose tracker could not be started")
        return await _close(ws, 1011, "the pose tracker could not be started; try again")
    slot = FrameSlot()
    try:
        await ws.send_json(dump(LiveReady(
            exercise=exercise_id, name=name, per_leg=per_leg,
            **skeleton_meta())))
        async with anyio.create_task_group() as tg:
            tg.start_soon(_receive, ws, slot, settings.live_idle_s,
                          settings.max_live_frame_kb * 1024)
            try:
                await _process(ws, slot, session)
            except (WebSocketDisconnect, RuntimeError):
                log.info("live client left while a frame was being answered")
            tg.cancel_scope.cancel()
    except (WebSocketDisconnect, RuntimeError):
        log.info("live client left before the session started")
    finally:
        await anyio.to_thread.run_sync(session.close)
