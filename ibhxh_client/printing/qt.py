"""Qt for drawing PDFs from the command line as well as from the window: a GUI application
object (offscreen when there is no screen) and the shipped fonts, loaded once."""

from __future__ import annotations

import os
import sys
from functools import lru_cache

from ..paths import resources_dir

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def ensure_app():
    """The Qt application, created when none exists (offscreen on a Linux server). It is a
    widgets QApplication, not a bare QGuiApplication: the window (and pytest-qt) reuse the
    one instance a process may have, and they need widgets."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["ibhxh-client"])


@lru_cache(maxsize=1)
def font_family() -> str:
    """The family of the shipped font with full Vietnamese coverage, loaded from
    resources/fonts so no text depends on the fonts of the machine."""
    from PySide6.QtGui import QFontDatabase

    ensure_app()
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
        if font_id < 0:
            raise RuntimeError(f"cannot load font {name}")
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    return family
