"""Certificates: what a certificate says (``CertInfo``) and whether it may sign now.

Vietnamese CAs put the organisation's tax code in the subject as the attribute UID
(0.9.2342.19200300.100.1.1) with a value like ``MST:0312345678`` (a branch:
``MST:0312345678-001``); individuals carry ``CMND:`` or ``CCCD:`` and the number. The CN
holds the company name in capitals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.messages import Msg, say

EXPIRY_WARNING_DAYS = 30
MIN_RSA_BITS = 2048
MAX_CHAIN_DEPTH = 8
_PERSONAL_PREFIXES = ("CCCD", "CMND", "HC", "CMT")


@dataclass(frozen=True)
class CertInfo:
    """What a user (and support staff) need to know about one certificate."""

    subject: str
    issuer: str
    serial: str  # hex, upper case
    not_before: dt.datetime  # aware, UTC
    not_after: dt.datetime  # aware, UTC
    fingerprint: str  # SHA-256 of the DER, hex, upper case, no separators
    tax_code: str | None  # from UID "MST:…"
    common_name: str | None = None
    issuer_common_name: str | None = None
    personal_id: str | None = None  # from UID "CCCD:…" / "CMND:…"
    key_type: str = ""  # "RSA-2048", "EC-secp256r1" …
    is_ca: bool = False
    key_id: str | None = None  # PKCS#11 CKA_ID in hex, for certificates on a token
    certificate: x509.Certificate | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The holder's name for a sentence: the CN, else the whole subject."""
        return self.common_name or self.subject

    def days_to_expiry(self, now: dt.datetime) -> int:
        """Whole days from ``now`` to the end of validity (negative once expired)."""
        return (self.not_after - _utc(now)).days

    def valid_at(self, when: dt.datetime) -> bool:
        """True when ``when`` falls inside the validity period."""
        when = _utc(when)
        return self.not_before <= when <= self.not_after

    def short(self) -> str:
        """One line for lists: name, tax code, first fingerprint characters, expiry."""
        tax = f" MST {self.tax_code}" if self.tax_code else ""
        return (f"{self.name}{tax} [{self.fingerprint[:16]}…] "
                f"{self.not_after:%d/%m/%Y}")


@dataclass(frozen=True)
class CertWarning:
    """Something the user should know before signing, that does not stop it."""

    code: str  # "cert_expiring", "chain_unverified"
    params: dict[str, object]
    level: str = "warning"  # "warning" or "info"

    def message(self, lang: str = "vi") -> str:
        """The sentence in ``lang``."""
        return say(self.code, lang, **self.params)


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("a timezone-aware datetime is needed")
    return when.astimezone(dt.UTC)


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return None
    value = values[0].value
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _uid_values(name: x509.Name) -> list[str]:
    out = []
    for attr in name.get_attributes_for_oid(NameOID.USER_ID):
        value = attr.value
        out.append(value if isinstance(value, str) else value.decode("utf-8", "replace"))
    return out


def tax_code_of(name: x509.Name) -> str | None:
    """The tax code in a subject's UID attribute ("MST:0312345678" → "0312345678")."""
    for value in _uid_values(name):
        prefix, sep, rest = value.partition(":")
        if sep and prefix.strip().upper() == "MST" and rest.strip():
            return rest.strip()
    return None


def personal_id_of(name: x509.Name) -> str | None:
    """An individual's ID number in the UID attribute ("CCCD:079…" → "079…")."""
    for value in _uid_values(name):
        prefix, sep, rest = value.partition(":")
        if sep and prefix.strip().upper() in _PERSONAL_PREFIXES and rest.strip():
            return rest.strip()
    return None


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint of the certificate's DER: hex, upper case, no separators."""
    return cert.fingerprint(hashes.SHA256()).hex().upper()


def normalize_fingerprint(text: str) -> str:
    """A fingerprint as users type it ("ab:cd ef…") in our form ("ABCDEF…")."""
    return "".join(ch for ch in text if ch.isalnum()).upper()


def key_description(cert: x509.Certificate) -> str:
    """"RSA-2048", "EC-secp256r1", or the key class name for anything else."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return f"RSA-{key.key_size}"
    if isinstance(key, ec.EllipticCurvePublicKey):
        return f"EC-{key.curve.name}"
    return type(key).__name__.removeprefix("_")


def is_ca(cert: x509.Certificate) -> bool:
    """True when BasicConstraints marks the certificate as a CA."""
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def describe(cert: x509.Certificate, *, key_id: bytes | str | None = None) -> CertInfo:
    """A ``CertInfo`` for ``cert`` (``key_id``: the PKCS#11 CKA_ID, bytes or hex)."""
    if isinstance(key_id, bytes):
        key_id = key_id.hex().upper()
    return CertInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint=fingerprint(cert),
        tax_code=tax_code_of(cert.subject),
        common_name=_attr(cert.subject, NameOID.COMMON_NAME),
        issuer_common_name=_attr(cert.issuer, NameOID.COMMON_NAME),
        personal_id=personal_id_of(cert.subject),
        key_type=key_description(cert),
        is_ca=is_ca(cert),
        key_id=key_id,
        certificate=cert,
    )


def _date(when: dt.datetime) -> str:
    return f"{when:%d/%m/%Y}"


