"""The window's own preferences (language, data folder, token module, gateway): QSettings,
in the registry on Windows. Tests and the screenshot script pass a file of their own."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ENV = "IBHXH_UI_SETTINGS"


class Prefs:
    """Typed access to the few settings the window keeps."""

    def __init__(self, path: str | Path | None = None) -> None:
        path = path or os.environ.get(ENV)
        if path:
            self.q = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.q = QSettings("ibhxh", "ibhxh-client")

    def get(self, key: str, default: str = "") -> str:
        value = self.q.value(key, default)
        return "" if value is None else str(value)

    def set(self, key: str, value: str | bool | None) -> None:
        if value is None or value == "":
            self.q.remove(key)
        else:
            self.q.setValue(key, str(value) if not isinstance(value, bool) else
                            ("true" if value else "false"))
        self.q.sync()

    def flag(self, key: str) -> bool:
        return self.get(key).lower() == "true"

    @property
    def lang(self) -> str:
        return self.get("lang", "vi") or "vi"

    @property
    def data_dir(self) -> str:
        return self.get("data_dir")

    @property
    def module(self) -> str:
        return self.get("token_module")

    @property
    def gateway_url(self) -> str:
        return self.get("gateway_url")

    @property
    def gateway_mode(self) -> str:
        """"sandbox" (the training gateway started by the program) or "gateway"."""
        return self.get("gateway_mode", "sandbox") or "sandbox"
