"""Throughput and peak memory of the pipeline, stage by stage, on one clip.

Stages, each in a fresh Python process so that every peak is its own:
  a  bare MediaPipe loop in one process: decode + pose, nothing else (the floor everything else is
     measured on)
  b  analyze_video without the annotated video, split between --workers processes
  c  analyze_video with the annotated video, --workers processes
  c3 like c, on the clip concatenated with itself twice (peak memory must not grow with length)

Frames per second count the work only (imports and the model load are outside the timer, the
model load is inside for every stage alike). Usage: see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from formcheck import available_cores  # noqa: E402

FOOTAGE_CLIPS = ROOT.parent / "shared" / "footage" / "clips"
FIXTURES = ROOT / "fixtures" / "videos"
# Aims (issue 12): on two cores or more, analyze at 1.8x the bare one-process loop and 1.4x with
# the annotated video; in one process, 0.9x and 0.75x.
TARGETS = {"b/a": 1.8, "c/a": 1.4}
TARGETS_ONE_PROCESS = {"b/a": 0.9, "c/a": 0.75}
# Memory is sampled this often (seconds) while a stage runs.
SAMPLE_S = 0.02


def peak_rss_mb() -> float:
    """High-water mark of this process's resident memory (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def pss_mb(pid: int) -> float:
    """Proportional set size of one process: its private pages plus its share of the pages it
    shares (a forked worker shares the libraries it inherited), so a sum over processes counts
    each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


class MemorySampler:
    """Peak of the summed PSS of this process and its children (the pose and video workers),
    sampled every SAMPLE_S on a thread."""

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = pss_mb(me) + sum(pss_mb(c) for c in children(me))
            self.peak_mb = max(self.peak_mb, total)
            self._stop.wait(SAMPLE_S)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_stage(stage: str, clip: str, exercise: str, out_dir: str, workers: int,
              memory: bool) -> dict[str, float]:
    """Do one stage in this process; returns frames, seconds and memory figures. memory: sample
    the processes' memory while it runs (a run of its own: reading every process's page counts
    every SAMPLE_S costs CPU, 6 ms a frame in stage b on two cores, that the timed runs must not
    pay)."""
    import contextlib

    import mediapipe  # noqa: F401  (import cost stays outside the timer)

    from formcheck import analyze_video, get_exercise, write_annotated_video
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
    from formcheck.video import iter_frames

    base = peak_rss_mb()
    sampler = MemorySampler() if memory else None
    with sampler or contextlib.nullcontext():
        start, cpu_start = time.perf_counter(), cpu_seconds()
        if stage == "a":
            frames = 0
            with MediaPipePoseEstimator() as estimator:
                for frame in iter_frames(clip):
                    estimator.process(frame.image)
                    frames += 1
        else:
            analysis = analyze_video(clip, get_exercise(exercise), workers=workers)
            if stage.startswith("c"):
                write_annotated_video(clip, analysis, Path(out_dir) / f"annotated_{stage}.mp4",
                                      workers=workers)
            frames = len(analysis.poses)
        seconds = time.perf_counter() - start
        cpu = cpu_seconds() - cpu_start
    return {"frames": frames, "seconds": seconds, "fps": frames / seconds,
            "cpu_ms": 1000 * cpu / frames, "peak_mb": sampler.peak_mb if sampler else 0.0,
            "rss_mb": peak_rss_mb(), "imports_mb": base, "workers": 1 if stage == "a" else workers}


def spawn(stage: str, clip: Path, exercise: str, out_dir: Path, workers: int,
          memory: bool = False) -> dict[str, float]:
    cmd = [sys.executable, __file__, str(clip), "--exercise", exercise, "--stage", stage,
           "--out-dir", str(out_dir), "--workers", str(workers)] + (["--memory"] if memory else [])
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        sys.exit(f"stage {stage} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def default_clip() -> tuple[Path, str]:
    """A ~10 s side-view squat from the labelled footage, else a fixture clip."""
    from formcheck.video import probe

    clips = sorted(FOOTAGE_CLIPS.glob("squat_side_*.mp4"))
    if clips:
        return min(clips, key=lambda p: abs(probe(p).duration_s - 10.0)), "squat"
    for clip in sorted(FIXTURES.glob("*.mp4")):
        expected = clip.with_suffix(".expected.json")
        if expected.exists():
            return clip, json.loads(expected.read_text()).get("exercise", "squat")
    sys.exit(f"no clip given and none found in {FOOTAGE_CLIPS} or {FIXTURES}")


def concatenated(clip: Path, copies: int, out: Path) -> Path:
    """The clip played `copies` times in a row (re-encoded H.264, same size and rate)."""
    from formcheck.encoder import VideoWriter
    from formcheck.video import iter_frames, probe

    info = probe(clip)
    with VideoWriter(out, info.width, info.height, info.fps, crf=18) as writer:
        offset = 0.0
        for _ in range(copies):
            last = 0.0
            for frame in iter_frames(clip):
                writer.write(frame.image, offset + frame.t)
                last = frame.t
            offset += last + 1.0 / info.fps
    return writer.path


def best(runs: list[dict[str, float]], memory: dict[str, float]) -> dict[str, float]:
    """The fastest timed run, with the memory of the stage's sampled run."""
    top = max(runs, key=lambda r: r["fps"])
    return {**top, **{k: memory[k] for k in ("peak_mb", "rss_mb", "imports_mb")}}


