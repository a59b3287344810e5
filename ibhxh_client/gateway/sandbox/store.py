"""The sandbox's state: one SQLite file in its state folder, kept across restarts.

Units (unit code ↔ tax code, learnt at the first login, dossier or registration), their
registrations for electronic filing (the accounts, and every registration file with its
first answer), dossiers (with the idempotency key, the envelope's hash, the receipt, and
later the result), the counters that number dossiers per year and agency, and what
processing learnt: which workers were increased in which period, which unit each BHXH
number is active in, and the benefit claims it approved (kind, dates, days per BHXH
number: what a later claim is checked against).

Sessions and login challenges live in memory: a restarted gateway asks units to log in
again, as a real one may.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    unit_code TEXT PRIMARY KEY,
    tax_code TEXT,
    first_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
    year INTEGER NOT NULL,
    agency TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (year, agency)
);
CREATE TABLE IF NOT EXISTS dossiers (
    number TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    envelope_sha256 TEXT NOT NULL,
    period TEXT NOT NULL,
    received_at TEXT NOT NULL,
    process_at REAL NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    answer TEXT NOT NULL,
    rows TEXT NOT NULL,
    envelope BLOB NOT NULL,
    result BLOB,
    UNIQUE (unit_code, idempotency_key)
);
CREATE INDEX IF NOT EXISTS ix_dossiers_due ON dossiers (status, process_at);
CREATE TABLE IF NOT EXISTS increases (
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    worker TEXT NOT NULL,
    number TEXT NOT NULL,
    PRIMARY KEY (unit_code, period, worker)
);
CREATE TABLE IF NOT EXISTS participation (
    bhxh_number TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    number TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    bhxh_number TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    days INTEGER NOT NULL,
    number TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_claims_bhxh ON claims (bhxh_number);
CREATE TABLE IF NOT EXISTS accounts (
    unit_code TEXT PRIMARY KEY,
    tax_code TEXT NOT NULL,
    status TEXT NOT NULL,
    method TEXT NOT NULL,
    password_key TEXT,
    reference TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS registrations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,
    received_at TEXT NOT NULL,
    issued_password INTEGER NOT NULL,
    answer TEXT NOT NULL,
    file BLOB NOT NULL,
    UNIQUE (unit_code, idempotency_key)
);
"""


@dataclass(frozen=True)
class StoredDossier:
    """A dossier row as the gateway needs it back."""

    number: str
    unit_code: str
    idempotency_key: str
    envelope_sha256: str
    period: str
    status: str
    updated_at: str
    answer: dict[str, Any]  # the first answer, replayed for the same idempotency key
    rows: list[dict[str, Any]]
    result: bytes | None


@dataclass(frozen=True)
class Account:
    """A unit's registration for electronic filing: registered or stopped, how it logs
    in, and (a unit without a certificate) the registration its trial password comes
    from. The password itself is never stored: it is derived again when needed."""

    unit_code: str
    tax_code: str
    status: str  # registered | stopped
    method: str  # certificate | password
    password_key: str | None
    reference: str
    registered_at: str
    updated_at: str


@dataclass(frozen=True)
class StoredRegistration:
    """A registration file received, and the first answer to it (without a password)."""

    reference: str
    unit_code: str
    idempotency_key: str
    file_sha256: str
    issued_password: bool
    answer: dict[str, Any]


