"""USB tokens over PKCS#11 (python-pkcs11): find modules, list tokens, open a signer.

The flow a caller follows (the CLI prompts, the GUI shows a dialog; the library never asks):

1. ``find_modules(setting)`` → candidate module paths.
2. ``preflight(module, tax_code=…)`` → the chosen token and certificate, the certificate
   warnings and the PIN status read from the token flags, *before any PIN is sent*. A
   locked PIN raises ``pin_locked`` here; an expired certificate raises here too.
3. If ``preflight.pin_status`` is COUNT_LOW or FINAL_TRY, show ``pin_message(status)`` in
   the PIN dialog. COUNT_LOW only says a wrong PIN was entered since the last good login;
   FINAL_TRY says the next wrong PIN locks the token, and only it needs a confirmation.
4. ``open_signer(module, pin=…, token_serial=pf.token.serial,
   cert_fingerprint=pf.certificate.fingerprint, acknowledged=pf.pin_status)``. Without
   ``acknowledged`` a FINAL_TRY token raises ``pin_not_confirmed`` and the PIN is not
   sent. ``pin`` may instead be a callable ``(Preflight) -> str | None`` that is called
   after the flags are read (``None`` means cancelled): the warning then travels with the
   question, Electrum-style, and the callable is where the confirmation is asked.
5. ``with signer: sign_dossier(…, signer, …)``. Closing logs out and drops the PIN.

A token is identified by its serial number and the certificate's SHA-256 fingerprint, not
by its label. PKCS#11 errors are translated once, here at the edge, into ``SigningError``
with the module path and the original exception type in ``detail``.

The PIN is handed to C_Login and then dropped. The one exception: a key marked
CKA_ALWAYS_AUTHENTICATE needs the PIN again for each signature (a CKU_CONTEXT_SPECIFIC
login between C_SignInit and C_Sign, which python-pkcs11 does when ``sign(…, pin=…)``
is given), so for such a key the PIN is held by the ``TokenSigner`` until ``close()``,
i.e. for the one signing operation, and never written anywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.certs import (
    CertInfo,
    CertWarning,
    check_for_signing,
    describe,
    normalize_fingerprint,
)
from ibhxh_client.signing.pin import (
    CKF_LOGIN_REQUIRED,
    CKF_PROTECTED_AUTHENTICATION_PATH,
    CKF_TOKEN_INITIALIZED,
    PinStatus,
    pin_status_from_flags,
)
from ibhxh_client.signing.signer import Signer

ENV_VAR = "IBHXH_PKCS11_MODULE"
MIN_FINGERPRINT_PREFIX = 16

# DigestInfo prefix of SHA-256 (RFC 8017 §9.2), for tokens that only offer raw CKM_RSA_PKCS.
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

PinSource = str | Callable[["Preflight"], "str | None"]


# --------------------------------------------------------------------------- modules

@dataclass(frozen=True)
class KnownModule:
    """One row of resources/pkcs11_modules.toml."""

    vendor: str
    path: str
    platform: str = "windows"
    status: str = "check"
    note: str = ""


def _known_modules_file() -> Path:
    from ibhxh_client.paths import resources_dir

    return resources_dir() / "pkcs11_modules.toml"


def known_modules(file: str | Path | None = None) -> list[KnownModule]:
    """The rows of the known-module file (default resources/pkcs11_modules.toml)."""
    path = Path(file) if file else _known_modules_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    rows = []
    for row in data.get("module", []):
        if not isinstance(row, dict) or not row.get("path"):
            continue
        rows.append(KnownModule(vendor=str(row.get("vendor", "")), path=str(row["path"]),
                                platform=str(row.get("platform", "windows")).lower(),
                                status=str(row.get("status", "check")),
                                note=str(row.get("note", ""))))
    return rows


def expand_path(path: str, env: Mapping[str, str] | None = None) -> str:
    """Expand %VAR% (Windows style, case-insensitive), $VAR/${VAR} and a leading ~.

    Unknown variables are left as written, so the path simply will not exist.
    """
    env = os.environ if env is None else env
    upper = {k.upper(): v for k, v in env.items()}

    def win(m: re.Match[str]) -> str:
        return upper.get(m.group(1).upper(), m.group(0))

    def posix(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(2)
        return env.get(name, m.group(0))

    path = re.sub(r"%([^%/\\]+)%", win, path)
    path = re.sub(r"\$\{([^}]+)\}|\$([A-Za-z_][A-Za-z0-9_]*)", posix, path)
    if path.startswith("~"):
        home = env.get("HOME") or env.get("USERPROFILE")
        if home:
            path = home + path[1:]
    return path


def _platform_name(platform: str) -> str:
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "linux"


def find_modules(setting: str | None = None, *, env: Mapping[str, str] | None = None,
                 platform: str | None = None, known_file: str | Path | None = None,
                 exists: Callable[[str], bool] = os.path.isfile) -> list[str]:
    """PKCS#11 module paths to try, best first, without duplicates.

    1. ``setting`` (the user's configured path), kept even if missing, so that loading
       it gives a clear "not found at <path>" error rather than silently using another;
    2. the environment variable IBHXH_PKCS11_MODULE (several paths joined with ";" on
       Windows, ":" elsewhere), kept likewise;
    3. the rows of resources/pkcs11_modules.toml for this platform (Windows: the DLLs of
       Vietnamese CA tokens; Linux: SoftHSM2, OpenSC …) that exist on this machine.
    """
    env = os.environ if env is None else env
    plat = _platform_name(platform or sys.platform)
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        # The same library under two names (a symlink) must be loaded once only.
        key = os.path.realpath(path) if exists(path) else path
        key = key.lower() if plat == "windows" else key
        if path and key not in seen:
            seen.add(key)
            found.append(path)

    if setting and setting.strip():
        add(expand_path(setting.strip(), env))
    for part in (env.get(ENV_VAR) or "").split(";" if plat == "windows" else ":"):
        if part.strip():
            add(expand_path(part.strip(), env))
    for row in known_modules(known_file):
        if row.platform != plat:
            continue
        path = expand_path(row.path, env)
        if exists(path):
            add(path)
    return found


def load_module(path: str) -> Any:
    """Load the PKCS#11 module at ``path`` (python-pkcs11 keeps one instance per path).

    Raises module_not_found (names the path) when there is no such file, and
    module_load_failed (path and the original error type) when it will not load.
    """
    import pkcs11

    if not path or not os.path.isfile(path):
        raise E.ModuleError(E.MODULE_NOT_FOUND, path=path)
    try:
        # One instance per file: a second C_Initialize through a symlink would fail.
        return pkcs11.lib(os.path.realpath(path))
    except (pkcs11.PKCS11Error, OSError) as exc:
        raise E.ModuleError(E.MODULE_LOAD_FAILED, path=path, error=type(exc).__name__,
                            detail=str(exc)[:300]) from None


# --------------------------------------------------------------------------- edge

def _translate(exc: Exception, module_path: str) -> E.SigningError:
    """One PKCS#11 exception as a SigningError (module path and type in ``detail``)."""
    from pkcs11 import exceptions as X

    detail = f"{type(exc).__name__}, {module_path}"
    if isinstance(exc, X.DeviceRemoved | X.TokenNotPresent | X.TokenNotRecognised
                  | X.SessionClosed | X.SessionHandleInvalid | X.SlotIDInvalid):
        return E.TokenError(E.TOKEN_REMOVED, detail=detail)
    if isinstance(exc, X.PinLocked):
        return E.PinError(E.PIN_LOCKED, detail=detail)
    if isinstance(exc, X.PinIncorrect):
        return E.PinError(E.PIN_INCORRECT, detail=detail)
    if isinstance(exc, X.PinLenRange | X.PinInvalid):
        return E.PinError(E.PIN_INCORRECT, key="pin.length", detail=detail)
    if isinstance(exc, X.PinExpired):
        return E.PinError(E.PIN_EXPIRED, key="pin.expired", detail=detail)
    if isinstance(exc, X.FunctionCancelled):
        return E.PinError(E.PIN_CANCELLED, detail=detail)
    return E.TokenError(E.DEVICE_ERROR, detail=detail)


@contextmanager
def _edge(module_path: str) -> Iterator[None]:
    """Translate PKCS#11 exceptions raised inside the block; let ours pass through."""
    from pkcs11 import PKCS11Error

    try:
        yield
    except PKCS11Error as exc:
        raise _translate(exc, module_path) from exc


# --------------------------------------------------------------------------- listing

@dataclass(frozen=True)
class TokenInfo:
    """A token as seen before login: identity, flags, PIN status and certificates.

    ``certificates`` are the end-entity certificates (candidates for signing), each with
    its CKA_ID as ``key_id``; ``ca_certificates`` are issuer certificates stored on the
    token (used to check the chain).
    """

    module_path: str
    slot_id: int
    label: str
    serial: str
    manufacturer: str
    model: str
    flags: int
    certificates: tuple[CertInfo, ...] = ()
    ca_certificates: tuple[CertInfo, ...] = ()

    @property
    def pin_status(self) -> PinStatus:
        """LOCKED, FINAL_TRY, COUNT_LOW or OK, from the flags."""
        return pin_status_from_flags(self.flags)

    @property
    def login_required(self) -> bool:
        """CKF_LOGIN_REQUIRED."""
        return bool(self.flags & CKF_LOGIN_REQUIRED)

    @property
    def protected_auth_path(self) -> bool:
        """The PIN is typed on the reader's own PIN pad."""
        return bool(self.flags & CKF_PROTECTED_AUTHENTICATION_PATH)

    def name(self) -> str:
        """"LABEL (serial SERIAL)" for lists and messages."""
        return f"{self.label} ({self.serial})"


def _serial(token: Any) -> str:
    raw = token.serial
    if isinstance(raw, bytes):
        raw = raw.decode("ascii", "replace")
    return str(raw).strip()


def _read_certificates(token: Any) -> tuple[list[CertInfo], list[CertInfo]]:
    from pkcs11 import Attribute, CertificateType, ObjectClass

    leaves: list[CertInfo] = []
    cas: list[CertInfo] = []
    session = token.open()
    try:
        objects = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE,
                                            Attribute.CERTIFICATE_TYPE: CertificateType.X_509}))
        for obj in objects:
            try:
                der = obj[Attribute.VALUE]
                key_id = obj[Attribute.ID]
            except Exception:
                continue
            try:
                cert = x509.load_der_x509_certificate(bytes(der))
            except ValueError:
                continue
            info = describe(cert, key_id=bytes(key_id or b""))
            (cas if info.is_ca else leaves).append(info)
    finally:
        session.close()
    return leaves, cas


