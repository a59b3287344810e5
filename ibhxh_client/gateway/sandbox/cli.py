"""``ibhxh sandbox …`` and ``python -m ibhxh_client.gateway.sandbox …``: run the sandbox
gateway in the foreground until Ctrl+C (or SIGTERM)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from ...domain.messages import word
from .api import DEFAULT_AGENCY
from .claims import TRAINING
from .server import Sandbox

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


def _say(key: str, lang: str, **params: object) -> str:
    return word(TEXT, key, lang, **params)


def run(args: argparse.Namespace, data_dir: Path | None = None, lang: str = "vi") -> int:
    """Start the sandbox from parsed arguments, print where it is, serve until stopped."""
    from ...paths import default_data_dir

    training = tuple(n.strip() for n in (args.training or "").split(",") if n.strip())
    unknown = [n for n in training if n not in TRAINING]
    if unknown:
        print(_say("bad_training", lang, names=", ".join(unknown), known=", ".join(TRAINING)),
              file=sys.stderr)
        return 2
    state_dir = args.state_dir or (Path(data_dir) if data_dir else default_data_dir()) \
        / "sandbox"
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
