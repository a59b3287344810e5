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
        self._typed_under: Any = None  # the last key the database opened with (_cipher)

    @property
    def folder(self) -> Path:
        unit = self.app.unit
        return self.root if unit in (None, 1) else self.root / f"unit-{unit}"

    def _path(self, name: str) -> Path:
        return self.folder / (re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".sealed")

    def _cipher(self) -> Any:
        """The database's key. On a PC of a shared office that a signer removed while a
        draft was being typed (the database's key locked now), the key it was typed
        under: the draft is still written, sealed, rather than lost with its screen."""
        from ..storage.crypto import FieldCipher

        cipher = self.app.db.cipher
        if isinstance(cipher, FieldCipher):
            self._typed_under = cipher
            return cipher
        return self._typed_under or cipher

    def save(self, name: str, values: dict[str, Any]) -> None:
        data = json.dumps(values, ensure_ascii=False, sort_keys=True).encode("utf-8")
        sealed = self._cipher().seal(data, f"ui.draft.{name}")
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
            cipher = self._cipher()  # first: an editor that starts empty is typed under it
            sealed = path.read_bytes()
            return json.loads(cipher.open(sealed, f"ui.draft.{name}"))
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign draft is dropped, never shown half
            path.unlink(missing_ok=True)
            return None

    def clear(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)
