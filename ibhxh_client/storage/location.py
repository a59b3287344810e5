"""Where the database is: the SQLite file in the data folder (one PC), or a PostgreSQL
server (a shared office).

The URL is chosen, in this order, by the caller (the command line's ``--database URL``),
the environment (``IBHXH_DATABASE_URL``), the data folder's ``database.json`` (written by
``ibhxh database use URL``), else the SQLite file in the data folder. The data folder keeps
its other files (logs, reports, local settings) either way.

A password is never written down: ``use`` keeps it in the OS keyring and writes the URL
without it; ``resolve`` puts it back. Nothing here shows or logs a URL with its password
(``Location.shown``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from .keys import SecretStoreError, keep_secret, read_secret

ENV = "IBHXH_DATABASE_URL"
SETTINGS_FILE = "database.json"
DB_FILE = "ibhxh.sqlite3"
DRIVER = "postgresql+psycopg"
SCHEMES = ("postgresql", "postgresql+psycopg")


class LocationError(Exception):
    """The database's URL is wrong or its password cannot be found (``code``: a message
    code of domain.messages; ``params`` never hold a password)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Location:
    """One database: ``url`` (with its password: pass it to the engine, never print it),
    where the choice came from (argument, environment, file, default)."""

    url: URL
    source: str

    @property
    def engine(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.url.get_backend_name()

    @property
    def is_sqlite(self) -> bool:
        return self.engine == "sqlite"

    @property
    def shown(self) -> str:
        """The URL to show or log: the password hidden."""
        return shown(self.url)

    @property
    def sqlite_path(self) -> Path | None:
        return Path(self.url.database) if self.is_sqlite and self.url.database else None


def shown(url: URL) -> str:
    """A URL as it may be shown or logged: never its password."""
    return _without_password(url).render_as_string(hide_password=False)


def _without_password(url: URL) -> URL:
    # URL.set(password=None) keeps the password: None there means "unchanged".
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database,
                      url.query)


def sqlite_location(data_dir: Path) -> Location:
    """The SQLite file of a data folder."""
    return Location(make_url(f"sqlite:///{Path(data_dir) / DB_FILE}"), "default")


def parse(text: str) -> URL:
    """A PostgreSQL URL (``postgresql://`` or ``postgresql+psycopg://``) for psycopg 3,
    with its server and database named; LocationError ``database_url_bad`` otherwise."""
    try:
        url = make_url(text.strip())
    except (ArgumentError, ValueError):
        raise LocationError("database_url_bad", url=_scrub(text)) from None
    if url.drivername not in SCHEMES or not url.host or not url.database:
        raise LocationError("database_url_bad", url=shown(url))
    return url.set(drivername=DRIVER)


def _scrub(text: str) -> str:
    # An unparsable URL may still carry a password between "://user:" and "@".
    head, sep, tail = text.partition("://")
    if sep and "@" in tail:
        user_part, _, rest = tail.rpartition("@")
        return f"{head}://{user_part.split(':', 1)[0]}:***@{rest}"
    return text


def secret_name(url: URL) -> str:
    """The keyring entry that holds the password of this server's user."""
    return f"database:{url.username or ''}@{url.host}:{url.port or 5432}/{url.database}"


def _settings_path(data_dir: Path) -> Path:
    return Path(data_dir) / SETTINGS_FILE


def _saved_url(data_dir: Path) -> str | None:
    path = _settings_path(data_dir)
    if not path.exists():
        return None
    try:
        saved = json.loads(path.read_text("utf-8"))
        return str(saved["url"])
    except (OSError, ValueError, KeyError, TypeError):
        raise LocationError("database_settings_bad", path=str(path)) from None


def _with_password(url: URL) -> URL:
    if url.password is not None or not url.username:
        return url
    try:
        password = read_secret(secret_name(url), shown(url))
    except SecretStoreError as exc:
        raise LocationError("database_no_keyring", detail=exc.detail) from None
    return url if password is None else url.set(password=password)


def saved(data_dir: Path) -> Location | None:
    """The server ``use`` chose for the data folder (its password from the keyring), or
    None."""
    url = _saved_url(data_dir)
    return Location(_with_password(parse(url)), "file") if url else None


def resolve(data_dir: Path, explicit: str | None = None) -> Location:
    """The database a data folder works on (see the module's docstring for the order)."""
    if explicit:
        return Location(parse(explicit), "argument")
    if os.environ.get(ENV):
        return Location(parse(os.environ[ENV]), "environment")
    return saved(data_dir) or sqlite_location(data_dir)


def use(data_dir: Path, text: str) -> Location:
    """Make the data folder work on this server from now on: its password (if the URL
    has one) to the OS keyring, the URL without it to ``database.json``."""
    url = parse(text)
    if url.password is not None:
        try:
            keep_secret(secret_name(url), url.password, shown(url))
        except SecretStoreError as exc:
            raise LocationError("database_no_keyring", detail=exc.detail) from None
    path = _settings_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_text(json.dumps({"url": shown(url)}, ensure_ascii=False) + "\n", "utf-8")
    tmp.replace(path)
    return Location(url, "file")


def local(data_dir: Path) -> Location:
    """Back to the SQLite file of the data folder (the server's data stays on it)."""
    _settings_path(data_dir).unlink(missing_ok=True)
    return sqlite_location(data_dir)
