"""``ibhxh sandbox …`` and ``python -m ibhxh_client.gateway.sandbox …``: run the sandbox
gateway in the foreground until Ctrl+C (or SIGTERM); ``… approve|reject TRANSACTION`` and
``… pending``: the training remote-signing service's "phone", talking to the sandbox
running with that state folder (its ``url``, ``ca.pem`` and ``admin-token`` files)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ...domain.messages import word
from .api import DEFAULT_AGENCY
from .claims import TRAINING
from .remote_signing import ADMIN_PREFIX, TRANSACTION_ID, provider_base_url, running_url
from .server import ADMIN_HEADER, Sandbox

DEFAULT_PORT = 8443

TEXT = {
    "started": {"vi": "Cổng tiếp nhận thử nghiệm đang chạy tại {url}",
                "en": "The sandbox gateway is running at {url}"},
    "ca": {"vi": "Tệp CA (dùng cho --ca): {path}", "en": "CA file (for --ca): {path}"},
    "ca_new": {"vi": "Đã tạo CA và chứng thư máy chủ mới trong {dir}",
               "en": "Made a new CA and server certificate in {dir}"},
    "trial": {"vi": "Tài khoản dùng thử: mọi mã đơn vị chưa đăng ký, mật khẩu đã đặt bằng "
                    "--trial-password; đơn vị đăng ký không có chữ ký số được cấp mật khẩu riêng",
              "en": "Trial accounts: any unit code not registered, the password given with "
                    "--trial-password; a unit that registers without a certificate is issued "
                    "its own"},
    "chain": {"vi": "Không có --trust-ca: nhận mọi chứng thư còn hạn, phiếu ghi rõ chưa kiểm "
                    "tra chuỗi", "en": "No --trust-ca: any certificate inside its validity is "
                                   "accepted; receipts say the chain was not checked"},
    "login": {"vi": "Đăng nhập: ibhxh login --gateway {url} --ca {path} --unit MÃ_ĐƠN_VỊ",
              "en": "Log in: ibhxh login --gateway {url} --ca {path} --unit UNIT_CODE"},
    "stop": {"vi": "Nhấn Ctrl+C để dừng.", "en": "Press Ctrl+C to stop."},
    "remote": {"vi": "Ký số từ xa tập luyện: {url}; mã tích hợp {sp_id}, mật khẩu tích hợp "
                     "{sp_password} (tệp {path}); tài khoản người ký là mã số thuế của đơn vị",
               "en": "Training remote signing: {url}; sp_id {sp_id}, sp_password "
                     "{sp_password} (file {path}); the signer's user_id is the unit's tax "
                     "code"},
    "phone": {"vi": "Xác nhận ký như trên điện thoại: ibhxh sandbox approve MÃ_GIAO_DỊCH "
                    "--state-dir {dir} (hoặc reject; pending: các giao dịch đang chờ)",
              "en": "Approve as the phone would: ibhxh sandbox approve TRANSACTION "
                    "--state-dir {dir} (or reject; pending: the transactions waiting)"},
    "approved": {"vi": "Đã xác nhận ký giao dịch {id} ({count} tệp).",
                 "en": "Transaction {id} approved ({count} files)."},
    "rejected": {"vi": "Đã từ chối giao dịch {id} ({count} tệp).",
                 "en": "Transaction {id} rejected ({count} files)."},
    "no_pending": {"vi": "Không có giao dịch ký nào đang chờ xác nhận.",
                   "en": "No signing transaction is waiting for approval."},
    "pending_line": {"vi": "{id}  {desc}  {count} tệp  mã số thuế {user}  còn {left} giây",
                     "en": "{id}  {desc}  {count} files  tax code {user}  {left} s left"},
    "unknown_tx": {"vi": "Không có giao dịch ký {id} trong hộp cát này.",
                   "en": "There is no signing transaction {id} in this sandbox."},
    "not_pending": {"vi": "Giao dịch {id} không còn chờ xác nhận: {outcome}.",
                    "en": "Transaction {id} is no longer waiting: {outcome}."},
    "SUCCESS": {"vi": "đã ký", "en": "signed"},
    "REJECTED": {"vi": "đã bị từ chối", "en": "rejected"},
    "EXPIRED": {"vi": "đã hết hạn", "en": "expired"},
    "PENDING": {"vi": "đang chờ", "en": "pending"},
    "not_running": {"vi": "Không có hộp cát nào đang chạy với thư mục {dir}; hãy chạy "
                          "'ibhxh sandbox --state-dir {dir}' trước.",
                    "en": "No sandbox is running with the folder {dir}; start "
                          "'ibhxh sandbox --state-dir {dir}' first."},
    "unreachable": {"vi": "Không kết nối được hộp cát tại {url}: {detail}.",
                    "en": "Cannot reach the sandbox at {url}: {detail}."},
    "refused": {"vi": "Hộp cát từ chối yêu cầu (mã HTTP {status}).",
                "en": "The sandbox refused the request (HTTP status {status})."},
    "bad_training": {"vi": "Không có quy tắc tập huấn {names} (có: {known}).",
                     "en": "No training rule {names} (known: {known})."},
    "training": {"vi": "Chế độ tập huấn: danh sách đề nghị hưởng được tính sai có chủ ý "
                       "({rules}; xem docs/gateway-protocol.md)",
                 "en": "Training mode: claim lists are computed wrong on purpose ({rules}; "
                       "see docs/gateway-protocol.md)"},
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The sandbox's options, for ``ibhxh sandbox`` and ``python -m``."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="địa chỉ lắng nghe / listen address (127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"cổng / port ({DEFAULT_PORT}; 0: any free port)")
    parser.add_argument("--state-dir", type=Path,
                        help="thư mục trạng thái / state folder (default: DATA_DIR/sandbox)")
    parser.add_argument("--trial-password",
                        help="mật khẩu mọi đơn vị dùng thử / every trial unit's password")
    parser.add_argument("--trust-ca", action="append", type=Path, default=[],
                        metavar="PEM", help="CA tin cậy cho chứng thư ký / trusted signing CA")
    parser.add_argument("--process-after", type=float, default=5.0, metavar="SECONDS",
                        help="xử lý hồ sơ sau / process dossiers after (5 s)")
    parser.add_argument("--agency", default=DEFAULT_AGENCY,
                        help="mã cơ quan BHXH mặc định / default agency code")
    parser.add_argument("--training", nargs="?", const=",".join(TRAINING), default="",
                        metavar="RULES",
                        help="chế độ tập huấn: cố ý tính sai danh sách đề nghị hưởng / "
                             f"training mode, claim lists computed wrong on purpose "
                             f"({', '.join(TRAINING)}; all when none named)")
    phone = parser.add_subparsers(dest="sandbox_action", metavar="{approve,reject,pending}")
    for action, help_text in (
            ("approve", "xác nhận ký như trên điện thoại / approve, as the phone would"),
            ("reject", "từ chối như trên điện thoại / reject, as the phone would"),
            ("pending", "các giao dịch ký đang chờ / the transactions waiting")):
        p = phone.add_parser(action, help=help_text)
        if action != "pending":
            p.add_argument("transaction", help="mã giao dịch / transaction_id")
        p.add_argument("--state-dir", type=Path, default=argparse.SUPPRESS,
                       help="thư mục trạng thái của hộp cát đang chạy / the running "
                            "sandbox's state folder")
        p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
        p.add_argument("--lang", choices=["vi", "en"], default=argparse.SUPPRESS)
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS)


def _say(key: str, lang: str, **params: object) -> str:
    return word(TEXT, key, lang, **params)


def _state_dir(args: argparse.Namespace, data_dir: Path | None) -> Path:
    from ...paths import default_data_dir

    if args.state_dir:
        return Path(args.state_dir)
    return (Path(data_dir) if data_dir else default_data_dir()) / "sandbox"


def _phone_call(state_dir: Path, method: str, path: str, lang: str
                ) -> tuple[int, dict[str, Any]] | str:
    """One call to the running sandbox's ``/sandbox/v1``: (HTTP status, body), or the
    sentence saying why it could not be made."""
    import requests

    url = running_url(state_dir)
    if url is None:
        return _say("not_running", lang, dir=state_dir)
    session = requests.Session()
    session.trust_env = False  # loopback: no proxy, and the sandbox's own CA
    try:
        token = (state_dir / "admin-token").read_text("ascii").strip()
        answer = session.request(method, url + ADMIN_PREFIX + path, timeout=(5, 30),
                                 verify=str(state_dir / "ca.pem"),
                                 headers={ADMIN_HEADER: token})
        return answer.status_code, answer.json()
    except (OSError, requests.RequestException, ValueError) as exc:
        return _say("unreachable", lang, url=url, detail=type(exc).__name__)
    finally:
        session.close()


def phone(args: argparse.Namespace, data_dir: Path | None = None, lang: str = "vi") -> int:
    """``approve``, ``reject`` or ``pending`` against the sandbox running with the state
    folder: 0 done, 1 refused (unknown or no longer pending), 4 not reachable."""
    lang = getattr(args, "lang", None) or lang
    as_json = bool(getattr(args, "json", False))
    state_dir = _state_dir(args, getattr(args, "data_dir", None) or data_dir)
    action = args.sandbox_action
    if action == "pending":
        got = _phone_call(state_dir, "GET", "/transactions?state=PENDING", lang)
    elif not TRANSACTION_ID.fullmatch(args.transaction):
        print(_say("unknown_tx", lang, id=args.transaction), file=sys.stderr)
        return 1
    else:
        got = _phone_call(state_dir, "POST",
                          f"/transactions/{quote(args.transaction)}/{action}", lang)
    if isinstance(got, str):
        print(got, file=sys.stderr)
        return 4
    status, body = got
    if status != 200:
        return _phone_refused(state_dir, args, status, lang)
    data = body["data"]
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif action == "pending":
        for tx in data["transactions"]:
            print(_say("pending_line", lang, id=tx["transaction_id"],
                       desc=tx["transaction_desc"], count=len(tx["doc_ids"]),
                       user=tx["user_id"], left=tx["expired_in"]))
        if not data["transactions"]:
            print(_say("no_pending", lang))
    else:
        print(_say("approved" if action == "approve" else "rejected", lang,
                   id=data["transaction_id"], count=len(data["doc_ids"])))
    return 0


def _phone_refused(state_dir: Path, args: argparse.Namespace, status: int, lang: str) -> int:
    transaction = getattr(args, "transaction", "")
    if status == 404:
        print(_say("unknown_tx", lang, id=transaction), file=sys.stderr)
    elif status == 409:  # say what became of it
        got = _phone_call(state_dir, "GET", "/transactions", lang)
        found = [t for t in got[1]["data"]["transactions"]
                 if t["transaction_id"] == transaction] if not isinstance(got, str) else []
        outcome = _say(found[0]["state"], lang) if found else ""
        print(_say("not_pending", lang, id=transaction, outcome=outcome), file=sys.stderr)
    else:
        print(_say("refused", lang, status=status), file=sys.stderr)
    return 1


def run(args: argparse.Namespace, data_dir: Path | None = None, lang: str = "vi") -> int:
    """Start the sandbox from parsed arguments, print where it is, serve until stopped;
    or, with ``approve``/``reject``/``pending``, act as the phone (``phone``)."""
    if getattr(args, "sandbox_action", None):
        return phone(args, data_dir, lang)
    training = tuple(n.strip() for n in (args.training or "").split(",") if n.strip())
    unknown = [n for n in training if n not in TRAINING]
    if unknown:
        print(_say("bad_training", lang, names=", ".join(unknown), known=", ".join(TRAINING)),
              file=sys.stderr)
        return 2
    state_dir = _state_dir(args, data_dir)
    sandbox = Sandbox(state_dir, host=args.host, port=args.port,
                      trial_password=args.trial_password, trust_ca=args.trust_ca,
                      process_after=args.process_after, agency=args.agency,
                      training=training).start()
    stop = threading.Event()

    def ask_stop(*_: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, ask_stop)
    signal.signal(signal.SIGTERM, ask_stop)
    if sandbox.created:
        print(_say("ca_new", lang, dir=state_dir))
    print(_say("started", lang, url=sandbox.url))
    print(_say("ca", lang, path=sandbox.ca_file))
    if args.trial_password:
        print(_say("trial", lang))
    if not args.trust_ca:
        print(_say("chain", lang))
    if training:
        print(_say("training", lang, rules=", ".join(training)))
    print(_say("login", lang, url=sandbox.url, path=sandbox.ca_file))
    remote = sandbox.remote
    print(_say("remote", lang, url=provider_base_url(sandbox.url), sp_id=remote.sp_id,
               sp_password=remote.sp_password, path=remote.credentials_file))
    print(_say("phone", lang, dir=state_dir))
    print(_say("stop", lang), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ibhxh_client.gateway.sandbox",
                                     description="Sandbox gateway / cổng tiếp nhận thử nghiệm")
    add_arguments(parser)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    return run(args, args.data_dir, args.lang)
