"""Service benchmarks over loopback: live latency per frame, and throughput of concurrent uploads.

live:       one WebSocket session at 640x480; per frame the server-side latency (decode + pose +
            rules, as reported in each reply) and the end-to-end round trip seen by the client
            (JPEG encode excluded, send, server work, reply), p50 and p95.
throughput: N uploads of the same clip at once (default 4) to `formcheck serve` with its embedded
            worker; wall time until all are done, video seconds analysed per wall second, and
            when each report could be read (before its annotated video is drawn).

The service runs in a subprocess on a free port with a temporary data folder (bench/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
FOOTAGE_CLIP = ROOT.parent / "shared" / "footage" / "clips" / "squat_front_nowva_1.mp4"
PASSWORD = "benchmark password"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rendered_clip(folder: Path) -> Path:
    """A 10 s mannequin squat (front view, 1280x720, 30 fps) when no footage is at hand."""
    from formcheck import synth
    from formcheck.encoder import VideoWriter
    from formcheck.mannequin import frames

    seq = synth.squat(view="front", reps=3)
    with VideoWriter(folder / "squat.mp4", seq.width, seq.height, seq.fps) as writer:
        for t, image in zip(seq.t, frames(seq), strict=True):
            writer.write(image, float(t))
    return writer.path


class Service:
    """`formcheck serve` in a subprocess; stopped with SIGINT like Ctrl-C."""

    def __init__(self, data_dir: Path, workers: int) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        env = {**os.environ, "FORMCHECK_DATA_DIR": str(data_dir),
               "FORMCHECK_WORKERS": str(workers), "FORMCHECK_MAX_UPLOAD_MB": "2000"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_ready()

    def _wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        sys.exit("the service did not start")

    def token(self) -> str:
        import httpx

        httpx.post(f"{self.url}/api/auth/register",
                   json={"email": "bench@example.org", "password": PASSWORD})
        r = httpx.post(f"{self.url}/api/auth/token",
                       data={"username": "bench@example.org", "password": PASSWORD})
        return str(r.json()["access_token"])

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(60)


def live_frames(clip: Path, limit: int) -> list[tuple[float, bytes]]:
    """(timestamp, JPEG at 640x480) for the first `limit` frames, encoded before timing."""
    import cv2

    from formcheck.video import iter_frames

    out = []
    for frame in iter_frames(clip, max_frames=limit):
        image = cv2.resize(frame.image, (640, 480), interpolation=cv2.INTER_AREA)
        ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        out.append((frame.t, jpeg.tobytes()))
    return out


def bench_live(service: Service, token: str, clip: Path, frames: int) -> dict[str, float]:
    from websockets.sync.client import connect

    data = live_frames(clip, frames)
    server_ms, round_ms, reps = [], [], 0
    url = service.url.replace("http", "ws") + f"/api/live?exercise=squat&token={token}"
    with connect(url, max_size=None) as ws:
        assert json.loads(ws.recv())["type"] == "ready"
        started = time.perf_counter()
        for t, jpeg in data:
            sent = time.perf_counter()
            ws.send(struct.pack("<d", t) + jpeg)
            reply = json.loads(ws.recv())
            round_ms.append(1000 * (time.perf_counter() - sent))
            server_ms.append(reply["latency_ms"])
            reps = reply["reps"]["total"]
        elapsed = time.perf_counter() - started
    return {"frames": len(data), "server_p50_ms": percentile(server_ms, 50),
            "server_p95_ms": percentile(server_ms, 95), "e2e_p50_ms": percentile(round_ms, 50),
            "e2e_p95_ms": percentile(round_ms, 95), "fps": len(data) / elapsed, "reps": reps}


def bench_throughput(service: Service, token: str, clip: Path, uploads: int) -> dict[str, float]:
    import httpx

    from formcheck.video import probe

    headers = {"Authorization": f"Bearer {token}"}

    def one(_: int) -> tuple[float, float]:
        """When the upload's report could be read (the clip page shows it), and when it was done."""
        report: float | None = None
        with httpx.Client(base_url=service.url, headers=headers, timeout=600) as http:
            with open(clip, "rb") as f:
                aid = http.post("/api/analyses", data={"exercise": "squat"},
                                files={"file": f}).json()["id"]
            while (body := http.get(f"/api/analyses/{aid}").json())["status"] not in (
                    "done", "failed"):
                if body["report"] is not None and report is None:
                    report = time.perf_counter()
                time.sleep(0.1)
            if body["status"] != "done":
                sys.exit(f"analysis failed: {body['error']}")
            done = time.perf_counter()
            return (done if report is None else report), done

    started = time.perf_counter()
    with ThreadPoolExecutor(uploads) as pool:
        times = list(pool.map(one, range(uploads)))
    reports, finished = [r for r, _ in times], [d for _, d in times]
    wall = max(finished) - started
    video_s = probe(clip).duration_s * uploads
    return {"uploads": uploads, "wall_s": wall, "video_s": video_s,
            "first_done_s": min(finished) - started, "video_s_per_wall_s": video_s / wall,
            "mean_job_s": statistics.mean(f - started for f in finished),
            "first_report_s": min(reports) - started,
            "mean_report_s": statistics.mean(r - started for r in reports)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("clip", nargs="?", help="a squat clip (default: footage, else rendered)")
    p.add_argument("--frames", type=int, default=300, help="live frames to send")
    p.add_argument("--uploads", type=int, default=4)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = p.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp:
        clip = Path(args.clip) if args.clip else (
            FOOTAGE_CLIP if FOOTAGE_CLIP.exists() else rendered_clip(Path(tmp)))
        print(f"clip: {clip.name}")
        service = Service(Path(tmp) / "data", args.workers)
        try:
            token = service.token()
            live = bench_live(service, token, clip, args.frames)
            print("live 640x480: server p50 {server_p50_ms:.1f} ms, p95 {server_p95_ms:.1f} ms; "
                  "end to end p50 {e2e_p50_ms:.1f} ms, p95 {e2e_p95_ms:.1f} ms; {fps:.1f} frames/s "
                  "one in flight; {reps} reps".format(**live))
            thr = bench_throughput(service, token, clip, args.uploads)
            print("throughput: {uploads} uploads at once, all done in {wall_s:.1f} s (first "
                  "{first_done_s:.1f} s, mean {mean_job_s:.1f} s); {video_s_per_wall_s:.2f} s of "
                  "video per second; the report on the clip page after {first_report_s:.1f} s "
                  "(mean {mean_report_s:.1f} s)".format(**thr))
            print(json.dumps({"live": live, "throughput": thr, "workers": args.workers}))
        finally:
            service.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
