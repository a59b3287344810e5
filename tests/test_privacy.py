"""Personal data: sealed at rest, found by keyed hash, recoverable when the key is lost,
reported on request, erased after retention, every processing logged."""

import base64
import json
import subprocess
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from ibhxh_client.domain.model import Period, WorkerStatus
from ibhxh_client.services import datakey, declarations, privacy
from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.storage import repo
from ibhxh_client.storage.crypto import CryptoError, new_key
from ibhxh_client.storage.db import DB_FILE, Database, read_meta, upgrade
from ibhxh_client.storage.keys import SERVICE

PASS = "mật khẩu khôi phục"


def file_bytes(data_dir) -> bytes:
    """Everything on disk for the database: the file and its WAL (on PostgreSQL: every
    row as the server writes it out)."""
    from ibhxh_client.storage import location

    where = location.resolve(data_dir)
    if not where.is_sqlite:
        from tests.pg import database_text

        return database_text(where.url.render_as_string(hide_password=False))
    out = b""
    for name in (DB_FILE, DB_FILE + "-wal"):
        path = data_dir / name
        if path.exists():
            out += path.read_bytes()
    return out


def secrets_of(app) -> list[bytes]:
    """The personal values that must never be readable in the file."""
    with app.db.reading() as conn:
        workers = list(repo.load_workers(conn).values())
        employer = repo.get_employer(conn)
    values = [employer.bank_account]
    for w in workers:
        values += [w.cccd, w.bhxh_number, w.phone, w.address, str(w.salary),
                   str(w.birth_date), repo._partial_out(w.birth_date)]
    return [v.encode() for v in values if v and len(v) >= 6]


def test_file_shows_no_personal_value(demo_app, data_dir, tmp_path):
    declarations.export(demo_app, demo_app.demo_id, tmp_path / "d.xml")  # an envelope too
    secrets = secrets_of(demo_app)
    assert len(secrets) > 100
    demo_app.close()
    raw = file_bytes(data_dir)
    leaked = [s for s in secrets if s in raw]
    assert leaked == []
    # …while the exported file (the officer's own copy, to send) does hold them.
    from ibhxh_client.dossier.envelope import read_envelope

    forms = b"".join(f.content for f in read_envelope((tmp_path / "d.xml").read_bytes()).files)
    assert sum(s in forms for s in secrets) > 50


def test_found_by_id_through_the_hash_index(demo_app):
    with demo_app.db.reading() as conn:
        w = repo.find_worker(conn, "#5")
        assert repo.find_worker(conn, w.cccd).id == 5
        assert repo.find_worker(conn, w.bhxh_number).id == 5
        assert [x.id for x in repo.search_workers(conn, w.cccd)] == [5]
        assert repo.find_worker(conn, w.cccd[:-1] + "0") is None or w.cccd.endswith("0")
        stored = conn.execute(text("SELECT cccd, cccd_hash FROM workers WHERE id = 5")).one()
    assert w.cccd.encode() not in stored[0] and w.cccd not in stored[1]


def test_missing_key_is_a_clear_error_and_the_recovery_file_brings_it_back(
        demo_app, data_dir, tmp_path, memory_keyring, cli):
    datakey.export_recovery(demo_app, tmp_path / "rec.json", PASS)
    with demo_app.db.reading() as conn:
        before = repo.load_workers(conn)
    demo_app.close()
    stored_before = file_bytes(data_dir)
    memory_keyring.items.clear()  # a new PC, or the keyring was wiped
    with pytest.raises(CryptoError) as err:
        open_app(data_dir)
    assert err.value.code == "key_missing"
    r = cli("workers", "list")
    assert r.code == 1 and "ibhxh key restore" in r.err and "còn nguyên" in r.err
    # A wrong passphrase changes nothing.
    r = cli("key", "restore", tmp_path / "rec.json", "--passphrase-env", "NOPE")
    assert r.code == 2
    import os

    os.environ["WRONG_PASS"] = "not the passphrase"
    try:
        r = cli("key", "restore", tmp_path / "rec.json", "--passphrase-env", "WRONG_PASS")
    finally:
        del os.environ["WRONG_PASS"]
    assert r.code == 1 and "Sai cụm mật khẩu" in r.err
    assert memory_keyring.items == {}
    datakey.restore(data_dir, tmp_path / "rec.json", PASS)
    app = open_app(data_dir)
    with app.db.reading() as conn:
        assert repo.load_workers(conn) == before
    app.close()
    assert file_bytes(data_dir)[:100] == stored_before[:100]


