"""Registering the unit for electronic filing, changing and stopping it: the files
04_DK-IVAN, 05_SD-IVAN and 06_NG-IVAN (Decision 08/2015/QĐ-TTg), made from the unit's
profile and its certificate, checked, signed into Hoso/CKy_Dvi with the same signers as
dossiers, and sent to the gateway (``POST /api/v1/registrations``).

A registration file's life (table ``registrations``)::

    ready ──► sending ──► answered     (the gateway's answer kept: the unit's state)
      ▲          │  (network trouble, an answer that cannot be trusted: back to ready)
      └──────────┘  (the gateway refused it: refused, and nothing else changes)

The file is stored before it is sent, under a stable idempotency key, so a dead network
loses nothing: ``resend`` sends the same bytes again and the gateway answers them once. A
unit without a certificate sends the file unsigned (the trial-password path): the gateway's
answer carries a trial password, which goes to the OS keyring as ``ibhxh login
--password-env`` keeps one, never to the database. Once answered, the gateway settings are
the account's: its address, the unit, how it logs in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import insert, select, update

from ..domain.messages import state_name
from ..domain.model import Employer
from ..domain.validation import FormData
from ..dossier.registration import (
    REGISTRATION_FORMS,
    CertificateFacts,
    RegistrationFacts,
    read_registration,
    registration_form,
    registration_spec,
    registration_xml,
    signature_id,
    signature_place,
)
from ..gateway import errors as E
from ..gateway import protocol as P
from ..gateway.client import GatewayClient, RetryPolicy, Timeouts, normalise_url
from ..gateway.messages import say
from ..signing import SigningError, sign_xml, verify_xml
from ..signing.certs import describe
from ..signing.signer import Signer
from ..storage import repo
from ..storage.schema import registrations
from . import submission
from .app import App, UserError
from .employer import get as get_employer

KINDS = tuple(REGISTRATION_FORMS)  # register, change, stop
READY, SENDING, ANSWERED, REFUSED, DROPPED = "ready", "sending", "answered", "refused", \
    "dropped"
PENDING = (READY, SENDING)
TOKEN_EXIT = 3

# The gateway's refusals, by the exit code the command line gives them.
_EXIT_CODES = {P.ErrorCode.UNIT_MISMATCH: 3, P.ErrorCode.CERTIFICATE_REFUSED: 3,
               P.ErrorCode.LOGIN_FAILED: 2, P.ErrorCode.UNAUTHORIZED: 2,
               P.ErrorCode.TRIAL_DISABLED: 2, P.ErrorCode.REGISTRATION_STOPPED: 2,
               P.ErrorCode.CHALLENGE_EXPIRED: 2}


class RegistrationError(UserError):
    """A registration failure: the gateway's own error when there is one
    (``gateway_error``), a sentence already worded (``texts``: signing), or one of
    ``gateway.messages``; and whether the file is kept to be sent again.

    Codes start with "registration_" (registration_network, registration_not_registered,
    registration_cert_expired …): the failure is the registration's, and the paper
    dossier offered for a failed dossier is not offered for it."""

    def __init__(self, code: str, exit_code: int = 1, *,
                 gateway_error: E.GatewayError | None = None,
                 texts: dict[str, str] | None = None, **params: object) -> None:
        super().__init__(code, exit_code=exit_code, texts=texts, **params)
        self.gateway_error = gateway_error

    @classmethod
    def wrap(cls, exc: UserError | SigningError, exit_code: int) -> RegistrationError:
        """Another failure (a signing one, a refused certificate) as the registration's."""
        return cls(f"registration_{exc.code}", exit_code=exit_code,
                   texts={"vi": exc.message("vi"), "en": exc.message("en")})

    def message(self, lang: str = "vi") -> str:
        error = self.gateway_error
        if error is not None:
            text = error.message(lang)
        elif self.texts:
            text = self.texts.get(lang) or self.texts["vi"]
        else:
            text = say(self.code, lang, **self.params)
        if error is not None and error.details:
            text += " " + "; ".join(f"{d.where}: {d.message}" for d in error.details[:10])
        reg_id = self.params.get("registration")
        if reg_id is not None:
            key = "registration_kept" if self.params.get("kept") else "registration_refused"
            text += " " + say(key, lang, id=reg_id)
        return text


