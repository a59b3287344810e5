"""Sending signed dossiers to the gateway exactly once, and following them to a result.

The dossier's life here: ``signed → sent (receipt, dossier number) → accepted | rejected``.
The outbox (table ``outbox``) holds what waits to be sent or followed, so a restart, a
pulled cable or a dead gateway loses nothing:

    queued ──► sending ──► polling ──► done
       ▲          │  (network trouble, untrusted answer: back to queued, last_error)
       └──────────┘  (the gateway refused the dossier for good: refused)

Each step is stored before and after the call that can fail. A dossier left "sending"
by a crash is sent again with the same idempotency key, and the gateway answers with the
first receipt: never a second filing. Nothing from an answer is written before it was
checked (JSON shape, safe XML, the gateway's signature, that it is for this dossier).

The trial password lives in the OS keyring (service "ibhxh-client", user
"gateway:{url}:{unit}"); the gateway's session token only in the client object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..catalog import Catalog
from ..domain.ids import check_unit_code
from ..domain.model import DossierState
from ..gateway import errors as E
from ..gateway import protocol as P
from ..gateway.client import GatewayClient, RetryPolicy, Timeouts, load_ca_pem, normalise_url
from ..gateway.messages import say
from ..gateway.receipt import read_stored_receipt, verify_receipt
from ..gateway.result import Reason, read_stored_result, verify_result
from ..signing.errors import SigningError
from ..signing.signer import Signer
from ..storage import repo
from ..storage.keys import SecretStoreError, keep_secret, read_secret
from ..storage.schema import (
    claims,
    declaration_lines,
    declarations,
    gateway_settings,
    outbox,
)
from . import officers
from .app import App, UserError

QUEUED, SENDING, POLLING, DONE, REFUSED = "queued", "sending", "polling", "done", "refused"
POLL_EVERY = dt.timedelta(seconds=30)  # when a background worker asks again (sync, GUI)
MAX_BACKOFF = dt.timedelta(hours=1)
# Several machines (or a window and a command) may sync one shared database at once: the
# one that takes a dossier to send records itself in ``claimed_by`` in the same
# transaction that marks it sending, and the others leave it. A claim is taken over only
# when its process is known to be gone (same machine) or after this lease (another
# machine that may have crashed); the idempotency key makes the gateway answer such a
# retry with its first receipt.
CLAIM_LEASE = dt.timedelta(minutes=15)
MAX_REASONS_IN_HISTORY = 20

# Refusals that are about the dossier itself: sending it again unchanged cannot help.
_DOSSIER_REFUSED = {P.ErrorCode.ENVELOPE_INVALID, P.ErrorCode.IDEMPOTENCY_CONFLICT,
                    P.ErrorCode.TOO_LARGE, P.ErrorCode.UNIT_MISMATCH}
_EXIT_CODES = {P.ErrorCode.ENVELOPE_INVALID: 1, P.ErrorCode.IDEMPOTENCY_CONFLICT: 1,
               P.ErrorCode.LOGIN_FAILED: 2, P.ErrorCode.TRIAL_DISABLED: 2,
               P.ErrorCode.UNAUTHORIZED: 2, P.ErrorCode.CHALLENGE_EXPIRED: 2,
               P.ErrorCode.REGISTRATION_STOPPED: 2,
               P.ErrorCode.CERTIFICATE_REFUSED: 3, P.ErrorCode.UNIT_MISMATCH: 3}


class SubmissionError(UserError):
    """A UserError whose sentence comes from ``gateway.messages``.

    ``params`` may hold ``offer_paper=True`` (the window and the command line offer the
    paper dossier), ``queued`` (the dossier stays in the outbox), ``dossier`` (its id)
    and ``details`` (the gateway's list of problems).
    """

    def __init__(self, code: str, exit_code: int = 4, *,
                 cause: E.GatewayError | SigningError | None = None, **params: object) -> None:
        super().__init__(code, exit_code=exit_code, **params)
        self.cause = cause

    def message(self, lang: str = "vi") -> str:
        text = self.cause.message(lang) if self.cause else say(self.code, lang, **self.params)
        details = self.params.get("details") or []
        if details:
            text += " " + "; ".join(f"{d.where}: {d.message}" for d in list(details)[:10])
        dossier = self.params.get("dossier")
        if dossier is not None and self.params.get("queued"):
            text += " " + say("kept_queued", lang, id=dossier)
        elif dossier is not None and self.params.get("offer_paper"):
            text += " " + say("refused_for_good", lang, id=dossier)
        return text


def _from_gateway(exc: E.GatewayError, decl_id: int | None, queued: bool) -> SubmissionError:
    exit_code = _EXIT_CODES.get(exc.code, 4)
    return SubmissionError(exc.code, exit_code=exit_code, cause=exc, dossier=decl_id,
                           queued=queued and decl_id is not None,
                           offer_paper=decl_id is not None, details=exc.details)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class GatewaySettings:
    """The gateway this data folder sends to."""

    url: str
    unit_code: str
    login: str  # "password" | "certificate"
    ca_pem: str | None
    ca_path: str

    @property
    def trusted_cas(self) -> list:
        """The CAs that vouch for the gateway's receipts (those configured with --ca)."""
        return load_ca_pem(self.ca_pem) if self.ca_pem else []


def keyring_user(url: str, unit_code: str) -> str:
    """The keyring user name of a unit's trial password at a gateway."""
    return f"gateway:{url}:{unit_code}"


def settings(app: App) -> GatewaySettings | None:
    """The configured gateway, or None before ``login``."""
    with app.db.reading() as conn:
        row = conn.execute(select(gateway_settings).where(
            gateway_settings.c.unit_id == repo.unit_of(conn))).mappings().first()
    if row is None:
        return None
    return GatewaySettings(url=row["url"], unit_code=row["unit_code"], login=row["login"],
                           ca_pem=row["ca_pem"], ca_path=row["ca_path"])


def _configured(app: App) -> GatewaySettings:
    conf = settings(app)
    if conf is None:
        raise SubmissionError("gateway_not_configured", exit_code=2)
    return conf


def read_ca_file(path: Path) -> str:
    """The PEM text of a CA file given for a gateway, checked to hold certificates."""
    try:
        pem = path.read_text("ascii")
        load_ca_pem(pem)
    except OSError as exc:
        raise SubmissionError("bad_ca_file", exit_code=2, path=str(path),
                              detail=exc.strerror or type(exc).__name__) from None
    except ValueError as exc:
        raise SubmissionError("bad_ca_file", exit_code=2, path=str(path),
                              detail=str(exc)[:100] or "PEM") from None
    return pem


def login(app: App, url: str, unit_code: str, *, password: str | None = None,
          signer: Signer | None = None, ca_file: Path | str | None = None,
          timeouts: Timeouts | None = None) -> dict[str, Any]:
    """Log in to the gateway once to check the credentials, then remember the gateway:
    its address, the unit, how it logs in and its CA in the database; a trial password in
    the OS keyring only. Give ``password`` (trial account) or ``signer`` (certificate)."""
    try:
        url = normalise_url(url)
    except ValueError:
        raise SubmissionError("bad_gateway_url", exit_code=2, url=url) from None
    if check_unit_code(unit_code) is not None:
        raise SubmissionError("bad_unit_code", exit_code=2, unit=unit_code)
    if (password is None) == (signer is None):
        raise ValueError("give a password or a signer")
    ca_pem = read_ca_file(Path(ca_file)) if ca_file else None
    before = settings(app)
    if ca_file is None and before is not None and before.url == url:
        ca_pem, ca_file = before.ca_pem, before.ca_path or None  # the same gateway again
    client = GatewayClient(url, ca_pem=ca_pem, timeouts=timeouts)
    try:
        info = client.info()
        if password is not None:
            client.login_password(unit_code, password)
        else:
            assert signer is not None
            client.login_certificate(unit_code, signer)
    except E.GatewayError as exc:
        raise _from_gateway(exc, None, queued=False) from None
    finally:
        client.close()
    method = "password" if password is not None else "certificate"
    if password is not None:
        keep_password(url, unit_code, password)
    remember(app, url, unit_code, method, ca_pem, str(ca_file or ""))
    return {"gateway": url, "unit_code": unit_code, "login": method,
            "gateway_name": info.gateway, "sandbox": info.sandbox,
            "ca_file": str(ca_file) if ca_file else None}


def keep_password(url: str, unit_code: str, password: str) -> None:
    """Keep a unit's trial password for a gateway in the OS keyring (the local training
    sandbox's may go to the user's key folder on a machine without one)."""
    try:
        keep_secret(keyring_user(url, unit_code), password, url)
    except SecretStoreError as exc:
        raise SubmissionError("no_keyring", exit_code=2, detail=exc.detail) from None


def stored_password(url: str, unit_code: str) -> str:
    """The unit's trial password for a gateway, from where ``keep_password`` put it."""
    try:
        password = read_secret(keyring_user(url, unit_code), url)
    except SecretStoreError as exc:
        raise SubmissionError("no_keyring", exit_code=2, detail=exc.detail) from None
    if password is None:
        raise SubmissionError("gateway_password_missing", exit_code=2, unit=unit_code,
                              url=url)
    return password


def remember(app: App, url: str, unit_code: str, method: str, ca_pem: str | None,
             ca_path: str) -> None:
    """Make ``url`` the gateway this data folder sends to, as ``unit_code`` logging in by
    ``method`` (password | certificate)."""
    values = {"url": url, "unit_code": unit_code, "login": method, "ca_pem": ca_pem,
              "ca_path": ca_path, "updated_at": _now()}
    with app.db.transaction() as conn:
        mine = gateway_settings.c.unit_id == repo.unit_of(conn)
        if conn.execute(select(gateway_settings.c.id).where(mine)).first():
            conn.execute(update(gateway_settings).where(mine).values(**values))
        else:
            conn.execute(insert(gateway_settings).values(unit_id=repo.unit_of(conn),
                                                         **values))


def connect(app: App, *, signer: Signer | None = None, timeouts: Timeouts | None = None,
            retry: RetryPolicy | None = None) -> GatewayClient:
    """A client for the configured gateway that logs in at its first call: with the
    trial password from the keyring, or by certificate with ``signer``."""
    conf = _configured(app)
    client = GatewayClient(conf.url, ca_pem=conf.ca_pem, timeouts=timeouts, retry=retry)
    if conf.login == "certificate":
        if signer is None:
            raise SubmissionError("signer_needed", exit_code=3, unit=conf.unit_code)
        client.use_certificate(conf.unit_code, signer)
        return client
    try:
        password = stored_password(conf.url, conf.unit_code)
    except SubmissionError:
        client.close()
        raise
    client.use_password(conf.unit_code, password)
    return client


# --------------------------------------------------------------------------- outbox

def idempotency_key(app: App, decl_id: int) -> str:
    """The dossier's key at the gateway: stable for this database and dossier, so a
    retry, a second ``submit`` or a resend after a crash all get the first answer."""
    digest = hashlib.sha256(f"ibhxh-client:{app.db.db_id}:{decl_id}".encode()).hexdigest()
    return digest[:40]


def store_signed(app: App, decl_id: int, signed: bytes, detail: str = "") -> None:
    """Keep a signed envelope as the dossier's "signed" file and mark it signed (for the
    signing use case, and for tests that sign directly)."""
    with app.db.transaction() as conn:
        try:
            repo.set_state(conn, decl_id, DossierState.SIGNED, detail=detail)
        except repo.NotFound:
            raise UserError("no_dossier", value=decl_id) from None
        repo.put_artifact(conn, decl_id, "signed", signed)


def _row(conn: Connection, decl_id: int, lock: bool = False) -> dict[str, Any] | None:
    """The dossier's outbox entry (``lock``: held until the transaction ends)."""
    query = select(outbox).where(outbox.c.declaration_id == decl_id)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    return dict(row) if row else None


def _set(conn: Connection, decl_id: int, **values: Any) -> None:
    conn.execute(update(outbox).where(outbox.c.declaration_id == decl_id)
                 .values(updated_at=_now(), **values))


def _state(conn: Connection, decl_id: int) -> str:
    row = conn.execute(select(declarations.c.state).where(
        declarations.c.id == decl_id, declarations.c.unit_id == repo.unit_of(conn))).first()
    if row is None:
        raise UserError("no_dossier", value=decl_id)
    return row[0]


def _enqueue(app: App, conf: GatewaySettings, decl_id: int) -> dict[str, Any]:
    """Put a signed dossier in the outbox (or find it there)."""
    with app.db.transaction() as conn:
        state = _state(conn, decl_id)
        row = _row(conn, decl_id)
        if row is not None and row["status"] in (POLLING, DONE, SENDING, QUEUED):
            return row
        if state == DossierState.PRINTED:
            # Printed on paper after it was signed: the signed dossier still goes out.
            state = repo.state_before(conn, decl_id, DossierState.PRINTED)
        if state != DossierState.SIGNED or repo.artifact_sha256(conn, decl_id, "signed") is None:
            raise SubmissionError("not_signed", exit_code=1, id=decl_id, state=state)
        now = _now()
        values = {"gateway_url": conf.url, "unit_code": conf.unit_code, "status": QUEUED,
                  "attempts": 0, "next_try_at": now, "last_error": None}
        if row is None:
            conn.execute(insert(outbox).values(
                declaration_id=decl_id, idempotency_key=idempotency_key(app, decl_id),
                created_at=now, updated_at=now, **values))
        else:  # refused before, asked again (after a correction and a new signature)
            _set(conn, decl_id, **values)
        return _row(conn, decl_id) or {}


def _backoff(attempts: int, retry_after: float | None) -> dt.timedelta:
    wait = dt.timedelta(seconds=min(MAX_BACKOFF.total_seconds(), 30 * 2 ** max(0, attempts - 1)))
    if retry_after:
        wait = max(wait, dt.timedelta(seconds=retry_after))
    return wait


def _failed(app: App, decl_id: int, exc: Exception) -> SubmissionError | None:
    """Record a failed step (the dossier back in the queue, or refused for good) and
    return the error for the officer (None: not a gateway error, re-raise it)."""
    with app.db.transaction() as conn:
        row = _row(conn, decl_id) or {}
        status = row.get("status")
        back = POLLING if status == POLLING else QUEUED
        if isinstance(exc, E.GatewayError):
            refused = exc.kind == E.REFUSED_KIND and exc.code in _DOSSIER_REFUSED \
                and back == QUEUED
            _set(conn, decl_id, status=REFUSED if refused else back, last_error=exc.code[:40],
                 next_try_at=None if refused else _now() + _backoff(
                     row.get("attempts") or 1, exc.retry_after))
            return _from_gateway(exc, decl_id, queued=not refused)
        code = getattr(exc, "code", None) or type(exc).__name__
        _set(conn, decl_id, status=back, last_error=str(code)[:40], next_try_at=_now())
    if isinstance(exc, SigningError):  # the token, at a certificate login
        return SubmissionError(exc.code, exit_code=3, cause=exc, dossier=decl_id,
                               queued=True, offer_paper=True)
    return None


def _verify_time(stamp: str) -> dt.datetime:
    """The time to verify a document the gateway just signed: our clock, or the
    gateway's own (when it says it is ahead, by up to a day) plus a minute. An office
    PC whose clock runs late must not refuse a receipt as "signed in the future"; the
    gateway certificate is still checked at the signing time."""
    now = dt.datetime.now(dt.UTC)
    try:
        theirs = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return now
    if theirs.tzinfo is None or not now < theirs < now + dt.timedelta(days=1):
        return now
    return theirs + dt.timedelta(minutes=1)


def _workers(conn: Connection, decl_id: int) -> int:
    """The rows the dossier holds about people: its lines, or its claims (a claim list)."""
    return sum(conn.execute(select(func.count()).select_from(t)
                            .where(t.c.declaration_id == decl_id)).scalar_one()
               for t in (declaration_lines, claims))


def sender_id() -> str:
    """Who takes a dossier to send: "user@machine/process/thread" (a window's background
    sync and its Send button are two threads of one process)."""
    import getpass
    import os
    import socket
    import threading

    try:
        user = getpass.getuser()
    except Exception:  # no user name on some service accounts
        user = "?"
    return f"{user}@{socket.gethostname()}/{os.getpid()}/{threading.get_ident()}"[-100:]


def _alive(pid: int) -> bool:
    """Whether a process of this machine still runs."""
    import os
    import sys

    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # query limited
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, as another user's
        return True
    return True


def _free_to_take(row: dict[str, Any], me: str) -> bool:
    """A sending claim this process may take over: its own, none, a process of this
    machine that is gone, or one older than the lease."""
    holder = row.get("claimed_by")
    if row["status"] == QUEUED or not holder or holder == me:
        return True
    expired = row.get("claimed_at") is None or row["claimed_at"] < _now() - CLAIM_LEASE
    host, _, rest = holder.partition("/")
    pid = rest.partition("/")[0]
    my_host, _, my_rest = me.partition("/")
    if host != my_host or not pid.isdigit():
        return expired  # another machine: only it knows, unless it went silent
    if pid == my_rest.partition("/")[0]:
        return expired  # another thread of this process is sending it now
    return not _alive(int(pid)) or expired


def _send(app: App, client: GatewayClient, conf: GatewaySettings, decl_id: int) -> None:
    """Hand the signed envelope in and keep the verified receipt (unless another machine
    is sending it right now: then it is left to that one)."""
    me = sender_id()
    with app.db.transaction() as conn:
        row = _row(conn, decl_id, lock=True)
        signed = repo.get_artifact(conn, decl_id, "signed")
        if row is None or signed is None:
            raise SubmissionError("not_queued", exit_code=1, id=decl_id)
        if row["status"] not in (QUEUED, SENDING) or not _free_to_take(row, me):
            return  # sent already, or being sent by another machine
        sha256 = hashlib.sha256(signed).hexdigest()
        _set(conn, decl_id, status=SENDING, attempts=row["attempts"] + 1,
             envelope_sha256=sha256, gateway_url=conf.url, unit_code=conf.unit_code,
             claimed_by=me, claimed_at=_now())
    try:
        answer = client.submit(signed, row["idempotency_key"], sha256)
        try:
            receipt = P.b64decode(answer.receipt, "receipt")
        except P.ProtocolError as exc:
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=str(exc)) from None
        verify_receipt(receipt, trusted_cas=conf.trusted_cas, reference=row["idempotency_key"],
                       envelope_sha256=sha256, unit_code=conf.unit_code,
                       number=answer.dossier_number, now=_verify_time(answer.received_at))
    except (E.GatewayError, SigningError, OSError) as exc:
        error = _failed(app, decl_id, exc)
        if error is None:
            raise
        raise error from None
    number = answer.dossier_number
    with app.db.transaction() as conn:
        if (_row(conn, decl_id) or {}).get("status") != SENDING:
            return  # another window or command recorded the same (replayed) receipt
        repo.put_artifact(conn, decl_id, "receipt", receipt)
        repo.set_state(conn, decl_id, DossierState.SENT, detail=say("sent_detail", "vi",
                                                                     number=number))
        _set(conn, decl_id, status=POLLING, dossier_number=number, last_error=None,
             next_try_at=_now() + POLL_EVERY)
        repo.log_processing(conn, "submit", f"dossier {decl_id}",
                            workers=_workers(conn, decl_id), detail=number)


