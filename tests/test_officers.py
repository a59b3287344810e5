"""Officers of a shared database (issue 17, points 3 and 4): the data key wrapped for each
officer, joining, removing (which rotates the key), rotating, and the roles.

Several officers' PCs are played on one machine: each has its own login (IBHXH_OFFICER)
and so its own private key in the keyring. SQLite for most; the last tests run on the
real PostgreSQL server, each "PC" with its own data folder."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from ibhxh_client.services import officers
from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.storage import location
from ibhxh_client.storage import officer_keys as ok
from ibhxh_client.storage.crypto import CryptoError, FieldCipher
from ibhxh_client.storage.db import read_meta
from ibhxh_client.storage.keys import SERVICE, KeyStore
from ibhxh_client.storage.schema import officers as officers_table
from ibhxh_client.storage.schema import workers as workers_table

# -- wrapping ---------------------------------------------------------------------------------

KEY = bytes(range(32))


def test_a_wrapped_key_opens_with_its_officers_private_key_only():
    private, public = ok.new_pair()
    blob = ok.wrap(KEY, public, db_id="db1", login="an")
    assert ok.unwrap(blob, private, db_id="db1", login="an") == KEY
    assert KEY not in blob and ok.public_of(private) == public
    # a second wrap of the same key is other bytes (a fresh ephemeral key and nonce)
    assert ok.wrap(KEY, public, db_id="db1", login="an") != blob

    other_private, _ = ok.new_pair()
    refused = [(blob, other_private, "db1", "an"),  # another officer's key
               (blob, private, "db2", "an"),  # another database
               (blob, private, "db1", "binh")]  # another officer's row
    for index in range(len(blob)):  # any byte changed: version, ephemeral key, nonce, sealed
        changed = bytearray(blob)
        changed[index] ^= 0x01
        refused.append((bytes(changed), private, "db1", "an"))
    refused.append((blob[:-1], private, "db1", "an"))
    for data, key, db_id, login in refused:
        with pytest.raises(CryptoError) as caught:
            ok.unwrap(data, key, db_id=db_id, login=login)
        assert caught.value.code == "officer_key_wrong"


def test_a_login_is_checked():
    assert ok.check_login("nguyen.an@cty-1") == "nguyen.an@cty-1"
    for bad in ("", "an:b", "an b", "-an", "ả", "x" * 65):
        with pytest.raises(CryptoError):
            ok.check_login(bad)


# -- helpers ----------------------------------------------------------------------------------

def as_officer(monkeypatch: pytest.MonkeyPatch, login: str | None) -> None:
    """Play the PC of officer ``login`` (None: a PC with no officer chosen)."""
    if login is None:
        monkeypatch.delenv(ok.ENV_OFFICER, raising=False)
    else:
        monkeypatch.setenv(ok.ENV_OFFICER, login)


def data_key(data_dir: Path) -> bytes:
    """The data key from the key store (single PC)."""
    app = open_app(data_dir)
    try:
        key = app.db.keystore.get(app.db.db_id)
        assert key is not None
        return key
    finally:
        app.close()


def first_worker(cli) -> dict:
    r = cli("--json", "workers", "list")
    assert r.code == 0, r.err
    return r.json[-1]


def share(cli, monkeypatch, *others: tuple[str, list[str]]) -> dict[str, str]:
    """Demo data, shared by officer "an" (signer), and ``others`` (login, roles) let
    in; each one's fingerprint by login."""
    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    as_officer(monkeypatch, "an")
    r = cli("--json", "officers", "init", "an", "--name", "Nguyễn Văn An")
    assert r.code == 0, r.err
    prints = {"an": r.json["fingerprint"]}
    for login, roles in others:
        as_officer(monkeypatch, login)
        r = cli("--json", "officers", "request", login, "--name", f"Cán bộ {login}")
        assert r.code == 0, r.err
        prints[login] = r.json["fingerprint"]
        as_officer(monkeypatch, "an")
        args = [a for role in roles for a in ("--role", role)]
        r = cli("--json", "officers", "add", login, *args, "--fingerprint", prints[login])
        assert r.code == 0, r.err
        assert r.json["status"] == "active" and r.json["roles"] == roles
    return prints


def database_url(data_dir: Path) -> str:
    """The database of the data folder: the test's server database, else the file."""
    return os.environ.get("IBHXH_DATABASE_URL") or f"sqlite:///{db_file(data_dir)}"