@dataclass(frozen=True)
class Stored:
    """A registration file as stored: where it goes and what it is."""

    id: int
    kind: str
    form: str
    gateway_url: str
    ca_pem: str | None
    ca_path: str
    unit_code: str
    tax_code: str
    idempotency_key: str
    status: str
    signed_by: str
    sha256: str
    content: bytes
    attempts: int
    last_error: str | None
    reference: str | None
    answer: dict[str, Any] | None
    created_at: dt.datetime

    @property
    def signed(self) -> bool:
        return bool(self.signed_by)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _stored(row: Any) -> Stored:
    values = dict(row)
    values["answer"] = json.loads(values["answer"]) if values["answer"] else None
    values.pop("updated_at", None)
    values.pop("unit_id", None)
    return Stored(**values)


def _all(app: App) -> list[Stored]:
    with app.db.reading() as conn:
        rows = conn.execute(select(registrations)
                            .where(registrations.c.unit_id == repo.unit_of(conn))
                            .order_by(registrations.c.id)).mappings()
        return [_stored(r) for r in rows]


def _one(app: App, reg_id: int) -> Stored:
    with app.db.reading() as conn:
        row = conn.execute(select(registrations).where(
            registrations.c.id == reg_id, registrations.c.unit_id == repo.unit_of(conn))
        ).mappings().first()
    if row is None:
        raise RegistrationError("no_pending_registration")
    return _stored(row)


def _set(app: App, reg_id: int, **values: Any) -> None:
    with app.db.transaction() as conn:
        conn.execute(update(registrations).where(
            registrations.c.id == reg_id, registrations.c.unit_id == repo.unit_of(conn))
            .values(updated_at=_now(), **values))


# --------------------------------------------------------------------------- state

def _item(app: App, reg: Stored) -> dict[str, Any]:
    """One registration file for the officer: what, where, how it stands."""
    return {"id": reg.id, "kind": reg.kind, "form": reg.form, "status": reg.status,
            "status_name": state_name(reg.status, app.lang), "gateway": reg.gateway_url,
            "unit_code": reg.unit_code, "signed": reg.signed, "reference": reg.reference,
            "attempts": reg.attempts, "last_error": reg.last_error,
            "last_error_message": say(reg.last_error, app.lang, url=reg.gateway_url)
            if reg.last_error else None,
            "created_at": reg.created_at.isoformat(timespec="seconds")}


def state(app: App) -> dict[str, Any]:
    """The unit's registration as the gateway last answered it (``state``: unregistered,
    registered or stopped; the account: unit code, login, how it logs in), the file
    waiting to be sent (``pending``), the last one refused after it, and every file."""
    rows = _all(app)
    answered = [r for r in rows if r.status == ANSWERED]
    last = answered[-1] if answered else None
    pending = next((r for r in rows if r.status in PENDING), None)
    refused = next((r for r in reversed(rows) if r.status == REFUSED and
                    (last is None or r.id > last.id)), None)
    answer = last.answer if last and last.answer else {}
    current = answer.get("status", "unregistered")
    return {"state": current, "state_name": state_name(current, app.lang),
            "gateway": last.gateway_url if last else None,
            "unit_code": answer.get("unit_code"), "login": answer.get("login"),
            "method": answer.get("method"),
            "method_name": state_name(answer.get("method", ""), app.lang) or None,
            "reference": answer.get("reference"), "since": answer.get("received_at"),
            "kind": last.kind if last else None,
            "pending": _item(app, pending) if pending else None,
            "refused": _item(app, refused) if refused else None,
            "registrations": [_item(app, r) for r in rows]}


# --------------------------------------------------------------------------- the file

def _procedures(app: App) -> str:
    """The procedures the unit files electronically: every one the catalogue knows, by
    the code the exchange sends (MaThuTuc) and its name."""
    seen: dict[str, str] = {}
    for code, proc in app.catalog.procedures.items():
        seen.setdefault(app.catalog.envelope.procedure_code(code), proc.name["vi"])
    return "; ".join(f"{code}: {name}" for code, name in seen.items())


def _facts(app: App, kind: str, day: dt.date, changes: str = "",
           stop_date: dt.date | None = None, stop_reason: str = "") -> RegistrationFacts:
    return RegistrationFacts(kind=kind, made=day, effective=day,
                             procedures=_procedures(app) if kind != "stop" else "",
                             changes=changes, stop_date=stop_date,
                             stop_reason=stop_reason.strip())