def _scan(lib: Any, module_path: str) -> list[tuple[TokenInfo, Any]]:
    """Every initialised token present, with its certificates, and its python-pkcs11 object."""
    from pkcs11 import exceptions as X

    out = []
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except (X.TokenNotPresent, X.TokenNotRecognised):
            continue
        flags = int(token.flags)
        if not flags & CKF_TOKEN_INITIALIZED:
            continue
        leaves, cas = _read_certificates(token)
        info = TokenInfo(module_path=module_path, slot_id=int(slot.slot_id),
                         label=str(token.label).strip(), serial=_serial(token),
                         manufacturer=str(token.manufacturer_id).strip(),
                         model=str(token.model).strip(), flags=flags,
                         certificates=tuple(leaves), ca_certificates=tuple(cas))
        out.append((info, token))
    return out


def list_tokens(module_path: str, *, loader: Callable[[str], Any] = load_module
                ) -> list[TokenInfo]:
    """The initialised tokens present in ``module_path``'s slots, read before any login.

    ``loader`` turns a path into a module object (tests pass fakes).
    """
    lib = loader(module_path)
    with _edge(module_path):
        return [info for info, _ in _scan(lib, module_path)]


# --------------------------------------------------------------------------- choosing

@dataclass(frozen=True)
class Preflight:
    """What is known before the PIN is asked for: which token, which certificate, what to
    warn about. ``pin_status`` is read from the token flags (never LOCKED: that raises)."""

    token: TokenInfo
    certificate: CertInfo
    chain: tuple[x509.Certificate, ...] = ()
    warnings: tuple[CertWarning, ...] = ()
    _token_obj: Any = field(default=None, repr=False, compare=False)

    @property
    def pin_status(self) -> PinStatus:
        """OK, COUNT_LOW or FINAL_TRY."""
        return self.token.pin_status


