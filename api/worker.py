"""Queue consumers: `formcheck worker` (run) and the one `formcheck serve` starts beside itself.

Analyses are CPU-bound (MediaPipe), so the consumer runs process workers, one per core by default.
The embedded consumer is a child process of the web server: it dies with the server (Linux parent
death signal) so a killed server never leaves an orphan consuming the queue.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys

from huey.consumer import Consumer, Environment, ProcessEnvironment

from api.jobs import JobQueue
from api.settings import Settings, get_settings

log = logging.getLogger(__name__)


def run(settings: Settings | None = None, workers: int | None = None) -> None:
    """Consume analysis jobs until interrupted (blocks; SIGINT/SIGTERM stop it)."""
    settings = settings or get_settings()
    queue = JobQueue(settings)
    consumer = SupervisedConsumer(queue.huey, workers=workers or settings.workers,
                                  worker_type="process", periodic=True, check_worker_health=True)
    log.info("worker consuming the %s queue with %d processes", settings.queue_backend,
             consumer.workers)
    try:
        consumer.run()
    finally:
        queue.close()


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Ask Linux to send `sig` to this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(pr_set_pdeathsig, sig)


class _ChildrenDieWithConsumer(ProcessEnvironment):
    """Huey's process environment, plus: a forked worker or scheduler dies with its consumer.

    An orphaned worker would keep taking jobs nobody supervises; killed at once instead, the job
    it held is re-run by the queue's recovery.
    """

    def init_child(self, process: object) -> None:
        super().init_child(process)
        die_with_parent(signal.SIGKILL)


class SupervisedConsumer(Consumer):
    def get_environment(self, worker_type: str) -> Environment:
        if worker_type == "process":
            return _ChildrenDieWithConsumer(self._graceful_sig, self._interrupt_sig)
        return super().get_environment(worker_type)


class EmbeddedWorker:
    """A consumer child process started and stopped with the web app."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, **self.settings.as_env()}
        # Linux: the consumer gets SIGTERM (a clean huey shutdown) when the server dies.
        self.process = subprocess.Popen([sys.executable, "-m", "api.worker"], env=env,
                                        preexec_fn=die_with_parent)  # noqa: PLW1509
        log.info("started embedded worker (pid %d)", self.process.pid)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT is huey's graceful stop: running analyses finish their current step and exit.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run()


if __name__ == "__main__":
    main()