def _named(catalog: Catalog, reasons: tuple[Reason, ...]) -> list[Reason]:
    """The gateway's reasons with each form under the name an officer knows (D02-LT for
    the exchange's D02-TS), as the catalogue maps them."""
    return [replace(r, form=catalog.form_name(r.form)) for r in reasons]


def _history_detail(catalog: Catalog, number: str, status: P.DossierStatus,
                    reasons: tuple[Reason, ...]) -> str:
    if status == P.DossierStatus.ACCEPTED:
        return say("accepted_detail", "vi", number=number)
    shown = [r.message("vi") for r in _named(catalog, reasons[:MAX_REASONS_IN_HISTORY])]
    if len(reasons) > MAX_REASONS_IN_HISTORY:
        shown.append(f"… (+{len(reasons) - MAX_REASONS_IN_HISTORY})")
    return say("rejected_detail", "vi", number=number, reasons="; ".join(shown))


def _poll(app: App, client: GatewayClient, conf: GatewaySettings, decl_id: int) -> None:
    """Ask where a sent dossier stands; keep the verified result when there is one."""
    with app.db.reading() as conn:
        row = _row(conn, decl_id)
    if row is None or not row["dossier_number"]:
        raise SubmissionError("not_queued", exit_code=1, id=decl_id)
    number = row["dossier_number"]
    try:
        state = client.state(number)
        if not P.DossierStatus(state.status).final:
            with app.db.transaction() as conn:
                _set(conn, decl_id, last_error=None, next_try_at=_now() + POLL_EVERY)
            return
        answer = client.result(number)
        try:
            data = P.b64decode(answer.result, "result")
        except P.ProtocolError as exc:
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=str(exc)) from None
        result = verify_result(data, trusted_cas=conf.trusted_cas, number=number,
                               unit_code=row["unit_code"], now=_verify_time(state.updated_at))
    except (E.GatewayError, SigningError, OSError) as exc:
        error = _failed(app, decl_id, exc)
        if error is None:
            raise
        raise error from None
    new_state = DossierState.ACCEPTED if result.status == P.DossierStatus.ACCEPTED \
        else DossierState.REJECTED
    with app.db.transaction() as conn:
        if (_row(conn, decl_id) or {}).get("status") != POLLING:
            return  # recorded meanwhile by another window or command
        repo.put_artifact(conn, decl_id, "result", data)
        if repo.declaration_has_claims(conn, decl_id):  # a claim list: each claim's answer
            from .claims import record_results_in

            record_results_in(conn, decl_id, data)
        repo.set_state(conn, decl_id, new_state,
                       detail=_history_detail(app.catalog, number, result.status,
                                              result.reasons))
        _set(conn, decl_id, status=DONE, last_error=None, next_try_at=None)