def _found(scanned: Sequence[tuple[TokenInfo, Any]]) -> str:
    certs = [c.short() for t, _ in scanned for c in t.certificates]
    return "; ".join(certs) or "-"


def _select(scanned: Sequence[tuple[TokenInfo, Any]], *, token_serial: str | None,
            token_label: str | None, cert_fingerprint: str | None, tax_code: str | None,
            now: dt.datetime) -> tuple[TokenInfo, Any, CertInfo]:
    """Pick one (token, certificate) or raise the precise error of why not."""
    if not scanned:
        raise E.TokenError(E.NO_TOKEN)
    tokens = list(scanned)
    if token_serial:
        tokens = [t for t in tokens if t[0].serial == token_serial.strip()]
    if token_label:
        tokens = [t for t in tokens if t[0].label == token_label.strip()]
    if not tokens:
        wanted = " ".join(x for x in (token_label, token_serial) if x)
        raise E.TokenError(E.NO_TOKEN, key="no_token_match", wanted=wanted,
                           found=", ".join(t.name() for t, _ in scanned))
    pairs = [(t, obj, c) for t, obj in tokens for c in t.certificates]
    if not pairs:
        raise E.TokenError(E.NO_CERTIFICATE,
                           token=", ".join(t.name() for t, _ in tokens))
    if cert_fingerprint:
        fp = normalize_fingerprint(cert_fingerprint)
        if len(fp) >= MIN_FINGERPRINT_PREFIX:
            pairs = [p for p in pairs if p[2].fingerprint.startswith(fp)]
        else:
            pairs = []
        if not pairs:
            raise E.TokenError(E.NO_CERTIFICATE, key="no_certificate_fingerprint",
                               fingerprint=fp, found=_found(tokens))
    if tax_code:
        pairs = [p for p in pairs if p[2].tax_code == tax_code.strip()]
        if not pairs:
            raise E.TokenError(E.NO_CERTIFICATE, key="no_certificate_tax",
                               tax_code=tax_code, found=_found(tokens))
    if len(pairs) > 1:
        # A renewed certificate usually sits beside the expired one: prefer valid ones.
        valid = [p for p in pairs if p[2].valid_at(now)]
        if valid:
            pairs = valid
    serials = sorted({p[0].serial for p in pairs})
    if len(serials) > 1:
        raise E.TokenError(E.SEVERAL_TOKENS, count=len(serials), serials=", ".join(serials))
    if len(pairs) > 1:
        raise E.TokenError(E.SEVERAL_CERTIFICATES, count=len(pairs),
                           fingerprints=", ".join(p[2].fingerprint for p in pairs))
    token, obj, cert = pairs[0]
    return token, obj, cert


