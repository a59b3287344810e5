"""Where the database is (storage.location, `ibhxh database`), and the program on a real
PostgreSQL server: opening, a wrong password, a server down, the password kept in the
keyring only, two connections seeing each other's commits."""

from __future__ import annotations

import json
import socket

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.storage import location, repo
from ibhxh_client.storage.db import Database, ServerError
from ibhxh_client.storage.keys import SERVICE
from tests.pg import real_resolve


def _password(url: str) -> str:
    return make_url(url).password


def _with_password(url: str, password: str | None) -> str:
    u = make_url(url)
    u = u.set(password=password) if password is not None else location.URL.create(
        u.drivername, u.username, None, u.host, u.port, u.database)
    return u.render_as_string(hide_password=False)


def _dead_port() -> int:
    with socket.socket() as s:  # bound, never listening: connections are refused
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _logs(monkeypatch_env_dir) -> str:
    return "".join(p.read_text("utf-8", errors="replace")
                   for p in monkeypatch_env_dir.glob("*") if p.is_file())


@pytest.fixture
def log_dir(monkeypatch, tmp_path):
    folder = tmp_path / "logs"
    monkeypatch.setenv("IBHXH_LOG_DIR", str(folder))
    return folder


def test_the_choice_order_argument_environment_file_default(tmp_path, monkeypatch):
    monkeypatch.delenv("IBHXH_DATABASE_URL", raising=False)
    folder = tmp_path / "data"
    assert real_resolve(folder).url.database == str(folder / "ibhxh.sqlite3")
    assert real_resolve(folder).source == "default"
    location.use(folder, "postgresql://ketoan@db.office.lan/bhxh")
    assert real_resolve(folder).source == "file"
    monkeypatch.setenv("IBHXH_DATABASE_URL", "postgresql://x@envhost/envdb")
    assert (real_resolve(folder).url.host, real_resolve(folder).source) == ("envhost",
                                                                           "environment")
    chosen = real_resolve(folder, "postgresql+psycopg://y@arghost:5433/argdb")
    assert (chosen.url.host, chosen.url.port, chosen.source) == ("arghost", 5433, "argument")
    assert chosen.url.drivername == "postgresql+psycopg"
    location.local(folder)
    monkeypatch.delenv("IBHXH_DATABASE_URL")
    assert real_resolve(folder).is_sqlite


@pytest.mark.parametrize("url", ["mysql://a:secretpw@h/d", "postgresql://u:secretpw@/nodb",
                                 "postgresql://u:secretpw@host", "not a url at all"])
def test_a_wrong_url_is_refused_without_showing_its_password(url):
    with pytest.raises(location.LocationError) as err:
        location.parse(url)
    assert err.value.code == "database_url_bad"
    assert "secretpw" not in json.dumps(err.value.params)


def test_opening_on_postgresql(pg_url, tmp_path):
    from ibhxh_client.services.demo import make_demo

    app = open_app(tmp_path / "data", database=pg_url)
    try:
        assert not app.db.is_sqlite and _password(pg_url) not in app.db.where
        make_demo(app, 4, claims=False)
    finally:
        app.close()
    assert not (tmp_path / "data" / "ibhxh.sqlite3").exists()  # the data is on the server
    again = open_app(tmp_path / "data", create=False, database=pg_url)
    try:
        with again.db.reading() as conn:
            assert len(repo.load_workers(conn)) == 4
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
            assert conn.execute(text("SELECT current_setting('application_name')")
                                ).scalar() == "ibhxh-client"
    finally:
        again.close()