def _step(app: App, client: GatewayClient, conf: GatewaySettings, decl_id: int) -> None:
    """Whatever the dossier needs next: send it, or ask for its result."""
    with app.db.reading() as conn:
        row = _row(conn, decl_id)
    if row is None:
        raise SubmissionError("not_queued", exit_code=1, id=decl_id)
    if row["status"] in (QUEUED, SENDING):
        if row["status"] == SENDING and row["gateway_url"] != conf.url:
            # It may be at the old gateway already: only that gateway can say.
            raise SubmissionError("gateway_changed", exit_code=2, id=decl_id,
                                  url=row["gateway_url"])
        _send(app, client, conf, decl_id)
    elif row["status"] == POLLING:
        if row["gateway_url"] != conf.url:
            raise SubmissionError("gateway_changed", exit_code=2, id=decl_id,
                                  url=row["gateway_url"])
        _poll(app, client, conf, decl_id)


# --------------------------------------------------------------------------- use cases

def enqueue(app: App, decl_id: int) -> dict[str, Any]:
    """Put a signed dossier in the outbox without sending it now: the next ``sync`` (of
    any machine on a shared database) sends it."""
    officers.require(app, officers.SIGNER)
    return _enqueue(app, _configured(app), decl_id)


def submit(app: App, decl_id: int, *, signer: Signer | None = None,
           client: GatewayClient | None = None) -> dict[str, Any]:
    """Send a signed dossier now (queuing it first) and keep its verified receipt.

    A dossier already sent is not sent again: its tracking comes back as it is. On a
    network or gateway failure the dossier stays queued and a SubmissionError with exit
    code 4 and ``offer_paper`` says so. Returns ``tracking(app, decl_id)``.
    """
    officers.require(app, officers.SIGNER)
    conf = _configured(app)
    row = _enqueue(app, conf, decl_id)
    if row["status"] in (POLLING, DONE):
        return tracking(app, decl_id) or {}
    own = client is None
    client = client or connect(app, signer=signer)
    try:
        _send(app, client, conf, decl_id)
    finally:
        if own:
            client.close()
    return tracking(app, decl_id) or {}