def _preflight(lib: Any, module_path: str, *, token_serial: str | None,
               token_label: str | None, cert_fingerprint: str | None,
               tax_code: str | None, now: dt.datetime | None,
               extra_chain: Sequence[x509.Certificate]) -> Preflight:
    now = now or dt.datetime.now(dt.UTC)
    with _edge(module_path):
        scanned = _scan(lib, module_path)
    token, obj, cert = _select(scanned, token_serial=token_serial, token_label=token_label,
                               cert_fingerprint=cert_fingerprint, tax_code=tax_code, now=now)
    if token.pin_status is PinStatus.LOCKED:
        raise E.PinError(E.PIN_LOCKED, detail=token.name())
    chain = tuple(c.certificate for c in token.ca_certificates if c.certificate is not None)
    chain += tuple(extra_chain)
    assert cert.certificate is not None
    warnings = tuple(check_for_signing(cert.certificate, now, chain))
    return Preflight(token=token, certificate=cert, chain=chain, warnings=warnings,
                     _token_obj=obj)


def preflight(module_path: str, *, token_serial: str | None = None,
              token_label: str | None = None, cert_fingerprint: str | None = None,
              tax_code: str | None = None, now: dt.datetime | None = None,
              extra_chain: Sequence[x509.Certificate] = (),
              loader: Callable[[str], Any] = load_module) -> Preflight:
    """Choose the token and certificate and check them, without any PIN.

    Chooses by ``token_serial``/``token_label``, then ``cert_fingerprint`` (SHA-256, full
    or its first 16+ hex digits) and ``tax_code`` (the employer's, matched against the
    certificate's UID "MST:…"); among several matches, currently valid certificates win.
    Raises no_token, several_tokens (lists serials), no_certificate,
    several_certificates (lists fingerprints), pin_locked (nothing is sent to the token),
    the certificate refusals (expired, not yet valid, key usage, weak key, chain), and
    token_removed/device_error. ``extra_chain``: configured issuer certificates.
    """
    lib = loader(module_path)
    return _preflight(lib, module_path, token_serial=token_serial, token_label=token_label,
                      cert_fingerprint=cert_fingerprint, tax_code=tax_code, now=now,
                      extra_chain=extra_chain)


