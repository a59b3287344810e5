"""Backup and restore from the Settings screen: a sealed file written while the window is
open; a wrong passphrase refused with the data untouched; a good one restored."""

from __future__ import annotations

import pytest

from ibhxh_client.storage.db import DB_FILE
from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window
PASS = "sao lưu tháng 11"


@pytest.mark.sqlite_only  # backup and restore copy the SQLite file
def test_backup_then_restore_from_settings(demo_window, qtbot, tmp_path):
    screen = demo_window.go("settings")
    out = tmp_path / "sao-luu.ibhxh"
    screen.backup(str(out), PASS)
    qtbot.waitUntil(lambda: "Đã sao lưu" in screen.backup_result.text(), timeout=20_000)
    assert out.read_bytes().startswith(b"IBHXH-BACKUP/1")
    data_file = demo_window.ctx.app.data_dir / DB_FILE
    before = data_file.read_bytes()
    screen.restore(str(out), "không phải mật khẩu")
    qtbot.waitUntil(lambda: "sai cụm mật khẩu" in screen.backup_result.text(), timeout=20_000)
    assert data_file.read_bytes() == before  # refused before anything was touched
    screen.restore(str(out), PASS)
    qtbot.waitUntil(lambda: "Đã khôi phục" in screen.backup_result.text(), timeout=30_000)
    assert list(data_file.parent.glob(DB_FILE + ".before-restore-*"))