def _changes(app: App, data: FormData) -> str:
    """What a change (05_SD-IVAN) changes: the labels of the fields whose values differ
    from the last registration answered (its own values; the dates of this file aside)."""
    last = next((r for r in reversed(_all(app)) if r.status == ANSWERED and
                 r.kind != "stop"), None)
    if last is None:
        return say("registration_changes_all", "vi")
    before = read_registration(app.catalog, last.kind, last.content)
    changed = [f.label_in("vi") for f in data.spec.header.fields
               if f.owner not in ("registration", "") and f.name in before.header
               and before.header.get(f.name) != data.header.get(f.name)]
    return "; ".join(changed)


def prepare(app: App, kind: str, *, certificate: x509.Certificate | None = None,
            stop_date: dt.date | None = None, stop_reason: str = "",
            day: dt.date | None = None) -> tuple[FormData, bytes | None, list]:
    """The registration of ``kind`` (register, change, stop) as its form's values, its
    unsigned bytes and its problems (bytes None when there are any): what is signed and
    sent, and what is printed. ``certificate``: the one it will be signed with (None: a
    unit without one); a stop without ``stop_date`` stops from ``day``."""
    if kind not in KINDS:
        raise ValueError(kind)
    employer = get_employer(app)
    day = day or dt.date.today()
    if kind == "stop" and stop_date is None:
        stop_date = day  # it stops from the day it is filed, unless said otherwise
    cert = CertificateFacts.of(certificate) if certificate is not None else None
    facts = _facts(app, kind, day, stop_date=stop_date, stop_reason=stop_reason)
    data = registration_form(app.catalog, employer, facts, cert)
    if kind == "change":
        facts = _facts(app, kind, day, changes=_changes(app, data))
        data = registration_form(app.catalog, employer, facts, cert)
    content, problems = registration_xml(app.catalog, data)
    return data, content, problems


def _sign(app: App, kind: str, content: bytes, signer: Signer, employer: Employer,
          when: dt.datetime) -> tuple[bytes, str]:
    """The file signed into Hoso/CKy_Dvi and checked, and who signed it."""
    info = describe(signer.certificate)
    if info.tax_code != employer.tax_code:
        raise RegistrationError.wrap(UserError("cert_other_unit", cert=info.tax_code or "-",
                                               unit=employer.tax_code), TOKEN_EXIT)
    spec = registration_spec(app.catalog, kind)
    place = signature_place(spec)
    try:
        signed = sign_xml(content, signer, container=place, signing_time=when,
                          signature_id=signature_id(spec))
    except SigningError as exc:
        raise RegistrationError.wrap(exc, TOKEN_EXIT) from None
    verdict = verify_xml(signed, container=place, now=when)
    if not verdict.valid:  # never send a file we could not verify ourselves
        raise RegistrationError.wrap(UserError("signature_invalid",
                                               detail=verdict.message(app.lang)), TOKEN_EXIT)
    return signed, f"{info.common_name or info.subject} · {info.fingerprint[:16]}"


# --------------------------------------------------------------------------- the gateway

@dataclass(frozen=True)
class _Gateway:
    url: str
    ca_pem: str | None
    ca_path: str


def _gateway(app: App, gateway: str | None, ca_file: Path | str | None) -> _Gateway:
    """Where to send: the address given (with its CA, or the one known for it), else the
    configured gateway, else the one the last registration went to."""
    conf = submission.settings(app)
    last = next(reversed(_all(app)), None)
    if gateway is None:
        if conf is not None:
            gateway = conf.url
        elif last is not None:
            gateway = last.gateway_url
        else:
            raise RegistrationError("registration_no_gateway", exit_code=2)
    try:
        url = normalise_url(gateway)
    except ValueError:
        raise RegistrationError("bad_gateway_url", exit_code=2, url=gateway) from None
    if ca_file:
        return _Gateway(url, submission.read_ca_file(Path(ca_file)), str(ca_file))
    if conf is not None and conf.url == url:
        return _Gateway(url, conf.ca_pem, conf.ca_path)
    if last is not None and last.gateway_url == url:
        return _Gateway(url, last.ca_pem, last.ca_path)
    return _Gateway(url, None, "")


