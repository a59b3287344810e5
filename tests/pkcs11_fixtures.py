"""PKCS#11 for tests: real SoftHSM2 tokens, and small fakes for what SoftHSM2 cannot do.

SoftHSM2 reads SOFTHSM2_CONF once, when the module is initialised, and python-pkcs11 keeps
one loaded module per path. So every ``SoftHsm`` gets its own temporary folder holding its
own config, token folder *and its own copy of libsofthsm2.so*: a different file is a
separate library for the dynamic loader, with its own state. Several instances therefore
live side by side in one pytest process, whatever order the tests run in.

The keys are generated on the token (CKA_SENSITIVE true, CKA_EXTRACTABLE false); the test
CA (cryptography) signs a certificate for the token's public key, so no private key ever
leaves a token.

Use: ``from tests.pkcs11_fixtures import *`` (fixtures ``softhsm_world``,
``empty_softhsm``, ``unit_ca``), or import ``SoftHsm``/``Fake*`` directly.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.pin import (
    CKF_LOGIN_REQUIRED,
    CKF_PROTECTED_AUTHENTICATION_PATH,
    CKF_TOKEN_INITIALIZED,
    CKF_USER_PIN_COUNT_LOW,
    CKF_USER_PIN_FINAL_TRY,
    CKF_USER_PIN_INITIALIZED,
    CKF_USER_PIN_LOCKED,
)

__all__ = [
    "MODULE",
    "SO_PIN",
    "USER_PIN",
    "FakeKey",
    "FakeLib",
    "FakeSlot",
    "FakeToken",
    "SoftHsm",
    "TokenSpec",
    "World",
    "empty_softhsm",
    "fake_token",
    "install_fake_module",
    "softhsm_world",
    "unit_ca",
]

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SO_PIN = "12345678"
USER_PIN = "1234"

TAX_ABC = "0312345678"
TAX_XYZ = "0109876543"
TAX_DEF = "0301111111"


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- SoftHSM2

class SoftHsm:
    """A private SoftHSM2 installation under ``root``: config, token folder, module copy."""

    def __init__(self, root: Path) -> None:
        if not Path(MODULE).exists():
            pytest.fail(f"SoftHSM2 is not installed ({MODULE}); run .ci/setup")
        if shutil.which("softhsm2-util") is None:
            pytest.fail("softhsm2-util is not installed; run .ci/setup")
        self.root = root
        self.tokendir = root / "tokens"
        self.tokendir.mkdir(parents=True, exist_ok=True)
        self.conf = root / "softhsm2.conf"
        self.conf.write_text(f"directories.tokendir = {self.tokendir}\n"
                             "objectstore.backend = file\nlog.level = ERROR\n")
        self.module_path = str(root / "libsofthsm2.so")
        shutil.copy2(os.path.realpath(MODULE), self.module_path)
        self._lib: Any = None
        self._stale = False

    @property
    def env(self) -> dict[str, str]:
        """The environment for a subprocess (the CLI, softhsm2-util) to see these tokens."""
        return {**os.environ, "SOFTHSM2_CONF": str(self.conf)}

    def init_token(self, label: str, *, pin: str = USER_PIN, so_pin: str = SO_PIN) -> None:
        """Initialise a new token in the first free slot."""
        subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                        "--so-pin", so_pin, "--pin", pin], env=self.env, check=True,
                       capture_output=True, text=True)
        self._stale = True

    def lib(self) -> Any:
        """The loaded module (python-pkcs11), re-initialised after new tokens were made."""
        import pkcs11

        old = os.environ.get("SOFTHSM2_CONF")
        os.environ["SOFTHSM2_CONF"] = str(self.conf)
        try:
            if self._lib is None:
                self._lib = pkcs11.lib(self.module_path)
            elif self._stale:
                self._lib.reinitialize()
            self._stale = False
        finally:
            if old is None:
                os.environ.pop("SOFTHSM2_CONF", None)
            else:
                os.environ["SOFTHSM2_CONF"] = old
        return self._lib

    def token(self, label: str) -> Any:
        """The python-pkcs11 token with this label."""
        return self.lib().get_token(token_label=label)

    def serial(self, label: str) -> str:
        """The token's serial number as our TokenInfo shows it."""
        return self.token(label).serial.decode("ascii").strip()

    def generate_key(self, label: str, key_id: bytes, *, pin: str = USER_PIN,
                     kind: str = "RSA", bits: int = 2048,
                     always_authenticate: bool = False) -> Any:
        """Generate a key pair on the token (private: sensitive, not extractable); return
        the public key as a cryptography object."""
        from pkcs11 import Attribute, KeyType, Mechanism
        from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters
        from pkcs11.util.rsa import encode_rsa_public_key

        private_template = {Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
                            Attribute.SIGN: True, Attribute.PRIVATE: True}
        if always_authenticate:
            private_template[Attribute.ALWAYS_AUTHENTICATE] = True
        with self.token(label).open(rw=True, user_pin=pin) as session:
            if kind == "RSA":
                public, _ = session.generate_keypair(
                    KeyType.RSA, bits, id=key_id, label=f"key-{key_id.hex()}", store=True,
                    mechanism=Mechanism.RSA_PKCS_KEY_PAIR_GEN,
                    private_template=private_template)
                der = encode_rsa_public_key(public)
            else:
                params = session.create_domain_parameters(
                    KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters(
                        "secp256r1")}, local=True)
                public, _ = params.generate_keypair(
                    id=key_id, label=f"key-{key_id.hex()}", store=True,
                    mechanism=Mechanism.EC_KEY_PAIR_GEN, private_template=private_template)
                der = encode_ec_public_key(public)
        return serialization.load_der_public_key(der)

    def store_certificate(self, label: str, cert: x509.Certificate, key_id: bytes, *,
                          pin: str = USER_PIN) -> None:
        """Store a certificate on the token under ``key_id`` (public, readable before login)."""
        from pkcs11 import Attribute, CertificateType, ObjectClass

        with self.token(label).open(rw=True, user_pin=pin) as session:
            session.create_object({
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True, Attribute.PRIVATE: False,
                Attribute.LABEL: cert.subject.rfc4514_string()[:60],
                Attribute.ID: key_id,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: cert.serial_number.to_bytes(20, "big"),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            })


