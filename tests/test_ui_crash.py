"""Nothing lost: the program killed mid-edit (SIGKILL, no chance to save) and opened
again shows what was typed, in the worker form and in a declaration's table."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EDIT = r"""
import sys, time
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from ibhxh_client.services.app import open_app
from ibhxh_client.services.demo import make_demo
from ibhxh_client.ui import i18n
from ibhxh_client.ui.app import make_qapp
from ibhxh_client.ui.lines import FIELD_COLUMN
from ibhxh_client.ui.mainwindow import Context, MainWindow
from ibhxh_client.ui.prefs import Prefs

def type_text(widget, text):
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

qapp = make_qapp(); i18n.install("vi")
app = open_app(sys.argv[1]); decl_id = make_demo(app, 8)
prefs = Prefs(sys.argv[2]); prefs.set("gateway_mode", "gateway")
w = MainWindow(Context(app, prefs), watch_tokens=False); w.show()
editor = w.go("workers").editor
editor.panel.inputs["full_name"].setFocus()
type_text(editor.panel.inputs["full_name"], "Vương Thị Ánh Tuyết")
type_text(editor.panel.inputs["cccd"], "0791950")
decls = w.go("declarations"); decls.open(decl_id)
model = decls.editor.model
model.setData(model.index(0, FIELD_COLUMN["muc_luong"]), "11.111.000")
model.setData(model.index(1, FIELD_COLUMN["tu_thang"]), "1x/2026")
def ready():
    print("ready", flush=True)
QTimer.singleShot(800, ready)  # the drafts are written 150-300 ms after the last keystroke
qapp.exec()
"""

READ = r"""
import json, sys
from ibhxh_client.services.app import open_app
from ibhxh_client.ui import i18n
from ibhxh_client.ui.app import make_qapp
from ibhxh_client.ui.lines import FIELD_COLUMN
from ibhxh_client.ui.mainwindow import Context, MainWindow
from ibhxh_client.ui.prefs import Prefs
qapp = make_qapp(); i18n.install("vi")
app = open_app(sys.argv[1])
w = MainWindow(Context(app, Prefs(sys.argv[2])), watch_tokens=False)
values = w.screens["workers"].editor.panel.values()
decls = w.go("declarations"); decls.open(1)
m = decls.editor.model
print(json.dumps({"name": values["full_name"], "cccd": values["cccd"],
                  "salary": m.decl.lines[0].salary,
                  "month": m.text(1, FIELD_COLUMN["tu_thang"])}, ensure_ascii=False))
w.close()
"""


def test_killed_mid_edit_and_reopened_shows_the_same_data(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    data, ini = str(tmp_path / "data"), str(tmp_path / "ui.ini")
    proc = subprocess.Popen([sys.executable, "-c", EDIT, data, ini], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and "ready" not in line:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise AssertionError(proc.stderr.read())
        assert "ready" in line
    finally:
        proc.send_signal(signal.SIGKILL)  # no closeEvent, no flush: as a power cut
        proc.wait(10)
    out = subprocess.run([sys.executable, "-c", READ, data, ini], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"name": "Vương Thị Ánh Tuyết", "cccd": "0791950", "salary": 11_111_000,
                    "month": "1x/2026"}