def table_rows(url: str) -> dict[str, list[tuple]]:
    """Every row of every table of the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(text(f'SELECT * FROM "{name}"')).all()
                    for name in inspect(conn).get_table_names()}
    finally:
        engine.dispose()


def officer_rows(app) -> dict[str, dict]:
    with app.db.reading() as conn:
        rows = conn.execute(select(officers_table)).mappings().all()
    return {r["login"]: dict(r) for r in rows}


def db_file(data_dir: Path) -> Path:
    return data_dir / "ibhxh.sqlite3"


# -- joining ----------------------------------------------------------------------------------

def test_a_second_officer_asks_is_let_in_and_reads_sealed_data(cli, data_dir, monkeypatch,
                                                               memory_keyring):
    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    before = first_worker(cli)
    key = data_key(data_dir)

    as_officer(monkeypatch, "an")
    r = cli("officers", "init", "an", "--name", "Nguyễn Văn An")
    assert r.code == 0, r.err
    db_id = read_meta_of(data_dir)["db_id"]
    # the plain copy is gone: the key lives only wrapped for each officer
    assert (SERVICE, f"data-key:{db_id}") not in memory_keyring.items
    assert first_worker(cli)["cccd"] == before["cccd"]

    # A new PC, no officer chosen: it opens, but personal data says what to do.
    as_officer(monkeypatch, None)
    local = json.loads((data_dir / "local.json").read_text("utf-8"))
    assert local["officer"] == {db_id: "an"}  # the PC that ran init remembers its officer
    del local["officer"]
    (data_dir / "local.json").write_text(json.dumps(local), "utf-8")
    r = cli("workers", "list")
    assert r.code == 1 and "officers request" in r.err and "máy này chưa có cán bộ" in r.err

    as_officer(monkeypatch, "binh")
    r = cli("workers", "list")
    assert r.code == 1 and "Không có cán bộ 'binh'" in r.err
    r = cli("--json", "officers", "request", "binh", "--name", "Trần Thị Bình")
    assert r.code == 0, r.err
    assert r.json["status"] == "requested" and r.json["roles"] == []
    fingerprint = r.json["fingerprint"]
    for lang, words in (("vi", "đang chờ một cán bộ có vai trò người ký cho vào"),
                        ("en", "waiting for an officer with the signer role to let you in")):
        r = cli("--lang", lang, "workers", "list")
        assert r.code == 1 and words in r.err, r.err
        assert before["cccd"] not in r.out
    # a waiting officer cannot let themselves in, nor ask a second time
    r = cli("officers", "add", "binh", "--role", "signer")
    assert r.code == 1 and "đang chờ" in r.err
    assert cli("officers", "request", "binh", "--name", "X").code == 1

    as_officer(monkeypatch, "an")
    r = cli("officers", "add", "binh", "--role", "preparer", "--fingerprint", "0000-0000-0000-0000")
    assert r.code == 1 and fingerprint in r.err  # a key swapped in the database: refused
    r = cli("--json", "officers", "add", "binh", "--role", "preparer", "--fingerprint",
            fingerprint)
    assert r.code == 0, r.err

    as_officer(monkeypatch, "binh")
    assert first_worker(cli) == before
    app = open_app(data_dir)
    try:
        assert app.db.officer == "binh"
        assert officers.current(app).roles == ("preparer",)
        with app.db.reading() as conn:  # a sealed value, read straight from the table
            cccd = conn.execute(select(workers_table.c.cccd)
                                .where(workers_table.c.id == before["id"])).scalar()
        assert cccd == before["cccd"]
        # the data key itself never sits in the database in clear
        assert_nowhere(table_rows(database_url(data_dir)), key, app.db.keystore, db_id)
    finally:
        app.close()
    r = cli("--json", "officers", "list")
    assert [(o["login"], o["status"], o["roles"]) for o in r.json] == [
        ("an", "active", ["preparer", "signer"]), ("binh", "active", ["preparer"])]
    assert all("wrapped_key" not in o for o in r.json)


def read_meta_of(data_dir: Path) -> dict[str, str]:
    engine = create_engine(database_url(data_dir))
    try:
        with engine.connect() as conn:
            return read_meta(conn)
    finally:
        engine.dispose()


def assert_nowhere(tables: dict[str, list[tuple]], key: bytes, keystore: KeyStore,
                   db_id: str) -> None:
    """Neither the data key nor an officer's private key, raw, base64 or hex, in any
    column of any row."""
    secrets = [key]
    rows = dict(tables)
    for row in rows.get("officers", []):
        private = ok.private_key(keystore, db_id, row.login)
        if private is not None:
            secrets.append(private)
    forms = [f for s in secrets for f in (s, base64.b64encode(s), s.hex().encode(),
                                          s.hex().upper().encode())]
    checked = 0
    for name, table in rows.items():
        for row in table:
            for value in row:
                if value is None:
                    continue
                data = bytes(value) if isinstance(value, (bytes, memoryview)) \
                    else str(value).encode()
                checked += 1
                for form in forms:
                    assert form not in data, f"a key in {name}"
    assert checked > 100 and len(secrets) >= 2


@pytest.mark.sqlite_only  # reads the file's bytes
def test_the_key_is_in_no_table_nor_in_the_file(cli, data_dir, monkeypatch):
    key = None

    def remember_key():
        nonlocal key
        key = data_key(data_dir)

    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    remember_key()
    as_officer(monkeypatch, "an")
    assert cli("officers", "init", "an", "--name", "An").code == 0
    as_officer(monkeypatch, "binh")
    assert cli("officers", "request", "binh", "--name", "Bình").code == 0
    as_officer(monkeypatch, "an")
    assert cli("officers", "add", "binh", "--role", "signer").code == 0
    raw = db_file(data_dir).read_bytes()
    for form in (key, base64.b64encode(key), key.hex().encode()):
        assert form not in raw
    app = open_app(data_dir)
    try:
        assert_nowhere(table_rows(database_url(data_dir)), key, app.db.keystore,
                       app.db.db_id)
        rows = officer_rows(app)
        assert all(r["key_check"] == app.db.cipher.check_value for r in rows.values())
    finally:
        app.close()


# -- removing and rotating --------------------------------------------------------------------

def test_removing_an_officer_rotates_the_key_and_shuts_their_pc_out(cli, data_dir,
                                                                    monkeypatch):
    share(cli, monkeypatch, ("binh", ["preparer", "signer"]), ("chi", ["preparer"]))
    worker = first_worker(cli)
    app = open_app(data_dir)
    try:
        db_id, old_check = app.db.db_id, app.db.cipher.check_value
        old_blob = bytes(officer_rows(app)["binh"]["wrapped_key"])
        binh_private = ok.private_key(app.db.keystore, db_id, "binh")
    finally:
        app.close()
    old_key = ok.unwrap(old_blob, binh_private, db_id=db_id, login="binh")
    assert FieldCipher(old_key).check_value == old_check

    as_officer(monkeypatch, "chi")  # a preparer may not remove anyone
    r = cli("officers", "remove", "binh")
    assert r.code == 1 and "cần vai trò người ký" in r.err and "'chi'" in r.err
    as_officer(monkeypatch, "an")
    r = cli("--json", "officers", "remove", "binh")
    assert r.code == 0, r.err
    assert r.json["status"] == "removed"

    app = open_app(data_dir)
    try:
        rows = officer_rows(app)
        new_check = app.db.cipher.check_value
        assert new_check != old_check
        assert rows["binh"]["wrapped_key"] is None and rows["binh"]["key_check"] is None
        for login in ("an", "chi"):  # every remaining officer's copy re-made
            assert rows[login]["key_check"] == new_check
        with app.db.reading() as conn:
            sealed = conn.execute(text("SELECT cccd FROM workers WHERE id = :i"),
                                  {"i": worker["id"]}).scalar()
    finally:
        app.close()
    # the removed officer's old copy opens the old key only, which opens no current value
    with pytest.raises(CryptoError) as caught:
        FieldCipher(old_key).open(bytes(sealed), "workers.cccd")
    assert caught.value.code == "key_wrong"

    as_officer(monkeypatch, "binh")
    for lang, words in (("vi", "đã bị rút khỏi dữ liệu dùng chung"), ("en", "was removed")):
        r = cli("--lang", lang, "workers", "list")
        assert r.code == 1 and words in r.err and worker["cccd"] not in r.out
    for login in ("an", "chi"):
        as_officer(monkeypatch, login)
        assert first_worker(cli) == worker


def test_the_last_signer_cannot_be_removed(cli, data_dir, monkeypatch):
    share(cli, monkeypatch, ("chi", ["preparer"]))
    app = open_app(data_dir)
    try:
        check = app.db.cipher.check_value
    finally:
        app.close()
    for lang, words in (("vi", "người ký cuối cùng"), ("en", "last officer with the signer")):
        r = cli("--lang", lang, "officers", "remove", "an")
        assert r.code == 1 and words in r.err
    app = open_app(data_dir)
    try:  # nothing changed: same key, still active
        assert app.db.cipher.check_value == check
        assert officer_rows(app)["an"]["status"] == "active"
    finally:
        app.close()
    r = cli("--json", "officers", "add", "an", "--role", "preparer")  # nor lose the role
    assert r.code == 1 and r.json["error"] == "officer_last_signer"
    assert cli("officers", "remove", "chi").code == 0  # a preparer may go


def test_rotation_makes_every_copy_again_or_nothing(cli, data_dir, monkeypatch):
    share(cli, monkeypatch, ("binh", ["preparer"]))
    worker = first_worker(cli)
    as_officer(monkeypatch, "binh")
    r = cli("officers", "rotate")
    assert r.code == 1 and "người ký" in r.err  # a preparer may not rotate

    as_officer(monkeypatch, "an")
    app = open_app(data_dir)
    try:
        before = officer_rows(app)
        check = app.db.cipher.check_value

        def crash(*_args, **_kw):
            raise RuntimeError("the PC lost power")

        # stopped after every value was re-sealed, before the copies were made
        with pytest.MonkeyPatch.context() as patch, pytest.raises(RuntimeError):
            patch.setattr(ok, "rewrap_all", crash)
            officers.rotate(app)
    finally:
        app.close()
    as_officer(monkeypatch, "an")
    app = open_app(data_dir)
    try:  # the old key and the old copies, as before
        assert app.db.cipher.check_value == check
        assert officer_rows(app) == before
    finally:
        app.close()
    for login in ("an", "binh"):
        as_officer(monkeypatch, login)
        assert first_worker(cli) == worker

    as_officer(monkeypatch, "an")
    r = cli("officers", "rotate")
    assert r.code == 0, r.err
    app = open_app(data_dir)
    try:
        assert app.db.cipher.check_value != check
        rows = officer_rows(app)
        assert {r["key_check"] for r in rows.values()} == {app.db.cipher.check_value}
    finally:
        app.close()
    for login in ("an", "binh"):
        as_officer(monkeypatch, login)
        assert first_worker(cli) == worker


def test_a_pc_left_open_takes_the_new_key_or_is_shut_out(cli, data_dir, monkeypatch):
    """A program left open on another PC while the key is rotated: it seals nothing
    under the old key, and reads on with the new one; once its officer is removed, it
    opens nothing more."""
    from ibhxh_client.services import workers as workers_service

    share(cli, monkeypatch, ("binh", ["preparer"]))
    worker = first_worker(cli)
    as_officer(monkeypatch, "binh")
    left_open = open_app(data_dir)
    as_officer(monkeypatch, "an")
    signer = open_app(data_dir)
    try:
        old = left_open.db.cipher.check_value
        officers.rotate(signer)
        assert signer.db.cipher.check_value != old
        workers_service.update(left_open, worker["id"], {**worker, "phone": "0912345678"})
        assert left_open.db.cipher.check_value == signer.db.cipher.check_value
        with signer.db.reading() as conn:
            phone = conn.execute(select(workers_table.c.phone)
                                 .where(workers_table.c.id == worker["id"])).scalar()
        assert phone == "0912345678"

        officers.remove(signer, "binh")  # while binh's program is open
        with pytest.raises(CryptoError) as caught:
            workers_service.update(left_open, worker["id"], {**worker, "phone": "0987654321"})
        assert caught.value.code == "officer_removed"
        assert workers_service.search(signer, worker["full_name"])[0].phone == "0912345678"
    finally:
        left_open.close()
        signer.close()


# -- roles ------------------------------------------------------------------------------------

def test_a_preparer_prepares_and_a_signer_signs(cli, data_dir, monkeypatch):
    share(cli, monkeypatch, ("binh", ["preparer"]))
    as_officer(monkeypatch, "binh")
    assert cli("validate", 1).code == 0
    for lang, words in (("vi", "Việc này cần vai trò người ký; cán bộ 'binh'"),
                        ("en", "This needs the signer role; officer 'binh'")):
        r = cli("--lang", lang, "sign", 1, "--demo-cert")
        assert r.code == 1 and words in r.err, r.err
    app = open_app(data_dir)
    try:
        waiting = officers.to_sign(app)
        assert [(d["id"], d["procedure"], d["lines"], d["prepared_by"]) for d in waiting] \
            == [(1, "600", 3, "binh")]
        assert waiting[0]["prepared_at"]
        with pytest.raises(UserError) as caught:
            officers.require(app, officers.SIGNER)
        assert caught.value.code == "role_needed"
    finally:
        app.close()

    as_officer(monkeypatch, "an")
    r = cli("sign", 1, "--demo-cert")
    assert r.code == 0, r.err
    r = cli("--json", "status", 1)
    steps = [(h["to"], h["user"]) for h in r.json["history"]]
    assert ("validated", "binh") in steps and ("signed", "an") in steps
    app = open_app(data_dir)
    try:
        assert officers.to_sign(app) == []
    finally:
        app.close()


def test_a_single_pc_checks_no_role(app):
    from ibhxh_client.services.demo import make_demo

    make_demo(app, 2, claims=False)
    assert officers.current(app) is None
    assert officers.require(app, officers.SIGNER) is None
    assert officers.listing(app) == [] and not officers.shared(app)
    with pytest.raises(UserError) as caught:
        officers.request(app, "binh", "Bình")
    assert caught.value.code == "officers_not_shared"


# -- on the real PostgreSQL server: each PC with its own data folder ---------------------------

def test_officers_on_a_shared_postgresql_database(cli, tmp_path, monkeypatch, pg_url):
    first, second = tmp_path / "pc-an", tmp_path / "pc-binh"
    for pc in (first, second):  # each PC's own data folder, both on the one server
        location.use(pc, pg_url)

    def on(pc: Path, login: str, *args: str):
        as_officer(monkeypatch, None)  # each PC remembers its own officer (local.json)
        return cli("--json", "--data-dir", pc, *args)

    assert on(first, "an", "demo", "--workers", "3", "--no-claims").code == 0
    worker = on(first, "an", "workers", "list").json[-1]
    app = open_app(first)
    try:
        key = app.db.keystore.get(app.db.db_id)
        db_id = app.db.db_id
    finally:
        app.close()
    assert on(first, "an", "officers", "init", "an", "--name", "An").code == 0

    r = on(second, "binh", "workers", "list")
    assert r.code == 1 and r.json["error"] == "officer_none"
    r = on(second, "binh", "officers", "request", "binh", "--name", "Bình")
    assert r.code == 0, r.out
    assert on(second, "binh", "workers", "list").json["error"] == "officer_waiting"
    r = on(first, "an", "officers", "add", "binh", "--role", "preparer", "--role", "signer")
    assert r.code == 0, r.out
    assert on(second, "binh", "workers", "list").json[-1] == worker

    app = open_app(second)
    try:
        assert app.db.officer == "binh" and not app.db.is_sqlite
        assert_nowhere(table_rows(pg_url), key, app.db.keystore, db_id)
        before = officer_rows(app)
        check = app.db.cipher.check_value
        # a rotation stopped before the copies were made leaves the old key and copies
        with pytest.MonkeyPatch.context() as patch, pytest.raises(RuntimeError):
            patch.setattr(ok, "rewrap_all", lambda *a, **k: (_ for _ in ()).throw(
                RuntimeError("the PC lost power")))
            officers.rotate(app)
    finally:
        app.close()
    app = open_app(second)
    try:
        assert app.db.cipher.check_value == check and officer_rows(app) == before
    finally:
        app.close()
    assert on(first, "an", "workers", "list").json[-1] == worker

    # an's program stays open while binh rotates the key: a rotation waits for a
    # transaction of another PC in progress, which then goes on under the new key
    from ibhxh_client.services import workers as workers_service

    as_officer(monkeypatch, None)
    left_open = open_app(first)
    rotator = open_app(second)
    try:
        done = threading.Event()
        with left_open.db.transaction():
            thread = threading.Thread(target=lambda: (officers.rotate(rotator), done.set()))
            thread.start()
            time.sleep(0.5)
            assert not done.is_set()  # waits for an's transaction
        thread.join(30)
        assert done.is_set() and rotator.db.cipher.check_value != check
        workers_service.update(left_open, worker["id"], {**worker, "phone": "0912345678"})
        assert workers_service.search(rotator, worker["full_name"])[0].phone == "0912345678"
        worker["phone"] = "0912345678"

        # binh removes an (binh is a signer too): an's PC is out, binh reads on
        r = on(second, "binh", "officers", "remove", "an")
        assert r.code == 0, r.out
        with pytest.raises(CryptoError) as caught:
            workers_service.search(left_open, worker["full_name"])
        assert caught.value.code == "officer_removed"
    finally:
        left_open.close()
        rotator.close()
    r = on(first, "an", "workers", "list")
    assert r.code == 1 and r.json["error"] == "officer_removed"
    assert on(second, "binh", "workers", "list").json[-1] == worker
    r = on(second, "binh", "officers", "remove", "binh")
    assert r.code == 1 and r.json["error"] == "officer_last_signer"


def test_a_signer_exports_the_recovery_file_of_a_shared_database(cli, data_dir, monkeypatch,
                                                                 tmp_path):
    from ibhxh_client.storage.keys import unwrap_key

    share(cli, monkeypatch, ("binh", ["preparer"]))
    monkeypatch.setenv("PASS", "cụm mật khẩu dài")
    out = tmp_path / "recovery.json"
    as_officer(monkeypatch, "binh")
    r = cli("key", "export-recovery", "--out", out, "--passphrase-env", "PASS")
    assert r.code == 1 and "người ký" in r.err and not out.exists()
    as_officer(monkeypatch, "an")
    r = cli("key", "export-recovery", "--out", out, "--passphrase-env", "PASS")
    assert r.code == 0, r.err
    db_id, key = unwrap_key(out.read_bytes(), "cụm mật khẩu dài")
    meta = read_meta_of(data_dir)
    assert db_id == meta["db_id"] and FieldCipher(key).check_value == meta["key_check"]


def test_when_no_signer_opens_the_data_the_recovery_file_makes_one_again(
        cli, data_dir, monkeypatch, tmp_path, memory_keyring):
    share(cli, monkeypatch, ("binh", ["preparer"]))
    worker = first_worker(cli)
    monkeypatch.setenv("PASS", "cụm mật khẩu dài")
    out = tmp_path / "recovery.json"
    assert cli("key", "export-recovery", "--out", out, "--passphrase-env", "PASS").code == 0
    db_id = read_meta_of(data_dir)["db_id"]
    # the signer's PC is reinstalled: its key store is empty
    memory_keyring.delete_password(SERVICE, f"data-key:{db_id}:officer:an")
    r = cli("--json", "workers", "list")
    assert r.code == 1 and r.json["error"] == "officer_key_missing"
    r = cli("--json", "officers", "init", "an", "--name", "An")
    assert r.code == 1 and r.json["error"] == "officers_exist"  # no key: nothing changes

    assert cli("key", "restore", out, "--passphrase-env", "PASS").code == 0
    r = cli("--json", "officers", "init", "an", "--name", "An")
    assert r.code == 0, r.out
    assert r.json["status"] == "active" and r.json["roles"] == ["preparer", "signer"]
    assert (SERVICE, f"data-key:{db_id}") not in memory_keyring.items
    assert first_worker(cli) == worker
    as_officer(monkeypatch, "binh")
    assert first_worker(cli) == worker


def test_a_signer_backs_up_a_shared_database_and_a_preparer_cannot(cli, data_dir,
                                                                   monkeypatch, tmp_path):
    """The backup carries the data key: in a shared database only a signer takes one,
    from their own wrapped copy (the key is in no keyring in clear)."""
    share(cli, monkeypatch, ("binh", ["preparer"]))
    monkeypatch.setenv("PASS", "cụm mật khẩu dài")
    out = tmp_path / "office.ibhxh-backup"
    as_officer(monkeypatch, "binh")
    r = cli("backup", "--out", out, "--passphrase-env", "PASS")
    assert r.code == 1 and "người ký" in r.err and not out.exists()
    as_officer(monkeypatch, "an")
    r = cli("backup", "--out", out, "--passphrase-env", "PASS")
    assert r.code == 0, r.err
    assert out.exists() and out.stat().st_size > 0


def test_a_preparer_cannot_move_the_shared_database(cli, data_dir, monkeypatch, tmp_path):
    share(cli, monkeypatch, ("binh", ["preparer"]))
    as_officer(monkeypatch, "binh")
    r = cli("move", "--to", "postgresql://someone@127.0.0.1:1/elsewhere")
    assert r.code == 1 and "người ký" in r.err
    assert not (data_dir / "database.json").exists()  # still the data folder's own file
