"""Signing a dossier with a certificate held by a remote signing service (VNPT SmartCA,
CA2, the training service): the director approves each request in an app on the phone.

Two requests per dossier (docs/remote-signing.md §0.3): the form files in one (phase
"forms"), then the envelope BHXHDienTu.xml, which carries the signed forms, in a second
(phase "envelope"). Each request is stored (table ``remote_signatures``) before it is
sent, so a restart polls it again and never sends it twice:

    pending ──► done      (signed: the next phase, or the signed dossier stored)
       │
       └──────► failed    (rejected, expired, refused; ``last_error`` a code)

A request still pending when the wait ends stays pending: the next ``sign_remote`` or
``resume_pending`` polls it. Nothing of the dossier changes until the signed dossier is
verified and stored exactly as ``signing.sign`` stores a token's.

The unit's account (provider, address, user id, certificate serial, the integrator's id)
is in table ``remote_accounts``; the integrator's password in the OS keyring only
(service "ibhxh-client", user "remote:{provider}:{sp_id}@{base_url}").
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..domain.messages import remote_end_reason, say
from ..domain.model import DossierState
from ..gateway.sandbox.remote_signing import load_credentials, provider_base_url, running_url
from ..net.tls import normalise_url
from ..signing import check_for_signing, describe, verify_dossier
from ..signing import errors as E
from ..signing.errors import SigningError
from ..signing.remote import (
    SANDBOX_URL,
    Provider,
    RemoteAccount,
    ServiceClient,
    load_providers,
    open_client,
    same_serial,
)
from ..signing.remote_steps import RemoteStep, advance, begin
from ..storage import repo
from ..storage.keys import SecretStoreError, keep_secret, read_secret
from . import officers
from .app import App, UserError
from .declarations import state_of, validate, validated_envelope
from .employer import get as get_employer
from .files import write_atomic
from .signing import SIGNABLE, TOKEN_EXIT, SignResult, _user
from .submission import read_ca_file

log = logging.getLogger(__name__)

PENDING, DONE, FAILED = "pending", "done", "failed"
PRINTED = "remote_printed"  # last_error of a request abandoned when the dossier was printed
ABANDONED = "remote_abandoned"  # last_error of a request the officer gave up
FORMS, ENVELOPE = "forms", "envelope"
NETWORK_EXIT = 4
CA_FOLDER = Path("remote-signing")

Tick = Callable[[int, str], "bool | None"]


# --------------------------------------------------------------------------- providers

def providers() -> dict[str, Provider]:
    """Every provider of resources/remote_signing/providers.toml, by key."""
    try:
        return load_providers()
    except SigningError as exc:  # the file is damaged: say which provider and key
        raise _user(exc) from None


def provider(key: str) -> Provider:
    """The provider ``key``, refused when unknown or not supported yet (exit 2)."""
    known = providers()
    found = known.get(key)
    if found is None:
        usable = ", ".join(k for k, p in known.items() if p.supported)
        raise UserError("remote_service_unknown", exit_code=2, provider=key, known=usable)
    if not found.supported:
        raise UserError("remote_service_unsupported", exit_code=2, provider=key)
    return found


# --------------------------------------------------------------------------- the account

def keyring_user(provider_key: str, sp_id: str, base_url: str) -> str:
    """The keyring user name of the integrator's password for one account."""
    return f"remote:{provider_key}:{sp_id}@{base_url}"


def _keep_password(name: str, password: str, url: str) -> None:
    try:
        keep_secret(name, password, url)
    except SecretStoreError as exc:
        raise UserError("no_keyring_remote", exit_code=2, detail=exc.detail) from None


def _stored_password(name: str, url: str) -> str | None:
    try:
        return read_secret(name, url)
    except SecretStoreError as exc:
        raise UserError("no_keyring_remote", exit_code=2, detail=exc.detail) from None


def _base_url(app: App, found: Provider, key: str, url: str | None) -> str:
    url = url or found.base_url
    if found.training and SANDBOX_URL in url:
        # The training service's address is the sandbox's, known once it runs: the one
        # `ibhxh sandbox` started for this data folder, when no --url says otherwise.
        running = running_url(app.data_dir / "sandbox")
        url = url.replace(SANDBOX_URL, running.rstrip("/")) if running else ""
    if not url or "{" in url:
        raise UserError("remote_url_needed", exit_code=2, provider=key)
    try:
        return normalise_url(url)
    except ValueError:
        raise UserError("remote_bad_url", exit_code=2, url=url) from None


