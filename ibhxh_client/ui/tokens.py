"""The token watcher: notices tokens plugged in and pulled out, off the GUI thread.

Every few seconds a background job lists the tokens of the modules found
(``signing.find_modules`` and ``list_tokens``); the window is told only when something
changed. All PKCS#11 work of the window goes through ``TOKEN_LOCK``, so the watcher never
talks to a token while a signature is being made (it simply skips that round).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from . import tasks

TOKEN_LOCK = threading.Lock()
INTERVAL_MS = 4000


@dataclass(frozen=True)
class TokenState:
    """One token as the status bar shows it."""

    module: str
    label: str
    serial: str
    pin: str
    cert_name: str = ""
    days_to_expiry: int | None = None  # of the unit's certificate (or the first one)
    error: str = ""


def poll(module_setting: str | None, tax_code: str | None, lang: str) -> tuple[TokenState, ...]:
    """The tokens present now (called in a worker thread, under TOKEN_LOCK)."""
    from ..signing import SigningError, find_modules, list_tokens

    now = dt.datetime.now(dt.UTC)
    found: list[TokenState] = []
    for module in find_modules(module_setting or None):
        try:
            tokens = list_tokens(module)
        except SigningError as exc:
            if module_setting and module == module_setting:
                found.append(TokenState(module, "", "", "", error=exc.message(lang)))
            continue
        for t in tokens:
            certs = list(t.certificates)
            mine = [c for c in certs if tax_code and c.tax_code == tax_code] or certs
            valid = [c for c in mine if c.valid_at(now)] or mine
            best = max(valid, key=lambda c: c.not_after) if valid else None
            found.append(TokenState(module, t.label, t.serial, t.pin_status.name,
                                    best.name if best else "",
                                    best.days_to_expiry(now) if best else None))
    return tuple(found)


class TokenWatcher(QObject):
    """Polls in the background; ``changed`` carries the new tuple of TokenState."""

    changed = Signal(object)

    def __init__(self, settings: Any, parent: QObject | None = None,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.settings = settings  # callable → (module setting, tax code, lang)
        self.state: tuple[TokenState, ...] | None = None
        self._job: tasks.Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll_now)

    def start(self) -> None:
        self.poll_now()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll_now(self) -> None:
        if self._job is not None:
            return
        module, tax_code, lang = self.settings()

        def job(_progress: Any) -> tuple[TokenState, ...] | None:
            if not TOKEN_LOCK.acquire(blocking=False):
                return None  # a signature is being made: look again next round
            try:
                return poll(module, tax_code, lang)
            finally:
                TOKEN_LOCK.release()

        self._job = tasks.run(job, self._done, self._failed)

    def _done(self, state: tuple[TokenState, ...] | None) -> None:
        self._job = None
        if state is not None and state != self.state:
            self.state = state
            self.changed.emit(state)

    def _failed(self, _exc: BaseException) -> None:
        self._job = None
