"""Benefit claims end to end (issue 15): every kind of claim from the command line to the
sandbox gateway over HTTPS and back (declare, validate, sign, submit, sync), the amounts
Social Security approved recorded claim by claim and the difference shown; a row the
gateway rejects; and migration 0007 on a database of revision 0006."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.test_claims_cli import claims, ready
from tests.test_gateway_support import DEMO_UNIT, TRIAL_PASSWORD, make_sandbox, sandbox_pki

__all__ = ["make_sandbox", "sandbox_pki"]  # fixtures

PAID = ["--payment", "TK", "--bank-account", "0071000123456", "--bank", "VCB"]
# Every kind of claim (forms/codelists/benefit_kinds.csv), each of the demo worker it suits
# (1, 2, 6, 9 are men; 3, 4, 5, 7, 8 women), all contributing since 2018 at 6.000.000.
EVERY_KIND = [
    ("630a", 1, ["--kind", "om_dau", "--from", "02/03/2026", "--to", "06/03/2026",
                 "--certificate", "BV-2026-000123", *PAID]),
    ("630a", 2, ["--kind", "om_dai_ngay", "--from", "09/03/2026", "--to", "13/03/2026",
                 "--long-term", "J45", "--certificate", "BV-2026-000124", *PAID]),
    ("630a", 3, ["--kind", "con_om", "--from", "16/03/2026", "--to", "18/03/2026",
                 "--child-birth", "01/05/2022", "--child-id", "TE1790123456789",
                 "--certificate", "BV-2026-000125", *PAID]),
    ("630b", 3, ["--kind", "kham_thai", "--from", "23/03/2026", "--to", "23/03/2026",
                 *PAID]),
    ("630b", 7, ["--kind", "say_thai", "--from", "06/04/2026", "--to", "15/04/2026",
                 "--weeks", "10", *PAID]),
    ("630b", 5, ["--kind", "sinh_con", "--from", "09/03/2026", "--to", "08/09/2026",
                 "--child-birth", "10/03/2026", "--children", "1", "--child-id",
                 "TE1790123456790", *PAID]),
    ("630b", 6, ["--kind", "cha_nghi", "--from", "13/04/2026", "--to", "17/04/2026",
                 "--child-birth", "10/04/2026", "--children", "1", *PAID]),
    ("630b", 8, ["--kind", "nhan_con_nuoi", "--from", "02/03/2026", "--to", "31/07/2026",
                 "--child-birth", "01/02/2026", "--children", "1", *PAID]),
    ("630b", 4, ["--kind", "tranh_thai", "--from", "04/05/2026", "--to", "10/05/2026",
                 *PAID]),
    ("630c", 1, ["--kind", "duong_suc_om", "--from", "09/03/2026", "--to", "13/03/2026",
                 *PAID]),
    ("630c", 5, ["--kind", "duong_suc_ts", "--from", "09/09/2026", "--to", "15/09/2026",
                 *PAID]),
]


def login(cli, gateway, monkeypatch) -> None:
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    r = cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit", DEMO_UNIT,
            "--password-env", "GW_PASS")
    assert r.code == 0, r.err


def until_answered(cli, dossiers: list[int]) -> None:
    deadline = time.monotonic() + 30
    while any(cli("--json", "status", d).json["state"] not in ("accepted", "rejected")
              for d in dossiers):
        assert time.monotonic() < deadline, cli("status").out
        assert cli("sync").code == 0
        time.sleep(0.2)


def file_lists(cli, dossiers: list[int]) -> None:
    """Validate, sign and send each list, then follow them to the gateway's answer."""
    for dossier in dossiers:
        r = cli("--json", "validate", dossier)
        assert r.code == 0 and r.json["state"] == "validated", r.err
        assert cli("sign", dossier, "--demo-cert").code == 0
        r = cli("--json", "submit", dossier)
        assert r.code == 0, r.out + r.err
    until_answered(cli, dossiers)