@dataclass
class TokenSpec:
    """One certificate to put on a token: who, which key, when valid."""

    company: str
    tax_code: str
    key_id: bytes
    kind: str = "RSA"
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    always_authenticate: bool = False


@dataclass
class World:
    """The session's SoftHSM2 tokens and what is on them.

    Tokens (label: contents):
      ABC     RSA key 01, CÔNG TY TNHH ABC, MST 0312345678, valid; the CA cert too
      XYZ     RSA key 01, CÔNG TY CỔ PHẦN XYZ, MST 0109876543, valid; no CA cert
      TWO     RSA key 01 (ABC, 0312345678) and EC P-256 key 02 (DEF, 0301111111)
      OLD     RSA key 01, ABC, expired 10 days ago
      RENEW   RSA key 01 ABC expired, RSA key 02 ABC valid (the renewal case)
      AUTH    RSA key 01 with CKA_ALWAYS_AUTHENTICATE, ABC
      PINTEST RSA key 01, ABC (tests type wrong PINs here)
    """

    hsm: SoftHsm
    ca: DemoCA
    ca_pem: Path
    certs: dict[str, dict[bytes, x509.Certificate]] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.hsm.module_path

    def serial(self, label: str) -> str:
        return self.hsm.serial(label)

    def cert(self, label: str, key_id: bytes = b"\x01") -> x509.Certificate:
        return self.certs[label][key_id]


def _build_world(root: Path) -> World:
    now = _utcnow()
    ca = DemoCA.create("IBHXH TEST CA")
    ca_pem = root / "ca.pem"
    ca_pem.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    hsm = SoftHsm(root / "softhsm")
    expired = dict(not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=10))
    layout: dict[str, list[TokenSpec]] = {
        "ABC": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01")],
        "XYZ": [TokenSpec("Công ty cổ phần XYZ", TAX_XYZ, b"\x01")],
        "TWO": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01"),
                TokenSpec("Công ty TNHH DEF", TAX_DEF, b"\x02", kind="EC")],
        "OLD": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01", **expired)],
        "RENEW": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01", **expired),
                  TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x02")],
        "AUTH": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01", always_authenticate=True)],
        "PINTEST": [TokenSpec("Công ty TNHH ABC", TAX_ABC, b"\x01")],
    }
    for label in layout:
        hsm.init_token(label)
    world = World(hsm=hsm, ca=ca, ca_pem=ca_pem)
    for label, specs in layout.items():
        world.certs[label] = {}
        for spec in specs:
            public = hsm.generate_key(label, spec.key_id, kind=spec.kind,
                                      always_authenticate=spec.always_authenticate)
            cert = ca.issue(public, company_name=spec.company, tax_code=spec.tax_code,
                            not_before=spec.not_before, not_after=spec.not_after)
            hsm.store_certificate(label, cert, spec.key_id)
            world.certs[label][spec.key_id] = cert
    hsm.store_certificate("ABC", ca.certificate, b"\xca")
    return world