def set_account(app: App, provider_key: str, *, user_id: str | None = None,
                serial: str | None = None, sp_id: str | None = None,
                sp_password: str | None = None, base_url: str | None = None,
                ca_file: Path | str | None = None) -> dict[str, Any]:
    """Store the unit's account at a remote signing service; what is not given stays as
    stored. The integrator's password goes to the OS keyring, never to the database.

    ``serial`` may stay empty until the account's certificates are listed
    (``remote_certificates``); signing needs it.
    """
    found = provider(provider_key)
    with app.db.reading() as conn:
        before = repo.get_remote_account(conn, provider_key) or {}
    url = _base_url(app, found, provider_key, base_url or before.get("base_url"))
    values = {"user_id": _given(user_id, before.get("user_id")),
              "serial": _given(serial, before.get("serial")) or "",
              "sp_id": _given(sp_id, before.get("sp_id"))}
    missing = [f"--{k.replace('_', '-')}" for k in ("user_id", "sp_id") if not values[k]]
    if missing:
        raise UserError("missing_fields", exit_code=2, fields=", ".join(missing))
    name = keyring_user(provider_key, values["sp_id"], url)
    if sp_password:
        _keep_password(name, sp_password, url)
    elif _stored_password(name, url) is None:
        raise UserError("remote_password_missing", exit_code=2, provider=provider_key)
    if ca_file:
        ca_pem, ca_path = read_ca_file(Path(ca_file)), str(ca_file)
    elif before.get("base_url") == url:
        ca_pem, ca_path = before.get("ca_pem"), before.get("ca_path") or ""
    else:
        ca_pem, ca_path = None, ""
    with app.db.transaction() as conn:
        repo.put_remote_account(conn, {"provider": provider_key, "base_url": url, **values,
                                       "ca_pem": ca_pem, "ca_path": ca_path})
    return show_account(app, provider_key)


def _given(value: str | None, stored: str | None) -> str | None:
    return value.strip() if value is not None else stored


def _account_row(app: App, provider_key: str) -> dict[str, Any]:
    with app.db.reading() as conn:
        row = repo.get_remote_account(conn, provider_key)
    if row is None:
        raise UserError("remote_no_account", exit_code=2, provider=provider_key)
    return row


def _public(row: dict[str, Any]) -> dict[str, Any]:
    name = keyring_user(row["provider"], row["sp_id"], row["base_url"])
    try:
        has_password = _stored_password(name, row["base_url"]) is not None
    except UserError:
        has_password = False
    return {"provider": row["provider"], "base_url": row["base_url"],
            "user_id": row["user_id"], "serial": row["serial"], "sp_id": row["sp_id"],
            "ca_file": row["ca_path"] or None, "password_kept": has_password,
            "updated_at": row["updated_at"]}


def show_account(app: App, provider_key: str) -> dict[str, Any]:
    """One stored account, without its password (``password_kept`` says whether the
    keyring holds it)."""
    return _public(_account_row(app, provider_key))


def show_accounts(app: App) -> list[dict[str, Any]]:
    """Every stored account, without passwords."""
    with app.db.reading() as conn:
        rows = repo.list_remote_accounts(conn)
    return [_public(r) for r in rows]


def use_training_service(app: App, state_dir: Path, provider_key: str = "sandbox"
                         ) -> dict[str, Any]:
    """Set the unit's account at the training service of the sandbox running with
    ``state_dir`` (its address, CA and integration credentials are files there) and
    choose the unit's certificate there: what the first-run demo and training use."""
    state_dir = Path(state_dir)
    running = running_url(state_dir)
    if running is None or not (state_dir / "ca.pem").exists():
        raise UserError("remote_url_needed", exit_code=2, provider=provider_key)
    sp_id, sp_password = load_credentials(state_dir)
    set_account(app, provider_key, user_id=get_employer(app).tax_code, serial="",
                sp_id=sp_id, sp_password=sp_password,
                base_url=provider_base_url(running), ca_file=state_dir / "ca.pem")
    unit = get_employer(app).tax_code
    mine = [c for c in remote_certificates(app, provider_key) if c["tax_code"] == unit]
    if not mine:
        raise UserError("remote_no_serial", exit_code=2, provider=provider_key)
    return set_account(app, provider_key, serial=mine[0]["serial"])


def _ca_file(app: App, row: dict[str, Any]) -> str | None:
    """The account's CA as a file the client can read: kept in the data folder from the
    stored PEM, so a moved or deleted original does not break signing."""
    if not row["ca_pem"]:
        return None
    path = app.data_dir / CA_FOLDER / f"{row['provider']}-ca.pem"
    data = row["ca_pem"].encode("ascii")
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    return str(path)


