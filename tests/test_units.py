"""Several units in one database (issue 17, point 1): each unit's own workers, dossiers,
claims and accounts; choosing the unit; views across units; and no action that mixes
two units, through the storage, the services and the command line."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import text

from ibhxh_client.domain import ids
from ibhxh_client.domain.model import Declaration, DeclarationLine, Period
from ibhxh_client.services import declarations
from ibhxh_client.services.app import open_app
from ibhxh_client.storage import repo
from tests.test_gateway_support import make_sandbox, sandbox, sandbox_pki

__all__ = ["make_sandbox", "sandbox", "sandbox_pki"]  # fixtures
from ibhxh_client.storage.db import DB_FILE, Database, upgrade

SECOND = {"unit_code": "HS00123", "name": "Công ty Cổ phần Hoa Sen",
          "tax_code": ids.make_tax_code("010123456"), "region": "II", "province": "01",
          "agency_code": "00106", "address": "5 Tràng Tiền, Hà Nội"}


@pytest.fixture
def profile(tmp_path):
    path = tmp_path / "hoasen.json"
    path.write_text(json.dumps(SECOND, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def two_units(cli, profile):
    """The demo company (TZH490L, 6 workers) and Hoa Sen (HS00123, 2 workers of its own),
    the demo chosen at the end."""
    assert cli("--json", "demo", "--workers", "6", "--no-claims").code == 0
    r = cli("--json", "units", "add", profile)
    assert r.code == 0, r.err
    for name, cccd in (("Lê Văn Hải", "001090012345"), ("Phạm Thị Thu", "001190054321")):
        r = cli("--json", "--unit", "HS00123", "workers", "add", "--full-name", name,
                "--gender", "M" if "Văn" in name else "F", "--birth-date", "01/02/1990",
                "--cccd", cccd, "--salary", "9000000", "--position", "Kế toán",
                "--birth-place", "Hà Nội", "--birth-province", "01",
                "--address", "5 Tràng Tiền, Hà Nội", "--address-province", "01")
        assert r.code == 0, r.err
    assert cli("units", "use", "TZH490L").code == 0
    return cli


def _workers(cli, unit):
    return cli("--json", "--unit", unit, "workers", "list").json


def test_each_unit_sees_only_its_own_people_and_dossiers(two_units):
    cli = two_units
    listed = {u["unit_code"]: u for u in cli("--json", "units").json}
    assert set(listed) == {"TZH490L", "HS00123"}
    assert listed["TZH490L"]["workers"] == 6 and listed["HS00123"]["workers"] == 2
    assert listed["TZH490L"]["current"] and not listed["HS00123"]["current"]
    assert len(_workers(cli, "TZH490L")) == 6
    hs = _workers(cli, "HS00123")
    assert sorted(w["full_name"] for w in hs) == ["Lê Văn Hải", "Phạm Thị Thu"]
    # The last unit used (with --unit or 'units use') is the default on this PC.
    assert len(cli("--json", "workers", "list").json) == 2
    assert cli("units", "use", "TZH490L").code == 0
    assert len(cli("--json", "workers", "list").json) == 6
    assert cli("units", "use", "HS00123").code == 0
    assert cli("--json", "status").json == []  # the demo's dossier is the other unit's
    r = cli("--json", "--unit", "TZH490L", "status")
    assert [d["id"] for d in r.json] == [1]
    # The profile shown is the chosen unit's.
    assert cli("--json", "--unit", "HS00123", "employer", "show").json["name"] == \
        SECOND["name"]


def test_an_unknown_unit_and_a_choice_needed_are_clear(two_units, data_dir):
    cli = two_units
    r = cli("--unit", "XX99999", "workers", "list")
    assert r.code == 2 and "XX99999" in r.err and "TZH490L" in r.err
    (data_dir / "local.json").unlink()  # a new PC: nothing remembered
    r = cli("workers", "list")
    assert r.code == 2 and "--unit" in r.err and "HS00123" in r.err
    r = cli("--lang", "en", "workers", "list")
    assert "several units" in r.err


def test_a_unit_code_is_added_once(two_units, profile):
    cli = two_units
    r = cli("units", "add", profile)
    assert r.code == 1 and "HS00123" in r.err and "không tạo thêm" in r.err
    assert len(cli("--json", "units").json) == 2
    # Renaming the chosen unit to another unit's code is refused too, nothing changed.
    demo_profile = cli("--json", "employer", "show").json
    clash = profile.parent / "clash.json"
    clash.write_text(json.dumps({**demo_profile, "unit_code": "HS00123"}), encoding="utf-8")
    assert cli("employer", "set", "--file", clash).code == 1
    assert cli("--json", "employer", "show").json["unit_code"] == "TZH490L"


def test_a_worker_of_another_unit_never_lands_in_a_dossier(two_units):
    cli = two_units
    stranger = _workers(cli, "HS00123")[0]
    before = cli("--json", "--unit", "TZH490L", "status").json
    # By the person's number: not found in this unit.
    r = cli("--unit", "TZH490L", "declare", "--procedure", "600", "--period", "12/2026",
            "--line", f"{stranger['cccd']}:TM")
    assert r.code != 0 and stranger["cccd"] in r.err
    # By the row id a stale list would carry: not found either.
    r = cli("--unit", "TZH490L", "declare", "--procedure", "600", "--period", "12/2026",
            "--line", f"#{stranger['id']}:TM")
    assert r.code != 0
    assert cli("--json", "--unit", "TZH490L", "status").json == before
    assert cli("--json", "--unit", "HS00123", "status").json == []


def test_workers_found_at_once_are_the_ones_found_one_by_one(two_units, data_dir):
    """A dossier's lines look their workers up in two queries, not one each: by row id,
    BHXH number or CCCD, in the order given, None for a person unknown here (another
    unit's included), exactly as the one-by-one lookup answers."""
    own = _workers(two_units, "TZH490L")
    stranger = _workers(two_units, "HS00123")[0]
    keys = [f"#{own[2]['id']}", own[0]["bhxh_number"] or f"#{own[0]['id']}",
            own[1]["cccd"], "0000000000", f"#{stranger['id']}", stranger["cccd"], " ",
            f" {own[3]['cccd']} ", f"#{own[2]['id']}"] + [f"#{w['id']}" for w in own]
    app = open_app(data_dir, unit="TZH490L")
    try:
        with app.db.reading() as conn:
            together = repo.find_workers(conn, keys)
            alone = [repo.find_worker(conn, k) for k in keys]
    finally:
        app.close()
    assert [w.id if w else None for w in together] == [w.id if w else None for w in alone]
    assert [w is None for w in together[3:7]] == [True] * 4
    assert together[0].id == own[2]["id"] and together[2].cccd == own[1]["cccd"]


def test_storage_refuses_to_mix_units(two_units, data_dir):
    app = open_app(data_dir, unit="TZH490L")
    try:
        with app.db.reading() as conn:
            hs = {u["unit_code"]: u["id"] for u in repo.list_units(conn)}["HS00123"]
        with app.db.reading(unit=hs) as conn:
            stranger = repo.search_workers(conn)[0]
        with app.db.reading() as conn:
            assert stranger.id not in repo.load_workers(conn)
            assert repo.load_workers(conn, [stranger.id]) == {}
            mine = next(iter(repo.load_workers(conn)))
        decl = Declaration("600", Period(2026, 12), lines=[
            DeclarationLine(worker_id=mine, plan="DC", from_month=Period(2026, 12)),
            DeclarationLine(worker_id=stranger.id, plan="DC", from_month=Period(2026, 12))])
        with pytest.raises(repo.UnitMismatch) as caught, app.db.transaction() as conn:
            repo.save_declaration(conn, decl)
        assert caught.value.ids == [stranger.id]
        # The demo's own draft cannot take the stranger either, and is unchanged.
        with app.db.reading() as conn:
            draft = repo.load_declaration(conn, 1)
        count = len(draft.lines)
        draft.lines.append(DeclarationLine(worker_id=stranger.id, plan="DC",
                                           from_month=Period(2026, 12)))
        with pytest.raises(repo.UnitMismatch):
            declarations.save_lines(app, draft)
        with app.db.reading() as conn:
            assert len(repo.load_declaration(conn, 1).lines) == count
        # Another unit's dossier is not found from this one.
        app.use_unit(hs, remember=False)
        with app.db.reading() as conn, pytest.raises(repo.NotFound):
            repo.load_declaration(conn, 1)
        with app.db.transaction() as conn, pytest.raises(repo.NotFound):
            repo.set_state(conn, 1, draft.state)
    finally:
        app.close()


def test_a_certificate_of_another_unit_is_refused(two_units, data_dir):
    cli = two_units
    # The demo unit's demo certificate, used for Hoa Sen's dossier: refused.
    r = cli("--json", "--unit", "HS00123", "declare", "--procedure", "600", "--period",
            "12/2026", "--line", "001090012345:TM")
    assert r.code == 0, r.err
    hs_dossier = r.json["dossier_id"]
    before = cli("--json", "--unit", "HS00123", "status", hs_dossier).json
    assert cli("--unit", "TZH490L", "sign", "1", "--demo-cert").code == 0
    demo_p12 = next((data_dir / "demo").glob("demo-signer.p12"))
    r = cli("--unit", "HS00123", "sign", hs_dossier, "--pkcs12", demo_p12,
            "--password-env", "IBHXH_TEST_P12")
    assert r.code == 3 and "mã số thuế" in r.err
    assert cli("--json", "--unit", "HS00123", "status", hs_dossier).json == before
    # Its own demo certificate signs it.
    r = cli("--unit", "HS00123", "sign", hs_dossier, "--demo-cert")
    assert r.code == 0, r.err


@pytest.fixture(autouse=True)
def _p12_password(monkeypatch):
    from ibhxh_client.services.signing import DEMO_P12_PASSWORD

    monkeypatch.setenv("IBHXH_TEST_P12", DEMO_P12_PASSWORD.decode())


def test_views_across_units(two_units):
    cli = two_units
    period = cli("--json", "--unit", "TZH490L", "status").json[0]["period"]
    month = period  # MM/YYYY, the demo's month
    status = cli("--json", "units", "status", "--period", month).json
    by_code = {u["unit_code"]: u for u in status["units"]}
    assert by_code["TZH490L"]["status"] == "started"  # a draft, not filed
    assert by_code["HS00123"]["status"] == "missing"
    assert status["not_filed"] == 2
    assert "2 đơn vị chưa nộp" in cli("units", "status", "--period", month).out
    # A search for a person answers from every unit, with the unit of each.
    found = cli("--json", "workers", "list", "--search", "Phạm Thị Thu", "--all-units").json
    assert [(w["unit_code"], w["full_name"]) for w in found] == [("HS00123", "Phạm Thị Thu")]
    everyone = cli("--json", "status", "--all-units").json
    assert {d["unit_code"] for d in everyone} == {"TZH490L"}


@pytest.mark.sqlite_only  # reads and downgrades the SQLite file itself
def test_a_single_unit_database_migrates_with_nothing_lost(tmp_path, monkeypatch):
    """A data folder of the previous version (migration 0008, one unit): after opening,
    everything is the one unit's, and counts are unchanged."""
    from ibhxh_client.services.demo import make_demo

    folder = tmp_path / "old"
    app = open_app(folder)
    make_demo(app, 12)
    app.close()
    con = sqlite3.connect(folder / DB_FILE)
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("workers", "declarations", "declaration_lines", "claims",
                        "contribution_stints", "history", "artifacts")}
    con.close()
    # Back to 0008: drop what 0009 added, as an older program's file would be.
    db = Database(folder, migrate=False)
    from ibhxh_client.storage.db import _alembic_config

    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            from alembic import command

            cfg = _alembic_config(conn)
            command.downgrade(cfg, "0008")
    db.close()
    con = sqlite3.connect(folder / DB_FILE)
    assert "unit_id" not in [r[1] for r in con.execute("PRAGMA table_info(workers)")]
    con.close()
    app = open_app(folder)  # migrates to head
    try:
        assert app.unit == 1
        with app.db.reading() as conn:
            for table, n in counts.items():
                assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == n
            assert conn.execute(text("SELECT DISTINCT unit_id FROM workers")).all() == [(1,)]
            assert len(repo.load_workers(conn)) == 12
            assert repo.load_declaration(conn, 1).lines
    finally:
        app.close()
    assert upgrade  # the same function the program runs


