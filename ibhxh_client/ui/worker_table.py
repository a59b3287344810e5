"""The worker list for 100,000 workers: a read path that opens only what is shown.

``load_index`` reads the plain columns (name, name key, gender, position, status) and
the sealed ones as raw bytes in one query; nothing is decrypted there. The model decrypts
a sealed cell only when the view asks for it (``data`` of a visible row), through the
database's own cipher, and keeps a small cache. Search folds the query the way the
database folded the names (``domain.text.fold``); an exact ID number matches through
the keyed hash, as ``repo.search_workers`` does. The order is Vietnamese name order
(``domain.text.name_sort_key``), computed once at load.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import LargeBinary, or_, select, type_coerce

from ..domain.messages import state_name
from ..domain.model import PartialDate
from ..domain.text import fold, name_sort_key, vnd
from ..storage.repo import unit_of
from ..storage.schema import workers as W
from .i18n import lang, translate

ROOT = QModelIndex()
SEALED = ("bhxh_number", "cccd", "birth_date", "salary")
HASHES = (("bhxh_hash", "bhxh"), ("cccd_hash", "cccd"), ("cmnd_hash", "cmnd"))


def _flat_sort_key(full_name: str) -> str:
    # name_sort_key's nested tuples joined by a separator below every letter: the same
    # order, compared several times faster by sort() on 100,000 names.
    given, rest = name_sort_key(full_name)
    return "\x00".join((*given, *rest))


@dataclass
class WorkerIndex:
    """Every worker's plain columns and sealed bytes, in Vietnamese name order."""

    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # folded names
    genders: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sealed: dict[str, list[bytes]] = field(default_factory=dict)
    _pos: dict[int, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, worker_id: int) -> int | None:
        """The row number of a worker id (built once, when first needed)."""
        if self._pos is None:
            self._pos = {wid: i for i, wid in enumerate(self.ids)}
        return self._pos.get(worker_id)


def load_index(db: Any) -> WorkerIndex:
    """Read the worker list for the table; nothing sealed is opened here."""
    cols = [W.c.id, W.c.full_name, W.c.name_key, W.c.gender, W.c.position, W.c.status,
            *(type_coerce(W.c[name], LargeBinary).label(name) for name in SEALED)]
    with db.reading() as conn:
        rows = conn.execute(select(*cols).where(W.c.unit_id == unit_of(conn))).all()
    sort_keys = [_flat_sort_key(r[1]) for r in rows]
    order = sorted(range(len(rows)), key=sort_keys.__getitem__)
    idx = WorkerIndex()
    if rows:
        (idx.ids, idx.names, idx.keys, idx.genders, idx.positions, idx.statuses,
         *columns) = (list(c) for c in zip(*(rows[i] for i in order), strict=True))
        idx.sealed = dict(zip(SEALED, columns, strict=True))
    return idx


def ids_by_number(db: Any, text: str) -> set[int]:
    """Workers whose BHXH number, CCCD or CMND is exactly ``text`` (keyed hashes)."""
    cipher = db.cipher
    cond = or_(*[W.c[col] == cipher.index(kind, text) for col, kind in HASHES])
    with db.reading() as conn:
        return {r[0] for r in conn.execute(select(W.c.id).where(cond,
                                                                 W.c.unit_id == unit_of(conn)))}


def matching(idx: WorkerIndex, text: str, db: Any = None,
             within: list[int] | None = None) -> list[int]:
    """Row numbers (in name order) whose name contains ``text`` with diacritics ignored,
    or whose BHXH number, CCCD or CMND is exactly ``text``. ``within`` narrows a previous
    result (the query grew by a keystroke)."""
    text = text.strip()
    if not text:
        return list(range(len(idx)))
    q = fold(text)
    keys = idx.keys
    rows = range(len(keys)) if within is None else within
    found = [i for i in rows if q in keys[i]]
    if text.isdigit() and len(text) >= 9 and db is not None:
        extra = {idx.position(wid) for wid in ids_by_number(db, text)}
        extra.discard(None)
        if extra:
            found = sorted(set(found) | extra)  # type: ignore[arg-type]
    return found


class WorkerTableModel(QAbstractTableModel):
    """The worker list shown in the table: filtered rows of a ``WorkerIndex``."""

    COLUMNS = ("full_name", "bhxh_number", "cccd", "birth_date", "gender", "position",
               "salary", "status")
    CHARS = (24, 13, 14, 11, 9, 20, 12, 14)  # each column's values, in average characters
    CACHE = 4000

    @classmethod
    def widths(cls, fm: Any) -> list[int]:
        """Each column's width for its values in the font ``fm`` (a QFontMetrics)."""
        return [fm.averageCharWidth() * chars + 12 for chars in cls.CHARS]

    def __init__(self, db: Any = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cipher = db.cipher if db is not None else None
        self.idx = WorkerIndex()
        self.rows: list[int] = []
        self.query = ""
        self._cache: OrderedDict[tuple[int, str], str] = OrderedDict()
        self._headers = self._make_headers()

    @staticmethod
    def _make_headers() -> list[str]:
        return [translate("WorkerTableModel", "Full name"),
                translate("WorkerTableModel", "Social insurance no."),
                translate("WorkerTableModel", "Citizen ID"),
                translate("WorkerTableModel", "Date of birth"),
                translate("WorkerTableModel", "Gender"), translate("WorkerTableModel", "Position"),
                translate("WorkerTableModel", "Salary (VND)"),
                translate("WorkerTableModel", "Status")]

    # -- loading and filtering -----------------------------------------------------------

    def set_index(self, idx: WorkerIndex) -> None:
        self.beginResetModel()
        self.idx = idx
        self._cache.clear()
        self.rows = matching(idx, self.query, self.db)
        self.endResetModel()

    def set_query(self, text: str) -> None:
        """Filter as the officer types: a longer query narrows the current rows."""
        old = self.query
        grows = bool(old.strip()) and fold(text).startswith(fold(old)) \
            and not text.strip().isdigit()
        self.beginResetModel()
        self.rows = matching(self.idx, text, self.db, self.rows if grows else None)
        self.query = text
        self.endResetModel()

    def worker_id(self, row: int) -> int:
        return self.idx.ids[self.rows[row]]

    def row_of(self, worker_id: int) -> int | None:
        i = self.idx.position(worker_id)
        if i is None:
            return None
        try:
            return self.rows.index(i)
        except ValueError:
            return None

    # -- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._headers[section]
        return None

    def _sealed(self, i: int, name: str) -> str:
        key = (i, name)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        raw = self.idx.sealed[name][i]
        try:
            plain = self.cipher.open(raw, f"workers.{name}").decode("utf-8") \
                if raw is not None else ""
        except Exception:  # a damaged value shows as such, the list still opens
            plain = "⚠"
        if name == "salary":
            plain = vnd(int(plain)) if plain.isdigit() else plain
        elif name == "birth_date" and plain and plain != "⚠":
            plain = str(PartialDate(*(int(x) for x in plain.split("-"))))
        self._cache[key] = plain
        if len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)
        return plain

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        i = self.rows[index.row()]
        name = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "full_name":
                return self.idx.names[i]
            if name == "gender":
                return gender_text(self.idx.genders[i])
            if name == "position":
                return self.idx.positions[i]
            if name == "status":
                return status_text(self.idx.statuses[i])
            return self._sealed(i, name)
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "salary":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.idx.ids[i]
        return None


def gender_text(code: str) -> str:
    return {"M": translate("WorkerTableModel", "Male"),
            "F": translate("WorkerTableModel", "Female")}.get(code, code)


def status_text(code: str) -> str:
    return state_name(str(code), lang())