def get_account(app: App, provider_key: str) -> RemoteAccount:
    """The stored account with its password from the keyring, ready for a client."""
    row = _account_row(app, provider_key)
    password = _stored_password(keyring_user(provider_key, row["sp_id"], row["base_url"]),
                                row["base_url"])
    if password is None:
        raise UserError("remote_password_missing", exit_code=2, provider=provider_key)
    return RemoteAccount(provider=provider_key, base_url=row["base_url"],
                         user_id=row["user_id"], serial=row["serial"], sp_id=row["sp_id"],
                         sp_password=password, ca_file=_ca_file(app, row))


def client_for(app: App, provider_key: str) -> ServiceClient:
    """A client for the unit's account at ``provider_key`` (close it after use)."""
    try:
        return open_client(provider(provider_key), get_account(app, provider_key))
    except SigningError as exc:
        raise _remote_user(exc) from None


def remote_certificates(app: App, provider_key: str) -> list[dict[str, Any]]:
    """The account's certificates at the service, each with its tax code, validity and
    days to expiry; ``chosen`` marks the one the account signs with."""
    client = client_for(app, provider_key)
    now = dt.datetime.now(dt.UTC)
    try:
        found = client.certificates()
    except SigningError as exc:
        raise _remote_user(exc) from None
    finally:
        client.close()
    out = []
    for item in found:
        info = describe(item.certificate)
        out.append({"serial": item.serial, "subject": info.subject,
                    "common_name": info.common_name, "issuer": info.issuer,
                    "tax_code": info.tax_code, "fingerprint": info.fingerprint,
                    "not_before": info.not_before.isoformat(),
                    "not_after": info.not_after.isoformat(),
                    "days_to_expiry": info.days_to_expiry(now),
                    "chosen": same_serial(client.provider, item.serial,
                                          client.account.serial)})
    return out


# --------------------------------------------------------------------------- signing

def _now() -> dt.datetime:
    """Naive UTC, as the database keeps times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _places(app: App) -> dict[str, Any]:
    return {"place_of": app.catalog.signature_place,
            "envelope_place": app.catalog.envelope.signature_path}


def _basis(app: App, decl_id: int) -> str:
    with app.db.reading() as conn:
        return repo.dossier_basis(conn, decl_id)


def _set(app: App, row: dict[str, Any], **values: Any) -> None:
    with app.db.transaction() as conn:
        repo.update_remote_signature(conn, row["id"], **values)
    row.update(values)


# A request that ended keeps no prepared content (personal data, and megabytes for a
# large dossier): only its ids, digests and outcome.
_ENDED = b""


def _fail(app: App, row: dict[str, Any], code: str) -> None:
    _set(app, row, status=FAILED, last_error=code[:40], state=_ENDED)


def _describe_request(app: App, decl_id: int, phase: str, files: int) -> str:
    """What the director reads in the app on the phone."""
    with app.db.reading() as conn:
        procedure = repo.load_declaration(conn, decl_id, lines=False).procedure
    return say(f"remote_desc_{phase}", app.lang, id=decl_id, procedure=procedure, files=files)


def _claim(app: App, decl_id: int, values: dict[str, Any],
           previous: dict[str, Any] | None) -> tuple[dict[str, Any], bool]:
    """Store the request unless another process (the window and the CLI, two `ibhxh
    sign`) got there first: the check and the insert are one transaction holding the
    dossier's row (SQLite: the write lock taken at BEGIN; PostgreSQL: SELECT … FOR
    UPDATE). Returns the request to follow and whether it is ours to send."""
    with app.db.transaction() as conn:
        repo.lock_declaration(conn, decl_id)
        rows = repo.remote_signatures_of(conn, decl_id)
        waiting = [r for r in rows if r["status"] == PENDING]
        if previous is not None:
            if all(r["id"] != previous["id"] for r in waiting):  # advanced or ended
                return next(r for r in rows if r["id"] == previous["id"]), False
            repo.update_remote_signature(conn, previous["id"], status=DONE, last_error=None,
                                         state=_ENDED)
        else:
            theirs = [r for r in waiting if r["provider"] == values["provider"]]
            if theirs:
                return theirs[-1], False
        row_id = repo.add_remote_signature(conn, values)
    return {**values, "id": row_id, "status": PENDING, "last_error": None}, True


def _values(app: App, decl_id: int, found: Provider, client: ServiceClient,
            step: RemoteStep | None, basis: str) -> dict[str, Any]:
    """A request's row; without ``step`` a placeholder that claims the dossier while the
    forms are prepared (filled in before anything is sent)."""
    return {"declaration_id": decl_id, "provider": client.account.provider,
            "phase": step.phase if step else FORMS, "transaction_id": uuid.uuid4().hex,
            "serial": client.account.serial, "basis": basis,
            "state": step.state if step else _ENDED,
            "doc_ids": json.dumps({d: h.hex() for d, h in step.digests} if step else {}),
            "sent_at": None,
            "deadline": _now() + dt.timedelta(seconds=found.expiry_seconds)}


def _send(app: App, decl_id: int, found: Provider, client: ServiceClient, step: RemoteStep,
          basis: str, previous: dict[str, Any]) -> dict[str, Any]:
    """The envelope's request: stored, then sent; ``previous`` (the forms' request,
    signed) is marked done in the same transaction, so no approval is lost in between.
    When another process took the forms' request further first, that is followed."""
    row, ours = _claim(app, decl_id, _values(app, decl_id, found, client, step, basis),
                       previous)
    if not ours:
        log.info("remote signing: dossier %s, %s request %s made elsewhere; following it",
                 decl_id, row["phase"], row["transaction_id"])
        return _await_sent(app, row)
    return _transmit(app, decl_id, found, client, row, step)


