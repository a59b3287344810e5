"""Restoring a backup over a shared database (issue 17, point 5 with the roles of point 3):
`ibhxh restore FILE --replace` replaces every row of the server's database, so in a
shared one only an active signer of this PC may do it, as only a signer may move it. A
preparer, a PC with no officer and a removed officer are refused with the database left
as it was; an empty server database (a fresh target) needs nobody.

Each "PC" is a data folder of its own on the same PostgreSQL database (its own
local.json, so its own officer), as in tests/test_ui_office.py."""

from __future__ import annotations

import pytest

from ibhxh_client.domain.messages import say
from ibhxh_client.services import backup, officers, workers
from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.services.demo import make_demo
from ibhxh_client.storage import location
from ibhxh_client.storage import officer_keys as ok
from tests.pg import create_database, drop_database
from tests.test_move import _digests

PASS = "mật khẩu sao lưu 2026"
ENV = "BK_PASS"


def signer_only(lang: str, login: str) -> str:
    return say("role_needed", lang, role=officers.role_names((officers.SIGNER,), lang,
                                                             either=True), login=login)


@pytest.fixture
def office(tmp_path, pg_url, monkeypatch):
    """On the server: the demo shared by signer "an", preparer "binh" let in, "chi"
    asked and removed, and a PC with no officer; a backup "an" took. The folders by
    name, and the backup file."""
    monkeypatch.delenv(ok.ENV_OFFICER, raising=False)
    monkeypatch.setenv(ENV, PASS)
    folders = {name: tmp_path / f"pc-{name}" for name in ("an", "binh", "chi", "none")}
    for folder in folders.values():
        location.use(folder, pg_url)
    first = open_app(folders["an"])
    try:
        make_demo(first, 3, claims=False)
        officers.init(first, "an", "Nguyễn Văn An")
        for login, name in (("binh", "Trần Thị Bình"), ("chi", "Lê Văn Chí")):
            other = open_app(folders[login])
            try:
                officers.request(other, login, name)
            finally:
                other.close()
            officers.add(first, login, [officers.PREPARER])
        officers.remove(first, "chi")
        out = tmp_path / "sao-luu.ibhxh"
        backup.backup(first, out, PASS)
        # a worker added after the backup: a replace would take it away
        workers.add(first, {"full_name": "Ngô Thị Mai", "gender": "F",
                            "birth_date": "02/03/1995", "cccd": "001195012345",
                            "salary": "8000000"})
    finally:
        first.close()
    return folders, out


def _workers(folder) -> int:
    app = open_app(folder)
    try:
        return len(workers.search(app))
    finally:
        app.close()


def test_a_preparer_is_refused_by_the_service_and_nothing_changes(office, pg_url):
    folders, out = office
    before = _digests(pg_url)
    with pytest.raises(UserError) as refused:
        backup.restore(folders["binh"], out, PASS, replace=True)
    assert refused.value.code == "role_needed"
    assert refused.value.message("vi") == signer_only("vi", "binh")
    assert refused.value.message("en") == signer_only("en", "binh")
    assert _digests(pg_url) == before


@pytest.mark.parametrize(("pc", "refusal"), [
    ("binh", lambda lang: signer_only(lang, "binh")),  # a preparer
    ("chi", lambda lang: say("officer_removed", lang, login="chi")),
    ("none", lambda lang: say("officer_none", lang)),  # never asked to join
])
def test_who_is_not_a_signer_is_refused_through_the_command(office, cli, pg_url, pc,
                                                            refusal):
    folders, out = office
    before = _digests(pg_url)
    for lang in ("vi", "en"):
        r = cli("--lang", lang, "--data-dir", folders[pc], "restore", out,
                "--passphrase-env", ENV, "--replace")
        assert r.code == 1, (r.out, r.err)
        assert refusal(lang) in r.err
        assert _digests(pg_url) == before


def test_a_signer_replaces_the_shared_database(office, cli, pg_url):
    folders, out = office
    assert _workers(folders["an"]) == 4
    r = cli("--data-dir", folders["an"], "restore", out, "--passphrase-env", ENV,
            "--replace")
    assert r.code == 0, r.err
    assert _workers(folders["an"]) == 3  # the worker added after the backup is gone


def test_an_empty_server_database_needs_no_officer(office, cli, pg_server, tmp_path):
    _folders, out = office
    empty = create_database(pg_server)
    try:
        folder = tmp_path / "pc-new"
        location.use(folder, empty)
        r = cli("--data-dir", folder, "restore", out, "--passphrase-env", ENV, "--replace")
        assert r.code == 0, r.err
        assert "3" in r.out
    finally:
        drop_database(pg_server, empty)


def test_a_database_shared_while_it_is_restored_is_not_replaced(tmp_path, pg_url,
                                                                 monkeypatch):
    """The role is checked before the copy, and the copy's own transaction looks again:
    another PC that starts sharing the database in between (its officers made) keeps it,
    nothing is replaced, and the officer reads why."""
    from ibhxh_client.services import move

    monkeypatch.delenv(ok.ENV_OFFICER, raising=False)
    solo, other = tmp_path / "pc-solo", tmp_path / "pc-other"
    for folder in (solo, other):
        location.use(folder, pg_url)
    app = open_app(solo)
    try:
        make_demo(app, 3, claims=False)
        out = tmp_path / "sao-luu.ibhxh"
        backup.backup(app, out, PASS)
    finally:
        app.close()
    real = move.restore_into_server
    seen: dict[str, object] = {}

    def shared_meanwhile(*args, **kwargs):
        meanwhile = open_app(solo)  # a PC of the same database starts sharing it now
        try:
            officers.init(meanwhile, "an", "Nguyễn Văn An")
        finally:
            meanwhile.close()
        seen["before"] = _digests(pg_url)
        return real(*args, **kwargs)

    monkeypatch.setattr(move, "restore_into_server", shared_meanwhile)
    with pytest.raises(UserError) as refused:
        backup.restore(other, out, PASS, replace=True)
    assert refused.value.code == "restore_became_shared"
    assert "dùng chung" in refused.value.message("vi")
    assert "became shared" in refused.value.message("en")
    assert _digests(pg_url) == seen["before"]
