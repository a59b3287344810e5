"""Choosing the data folder's database: the SQLite file of this PC, or a shared office's
PostgreSQL server (storage.location keeps the choice; the password goes to the keyring)."""

from __future__ import annotations

from pathlib import Path

from ..paths import default_data_dir
from ..storage import location
from ..storage.db import Database
from .app import UserError


def _folder(data_dir: Path | str | None) -> Path:
    return Path(data_dir) if data_dir else default_data_dir()


def _described(where: location.Location) -> dict[str, str]:
    return {"engine": where.engine, "url": where.shown, "source": where.source}


def show(data_dir: Path | str | None, explicit: str | None = None) -> dict[str, str]:
    """The database the data folder works on, and where that choice comes from."""
    try:
        return _described(location.resolve(_folder(data_dir), explicit))
    except location.LocationError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None


def use(data_dir: Path | str | None, url: str) -> dict[str, str]:
    """Work on this server's database from now on. The server is tried first, so a wrong
    address or password is said now and nothing is saved."""
    folder = _folder(data_dir)
    try:
        where = location.Location(location.parse(url), "argument")
        probe = Database(folder, url=where, migrate=False)
        try:
            probe.is_empty()
        finally:
            probe.close()
        return _described(location.use(folder, url))
    except location.LocationError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None


def server_url(host: str, port: int | str | None, name: str, user: str,
               password: str = "") -> str:
    """The URL of a PostgreSQL database from its parts (as a form asks for them), the
    password escaped; ``use`` keeps it in the keyring, never in a file."""
    from sqlalchemy.engine import URL

    url = URL.create(location.DRIVER, user.strip() or None, password or None,
                     host.strip() or None, int(port) if str(port or "").strip() else None,
                     name.strip() or None)
    return url.render_as_string(hide_password=False)


def check(data_dir: Path | str | None, url: str) -> dict[str, str]:
    """Try the server as ``use`` does, and save nothing: UserError saying why it cannot
    be used (a wrong address or password, no answer, no such database)."""
    try:
        where = location.Location(location.parse(url), "argument")
        probe = Database(_folder(data_dir), url=where, migrate=False)
        try:
            probe.is_empty()
        finally:
            probe.close()
        return _described(where)
    except location.LocationError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None


def local(data_dir: Path | str | None) -> dict[str, str]:
    """Back to the data folder's own SQLite file (the server keeps its data)."""
    return _described(location.local(_folder(data_dir)))