def _transmit(app: App, decl_id: int, found: Provider, client: ServiceClient,
              row: dict[str, Any], step: RemoteStep) -> dict[str, Any]:
    """Send a stored request: a crash in between leaves a request that the next call
    polls rather than sends again."""
    description = _describe_request(app, decl_id, step.phase, len(step.digests))
    try:
        started = client.start(row["transaction_id"], description, step.digests)
    except SigningError as exc:
        # Cut off while sending: it may have arrived. It stays, unsent, and the next call
        # asks the service about it (``_check_unsent``) before making another.
        _after_poll_error(app, row, exc)
        raise _remote_user(exc) from None
    sent = _now()
    seconds = started.expires_in if started.expires_in else found.expiry_seconds
    # A service that names the request itself (MySign) is asked about it by its name.
    named = {"transaction_id": started.reference} if started.reference else {}
    _set(app, row, sent_at=sent, deadline=sent + dt.timedelta(seconds=seconds), **named)
    log.info("remote signing: dossier %s, %s request %s sent (%d files)", decl_id,
             step.phase, row["transaction_id"], len(step.digests))
    return row


# How long a request stored by another process may stay unsent before it counts as cut
# off: the other process is between storing it and the service's answer (connect + read).
SENDING_GRACE = 40.0


def _reread(app: App, row: dict[str, Any]) -> dict[str, Any]:
    with app.db.reading() as conn:
        rows = repo.remote_signatures_of(conn, row["declaration_id"])
    return next((r for r in rows if r["id"] == row["id"]), {**row, "status": FAILED})


def _being_sent(row: dict[str, Any]) -> bool:
    """Stored moments ago and not yet answered, without an error: another process is
    sending it (one cut off while sending is older, or carries its error)."""
    created = row.get("created_at")
    return row["sent_at"] is None and row["last_error"] is None and created is not None \
        and (_now() - created).total_seconds() < SENDING_GRACE


def _await_sent(app: App, row: dict[str, Any], grace: float = SENDING_GRACE
                ) -> dict[str, Any]:
    """A request another process stored: wait until it has been sent (or ended), so it
    is polled, never taken for one cut off while sending and never sent twice."""
    stop_at = time.monotonic() + grace
    while row["sent_at"] is None and row["status"] == PENDING \
            and time.monotonic() < stop_at:
        time.sleep(0.1)
        row = _reread(app, row)
    return row


def _begin(app: App, decl_id: int, found: Provider, client: ServiceClient,
           now: dt.datetime) -> tuple[dict[str, Any], list[str]]:
    """Fetch and check the certificate, prepare the forms, send their request."""
    try:
        remote = client.certificate()
        warnings = check_for_signing(remote.certificate, now, remote.chain)
    except SigningError as exc:
        raise _remote_user(exc) from None
    info = describe(remote.certificate)
    unit = get_employer(app).tax_code
    if info.tax_code and info.tax_code != unit:  # as ``signing.sign`` holds a token's
        raise UserError("cert_other_unit", exit_code=TOKEN_EXIT, cert=info.tax_code,
                        unit=unit)
    # The dossier is claimed before it is validated and prepared: validating again
    # changes what the request is checked against, so a second signer must wait here.
    row, ours = _claim(app, decl_id, _values(app, decl_id, found, client, None, ""), None)
    if not ours:
        log.info("remote signing: dossier %s, request %s made elsewhere; following it",
                 decl_id, row["transaction_id"])
        return _await_sent(app, row), [w.message(app.lang) for w in warnings]
    try:
        envelope = validated_envelope(app, decl_id) or validate(app, decl_id).envelope
        step = begin(envelope, remote.certificate, remote.chain, signing_time=now,
                     **_places(app))
        _set(app, row, basis=_basis(app, decl_id), state=step.state,
             doc_ids=json.dumps({d: h.hex() for d, h in step.digests}))
    except BaseException as exc:  # nothing was sent: the claim must not hold others
        _fail(app, row, getattr(exc, "code", "remote_not_sent"))
        if isinstance(exc, SigningError):
            raise _user(exc) from None
        raise
    row = _transmit(app, decl_id, found, client, row, step)
    return row, [w.message(app.lang) for w in warnings]