@pytest.mark.parametrize("procedure", ["630a", "630b", "630c"])
def test_every_kind_of_claim_to_an_approved_amount(procedure, cli, make_sandbox, monkeypatch,
                                                   tmp_path, memory_keyring):
    """Each kind of the procedure's list, entered, checked, declared, validated, signed,
    sent and answered: the sandbox computes each claim again from its row and approves
    what was asked, to the đồng."""
    kinds = [(worker, args) for code, worker, args in EVERY_KIND if code == procedure]
    gateway = make_sandbox()
    workers = ready(cli, tmp_path)
    login(cli, gateway, monkeypatch)
    for worker, args in kinds:
        r = cli("--json", "claims", "add", workers[worker]["bhxh_number"], *args)
        assert r.code == 0, r.err
        assert r.json["procedure"] == procedure and not [
            p for p in r.json["problems"] if p["severity"] == "error"], r.json["problems"]
    r = cli("--json", "claims", "check")
    assert r.code == 0, r.out
    expected = {c["id"]: c["expected_amount"] for c in r.json["claims"]}
    assert len(expected) == len(kinds) and all(a > 0 for a in expected.values()), expected
    r = cli("--json", "claims", "declare", "03/2026")
    assert r.code == 0, r.err
    (made,) = r.json
    assert (made["procedure"], made["claims"]) == (procedure, sorted(expected))
    assert {c["state"] for c in claims(cli)} == {"declared"}

    file_lists(cli, [made["dossier_id"]])
    status = cli("--json", "status", made["dossier_id"]).json
    assert status["state"] == "accepted", cli("status", made["dossier_id"]).out
    # sync recorded the answer of each claim: what was asked, approved to the đồng
    found = claims(cli)
    assert {(c["state"], c["outcome"]) for c in found} == {("approved", "approved")}
    assert {c["id"]: c["approved_amount"] for c in found} == expected
    assert {c["difference"] for c in found} == {0}
    assert all(c["approved_days"] == c["expected_days"] for c in found)
    assert cli("claims", "list").out.count("Đã được duyệt") == len(kinds)
    # the worker's year: the days taken, as approved
    first = found[0]
    days = cli("--json", "claims", "history", f"#{first['worker_id']}").json["days_this_year"]
    assert days[first["kind"]] == first["approved_days"]
    # a claim answered can no longer change
    r = cli("claims", "remove", str(first["id"]))
    assert r.code == 1 and "đang ở trạng thái Được chấp nhận" in r.err


def test_a_rejected_row_and_an_amount_that_differs(cli, make_sandbox, monkeypatch, tmp_path,
                                                    memory_keyring):
    """Training mode: the gateway rounds a day's amount to the thousand (approved a little
    more than asked) and rejects a sickness claim without its leave certificate."""
    gateway = make_sandbox(training=("round_daily", "certificate_required"))
    workers = ready(cli, tmp_path)
    login(cli, gateway, monkeypatch)
    r = cli("claims", "add", workers[1]["bhxh_number"], "--kind", "om_dau", "--from",
            "02/03/2026", "--to", "06/03/2026", "--certificate", "BV-2026-000123", *PAID)
    assert r.code == 0, r.err
    r = cli("claims", "add", workers[2]["bhxh_number"], "--kind", "om_dau", "--from",
            "02/03/2026", "--to", "06/03/2026", *PAID)
    assert r.code == 0, r.err
    r = cli("--json", "claims", "declare", "03/2026")
    assert r.code == 0, r.err
    (made,) = r.json
    file_lists(cli, [made["dossier_id"]])
    first, second = claims(cli)
    # 75 % × 6.000.000 ÷ 24 = 187.500, rounded to 188.000 a day, × 5 = 940.000
    assert (first["state"], first["expected_amount"], first["approved_amount"],
            first["difference"]) == ("approved", 937_500, 940_000, 2_500)
    assert "940.000" in first["approved_note"]
    assert (second["state"], second["outcome"], second["approved_amount"]) == (
        "rejected", "rejected", 0)
    assert "giấy chứng nhận nghỉ việc" in second["approved_note"]
    listed = cli("claims", "list").out
    assert "+2.500" in listed and "Bị từ chối" in listed
    assert "cơ quan BHXH: Chế độ ốm đau cần số serial" in listed
    # the rejected claim does not count against the worker's year; a new one may be filed
    assert cli("--json", "claims", "history", "#2").json["days_this_year"] == {}
    # the rejected claim entered again, mended, and filed in the next list
    r = cli("claims", "edit", f"#{second['id']}", "--certificate", "BV-2026-000200")
    assert r.code == 1 and "không sửa hay xoá được nữa" in r.err  # it was sent as it was
    r = cli("claims", "refile", f"#{first['id']}")
    assert r.code == 1 and "không bị từ chối" in r.err
    r = cli("--json", "claims", "refile", f"#{second['id']}")
    assert r.code == 0, r.err
    again = r.json
    assert (again["state"], again["dossier_id"], again["from_date"],
            again["certificate"]) == ("draft", None, "2026-03-02", "")
    r = cli("claims", "refile", f"#{second['id']}")
    assert r.code == 1 and f"#{again['id']}" in r.err  # once
    r = cli("--json", "claims", "edit", f"#{again['id']}", "--certificate", "BV-2026-000200")
    assert r.code == 0 and r.json["certificate"] == "BV-2026-000200", r.err
    assert r.json["problems"] == [] and r.json["expected_amount"] == 937_500
    r = cli("--json", "claims", "declare", "04/2026")
    assert r.code == 0, r.err
    (later,) = r.json
    assert later["claims"] == [again["id"]]
    file_lists(cli, [later["dossier_id"]])
    answered = {c["id"]: c for c in claims(cli)}
    assert answered[again["id"]]["approved_amount"] == 940_000
    assert answered[second["id"]]["state"] == "rejected"  # the list sent keeps its row


