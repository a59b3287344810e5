"""The paper dossier: when signing or sending fails for a reason the officer cannot fix
now, print the same dossier on paper to file it (Official Dispatch 2724/BHXH-THU).

``offer_paper`` says whether a failure should offer it, and with which reason;
``print_dossier`` builds the dossier from the stored declaration (the same forms and
envelope as the XML), prints it to a PDF file or a printer, and records the state
``printed`` with the reason. The dossier stays in the outbox: it can still be signed and
sent later (``state_before_printing`` tells where it was).

Qt is imported only when something is printed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import Catalog
from ..domain.messages import say as say_message
from ..domain.model import Declaration, DossierState, Employer, Worker
from ..dossier.build import BuildResult, build_dossier
from ..dossier.reading import envelope_forms
from ..printing.texts import say
from ..storage import repo
from . import declarations, remote_signing
from .app import App, UserError
from .employer import get as get_employer
from .files import atomic_path

# Failures of signing (signing/errors.py codes) that the officer cannot fix on the spot,
# with the reason printed on the cover. Wrong or cancelled PINs, a choice among several
# tokens and data problems are not here: those are fixed now, and paper would hide them.
PAPER_REASONS: dict[str, str] = {
    "no_token": "reason.no_token",
    "token_removed": "reason.token_removed",
    "device_error": "reason.device_error",
    "module_not_found": "reason.module",
    "module_load_failed": "reason.module",
    "no_module": "reason.module",
    "pin_locked": "reason.pin_locked",
    "pin_expired": "reason.pin_expired",
    "no_certificate": "reason.no_certificate",
    "cert_expired": "reason.cert_expired",
    "cert_not_yet_valid": "reason.cert_invalid",
    "cert_key_usage": "reason.cert_invalid",
    "cert_weak_key": "reason.cert_invalid",
    "cert_chain": "reason.cert_invalid",
    "bad_xml": "reason.software",
    "bad_envelope": "reason.software",
    "no_container": "reason.software",
    "internal": "reason.software",  # the program's own unexpected error
    "gateway_unreachable": "reason.gateway_unreachable",
    "gateway_error": "reason.gateway_error",
}

# Failures of sending (gateway/errors.py and gateway/protocol.ErrorCode codes). By the
# error's kind: "network" (not reached after the retries, 5xx, 429) and "answer" (an
# answer that cannot be trusted) offer paper; "refused" only when the gateway refuses the
# unit's certificate: a wrong password, a conflict or an invalid envelope is fixed, not
# filed on paper.
GATEWAY_REASONS: dict[str, str] = {
    "network": "reason.gateway_unreachable",
    "timeout": "reason.gateway_unreachable",
    "http_status": "reason.gateway_error",
    "internal": "reason.gateway_error",
    "unavailable": "reason.gateway_error",
    "rate_limited": "reason.gateway_error",
    "tls": "reason.gateway_untrusted",
    "bad_answer": "reason.gateway_untrusted",
    "answer_too_large": "reason.gateway_untrusted",
    "hostile_xml": "reason.gateway_untrusted",
    "receipt_signature": "reason.gateway_untrusted",
    "receipt_mismatch": "reason.gateway_untrusted",
    "result_signature": "reason.gateway_untrusted",
    "result_mismatch": "reason.gateway_untrusted",
    "certificate_refused": "reason.cert_invalid",
}
KIND_REASONS = {"network": "reason.gateway_unreachable", "answer": "reason.gateway_untrusted"}

# Accepted: the filing is done. A rejected dossier is printed: when a rejection cannot be
# mended, the paper dossier is how the filing still happens.
NOT_PRINTABLE = (DossierState.ACCEPTED,)
MAX_REASON = 300  # characters: it must fit on the cover and in the history


class PrintError(UserError):
    """A printing failure the officer can act on, worded in printing/texts.py."""

    def message(self, lang: str = "vi") -> str:
        return say(self.code, lang, **self.params)


@dataclass(frozen=True)
class FallbackOffer:
    """The paper dossier offered after a failure: why, in words for the cover and the
    officer."""

    code: str  # the failure's code (no_token, cert_expired, gateway_unreachable …)
    reason_key: str

    def reason(self, lang: str = "vi") -> str:
        """The reason, as printed on the cover (pass the Vietnamese one to print_dossier)."""
        return say(self.reason_key, lang)

    @property
    def reason_vi(self) -> str:
        return self.reason("vi")

    @property
    def reason_en(self) -> str:
        return self.reason("en")

    def message(self, lang: str = "vi") -> str:
        """The sentence that offers the paper dossier."""
        return say("offer", lang, problem=self.reason(lang))


def offer_paper(error: BaseException | str | None) -> FallbackOffer | None:
    """Whether a signing or sending failure should offer the paper dossier: an error with
    a ``code`` (SigningError, GatewayError, a UserError such as SubmissionError, whose
    ``cause`` is looked at first) or the code itself. None when the officer can fix it
    now (a wrong PIN, a cancelled prompt, bad data, a wrong password …)."""
    if isinstance(error, str):
        code, kind = error, None
    else:
        cause = getattr(error, "cause", None)
        if isinstance(getattr(cause, "code", None), str):
            error = cause
        code, kind = getattr(error, "code", None), getattr(error, "kind", None)
    if not isinstance(code, str):
        return None
    if isinstance(kind, str):  # a gateway error
        key = GATEWAY_REASONS.get(code) or KIND_REASONS.get(kind)
    else:
        key = PAPER_REASONS.get(code) or GATEWAY_REASONS.get(code)
    return FallbackOffer(code, key) if key else None


def default_reason(lang: str = "vi") -> str:
    """The reason printed when none is given."""
    return say("reason.default", lang)


@dataclass
class PrintResult:
    """What was printed, where, and what was recorded."""

    dossier_id: int
    pages: int
    workers: int
    sha256: str  # of the dossier's XML envelope, as in the QR code
    reason: str
    state: str
    out: Path | None = None
    printer: str | None = None  # its name
    documents: list[dict[str, Any]] = field(default_factory=list)  # form, title, count, pages
    # remote signing requests that were waiting on the phone, abandoned by the printing
    abandoned: list[str] = field(default_factory=list)

    def message(self, lang: str = "vi") -> str:
        if self.out is not None:
            text = say("printed_pdf", lang, id=self.dossier_id, out=self.out, pages=self.pages)
        else:
            text = say("printed_printer", lang, id=self.dossier_id, printer=self.printer,
                       pages=self.pages)
        if self.abandoned:
            text += " " + say_message("remote_abandoned_printed", lang,
                                      id=self.dossier_id,
                                      transaction=", ".join(self.abandoned))
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"dossier_id": self.dossier_id, "pages": self.pages, "workers": self.workers,
                "sha256": self.sha256, "reason": self.reason, "state": self.state,
                "out": str(self.out) if self.out else None, "printer": self.printer,
                "documents": self.documents, "abandoned_remote_requests": self.abandoned}


@dataclass
class PaperDossier:
    """A dossier ready to print: its forms and what the pages say about it. ``render``
    draws it on any paged device (a print preview's QPrinter too); nothing is recorded."""

    dossier_id: int
    workers: int
    result: BuildResult
    info: Any  # printing.dossier.DossierInfo
    catalog: Catalog

    @property
    def sha256(self) -> str:
        return self.info.envelope_sha256

    def render(self, device: Any) -> Any:
        """Draw onto ``device`` (QPrinter, QPdfWriter); returns printing's RenderResult."""
        from ..printing.dossier import render

        return render(device, self.result.forms, self.info, self.catalog)

    def write_pdf(self, path: Path) -> Any:
        """Write the PDF at ``path`` itself (no temporary name); returns the RenderResult."""
        from ..printing.dossier import write_pdf

        return write_pdf(path, self.result.forms, self.info, self.catalog)


def _check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise PrintError("reason_required", exit_code=2)
    if len(reason) > MAX_REASON:
        raise PrintError("reason_too_long", exit_code=2, max=MAX_REASON)
    return reason


def _info(app: App, decl: Declaration, employer: Employer, sha256: str, reason: str):
    from ..printing.dossier import DossierInfo

    provinces = app.catalog.codelists.get("provinces")
    place = provinces.label(employer.province) if provinces and employer.province else ""
    assert decl.id is not None and decl.created is not None
    # a dossier sent under a retired code (600a) prints with the name it had
    return DossierInfo(dossier_id=decl.id, unit_code=employer.unit_code,
                       unit_name=employer.name, period=str(decl.period),
                       procedure=decl.procedure,
                       procedure_name=app.catalog.procedure_name(decl.procedure),
                       day=decl.created, envelope_sha256=sha256, reason=reason, place=place,
                       signer=employer.signer_name, contact=employer.contact_name)


def _paper(app: App, decl: Declaration, built: tuple[BuildResult, bytes],
           reason: str) -> PaperDossier:
    result, envelope = built
    assert decl.id is not None
    sha256 = hashlib.sha256(envelope).hexdigest()
    info = _info(app, decl, get_employer(app), sha256, reason)
    proc = app.catalog.procedures.get(decl.procedure)
    by_line = app.catalog.line_forms(proc) if proc else ("D02-LT",)
    workers = max((len(f.rows) for f in result.forms if f.spec.code in by_line), default=0)
    return PaperDossier(decl.id, workers, result, info, app.catalog)


def _loaded(app: App, decl_id: int) -> tuple[Declaration, dict[int, Worker]]:
    decl, workers = declarations.load(app, decl_id)
    if decl.state in NOT_PRINTABLE:
        raise PrintError("not_printable", id=decl_id, state=str(decl.state))
    return decl, workers


def _loaded_declaration(app: App, decl_id: int) -> Declaration:
    """The dossier's own row, without its lines or workers (read only when needed)."""
    decl = declarations.head(app, decl_id)
    if decl.state in NOT_PRINTABLE:
        raise PrintError("not_printable", id=decl_id, state=str(decl.state))
    return decl


def _checked(app: App, decl: Declaration, workers: dict[int, Worker]) -> BuildResult:
    result = build_dossier(app.catalog, get_employer(app), workers, decl)
    if not result.ok:
        raise UserError("invalid_data", problems=result.problems, count=len(result.problems))
    return result


def prepare_paper(app: App, decl_id: int, *, reason: str) -> PaperDossier:
    """The paper dossier built from the stored declaration, for a preview: nothing is
    stored and the state does not change (``print_dossier`` does that)."""
    reason = _check_reason(reason)
    decl, workers = _loaded(app, decl_id)
    return _paper(app, decl, _built_for_preview(app, decl, workers), reason)


def _stored_envelope(app: App, decl: Declaration) -> bytes | None:
    """The envelope stored when the dossier was validated; a dossier past draft cannot
    have changed since (editing sends it back to draft)."""
    if decl.state == DossierState.DRAFT:
        return None
    with app.db.reading() as conn:
        return repo.get_artifact(conn, decl.id, "envelope")


def _forms_of(app: App, envelope: bytes) -> BuildResult:
    """The forms' values read back from the envelope itself: the paper says exactly what
    the XML says, whatever was edited since in the workers' records, and a dossier signed
    or sent in an older layout prints as it was sent (dossier.reading)."""
    return BuildResult(forms=envelope_forms(app.catalog, envelope))


def _built_for_preview(app: App, decl: Declaration,
                       workers: dict[int, Worker]) -> tuple[BuildResult, bytes]:
    """As ``_built``, storing nothing: a draft's envelope is built in memory only, and read
    back like a stored one."""
    stored = _stored_envelope(app, decl)
    if stored is not None:
        return _forms_of(app, stored), stored
    result = _checked(app, decl, workers)
    return _forms_of(app, result.envelope), result.envelope


def _built(app: App, decl: Declaration,
           workers: dict[int, Worker] | None) -> tuple[BuildResult, bytes]:
    """The dossier's forms and the envelope the QR code's digest refers to. A draft is
    validated on the way, as an export would (which stores its envelope); a dossier past
    draft is printed from the envelope stored when it was validated."""
    assert decl.id is not None
    stored = _stored_envelope(app, decl)
    if stored is not None:
        return _forms_of(app, stored), stored
    if decl.state == DossierState.DRAFT:
        result = declarations.validate(app, decl.id)
    else:  # validated before envelopes were kept, or its envelope dropped by migration
        # 0004 to be made again in the exchange's layout: rebuilt from the stored lines
        full, loaded = declarations.load(app, decl.id) if workers is None else (decl, workers)
        result = _checked(app, full, loaded)
        with app.db.transaction() as conn:
            repo.put_artifact(conn, decl.id, "envelope", result.envelope)
    return _forms_of(app, result.envelope), result.envelope


def print_dossier(app: App, decl_id: int, *, reason: str, out: Path | None = None,
                  printer: str | Any | None = None) -> PrintResult:
    """Print the paper dossier to a PDF file (``out``) or a printer (``printer``: a name,
    or the QPrinter a print dialog set up), then record the state ``printed`` with the
    reason and a processing-log entry. Nothing is recorded when printing fails; the PDF
    appears whole or not at all."""
    reason = _check_reason(reason)
    if (out is None) == (printer is None):
        raise PrintError("print_target", exit_code=2)
    if out is not None:
        out = Path(out)
        if out.suffix.lower() != ".pdf":
            raise UserError("bad_extension", exit_code=2, value=out.name, allowed=".pdf")
    device, printer_name = None, None
    if isinstance(printer, str):  # an unknown printer is refused before anything changes
        from ..printing.output import PrinterNotFound, open_printer

        try:
            device = open_printer(printer, f"Hồ sơ {decl_id}")
        except PrinterNotFound as exc:
            available = ", ".join(exc.available) or say("no_printers", app.lang)
            raise PrintError("no_printer", exit_code=2, name=printer,
                             available=available) from None
        printer_name = printer
    elif printer is not None:
        device, printer_name = printer, printer.printerName() or printer.outputFileName()
    decl = _loaded_declaration(app, decl_id)
    paper = _paper(app, decl, _built(app, decl, None), reason)
    rendered = _render(paper, out, device, printer_name)
    sha256 = paper.sha256
    where = "PDF" if out is not None else f"máy in {printer_name}"
    with app.db.transaction() as conn:
        # a signing request still waiting on the phone must not sign the printed dossier
        abandoned = remote_signing.abandon_for_paper(conn, decl_id)
        repo.set_state(conn, decl_id, DossierState.PRINTED,
                       detail=f"{reason} ({where}, {rendered.pages} trang, "
                              f"SHA-256 {sha256[:16]})")
        repo.log_processing(conn, "print", f"dossier {decl_id}", workers=paper.workers,
                            detail=f"{'pdf' if out is not None else 'printer'}, "
                                   f"{rendered.pages} pages")
    return PrintResult(
        dossier_id=decl_id, pages=rendered.pages, workers=paper.workers, sha256=sha256,
        reason=reason, state=str(DossierState.PRINTED), out=out, printer=printer_name,
        documents=[{"form": d.form, "title": d.title, "count": d.count, "pages": d.pages}
                   for d in rendered.documents], abandoned=abandoned)


def _render(paper: PaperDossier, out: Path | None, device: Any, printer: str | None):
    from ..printing.dossier import RenderError
    from ..printing.layout import LayoutError

    try:
        if out is None:
            try:
                return paper.render(device)
            except RenderError as exc:
                raise PrintError("printer_failed", name=printer, detail=str(exc)) from None
        with atomic_path(out) as tmp:  # never a half-written file under the real name
            try:
                rendered = paper.write_pdf(tmp)
            except RenderError:
                raise PrintError("pdf_failed", path=str(out)) from None
        return rendered
    except LayoutError as exc:
        raise PrintError("layout_error", detail=str(exc)) from None


def state_before_printing(app: App, decl_id: int) -> DossierState:
    """Where a printed dossier stood before it was printed (validated, signed, sent …):
    where signing and sending pick it up again."""
    with app.db.reading() as conn:
        return repo.state_before(conn, decl_id, DossierState.PRINTED)