def test_wrong_key_and_damaged_value(demo_app, data_dir, memory_keyring):
    db_id = demo_app.db.db_id
    good = dict(memory_keyring.items)
    demo_app.close()
    memory_keyring.set_password(SERVICE, f"data-key:{db_id}",
                                base64.b64encode(new_key()).decode())
    with pytest.raises(CryptoError) as err:
        open_app(data_dir)
    assert err.value.code == "key_wrong"
    memory_keyring.items = good
    app = open_app(data_dir)
    with app.db.transaction() as conn:
        raw = conn.execute(text("SELECT cccd FROM workers WHERE id = 2")).scalar()
        damaged = raw[:-1] + bytes([raw[-1] ^ 1])
        conn.execute(text("UPDATE workers SET cccd = :v WHERE id = 2"), {"v": damaged})
    with pytest.raises(CryptoError) as err, app.db.reading() as conn:
        repo.find_worker(conn, "#2")
    assert err.value.code == "value_damaged" and err.value.params["column"] == "workers.cccd"
    with app.db.reading() as conn:  # nothing was silently replaced
        assert conn.execute(text("SELECT cccd FROM workers WHERE id = 2")).scalar() == damaged
        assert repo.find_worker(conn, "#3") is not None  # the rest still reads
    app.close()


def test_rotation_re_encrypts_everything(demo_app, data_dir, tmp_path, cli):
    datakey.export_recovery(demo_app, tmp_path / "old.json", PASS)
    with demo_app.db.reading() as conn:
        before = repo.load_workers(conn)
        sealed_before = conn.execute(text("SELECT cccd FROM workers WHERE id = 1")).scalar()
    old_check = demo_app.db.cipher.check_value
    datakey.rotate(demo_app)
    assert demo_app.db.cipher.check_value != old_check
    with demo_app.db.reading() as conn:
        assert repo.load_workers(conn) == before
        assert conn.execute(text("SELECT cccd FROM workers WHERE id = 1")).scalar() \
            != sealed_before
        assert repo.find_worker(conn, before[1].cccd).id == 1
    assert datakey.status(demo_app)["recovery_saved"] is False
    demo_app.close()
    app = open_app(data_dir)  # reopens with the new key from the keyring
    with app.db.reading() as conn:
        assert repo.load_workers(conn) == before
    app.close()
    with pytest.raises(UserError) as err:
        datakey.restore(data_dir, tmp_path / "old.json", PASS)
    assert err.value.code == "recovery_other_db"


def test_rotation_stopped_midway_leaves_the_data_readable(demo_app, data_dir, monkeypatch):
    from ibhxh_client.storage import schema

    with demo_app.db.reading() as conn:
        before = repo.load_workers(conn)
    columns = schema.encrypted_columns()

    def stops_after_three():
        yield from columns[:3]
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(schema, "encrypted_columns", stops_after_three)
    with pytest.raises(KeyboardInterrupt):
        demo_app.db.rotate_key()
    demo_app.close()
    app = open_app(data_dir)
    with app.db.reading() as conn:
        assert repo.load_workers(conn) == before
    app.close()


def test_rotation_stopped_after_commit_finishes_on_open(demo_app, data_dir, monkeypatch,
                                                         memory_keyring):
    with demo_app.db.reading() as conn:
        before = repo.load_workers(conn)
    real_put = demo_app.db.keystore.put

    def crash_on_swap(db_id, key, slot="current"):
        if slot == "current":
            raise KeyboardInterrupt("crash before the keys were swapped")
        real_put(db_id, key, slot)

    monkeypatch.setattr(demo_app.db.keystore, "put", crash_on_swap)
    with pytest.raises(KeyboardInterrupt):
        demo_app.db.rotate_key()
    demo_app.close()
    app = open_app(data_dir)
    with app.db.reading() as conn:
        assert repo.load_workers(conn) == before
    assert not any(name.endswith(":pending") for _, name in memory_keyring.items)
    app.close()


