"""The pose model over the labelled real clips, once per clip per test run, shared by every test.

The footage tests need the poses of every supported clip (tests/test_footage.py scores them all)
and some need a few clips' poses again (sessions joined from clips, the split pose pass). Running
the model is most of their time, so it runs once per clip: in two spawned processes (a forked child
of a process that already ran MediaPipe aborts) started as soon as the tests are collected, at a
lower priority so they take the CPU the rest of the suite leaves idle. The poses are kept as .npz
files in FORMCHECK_TEST_POSE_CACHE when it is set (kept between runs), else in a folder of this run.

A test that needs one clip's poses before its turn in the queue comes takes the clip out of the
queue and runs the model on it itself, still once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from formcheck.evaluation import ClipResult, _cached_poses, evaluate_clip, load_labels, supported
from formcheck.pose.sequence import PoseSequence

# Niceness of the background processes: below the tests, their servers and their own workers.
NICENESS = 10


def _start_worker() -> None:
    """Lower the process's priority; what MediaPipe writes to fd 2 goes nowhere (the processes
    start outside any test, where pytest would capture it)."""
    from formcheck.cli import quiet_native_stderr

    os.nice(NICENESS)
    quiet_native_stderr()


class FootageRun:
    def __init__(self, footage: Path, store: Path, fresh: bool, queue_all: bool, jobs: int = 2) -> None:
        """queue_all: start on every clip now (when the tests that score them all will run); else
        each clip is run when a test asks for it."""
        self.footage = footage
        self.store = store
        # Poses made by this run's code (not read from a cache kept between runs).
        self.fresh = fresh
        self.labels = [lab for lab in load_labels(footage) if supported(lab)]
        self._lock = threading.Lock()
        self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker)
        self._futures: dict[str, Future[ClipResult]] = {
            lab["file"]: self._pool.submit(evaluate_clip, footage, lab, store)
            for lab in (self.labels if queue_all else [])}
        self._here: dict[str, ClipResult] = {}

    def _label(self, name: str) -> dict[str, Any]:
        return next(lab for lab in self.labels if lab["file"] == name)

    def _wait(self, name: str) -> ClipResult:
        """The clip's result; when its turn has not come, the model runs on it here and now."""
        with self._lock:
            if name in self._here:
                return self._here[name]
            future = self._futures.get(name)
            if future is None or future.cancel():
                self._here[name] = evaluate_clip(self.footage, self._label(name), self.store)
                return self._here[name]
        return future.result()

    def results(self) -> list[ClipResult]:
        """Every supported clip analysed with its labelled exercise (formcheck.evaluation)."""
        return [self._wait(lab["file"]) for lab in self.labels]

    def poses(self, name: str) -> PoseSequence:
        """The clip's raw poses (one pass of the model in one process)."""
        if any(lab["file"] == name for lab in self.labels):
            self._wait(name)  # else a clip of an exercise FormCheck does not know: made here
        return _cached_poses(self.footage / "clips" / name, self.store)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