def test_the_result_is_recorded_again_from_the_stored_notice(cli, make_sandbox, monkeypatch,
                                                             tmp_path, memory_keyring, data_dir):
    """`record_results` reads the stored result notice again (what sync did), and changes
    nothing the second time."""
    from ibhxh_client.services import claims as service
    from ibhxh_client.services.app import open_app

    gateway = make_sandbox()
    workers = ready(cli, tmp_path)
    login(cli, gateway, monkeypatch)
    assert cli("claims", "add", workers[1]["bhxh_number"], *EVERY_KIND[0][2]).code == 0
    assert cli("claims", "declare", "03/2026").code == 0
    file_lists(cli, [2])
    app = open_app(data_dir)
    try:
        (view,) = service.record_results(app, 2)
        assert (view.state, view.claim.approved_amount, view.difference) == (
            "approved", 937_500, 0)
        assert service.record_results(app, 2)[0].claim == view.claim
    finally:
        app.close()


# --------------------------------------------------------------------------- migration 0007

def _revision_0006(data_dir: Path) -> dict[str, list]:
    """A database as revision 0006 left it, with the demo unit, workers and a 600
    dossier (lines, an envelope, its history): every row of every table, as stored."""
    from ibhxh_client.domain.model import Declaration, DeclarationLine, DossierState, Period
    from ibhxh_client.services.demo import demo_employer, demo_workers
    from ibhxh_client.storage.crypto import FieldCipher, new_key
    from ibhxh_client.storage.db import DB_FILE, upgrade
    from ibhxh_client.storage.keys import KeyStore
    from tests import legacy_db

    key, db_id = new_key(), "before-claims"
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{data_dir / DB_FILE}")
    with engine.begin() as conn:
        upgrade(conn, "0006", cipher=FieldCipher(key), db_id=db_id)
    engine.dialect.ibhxh_cipher = FieldCipher(key)
    with engine.begin() as conn:
        legacy_db.save_employer(conn, demo_employer())
        legacy_db.add_workers(conn, list(demo_workers(4, Period(2026, 1))), "0006")
        lines = [DeclarationLine(worker_id=i, plan="TM", from_month=Period(2026, 1),
                                 salary=6_000_000, has_book=True) for i in (1, 2, 3, 4)]
        decl = Declaration(procedure="600", period=Period(2026, 1), lines=lines,
                           created=dt.date(2026, 1, 5))
        decl_id = legacy_db.save_declaration(conn, decl, "0006")
        legacy_db.put_artifact(conn, decl_id, "envelope", b"<Hoso>truoc 0007</Hoso>")
        legacy_db.set_state(conn, decl_id, DossierState.VALIDATED, "trước 0007", "0006")
        tables = [r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))]
        before = {t: conn.execute(text(f"SELECT * FROM {t} ORDER BY rowid")).all()
                  for t in tables if t != "alembic_version"}
    engine.dispose()
    KeyStore().put(db_id, key)
    return before


@pytest.mark.sqlite_only  # builds a 0006 SQLite file by hand (PG: test_migrations_engines)
def test_migration_0007_adds_the_claim_tables_and_keeps_everything(data_dir, memory_keyring):
    from ibhxh_client.domain.claims import Claim
    from ibhxh_client.services import declarations
    from ibhxh_client.services.app import open_app
    from ibhxh_client.storage import repo
    from ibhxh_client.storage.db import current_revision

    before = _revision_0006(data_dir)
    assert "claims" not in before and "contribution_stints" not in before
    app = open_app(data_dir)  # migrates 0006 → 0007
    try:
        with app.db.reading() as conn:
            assert current_revision(conn) >= "0007"
            for table, rows in before.items():  # every byte as it was, sealed values too
                now = conn.execute(text(f"SELECT * FROM {table} ORDER BY rowid")).all()
                # (columns later migrations added, such as 0009's unit, come after)
                assert [tuple(r)[:len(old)] for r, old in zip(now, rows, strict=True)] \
                    == [tuple(old) for old in rows], table
            for table in ("claims", "contribution_stints"):
                assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 0
        decl, workers = declarations.load(app, 1)
        assert (decl.procedure, str(decl.state), len(decl.lines), decl.claims) == (
            "600", "validated", 4, [])
        assert sorted(workers) == [1, 2, 3, 4]
        # the new tables take claims, sealed like the rest
        with app.db.transaction() as conn:
            (claim_id,) = repo.add_claims(conn, [Claim(
                worker_id=2, kind="om_dau", from_date=dt.date(2026, 3, 2),
                to_date=dt.date(2026, 3, 6), bank_account="0071000123456",
                child_id="TE1790123456789", certificate="BV-1")])
            raw = conn.execute(text("SELECT bank_account, certificate FROM claims")).one()
        assert all(b"0071000123456" not in v and b"BV-1" not in v for v in raw)
        with app.db.reading() as conn:
            stored = repo.load_claim(conn, claim_id).claim
        assert (stored.bank_account, stored.certificate, stored.note) == (
            "0071000123456", "BV-1", "")
    finally:
        app.close()
