"""Moving a database (issue 17, point 5) on a real PostgreSQL server: SQLite → PostgreSQL →
SQLite with every table equal; a target holding data, at another schema or out of reach
refused with nothing changed; a copy that does not verify discarded; backups of a server's
database restored into an empty server database and into a SQLite file; the password of
the URL in no file of the data folder and in no output."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ibhxh_client.services import move as move_service
from ibhxh_client.services import submission
from ibhxh_client.services.app import open_app
from ibhxh_client.storage import location, repo
from ibhxh_client.storage.crypto import FieldCipher, new_key
from ibhxh_client.storage.db import DB_FILE, current_revision, upgrade
from tests.pg import create_database, drop_database
from tests.test_default_path import BIN, bare_env
from tests.test_units import SECOND

# Each test starts from the SQLite file on purpose and names its server databases itself.
pytestmark = pytest.mark.sqlite_only

PASS = "mật khẩu sao lưu 2026"


def _password(url: str) -> str:
    secret = make_url(url).password
    assert secret, "the test server's URL has a password"
    return secret


def _engine(url_or_path):
    if str(url_or_path).startswith("postgresql"):
        return create_engine(str(url_or_path).replace("postgresql://", "postgresql+psycopg://",
                                                      1))
    return create_engine(f"sqlite:///{url_or_path}")


def _digests(url_or_path) -> dict[str, tuple[int, str]]:
    engine = _engine(url_or_path)
    try:
        with engine.connect() as conn:
            return move_service.digests(conn)
    finally:
        engine.dispose()


def _sqlite_rows(path) -> dict[str, list[tuple]]:
    """Every row of every table of a SQLite file, as sqlite3 reads it (no SQLAlchemy)."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}
    finally:
        con.close()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _folder_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def full_source(cli, data_dir, tmp_path):
    """The demo (with its claims) on this PC's file, a second unit with a worker, dossier 1
    signed and queued in the outbox."""
    assert cli("demo").code == 0
    profile = tmp_path / "hoasen.json"
    profile.write_text(json.dumps(SECOND, ensure_ascii=False), encoding="utf-8")
    assert cli("units", "add", profile).code == 0
    r = cli("--unit", "HS00123", "workers", "add", "--full-name", "Lê Văn Hải", "--gender",
            "M", "--birth-date", "01/02/1990", "--cccd", "001090012345", "--salary",
            "9000000", "--birth-place", "Hà Nội", "--birth-province", "01", "--address",
            "5 Tràng Tiền, Hà Nội", "--address-province", "01")
    assert r.code == 0, r.err
    assert cli("units", "use", "TZH490L").code == 0
    r = cli("sign", "1", "--demo-cert")
    assert r.code == 0, r.err
    app = open_app(data_dir)
    try:
        submission.remember(app, "https://gw.example", "TZH490L", "certificate", None, "")
        submission.enqueue(app, 1)
    finally:
        app.close()
    return data_dir


def _counts(digests: dict[str, tuple[int, str]]) -> dict[str, int]:
    return {name: count for name, (count, _d) in digests.items()}


def _a_sealed_value(data_dir) -> tuple[str, str]:
    """The first worker's name and CCCD, opened with the key in the keyring."""
    app = open_app(data_dir, unit="TZH490L")
    try:
        with app.db.reading() as conn:
            worker = repo.load_workers(conn)[1]
        return worker.full_name, worker.cccd
    finally:
        app.close()


def test_sqlite_to_postgresql_and_back_with_every_table_equal(full_source, cli, pg_url):
    data_dir = full_source
    source_file = data_dir / DB_FILE
    before = _digests(source_file)
    rows_before = _sqlite_rows(source_file)
    sealed = _a_sealed_value(data_dir)
    counts = _counts(before)
    assert counts["employer"] == 2 and counts["claims"] >= 4 and counts["outbox"] == 1
    assert counts["artifacts"] >= 1 and counts["alembic_version"] == 1
    file_before = _sha(source_file)
    password = _password(pg_url)

    r = cli("--json", "move", "--to", pg_url)
    assert r.code == 0, r.err
    assert password not in r.out + r.err
    moved = r.json
    assert moved["engine"] == "postgresql" and moved["rows"] == sum(counts.values())
    assert moved["from"] == str(source_file) and moved["set_aside"] is None
    # The copy: every table equal; the data folder now on it; the key still opens it.
    assert _digests(pg_url) == before
    where = location.resolve(data_dir)
    assert not where.is_sqlite and where.url.database == location.parse(pg_url).database
    shown = cli("--json", "database", "show")
    assert shown.json["engine"] == "postgresql" and shown.json["source"] == "file"
    assert _a_sealed_value(data_dir) == sealed
    # The source is left as it was, where it was.
    assert _sha(source_file) == file_before and _digests(source_file) == before
    # Ids go on after the highest copied one on the server, in every table.
    engine = _engine(pg_url)
    with engine.begin() as conn:
        for table in ("workers", "declarations", "declaration_lines", "history", "claims",
                      "artifacts", "employer"):
            highest = conn.execute(text(f"SELECT max(id) FROM {table}")).scalar()
            following = conn.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id'))"),
                                     {"t": table}).scalar()
            assert highest and following == highest + 1, table
    engine.dispose()
    app = open_app(data_dir)
    try:
        with app.db.transaction() as conn:
            repo.log_processing(conn, "export", "x", workers=0)
    finally:
        app.close()
    on_server = _digests(pg_url)

    r = cli("move", "--to", "sqlite")
    assert r.code == 0, r.err
    assert "cất sang" in r.out  # the earlier file is put aside, named
    aside = next(data_dir.glob(f"{DB_FILE}.before-move-*"))
    assert _sha(aside) == file_before
    assert location.resolve(data_dir).is_sqlite and not (data_dir / "database.json").exists()
    assert _digests(source_file) == on_server  # the file now holds the server's content
    assert _digests(pg_url) == on_server  # and the server was not changed
    back = _sqlite_rows(source_file)
    # Byte for byte as sqlite3 reads it, but for the processing log row added on the server.
    assert {t: v for t, v in back.items() if t != "processing_log"} == \
        {t: v for t, v in rows_before.items() if t != "processing_log"}
    assert back["processing_log"][:len(rows_before["processing_log"])] == \
        rows_before["processing_log"]
    assert _a_sealed_value(data_dir) == sealed
    assert password not in r.out + r.err
    assert password.encode() not in _folder_bytes(data_dir)


