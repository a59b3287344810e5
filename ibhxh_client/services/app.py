"""The open program state every use case works on: data folder, database, catalogue."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..catalog import Catalog, load_catalog
from ..paths import default_data_dir
from ..storage import location, repo
from ..storage.db import DB_FILE, Database


class UserError(Exception):
    """A failure the officer can act on: a message code and its parameters.

    ``exit_code`` is what the command line returns (1 data, 2 usage, 3 token, 4 network).
    ``problems`` holds every validation problem when the data failed its checks.
    """

    def __init__(self, code: str, exit_code: int = 1, problems: list | None = None,
                 texts: dict[str, str] | None = None, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.problems = problems or []
        self.texts = texts  # sentences already worded by a library (signing, gateway)
        self.params = params

    def message(self, lang: str = "vi") -> str:
        from ..domain.messages import say

        if self.texts:
            return self.texts.get(lang) or self.texts["vi"]
        return say(self.code, lang, **self.params)


FIRST_UNIT = 1  # the id the first unit of a database gets (storage.repo.add_unit)
LOCAL_FILE = "local.json"  # this PC's own choices for the data folder (the last unit)


@dataclass
class App:
    """One data folder opened: what every service function takes first.

    The database may hold several units; ``unit`` is the one every use case works on
    (its id is the database's ``unit_id``), or None before one is set up."""

    data_dir: Path
    db: Database
    catalog: Catalog = field(default_factory=load_catalog)
    lang: str = "vi"

    @property
    def unit(self) -> int | None:
        return self.db.unit_id

    def use_unit(self, unit_id: int | None, remember: bool = True) -> None:
        """Work on this unit from now on (and, ``remember``, next time on this PC)."""
        self.db.unit_id = unit_id
        if remember and unit_id is not None:
            with self.db.reading() as conn:
                try:
                    code = repo.unit_code_of(conn, unit_id)
                except repo.NotFound:  # not set up yet
                    return
            local = _read_local(self.data_dir)
            local.setdefault("last_unit", {})[self.db.db_id] = code
            _write_local(self.data_dir, local)

    def for_unit(self, unit_id: int) -> App:
        """The same open data working on another unit, this one's choice unchanged: for
        views across units and for background work that must stay on its own unit (the
        copy shares the connections; close only the original)."""
        db = copy.copy(self.db)
        db.unit_id = unit_id
        return replace(self, db=db)

    def close(self) -> None:
        self.db.close()


def _read_local(data_dir: Path) -> dict:
    try:
        data = json.loads((data_dir / LOCAL_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_local(data_dir: Path, data: dict) -> None:
    from .files import write_atomic

    write_atomic(data_dir / LOCAL_FILE, json.dumps(data, ensure_ascii=False).encode())


def choose_unit(app: App, code: str | None = None) -> int | None:
    """The unit to work on: the one named by ``code``; else the last one used on this PC
    (while it exists); else the only one. A database with no unit yet works on the first
    unit to come (id 1): what is entered before the profile belongs to it.
    Several units and none named or remembered: UserError ``unit_choose``."""
    with app.db.reading() as conn:
        units = repo.list_units(conn)
    by_code = {u["unit_code"]: u["id"] for u in units}
    if code:
        if code not in by_code:
            raise UserError("unit_unknown", exit_code=2, unit=code,
                            known=", ".join(by_code) or "—")
        return by_code[code]
    last = _read_local(app.data_dir).get("last_unit", {})
    remembered = last.get(app.db.db_id) if isinstance(last, dict) else None
    if remembered in by_code:
        return by_code[remembered]
    if not units:
        return FIRST_UNIT
    if len(units) == 1:
        return units[0]["id"]
    raise UserError("unit_choose", exit_code=2, known=", ".join(by_code))


def _open_database(path: Path, create: bool, database: str | None) -> Database:
    try:
        where = location.resolve(path, database)
    except location.LocationError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None
    missing = UserError("data_dir_missing" if not path.exists() else "data_dir_empty",
                        exit_code=2, path=str(path))
    if where.is_sqlite:
        if not create and not (path / DB_FILE).exists():
            raise missing
        return Database(path)
    # A server named on the command line may serve a PC whose data folder is still new.
    if not create and not path.exists() and where.source != "argument":
        raise missing
    db = Database(path, url=where, migrate=False)
    try:
        if not create and db.is_empty():
            raise UserError("data_dir_empty", exit_code=2, path=where.shown)
        db.migrate()
    except BaseException:
        db.close()
        raise
    return db


def open_app(data_dir: Path | str | None = None, lang: str = "vi",
             create: bool = True, unit: str | None = None,
             database: str | None = None) -> App:
    """Open (and migrate) the data folder: the argument, IBHXH_DATA_DIR, or the default,
    and choose its unit (``unit``: a unit code; see ``choose_unit``). Its database is the
    one ``database`` (a URL) names, else the one storage.location finds for the folder.

    Only what makes data (the demo, the unit's profile, the window's first run) passes
    ``create``; any other use of a folder that does not exist is a mistyped path, said
    as such rather than answered from a new empty folder."""
    path = Path(data_dir) if data_dir else default_data_dir()
    app = App(data_dir=path, db=_open_database(path, create, database), lang=lang)
    try:
        chosen = choose_unit(app, unit)
    except UserError:
        app.close()
        raise
    app.use_unit(chosen, remember=unit is not None)
    return app
