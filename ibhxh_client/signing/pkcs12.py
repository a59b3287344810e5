"""A signer from a PKCS#12 file (.p12/.pfx), for demos and trial accounts without a token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.certs import CertWarning, check_for_signing
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.signer import Signer


class Pkcs12Signer(Signer):
    """Signs with a private key held in memory, loaded from a PKCS#12 file or given."""

    def __init__(self, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
                 certificate: x509.Certificate,
                 chain: tuple[x509.Certificate, ...] = ()) -> None:
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise E.CertificateError(E.CERT_WEAK_KEY, subject=certificate.subject
                                     .rfc4514_string(), key_type=type(key).__name__)
        self._key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | None = key
        self.certificate = certificate
        self.chain = tuple(chain)
        self.warnings: tuple[CertWarning, ...] = ()

    @classmethod
    def from_file(cls, path: str | Path, password: bytes | None, *,
                  now: dt.datetime | None = None, check: bool = True) -> Pkcs12Signer:
        """Open ``path`` with ``password``; check the certificate for signing at ``now``.

        Raises pkcs12_not_found, pkcs12_invalid (wrong password or damaged file) or the
        certificate refusals of ``certs.check_for_signing``; its warnings land in
        ``.warnings``. The password is not kept.
        """
        path = Path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise E.SigningError(E.PKCS12_NOT_FOUND, path=str(path)) from None
        except OSError as exc:
            raise E.SigningError(E.PKCS12_INVALID, path=str(path),
                                 detail=type(exc).__name__) from None
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password)
        except (ValueError, TypeError) as exc:
            raise E.SigningError(E.PKCS12_INVALID, path=str(path),
                                 detail=type(exc).__name__) from None
        if key is None or cert is None:
            raise E.SigningError(E.PKCS12_INVALID, path=str(path), detail="no key")
        signer = cls(key, cert, tuple(extra or ()))  # type: ignore[arg-type]
        if check:
            when = now or dt.datetime.now(dt.UTC)
            signer.warnings = tuple(check_for_signing(cert, when, signer.chain))
        return signer

    def sign(self, data: bytes) -> bytes:
        """SHA-256 then PKCS#1 v1.5 (RSA) or DER-encoded ECDSA (EC)."""
        key = self._key
        if key is None:
            raise RuntimeError("signer is closed")
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return key.sign(data, ec.ECDSA(hashes.SHA256()))

    def close(self) -> None:
        """Forget the key."""
        self._key = None


@dataclass(frozen=True)
class DemoIdentity:
    """What ``make_demo_pkcs12`` made: the file, its certificate and the demo CA's."""

    path: Path
    certificate: x509.Certificate
    ca_certificate: x509.Certificate


def make_demo_pkcs12(path: str | Path, password: bytes, tax_code: str,
                     company_name: str, *, days: int = 730) -> DemoIdentity:
    """Write a demo PKCS#12 file: a new demo CA, and an RSA-2048 signing certificate
    for ``company_name`` (CN in capitals) with UID "MST:<tax_code>", valid ``days`` days.

    The file holds the key, the certificate and the CA certificate, encrypted with
    ``password``. Nothing made here is trusted by a real gateway.
    """
    path = Path(path)
    ca = DemoCA.create()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    cert = ca.issue(key.public_key(), company_name=company_name, tax_code=tax_code,
                    not_before=start, not_after=start + dt.timedelta(days=days))
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    blob = pkcs12.serialize_key_and_certificates(
        company_name.upper().encode("utf-8"), key, cert, [ca.certificate], encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return DemoIdentity(path=path, certificate=cert, ca_certificate=ca.certificate)