def test_a_target_with_data_or_another_schema_is_refused_and_nothing_changes(
        full_source, cli, pg_url, pg_server, tmp_path):
    data_dir = full_source
    other = tmp_path / "other"
    app = open_app(other, database=pg_url)
    try:
        from ibhxh_client.services.demo import make_demo

        make_demo(app, 3, claims=False)
    finally:
        app.close()
    source, target = _digests(data_dir / DB_FILE), _digests(pg_url)
    r = cli("move", "--to", pg_url)
    assert r.code == 2
    assert "đã có dữ liệu" in r.err and location.parse(pg_url).database in r.err
    assert _password(pg_url) not in r.err + r.out
    assert _digests(data_dir / DB_FILE) == source and _digests(pg_url) == target
    assert location.resolve(data_dir).is_sqlite and not (data_dir / "database.json").exists()

    older = create_database(pg_server)
    try:
        engine = _engine(older)
        with engine.begin() as conn:
            upgrade(conn, "0008", cipher=FieldCipher(new_key()), db_id="old")
        r = cli("--lang", "en", "move", "--to", older)
        assert r.code == 2 and "schema version 0008" in r.err
        with engine.connect() as conn:
            assert current_revision(conn) == "0008"
        engine.dispose()
    finally:
        drop_database(pg_server, older)
    assert location.resolve(data_dir).is_sqlite


def test_an_unreachable_server_or_another_file_is_refused(full_source, cli, tmp_path):
    before = _digests(full_source / DB_FILE)
    r = cli("move", "--to", "postgresql://ke_toan:bi-mat-1@127.0.0.1:1/bhxh")
    assert r.code == 4 and "không trả lời" in r.err and "bi-mat-1" not in r.err
    r = cli("move", "--to", f"sqlite:///{tmp_path / 'khac.sqlite3'}")
    assert r.code == 2 and str((full_source / DB_FILE).resolve()) in r.err
    r = cli("move", "--to", f"sqlite:///{full_source / DB_FILE}")
    assert r.code == 2 and "không có gì để chuyển" in r.err
    assert not (tmp_path / "khac.sqlite3").exists()
    assert location.resolve(full_source).is_sqlite
    assert _digests(full_source / DB_FILE) == before


def test_a_copy_that_does_not_verify_is_discarded(full_source, cli, pg_url, monkeypatch):
    data_dir = full_source
    source = _digests(data_dir / DB_FILE)
    real = move_service.write_batch

    def drop_a_row(conn, table, rows):
        real(conn, table, rows[1:] if table.name == "history" else rows)

    monkeypatch.setattr(move_service, "write_batch", drop_a_row)
    r = cli("--lang", "en", "move", "--to", pg_url)
    assert r.code == 1 and "does not match" in r.err and "tables: history" in r.err
    # Nothing of the copy is left on the server; the folder still uses its file.
    engine = _engine(pg_url)
    with engine.connect() as conn:
        assert current_revision(conn) is None
    engine.dispose()
    assert location.resolve(data_dir).is_sqlite and _digests(data_dir / DB_FILE) == source
    monkeypatch.setattr(move_service, "write_batch", real)
    assert cli("move", "--to", pg_url).code == 0  # the same empty target takes it now


def test_rows_the_server_refuses_stop_the_copy_with_nothing_changed(full_source, cli,
                                                                    pg_url):
    """SQLite does not hold a text to its column's length; PostgreSQL does: a file with
    a longer text (written by another tool) is refused by the server, the command names
    the table, and neither side changes."""
    data_dir = full_source
    con = sqlite3.connect(data_dir / DB_FILE)
    con.execute("UPDATE history SET to_state = 'quá-dài-cho-cột-này' WHERE id = 1")
    con.commit()
    con.close()
    source = _digests(data_dir / DB_FILE)
    r = cli("move", "--to", pg_url)
    assert r.code == 1 and "bảng history" in r.err, r.err
    engine = _engine(pg_url)
    with engine.connect() as conn:
        assert current_revision(conn) is None
    engine.dispose()
    assert location.resolve(data_dir).is_sqlite and _digests(data_dir / DB_FILE) == source