def test_worker_report_json_and_pdf(demo_app, tmp_path):
    with demo_app.db.reading() as conn:
        w = repo.find_worker(conn, "#4")
    privacy.write_worker_report(demo_app, w.cccd, tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert report["worker"]["cccd"] == w.cccd and report["worker"]["full_name"] == w.full_name
    assert report["dossiers"][0]["dossier_id"] == demo_app.demo_id
    assert report["dossiers"][0]["lines"][0]["plan"] == "TM"
    privacy.write_worker_report(demo_app, "#4", tmp_path / "r.pdf")
    txt = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert w.full_name in txt and w.cccd in txt and "Số CCCD" in txt
    with pytest.raises(UserError):
        privacy.write_worker_report(demo_app, "#4", tmp_path / "r.docx")


def _leave(app, worker_ids, period):
    with app.db.transaction() as conn:
        repo.set_worker_status(conn, worker_ids, WorkerStatus.LEFT, period)


def test_retention_erase_keeps_filed_dossiers_intact(demo_app, tmp_path):
    from ibhxh_client.domain.model import Declaration
    from ibhxh_client.storage.schema import workers as workers_t

    # Worker 1 is on the demo dossier; worker 26 is on none.
    with demo_app.db.transaction() as conn:
        w = repo.find_worker(conn, "#1")
        w.id, w.cccd, w.bhxh_number = None, "", "0100000999"
        repo.add_workers(conn, [w])
        repo.set_state(conn, demo_app.demo_id, declarations.DossierState.SIGNED)
        repo.put_artifact(conn, demo_app.demo_id, "signed", b"<Hoso>signed copy</Hoso>")
    _leave(demo_app, [1, 26], Period(2010, 5))
    _leave(demo_app, [2], Period(2024, 5))  # left recently: not due
    due = privacy.retention_due(demo_app, today=date(2026, 11, 24))
    assert [d["id"] for d in due] == [1, 26]
    with pytest.raises(UserError) as err:
        privacy.erase(demo_app, [2])
    assert err.value.code == "not_due"
    assert privacy.erase(demo_app, [1, 26]) == {"deleted": 1, "anonymised": 1}
    with demo_app.db.reading() as conn:
        assert repo.find_worker(conn, "#26") is None
        anon = repo.find_worker(conn, "#1")
        assert anon.full_name == "Đã xoá #1" and anon.cccd == "" and anon.salary == 0
        assert repo.get_artifact(conn, demo_app.demo_id, "signed") == b"<Hoso>signed copy</Hoso>"
        decl = repo.load_declaration(conn, demo_app.demo_id)
        assert isinstance(decl, Declaration) and len(decl.lines) == 25
        assert conn.execute(text("SELECT count(*) FROM workers")).scalar() == 25
        assert workers_t is not None


def test_processing_log_records_without_personal_values(demo_app, tmp_path, cli):
    with demo_app.db.reading() as conn:
        w = repo.find_worker(conn, "#4")
    declarations.export(demo_app, demo_app.demo_id, tmp_path / "d.xml")
    privacy.write_worker_report(demo_app, w.cccd, tmp_path / "r.json")
    datakey.export_recovery(demo_app, tmp_path / "k.json", PASS)
    _leave(demo_app, [4], Period(2000, 1))
    privacy.erase(demo_app, [4])
    actions = [r["action"] for r in privacy.processing_log(demo_app)]
    assert actions == ["export", "worker_report", "key_recovery_file", "erase"]
    assert privacy.export_processing_log(demo_app, tmp_path / "log.csv") == 4
    assert privacy.export_processing_log(demo_app, tmp_path / "log.json") == 4
    for name in ("log.csv", "log.json"):
        content = (tmp_path / name).read_text("utf-8-sig")
        assert w.cccd not in content and w.full_name not in content and "export" in content
    r = cli("audit")
    assert r.code == 0 and "báo cáo một người" in r.out


@pytest.mark.sqlite_only  # a file of an old version, and its bytes
def test_database_written_before_encryption_is_sealed_without_losing_a_value(data_dir):
    """A database at revision 0001 (plaintext) opens, is encrypted in place, and keeps
    every value; afterwards the file holds none of them in clear."""
    data_dir.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{data_dir / DB_FILE}")
    with engine.begin() as conn:
        upgrade(conn, "0001")
        conn.execute(text(
            "INSERT INTO employer (id, unit_code, name, tax_code, agency_code, unit_type, "
            "address, province, phone, email, licence_number, payment_mode, bank_account, "
            "bank_name, region, signer_name, contact_name, reduced_accident_rate, registered) "
            "VALUES (1, 'TZH490L', 'Công ty Cũ', '0312345673', '07906', 'DNTN', 'Số 1', '79', "
            "'0281234567', '', '', '01', '9988776655443', 'VCB', 'I', '', '', 0, 1)"))
        conn.execute(text(
            "INSERT INTO workers (id, full_name, name_key, gender, birth_date, bhxh_number, "
            "cccd, cmnd, nationality, ethnicity, phone, email, birth_place, birth_province, "
            "address, address_province, position, salary, allowances, kcb_code, "
            "receive_method, status, updated_at) VALUES (1, 'Trần Thị Bích', 'tran thi bich', "
            "'F', '1991-07-15', '7912345678', '079191001234', '', 'VN', '01', '0912345678', "
            "'bich@example.vn', 'Phường Bến Thành', '79', '12 Lê Lợi, Quận 1', '79', "
            "'Kế toán', 8765432, 500000, '79001', '1', 'active', '2024-01-01 00:00:00')"))
        # Signed: its envelope is kept by every migration (0004 drops a draft's or a
        # validated dossier's, to be made again in the exchange's layout).
        conn.execute(text("INSERT INTO declarations (id, procedure, period, first_registration,"
                          " state, created, updated_at) VALUES (1, '600', '2024-01', 0, "
                          "'signed', '2024-01-05', '2024-01-05 00:00:00')"))
        conn.execute(text(
            "INSERT INTO declaration_lines (declaration_id, seq, worker_id, plan, from_month, "
            "salary, position, coefficient, allowances, leave_days, decision_number, "
            "has_book, note) VALUES (1, 1, 1, 'TM', '2024-01', 8765432, 'Kế toán', '2.34', "
            "500000, 0, '', 1, '')"))
        conn.execute(text("INSERT INTO artifacts (declaration_id, kind, sha256, content, "
                          "created_at) VALUES (1, 'envelope', 'x', :c, '2024-01-05')"),
                     {"c": b"<Hoso><CCCD>079191001234</CCCD></Hoso>"})
    engine.dispose()
    plain = [b"7912345678", b"079191001234", b"0912345678", b"bich@example.vn",
             "12 Lê Lợi".encode(), b"8765432", b"1991-07-15", b"9988776655443"]
    # (Integers are stored as binary numbers, so the salary is not searchable as text.)
    assert all(p in file_bytes(data_dir) for p in plain if p != b"8765432")

    app = open_app(data_dir)
    with app.db.reading() as conn:
        w = repo.find_worker(conn, "079191001234")
        assert (w.full_name, w.bhxh_number, w.phone, w.email, w.address, w.salary,
                w.allowances, str(w.birth_date)) == (
            "Trần Thị Bích", "7912345678", "0912345678", "bich@example.vn",
            "12 Lê Lợi, Quận 1", 8765432, 500000, "15/07/1991")
        line = repo.load_declaration(conn, 1).lines[0]
        assert (line.salary, line.allowances, str(line.coefficient)) == (8765432, 500000,
                                                                         "2.34")
        assert repo.get_employer(conn).bank_account == "9988776655443"
        assert repo.get_artifact(conn, 1, "envelope") == \
            b"<Hoso><CCCD>079191001234</CCCD></Hoso>"
        assert "db_id" in read_meta(conn)
    app.close()
    leaked = [p for p in plain if p in file_bytes(data_dir)]
    assert leaked == []


def test_a_new_database_gets_its_own_key(tmp_path, memory_keyring):
    a, b = Database(tmp_path / "a"), Database(tmp_path / "b")
    assert a.db_id != b.db_id and a.cipher.check_value != b.cipher.check_value
    assert len([n for _, n in memory_keyring.items]) == 2
    a.close()
    b.close()


def test_privacy_commands_end_to_end(cli, tmp_path, monkeypatch):
    assert cli("demo", "--workers", "4").code == 0
    r = cli("--json", "key", "status")
    assert r.code == 0 and r.json["recovery_saved"] is False
    monkeypatch.setenv("RECOVERY_PASS", PASS)
    r = cli("key", "export-recovery", "--out", tmp_path / "k.json", "--passphrase-env",
            "RECOVERY_PASS")
    assert r.code == 0 and "ngoài máy này" in r.out
    assert cli("--json", "key", "status").json["recovery_saved"] is True
    r = cli("key", "rotate")
    assert r.code == 0 and "tệp mới" in r.out
    assert cli("--json", "key", "status").json["recovery_saved"] is False
    first = cli("--json", "workers", "list").json[0]
    r = cli("worker-report", first["cccd"], "--out", tmp_path / "w.json")
    assert r.code == 0
    assert json.loads((tmp_path / "w.json").read_text("utf-8"))["worker"]["cccd"] == \
        first["cccd"]
    assert cli("--json", "retention", "list").json == []
    r = cli("retention", "erase", f"#{first['id']}")
    assert r.code == 1 and "Chưa hết thời hạn" in r.err
    actions = [e["action"] for e in cli("--json", "audit").json]
    assert actions == ["key_recovery_file", "key_rotate", "worker_report"]