def _check_answer(reg: Stored, answer: P.Registration) -> None:
    """The answer is about this file: its unit, tax code, kind and the state it asks for;
    a trial password only for an unsigned registration. Else nothing of it is kept."""
    status = P.RegistrationStatus.STOPPED if reg.kind == "stop" else \
        P.RegistrationStatus.REGISTERED
    for field, ok in (("MaSoBHXH", answer.unit_code == reg.unit_code),
                      ("MaSoThue", answer.tax_code == reg.tax_code),
                      ("kind", answer.kind == reg.kind), ("status", answer.status == status),
                      ("trial_password", answer.trial_password is None or not reg.signed),
                      ("method", answer.method == "certificate" or not reg.signed)):
        if not ok:
            raise E.GatewayError(E.BAD_ANSWER, E.ANSWER_KIND, detail=field)


def _failed(app: App, reg: Stored, exc: E.GatewayError) -> RegistrationError:
    """Record a failed send: back to ready (the network, an untrusted answer) or refused
    for good; the officer's error."""
    refused = exc.kind == E.REFUSED_KIND
    _set(app, reg.id, status=REFUSED if refused else READY, last_error=str(exc.code)[:40])
    exit_code = _EXIT_CODES.get(exc.code, 1) if refused else 4
    return RegistrationError(f"registration_{exc.code}", exit_code=exit_code,
                             gateway_error=exc, registration=reg.id, kept=not refused)


def _send(app: App, reg_id: int, *, timeouts: Timeouts | None = None,
          retry: RetryPolicy | None = None) -> dict[str, Any]:
    """Send a stored file (again) and keep the answer; the unit's state after it."""
    reg = _one(app, reg_id)
    auth = not reg.signed and reg.kind != "register"
    password = submission.stored_password(reg.gateway_url, reg.unit_code) if auth else None
    _set(app, reg.id, status=SENDING, attempts=reg.attempts + 1)
    request = P.RegistrationRequest(kind=reg.kind, file=P.b64encode(reg.content),
                                    sha256=reg.sha256)
    client = GatewayClient(reg.gateway_url, ca_pem=reg.ca_pem, timeouts=timeouts, retry=retry)
    try:
        if password is not None:
            client.use_password(reg.unit_code, password)
        answer = client.register(request, reg.idempotency_key, auth=auth)
        _check_answer(reg, answer)
    except E.GatewayError as exc:
        raise _failed(app, reg, exc) from None
    finally:
        client.close()
    if answer.trial_password is not None:
        try:  # before anything is recorded: a resend gets the same password again
            submission.keep_password(reg.gateway_url, reg.unit_code, answer.trial_password)
        except UserError:
            _set(app, reg.id, status=READY, last_error="no_keyring")
            raise
    kept = {**answer.to_json(), "trial_password": None,
            "trial_password_issued": answer.trial_password is not None}
    with app.db.transaction() as conn:
        conn.execute(update(registrations).where(registrations.c.id == reg.id).values(
            status=ANSWERED, reference=answer.reference[:40], answer=json.dumps(kept),
            last_error=None, updated_at=_now()))
        repo.log_processing(conn, "registration", reg.form, detail=answer.reference[:100])
    if reg.kind != "stop":
        submission.remember(app, reg.gateway_url, reg.unit_code, answer.method, reg.ca_pem,
                            reg.ca_path)
    out = state(app)
    out["trial_password_issued"] = answer.trial_password is not None
    return out


def _pending(app: App) -> Stored | None:
    return next((r for r in _all(app) if r.status in PENDING), None)


def register(app: App, kind: str, *, gateway: str | None = None,
             ca_file: Path | str | None = None, signer: Signer | None = None,
             stop_date: dt.date | None = None, stop_reason: str = "",
             timeouts: Timeouts | None = None, retry: RetryPolicy | None = None,
             now: dt.datetime | None = None) -> dict[str, Any]:
    """Make the registration file of ``kind`` (register, change, stop), sign it with
    ``signer`` (None: a unit without a certificate, which asks for a trial password),
    store it, send it, and keep the answer. Returns ``state(app)`` with
    ``trial_password_issued``.

    A file of the same kind for the same gateway still waiting is sent again instead of
    a new one; another kind waiting is refused (resend or discard it first). Problems of
    the data raise invalid_data (exit 1) before anything is stored; a refusal by the
    gateway leaves the unit's state as it was; a dead network keeps the file to resend.
    """
    target = _gateway(app, gateway, ca_file)
    pending = _pending(app)
    if pending is not None:
        if pending.kind == kind and pending.gateway_url == target.url:
            return _send(app, pending.id, timeouts=timeouts, retry=retry)
        raise RegistrationError("registration_pending", id=pending.id, form=pending.form,
                                url=pending.gateway_url)
    employer = get_employer(app)
    if signer is None and kind != "register":  # the trial password, asked before any work
        submission.stored_password(target.url, employer.unit_code)
    when = now or dt.datetime.now(dt.UTC)
    data, content, problems = prepare(
        app, kind, certificate=signer.certificate if signer else None, stop_date=stop_date,
        stop_reason=stop_reason, day=when.astimezone(dt.timezone(dt.timedelta(hours=7))).date())
    if kind == "change" and not data.header.get("noi_dung_thay_doi"):
        raise RegistrationError("registration_unchanged")
    if problems or content is None:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    signed_by = ""
    if signer is not None:
        content, signed_by = _sign(app, kind, content, signer, employer, when)
    reg_id = _store(app, kind, target, employer, content, signed_by)
    return _send(app, reg_id, timeouts=timeouts, retry=retry)