# Each test module that imports a session fixture gets its own FixtureDef from pytest;
# these caches make them share one world per run all the same.
_SHARED: dict[str, Any] = {}


@pytest.fixture(scope="session")
def softhsm_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """SoftHSM2 tokens for the whole run (see ``World``)."""
    if "world" not in _SHARED:
        _SHARED["world"] = _build_world(tmp_path_factory.mktemp("pkcs11"))
    return _SHARED["world"]


@pytest.fixture(scope="session")
def empty_softhsm(tmp_path_factory: pytest.TempPathFactory) -> SoftHsm:
    """A SoftHSM2 with no initialised token (only SoftHSM2's empty free slot)."""
    if "empty" not in _SHARED:
        _SHARED["empty"] = SoftHsm(tmp_path_factory.mktemp("pkcs11-empty"))
    return _SHARED["empty"]


@pytest.fixture(scope="session")
def unit_ca() -> DemoCA:
    """A CA in memory for certificates made in tests (valid 2020–2040)."""
    if "unit_ca" not in _SHARED:
        _SHARED["unit_ca"] = DemoCA.create(
            "IBHXH UNIT TEST CA", not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), days=7305)
    return _SHARED["unit_ca"]


# --------------------------------------------------------------------------- fakes

BASE_FLAGS = CKF_TOKEN_INITIALIZED | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED


class FakeObject(dict):
    """A PKCS#11 object: a dict of attributes, read with ``obj[Attribute.X]``."""


class FakeKey(FakeObject):
    """A private key whose ``sign`` uses a cryptography key, or raises ``fail``."""

    def __init__(self, key: Any, attrs: dict[Any, Any], token: FakeToken) -> None:
        super().__init__(attrs)
        self.key = key
        self.token = token
        self.fail: Exception | None = None
        self.calls: list[tuple[Any, bool]] = []

    def sign(self, data: bytes, *, mechanism: Any, pin: str | None = None) -> bytes:
        from pkcs11 import Mechanism
        from pkcs11 import exceptions as X

        self.calls.append((mechanism, pin is not None))
        if self.fail is not None:
            raise self.fail
        if pin is not None and pin != self.token.pin:
            self.token.wrong_pin()
            raise X.PinIncorrect()
        if mechanism == Mechanism.SHA256_RSA_PKCS:
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if mechanism == Mechanism.ECDSA:
            from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

            der = self.key.sign(data, ec.ECDSA(Prehashed(hashes.SHA256())))
            r, s = decode_dss_signature(der)
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        raise X.MechanismInvalid()


class FakeSession:
    """A session: ``get_objects`` filters by attributes; ``close`` records itself."""

    def __init__(self, token: FakeToken, logged_in: bool) -> None:
        self.token = token
        self.logged_in = logged_in
        self.closed = False

    def get_objects(self, attrs: dict[Any, Any] | None = None) -> Iterator[Any]:
        from pkcs11 import Attribute, ObjectClass

        if self.token.removed:
            from pkcs11 import exceptions as X

            raise X.DeviceRemoved()
        for obj in self.token.objects:
            if obj.get(Attribute.CLASS) == ObjectClass.PRIVATE_KEY and not self.logged_in:
                continue
            if all(obj.get(k) == v for k, v in (attrs or {}).items()):
                yield obj

    def close(self) -> None:
        self.closed = True
        if self.token.removed:
            from pkcs11 import exceptions as X

            raise X.DeviceRemoved()


