"""Unfinished input kept between keystrokes and across a crash: what the officer typed
into a form that cannot be stored yet (a worker not yet added, a company profile that
does not pass its checks). Sealed with the database's own key, like every personal
value, and written whole or not at all."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

FOLDER = "drafts"


class Drafts:
    """Drafts of one data folder, by name ("worker-new", "worker-12", "employer" …), each
    unit's apart: a draft typed for one unit never shows in another's screens.

    The first unit (id 1, the single unit of a data folder before several were possible)
    keeps the folder's own drafts; another unit has a folder of its own inside."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.root = Path(app.data_dir) / FOLDER

    @property
    def folder(self) -> Path:
        unit = self.app.unit
        return self.root if unit in (None, 1) else self.root / f"unit-{unit}"

    def _path(self, name: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".sealed")

    def save(self, name: str, values: dict[str, Any]) -> None:
        data = json.dumps(values, ensure_ascii=False, sort_keys=True).encode("utf-8")
        sealed = self.app.db.cipher.seal(data, f"ui.draft.{name}")
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(name)
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as fh:
            fh.write(sealed)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)

    def load(self, name: str) -> dict[str, Any] | None:
        path = self._path(name)
        try:
            sealed = path.read_bytes()
            return json.loads(self.app.db.cipher.open(sealed, f"ui.draft.{name}"))
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign draft is dropped, never shown half
            path.unlink(missing_ok=True)
            return None

    def clear(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
