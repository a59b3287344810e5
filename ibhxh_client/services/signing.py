"""Signing a dossier with the company's token or certificate file, and checking signed
files. Nothing is written until the signature is made and checked: a failure anywhere
leaves the dossier where it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509

from ..domain.model import DossierState
from ..signing import (
    Pkcs12Signer,
    Preflight,
    Signer,
    SigningError,
    find_modules,
    list_tokens,
    open_signer,
    pin_state,
    preflight,
    sign_dossier,
    verify_dossier,
    verify_xml,
)
from ..signing.certs import describe
from ..storage import repo
from . import officers
from .app import App, UserError
from .declarations import state_of, validate, validated_envelope
from .employer import get as get_employer
from .files import read_bytes, write_atomic

TOKEN_EXIT = 3
SIGNABLE = {DossierState.DRAFT, DossierState.VALIDATED, DossierState.SIGNED,
            DossierState.PRINTED}
DEMO_P12 = Path("demo") / "demo-signer.p12"
DEMO_P12_PASSWORD = b"demo-1234"  # demo certificate only: no real authority trusts it


@dataclass
class SignResult:
    dossier_id: int
    certificate: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    bytes: int = 0


def token_report(module_setting: str | None = None, lang: str = "vi") -> list[dict[str, Any]]:
    """Every module found, its tokens, their PIN state (``pin``: OK, COUNT_LOW, FINAL_TRY
    or LOCKED; ``pin_text``: what the token's flags say, in ``lang``) and certificates,
    days to expiry."""
    now = dt.datetime.now(dt.UTC)
    out = []
    for path in find_modules(module_setting):
        entry: dict[str, Any] = {"module": path, "tokens": []}
        try:
            for t in list_tokens(path):
                entry["tokens"].append({
                    "slot": t.slot_id, "label": t.label, "serial": t.serial,
                    "manufacturer": t.manufacturer, "model": t.model,
                    "pin": t.pin_status.name,
                    "pin_text": pin_state(t.pin_status, lang),
                    "certificates": [{
                        "subject": c.subject, "issuer": c.issuer, "serial": c.serial,
                        "tax_code": c.tax_code, "fingerprint": c.fingerprint,
                        "not_before": c.not_before.isoformat(),
                        "not_after": c.not_after.isoformat(),
                        "days_to_expiry": c.days_to_expiry(now)} for c in t.certificates]})
        except SigningError as exc:
            entry["error"] = exc.message(lang)
        out.append(entry)
    if not out:
        raise UserError("no_module", exit_code=TOKEN_EXIT)
    return out


def demo_signer_path(app: App) -> Path:
    """The demo certificate of the chosen unit (the first unit keeps the file name it had
    when a data folder held one unit)."""
    if app.unit in (None, 1):
        return app.data_dir / DEMO_P12
    return app.data_dir / DEMO_P12.with_stem(f"{DEMO_P12.stem}-{app.unit}")


def ensure_demo_certificate(app: App) -> Path:
    """The demo company's PKCS#12 certificate (made once, in the data folder)."""
    from ..signing import make_demo_pkcs12

    path = demo_signer_path(app)
    if not path.exists():
        e = get_employer(app)
        make_demo_pkcs12(path, DEMO_P12_PASSWORD, e.tax_code, e.name)
    return path


def file_signer(path: Path, password: bytes) -> Signer:
    try:
        return Pkcs12Signer.from_file(path, password)
    except SigningError as exc:
        raise _user(exc) from None


def token_preflight(app: App, module: str | None, *, token_serial: str | None = None,
                    token_label: str | None = None, cert_fingerprint: str | None = None
                    ) -> tuple[str, Preflight]:
    """Choose the token and certificate for the unit and read the PIN state, sending no
    PIN: a locked PIN or an expired certificate is reported here."""
    modules = find_modules(module)
    if not modules:
        raise UserError("no_module", exit_code=TOKEN_EXIT)
    tax_code = None if cert_fingerprint else get_employer(app).tax_code
    try:
        return modules[0], preflight(modules[0], token_serial=token_serial,
                                     token_label=token_label, cert_fingerprint=cert_fingerprint,
                                     tax_code=tax_code)
    except SigningError as exc:
        raise _user(exc) from None


def token_signer(module: str, pin: Callable[[Preflight], str | None], *,
                 token_serial: str | None = None, token_label: str | None = None,
                 cert_fingerprint: str | None = None, tax_code: str | None = None) -> Signer:
    """Log in through ``pin`` (asked after the flags were read; None means cancelled)."""
    try:
        return open_signer(module, pin=pin, token_serial=token_serial, token_label=token_label,
                           cert_fingerprint=cert_fingerprint,
                           tax_code=None if cert_fingerprint else tax_code)
    except SigningError as exc:
        raise _user(exc) from None


def sign(app: App, decl_id: int, signer: Signer,
         now: dt.datetime | None = None) -> SignResult:
    """Validate, sign both levels, check our own signature, then store the signed dossier
    and move it to `signed`, in one transaction."""
    officers.require(app, officers.SIGNER)
    state = state_of(app, decl_id)
    if state not in SIGNABLE:
        raise UserError("not_signable", value=decl_id, state=str(state))
    employer = get_employer(app)
    info = describe(signer.certificate)
    if info.tax_code and info.tax_code != employer.tax_code:
        raise UserError("cert_other_unit", exit_code=TOKEN_EXIT, cert=info.tax_code,
                        unit=employer.tax_code)
    # A dossier validated with nothing changed since is signed as it was checked, not
    # built again (a large list took as long to rebuild as to check).
    envelope = validated_envelope(app, decl_id) or validate(app, decl_id).envelope
    # One signature per form file and one for the envelope, all with this one signer (one
    # token session, one PIN), however many workers the dossier has.
    places = {"place_of": app.catalog.signature_place,
              "envelope_place": app.catalog.envelope.signature_path}
    try:
        signed = sign_dossier(envelope, signer,
                              signing_time=now or dt.datetime.now(dt.UTC), **places)
    except SigningError as exc:
        raise _user(exc) from None
    verdict = verify_dossier(signed, **places)
    if not verdict.valid:  # never store a dossier we could not verify ourselves
        raise UserError("signature_invalid", exit_code=TOKEN_EXIT,
                        detail="; ".join(verdict.messages(app.lang)))
    detail = f"{info.common_name or info.subject} · {info.fingerprint[:16]}"
    with app.db.transaction() as conn:
        repo.put_artifact(conn, decl_id, "signed", signed)
        repo.set_state(conn, decl_id, DossierState.SIGNED, detail=detail)
    warnings = [w.message(app.lang) for w in getattr(signer, "warnings", ())]
    return SignResult(decl_id, {"subject": info.subject, "fingerprint": info.fingerprint,
                                "tax_code": info.tax_code,
                                "not_after": info.not_after.isoformat()},
                      warnings, len(signed))


def signed_bytes(app: App, decl_id: int) -> bytes:
    state_of(app, decl_id)  # a clear error for an unknown dossier
    with app.db.reading() as conn:
        data = repo.get_artifact(conn, decl_id, "signed")
    if data is None:
        raise UserError("not_signed", value=decl_id)
    return data


def export_signed(app: App, decl_id: int, out: Path) -> int:
    data = signed_bytes(app, decl_id)
    write_atomic(out, data)
    with app.db.transaction() as conn:
        repo.log_processing(conn, "export", f"dossier {decl_id}", detail="signed")
    return len(data)


def load_cas(paths: list[str]) -> list[x509.Certificate]:
    cas = []
    for path in paths:
        data = read_bytes(Path(path), exit_code=2)
        try:
            cas += x509.load_pem_x509_certificates(data)
        except ValueError:
            raise UserError("not_a_certificate", exit_code=2, path=path) from None
    return cas


def verify_file(path: Path, trusted: list[x509.Certificate], lang: str = "vi") -> dict:
    """The verdict on a signed envelope (both levels) or a single signed form."""
    data = read_bytes(path)
    if b"<Hoso" in data[:4096]:
        # Files made before the exchange's DoDaiFile was followed declared byte lengths.
        verdict = verify_dossier(data, trusted_cas=trusted or None, byte_lengths=True)
        cert = verdict.envelope.certificate
        return {"valid": verdict.valid, "reasons": verdict.messages(lang),
                "signer": cert.subject if cert else None,
                "signing_time": verdict.envelope.signing_time.isoformat()
                if verdict.envelope.signing_time else None,
                "forms": [{"file": f.name, "valid": f.verification.valid}
                          for f in verdict.forms],
                "trusted": verdict.envelope.trusted}
    single = verify_xml(data, container="Cky", trusted_cas=trusted or None)
    return {"valid": single.valid, "reasons": [] if single.valid else [single.message(lang)],
            "signer": single.certificate.subject if single.certificate else None,
            "signing_time": single.signing_time.isoformat() if single.signing_time else None,
            "forms": [], "trusted": single.trusted}


def _user(exc: SigningError) -> UserError:
    """A signing failure as the officer sees it; exit code 3."""
    return UserError(exc.code, exit_code=TOKEN_EXIT,
                     texts={"vi": exc.message("vi"), "en": exc.message("en")})
