"""Officers of a shared database: who works on it, with which role, and their copies of
the data key (storage.officer_keys).

Roles: a preparer prepares and validates dossiers; a signer approves and signs them,
sends them, and manages the officers (and may prepare too). On a single PC (no officer
yet) nothing is checked.

Office mode starts with ``init`` on a PC that opens the data: its officer is the first
signer, and the plain copy of the data key in that PC's key store is deleted, so the key
lives only wrapped for each officer and removing an officer (which rotates the key) is the
one thing that shuts a PC out. The recovery file (``ibhxh key export-recovery``) still
holds the current key for a disaster.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..domain.messages import ROLE_NAMES, say, word
from ..domain.model import DossierState
from ..storage import officer_keys as ok
from ..storage import repo
from ..storage.crypto import CryptoError, FieldCipher
from ..storage.db import read_meta
from ..storage.schema import officers
from .app import App, UserError, _read_local, _write_local

PREPARER, SIGNER = "preparer", "signer"
ROLES = (PREPARER, SIGNER)


@dataclass
class Officer:
    login: str
    name: str
    roles: tuple[str, ...]
    status: str
    fingerprint: str
    added_by: str
    created_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"login": self.login, "name": self.name, "roles": list(self.roles),
                "status": self.status, "fingerprint": self.fingerprint,
                "added_by": self.added_by,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "updated_at": self.updated_at.isoformat(timespec="seconds")}


def _officer(row: dict[str, Any]) -> Officer:
    roles = tuple(r for r in row["roles"].split(",") if r)
    return Officer(row["login"], row["name"], roles, row["status"],
                   ok.fingerprint(row["public_key"]), row["added_by"], row["created_at"],
                   row["updated_at"])


def _user_error(exc: CryptoError) -> UserError:
    return UserError(exc.code, **exc.params)


def _login(login: str) -> str:
    try:
        return ok.check_login(login)
    except CryptoError as exc:
        raise UserError(exc.code, exit_code=2, **exc.params) from None


def _roles(given: list[str]) -> tuple[str, ...]:
    for role in given:
        if role not in ROLES:
            raise UserError("officer_role_bad", exit_code=2, role=role, known=", ".join(ROLES))
    return tuple(r for r in ROLES if r in given)


def role_names(roles: tuple[str, ...] | list[str], lang: str = "vi",
               either: bool = False) -> str:
    """The roles as an officer reads them (``either``: one of them)."""
    joiner = {"vi": " hoặc ", "en": " or "}.get(lang, " hoặc ") if either else ", "
    return joiner.join(word(ROLE_NAMES, r, lang) for r in roles)


# -- who works here ---------------------------------------------------------------------------

def listing(app: App) -> list[Officer]:
    """Every officer who asked to join, works, or was removed, by login."""
    with app.db.reading() as conn:
        rows = conn.execute(select(officers).order_by(officers.c.login)).mappings().all()
    return [_officer(dict(r)) for r in rows]


def shared(app: App) -> bool:
    """Whether the database is shared by officers (office mode)."""
    with app.db.reading() as conn:
        return ok.office_mode(conn)


def current(app: App) -> Officer | None:
    """The active officer of this PC; None on a single PC (no officers). In office mode
    without an active officer here: UserError saying why (not let in yet, removed …)."""
    with app.db.reading() as conn:
        if not ok.office_mode(conn):
            return None
        row = ok.officer_row(conn, app.db.officer) if app.db.officer else None
    if row is not None and row["status"] == ok.ACTIVE:
        return _officer(row)
    cipher = app.db.cipher
    if isinstance(cipher, ok.LockedCipher):
        raise _user_error(cipher.error)
    raise UserError("officer_removed", login=app.db.officer or "")


def require(app: App, *roles: str) -> Officer | None:
    """This PC's officer, when they have one of ``roles``; UserError ``role_needed``
    (naming the role and the officer) when not. On a single PC: None, nothing checked."""
    officer = current(app)
    if officer is None or any(r in officer.roles for r in roles):
        return officer
    texts = {lang: say("role_needed", lang, role=role_names(roles, lang, either=True),
                     login=officer.login)
             for lang in ("vi", "en")}
    raise UserError("role_needed", texts=texts, role=roles[0], login=officer.login)


def require_preparer(app: App) -> Officer | None:
    """Preparing and validating: a preparer or a signer."""
    return require(app, PREPARER, SIGNER)


def to_sign(app: App) -> list[dict[str, Any]]:
    """The unit's validated dossiers waiting for a signer, oldest first, each with who
    prepared it (``prepared_by``: who validated it, from its history) and when."""
    out = []
    with app.db.reading() as conn:
        for item in reversed(repo.list_declarations(conn)):
            if item["state"] != DossierState.VALIDATED:
                continue
            steps = repo.get_history(conn, item["id"])
            validated = [h for h in steps if h["to_state"] == DossierState.VALIDATED]
            last = validated[-1] if validated else (steps[-1] if steps else None)
            out.append({"id": item["id"], "procedure": item["procedure"],
                        "period": item["period"], "lines": item["lines"],
                        "prepared_by": last["user"] if last else "",
                        "prepared_at": last["at"].isoformat(timespec="seconds")
                        if last else None})
    return out


# -- joining and leaving ----------------------------------------------------------------------

def _remember(app: App, login: str) -> None:
    local = _read_local(app.data_dir)
    chosen = local.get("officer")
    if not isinstance(chosen, dict):
        chosen = local["officer"] = {}
    chosen[app.db.db_id] = login
    _write_local(app.data_dir, local)


def _new_row(conn: Connection, login: str, name: str, public_key: str, status: str,
             roles: tuple[str, ...] = (), added_by: str = "",
             replace: bool = False) -> dict[str, Any]:
    now = ok.now()
    values = {"login": login, "name": name, "roles": ",".join(roles), "status": status,
              "public_key": public_key, "wrapped_key": None, "key_check": None,
              "added_by": added_by, "created_at": now, "updated_at": now}
    existing = ok.officer_row(conn, login)
    if existing is None:
        conn.execute(insert(officers).values(**values))
    elif existing["status"] == ok.REMOVED or replace:  # asking again after being removed
        conn.execute(update(officers).where(officers.c.id == existing["id"]).values(**values))
    else:
        raise UserError("officer_exists", login=login)
    return ok.officer_row(conn, login) or {}


def init(app: App, login: str, name: str) -> Officer:
    """Share this database: this PC's officer ``login`` is the first one, a preparer and
    a signer, with the data key wrapped for them; the key store's plain copy goes.

    On a database already shared, only with the current key back in this PC's key store
    (``ibhxh key restore`` from the recovery file, when no signer can open the data any
    more): ``login`` becomes a signer again with a new key pair; the others stay."""
    login = _login(login)
    db = app.db
    with db.reading() as conn:
        shared_now = ok.office_mode(conn)
        check = read_meta(conn)["key_check"]
    key = db.keystore.get(db.db_id)
    if key is None or FieldCipher(key).check_value != check:
        raise UserError("officers_exist" if shared_now else "key_missing", path=db.where)
    private, public = ok.new_pair()
    ok.keep_private(db.keystore, db.db_id, login, private)
    _remember(app, login)
    with db.transaction() as conn:
        row = _new_row(conn, login, name, public, ok.ACTIVE, ROLES, added_by=login,
                       replace=shared_now)
        ok.wrap_for(conn, row, key, db.db_id, check)
        repo.log_processing(conn, "officer_init", login)
    db.officer = login
    db.keystore.delete(db.db_id)  # from now on only the officers' wrapped copies
    db.keystore.delete(db.db_id, "pending")
    return _find(app, login)


def request(app: App, login: str, name: str) -> Officer:
    """Ask to join a shared database from this PC: a key pair made here (its private half
    in this PC's key store), the public half in a ``requested`` row for a signer to let
    in. Needs no personal data, so it works on a PC that cannot open it yet."""
    login = _login(login)
    db = app.db
    with db.reading() as conn:
        if not ok.office_mode(conn):
            raise UserError("officers_not_shared")
        existing = ok.officer_row(conn, login)
    if existing is not None and existing["status"] != ok.REMOVED:
        # before a new key pair: the private key kept here must stay the one asked with
        raise UserError("officer_exists", login=login)
    private, public = ok.new_pair()
    ok.keep_private(db.keystore, db.db_id, login, private)
    _remember(app, login)
    with db.transaction() as conn:
        _new_row(conn, login, name, public, ok.REQUESTED)
        repo.log_processing(conn, "officer_request", login)
    return _find(app, login)


def add(app: App, login: str, roles: list[str], fingerprint: str | None = None) -> Officer:
    """Let an officer in (a signer's act): the data key wrapped for the public key they
    asked with, and their roles; for an active officer, only their roles change.
    ``fingerprint``: the one the officer read on their own PC; refused when it differs."""
    me = require(app, SIGNER)
    chosen = _roles(roles)
    if not chosen:
        raise UserError("officer_role_bad", exit_code=2, role="", known=", ".join(ROLES))
    db = app.db
    with db.transaction() as conn:
        row = _row_of(conn, login)
        if row["status"] == ok.REMOVED:
            raise UserError("officer_was_removed", login=login)
        have = ok.fingerprint(row["public_key"])
        if fingerprint and fingerprint.replace("-", "").upper() != have.replace("-", ""):
            raise UserError("officer_fingerprint_differs", login=login, have=have,
                            given=fingerprint)
        values = {"roles": ",".join(chosen), "status": ok.ACTIVE,
                  "added_by": me.login if me else ""}
        if SIGNER not in chosen:
            _keep_a_signer(conn, row)
        if row["status"] == ok.REQUESTED:
            key = _my_key(app, conn)
            ok.wrap_for(conn, row, key, db.db_id, db.cipher.check_value, **values)
        else:
            conn.execute(update(officers).where(officers.c.id == row["id"])
                         .values(updated_at=ok.now(), **values))
        repo.log_processing(conn, "officer_add", login, detail=",".join(chosen))
    return _find(app, login)


def remove(app: App, login: str) -> Officer:
    """Remove an officer (a signer's act; never the last active signer): their copy of
    the key is deleted and the data key rotated in the same transaction, re-wrapped for
    every remaining active officer, so their PC opens nothing written from now on."""
    require(app, SIGNER)

    def change(conn: Connection) -> None:
        row = _row_of(conn, login)
        _keep_a_signer(conn, row)
        conn.execute(update(officers).where(officers.c.id == row["id"])
                     .values(status=ok.REMOVED, wrapped_key=None, key_check=None,
                             updated_at=ok.now()))
        repo.log_processing(conn, "officer_remove", login)

    with app.db.reading() as conn:
        status = _row_of(conn, login)["status"]
    if status == ok.ACTIVE:
        app.db.rotate_key(change)
    else:  # a request never let in, or removed already: no copy of the key to revoke
        with app.db.transaction() as conn:
            change(conn)
    return _find(app, login)


def rotate(app: App) -> None:
    """A new data key (a signer's act in a shared database): every sealed value re-sealed
    and every officer's copy re-made in one transaction."""
    from . import datakey

    datakey.rotate(app)  # checks the role


def _keep_a_signer(conn: Connection, row: dict[str, Any]) -> None:
    """Refuse to take the signer role from the last active signer (by removal or by a
    change of roles): nobody could let officers in or sign any more."""
    if row["status"] != ok.ACTIVE or SIGNER not in row["roles"].split(","):
        return
    signers = conn.execute(select(func.count()).select_from(officers).where(
        officers.c.status == ok.ACTIVE, officers.c.roles.contains(SIGNER))).scalar()
    if signers <= 1:
        raise UserError("officer_last_signer", login=row["login"])


def _row_of(conn: Connection, login: str) -> dict[str, Any]:
    row = ok.officer_row(conn, login)
    if row is None:
        raise UserError("officer_not_found", login=login)
    return row


def _find(app: App, login: str) -> Officer:
    with app.db.reading() as conn:
        return _officer(_row_of(conn, login))


def _my_key(app: App, conn: Connection) -> bytes:
    """The data key from this PC's officer's own copy (a signer letting someone in)."""
    try:
        return ok.open_data_key(conn, app.db.keystore, app.db.db_id, app.db.officer,
                                app.db.cipher.check_value)
    except CryptoError as exc:
        raise _user_error(exc) from None
