"""Long work off the GUI thread: a job (a plain callable) runs in its own QThread, and its
progress and outcome arrive as signals in the GUI thread.

A job is ``job(should_cancel, report) -> result``: it polls ``should_cancel()`` and raises
``Cancelled`` when it turns true, and calls ``report(done, total, stage)``. The core code knows
nothing of Qt (ARCHITECTURE.md); this module turns its callables into signals. ``finished`` is
emitted once the thread has ended, whatever the outcome, so a raising job never leaves a
progress bar running (DeepLabCut's tests/gui/test_worker.py records that bug).
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from genuscreen.video.errors import Cancelled

CancelCheck = Callable[[], bool]
Report = Callable[[int, int, str], None]
Job = Callable[[CancelCheck, Report], object]

log = logging.getLogger(__name__)


class _Runner(QObject):
    """Lives in the worker thread and runs the job there."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()

    def __init__(self, job: Job, cancel: threading.Event):
        super().__init__()
        self._job = job
        self._cancel = cancel
        self._last: tuple[int, str] | None = None

    def _report(self, done: int, total: int, stage: str) -> None:
        # Whole percents only: hundreds of signals a second would crowd the GUI's event queue.
        step = (100 * done // max(1, total), stage)
        if step != self._last:
            self._last = step
            self.progressed.emit(done, total, stage)

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._cancel.is_set, self._report)
        except Cancelled:
            self.cancelled.emit()
        except Exception as error:  # handed to the GUI, which shows the message
            log.debug("background job failed", exc_info=True)
            self.failed.emit(error)
        else:
            if self._cancel.is_set():
                self.cancelled.emit()
            else:
                self.succeeded.emit(result)
        finally:
            self.done.emit()


class Task(QObject):
    """One job in one QThread. Create, connect, then ``start()``. Signals arrive in the thread
    that created the task (the GUI thread)."""

    progressed = Signal(int, int, str)  # done, total, stage
    succeeded = Signal(object)  # the job's return value
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after any of the above, once the thread has ended

    def __init__(self, job: Job, name: str, parent: QObject | None = None):
        super().__init__(parent)
        self.name = name
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._runner = _Runner(job, self._cancel)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)
        # Queued into this object's (the GUI) thread.
        self._runner.progressed.connect(self.progressed)
        self._runner.succeeded.connect(self.succeeded)
        self._runner.failed.connect(self.failed)
        self._runner.cancelled.connect(self.cancelled)
        self._runner.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self._finished = False

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until the thread ends (or the timeout); True when it has ended."""
        return self._thread.wait(timeout_ms)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()  # 'finished' comes just before the thread really ends
        if not self._finished:
            self._finished = True
            self.finished.emit()


class TaskGroup(QObject):
    """Keeps running tasks alive until their threads end, and stops them all on shutdown."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._tasks: list[Task] = []

    def start(self, job: Job, name: str) -> Task:
        """A started task; connect to its signals right after (signals are queued, none is missed)."""
        task = Task(job, name)  # no Qt parent: the list keeps it alive until its thread ends
        self._tasks.append(task)
        task.finished.connect(self._forget)
        task.start()
        return task

    @Slot()
    def _forget(self) -> None:
        self._tasks = [t for t in self._tasks if t.is_running()]

    def running(self) -> list[Task]:
        return [t for t in self._tasks if t.is_running()]

    def shutdown(self, timeout_ms: int = 15_000) -> bool:
        """Cancel every task and wait for its thread; True when all have ended."""
        for task in self._tasks:
            task.cancel()
        ended = all(task.wait(timeout_ms) for task in self._tasks)
        if not ended:
            log.warning("background work did not stop within %.0f s", timeout_ms / 1000)
        return ended
