"""Asking for the token's PIN from the signing thread (Electrum-style).

The signing job runs in a worker thread. When the signing library has read the token's
flags it calls ``PinBridge.ask(preflight)`` there; the bridge emits ``asked`` (delivered
on the GUI thread), the window shows ``PinDialog`` and calls ``answer``; the worker thread
waits for that answer (or for a cancel). The PIN passes through once and is dropped: it is
never stored, and the dialog's field is cleared as soon as it is read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..signing import pin_message
from .i18n import lang


class PinBridge(QObject):
    """The question "which PIN?" from the signing thread to the GUI, and the answer back."""

    asked = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._answered = threading.Event()
        self._answer: str | None = None
        self._cancel = threading.Event()

    def ask(self, preflight: Any) -> str | None:
        """Called in the signing thread: blocks until the GUI answers (None: cancelled)."""
        self._answered.clear()
        self._answer = None
        self.asked.emit(preflight)
        while not self._answered.wait(0.1):
            if self._cancel.is_set():
                return None
        pin, self._answer = self._answer, None
        return pin

    def answer(self, pin: str | None) -> None:
        """Called on the GUI thread with the PIN, or None when the officer cancelled."""
        self._answer = pin
        self._answered.set()

    def cancel(self) -> None:
        self._cancel.set()
        self.answer(None)


def open_pin_dialog(parent: QWidget, preflight: Any, bridge: PinBridge,
                    on_answered: Callable[[], None]) -> PinDialog:
    """Show the PIN dialog window-modal (no nested event loop), hand its answer to the
    thread waiting on ``bridge`` (None when cancelled), then call ``on_answered``. The PIN
    goes from the dialog's field to the bridge and nowhere else."""
    dialog = PinDialog(preflight, parent)

    def finished(code: int) -> None:
        pin = dialog.take_pin() if code == PinDialog.DialogCode.Accepted else None
        bridge.answer(pin)
        on_answered()
        dialog.deleteLater()

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


def ask_pin_for(owner: QWidget, preflight: Any, bridge: PinBridge, status: QLabel,
                waiting: str, after: str) -> None:
    """The PIN dialog for ``owner``'s work in a worker thread: ``status`` says ``waiting``
    until the officer answers and ``after`` once the work goes on; ``owner.pin_dialog`` is
    the dialog while it is open (None after)."""
    status.setText(waiting)

    def answered() -> None:
        owner.pin_dialog = None  # type: ignore[attr-defined]
        status.setText(after)

    owner.pin_dialog = open_pin_dialog(owner, preflight, bridge, answered)  # type: ignore[attr-defined]


class PinDialog(QDialog):
    """The PIN, with what the officer must know before sending it: what the token's flags
    report (a wrong PIN earlier, the final try), certificate warnings, a PIN pad on the
    reader. Only on the final try must the officer tick a confirmation before Sign is
    enabled; a wrong PIN earlier is said, and the right PIN signs as usual."""

    def __init__(self, preflight: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pin_dialog")
        self.setWindowTitle(self.tr("Token PIN"))
        self.setModal(True)
        token, cert = preflight.token, preflight.certificate
        col = QVBoxLayout(self)
        who = QLabel(self.tr("Token <b>{label}</b> (serial {serial})<br>Certificate: {name}<br>"
                             "Valid until {date}").format(
            label=token.label, serial=token.serial, name=cert.name,
            date=cert.not_after.strftime("%d/%m/%Y")), self)
        who.setTextFormat(Qt.TextFormat.RichText)
        who.setWordWrap(True)
        col.addWidget(who)
        status = preflight.pin_status
        self.warning = QLabel(self)
        self.warning.setObjectName("pin_warning")
        self.warning.setWordWrap(True)
        self.warning.setProperty("role", "error")
        lines = []
        if status.needs_warning:
            lines.append(pin_message(status, lang()))
        lines += [w.message(lang()) for w in preflight.warnings]
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))
        self.warning.setAccessibleName(self.tr("Warning"))
        col.addWidget(self.warning)
        self.pinpad = bool(getattr(token, "protected_auth_path", False))
        self.field = QLineEdit(self)
        self.field.setObjectName("pin_field")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(self.tr("PIN"))
        self.field.setMaxLength(64)
        if self.pinpad:
            col.addWidget(QLabel(self.tr("Type the PIN on the reader's own keypad, then "
                                         "press Continue."), self))
            self.field.setVisible(False)
        else:
            label = QLabel(self.tr("&PIN of the token:"), self)
            label.setBuddy(self.field)
            col.addWidget(label)
            col.addWidget(self.field)
        self.confirm: QCheckBox | None = None
        if status.needs_confirmation:
            col.addWidget(QLabel(self.tr("If you are not sure of the PIN, press Cancel and "
                                         "ask whoever holds the token."), self))
            self.confirm = QCheckBox(self.tr("I am &sure of the PIN: send it on this final "
                                             "try"), self)
            self.confirm.setObjectName("pin_confirm")
            col.addWidget(self.confirm)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("Sign") if not self.pinpad else
                                    self.tr("Continue"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("pin_ok")
        self.ok.setDefault(True)
        cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("pin_cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        if self.confirm is not None:
            self.ok.setEnabled(False)
            self.confirm.toggled.connect(self.ok.setEnabled)
        self.setMinimumWidth(440)
        self.field.setFocus()

    @property
    def confirmed(self) -> bool:
        """True unless this is the final try and the confirmation is not ticked."""
        return self.confirm is None or self.confirm.isChecked()

    def accept(self) -> None:
        """Sign only once the final try is confirmed (Enter cannot skip the tick box)."""
        if self.confirmed:
            super().accept()

    def take_pin(self) -> str:
        """The PIN typed, once: the field is emptied as it is read."""
        pin = self.field.text()
        self.field.clear()
        return pin