def _open_request(app: App, decl_id: int, provider_key: str) -> dict[str, Any] | None:
    """The dossier's pending request to follow, if one can still finish: a request to
    another service, or for a dossier edited since, is given up (never finished)."""
    with app.db.reading() as conn:
        rows = repo.remote_signatures_of(conn, decl_id, PENDING)
    basis = _basis(app, decl_id) if rows else ""
    keep = None
    for row in rows:
        if row["provider"] != provider_key:
            _fail(app, row, "remote_other_provider")
        elif row["basis"] != basis and not _being_sent(row):
            _fail(app, row, "remote_dossier_changed")
        else:
            if keep is not None:
                _fail(app, keep, "remote_superseded")
            keep = row
    return keep


def _finish(app: App, decl_id: int, row: dict[str, Any], signed: bytes,
            provider_name: str) -> SignResult:
    """Verify and store the signed dossier exactly as ``signing.sign`` does."""
    places = _places(app)
    verdict = verify_dossier(signed, **places)
    if not verdict.valid:  # never store a dossier we could not verify ourselves
        _fail(app, row, "signature_invalid")
        raise UserError("signature_invalid", exit_code=TOKEN_EXIT,
                        detail="; ".join(verdict.messages(app.lang)))
    info = verdict.envelope.certificate  # a CertInfo
    detail = f"{provider_name} · {info.common_name or info.subject} · {info.fingerprint[:16]}"
    with app.db.transaction() as conn:
        repo.lock_declaration(conn, decl_id)
        mine = [r for r in repo.remote_signatures_of(conn, decl_id, PENDING)
                if r["id"] == row["id"]]
        if not mine:  # another process finished (or ended) it first: nothing stored twice
            changed = None
        elif repo.dossier_basis(conn, decl_id) == row["basis"]:
            repo.put_artifact(conn, decl_id, "signed", signed)
            repo.set_state(conn, decl_id, DossierState.SIGNED, detail=detail)
            repo.update_remote_signature(conn, row["id"], status=DONE, last_error=None,
                                         state=_ENDED)
            changed = False
        else:  # edited while the phone was asked: what was approved is not this dossier
            repo.update_remote_signature(conn, row["id"], status=FAILED,
                                         last_error="remote_dossier_changed", state=_ENDED)
            changed = True
    if changed is None:
        outcome = _settled(app, decl_id, _reread(app, row))
        if isinstance(outcome, SignResult):
            return outcome
        raise _ended_elsewhere(decl_id, outcome)
    if changed:
        raise UserError("remote_dossier_changed", exit_code=TOKEN_EXIT, id=decl_id)
    return _result(decl_id, row["provider"], info, signed)


def _result(decl_id: int, provider_key: str, info: Any, signed: bytes) -> SignResult:
    return SignResult(decl_id, {"subject": info.subject, "fingerprint": info.fingerprint,
                                "tax_code": info.tax_code,
                                "not_after": info.not_after.isoformat(),
                                "provider": provider_key}, [], len(signed))


def _settled(app: App, decl_id: int, row: dict[str, Any]) -> dict[str, Any] | SignResult:
    """A request another process took further (the window and the CLI at once): its
    next request to follow, the dossier it signed, or the row that ended it."""
    with app.db.reading() as conn:
        later = [r for r in repo.remote_signatures_of(conn, decl_id) if r["id"] > row["id"]]
        signed = repo.get_artifact(conn, decl_id, "signed")
    waiting = [r for r in later if r["status"] == PENDING]
    if waiting:
        return _await_sent(app, waiting[-1])
    done = [r for r in [row, *later] if r["status"] == DONE and r["phase"] == ENVELOPE]
    if done and signed is not None and state_of(app, decl_id) == DossierState.SIGNED:
        verdict = verify_dossier(signed, **_places(app))
        if verdict.valid:
            return _result(decl_id, done[-1]["provider"], verdict.envelope.certificate,
                           signed)
    return later[-1] if later else row


