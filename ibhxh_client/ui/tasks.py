"""Long work off the GUI thread: a QRunnable per job, results delivered on the GUI thread.

``run(fn, on_done, on_fail)`` runs ``fn(progress)`` in the global QThreadPool; the
callbacks are called on the GUI thread through queued signals, so they may touch widgets.
``fn`` must never touch a widget. A ``Task`` can be cancelled: ``fn`` sees it through
``progress.cancelled`` and stops at its next step.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The officer cancelled the job."""


class Progress:
    """What a job sees of its caller: report progress, notice a cancel."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        self.check()
        self._signals.progress.emit(done, total, text)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class Task(QRunnable):
    """One job. Keep a reference while it runs (``run`` does, in ``_running``)."""

    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self._fn = fn
        self.done = threading.Event()

    def cancel(self) -> None:
        self.progress._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.progress)
        except BaseException as exc:  # delivered to the GUI, never lost in a thread
            if not isinstance(exc, Cancelled):
                log.warning("background job failed: %s", "".join(
                    traceback.format_exception_only(type(exc), exc)).strip())
                log.debug("traceback", exc_info=True)
            self.done.set()
            self.signals.failed.emit(exc)
        else:
            self.done.set()
            self.signals.finished.emit(result)


_running: set[Task] = set()


def run(fn: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
        on_fail: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        pool: QThreadPool | None = None) -> Task:
    """Start ``fn(progress)`` in the thread pool; the callbacks run on the GUI thread."""
    task = Task(fn)
    _running.add(task)

    def finished(result: Any) -> None:
        _running.discard(task)
        if on_done:
            _deliver(on_done, result)

    def failed(exc: BaseException) -> None:
        _running.discard(task)
        if on_fail:
            _deliver(on_fail, exc)

    queued = Qt.ConnectionType.QueuedConnection  # always delivered on the GUI thread
    task.signals.finished.connect(finished, queued)
    task.signals.failed.connect(failed, queued)
    if on_progress:
        task.signals.progress.connect(on_progress, queued)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


class Latest:
    """Background work asked for again and again (a check after each keystroke, a list
    read again after each change): one job at a time; asked while one runs, it runs once
    more when that one ends, and only the last answer reaches ``on_done``.

    ``work()`` is called on the GUI thread each time the work starts and returns the
    function to run in the pool (None: nothing to do now): it reads then what the job
    needs, so the job that runs again sees the latest state."""

    def __init__(self, work: Callable[[], Callable[[Progress], Any] | None],
                 on_done: Callable[[Any], None],
                 on_fail: Callable[[BaseException], None]) -> None:
        self.work, self.on_done, self.on_fail = work, on_done, on_fail
        self.job: Task | None = None
        self._again = False

    @property
    def busy(self) -> bool:
        return self.job is not None

    def ask(self) -> Task | None:
        """Start the work, or, while it runs, have it run once more afterwards."""
        if self.job is not None:
            self._again = True
            return None
        fn = self.work()
        self.job = run(fn, self._done, self._failed) if fn is not None else None
        return self.job

    def _done(self, result: Any) -> None:
        if not self._rerun():
            self.on_done(result)

    def _failed(self, exc: BaseException) -> None:
        if not self._rerun():
            self.on_fail(exc)

    def _rerun(self) -> bool:
        """The job ended: when it was asked for meanwhile, start it again (its answer is
        stale) and say so."""
        self.job = None
        if not self._again:
            return False
        self._again = False
        self.ask()
        return True


def _deliver(callback: Callable[[Any], None], value: Any) -> None:
    try:
        callback(value)
    except RuntimeError as exc:
        # The screen that asked was replaced meanwhile (the language changed, the window
        # closed): the answer has nobody left to show it to.
        if "already deleted" not in str(exc):
            raise
        log.debug("result for a closed screen dropped: %s", exc)


def settle(timeout_ms: int = 3000) -> bool:
    """Wait for every job started through ``run`` and deliver its result (and any job its
    callbacks start) on this thread; True when none is left. The officer's clicks wait:
    only the jobs' own signals are delivered meanwhile.

    Before the program works on another unit: a job still running would read or write
    through the database's chosen unit, which would then be the new one."""
    deadline = time.monotonic() + timeout_ms / 1000
    while _running:
        for task in list(_running):
            left = deadline - time.monotonic()
            if left <= 0 or not task.done.wait(left):
                return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        if _running and time.monotonic() >= deadline:
            return False
    return True


def wait_all(timeout_ms: int = 10_000) -> bool:
    """Wait for every running job (closing the window, tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
