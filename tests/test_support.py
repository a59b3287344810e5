"""What support staff rely on: redacted logs, sealed backups, diagnostics, Vietnamese paths."""

import json
import logging
import os
import zipfile

import pytest

from ibhxh_client import logs
from ibhxh_client.services import backup
from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.storage import repo
from ibhxh_client.storage.db import DB_FILE

PASS = "cụm mật khẩu sao lưu"


def test_log_file_never_holds_a_secret_or_a_personal_value(tmp_path):
    path = logs.setup(tmp_path)
    log = logging.getLogger("ibhxh.test")
    log.info("login unit TZH490L password=hunter22 pin: 123456")
    log.warning("worker CCCD 079191001234 BHXH 7912345678 salary 10.620.000 phone "
                "0912345678 mail nv.an@congty.vn")
    try:
        raise ValueError("bad CCCD 001090000001 for salary 5,310,000")
    except ValueError:
        log.exception("import failed at row %d", 7)
    for handler in logging.getLogger("ibhxh").handlers:
        handler.flush()
    text = path.read_text("utf-8")
    for secret in ("hunter22", "123456", "079191001234", "7912345678", "10.620.000",
                   "0912345678", "nv.an@congty.vn", "001090000001", "5,310,000"):
        assert secret not in text, secret
    assert "TZH490L" in text and "row 7" in text and "ValueError" in text
    assert "password=***" in text