def _ended_elsewhere(decl_id: int, row: dict[str, Any]) -> UserError:
    if row.get("last_error") in (PRINTED, ABANDONED):
        key = "remote_abandoned_printed" if row["last_error"] == PRINTED else \
            "remote_abandoned"
        return UserError(key, exit_code=TOKEN_EXIT, id=decl_id,
                         transaction=row["transaction_id"])
    reason = row.get("last_error")
    return UserError("remote_ended_elsewhere", exit_code=TOKEN_EXIT, id=decl_id, texts={
        lang: say("remote_ended_elsewhere", lang, id=decl_id,
                  reason=remote_end_reason(reason, lang)) for lang in ("vi", "en")})


def abandon_for_paper(conn: Any, decl_id: int) -> list[str]:
    """Inside the transaction that records the dossier as printed: every signing request
    still waiting on the phone is ended (``remote_printed``), so an approval that comes
    later is never applied to the printed dossier. The transaction ids ended."""
    ended = []
    for row in repo.remote_signatures_of(conn, decl_id, PENDING):
        repo.update_remote_signature(conn, row["id"], status=FAILED, last_error=PRINTED,
                                     state=_ENDED)
        ended.append(row["transaction_id"])
    if ended:
        log.info("remote signing: dossier %s printed; request(s) %s abandoned", decl_id,
                 ", ".join(ended))
    return ended


def _advance(app: App, decl_id: int, found: Provider, client: ServiceClient,
             row: dict[str, Any], values: Mapping[str, bytes]
             ) -> dict[str, Any] | SignResult:
    """The signature values of a request, put in place: the next request (the envelope),
    or the signed dossier stored. A dossier edited meanwhile goes no further."""
    fresh = _reread(app, row)
    if fresh["status"] != PENDING:  # another process took it further
        return _settled(app, decl_id, fresh)
    if _basis(app, decl_id) != row["basis"]:
        _fail(app, row, "remote_dossier_changed")
        raise UserError("remote_dossier_changed", exit_code=TOKEN_EXIT, id=decl_id)
    try:
        result = advance(row["state"], values)
    except SigningError as exc:
        _fail(app, row, exc.code)
        raise _remote_user(exc) from None
    if isinstance(result, RemoteStep):
        return _send(app, decl_id, found, client, result, row["basis"], previous=row)
    return _finish(app, decl_id, row, result, found.name(app.lang))


def _seconds_left(row: dict[str, Any]) -> int:
    return max(0, int((row["deadline"] - _now()).total_seconds()))


def _follow(app: App, decl_id: int, found: Provider, client: ServiceClient,
            row: dict[str, Any], wait: float, on_tick: Tick | None) -> SignResult:
    """Poll the request until it is signed, refused or expired, or ``wait`` seconds
    passed (then it stays pending)."""
    stop_at = time.monotonic() + max(0.0, wait)
    announced: set[int] = set()
    while True:
        if row["status"] == PENDING and row["id"] not in announced:
            # The officer is told to open the phone before the first answer comes back
            # (on a slow line that can take seconds), once per request.
            announced.add(row["id"])
            if on_tick is not None and on_tick(_seconds_left(row), row["phase"]) is False:
                raise _still_pending(app, decl_id, row)
        if row["status"] != PENDING:  # followed from another process, which ended it
            outcome = _settled(app, decl_id, row)
            if isinstance(outcome, SignResult):
                return outcome
            if outcome["status"] != PENDING:
                raise _ended_elsewhere(decl_id, outcome)
            row = outcome
            continue
        try:
            status = client.status(row["transaction_id"], _doc_ids(row))
        except SigningError as exc:
            _after_poll_error(app, row, exc)
            raise _remote_user(exc) from None
        if status.state == "signed":
            outcome = _advance(app, decl_id, found, client, row, status.values)
            if isinstance(outcome, SignResult):
                return outcome
            row = outcome
            continue
        if status.state == "rejected":
            _fail(app, row, "remote_rejected")
            raise UserError("remote_rejected", exit_code=TOKEN_EXIT, id=decl_id)
        left = _seconds_left(row)
        if status.state == "expired" or left <= 0:
            _fail(app, row, "remote_expired")
            raise UserError("remote_expired", exit_code=TOKEN_EXIT, id=decl_id)
        shown = left if status.expires_in is None else max(0, min(left, status.expires_in))
        if on_tick is not None and on_tick(shown, row["phase"]) is False:
            raise _still_pending(app, decl_id, row)
        remaining = stop_at - time.monotonic()
        if remaining <= 0:
            raise _still_pending(app, decl_id, row)
        time.sleep(max(0.05, min(float(found.poll_interval_seconds), remaining, left)))


