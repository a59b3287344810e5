"""The open program state every use case works on: data folder, database, catalogue."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Catalog, load_catalog
from ..paths import default_data_dir
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


@dataclass
class App:
    """One data folder opened: what every service function takes first."""

    data_dir: Path
    db: Database
    catalog: Catalog = field(default_factory=load_catalog)
    lang: str = "vi"

    def close(self) -> None:
        self.db.close()


def open_app(data_dir: Path | str | None = None, lang: str = "vi",
             create: bool = True) -> App:
    """Open (and migrate) the data folder: the argument, IBHXH_DATA_DIR, or the default.

    Only what makes data (the demo, the unit's profile, the window's first run) passes
    ``create``; any other use of a folder that does not exist is a mistyped path, said
    as such rather than answered from a new empty folder."""
    path = Path(data_dir) if data_dir else default_data_dir()
    if not create and not (path / DB_FILE).exists():
        raise UserError("data_dir_missing" if not path.exists() else "data_dir_empty",
                        exit_code=2, path=str(path))
    return App(data_dir=path, db=Database(path), lang=lang)