def test_the_default_path_with_two_units_twice(tmp_path, profile):
    """The installed command with only HOME/XDG set: a demo, a second unit, and the
    choice remembered between runs (twice in a row)."""
    import os
    import shutil
    import subprocess

    exe = shutil.which("ibhxh", path=os.path.dirname(os.sys.executable))
    assert exe, "the installed ibhxh command"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("IBHXH_", "XDG_"))}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"),
               XDG_CONFIG_HOME=str(tmp_path / "xdgc"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")

    def run(*args):
        return subprocess.run([exe, *map(str, args)], env=env, capture_output=True,
                              text=True, timeout=120)

    assert run("demo", "--workers", "3", "--no-claims").returncode == 0
    assert run("units", "add", profile).returncode == 0
    for _ in range(2):
        r = run("--json", "units")
        assert r.returncode == 0, r.stderr
        current = [u["unit_code"] for u in json.loads(r.stdout) if u["current"]]
        assert current == ["HS00123"]
        assert json.loads(run("--json", "workers", "list").stdout) == []
    # --unit works on the unit named, which becomes the one used next time.
    assert len(json.loads(run("--json", "--unit", "TZH490L", "workers", "list").stdout)) == 3
    assert len(json.loads(run("--json", "workers", "list").stdout)) == 3


def test_sync_all_units_sends_each_units_queue_with_its_own_account(two_units, data_dir,
                                                                    sandbox, monkeypatch):
    """Each unit logs in to the gateway as itself; one `sync --all-units` sends both
    units' queued dossiers, each under its unit."""
    from tests.test_gateway_support import TRIAL_PASSWORD

    cli = two_units
    r = cli("--json", "--unit", "HS00123", "declare", "--procedure", "600", "--period",
            "12/2026", "--line", "001090012345:TM")
    assert r.code == 0, r.err
    hs_dossier = r.json["dossier_id"]
    for code, dossier in (("TZH490L", 1), ("HS00123", hs_dossier)):
        assert cli("--unit", code, "sign", dossier, "--demo-cert").code == 0
    monkeypatch.setenv("IBHXH_TEST_TRIAL", TRIAL_PASSWORD)
    for code in ("TZH490L", "HS00123"):
        r = cli("--unit", code, "login", "--gateway", sandbox.url, "--ca", sandbox.ca_file,
                "--password-env", "IBHXH_TEST_TRIAL")
        assert r.code == 0, r.err
    app = open_app(data_dir, unit="TZH490L")
    try:
        from ibhxh_client.services import submission

        submission.enqueue(app, 1)
        app.use_unit(2, remember=False)
        submission.enqueue(app, hs_dossier)
    finally:
        app.close()
    r = cli("--json", "--unit", "TZH490L", "sync", "--all-units", "--wait", "10")
    assert r.code == 0, r.err
    done = r.json
    assert sorted(done["units"]) == ["HS00123", "TZH490L"]
    assert sorted((d["unit_code"], d["state"]) for d in done["dossiers"]) == [
        ("HS00123", "accepted"), ("TZH490L", "accepted")]
    assert sandbox.store.count() == 2
    # The unit chosen is still the one it was.
    assert cli("--json", "employer", "show").json["unit_code"] == "TZH490L"