def _store(app: App, kind: str, target: _Gateway, employer: Employer, content: bytes,
           signed_by: str) -> int:
    now = _now()
    with app.db.transaction() as conn:
        result = conn.execute(insert(registrations).values(
            unit_id=repo.unit_of(conn), kind=kind, form=REGISTRATION_FORMS[kind],
            gateway_url=target.url,
            ca_pem=target.ca_pem, ca_path=target.ca_path, unit_code=employer.unit_code,
            tax_code=employer.tax_code, idempotency_key=secrets.token_hex(20), status=READY,
            signed_by=signed_by[:300], sha256=hashlib.sha256(content).hexdigest(),
            content=content, attempts=0, created_at=now, updated_at=now))
        return int(result.inserted_primary_key[0])


def resend(app: App, *, timeouts: Timeouts | None = None,
           retry: RetryPolicy | None = None) -> dict[str, Any]:
    """Send the file waiting for an answer again (the same bytes, the same key)."""
    pending = _pending(app)
    if pending is None:
        raise RegistrationError("no_pending_registration")
    return _send(app, pending.id, timeouts=timeouts, retry=retry)


def discard(app: App) -> dict[str, Any]:
    """Drop the file waiting for an answer (a gateway given up on): it is kept, marked
    dropped, and never sent again."""
    pending = _pending(app)
    if pending is None:
        raise RegistrationError("no_pending_registration")
    _set(app, pending.id, status=DROPPED)
    return state(app)


def signed_file(app: App, reg_id: int) -> bytes:
    """A registration file's bytes as sent (signed, or unsigned for a trial unit)."""
    return _one(app, reg_id).content


# --------------------------------------------------------------------------- paper

def print_form(app: App, kind: str, out: Path, *, certificate: x509.Certificate | None = None,
               stop_date: dt.date | None = None, stop_reason: str = "",
               day: dt.date | None = None) -> dict[str, Any]:
    """The paper form (04/ĐK-IVAN, 05/SĐ-IVAN, 06/NG-IVAN) to a PDF: the same values as
    the file, laid out by forms/<CODE>/print.toml; what is missing prints as a dotted line
    to fill in by hand (a unit without software registers on paper)."""
    from ..domain.model import Period
    from ..printing.dossier import DossierInfo, RenderError, write_pdf
    from ..printing.layout import LayoutError
    from .files import atomic_path
    from .printing import PrintError

    employer = get_employer(app)
    data, content, _problems = prepare(app, kind, certificate=certificate,
                                       stop_date=stop_date, stop_reason=stop_reason, day=day)
    made = data.header["ngay_lap"]
    place = app.catalog.codelist("provinces").label(employer.province) \
        if employer.province else ""
    info = DossierInfo(dossier_id=0, unit_code=employer.unit_code, unit_name=employer.name,
                       period=str(Period(made.year, made.month)), procedure="",
                       procedure_name="", day=made,
                       envelope_sha256=hashlib.sha256(content or b"").hexdigest(),
                       reason="", place=place, signer=employer.signer_name,
                       contact=employer.contact_name)
    try:
        with atomic_path(out) as part:
            result = write_pdf(part, [data], info, app.catalog, cover=False)
    except RenderError:
        raise PrintError("pdf_failed", path=str(out)) from None
    except LayoutError as exc:
        raise PrintError("layout_error", detail=str(exc)) from None
    with app.db.transaction() as conn:
        repo.log_processing(conn, "print", data.spec.code, detail=str(result.pages))
    return {"form": data.spec.code, "out": str(out), "pages": result.pages}
