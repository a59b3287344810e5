"""The sandbox gateway's endpoints as plain methods: JSON in, an ``Answer`` out.

The HTTP layer (``server``) routes requests here and turns a ``Refusal`` into the
protocol's error body; fault switches are applied there, not here.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography import x509

from ...domain.claims import Claim
from ...domain.ids import check_unit_code
from ...signing import errors as signing_errors
from ...signing.certs import check_validity, tax_code_of, verify_trust
from ...signing.signer import verify_signature
from .. import protocol as P
from ..documents import VIETNAM, sign_document
from ..receipt import SIGNATURE_ID as RECEIPT_SIGNATURE_ID
from ..receipt import FormEntry, ReceiptData, build_receipt
from ..result import SIGNATURE_ID as RESULT_SIGNATURE_ID
from ..result import ClaimOutcome, Reason, ResultData, build_result
from .checks import Refusal, RegistrationFacts, Row, Schemas, check_envelope, check_registration
from .claims import (
    ClaimRow,
    answer_claims,
    check_training,
    from_json,
    is_claim_row,
    stored_claim,
)
from .pki import Pki
from .processing import decide
from .store import Account, Store, StoredRegistration

SESSION_SECONDS = 30 * 60
CHALLENGE_SECONDS = 120
DEFAULT_AGENCY = "07906"
GATEWAY_NAME = "Cổng tiếp nhận hồ sơ BHXH — sandbox ibhxh-client"


@dataclass
class Answer:
    """What an endpoint answers; ``stored`` is true when a new dossier was stored."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    stored: bool = False


@dataclass(frozen=True)
class LoggedIn:
    """A session: whose, how it logged in, until when (monotonic seconds)."""

    unit_code: str
    tax_code: str | None
    method: str
    expires: float


def _iso(when: dt.datetime) -> str:
    return when.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def _parse(cls: type[P.Message], body: Any) -> Any:
    try:
        return cls.from_json(body)
    except P.ProtocolError as exc:
        raise Refusal(P.ErrorCode.BAD_REQUEST, "Yêu cầu không đúng giao thức.",
                      [P.Detail(where=cls.__name__, message=str(exc)[:300])]) from None


def _idempotency(key: str | None) -> None:
    """An Idempotency-Key is there and well formed, or Refusal."""
    if not key:
        raise Refusal(P.ErrorCode.IDEMPOTENCY_KEY_MISSING, "Thiếu khóa chống trùng.")
    if not P.IDEMPOTENCY_KEY.fullmatch(key):
        raise Refusal(P.ErrorCode.BAD_REQUEST, "Khóa chống trùng không hợp lệ.")


def _stopped(account: Account | None) -> None:
    """Refusal(registration_stopped) for a unit that stopped electronic filing."""
    if account is not None and account.status == P.RegistrationStatus.STOPPED:
        raise Refusal(P.ErrorCode.REGISTRATION_STOPPED, f"Đơn vị {account.unit_code} đã ngừng "
                      f"giao dịch điện tử ({account.reference}); hãy đăng ký lại (04_DK-IVAN).")