# --------------------------------------------------------------------------- signing

class TokenSigner(Signer):
    """A logged-in session on a token and the private key that matches the certificate."""

    def __init__(self, *, module_path: str, token: TokenInfo, session: Any, key: Any,
                 certificate: x509.Certificate, chain: tuple[x509.Certificate, ...],
                 warnings: tuple[CertWarning, ...], slot: Any,
                 always_authenticate: bool, pin: str | None) -> None:
        self.module_path = module_path
        self.token = token
        self.certificate = certificate
        self.chain = chain
        self.warnings = warnings
        self.always_authenticate = always_authenticate
        self._session = session
        self._key = key
        self._slot = slot
        # Held only for CKA_ALWAYS_AUTHENTICATE keys, and only until close().
        self._pin = pin if always_authenticate else None
        self._raw_rsa = False

    def sign(self, data: bytes) -> bytes:
        """SHA-256 and sign on the token: CKM_SHA256_RSA_PKCS for RSA (falling back to
        CKM_RSA_PKCS over a DigestInfo made here when the token lacks it); for EC the
        hash is made here, signed with CKM_ECDSA and returned DER-encoded."""
        from pkcs11 import Mechanism
        from pkcs11 import exceptions as X

        if self._session is None:
            raise RuntimeError("token signer is closed")
        key = self.certificate.public_key()
        with _edge(self.module_path):
            try:
                if isinstance(key, rsa.RSAPublicKey):
                    if not self._raw_rsa:
                        try:
                            return self._key_sign(data, Mechanism.SHA256_RSA_PKCS)
                        except X.MechanismInvalid:
                            self._raw_rsa = True
                    digest_info = _SHA256_DIGEST_INFO + hashlib.sha256(data).digest()
                    return self._key_sign(digest_info, Mechanism.RSA_PKCS)
                if isinstance(key, ec.EllipticCurvePublicKey):
                    raw = self._key_sign(hashlib.sha256(data).digest(), Mechanism.ECDSA)
                    half = len(raw) // 2
                    return encode_dss_signature(int.from_bytes(raw[:half], "big"),
                                                int.from_bytes(raw[half:], "big"))
            except X.PinIncorrect:
                raise _after_wrong_pin(self._slot, self.module_path) from None
        raise E.CertificateError(E.CERT_WEAK_KEY, subject=self.token.name(),
                                 key_type=type(key).__name__)

    def _key_sign(self, data: bytes, mechanism: Any) -> bytes:
        if self.always_authenticate:
            return bytes(self._key.sign(data, mechanism=mechanism, pin=self._pin))
        return bytes(self._key.sign(data, mechanism=mechanism))

    def close(self) -> None:
        """Log out, close the session, forget the PIN. Safe after the token is pulled."""
        self._pin = None
        session, self._session, self._key = self._session, None, None
        if session is not None:
            try:
                session.close()
            except Exception:
                pass


def _after_wrong_pin(slot: Any, module_path: str) -> E.SigningError:
    """Re-read the flags after CKR_PIN_INCORRECT and say what is left."""
    from pkcs11 import PKCS11Error

    detail = f"PinIncorrect, {module_path}"
    try:
        flags = int(slot.get_token().flags)
    except PKCS11Error as exc:
        return _translate(exc, module_path)
    status = pin_status_from_flags(flags)
    if status is PinStatus.LOCKED:
        return E.PinError(E.PIN_LOCKED, key="pin.incorrect", tries_left=PinStatus.LOCKED,
                          detail=detail)
    tries = status if status.needs_warning else None
    return E.PinError(E.PIN_INCORRECT, tries_left=tries, detail=detail)