def _without_log(digests):
    return {k: v for k, v in digests.items() if k != "processing_log"}


def test_backup_of_a_server_restored_into_an_empty_server_and_into_a_file(
        full_source, cli, pg_url, pg_server, tmp_path, monkeypatch):
    data_dir = full_source
    assert cli("move", "--to", pg_url).code == 0
    monkeypatch.setenv("BK_PASS", PASS)
    out = tmp_path / "sao-luu.ibhxh"
    r = cli("--json", "backup", "--out", out, "--passphrase-env", "BK_PASS")
    assert r.code == 0, r.err
    assert r.json["workers"] == 25
    original = _digests(pg_url)
    assert _password(pg_url).encode() not in out.read_bytes()

    empty = create_database(pg_server)
    try:
        into_server = tmp_path / "may-chu"
        r = cli("--data-dir", into_server, "database", "use", empty)
        assert r.code == 0, r.err
        r = cli("--data-dir", into_server, "restore", out, "--passphrase-env", "BK_PASS")
        assert r.code == 0, r.err
        assert "25" in r.out and _password(empty) not in r.out + r.err
        restored = _digests(empty)
        assert _without_log(restored) == _without_log(original)
        assert _a_sealed_value(into_server) == _a_sealed_value(data_dir)

        into_file = tmp_path / "tep"
        r = cli("--data-dir", into_file, "restore", out, "--passphrase-env", "BK_PASS")
        assert r.code == 0, r.err
        assert _without_log(_digests(into_file / DB_FILE)) == _without_log(original)
        assert _a_sealed_value(into_file) == _a_sealed_value(data_dir)

        # A server database holding data: refused, unless --replace (one transaction).
        r = cli("--data-dir", into_server, "restore", out, "--passphrase-env", "BK_PASS")
        assert r.code == 2 and "đã có dữ liệu" in r.err and "--replace" in r.err
        assert _digests(empty) == restored
        r = cli("--data-dir", into_server, "restore", out, "--passphrase-env", "BK_PASS",
                "--replace")
        assert r.code == 0, r.err
        assert _without_log(_digests(empty)) == _without_log(original)
    finally:
        drop_database(pg_server, empty)


def test_replace_that_fails_leaves_the_old_content(full_source, cli, pg_url, tmp_path,
                                                   monkeypatch):
    data_dir = full_source
    monkeypatch.setenv("BK_PASS", PASS)
    out = tmp_path / "b.ibhxh"
    assert cli("backup", "--out", out, "--passphrase-env", "BK_PASS").code == 0
    assert cli("move", "--to", pg_url).code == 0
    assert cli("workers", "add", "--full-name", "Ngô Thị Mai", "--gender", "F",
               "--birth-date", "02/03/1995", "--cccd", "001195012345", "--salary",
               "8000000").code == 0
    before = _digests(pg_url)
    real = move_service.write_batch

    def fail_on_claims(conn, table, rows):
        if table.name == "claims":
            raise OSError("mạng rớt giữa chừng")
        real(conn, table, rows)

    monkeypatch.setattr(move_service, "write_batch", fail_on_claims)
    r = cli("restore", out, "--passphrase-env", "BK_PASS", "--replace")
    assert r.code != 0
    assert _digests(pg_url) == before
    assert location.resolve(data_dir).url.database == location.parse(pg_url).database


def test_the_installed_command_twice_the_second_refused(pg_url, tmp_path):
    home = tmp_path / "home"
    home.mkdir()

    def ibhxh(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "ibhxh"), *args], env=bare_env(home),
                              capture_output=True, text=True, timeout=300)

    assert ibhxh("demo").returncode == 0
    first = ibhxh("move", "--to", pg_url)
    assert first.returncode == 0, first.stderr
    assert "bảng 1/" in first.stderr and "Đã chuyển và kiểm tra" in first.stdout
    second = ibhxh("move", "--to", pg_url)
    assert second.returncode == 2 and "đã có dữ liệu" in second.stderr
    shown = ibhxh("--json", "database", "show")
    assert json.loads(shown.stdout)["engine"] == "postgresql"
    listed = ibhxh("--json", "workers", "list")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 25
    password = _password(pg_url)
    for done in (first, second, shown, listed):
        assert password not in done.stdout + done.stderr
    # Nowhere under the home folder (data, logs, settings) but the key folder that stands
    # in for the OS keyring on a machine without one, for a server on this machine only.
    keys = home / ".config" / "ibhxh-client" / "keys"
    files = [p for p in home.rglob("*") if p.is_file() and keys not in p.parents]
    assert any(p.name == "database.json" for p in files)
    assert not [p for p in files if password.encode() in p.read_bytes()]