class GatewayApi:
    """The sandbox's behaviour; thread-safe (the HTTP server runs a thread per client)."""

    def __init__(self, store: Store, pki: Pki, *, trial_password: str | None,
                 trusted_cas: Sequence[x509.Certificate] = (), process_after: float = 5.0,
                 agency: str = DEFAULT_AGENCY, clock: Callable[[], float] = time.time,
                 trial_secret: bytes | None = None, training: Collection[str] = ()) -> None:
        self.store = store
        self.pki = pki
        self.trial_password = trial_password
        # The trial passwords issued at registration are derived from this, never stored.
        self.trial_secret = trial_secret or os.urandom(32)
        self.trusted_cas = list(trusted_cas)
        self.process_after = process_after
        self.agency = agency
        self.clock = clock
        # The rules training mode breaks on purpose in claim lists (claims.TRAINING)
        self.training = check_training(training)
        self.schemas = Schemas()
        self._lock = threading.Lock()
        self._process_lock = threading.Lock()
        self._sessions: dict[str, LoggedIn] = {}
        self._challenges: dict[str, tuple[str, str, float]] = {}

    def _now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    # -- who is calling --------------------------------------------------------------

    def info(self) -> Answer:
        return Answer(200, P.Info(protocol=P.PROTOCOL, versions=[P.VERSION],
                                  gateway=GATEWAY_NAME, server_time=_iso(self._now()),
                                  sandbox=True).to_json())

    def _session(self, unit_code: str, tax_code: str | None, method: str) -> Answer:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}
            self._sessions[token] = LoggedIn(unit_code, tax_code, method,
                                             now + SESSION_SECONDS)
        return Answer(200, P.Session(token=token, expires_in=SESSION_SECONDS,
                                     unit_code=unit_code, method=method,
                                     tax_code=tax_code).to_json())

    def authenticate(self, authorization: str | None) -> LoggedIn:
        """The session of a ``Bearer`` token, or Refusal(unauthorized)."""
        scheme, _, token = (authorization or "").partition(" ")
        with self._lock:
            session = self._sessions.get(token.strip()) if scheme.lower() == "bearer" else None
            if session is not None and session.expires <= time.monotonic():
                del self._sessions[token.strip()]
                session = None
        if session is None:
            raise Refusal(P.ErrorCode.UNAUTHORIZED, "Chưa đăng nhập hoặc phiên đã hết hạn.")
        return session

    def _check_unit(self, unit_code: str) -> None:
        if check_unit_code(unit_code) is not None:
            raise Refusal(P.ErrorCode.LOGIN_FAILED, "Mã đơn vị không hợp lệ.")

    def challenge(self, body: Any) -> Answer:
        req = _parse(P.ChallengeRequest, body)
        self._check_unit(req.unit_code)
        challenge_id = secrets.token_urlsafe(16)
        nonce = P.b64encode(os.urandom(32))
        with self._lock:
            now = time.monotonic()
            self._challenges = {k: c for k, c in self._challenges.items() if c[2] > now}
            self._challenges[challenge_id] = (req.unit_code, nonce, now + CHALLENGE_SECONDS)
        return Answer(200, P.Challenge(challenge_id=challenge_id, nonce=nonce,
                                       expires_in=CHALLENGE_SECONDS).to_json())

    def login_certificate(self, body: Any) -> Answer:
        req = _parse(P.CertificateLogin, body)
        with self._lock:
            found = self._challenges.pop(req.challenge_id, None)  # one use only
        if found is None or found[2] <= time.monotonic():
            raise Refusal(P.ErrorCode.CHALLENGE_EXPIRED, "Mã xác thực không còn hiệu lực.")
        unit_code, nonce, _ = found
        if req.unit_code != unit_code:
            raise Refusal(P.ErrorCode.LOGIN_FAILED, "Mã đơn vị không khớp mã xác thực.")
        try:
            cert = x509.load_der_x509_certificate(P.b64decode(req.certificate, "certificate"))
        except (P.ProtocolError, ValueError):
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Chứng thư số không đọc được.") from None
        signature = P.b64decode(req.signature, "signature") if req.signature else b""
        if not verify_signature(cert, signature, P.login_message(unit_code, nonce)):
            raise Refusal(P.ErrorCode.LOGIN_FAILED, "Chữ ký trên mã xác thực không hợp lệ.")
        now = self._now()
        try:
            check_validity(cert, now)
            if self.trusted_cas:
                verify_trust(cert, self.trusted_cas, at=now)
        except signing_errors.SigningError as exc:
            raise Refusal(P.ErrorCode.CERTIFICATE_REFUSED, exc.message("vi")) from None
        tax_code = tax_code_of(cert.subject)
        if not tax_code:
            raise Refusal(P.ErrorCode.CERTIFICATE_REFUSED,
                          "Chứng thư số không mang mã số thuế (UID MST:…).")
        with self.store.transaction() as conn:
            _known, registered = self.store.unit_tax_code(conn, unit_code)
            if registered and registered != tax_code:
                raise Refusal(P.ErrorCode.UNIT_MISMATCH,
                              "Mã số thuế trên chứng thư số không phải của đơn vị này.")
            _stopped(self.store.account(conn, unit_code))
            self.store.register_unit(conn, unit_code, tax_code, _iso(now))
        return self._session(unit_code, tax_code, "certificate")

    def login_password(self, body: Any) -> Answer:
        req = _parse(P.PasswordLogin, body)
        if self.trial_password is None:
            raise Refusal(P.ErrorCode.TRIAL_DISABLED, "Cổng này không có tài khoản dùng thử.")
        self._check_unit(req.unit_code)
        with self.store.transaction() as conn:
            expected = self._password_of(self.store.account(conn, req.unit_code))
        if not hmac.compare_digest(req.password.encode("utf-8"), expected.encode("utf-8")):
            raise Refusal(P.ErrorCode.LOGIN_FAILED, "Sai mã đơn vị hoặc mật khẩu.")
        with self.store.transaction() as conn:
            self.store.register_unit(conn, req.unit_code, None, _iso(self._now()))
        return self._session(req.unit_code, None, "password")

    def _password_of(self, account: Account | None) -> str:
        """The password a unit logs in with: the one issued when it registered without a
        certificate, or (a unit that never registered) the sandbox's shared one."""
        assert self.trial_password is not None
        if account is None:
            return self.trial_password
        _stopped(account)
        if account.method != "password" or account.password_key is None:
            raise Refusal(P.ErrorCode.LOGIN_FAILED, "Đơn vị này đăng ký giao dịch bằng chữ ký "
                          "số: hãy đăng nhập bằng chứng thư số.")
        return self.issued_password(account.unit_code, account.password_key)

    def issued_password(self, unit_code: str, key: str) -> str:
        """The trial password of the registration with idempotency key ``key``."""
        mac = hmac.new(self.trial_secret, f"trial\n{unit_code}\n{key}".encode(),
                       hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii")[:16]

    # -- registering for electronic filing --------------------------------------------

    def register(self, authorization: str | None, idempotency_key: str | None,
                 body: Any) -> Answer:
        """A registration file (04_DK-IVAN, 05_SD-IVAN, 06_NG-IVAN) in: the unit's account
        as it now stands, or the first answer again for the same idempotency key."""
        _idempotency(idempotency_key)
        assert idempotency_key is not None
        req = _parse(P.RegistrationRequest, body)
        try:
            data = P.b64decode(req.file, "file")
        except P.ProtocolError as exc:
            raise Refusal(P.ErrorCode.BAD_REQUEST, str(exc)) from None
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 != req.sha256:
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Mã băm không khớp với tờ khai nhận được.")
        now = self._now()
        facts = check_registration(data, req.kind, schemas=self.schemas,
                                   trusted_cas=self.trusted_cas or None, now=now)
        unit = facts.unit_code
        with self.store.transaction() as conn:
            found = self.store.registration_by_key(conn, unit, idempotency_key)
            if found is not None:
                return self._replay_registration(found, sha256)
            account = self.store.account(conn, unit)
            _known, learnt = self.store.unit_tax_code(conn, unit)
            if learnt and learnt != facts.tax_code:
                raise Refusal(P.ErrorCode.UNIT_MISMATCH, f"Đơn vị {unit} đã giao dịch với mã "
                              f"số thuế {learnt}, không phải {facts.tax_code}.")
            method, password_key = self._decide(req.kind, account, facts, authorization,
                                                idempotency_key)
            seq = self.store.next_registration(conn)
            reference = f"DK-{now.astimezone(VIETNAM).year}-{seq:06d}"
            stop = req.kind == P.RegistrationKind.STOP
            status = P.RegistrationStatus.STOPPED if stop else P.RegistrationStatus.REGISTERED
            self.store.save_account(conn, Account(
                unit_code=unit, tax_code=facts.tax_code, status=str(status), method=method,
                password_key=password_key, reference=reference,
                registered_at=account.registered_at if account and req.kind !=
                P.RegistrationKind.REGISTER else _iso(now), updated_at=_iso(now)))
            self.store.register_unit(conn, unit, facts.tax_code, _iso(now))
            answer = P.Registration(reference=reference, kind=req.kind, status=status,
                                    unit_code=unit, login=unit, method=method,
                                    tax_code=facts.tax_code, received_at=_iso(now)).to_json()
            issued = password_key is not None and password_key == idempotency_key
            self.store.add_registration(conn, seq=seq, reference=reference, unit_code=unit,
                                        idempotency_key=idempotency_key, file_sha256=sha256,
                                        kind=req.kind, received_at=_iso(now),
                                        issued_password=issued, answer=answer, file=data)
        if stop:
            with self._lock:  # a unit that stopped has no session left
                self._sessions = {k: s for k, s in self._sessions.items()
                                  if s.unit_code != unit}
        if issued:
            answer = {**answer, "trial_password": self.issued_password(unit, idempotency_key)}
        return Answer(201, answer, stored=True)

    def _decide(self, kind: str, account: Account | None, facts: RegistrationFacts,
                authorization: str | None, key: str) -> tuple[str, str | None]:
        """Whether this file may do what it asks, and then how the account logs in and
        the key its trial password derives from (None: it has none)."""
        signed = facts.certificate is not None
        if kind == P.RegistrationKind.REGISTER:
            if account is not None and account.status == P.RegistrationStatus.REGISTERED:
                raise Refusal(P.ErrorCode.ALREADY_REGISTERED, f"Đơn vị {facts.unit_code} đã "
                              f"đăng ký giao dịch điện tử ({account.reference}); muốn đổi "
                              "thông tin thì gửi tờ khai 05_SD-IVAN.")
            if signed:
                return "certificate", None
            if self.trial_password is None:
                raise Refusal(P.ErrorCode.TRIAL_DISABLED, "Cổng này không cấp mật khẩu dùng "
                              "thử: tờ khai đăng ký cần chữ ký số của đơn vị.")
            return "password", key
        if account is None or account.status != P.RegistrationStatus.REGISTERED:
            raise Refusal(P.ErrorCode.NOT_REGISTERED, f"Đơn vị {facts.unit_code} chưa đăng ký "
                          "giao dịch điện tử (hoặc đã ngừng): không có gì để thay đổi hay "
                          "ngừng.")
        if account.tax_code != facts.tax_code:
            raise Refusal(P.ErrorCode.UNIT_MISMATCH, "Mã số thuế trong tờ khai không phải mã "
                          "số thuế đơn vị đã đăng ký.")
        if signed:
            return "certificate", None
        if account.method != "password":
            raise Refusal(P.ErrorCode.ENVELOPE_INVALID, "Đơn vị đăng ký bằng chữ ký số: tờ "
                          "khai phải được ký số.")
        session = self.authenticate(authorization)
        if session.unit_code != facts.unit_code:
            raise Refusal(P.ErrorCode.UNIT_MISMATCH, "Tờ khai không phải của đơn vị đã "
                          "đăng nhập.")
        return "password", (None if kind == P.RegistrationKind.STOP else account.password_key)

    def _replay_registration(self, found: StoredRegistration, sha256: str) -> Answer:
        if found.file_sha256 != sha256:
            raise Refusal(P.ErrorCode.IDEMPOTENCY_CONFLICT, "Khóa chống trùng này đã dùng cho "
                          f"một tờ khai đăng ký khác ({found.reference}).")
        answer = {**found.answer, "replayed": True}
        if found.issued_password:
            answer["trial_password"] = self.issued_password(found.unit_code,
                                                            found.idempotency_key)
        return Answer(200, answer)

    # -- dossiers ---------------------------------------------------------------------

    def _replay(self, found: Any, sha256: str) -> Answer:
        if found.envelope_sha256 != sha256:
            raise Refusal(P.ErrorCode.IDEMPOTENCY_CONFLICT, "Khóa chống trùng này đã dùng cho "
                          f"một hồ sơ khác (số {found.number}).")
        return Answer(200, {**found.answer, "replayed": True})

    def submit(self, session: LoggedIn, idempotency_key: str | None, body: Any) -> Answer:
        """Take a signed envelope in: a receipt at once, or the first answer again."""
        _idempotency(idempotency_key)
        assert idempotency_key is not None
        req = _parse(P.Submission, body)
        try:
            envelope = P.b64decode(req.envelope, "envelope")
        except P.ProtocolError as exc:
            raise Refusal(P.ErrorCode.BAD_REQUEST, str(exc)) from None
        sha256 = hashlib.sha256(envelope).hexdigest()
        if sha256 != req.sha256:
            raise Refusal(P.ErrorCode.BAD_REQUEST, "Mã băm không khớp với hồ sơ nhận được.")
        unit = session.unit_code
        with self.store.transaction() as conn:  # a repeat is answered before any check
            found = self.store.by_key(conn, unit, idempotency_key)
        if found is not None:
            return self._replay(found, sha256)

        now = self._now()
        facts = check_envelope(envelope, schemas=self.schemas,
                               trusted_cas=self.trusted_cas or None, now=now)
        if facts.unit_code != unit or (session.tax_code and facts.tax_code != session.tax_code):
            raise Refusal(P.ErrorCode.UNIT_MISMATCH, "Hồ sơ không phải của đơn vị đã đăng nhập.")
        with self.store.transaction() as conn:
            found = self.store.by_key(conn, unit, idempotency_key)
            if found is not None:  # the same key arrived twice at once
                return self._replay(found, sha256)
            _known, registered = self.store.unit_tax_code(conn, unit)
            if registered and registered != facts.tax_code:
                raise Refusal(P.ErrorCode.UNIT_MISMATCH,
                              "Mã số thuế trong hồ sơ không phải của đơn vị này.")
            self.store.register_unit(conn, unit, facts.tax_code, _iso(now))
            agency = facts.agency or self.agency
            seq, number = self.store.next_number(conn, now.astimezone(VIETNAM).year, agency)
            receipt = build_receipt(ReceiptData(
                number=number, received_at=_iso(now), agency=agency, unit_code=unit,
                tax_code=facts.tax_code, unit_name=facts.unit_name, procedure=facts.procedure,
                procedure_name=facts.procedure_name, period=facts.period,
                forms=tuple(FormEntry(*f) for f in facts.forms), reference=idempotency_key,
                envelope_sha256=sha256, chain_checked=bool(self.trusted_cas)))
            signed = sign_document(receipt, self.pki.receipt_signer, RECEIPT_SIGNATURE_ID, now)
            answer = P.Receipt(dossier_number=number, status=P.DossierStatus.RECEIVED,
                               received_at=_iso(now), receipt=P.b64encode(signed)).to_json()
            self.store.add_dossier(
                conn, number=number, seq=seq, unit_code=unit, idempotency_key=idempotency_key,
                envelope_sha256=sha256, period=facts.period, received_at=_iso(now),
                process_at=self.clock() + self.process_after, answer=answer,
                rows=[asdict(r) for r in facts.rows] + [c.to_json() for c in facts.claims],
                envelope=envelope)
        return Answer(201, answer, stored=True)

    def _own(self, session: LoggedIn, number: str | None) -> Any:
        self.process_due()
        found = self.store.by_number(number) if number else None
        if found is None or found.unit_code != session.unit_code:
            raise Refusal(P.ErrorCode.NOT_FOUND, "Không tìm thấy hồ sơ.")
        return found

    def state(self, session: LoggedIn, number: str | None) -> Answer:
        found = self._own(session, number)
        return Answer(200, P.State(dossier_number=found.number, status=found.status,
                                   updated_at=found.updated_at,
                                   result_available=found.result is not None).to_json())

    def result(self, session: LoggedIn, number: str | None) -> Answer:
        found = self._own(session, number)
        if found.result is None:
            raise Refusal(P.ErrorCode.NOT_FOUND, "Hồ sơ chưa có kết quả xử lý.")
        return Answer(200, P.Result(dossier_number=found.number, status=found.status,
                                    result=P.b64encode(found.result)).to_json())

    # -- processing -------------------------------------------------------------------

    def _claims(self, conn: Any, number: str, rows: list[ClaimRow]
                ) -> tuple[list[ClaimOutcome], list[Reason], bool]:
        """A claim list computed again claim by claim, against each worker's claims the
        sandbox approved before; those approved now are remembered."""
        def earlier(bhxh: str) -> list[Claim]:
            return [stored_claim(*found) for found in self.store.approved_claims(conn, bhxh)]

        answer = answer_claims(rows, self.schemas.catalog, self.training, earlier)
        for bhxh, claim in answer.approved:
            self.store.record_claim(conn, bhxh, claim.kind, claim.from_date.isoformat(),
                                    claim.to_date.isoformat(), claim.days or 0, number)
        return answer.outcomes, answer.reasons, answer.accepted

    def process_due(self) -> int:
        """Accept or reject every dossier whose time has come; how many were processed."""
        with self._process_lock:
            due = self.store.due(self.clock())
            for d in due:
                now = self._now()
                rows = [Row(**r) for r in d.rows if not is_claim_row(r)]
                claims = [from_json(r) for r in d.rows if is_claim_row(r)]
                with self.store.transaction() as conn:
                    if claims:  # a claim list: each claim approved or rejected
                        outcomes, reasons, accepted = self._claims(conn, d.number, claims)
                    else:
                        outcomes = []
                        reasons = decide(self.store, conn, d.unit_code, d.period, d.number,
                                         rows)
                        accepted = not reasons
                    status = P.DossierStatus.ACCEPTED if accepted else P.DossierStatus.REJECTED
                    xml = build_result(ResultData(number=d.number, unit_code=d.unit_code,
                                                  status=status, processed_at=_iso(now),
                                                  reasons=tuple(reasons),
                                                  claims=tuple(outcomes)))
                    signed = sign_document(xml, self.pki.receipt_signer, RESULT_SIGNATURE_ID,
                                           now)
                    self.store.finish(conn, d.number, str(status), signed, _iso(now))
            return len(due)
