"""Every string the window shows has a Vietnamese translation whose placeholders are the
source's, the compiled .qm files are up to date, and Vietnamese is what the window speaks
by default (English when Settings say so)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from lxml import etree

from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "resources" / "translations"
UI = ROOT / "ibhxh_client" / "ui"
BIN = Path(sys.executable).parent
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}|%n|%L?\d")


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed (it comes with PySide6-Essentials)"
    return found


def messages(ts: Path) -> dict[tuple[str, str], etree._Element]:
    out = {}
    for context in etree.parse(str(ts)).getroot().iter("context"):
        name = context.findtext("name")
        for m in context.iter("message"):
            out[(name, m.findtext("source"))] = m.find("translation")
    return out


def test_every_translation_is_finished_and_keeps_its_placeholders():
    bad = []
    for ts in sorted(TRANSLATIONS.glob("*_vi.ts")):
        for (context, source), tr in messages(ts).items():
            text = tr.text or ""
            if not text.strip() or tr.get("type") in ("unfinished", "vanished", "obsolete"):
                bad.append(f"{ts.name} {context}: {source!r} has no Vietnamese")
            elif sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                bad.append(f"{ts.name} {context}: {source!r} → {text!r}: placeholders differ")
            elif source.count("&") - source.count("&&") > 0 and "&" not in text:
                bad.append(f"{ts.name} {context}: {source!r} → {text!r}: no keyboard accelerator")
    assert not bad, "\n".join(bad)


def test_every_string_in_the_source_is_in_the_vietnamese_file(tmp_path):
    """lupdate over today's source: a string added without a translation fails here."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run([tool("pyside6-lupdate"), *sorted(str(p) for p in UI.glob("*.py")),
                    "-ts", str(fresh), "-locations", "none"], check=True, capture_output=True)
    found = set(messages(fresh))
    committed = messages(TRANSLATIONS / "ibhxh_vi.ts")
    missing = sorted(found - set(committed))
    assert len(found) > 200
    assert not missing, "not in ibhxh_vi.ts (run lupdate, translate, lrelease):\n" + \
        "\n".join(f"{c}: {s!r}" for c, s in missing)
    stale = sorted(set(committed) - found)
    assert not stale, "no longer in the source (lupdate -no-obsolete):\n" + \
        "\n".join(f"{c}: {s!r}" for c, s in stale)


def test_compiled_files_match_their_sources(tmp_path):
    for ts in sorted(TRANSLATIONS.glob("*_vi.ts")):
        out = tmp_path / ts.with_suffix(".qm").name
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(out)], check=True,
                       capture_output=True)
        assert out.read_bytes() == ts.with_suffix(".qm").read_bytes(), \
            f"{ts.name} changed since {ts.with_suffix('.qm').name} was compiled (lrelease)"


def test_the_window_speaks_vietnamese_by_default_and_english_on_request(window, qtbot):
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert names[:2] == ["Đơn vị", "Người lao động"]
    settings = window.go("settings")
    settings.language.setCurrentIndex(settings.language.findData("en"))
    qtbot.waitUntil(lambda: window.nav.item(1).text() == "Workers")
    assert window.ctx.prefs.lang == "en"
    assert window.current_name() == "settings"
    settings = window.screens["settings"]
    settings.language.setCurrentIndex(settings.language.findData("vi"))
    qtbot.waitUntil(lambda: window.nav.item(1).text() == "Người lao động")