def test_an_empty_server_database_is_not_taken_for_data(pg_url, tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(UserError) as err:
        open_app(tmp_path / "data", create=False, database=pg_url)
    assert err.value.code == "data_dir_empty"
    assert _password(pg_url) not in json.dumps(err.value.params)


def test_a_wrong_password_is_said_without_the_password(pg_url, cli, log_dir, data_dir):
    real = _password(pg_url)
    wrong = _with_password(pg_url, "not-the-password-42")
    r = cli("database", "use", wrong)
    assert r.code == 2
    assert "từ chối đăng nhập" in r.err and "sai mật khẩu" in r.err
    r_en = cli("--lang", "en", "--database", wrong, "status")
    assert r_en.code == 2 and "refused the login" in r_en.err
    for said in (r.out, r.err, r_en.out, r_en.err, _logs(log_dir)):
        assert "not-the-password-42" not in said and real not in said
    assert not (data_dir / location.SETTINGS_FILE).exists()  # nothing was saved
    with pytest.raises(ServerError) as err:
        Database(data_dir, url=wrong)
    assert err.value.code == "database_auth" and "not-the-password-42" not in str(err.value)


def test_no_password_at_all_is_a_refused_login(pg_url, cli):
    r = cli("--json", "database", "use", _with_password(pg_url, None))
    assert r.code == 2 and r.json["error"] == "database_auth"


def test_a_missing_database_is_named(pg_url, cli):
    missing = make_url(pg_url).set(database="no_such_db").render_as_string(hide_password=False)
    r = cli("--json", "database", "use", missing)
    assert r.code == 2 and r.json["error"] == "database_missing"
    assert "no_such_db" in r.json["message"] and _password(pg_url) not in r.out


def test_a_server_down_is_said_quickly(pg_url, cli, log_dir):
    down = make_url(pg_url).set(port=_dead_port()).render_as_string(hide_password=False)
    r = cli("database", "use", down)
    assert r.code == 4 and "máy chủ không trả lời" in r.err
    r = cli("--json", "--database", down, "workers", "list")
    assert r.code == 4 and r.json["error"] == "database_unreachable"
    assert "Traceback" not in r.err + r.out
    assert _password(pg_url) not in r.out + r.err + _logs(log_dir)


def test_database_use_keeps_the_password_in_the_keyring_only(pg_url, cli, data_dir,
                                                              memory_keyring, monkeypatch):
    monkeypatch.delenv("IBHXH_DATABASE_URL", raising=False)
    password = _password(pg_url)
    r = cli("--json", "database", "use", pg_url)
    assert r.code == 0, r.err
    assert r.json["engine"] == "postgresql" and password not in r.out
    saved = (data_dir / location.SETTINGS_FILE).read_text("utf-8")
    assert password not in saved and json.loads(saved)["url"].startswith("postgresql")
    url = make_url(pg_url)
    kept = memory_keyring.items[(SERVICE, location.secret_name(url))]
    assert kept == password
    # The next commands find the server through the folder, the password through the key.
    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    shown = cli("--json", "database", "show").json
    assert shown["source"] == "file" and password not in json.dumps(shown)
    assert len(cli("--json", "workers", "list").json) == 3
    assert not (data_dir / "ibhxh.sqlite3").exists()
    # The password gone from the keyring: a refused login, said as such.
    memory_keyring.items.clear()
    r = cli("--json", "workers", "list")
    assert r.code == 2 and r.json["error"] == "database_auth"
    assert cli("database", "local").code == 0
    assert not (data_dir / location.SETTINGS_FILE).exists()


def test_two_databases_objects_see_each_others_commits(pg_url, tmp_path):
    from ibhxh_client.services.demo import make_demo

    app = open_app(tmp_path / "a", database=pg_url)  # the first PC
    make_demo(app, 2, claims=False)
    other = Database(tmp_path / "b", url=pg_url, keystore=app.db.keystore)  # the second
    other.unit_id = app.db.unit_id
    try:
        with other.reading() as conn:
            w = repo.find_worker(conn, "#1")
        w.full_name = "Đỗ Thị Hằng"
        with other.transaction() as conn:
            repo.update_worker(conn, w)
        with app.db.reading() as conn:
            assert repo.find_worker(conn, "#1").full_name == "Đỗ Thị Hằng"
        w.full_name = "Vũ Văn Nam"
        with app.db.transaction() as conn:
            repo.update_worker(conn, w)
        with other.reading() as conn:
            assert repo.find_worker(conn, "#1").full_name == "Vũ Văn Nam"
    finally:
        other.close()
        app.close()


def test_the_cluster_script_says_when_postgresql_is_missing(tmp_path):
    """.ci/pg stops with a clear error (and tests.pg then fails, never skips) on a machine
    without PostgreSQL."""
    import subprocess

    from tests.pg import PG_SCRIPT

    done = subprocess.run(["bash", str(PG_SCRIPT), "start", str(tmp_path / "c")],
                          env={"PATH": "/usr/bin:/bin", "PG_BINDIR": str(tmp_path / "none")},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 3 and "PostgreSQL is not installed" in done.stderr
    assert done.stdout == ""