class FakeToken:
    """A token with a PIN counter that sets COUNT_LOW / FINAL_TRY / LOCKED as real ones do.

    ``login_attempts`` counts every PIN that reached the token; ``open_error`` makes the
    next login raise that exception (TokenNotPresent, GeneralError …).
    """

    def __init__(self, label: str, serial: str, *, pin: str = "2468", max_tries: int = 3,
                 tries_left: int | None = None, extra_flags: int = 0) -> None:
        self.label = label
        self.serial = serial.encode("ascii")
        self.manufacturer_id = "Fake CA"
        self.model = "FakeToken 1"
        self.pin = pin
        self.max_tries = max_tries
        self.tries_left = max_tries if tries_left is None else tries_left
        self.extra_flags = extra_flags
        self.objects: list[FakeObject] = []
        self.login_attempts = 0
        self.sessions: list[FakeSession] = []
        self.slot: FakeSlot | None = None
        self.removed = False
        self.open_error: Exception | None = None
        self.app_logged_in = False  # PKCS#11 login is per application, not per session

    @property
    def flags(self) -> int:
        flags = BASE_FLAGS | self.extra_flags
        if self.tries_left <= 0:
            flags |= CKF_USER_PIN_LOCKED
        elif self.tries_left == 1:
            flags |= CKF_USER_PIN_FINAL_TRY
        elif self.tries_left < self.max_tries:
            flags |= CKF_USER_PIN_COUNT_LOW
        return flags

    def wrong_pin(self) -> None:
        self.tries_left -= 1

    def add(self, cert: x509.Certificate, key: Any | None, key_id: bytes, *,
            always_authenticate: bool = False) -> FakeKey | None:
        from pkcs11 import Attribute, CertificateType, ObjectClass

        self.objects.append(FakeObject({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.ID: key_id,
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)}))
        if key is None:
            return None
        fake = FakeKey(key, {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.ID: key_id,
                             Attribute.ALWAYS_AUTHENTICATE: always_authenticate}, self)
        self.objects.append(fake)
        return fake

    def open(self, rw: bool = False, user_pin: Any = None, **_: Any) -> FakeSession:
        from pkcs11 import PROTECTED_AUTH
        from pkcs11 import exceptions as X

        if self.removed:
            raise X.TokenNotPresent()
        if user_pin is not None:
            if self.open_error is not None:
                raise self.open_error
            if self.tries_left <= 0:
                raise X.PinLocked()
            self.login_attempts += 1
            if user_pin is PROTECTED_AUTH:
                if not self.extra_flags & CKF_PROTECTED_AUTHENTICATION_PATH:
                    raise X.ArgumentsBad()
            elif user_pin != self.pin:
                self.wrong_pin()
                raise X.PinIncorrect()
            self.tries_left = self.max_tries
        session = FakeSession(self, logged_in=user_pin is not None or self.app_logged_in)
        self.sessions.append(session)
        return session


class FakeSlot:
    """A slot holding one token."""

    def __init__(self, slot_id: int, token: FakeToken) -> None:
        self.slot_id = slot_id
        self._token = token
        token.slot = self

    def get_token(self) -> FakeToken:
        if self._token.removed:
            from pkcs11 import exceptions as X

            raise X.TokenNotPresent()
        return self._token


class FakeLib:
    """A module with these tokens; ``loader`` hands it to the token functions."""

    def __init__(self, *tokens: FakeToken) -> None:
        self.slots = [FakeSlot(i + 1, t) for i, t in enumerate(tokens)]

    def get_slots(self, token_present: bool = False) -> list[FakeSlot]:
        return [s for s in self.slots if not (token_present and s._token.removed)]

    def loader(self, path: str) -> FakeLib:
        return self


def fake_token(ca: DemoCA, label: str = "FAKE", serial: str = "FAKE0001", *,
               tax_code: str = TAX_ABC, kind: str = "RSA", **kwargs: Any
               ) -> tuple[FakeToken, x509.Certificate, FakeKey]:
    """A fake token with one valid certificate (issued by ``ca``) and its key."""
    token = FakeToken(label, serial, **kwargs)
    key: Any
    if kind == "RSA":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    cert = ca.issue(key.public_key(), company_name="Công ty TNHH ABC", tax_code=tax_code)
    fake = token.add(cert, key, b"\x01")
    assert fake is not None
    return token, cert, fake


def install_fake_module(monkeypatch: pytest.MonkeyPatch, folder: Path, lib: FakeLib,
                        name: str = "fake-ca-pkcs11.dll") -> str:
    """A module file at ``folder/name`` that the program loads as ``lib``.

    The program loads a module with ``pkcs11.lib(path)``; for this one path that call
    returns the fake (any other path loads the real library), so the command line and the
    window meet the flags SoftHSM2 never sets (FINAL_TRY, LOCKED) through their own code.
    """
    import pkcs11

    path = folder / name
    path.write_bytes(b"not a real PKCS#11 library")
    wanted = os.path.realpath(path)
    real = pkcs11.lib

    def load(module_path: str) -> Any:
        return lib if os.path.realpath(module_path) == wanted else real(module_path)

    monkeypatch.setattr(pkcs11, "lib", load)
    return str(path)