@pytest.mark.sqlite_only  # backup and restore copy the SQLite file
def test_backup_while_running_and_restore_on_a_new_pc(demo_app, tmp_path, memory_keyring):
    out = tmp_path / "Sao lưu tháng 11.ibhxh"
    with demo_app.db.reading() as conn:
        before = repo.load_workers(conn)
    # Another program instance is in the middle of a write: the copy is still consistent
    # (it holds the last committed state), and taking it does not wait for the writer.
    import sqlite3

    writer = sqlite3.connect(demo_app.db.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE workers SET position = 'Trưởng phòng' WHERE id = 1")
    snapshot = backup._snapshot(demo_app.db.path)
    writer.execute("ROLLBACK")
    writer.close()
    assert snapshot.startswith(b"SQLite format 3") and "Trưởng phòng".encode() not in snapshot
    info = backup.backup(demo_app, out, PASS)
    assert info["workers"] == 25 and out.read_bytes().startswith(backup.MAGIC)
    raw = out.read_bytes()
    assert before[1].cccd.encode() not in raw and b"SQLite format" not in raw
    demo_app.close()
    # A new PC: another data folder, an empty keyring.
    memory_keyring.items.clear()
    new_dir = tmp_path / "Máy mới" / "Dữ liệu BHXH"
    result = backup.restore(new_dir, out, PASS)
    assert result == {"workers": 25, "kept": None}
    app = open_app(new_dir)
    with app.db.reading() as conn:
        after = repo.load_workers(conn)
        actions = [r["action"] for r in repo.list_processing(conn)]
    app.close()
    assert after == before
    assert actions == ["restore"]  # the backup's own entry is written after its snapshot


@pytest.mark.sqlite_only  # backup and restore copy the SQLite file
@pytest.mark.parametrize("damage", ["passphrase", "flip", "truncate", "not_a_backup"])
def test_bad_backup_is_refused_and_current_data_untouched(demo_app, data_dir, tmp_path,
                                                          damage):
    out = tmp_path / "b.ibhxh"
    backup.backup(demo_app, out, PASS)
    demo_app.close()
    blob = out.read_bytes()
    passphrase = PASS
    if damage == "passphrase":
        passphrase = "sai mật khẩu rồi"
    elif damage == "flip":
        out.write_bytes(blob[:-100] + bytes([blob[-100] ^ 1]) + blob[-99:])
    elif damage == "truncate":
        out.write_bytes(blob[: len(blob) // 2])
    else:
        out.write_bytes(b"PK\x03\x04 just a zip")
    current = (data_dir / DB_FILE).read_bytes()
    with pytest.raises(UserError) as err:
        backup.restore(data_dir, out, passphrase)
    assert err.value.code in ("backup_wrong_passphrase", "backup_damaged")
    assert "không bị thay đổi" in err.value.message("vi")
    assert (data_dir / DB_FILE).read_bytes() == current
    assert not list(data_dir.glob("*.part")) and not list(data_dir.glob("*before-restore*"))


@pytest.mark.sqlite_only  # backup and restore copy the SQLite file
def test_restore_over_existing_data_keeps_the_old_file(demo_app, data_dir, tmp_path):
    out = tmp_path / "b.ibhxh"
    backup.backup(demo_app, out, PASS)
    with demo_app.db.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM declaration_lines")
    demo_app.close()
    result = backup.restore(data_dir, out, PASS)
    assert result["kept"] and os.path.exists(result["kept"])
    app = open_app(data_dir)
    with app.db.reading() as conn:
        assert len(repo.load_declaration(conn, 1).lines) == 25
    app.close()


@pytest.mark.sqlite_only  # backup and restore copy the SQLite file
def test_backup_and_restore_commands(cli, tmp_path, monkeypatch):
    assert cli("demo", "--workers", "3").code == 0
    monkeypatch.setenv("BK_PASS", PASS)
    r = cli("backup", "--out", tmp_path / "b.ibhxh", "--passphrase-env", "BK_PASS")
    assert r.code == 0 and "3 người lao động" in r.out
    monkeypatch.setenv("BAD_PASS", "wrong wrong wrong")
    r = cli("restore", tmp_path / "b.ibhxh", "--passphrase-env", "BAD_PASS")
    assert r.code == 1 and "sai cụm mật khẩu" in r.err
    r = cli("restore", tmp_path / "b.ibhxh", "--passphrase-env", "BK_PASS")
    assert r.code == 0 and "Đã khôi phục 3" in r.out


def test_diagnose_report_and_bundle(cli, tmp_path):
    assert cli("demo", "--workers", "3").code == 0
    logging.getLogger("ibhxh.test").warning("CCCD 079191001234 in a log line")
    r = cli("--json", "diagnose", "--bundle", tmp_path / "ticket.zip", "--module",
            tmp_path / "no-such-module.so")
    assert r.code == 0
    data = r.json
    assert data["data"]["integrity"] == "ok" and data["data"]["workers"] == 3
    assert data["program"]["ibhxh-client"]
    # every library's version, also those whose module has no __version__
    assert all(data["program"][m][:1].isdigit() for m in ("pkcs11", "keyring", "lxml"))
    modules = data["tokens"]["modules"]
    assert modules[0]["path"].endswith("no-such-module.so") and modules[0]["error"]
    assert data["gateway"] == {"configured": False}
    assert "printers" in data["printers"]
    with zipfile.ZipFile(tmp_path / "ticket.zip") as zf:
        names = zf.namelist()
        assert "report.txt" in names and "report.json" in names
        logs_in = [n for n in names if n.startswith("logs/")]
        assert logs_in
        assert all(b"079191001234" not in zf.read(n) for n in names)
    assert json.loads(zipfile.ZipFile(tmp_path / "ticket.zip").read("report.json"))
    text = cli("diagnose").out
    assert "[data]" in text and "integrity: ok" in text


@pytest.mark.sqlite_only  # a damaged SQLite file
def test_diagnose_works_when_the_database_does_not(cli, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / DB_FILE).write_bytes(b"garbage" * 1000)
    r = cli("--json", "diagnose")
    assert r.code == 0
    assert r.json["data"]["integrity"].startswith("ERROR")
    assert cli("workers", "list").code == 1


def test_vietnamese_paths_with_spaces(cli, tmp_path):
    folder = tmp_path / "Dữ liệu BHXH" / "Công ty Sao Mai"
    assert cli("--data-dir", folder, "demo", "--workers", "2").code == 0
    out = tmp_path / "Hồ sơ tháng 11" / "D02 Sao Mai.xml"
    out.parent.mkdir()
    assert cli("--data-dir", folder, "export", "1", "--out", out).code == 0
    assert cli("--data-dir", folder, "validate", out).code == 0


def test_error_catalogue_in_docs_is_current():
    """docs/errors.md lists every message; regenerate with python -m ibhxh_client.errors_doc."""
    from ibhxh_client import errors_doc

    assert errors_doc.path().read_text("utf-8") == errors_doc.render()