class Store:
    """Thread-safe access to the state file: one connection, one lock, short transactions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def create(self, schema: str) -> None:
        """Create the tables of another part of the sandbox (``CREATE … IF NOT EXISTS``)."""
        with self._lock:
            self._conn.executescript(schema)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change; the lock makes check-then-insert sequences safe."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- units ---------------------------------------------------------------------

    def unit_tax_code(self, conn: sqlite3.Connection, unit_code: str) -> tuple[bool, str | None]:
        """Whether the unit is known, and its tax code when known."""
        row = conn.execute("SELECT tax_code FROM units WHERE unit_code = ?",
                           (unit_code,)).fetchone()
        return (row is not None, row[0] if row else None)

    def register_unit(self, conn: sqlite3.Connection, unit_code: str, tax_code: str | None,
                      now: str) -> None:
        conn.execute("INSERT INTO units (unit_code, tax_code, first_seen) VALUES (?, ?, ?) "
                     "ON CONFLICT (unit_code) DO UPDATE SET tax_code = "
                     "COALESCE(units.tax_code, excluded.tax_code)", (unit_code, tax_code, now))

    # -- dossiers ------------------------------------------------------------------

    def next_number(self, conn: sqlite3.Connection, year: int, agency: str) -> tuple[int, str]:
        row = conn.execute("SELECT last FROM counters WHERE year = ? AND agency = ?",
                           (year, agency)).fetchone()
        seq = (row[0] if row else 0) + 1
        conn.execute("INSERT INTO counters (year, agency, last) VALUES (?, ?, ?) "
                     "ON CONFLICT (year, agency) DO UPDATE SET last = excluded.last",
                     (year, agency, seq))
        return seq, f"{seq:05d}/{year}/{agency}"

    def add_dossier(self, conn: sqlite3.Connection, *, number: str, seq: int, unit_code: str,
                    idempotency_key: str, envelope_sha256: str, period: str, received_at: str,
                    process_at: float, answer: dict[str, Any], rows: list[dict[str, Any]],
                    envelope: bytes) -> None:
        conn.execute(
            "INSERT INTO dossiers (number, seq, unit_code, idempotency_key, envelope_sha256, "
            "period, received_at, process_at, status, updated_at, answer, rows, envelope) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?)",
            (number, seq, unit_code, idempotency_key, envelope_sha256, period, received_at,
             process_at, received_at, json.dumps(answer), json.dumps(rows), envelope))

    _COLUMNS = ("number, unit_code, idempotency_key, envelope_sha256, period, status, "
                "updated_at, answer, rows, result")

    @staticmethod
    def _dossier(row: tuple) -> StoredDossier:
        return StoredDossier(number=row[0], unit_code=row[1], idempotency_key=row[2],
                             envelope_sha256=row[3], period=row[4], status=row[5],
                             updated_at=row[6], answer=json.loads(row[7]),
                             rows=json.loads(row[8]), result=row[9])

    def by_key(self, conn: sqlite3.Connection, unit_code: str,
               idempotency_key: str) -> StoredDossier | None:
        row = conn.execute(f"SELECT {self._COLUMNS} FROM dossiers WHERE unit_code = ? AND "
                           "idempotency_key = ?", (unit_code, idempotency_key)).fetchone()
        return self._dossier(row) if row else None

    def by_number(self, number: str) -> StoredDossier | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {self._COLUMNS} FROM dossiers WHERE number = ?",
                                     (number,)).fetchone()
        return self._dossier(row) if row else None

    def due(self, now: float) -> list[StoredDossier]:
        """Received dossiers whose processing time has come, in the order received."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {self._COLUMNS} FROM dossiers WHERE status = 'received' AND "
                "process_at <= ? ORDER BY seq, received_at", (now,)).fetchall()
        return [self._dossier(r) for r in rows]

    def finish(self, conn: sqlite3.Connection, number: str, status: str, result: bytes,
               now: str) -> None:
        conn.execute("UPDATE dossiers SET status = ?, result = ?, updated_at = ? "
                     "WHERE number = ? AND status = 'received'", (status, result, now, number))

    def count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]

    # -- what processing learnt ----------------------------------------------------

    def increased_by(self, conn: sqlite3.Connection, unit_code: str, period: str,
                     worker: str) -> str | None:
        row = conn.execute("SELECT number FROM increases WHERE unit_code = ? AND period = ? "
                           "AND worker = ?", (unit_code, period, worker)).fetchone()
        return row[0] if row else None

    def record_increase(self, conn: sqlite3.Connection, unit_code: str, period: str,
                        worker: str, number: str) -> None:
        conn.execute("INSERT OR IGNORE INTO increases (unit_code, period, worker, number) "
                     "VALUES (?, ?, ?, ?)", (unit_code, period, worker, number))

    def active_unit(self, conn: sqlite3.Connection, bhxh_number: str) -> str | None:
        row = conn.execute("SELECT unit_code FROM participation WHERE bhxh_number = ?",
                           (bhxh_number,)).fetchone()
        return row[0] if row else None

    def set_active(self, conn: sqlite3.Connection, bhxh_number: str, unit_code: str,
                   number: str) -> None:
        conn.execute("INSERT INTO participation (bhxh_number, unit_code, number) "
                     "VALUES (?, ?, ?) ON CONFLICT (bhxh_number) DO UPDATE SET "
                     "unit_code = excluded.unit_code, number = excluded.number",
                     (bhxh_number, unit_code, number))

    def end_active(self, conn: sqlite3.Connection, bhxh_number: str, unit_code: str) -> None:
        conn.execute("DELETE FROM participation WHERE bhxh_number = ? AND unit_code = ?",
                     (bhxh_number, unit_code))

    def approved_claims(self, conn: sqlite3.Connection, bhxh_number: str
                        ) -> list[tuple[str, str, str, int]]:
        """The claims approved for a BHXH number: (kind, from, to as ISO dates, days)."""
        return [tuple(r) for r in conn.execute(
            "SELECT kind, from_date, to_date, days FROM claims WHERE bhxh_number = ? "
            "ORDER BY from_date", (bhxh_number,))]

    def record_claim(self, conn: sqlite3.Connection, bhxh_number: str, kind: str,
                     from_date: str, to_date: str, days: int, number: str) -> None:
        conn.execute("INSERT INTO claims (bhxh_number, kind, from_date, to_date, days, number) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (bhxh_number, kind, from_date, to_date, days, number))

    # -- registrations for electronic filing ----------------------------------------

    def account(self, conn: sqlite3.Connection, unit_code: str) -> Account | None:
        row = conn.execute("SELECT unit_code, tax_code, status, method, password_key, "
                           "reference, registered_at, updated_at FROM accounts WHERE "
                           "unit_code = ?", (unit_code,)).fetchone()
        return Account(*row) if row else None

    def save_account(self, conn: sqlite3.Connection, account: Account) -> None:
        conn.execute("INSERT INTO accounts (unit_code, tax_code, status, method, password_key, "
                     "reference, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                     "ON CONFLICT (unit_code) DO UPDATE SET tax_code = excluded.tax_code, "
                     "status = excluded.status, method = excluded.method, password_key = "
                     "excluded.password_key, reference = excluded.reference, registered_at = "
                     "excluded.registered_at, updated_at = excluded.updated_at",
                     (account.unit_code, account.tax_code, account.status, account.method,
                      account.password_key, account.reference, account.registered_at,
                      account.updated_at))

    def registration_by_key(self, conn: sqlite3.Connection, unit_code: str,
                            idempotency_key: str) -> StoredRegistration | None:
        row = conn.execute("SELECT reference, unit_code, idempotency_key, file_sha256, "
                           "issued_password, answer FROM registrations WHERE unit_code = ? "
                           "AND idempotency_key = ?", (unit_code, idempotency_key)).fetchone()
        if row is None:
            return None
        return StoredRegistration(row[0], row[1], row[2], row[3], bool(row[4]),
                                  json.loads(row[5]))

    def next_registration(self, conn: sqlite3.Connection) -> int:
        """The number the next registration file received gets."""
        row = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM registrations").fetchone()
        return int(row[0])

    def add_registration(self, conn: sqlite3.Connection, *, seq: int, reference: str,
                         unit_code: str, idempotency_key: str, file_sha256: str, kind: str,
                         received_at: str, issued_password: bool, answer: dict[str, Any],
                         file: bytes) -> None:
        conn.execute("INSERT INTO registrations (seq, reference, unit_code, idempotency_key, "
                     "file_sha256, kind, received_at, issued_password, answer, file) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (seq, reference, unit_code, idempotency_key, file_sha256, kind,
                      received_at, int(issued_password), json.dumps(answer), file))

    def count_registrations(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]
