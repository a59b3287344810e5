"""The one interface every signer offers: a certificate and ``sign(bytes)``.

Two implementations: ``token.TokenSigner`` (a USB token over PKCS#11) and
``pkcs12.Pkcs12Signer`` (a .p12/.pfx file, for demos and trial accounts). XML-DSig and the
gateway login use only this interface.
"""

from __future__ import annotations

import abc
from types import TracebackType

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from ibhxh_client.signing.certs import CertInfo, CertWarning, describe

RSA_SHA256 = "rsa-sha256"
ECDSA_SHA256 = "ecdsa-sha256"


def algorithm_for(cert: x509.Certificate) -> str:
    """"rsa-sha256" for an RSA key, "ecdsa-sha256" for an EC key."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return RSA_SHA256
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ECDSA_SHA256
    raise ValueError(f"unsupported key type {type(key).__name__}")


class Signer(abc.ABC):
    """A private key that signs, with its certificate.

    ``sign(data)`` hashes ``data`` with SHA-256 and signs it: PKCS#1 v1.5 for RSA
    ("rsa-sha256"), ECDSA with a DER-encoded (r, s) for EC ("ecdsa-sha256"). Use it as a
    context manager so a token session is closed (and any PIN dropped) at the end.
    """

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    warnings: tuple[CertWarning, ...] = ()

    @property
    def algorithm(self) -> str:
        """"rsa-sha256" or "ecdsa-sha256", from the certificate's key."""
        return algorithm_for(self.certificate)

    @property
    def info(self) -> CertInfo:
        """The certificate described for display."""
        return describe(self.certificate)

    @abc.abstractmethod
    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (hashed here with SHA-256); see the class docstring for the form."""

    def close(self) -> None:  # noqa: B027 - a file signer has nothing to close
        """Release the device session, if any. Safe to call twice."""

    def __enter__(self) -> Signer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def verify_signature(cert: x509.Certificate, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` (the form ``Signer.sign`` returns) is valid for ``data``."""
    from cryptography.exceptions import InvalidSignature

    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            decode_dss_signature(signature)  # must be DER
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True