def _find_private_key(session: Any, cert: CertInfo) -> Any:
    from pkcs11 import Attribute, ObjectClass

    key_id = bytes.fromhex(cert.key_id) if cert.key_id else b""
    if key_id:
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                                         Attribute.ID: key_id}))
        if len(keys) == 1:
            return keys[0]
    # No CKA_ID match: look for the RSA key whose modulus is the certificate's.
    public = cert.certificate.public_key() if cert.certificate else None
    if isinstance(public, rsa.RSAPublicKey):
        modulus = public.public_numbers().n
        for key in list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})):
            try:
                if int.from_bytes(bytes(key[Attribute.MODULUS]), "big") == modulus:
                    return key
            except Exception:
                continue
    raise E.TokenError(E.NO_CERTIFICATE, key="no_private_key", fingerprint=cert.fingerprint)


def _always_authenticate(key: Any) -> bool:
    from pkcs11 import Attribute

    try:
        return bool(key[Attribute.ALWAYS_AUTHENTICATE])
    except Exception:
        return False


def open_signer(module_path: str, *, pin: PinSource | None,
                token_serial: str | None = None, token_label: str | None = None,
                cert_fingerprint: str | None = None, tax_code: str | None = None,
                acknowledged: PinStatus = PinStatus.OK, now: dt.datetime | None = None,
                extra_chain: Sequence[x509.Certificate] = (),
                loader: Callable[[str], Any] = load_module) -> TokenSigner:
    """Log in to the chosen token and return a signer for the chosen certificate.

    Does all that ``preflight`` does first (so a locked PIN, an expired certificate, no
    token or an ambiguous choice raise before any PIN is used). Then:

    - ``pin`` a string: if the flags say FINAL_TRY and ``acknowledged`` is not FINAL_TRY,
      raises pin_not_confirmed (with ``pin_status``) without sending it; COUNT_LOW (a
      wrong PIN earlier) needs no acknowledgement;
    - ``pin`` a callable: called with the ``Preflight`` (its ``pin_status`` and
      ``warnings`` belong in the dialog); returning ``None`` raises pin_cancelled;
    - ``pin`` ``None`` or "" on a token with a PIN pad (protected authentication path):
      the PIN is typed on the reader.

    A wrong PIN re-reads the flags: pin_incorrect with ``tries_left`` COUNT_LOW/FINAL_TRY,
    or pin_locked when that was the last try. The returned signer must be closed (use
    ``with``); its ``warnings`` are the certificate warnings.
    """
    import pkcs11
    from pkcs11 import exceptions as X

    lib = loader(module_path)
    pf = _preflight(lib, module_path, token_serial=token_serial, token_label=token_label,
                    cert_fingerprint=cert_fingerprint, tax_code=tax_code, now=now,
                    extra_chain=extra_chain)
    status = pf.pin_status
    if callable(pin):
        pin = pin(pf)
        if pin is None:
            raise E.pin_cancelled()
    elif status.needs_confirmation and acknowledged.severity < status.severity:
        raise E.PinError(E.PIN_NOT_CONFIRMED, pin_status=status)
    token_obj = pf._token_obj
    secret: Any = pin
    if not pin:
        if not pf.token.protected_auth_path:
            raise E.pin_cancelled()
        secret = pkcs11.PROTECTED_AUTH
    with _edge(module_path):
        try:
            session = token_obj.open(user_pin=secret)
        except X.PinIncorrect:
            raise _after_wrong_pin(token_obj.slot, module_path) from None
        except X.UserAlreadyLoggedIn:
            # Login is per application: another open signer on this token already logged
            # in, so a plain session is logged in too (and closing it will not log out).
            session = token_obj.open()
        finally:
            secret = None
        try:
            key = _find_private_key(session, pf.certificate)
            always = _always_authenticate(key)
        except BaseException:
            session.close()
            raise
    assert pf.certificate.certificate is not None
    signer = TokenSigner(module_path=module_path, token=pf.token, session=session, key=key,
                         certificate=pf.certificate.certificate, chain=pf.chain,
                         warnings=pf.warnings, slot=token_obj.slot,
                         always_authenticate=always,
                         pin=pin if (always and isinstance(pin, str)) else None)
    del pin
    return signer
