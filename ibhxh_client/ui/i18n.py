"""The window's language: Vietnamese by default, English from Settings.

UI strings are written in English in the source (``self.tr`` / ``translate``) and
translated with Qt Linguist files under resources/translations (ibhxh_vi.ts, compiled
to ibhxh_vi.qm). Messages from the services are already bilingual: pass ``lang()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from ..paths import resources_dir

LANGUAGES = ("vi", "en")
FILES = ("ibhxh", "qtbase")
_state = {"lang": "vi"}
_translator: list[QTranslator] = []


def translations_dir() -> Path:
    return resources_dir() / "translations"


def lang() -> str:
    """The language the window speaks now ("vi" or "en")."""
    return _state["lang"]


def install(language: str) -> str:
    """Load the translation for ``language`` into the running application."""
    language = language if language in LANGUAGES else "vi"
    app = QCoreApplication.instance()
    for old in _translator:
        if app is not None:
            app.removeTranslator(old)
    _translator.clear()
    if language == "vi" and app is not None:
        # Ours, then Qt's own dialogs and buttons (Qt ships no Vietnamese of its own).
        for name in FILES:
            tr = QTranslator(app)
            if tr.load(str(translations_dir() / f"{name}_vi.qm")):
                app.installTranslator(tr)
                _translator.append(tr)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi"
                               else QLocale.Language.English))
    _state["lang"] = language
    return language


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)