def refresh(app: App, decl_id: int, *, signer: Signer | None = None,
            client: GatewayClient | None = None) -> dict[str, Any]:
    """Send it if it waits to be sent, else ask the gateway where it stands; returns
    ``tracking(app, decl_id)``."""
    conf = _configured(app)
    own = client is None
    client = client or connect(app, signer=signer)
    try:
        _step(app, client, conf, decl_id)
    finally:
        if own:
            client.close()
    return tracking(app, decl_id) or {}


def pending(app: App, due_only: bool = False) -> list[int]:
    """Dossiers waiting to be sent or followed (``due_only``: those whose next try has
    come, for a background worker), oldest first."""
    query = select(outbox.c.declaration_id).where(outbox.c.status.in_((QUEUED, SENDING,
                                                                       POLLING)))
    if due_only:
        query = query.where((outbox.c.next_try_at.is_(None)) | (outbox.c.next_try_at <= _now()))
    with app.db.reading() as conn:
        query = query.where(repo.of_unit(conn, outbox.c.declaration_id))
        return [r[0] for r in conn.execute(query.order_by(outbox.c.created_at,
                                                          outbox.c.declaration_id))]


def sync(app: App, *, signer: Signer | None = None, client: GatewayClient | None = None,
         wait: float = 0.0, interval: float = 2.0, due_only: bool = False) -> dict[str, Any]:
    """Send what is queued and refresh the state of what was sent.

    With ``wait`` > 0, keeps asking every ``interval`` seconds until every dossier is
    accepted, rejected or failed, or ``wait`` seconds have passed. A failure stops only
    that dossier. Returns every dossier's tracking (a failed one with ``error``), counts
    by outcome, and ``exit_code``: 0, or the first failure's (4 for the network).
    """
    # Any active officer: the queue holds only what a signer signed and queued, and the
    # window of every officer polls results in the background.
    officers.current(app)
    ids = pending(app, due_only)
    conf = _configured(app) if ids else None
    deadline = time.monotonic() + wait
    failed: dict[int, SubmissionError] = {}
    if ids and conf is not None:
        own = client is None
        client = client or connect(app, signer=signer)
        try:
            while True:
                for decl_id in ids:
                    if decl_id in failed:
                        continue
                    try:
                        _step(app, client, conf, decl_id)
                    except SubmissionError as exc:
                        failed[decl_id] = exc
                waiting = [i for i in pending(app) if i in ids and i not in failed]
                if not waiting or time.monotonic() + interval > deadline:
                    break
                time.sleep(interval)
        finally:
            if own:
                client.close()
    out: list[dict[str, Any]] = []
    counts = {"accepted": 0, "rejected": 0, "waiting": 0, "failed": 0}
    for decl_id in ids:
        item = tracking(app, decl_id) or {"dossier_id": decl_id}
        if decl_id in failed:
            exc = failed[decl_id]
            item["error"] = {"code": exc.code, "message": exc.message(app.lang),
                             "exit_code": exc.exit_code}
            counts["failed"] += 1
        elif item.get("state") in ("accepted", "rejected"):
            counts[item["state"]] += 1
        else:
            counts["waiting"] += 1
        out.append(item)
    exit_code = next((failed[i].exit_code for i in ids if i in failed), 0)
    return {"dossiers": out, **counts, "exit_code": exit_code}


