"""Run a few functions at once in forked processes, with progress messages back to the parent.

Used to split one clip's work between cores (formcheck.pose.parallel, formcheck.render). Forked,
not spawned: the children inherit the imported libraries (MediaPipe takes seconds to import) and
the arguments (no pickling of code); only their messages and results are pickled. A child never
returns into the parent's code: it exits with os._exit, leaving the parent's open files, database
connections and threads alone, and it dies with its parent (Linux: SIGKILL when the parent dies),
so a killed job leaves no orphan working. Plain os.fork rather than multiprocessing, because a
daemonic process (the service's job workers are) may not start multiprocessing children.

Each task is called as task(send), send(value) passes a progress value to the parent's
on_message(index, value); the task's return value comes back in order. An exception in a child is
re-raised in the parent (after every child has ended).
"""

from __future__ import annotations

import os
import pickle
import selectors
import signal
import struct
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

Send = Callable[[Any], None]
Task = Callable[[Send], Any]

_HEADER = struct.Struct("<Q")


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class WorkerDied(RuntimeError):
    """A child process ended without sending its result (killed, or crashed in native code)."""


class _Child:
    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd = pid, fd
        self.buffer = bytearray()
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.open = True

    def messages(self) -> list[tuple[str, Any]]:
        out = []
        while len(self.buffer) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.buffer)
            end = _HEADER.size + size
            if len(self.buffer) < end:
                break
            out.append(pickle.loads(bytes(self.buffer[_HEADER.size:end])))
            del self.buffer[:end]
        return out


def _write(fd: int, message: tuple[str, Any]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _run_child(fd: int, parent: int, task: Task) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent(parent)
        result = task(lambda value: _write(fd, ("message", value)))
        _write(fd, ("result", result))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        code = 1
        # The traceback does not travel with a pickled exception: keep it as a note.
        exc.add_note("in a worker process:\n" + "".join(traceback.format_tb(exc.__traceback__)))
        try:
            try:
                _write(fd, ("error", exc))
            except (pickle.PicklingError, TypeError, AttributeError):
                _write(fd, ("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        except OSError:
            pass
    finally:
        os._exit(code)


def run_forked(tasks: Sequence[Task],
               on_message: Callable[[int, Any], None] | None = None) -> list[Any]:
    """Run every task in its own forked process at once; their results, in order."""
    parent = os.getpid()
    children: list[_Child] = []
    try:
        for task in tasks:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                _run_child(write, parent, task)
            os.close(write)
            children.append(_Child(pid, read))
        _collect(children, on_message)
    finally:
        for child in children:
            if child.open:
                os.close(child.fd)
                child.open = False
            try:
                if not child.finished:
                    os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
    for child in children:
        if child.error is not None:
            raise child.error
        if not child.finished:
            raise WorkerDied(f"a worker process (pid {child.pid}) stopped without a result")
    return [child.result for child in children]


def _collect(children: list[_Child], on_message: Callable[[int, Any], None] | None) -> None:
    """Read every child's messages until each pipe closes."""
    index = {child.fd: i for i, child in enumerate(children)}
    with selectors.DefaultSelector() as sel:
        for child in children:
            sel.register(child.fd, selectors.EVENT_READ, child)
        while any(child.open for child in children):
            for key, _ in sel.select():
                child = key.data
                chunk = os.read(child.fd, 1 << 20)
                if not chunk:
                    sel.unregister(child.fd)
                    os.close(child.fd)
                    child.open = False
                    continue
                child.buffer += chunk
                for kind, value in child.messages():
                    if kind == "message":
                        if on_message is not None:
                            on_message(index[child.fd], value)
                    elif kind == "result":
                        child.result, child.finished = value, True
                    else:
                        child.error, child.finished = value, True