def check_key(cert: x509.Certificate) -> None:
    """Refuse (cert_weak_key) anything but RSA of 2048 bits or more, or EC."""
    key = cert.public_key()
    ok = (isinstance(key, rsa.RSAPublicKey) and key.key_size >= MIN_RSA_BITS) or isinstance(
        key, ec.EllipticCurvePublicKey)
    if not ok:
        raise E.CertificateError(E.CERT_WEAK_KEY, subject=_name(cert),
                                 key_type=key_description(cert))


def check_key_usage(cert: x509.Certificate) -> None:
    """Refuse (cert_key_usage) a certificate without digitalSignature or nonRepudiation.

    A certificate with no KeyUsage extension at all is refused too: every certificate a
    Vietnamese CA issues for signing carries one, and the brief says "require".
    """
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not (usage.digital_signature or usage.content_commitment):
        raise E.CertificateError(E.CERT_KEY_USAGE, subject=_name(cert))


def _name(cert: x509.Certificate) -> str:
    return _attr(cert.subject, NameOID.COMMON_NAME) or cert.subject.rfc4514_string()


def check_validity(cert: x509.Certificate, when: dt.datetime) -> None:
    """Refuse a certificate that is expired or not yet valid at ``when``."""
    when = _utc(when)
    if when < cert.not_valid_before_utc:
        raise E.CertificateError(E.CERT_NOT_YET_VALID, subject=_name(cert),
                                 date=_date(cert.not_valid_before_utc))
    if when > cert.not_valid_after_utc:
        raise E.CertificateError(E.CERT_EXPIRED, subject=_name(cert),
                                 date=_date(cert.not_valid_after_utc))


def build_chain(cert: x509.Certificate, pool: Iterable[x509.Certificate], *,
                at: dt.datetime) -> list[x509.Certificate]:
    """The path from ``cert`` up through issuers found in ``pool``, leaf first.

    Stops at a self-issued certificate or when the issuer is not in the pool. Raises
    cert_chain when an issuer is present but its signature does not verify, is not a CA,
    or is not valid at ``at``.
    """
    at = _utc(at)
    pool = [c for c in pool if c != cert]
    path = [cert]
    current = cert
    for _ in range(MAX_CHAIN_DEPTH):
        if current.issuer == current.subject:
            return path
        candidates = [c for c in pool if c.subject == current.issuer and c not in path]
        if not candidates:
            return path
        issuer = None
        for candidate in candidates:
            try:
                current.verify_directly_issued_by(candidate)
            except Exception:
                continue
            issuer = candidate
            break
        name = _name(candidates[0])
        if issuer is None:
            raise E.CertificateError(E.CERT_CHAIN, subject=_name(cert),
                                     reason=Msg("chain.bad_signature", issuer=name))
        if not is_ca(issuer):
            raise E.CertificateError(E.CERT_CHAIN, subject=_name(cert),
                                     reason=Msg("chain.not_ca", issuer=_name(issuer)))
        if not issuer.not_valid_before_utc <= at <= issuer.not_valid_after_utc:
            raise E.CertificateError(E.CERT_CHAIN, subject=_name(cert),
                                     reason=Msg("chain.issuer_expired", issuer=_name(issuer),
                                                date=_date(at)))
        path.append(issuer)
        current = issuer
    raise E.CertificateError(E.CERT_CHAIN, subject=_name(cert), reason=Msg("chain.too_long"))


def verify_trust(cert: x509.Certificate, trusted: Sequence[x509.Certificate], *,
                 intermediates: Sequence[x509.Certificate] = (),
                 at: dt.datetime) -> list[x509.Certificate]:
    """The path from ``cert`` to one of ``trusted`` (valid at ``at``), or cert_chain."""
    path = build_chain(cert, [*intermediates, *trusted], at=at)
    trusted_fps = {fingerprint(c) for c in trusted}
    for link in path:
        if fingerprint(link) in trusted_fps:
            return path
    raise E.CertificateError(E.CERT_CHAIN, subject=_name(cert),
                             reason=Msg("chain.untrusted", issuer=_name(path[-1])))


def check_for_signing(cert: x509.Certificate, now: dt.datetime,
                      chain: Sequence[x509.Certificate] = ()) -> list[CertWarning]:
    """Check that ``cert`` may sign at ``now``; return warnings, raise for refusals.

    Refused (``CertificateError``): expired or not yet valid; no digitalSignature or
    nonRepudiation key usage; a key other than RSA ≥ 2048 bits or EC; an issuer in
    ``chain`` (certificates found on the token or configured) whose signature, CA flag or
    validity does not hold. Warned: expiry within 30 days; the issuer not available.
    """
    check_validity(cert, now)
    check_key_usage(cert)
    check_key(cert)
    warnings: list[CertWarning] = []
    days = (cert.not_valid_after_utc - _utc(now)).days
    if days < EXPIRY_WARNING_DAYS:
        warnings.append(CertWarning("cert_expiring", {
            "subject": _name(cert), "days": days, "date": _date(cert.not_valid_after_utc)}))
    path = build_chain(cert, chain, at=now)
    top = path[-1]
    if top.issuer != top.subject:
        issuer = _attr(top.issuer, NameOID.COMMON_NAME) or top.issuer.rfc4514_string()
        warnings.append(CertWarning("chain_unverified", {"issuer": issuer}, level="info"))
    return warnings