def _doc_ids(row: dict[str, Any]) -> list[str]:
    """The files of a request, in the order they were sent."""
    return list(json.loads(row["doc_ids"] or "{}"))


def _still_pending(app: App, decl_id: int, row: dict[str, Any]) -> UserError:
    return UserError("remote_pending", exit_code=TOKEN_EXIT, id=decl_id,
                     phase=say(f"remote_phase_{row['phase']}", app.lang),
                     seconds=_seconds_left(row), transaction=row["transaction_id"])


# The service could not be reached: the request may still be approved, so it stays
# pending and is polled again; any other failure (TLS, a refusal, a hostile answer) ends
# it. Both kinds of network trouble exit with 4.
_TRANSIENT = {E.REMOTE_UNREACHABLE}
_NETWORK = {E.REMOTE_UNREACHABLE, E.REMOTE_TLS}


def _after_poll_error(app: App, row: dict[str, Any], exc: SigningError) -> None:
    if exc.code in _TRANSIENT:
        _set(app, row, last_error=exc.code[:40])
    else:
        _fail(app, row, exc.code)


def _remote_user(exc: SigningError) -> UserError:
    """A remote service's failure as the officer sees it: exit 4 when the service could
    not be reached, else 3 (as a token's)."""
    error = _user(exc)
    if exc.code in _NETWORK:
        error.exit_code = NETWORK_EXIT
    return error


def sign_remote(app: App, decl_id: int, provider_key: str, *, wait: float,
                on_tick: Tick | None = None, now: dt.datetime | None = None) -> SignResult:
    """Sign the dossier at the remote service ``provider_key``, or carry on with the
    request already pending for it (never sent a second time).

    ``on_tick(seconds_left, phase)`` is called after each poll (phase "forms" or
    "envelope"); returning False stops waiting. When ``wait`` seconds pass, or the wait
    is stopped, UserError("remote_pending") is raised and the request stays pending for
    the next call. Rejected, expired or refused: a UserError and the dossier unchanged.
    """
    officers.require(app, officers.SIGNER)
    return _sign(app, decl_id, provider_key, wait=wait, on_tick=on_tick, now=now,
                 start=True)


def _sign(app: App, decl_id: int, provider_key: str, *, wait: float, on_tick: Tick | None,
          now: dt.datetime | None, start: bool) -> SignResult:
    state = state_of(app, decl_id)
    if state not in SIGNABLE:
        raise UserError("not_signable", value=decl_id, state=str(state))
    found = provider(provider_key)
    client = client_for(app, provider_key)
    try:
        if not client.account.serial:
            raise UserError("remote_no_serial", exit_code=2, provider=provider_key)
        warnings: list[str] = []
        row = _open_request(app, decl_id, provider_key)
        if row is not None and _being_sent(row):  # by another process, right now
            row = _await_sent(app, row)
        if row is not None and row["sent_at"] is None and row["status"] == PENDING:
            row = _check_unsent(app, client, row, warnings)
        if row is None:
            if not start:
                raise _nothing_to_follow(app, decl_id)
            row, more = _begin(app, decl_id, found, client, now or dt.datetime.now(dt.UTC))
            warnings += more
        result = _follow(app, decl_id, found, client, row, wait, on_tick)
    finally:
        client.close()
    result.warnings = warnings
    return result


def _nothing_to_follow(app: App, decl_id: int) -> UserError:
    """Why no request of the dossier can be followed: it was edited since (its request
    was given up just now), or there is none."""
    with app.db.reading() as conn:
        rows = repo.remote_signatures_of(conn, decl_id)
    if rows and rows[-1]["last_error"] == "remote_dossier_changed":
        return UserError("remote_dossier_changed", exit_code=TOKEN_EXIT, id=decl_id)
    return UserError("remote_nothing_pending", exit_code=2, id=decl_id)