def table(results: dict[str, dict[str, float]], clip: Path, exercise: str, load: float,
          workers: int) -> str:
    a = results["a"]
    lines = [f"clip: {clip.name} ({a['frames']:.0f} frames), exercise: {exercise}, "
             f"load average before: {load:.2f}, cores: {available_cores()} usable of "
             f"{os.cpu_count()}, workers (b, c): {workers}",
             f"{'stage':<34}{'frames':>7}{'fps':>8}{'ms/frame':>10}{'vs a':>7}"
             f"{'cpu ms/frame':>14}{'peak MB':>9}{'main MB':>9}{'imports MB':>11}"]
    names = {"a": "a  decode + pose (MediaPipe)", "b": "b  analyze, no video",
             "c": "c  analyze + annotated video", "c3": "c3 analyze + video, clip x3"}
    for key, r in results.items():
        lines.append(f"{names[key]:<34}{r['frames']:>7.0f}{r['fps']:>8.1f}"
                     f"{1000 / r['fps']:>10.1f}{r['fps'] / a['fps']:>7.2f}{r['cpu_ms']:>14.1f}"
                     f"{r['peak_mb']:>9.0f}{r['rss_mb']:>9.0f}{r['imports_mb']:>11.0f}")
    targets = TARGETS if workers > 1 else TARGETS_ONE_PROCESS
    for name, target in targets.items():
        ratio = results[name[0]]["fps"] / a["fps"]
        verdict = "ok" if ratio >= target else "SHORT"
        lines.append(f"{name} = {ratio:.2f} (aim >= {target}) {verdict}")
    lines.append("peak MB: all processes together (sum of proportional set sizes, sampled every "
                 f"{SAMPLE_S * 1000:.0f} ms); main MB: peak resident memory of the stage's own process")
    if load > (os.cpu_count() or 1) * 0.5:
        lines.append("note: the machine was busy before the run; frames per second are noisy")
    if "c3" in results:
        growth = results["c3"]["peak_mb"] - results["c"]["peak_mb"]
        lines.append(f"peak memory, clip x3 against x1: {growth:+.0f} MB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("clip", nargs="?", help="video file (default: a ~10 s squat from the footage)")
    p.add_argument("--exercise", "-e", default=None, help="exercise id (default: squat)")
    p.add_argument("--repeat", type=int, default=1, help="runs per stage; the fastest counts")
    p.add_argument("--no-long", action="store_true", help="skip the clip x3 memory check")
    p.add_argument("--workers", "-w", type=int, default=None,
                   help="processes for stages b and c (default: the cores this process may use)")
    p.add_argument("--stage", help=argparse.SUPPRESS)
    p.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out-dir", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    workers = max(1, args.workers or available_cores())
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.clip, args.exercise, args.out_dir, workers,
                                   args.memory)))
        return 0
    clip, exercise = (Path(args.clip), "squat") if args.clip else default_clip()
    exercise = args.exercise or exercise
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="formcheck-bench-") as tmp:
        stages = [("a", clip), ("b", clip), ("c", clip)]
        if not args.no_long:
            stages.append(("c3", concatenated(clip, 3, Path(tmp) / "clip_x3.mp4")))
        runs: dict[str, list[dict[str, float]]] = {stage: [] for stage, _ in stages}
        # Rounds of a, b, c rather than a, a, b, b: a burst of load elsewhere hits every stage.
        for _ in range(args.repeat):
            for stage, path in stages:
                runs[stage].append(spawn(stage, path, exercise, Path(tmp), workers))
                print(f"  {stage}: {runs[stage][-1]['fps']:.1f} fps", file=sys.stderr)
        # Memory in runs of its own, after the timed ones.
        memory = {stage: spawn(stage, path, exercise, Path(tmp), workers, memory=True)
                  for stage, path in stages}
    print(table({k: best(v, memory[k]) for k, v in runs.items()}, clip, exercise, load, workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