def queue(app: App, unit: int | None = None) -> dict[int, dict[str, Any]]:
    """Every dossier of the unit (``unit``: of that one) that went to the outbox, by id:
    its outbox status, dossier number and last error code (for the dossier list)."""
    with app.db.reading(unit=unit) as conn:
        rows = conn.execute(select(outbox.c.declaration_id, outbox.c.status,
                                   outbox.c.dossier_number, outbox.c.last_error)
                            .where(repo.of_unit(conn, outbox.c.declaration_id))).all()
    return {r[0]: {"outbox": r[1], "dossier_number": r[2], "last_error": r[3]} for r in rows}


def tracking(app: App, decl_id: int) -> dict[str, Any] | None:
    """Where a dossier stands with the gateway, from the local database only: the
    outbox status, the dossier number and receipt, the result with its reasons (each in
    ``app.lang`` and both languages); None when it was never queued."""
    with app.db.reading() as conn:
        row = _row(conn, decl_id)
        if row is None:
            return None
        state = _state(conn, decl_id)
        receipt = repo.get_artifact(conn, decl_id, "receipt")
        result = repo.get_artifact(conn, decl_id, "result")
    item: dict[str, Any] = {
        "dossier_id": decl_id, "state": state, "outbox": row["status"],
        "gateway": row["gateway_url"], "unit_code": row["unit_code"],
        "dossier_number": row["dossier_number"], "attempts": row["attempts"],
        "last_error": row["last_error"],
        "last_error_message": say(row["last_error"], app.lang, url=row["gateway_url"],
                                  id=decl_id) if row["last_error"] else None,
        "next_try_at": row["next_try_at"].isoformat(timespec="seconds")
        if row["next_try_at"] else None}
    if receipt:
        data = read_stored_receipt(receipt)
        item["receipt"] = {"number": data.number, "received_at": data.received_at,
                           "agency": data.agency,
                           "forms": [app.catalog.form_name(f.code) for f in data.forms],
                           "chain_checked": data.chain_checked}
    if result:
        res = read_stored_result(result)
        item["result"] = {"status": str(res.status), "processed_at": res.processed_at}
        item["reasons"] = [{**r.to_dict(), "message": r.message(app.lang)}
                           for r in _named(app.catalog, res.reasons)]
    return item
