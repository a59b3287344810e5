"""A throw-away certificate authority for demos, trials and tests.

It issues certificates shaped like those of Vietnamese CAs (CN in capitals, UID
"MST:<tax code>") for any public key: one made here, or one that lives on a token (the
private key never leaves the token; the CA signs a certificate for its public key).
Nothing it issues is trusted by a real gateway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_CA_NAME = "IBHXH-CLIENT DEMO CA (KHÔNG DÙNG THẬT)"

SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True, content_commitment=True, key_encipherment=False,
    data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
    encipher_only=False, decipher_only=False)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def organisation_name(company_name: str, tax_code: str | None = None, *,
                      province: str = "Hồ Chí Minh",
                      personal_id: str | None = None) -> x509.Name:
    """A subject like a Vietnamese CA's: C=VN, ST, CN in capitals, UID=MST:… (or CCCD:…)."""
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province),
             x509.NameAttribute(NameOID.COMMON_NAME, company_name.upper())]
    if tax_code:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, f"MST:{tax_code}"))
    if personal_id:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, f"CCCD:{personal_id}"))
    return x509.Name(attrs)


@dataclass
class DemoCA:
    """A CA key and its self-signed certificate, kept in memory."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @classmethod
    def create(cls, name: str = DEMO_CA_NAME, *, not_before: dt.datetime | None = None,
               days: int = 3650, parent: DemoCA | None = None) -> DemoCA:
        """A new CA (RSA 2048), self-signed, or issued by ``parent`` (an intermediate)."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        start = not_before or _now() - dt.timedelta(days=1)
        subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                             x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ibhxh-client"),
                             x509.NameAttribute(NameOID.COMMON_NAME, name)])
        issuer_name = parent.certificate.subject if parent else subject
        signing_key = parent.key if parent else key
        builder = (x509.CertificateBuilder()
                   .subject_name(subject).issuer_name(issuer_name)
                   .public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + dt.timedelta(days=days))
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                  critical=True)
                   .add_extension(x509.KeyUsage(
                       digital_signature=False, content_commitment=False,
                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                       key_cert_sign=True, crl_sign=True, encipher_only=False,
                       decipher_only=False), critical=True)
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                  critical=False))
        cert = builder.sign(signing_key, hashes.SHA256())
        return cls(key=key, certificate=cert)

    def issue(self, public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey, *,
              company_name: str, tax_code: str | None = None,
              personal_id: str | None = None,
              not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
              key_usage: x509.KeyUsage | None = SIGNING_USAGE) -> x509.Certificate:
        """A signing certificate for ``public_key`` (valid a year by default).

        ``key_usage=None`` leaves the extension out (to test the refusal).
        """
        start = not_before or _now() - dt.timedelta(days=1)
        end = not_after or start + dt.timedelta(days=365)
        builder = (x509.CertificateBuilder()
                   .subject_name(organisation_name(company_name, tax_code,
                                                   personal_id=personal_id))
                   .issuer_name(self.certificate.subject)
                   .public_key(public_key)
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(end)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                         ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                                  critical=False)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       self.certificate.public_key()), critical=False))
        if key_usage is not None:
            builder = builder.add_extension(key_usage, critical=True)
        return builder.sign(self.key, hashes.SHA256())
