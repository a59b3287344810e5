"""The sandbox's own certificates, made on first start and kept in its state folder.

- ``ca.pem`` / ``ca-key.pem``: the sandbox CA (the file a client is given with ``--ca``);
- ``server.pem`` / ``server-key.pem``: the TLS certificate (localhost, 127.0.0.1, ::1
  and the host it was started for), re-issued by the same CA when a new host is asked;
- ``receipt.pem`` / ``receipt-key.pem``: the key that signs receipts and result notices;
- ``wrong-host.pem`` / ``wrong-host-key.pem``: a certificate from the same CA for another
  host name, served only while the ``wrong_host`` fault is armed.

Private keys are written readable by the owner only. Nothing here is trusted by anything
but a client told to trust this CA.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ...signing.demo import DemoCA
from ...signing.pkcs12 import Pkcs12Signer

CA_NAME = "IBHXH SANDBOX GATEWAY CA (KHÔNG DÙNG THẬT)"
RECEIPT_NAME = "Cổng tiếp nhận hồ sơ thử nghiệm (sandbox)"
WRONG_HOST = "wrong-host.invalid"
BASE_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass
class Pki:
    """Paths and keys the server needs."""

    ca: DemoCA
    ca_file: Path
    server_cert: Path
    server_key: Path
    wrong_host_cert: Path
    wrong_host_key: Path
    receipt_signer: Pkcs12Signer

    @property
    def ca_pem(self) -> str:
        return self.ca_file.read_text("ascii")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _write_key(path: Path, key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    tmp.replace(path)


def _write_certs(path: Path, *certs: x509.Certificate) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    tmp.replace(path)


def _load_key(path: Path):
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def _san(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _tls_cert(ca: DemoCA, names: list[str]) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    start = _now() - dt.timedelta(days=1)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(ca.certificate.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + dt.timedelta(days=825))
            .add_extension(_san(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca.certificate.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return cert, key


def _covers(cert_path: Path, names: list[str]) -> bool:
    try:
        cert = x509.load_pem_x509_certificates(cert_path.read_bytes())[0]
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    have = {str(v) for v in san.get_values_for_type(x509.IPAddress)} | set(
        san.get_values_for_type(x509.DNSName))
    return set(names) <= have and cert.not_valid_after_utc > _now() + dt.timedelta(days=1)


def load_or_create(state_dir: Path, host: str = "127.0.0.1") -> tuple[Pki, bool]:
    """The sandbox's certificates in ``state_dir`` (made when missing); and whether the
    CA was made just now."""
    state_dir.mkdir(parents=True, exist_ok=True)
    ca_file, ca_key_file = state_dir / "ca.pem", state_dir / "ca-key.pem"
    created = not (ca_file.exists() and ca_key_file.exists())
    if created:
        ca = DemoCA.create(CA_NAME, days=3650)
        _write_key(ca_key_file, ca.key)
        _write_certs(ca_file, ca.certificate)
    else:
        ca = DemoCA(key=_load_key(ca_key_file),
                    certificate=x509.load_pem_x509_certificates(ca_file.read_bytes())[0])

    names = list(BASE_NAMES)
    if host and host not in ("0.0.0.0", "::", "") and host not in names:
        names.insert(0, host)
    server_cert, server_key = state_dir / "server.pem", state_dir / "server-key.pem"
    if created or not server_key.exists() or not _covers(server_cert, names):
        cert, key = _tls_cert(ca, names)
        _write_key(server_key, key)
        _write_certs(server_cert, cert, ca.certificate)

    wrong_cert, wrong_key = state_dir / "wrong-host.pem", state_dir / "wrong-host-key.pem"
    if created or not wrong_key.exists() or not _covers(wrong_cert, [WRONG_HOST]):
        cert, key = _tls_cert(ca, [WRONG_HOST])
        _write_key(wrong_key, key)
        _write_certs(wrong_cert, cert, ca.certificate)

    receipt_cert, receipt_key = state_dir / "receipt.pem", state_dir / "receipt-key.pem"
    if created or not receipt_key.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        start = _now() - dt.timedelta(days=1)
        cert = ca.issue(key.public_key(), company_name=RECEIPT_NAME, not_before=start,
                        not_after=start + dt.timedelta(days=3000))
        _write_key(receipt_key, key)
        _write_certs(receipt_cert, cert, ca.certificate)
    certs = x509.load_pem_x509_certificates(receipt_cert.read_bytes())
    signer = Pkcs12Signer(_load_key(receipt_key), certs[0], tuple(certs[1:]))
    return Pki(ca=ca, ca_file=ca_file, server_cert=server_cert, server_key=server_key,
               wrong_host_cert=wrong_cert, wrong_host_key=wrong_key,
               receipt_signer=signer), created