def _check_unsent(app: App, client: ServiceClient, row: dict[str, Any],
                  warnings: list[str]) -> dict[str, Any] | None:
    """A request stored but never answered (the program stopped, or the connection
    dropped, while sending): the id is ours, so asking its state tells whether it
    arrived. It did: follow it. It did not: the same step is sent again in a new request
    (an envelope's step never sends the forms to the phone a second time).

    A service that names requests itself (MySign) cannot be asked: the request is given
    up as in doubt, the step sent again, and the officer told that the phone may show
    both (an approval of the old one is never used)."""
    if client.provider.assigns_ids:
        warnings.append(say("remote_in_doubt", app.lang, provider=client.provider.name(
            app.lang)))
        log.warning("remote signing: dossier %s, %s request %s in doubt (its answer was "
                    "lost); it is asked again", row["declaration_id"], row["phase"],
                    row["transaction_id"])
        return _send_again(app, client, row, "remote_in_doubt")
    try:
        client.status(row["transaction_id"], _doc_ids(row))
    except SigningError as exc:
        if exc.code in _TRANSIENT:
            raise _remote_user(exc) from None
        return _send_again(app, client, row, "remote_not_sent")
    _set(app, row, sent_at=_now())
    return row


def _send_again(app: App, client: ServiceClient, row: dict[str, Any], why: str
                ) -> dict[str, Any] | None:
    """The step of a request that never reached the phone, in a new request, once the
    old one is ended (``why``); None when there is nothing to send again (a claim ended
    before it was prepared, a dossier edited since, or a request older than the service
    keeps one, whose signing time is old too): a new signing begins."""
    step = RemoteStep(row["phase"], [(d, bytes.fromhex(h)) for d, h in
                                     json.loads(row["doc_ids"] or "{}").items()], row["state"])
    _fail(app, row, why)  # (it forgets the prepared state, kept in ``step``)
    decl_id, found = row["declaration_id"], client.provider
    created = row.get("created_at")
    recent = created is not None and \
        (_now() - created).total_seconds() < found.expiry_seconds  # its signing time too
    if not (recent and step.state and step.digests and row["basis"] == _basis(app, decl_id)):
        return None
    again, ours = _claim(app, decl_id, _values(app, decl_id, found, client, step,
                                               row["basis"]), None)
    if not ours:  # another process began meanwhile: follow its request
        return _await_sent(app, again)
    return _transmit(app, decl_id, found, client, again, step)


def pending(app: App, decl_id: int | None = None) -> list[dict[str, Any]]:
    """The requests still waiting for the phone: dossier, service, phase, transaction,
    seconds left (never the prepared content)."""
    with app.db.reading() as conn:
        rows = repo.remote_signatures_of(conn, decl_id, PENDING)
    return [{"dossier_id": r["declaration_id"], "provider": r["provider"],
             "phase": r["phase"], "transaction_id": r["transaction_id"],
             "sent_at": r["sent_at"], "seconds_left": _seconds_left(r),
             "last_error": r["last_error"]} for r in rows]


def poll(app: App, decl_id: int, provider_key: str) -> dict[str, Any]:
    """Poll the dossier's waiting request once (the window's "Poll now"): its outcome
    ``signed``, ``pending`` or the error code that ended it, with its sentence."""
    entry: dict[str, Any] = {"dossier_id": decl_id, "provider": provider_key}
    try:
        _sign(app, decl_id, provider_key, wait=0, on_tick=None, now=None, start=False)
        entry.update(outcome="signed", message="")
    except UserError as exc:
        entry.update(outcome="pending" if exc.code == "remote_pending" else exc.code,
                     message=exc.message(app.lang))
    return entry


def abandon(app: App, decl_id: int) -> list[str]:
    """Give up the dossier's requests still waiting on the phone: an approval that comes
    later is never applied. The dossier is unchanged (still signable, or printable). The
    transaction ids given up."""
    with app.db.transaction() as conn:
        repo.lock_declaration(conn, decl_id)
        rows = repo.remote_signatures_of(conn, decl_id, PENDING)
        for row in rows:
            repo.update_remote_signature(conn, row["id"], status=FAILED,
                                         last_error=ABANDONED, state=_ENDED)
    if rows:
        log.info("remote signing: dossier %s, request(s) %s given up", decl_id,
                 ", ".join(r["transaction_id"] for r in rows))
    return [r["transaction_id"] for r in rows]


def resume_pending(app: App) -> list[dict[str, Any]]:
    """Poll every pending request of every unit once (at start-up): each dossier's
    outcome is ``signed``, ``pending`` or the error code that ended it, with its
    sentence (and its unit)."""
    out = []
    with app.db.reading() as conn:
        units = repo.list_units(conn)
    for unit in units or [{"id": app.unit, "unit_code": ""}]:
        own = app.for_unit(unit["id"])
        seen: set[int] = set()
        for item in pending(own):
            decl_id = item["dossier_id"]
            if decl_id in seen:
                continue
            seen.add(decl_id)
            out.append({**poll(own, decl_id, item["provider"]), "unit_code": unit["unit_code"]})
    return out
