"""The `ibhxh` command: everything the window does, scriptable by support staff.

Exit codes: 0 done; 1 the data failed its checks (every problem listed); 2 usage;
3 token or certificate; 4 network or gateway.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import __version__, logs
from .domain import digest
from .domain.messages import action_name, state_name, word
from .domain.model import Period
from .domain.text import counted, vnd
from .domain.values import parse_day, parse_money
from .services import backup as backup_service
from .services import calc as calc_service
from .services import datakey, declarations, demo, diagnose, employer, privacy, submission, workers
from .services import importing as importing_service
from .services import officers as officers_service
from .services import registration as registration_service
from .services import signing as signing_service
from .services import units as units_service
from .services.app import App, UserError, open_app
from .storage import repo
from .storage.crypto import CryptoError
from .storage.db import DatabaseError, ServerError

log = logging.getLogger("ibhxh")

FUND_NAMES = {"BHXH": "BHXH", "BHYT": "BHYT", "BHTN": "BHTN", "BHTNLD": "BHTNLĐ-BNN"}
TEXT = {
    "logged_in": {"vi": "Đã đăng nhập {gateway} (đơn vị {unit}, bằng {login}).",
                  "en": "Logged in to {gateway} (unit {unit}, by {login})."},
    "sent": {"vi": "Đã gửi hồ sơ {id}: số hồ sơ {number}, tờ khai {forms}; phiếu giao nhận đã "
                   "kiểm tra và lưu.",
             "en": "Sent dossier {id}: dossier number {number}, forms {forms}; the receipt was "
                   "checked and kept."},
    "receipt_forms": {"vi": "Phiếu giao nhận: tờ khai {forms}", "en": "Receipt: forms {forms}"},
    "registered": {"vi": "Đã đăng ký giao dịch điện tử: đơn vị {unit}, tên đăng nhập {login}, "
                         "đăng nhập bằng {method}; số tiếp nhận {reference}.",
                   "en": "Registered for electronic filing: unit {unit}, login {login}, "
                         "logging in by {method}; reference {reference}."},
    "registration_changed": {"vi": "Đã thay đổi đăng ký giao dịch điện tử của đơn vị {unit} "
                                   "(đăng nhập bằng {method}); số tiếp nhận {reference}.",
                             "en": "Changed the registration of unit {unit} (logging in by "
                                   "{method}); reference {reference}."},
    "registration_ended": {"vi": "Đơn vị {unit} đã ngừng giao dịch điện tử; số tiếp nhận "
                                 "{reference}.",
                           "en": "Unit {unit} stopped electronic filing; reference "
                                 "{reference}."},
    "trial_issued": {"vi": "Cổng đã cấp mật khẩu dùng thử cho đơn vị; mật khẩu được giữ trong "
                           "kho khóa của máy, không ghi ra màn hình hay tệp.",
                     "en": "The gateway issued the unit a trial password; it is kept in the "
                           "OS keyring, never shown or written to a file."},
    "registration_now": {"vi": "{state} · cổng {gateway} · đơn vị {unit} · đăng nhập bằng "
                               "{method} · số tiếp nhận {reference} ({since})",
                         "en": "{state} · gateway {gateway} · unit {unit} · logging in by "
                               "{method} · reference {reference} ({since})"},
    "registration_waiting": {"vi": "Đang chờ gửi: tờ khai số {id} {form} tới {gateway} "
                                   "({status}).",
                             "en": "Waiting: registration file {id} {form} for {gateway} "
                                   "({status})."},
    "registration_dropped": {"vi": "Đã bỏ tờ khai đăng ký đang chờ; nó sẽ không được gửi.",
                             "en": "Dropped the waiting registration file; it will not be "
                                   "sent."},
    "registration_printed": {"vi": "Đã in tờ khai {form} vào {out} ({pages} trang).",
                             "en": "Printed form {form} to {out} ({pages} pages)."},
    "synced": {"vi": "{accepted} được chấp nhận, {rejected} bị từ chối, {waiting} đang chờ, "
                     "{failed} lỗi.",
               "en": "{accepted} accepted, {rejected} rejected, {waiting} waiting, "
                     "{failed} failed."},
    "plans": {"vi": "phương án", "en": "plan codes"},
    "forms": {"vi": "tờ khai", "en": "forms"},
    "dossier_created": {"vi": "Đã tạo hồ sơ nháp số {id} ({lines} dòng, {files} tệp).",
                        "en": "Draft dossier {id} created ({lines} rows, {files} files)."},
    "demo_done": {"vi": "Đã tạo dữ liệu mẫu: {workers} người lao động, hồ sơ số {id}.",
                  "en": "Demo data created: {workers} workers, dossier {id}."},
    "valid": {"vi": "Hợp lệ. Hồ sơ {id}: {files} tệp, trạng thái {state}.",
              "en": "Valid. Dossier {id}: {files} files, state {state}."},
    "file_valid": {"vi": "Tệp {path} hợp lệ.", "en": "The file {path} is valid."},
    "exported": {"vi": "Đã ghi {out} ({size} byte).", "en": "Wrote {out} ({size} bytes)."},
    "employer_saved": {"vi": "Đã lưu thông tin đơn vị {name}.", "en": "Saved unit {name}."},
    "worker_added": {"vi": "Đã thêm người lao động #{id} {name}.",
                     "en": "Added worker #{id} {name}."},
    "worker_saved": {"vi": "Đã lưu người lao động #{id} {name}.",
                     "en": "Saved worker #{id} {name}."},
    "replace_hint": {"vi": "Muốn ghi đè người lao động đã lưu bằng bản mới: chạy lại lệnh "
                           "với --replace.",
                     "en": "To overwrite the stored worker with the new version: run the "
                           "command again with --replace."},
    "take_row_hint": {"vi": "Muốn dùng bản trong tệp cho một dòng: chạy lại với --take-row "
                            "DÒNG (ví dụ --take-row {row}).",
                      "en": "To use the file's version of a row: run again with --take-row "
                            "ROW (e.g. --take-row {row})."},
    "imported": {"vi": "Đã nhập: {added} người mới, {updated} người cập nhật.",
                 "en": "Imported: {added} new, {updated} updated."},
    "xlsx_written": {"vi": "Đã ghi {out}.", "en": "Wrote {out}."},
    "report_suffix": {"vi": "bao-cao-loi", "en": "error-report"},
    "no_dossiers": {"vi": "Chưa có hồ sơ nào.", "en": "No dossiers yet."},
    "rows": {"vi": "{count} dòng", "en": "{count} rows"},
    "total": {"vi": "Tổng cộng", "en": "Total"},
    "employer_share": {"vi": "Đơn vị", "en": "Employer"},
    "employee_share": {"vi": "Người lao động", "en": "Employee"},
    "floored": {"vi": "(thấp hơn lương tối thiểu vùng, tính theo mức tối thiểu)",
                "en": "(below the regional minimum; computed on the minimum)"},
    "recovery_written": {"vi": "Đã ghi tệp khôi phục khóa {out}. Cất tệp và cụm mật khẩu ở "
                               "nơi an toàn, ngoài máy này.",
                         "en": "Wrote the key recovery file {out}. Keep it and the passphrase "
                               "safe, off this computer."},
    "key_restored": {"vi": "Đã khôi phục khóa dữ liệu vào kho khóa của máy.",
                     "en": "The data key is back in this computer's key store."},
    "key_rotated": {"vi": "Đã đổi khóa dữ liệu. Tệp khôi phục cũ không còn dùng được: hãy "
                          "lưu tệp mới (ibhxh key export-recovery).",
                    "en": "The data key was changed. The old recovery file no longer works: "
                          "save a new one (ibhxh key export-recovery)."},
    "key_status": {"vi": "Khóa dữ liệu: {where}. Tệp khôi phục: {saved}.",
                   "en": "Data key: {where}. Recovery file: {saved}."},
    "report_written": {"vi": "Đã ghi báo cáo {out}.", "en": "Wrote the report {out}."},
    "erased": {"vi": "Đã xoá {deleted} và ẩn danh {anonymised} người lao động.",
               "en": "Erased {deleted} and anonymised {anonymised} workers."},
    "log_written": {"vi": "Đã ghi {count} dòng nhật ký xử lý vào {out}.",
                    "en": "Wrote {count} processing log entries to {out}."},
    "backup_written": {"vi": "Đã sao lưu {workers} người lao động vào {out} ({bytes} byte).",
                       "en": "Backed up {workers} workers to {out} ({bytes} bytes)."},
    "restored": {"vi": "Đã khôi phục {workers} người lao động. Bản dữ liệu cũ được giữ ở {kept}.",
                 "en": "Restored {workers} workers. The previous data is kept at {kept}."},
    "restored_server": {"vi": "Đã khôi phục {workers} người lao động vào cơ sở dữ liệu {url}.",
                        "en": "Restored {workers} workers into the database {url}."},
    "move_progress": {"vi": "  bảng {table}/{tables}: đã chép {done}/{total} dòng",
                      "en": "  table {table}/{tables}: copied {done}/{total} rows"},
    "move_done": {"vi": "Đã chuyển và kiểm tra {rows} dòng của {tables} bảng sang {to} "
                        "({seconds} giây). Từ nay thư mục dữ liệu dùng cơ sở dữ liệu này; "
                        "cơ sở dữ liệu cũ vẫn còn nguyên ở {old}.",
                  "en": "Moved and verified {rows} rows of {tables} tables to {to} ({seconds} "
                        "s). The data folder uses that database from now on; the old one is "
                        "left as it was at {old}."},
    "move_set_aside": {"vi": "Tệp cơ sở dữ liệu cũ của máy này được cất sang {path}.",
                       "en": "This computer's earlier database file was put aside as {path}."},
    "move_environment": {"vi": "Lưu ý: biến môi trường IBHXH_DATABASE_URL vẫn chọn một cơ sở "
                               "dữ liệu khác; bỏ biến này đi để dùng cơ sở dữ liệu mới.",
                         "en": "Note: the IBHXH_DATABASE_URL variable still chooses another "
                               "database; unset it to use the new one."},
    "bundle_written": {"vi": "Đã ghi gói chẩn đoán {out}.",
                       "en": "Wrote the diagnostics bundle {out}."},
    "signed": {"vi": "Đã ký hồ sơ {id} bằng chứng thư {subject}.",
               "en": "Dossier {id} signed with the certificate {subject}."},
    "signature_ok": {"vi": "Chữ ký hợp lệ ({signer}, lúc {at}).",
                     "en": "The signature is valid ({signer}, at {at})."},
    "chain_unchecked": {"vi": "Chưa kiểm tra chuỗi chứng thư (không có --trusted-ca).",
                        "en": "The certificate chain was not checked (no --trusted-ca)."},
    "no_tokens": {"vi": "Không có token nào được cắm.", "en": "No token is plugged in."},
    "days_left": {"vi": "còn {days} ngày", "en": "{days} days left"},
    "serial": {"vi": "số sê-ri", "en": "serial"},
    "demo_cert": {"vi": "Chứng thư mẫu (chỉ để thử): {path}",
                  "en": "Demo certificate (for trials only): {path}"},
    "officer_line": {"vi": "{login:20} {name:24} {status:10} {roles:28} vân tay {fingerprint}",
                     "en": "{login:20} {name:24} {status:10} {roles:28} fingerprint "
                           "{fingerprint}"},
    "officer_started": {"vi": "Dữ liệu đã dùng chung. Cán bộ đầu tiên: {login} (người lập hồ "
                              "sơ, người ký). Khóa dữ liệu không còn nằm trần trong kho khóa "
                              "của máy này, chỉ còn các bản đã bọc cho từng cán bộ.",
                        "en": "The database is now shared. First officer: {login} (preparer, "
                              "signer). The data key no longer sits plain in this computer's "
                              "key store, only in the copies wrapped for each officer."},
    "officer_requested": {"vi": "Đã xin vào với tên {login}. Vân tay khóa của máy này: "
                                "{fingerprint}. Đọc vân tay này cho người ký để họ kiểm tra "
                                "khi cho bạn vào.",
                          "en": "Asked to join as {login}. This computer's key fingerprint: "
                                "{fingerprint}. Read it to the signer so they can check it "
                                "when letting you in."},
    "officer_added": {"vi": "Đã cho {login} vào với vai trò {roles}.",
                      "en": "Let {login} in with the roles {roles}."},
    "officer_removed_done": {"vi": "Đã rút {login} ra và đổi khóa dữ liệu; máy của cán bộ đó "
                                   "không mở được dữ liệu từ nay.",
                             "en": "Removed {login} and changed the data key; that officer's "
                                   "computer opens nothing from now on."},
    "officer_status_requested": {"vi": "đang chờ", "en": "waiting"},
    "officer_status_active": {"vi": "đang làm", "en": "active"},
    "officer_status_removed": {"vi": "đã rút", "en": "removed"},
    "no_officers": {"vi": "Dữ liệu này chưa dùng chung (chưa có cán bộ nào).",
                    "en": "This database is not shared (no officers yet)."},
    "key_in_keyring": {"vi": "kho khóa của hệ điều hành", "en": "the OS keyring"},
    "key_in_file": {"vi": "tệp trong thư mục cấu hình (máy không có kho khóa)",
                    "en": "a file in the user's config folder (no OS keyring)"},
    "not_saved": {"vi": "chưa lưu", "en": "not saved"},
    "remote_confirm": {"vi": "Mở ứng dụng trên điện thoại để xác nhận ({phase}): còn {seconds} "
                             "giây.",
                       "en": "Open the app on the phone to confirm ({phase}): {seconds} "
                             "seconds left."},
    "remote_signed": {"vi": "Đã ký hồ sơ {id} qua {provider} bằng chứng thư {subject}.",
                      "en": "Dossier {id} signed through {provider} with the certificate "
                            "{subject}."},
    "remote_account": {"vi": "{provider}: {url} · người ký {user} · chứng thư {serial} · mã "
                             "tích hợp {sp_id} · mật khẩu tích hợp: {password}",
                       "en": "{provider}: {url} · signer {user} · certificate {serial} · "
                             "integration id {sp_id} · integration password: {password}"},
    "remote_password_kept": {"vi": "giữ trong kho khóa của máy", "en": "in the OS keyring"},
    "remote_password_none": {"vi": "chưa có", "en": "missing"},
    "remote_no_serial": {"vi": "chưa chọn", "en": "not chosen"},
    "no_remote_accounts": {"vi": "Chưa có tài khoản ký từ xa nào.",
                           "en": "No remote signing account yet."},
    "remote_chosen": {"vi": "đang dùng", "en": "in use"},
    "remote_password_prompt": {"vi": "Mật khẩu tích hợp của dịch vụ ký từ xa: ",
                               "en": "The remote signing service's integration password: "},
}


def t(key: str, lang: str, **params: Any) -> str:
    return word(TEXT, key, lang, **params)


class Output:
    """Prints for a person or, with --json, for a script."""

    def __init__(self, as_json: bool, lang: str) -> None:
        self.json, self.lang = as_json, lang
        self.report_dir: Path | None = None  # where a long list of problems is written

    def result(self, data: Any, human: str | Callable[[], None]) -> None:
        if self.json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
        elif callable(human):
            human()
        else:
            print(human)

    def error(self, exc: UserError, paper_for: int | None = None) -> int:
        message = exc.message(self.lang)
        problems = [p.to_dict(self.lang) for p in exc.problems]
        offer = _paper_offer(exc) if exc.exit_code in (3, 4) else None
        if self.json:
            print(json.dumps({"ok": False, "error": exc.code, "message": message,
                              "offer_paper": bool(offer or exc.params.get("offer_paper")),
                              "paper_reason": offer.reason(self.lang) if offer else None,
                              "problems": problems}, ensure_ascii=False, indent=2,
                             default=_json_default))
        elif len(exc.problems) > digest.SCREENFUL:
            for line in digest.summary(exc.problems, lambda p: p.where_field(self.lang),
                                       self.lang):
                print(line, file=sys.stderr)
            path = self._write_full_list([p["message"] for p in problems])
            if path:
                print(digest.full_list_line(str(path), self.lang), file=sys.stderr)
            print(message, file=sys.stderr)
        else:
            for p in problems:
                print(f"  - {p['message']}", file=sys.stderr)
            print(message, file=sys.stderr)
            if offer:
                print(offer.message(self.lang), file=sys.stderr)
                if paper_for is not None:
                    print(f"  ibhxh print {paper_for} --out ho-so-{paper_for}.pdf "
                          f'--reason "{offer.reason(self.lang)}"', file=sys.stderr)
        return exc.exit_code


    def _write_full_list(self, lines: list[str]) -> Path | None:
        """Every problem, one a line, in the data folder's reports/ (None when there is
        no data folder open, or it cannot be written)."""
        if self.report_dir is None:
            return None
        name = f"{t('report_suffix', 'vi')}-{datetime.now():%Y%m%d-%H%M%S}.txt"
        try:
            self.report_dir.mkdir(parents=True, exist_ok=True)
            path = self.report_dir / name
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        except OSError:
            return None
        return path


def _paper_offer(exc: UserError):
    """The paper dossier, when signing or sending failed for a reason the officer cannot
    fix now (Official Dispatch 2724/BHXH-THU)."""
    from .services.printing import offer_paper

    return offer_paper(exc)


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal | Period):
        return str(value)
    raise TypeError(type(value).__name__)


# -- commands -----------------------------------------------------------------------------

def cmd_demo(app: App, args: argparse.Namespace, out: Output) -> int:
    decl_id = demo.make_demo(app, args.workers, claims=not args.no_claims)
    cert = signing_service.ensure_demo_certificate(app)
    out.result({"dossier_id": decl_id, "workers": args.workers, "demo_certificate": str(cert)},
               t("demo_done", out.lang, workers=args.workers, id=decl_id) + "\n"
               + t("demo_cert", out.lang, path=cert))
    _remind_recovery(app, out)
    return 0


def _remind_recovery(app: App, out: Output) -> None:
    if not out.json and not datakey.status(app)["recovery_saved"]:
        from .domain.messages import say

        print(say("recovery_reminder", out.lang), file=sys.stderr)


def cmd_employer(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.action == "set":
        e = employer.set_from_file(app, Path(args.file))
        out.result(employer.as_dict(e), t("employer_saved", out.lang, name=e.name))
        _remind_recovery(app, out)
        return 0
    e = employer.get(app)
    data = employer.as_dict(e)
    rows = employer.labelled(app, e, out.lang)
    width = max(len(label) for label, _ in rows)
    out.result(data, lambda: [print(f"{label:{width}}  {value}") for label, value in rows])
    return 0


def _worker_dict(w: Any) -> dict[str, Any]:
    d = asdict(w)
    d["birth_date"] = str(w.birth_date)
    d["status"] = str(w.status)
    return d


def cmd_workers(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.action == "add":
        values = {k: v for k, v in vars(args).items()
                  if k in workers._FIELDS and v is not None}
        try:
            w = workers.add(app, values, replace_stored=args.replace)
        except UserError as exc:
            if exc.code not in ("worker_conflict", "worker_exists"):
                raise
            return _refused_worker(exc, out)
        done = "worker_saved" if args.replace else "worker_added"
        out.result(_worker_dict(w), t(done, out.lang, id=w.id, name=w.full_name))
        return 0
    if args.action == "import":
        return _import_workers(app, args, out)
    if args.action == "export":
        if not args.out:
            raise UserError("missing_fields", exit_code=2, fields="--out")
        count = importing_service.export_workers(app, Path(args.out), args.search or "")
        out.result({"out": args.out, "workers": count},
                   t("xlsx_written", out.lang, out=args.out))
        return 0
    if args.all_units:
        everywhere = units_service.search_workers(app, args.search or "", args.limit)

        def human_all() -> None:
            for w in everywhere:
                print(f"{w['unit_code']:10} #{w['id']:<6} {w['bhxh_number'] or '-':10} "
                      f"{w['full_name']:30} {w['birth_date']:10} "
                      f"{state_name(w['status'], out.lang)}")

        out.result(everywhere, human_all)
        return 0
    found = workers.search(app, args.search or "", args.limit)

    def human() -> None:
        for w in found:
            print(f"#{w.id:<6} {w.bhxh_number or '-':10} {w.cccd or '-':12} "
                  f"{w.full_name:30} {w.birth_date!s:10} {vnd(w.salary):>12} "
                  f"{state_name(w.status, out.lang)}")

    out.result([_worker_dict(w) for w in found], human)
    return 0


def _refused_worker(exc: UserError, out: Output) -> int:
    """A worker whose number is stored already: both versions when they are two people,
    and how to overwrite the stored one."""
    conflict = exc.params.get("conflict")
    if out.json:
        print(json.dumps({"ok": False, "error": exc.code, "message": exc.message(out.lang),
                          "conflict": conflict.to_dict() if conflict else None},
                         ensure_ascii=False, indent=2))
    else:
        print(exc.message(out.lang), file=sys.stderr)
        print(t("replace_hint", out.lang), file=sys.stderr)
    return exc.exit_code


def _rows_arg(values: list[str] | None) -> list[int]:
    """Row numbers from repeated options, each "12" or "12,40"."""
    rows = []
    for text in values or []:
        for part in text.replace(";", ",").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    raise UserError("bad_value", exit_code=2, value=part.strip())
                rows.append(int(part))
    return rows


def _import_workers(app: App, args: argparse.Namespace, out: Output) -> int:
    """Exit 1 when a row failed (the valid ones are saved unless --all-or-nothing); a row
    that disagrees with a stored worker on the person fails unless --take-row names it."""
    result = importing_service.import_workers(
        app, Path(args.file), sheet=args.sheet, mapping=args.mapping,
        all_or_nothing=args.all_or_nothing, report=args.report,
        take=_rows_arg(args.take_row))
    hint = t("take_row_hint", out.lang, row=result.conflicts[0].row) if result.conflicts \
        else ""
    return _import_said(app, args, out, result, result.problems, hint)


def _import_said(app: App, args: argparse.Namespace, out: Output, result: Any,
                 shown: list[Any], hint: str = "") -> int:
    """What an import says (workers, claims, months of contribution): the column notes;
    the issues ``shown``, or past a screenful the digest of the errors (the full report
    written beside the file); the summary (on stderr when a row failed) and ``hint``;
    with --json the result. Exit 1 when a row failed."""
    problems = result.problems
    many = len(problems) > digest.SCREENFUL
    if many and result.report is None and not out.json:
        result.report = _default_report(app, Path(args.file), result)

    def human() -> None:
        for note in result.notes:
            print(f"  * {note.message(out.lang)}", file=sys.stderr)
        if many:
            for line in digest.summary(problems, lambda i: i.where_field(out.lang), out.lang,
                                       rows_checked=len(result.rows)):
                print(line, file=sys.stderr)
        else:
            for issue in shown:
                mark = "-" if issue.severity == "error" else "!"
                print(f"  {mark} {issue.message(out.lang)}", file=sys.stderr)
        print(result.summary(out.lang), file=sys.stderr if result.failed else sys.stdout)
        if hint:
            print(hint, file=sys.stderr)

    out.result(result.to_dict(out.lang), human)
    return result.exit_code


def _default_report(app: App, source: Path, result: Any) -> Path:
    """Where the full error report goes when the terminal shows only a summary: beside
    the imported file, or in the data folder when that folder cannot be written."""
    name = f"{source.stem}-{t('report_suffix', 'vi')}.xlsx"
    for folder in (source.parent, app.data_dir / "reports"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return importing_service.write_error_report(app, result, folder / name)
        except (OSError, UserError):
            continue
    raise UserError("file_unwritable", path=str(source.parent / name), detail="-")


def _line_requests(app: App, args: argparse.Namespace) -> list[declarations.LineRequest]:
    proc = declarations.procedure_of(app, args.procedure)  # --line reads as it asks
    reqs = [declarations.line_request(proc, spec) for spec in args.line or []]
    if args.lines:
        for row in workers.read_csv(Path(args.lines)):
            values = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            values = {("from_month" if k == "from" else "to_month" if k == "to" else k): v
                      for k, v in values.items()}
            known = {k: v for k, v in values.items()
                     if k in declarations.LineRequest.__dataclass_fields__}
            if known.get("worker"):
                reqs.append(declarations.LineRequest(**known))
    return reqs


def cmd_declare(app: App, args: argparse.Namespace, out: Output) -> int:
    if declarations.procedure_of(app, args.procedure).claims:  # 630a …: `claims declare`
        raise UserError("claims_apart", exit_code=2, procedure=args.procedure)
    requests = _line_requests(app, args)
    if args.from_file:
        requests += importing_service.line_requests(app, Path(args.from_file), sheet=args.sheet,
                                                    mapping=args.mapping)
    decl, result = declarations.declare(app, args.procedure, args.period, requests,
                                        new_workers=args.new_workers,
                                        first_registration=args.first_registration,
                                        change=args.change or "")
    due = result.summary.total if result.summary else 0  # 607, 608 …: no contributions
    out.result({"dossier_id": decl.id, "lines": len(decl.lines), "files": len(result.files),
                "state": str(decl.state), "total_due": due},
               t("dossier_created", out.lang, id=decl.id, lines=len(decl.lines),
                 files=len(result.files)))
    return 0


def cmd_procedures(app: App | None, args: argparse.Namespace, out: Output) -> int:
    """Needs no data folder: the procedure catalogue that ships with the program."""
    from .catalog import load_catalog

    items = declarations.procedure_list(load_catalog(), out.lang)

    def human() -> None:
        for item in items:
            print(f"{item['code']}  {item['name']}  ({item['status_text']})")
            if item["line"]:
                print(f"      --line {':'.join(item['line'])}")
            if item["header"]:
                print(f"      --change \"{item['header'][0]}\"")
            if item["plans"]:
                print(f"      {t('plans', out.lang)}: {', '.join(item['plans'])}")
            print(f"      {t('forms', out.lang)}: {', '.join(item['forms'])}")

    out.result(items, human)
    return 0


def cmd_validate(app: App, args: argparse.Namespace, out: Output) -> int:
    target = args.target
    if target.isdigit():
        result = declarations.validate(app, int(target))
        state = declarations.status(app, int(target))["state"]
        out.result({"ok": True, "dossier_id": int(target), "files": len(result.files),
                    "state": state},
                   t("valid", out.lang, id=target, files=len(result.files),
                     state=state_name(state, out.lang)))
        return 0
    problems = declarations.validate_file(app, Path(target))
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    out.result({"ok": True, "file": target}, t("file_valid", out.lang, path=target))
    return 0


def cmd_template(app: App, args: argparse.Namespace, out: Output) -> int:
    importing_service.write_template(app, args.kind, Path(args.out))
    out.result({"out": args.out}, t("xlsx_written", out.lang, out=args.out))
    return 0


def cmd_export(app: App, args: argparse.Namespace, out: Output) -> int:
    if Path(args.out).suffix.lower() == ".xlsx":
        count = importing_service.export_declaration(app, int(args.dossier_id), Path(args.out))
        out.result({"dossier_id": int(args.dossier_id), "out": args.out, "lines": count},
                   t("xlsx_written", out.lang, out=args.out))
        return 0
    if args.signed:
        size = signing_service.export_signed(app, int(args.dossier_id), Path(args.out))
    else:
        size = declarations.export(app, int(args.dossier_id), Path(args.out))
    out.result({"dossier_id": int(args.dossier_id), "out": args.out, "bytes": size},
               t("exported", out.lang, out=args.out, size=size))
    return 0


def cmd_units(app: App, args: argparse.Namespace, out: Output) -> int:
    from .domain.messages import say

    lang = out.lang
    if args.action in ("add", "use") and not args.value:
        raise UserError("missing_fields", exit_code=2,
                        fields="FILE" if args.action == "add" else "MÃ_ĐV")
    if args.action == "add":
        added = units_service.add(app, Path(args.value))
        out.result(added, say("unit_added", lang, **added))
        return 0
    if args.action == "use":
        chosen = units_service.use(app, args.value)
        out.result(chosen, say("unit_chosen", lang, **chosen))
        return 0
    if args.action == "status":
        period = None
        if args.period:
            try:
                period = Period.parse(args.period)
            except ValueError:
                raise UserError("bad_period", exit_code=2, value=args.period) from None
        found = units_service.reminders(app, period)

        def human_status() -> None:
            print(say("units_not_filed", lang, count=found["not_filed"],
                    period=found["period"]))
            for u in found["units"]:
                state = state_name(u["state"], lang) if u["state"] else ""
                print(f"{u['unit_code']:10} {say('unit_' + u['status'], lang):18} "
                      f"{state:20} {u['name']}")

        out.result(found, human_status)
        return 0
    items = units_service.listing(app)

    def human() -> None:
        if not items:
            print(say("no_employer", lang))
        for u in items:
            mark = "*" if u["current"] else " "
            print(f"{mark} {u['unit_code']:10} {u['tax_code']:14} "
                  f"{say('unit_counts', lang, workers=u['workers'], dossiers=u['dossiers']):28}"
                  f" {u['name']}")

    out.result(items, human)
    return 0


def cmd_status(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.to_sign:
        from .services import officers

        waiting = officers.to_sign(app)

        def human_to_sign() -> None:
            if not waiting:
                print(t("no_dossiers", out.lang))
            for d in waiting:
                print(f"#{d['id']:<5} {d['procedure']:5} {d['period']}  "
                      f"{t('rows', out.lang, count=d['lines']):>12}  {d['prepared_by']:20} "
                      f"{d['prepared_at'] or ''}")

        out.result(waiting, human_to_sign)
        return 0
    if args.all_units:
        every = units_service.dossiers(app)

        def human_all() -> None:
            if not every:
                print(t("no_dossiers", out.lang))
            for d in every:
                state = state_name(d["state"], out.lang)
                print(f"{d['unit_code'] or '?':10} #{d['id']:<5} {d['procedure']:5} "
                      f"{d['period']}  {state:20} {d.get('dossier_number') or ''}")

        out.result([{**d, "dossier_id": d["id"]} for d in every], human_all)
        return 0
    if args.dossier_id is None:
        items = declarations.status(app)
        sent = submission.queue(app)
        for d in items:
            d.update(sent.get(d["id"], {}))

        def human() -> None:
            if not items:
                print(t("no_dossiers", out.lang))
            for d in items:
                state = state_name(d["state"], out.lang)
                print(f"#{d['id']:<5} {d['procedure']:5} {d['period']}  {state:20} "
                      f"{t('rows', out.lang, count=d['lines']):>12}  {d['created']}  "
                      f"{d.get('dossier_number') or ''}")

        out.result([{**d, "dossier_id": d["id"]} for d in items], human)
        return 0
    item = declarations.status(app, int(args.dossier_id))
    item["gateway"] = submission.tracking(app, int(args.dossier_id))

    def human_one() -> None:
        lang = out.lang
        print(f"#{item['id']} {item['procedure']} {item['period']}: "
              f"{state_name(item['state'], lang)}")
        for h in item["history"]:
            print(f"  {h['at']}  {state_name(h['from'], lang) or '-':>20} → "
                  f"{state_name(h['to'], lang):20} {h['user']}  {h['detail']}")
        if item["gateway"]:
            _print_tracking(item["gateway"], lang)

    out.result({**item, "dossier_id": item["id"]}, human_one)
    return 0


def _passphrase(env_var: str | None, confirm: bool = False) -> str:
    import getpass
    import os

    if env_var:
        value = os.environ.get(env_var)
        if value is None:
            raise UserError("missing_fields", exit_code=2, fields=env_var)
        return value
    value = getpass.getpass("Cụm mật khẩu / passphrase: ")
    if confirm and getpass.getpass("Nhập lại / again: ") != value:
        raise UserError("passphrase_wrong", exit_code=2)
    return value


def cmd_database(args: argparse.Namespace, out: Output) -> int:
    """Which database the data folder uses: show, use URL (a shared office's PostgreSQL
    server), local (the folder's own file). Needs no open database."""
    from .domain.messages import say
    from .services import database as database_service

    lang = out.lang
    if args.action == "use":
        if not args.url:
            raise UserError("missing_fields", exit_code=2, fields="URL")
        chosen = database_service.use(args.data_dir, args.url)
        out.result(chosen, say("database_chosen", lang, url=chosen["url"]))
        return 0
    if args.action == "local":
        chosen = database_service.local(args.data_dir)
        out.result(chosen, say("database_local", lang, url=chosen["url"]))
        return 0
    found = database_service.show(args.data_dir, args.database)
    out.result(found, say("database_shown", lang, url=found["url"],
                          source=say(f"database_from_{found['source']}", lang)))
    return 0


def cmd_key(app: App, args: argparse.Namespace, out: Output) -> int:
    lang = out.lang
    if args.action == "export-recovery":
        if not args.out:
            raise UserError("missing_fields", exit_code=2, fields="--out")
        datakey.export_recovery(app, Path(args.out), _passphrase(args.passphrase_env, True))
        out.result({"out": args.out}, t("recovery_written", lang, out=args.out))
    elif args.action == "rotate":
        datakey.rotate(app)
        out.result({"rotated": True}, t("key_rotated", lang))
    else:
        info = datakey.status(app)
        where = t("key_in_keyring" if info["keyring"] else "key_in_file", lang)
        saved = info["recovery_saved_at"] or t("not_saved", lang)
        out.result(info, t("key_status", lang, where=where, saved=saved))
    return 0


def _print_officers(items: list[officers_service.Officer], lang: str) -> None:
    if not items:
        print(t("no_officers", lang))
    for o in items:
        print(t("officer_line", lang, login=o.login, name=o.name,
                status=t(f"officer_status_{o.status}", lang),
                roles=officers_service.role_names(o.roles, lang) or "—",
                fingerprint=o.fingerprint))


def cmd_officers(app: App, args: argparse.Namespace, out: Output) -> int:
    lang, svc = out.lang, officers_service
    if args.action in ("init", "request", "add", "remove") and not args.login:
        raise UserError("missing_fields", exit_code=2, fields="LOGIN")
    if args.action == "list":
        items = svc.listing(app)
        out.result([o.to_dict() for o in items], lambda: _print_officers(items, lang))
        return 0
    if args.action == "rotate":
        svc.rotate(app)
        out.result({"rotated": True}, t("key_rotated", lang))
        return 0
    if args.action == "init":
        officer = svc.init(app, args.login, args.name or "")
        human = t("officer_started", lang, login=officer.login)
    elif args.action == "request":
        officer = svc.request(app, args.login, args.name or "")
        human = t("officer_requested", lang, login=officer.login,
                  fingerprint=officer.fingerprint)
    elif args.action == "add":
        officer = svc.add(app, args.login, args.role or [], args.fingerprint)
        human = t("officer_added", lang, login=officer.login,
                  roles=svc.role_names(officer.roles, lang))
    else:
        officer = svc.remove(app, args.login)
        human = t("officer_removed_done", lang, login=officer.login)
    out.result(officer.to_dict(), human)
    return 0


def cmd_worker_report(app: App, args: argparse.Namespace, out: Output) -> int:
    privacy.write_worker_report(app, args.worker, Path(args.out), out.lang)
    out.result({"out": args.out}, t("report_written", out.lang, out=args.out))
    return 0


def cmd_retention(app: App, args: argparse.Namespace, out: Output) -> int:
    due = privacy.retention_due(app, args.years)
    if args.action == "erase":
        ids = [w["id"] for w in due] if args.all_due else [int(i.lstrip("#")) for i in args.ids]
        counts = privacy.erase(app, ids)
        out.result(counts, t("erased", out.lang, **counts))
        return 0
    out.result(due, lambda: [print(f"#{w['id']:<6} {w['full_name']:30} {w['left']}")
                             for w in due])
    return 0


def cmd_audit(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.out:
        count = privacy.export_processing_log(app, Path(args.out))
        out.result({"out": args.out, "entries": count},
                   t("log_written", out.lang, count=count, out=args.out))
        return 0
    rows = privacy.processing_log(app)
    lang = out.lang
    out.result(rows, lambda: [print(f"{r['at']}  {r['user']:10} "
                                    f"{action_name(r['action'], lang):18} "
                                    f"{action_name(r['target'], lang):24} {r['workers']:>7}  "
                                    f"{r['detail']}")
                              for r in rows])
    return 0


def cmd_backup(app: App, args: argparse.Namespace, out: Output) -> int:
    info = backup_service.backup(app, Path(args.out), _passphrase(args.passphrase_env, True))
    out.result(info, t("backup_written", out.lang, **info))
    return 0


def cmd_move(app: App, args: argparse.Namespace, out: Output) -> int:
    """Copy the database in use into another (services.move), verified, then use it."""
    from .services import move as move_service

    tables = iter(range(1, len(move_service.TABLES) + 1))

    def progress(done: int, total: int) -> None:  # called once per table copied
        if not out.json:
            print(t("move_progress", out.lang, table=next(tables, 0),
                    tables=len(move_service.TABLES), done=done, total=total), file=sys.stderr)

    info = move_service.move(app, args.to, progress)
    human = t("move_done", out.lang, rows=info["rows"], tables=info["tables"], to=info["to"],
              seconds=info["seconds"], old=info["from"])
    if info["set_aside"]:
        human += "\n" + t("move_set_aside", out.lang, path=info["set_aside"])
    if info["environment_overrides"]:
        human += "\n" + t("move_environment", out.lang)
    out.result(info, human)
    return 0


def _restore_backup(args: argparse.Namespace, out: Output) -> int:
    """Runs without opening the current database: it is what gets replaced."""
    info = backup_service.restore(args.data_dir, Path(args.file),
                                  _passphrase(args.passphrase_env), database=args.database,
                                  replace=args.replace)
    if info.get("url"):
        out.result(info, t("restored_server", out.lang, workers=info["workers"],
                           url=info["url"]))
        return 0
    out.result(info, t("restored", out.lang, workers=info["workers"], kept=info["kept"] or "-"))
    return 0


def _diagnose(args: argparse.Namespace, out: Output) -> int:
    """Runs without opening the database: it must work when the database does not."""
    from .paths import default_data_dir

    folder = Path(args.data_dir) if args.data_dir else default_data_dir()
    data = diagnose.report(folder, module=args.module, gateway=args.gateway,
                           ca_file=args.ca)
    if args.bundle:
        diagnose.bundle(data, Path(args.bundle))
    if out.json:
        out.result(data, "")
    else:
        print(diagnose.as_text(data), end="")
        if args.bundle:
            print(t("bundle_written", out.lang, out=args.bundle))
    return 0


def cmd_tokens(app: App | None, args: argparse.Namespace, out: Output) -> int:
    if args.remote:
        return _remote_tokens(app, args, out)
    report = signing_service.token_report(args.module, out.lang)

    def human() -> None:
        for entry in report:
            print(entry["module"])
            if entry.get("error"):
                print(f"  ! {entry['error']}")
            elif not entry["tokens"]:
                print(f"  {t('no_tokens', out.lang)}")
            for tok in entry["tokens"]:
                print(f"  [{tok['slot']}] {tok['label']}  {t('serial', out.lang)} "
                      f"{tok['serial']}  {tok['manufacturer']} {tok['model']}")
                print(f"    PIN: {tok['pin_text']}")
                for c in tok["certificates"]:
                    left = t("days_left", out.lang, days=c["days_to_expiry"])
                    print(f"    {c['subject']}")
                    print(f"      MST {c['tax_code'] or '-'} · {c['fingerprint']} · "
                          f"{c['not_after'][:10]} ({left})")

    out.result(report, human)
    return 0


def _pin_source(args: argparse.Namespace, out: Output):
    """Asks for the PIN after the token's flags were read, saying first what they report
    (a wrong PIN earlier, or the final try). Only the final try needs a confirmation
    (--confirm-low-pin, or "y" at the prompt). The PIN is returned to the library and
    kept nowhere else."""
    import getpass
    import os

    from .signing import Preflight, pin_message

    def ask(pf: Preflight) -> str | None:
        for warning in pf.warnings:
            print(warning.message(out.lang), file=sys.stderr)
        status = pf.pin_status
        if args.pin_env and status.needs_confirmation and not args.confirm_low_pin:
            raise UserError("pin_low_needs_confirm", exit_code=3)
        if status.needs_warning:
            print(pin_message(status, out.lang), file=sys.stderr)
        if args.pin_env:
            value = os.environ.get(args.pin_env)
            if value is None:
                raise UserError("missing_fields", exit_code=2, fields=args.pin_env)
            return value
        if status.needs_confirmation and \
                input("Tiếp tục? / Continue? [y/N] ").strip().lower() not in ("y", "c"):
            return None
        return getpass.getpass(f"PIN ({pf.token.label}): ") or None

    return ask


def _signer(app: App, args: argparse.Namespace, out: Output, p12_password_env: str | None):
    """The signer the options name: --demo-cert, --pkcs12 FILE, or a token (PIN asked)."""
    import os

    if args.demo_cert or args.pkcs12:
        if args.demo_cert:
            path = signing_service.ensure_demo_certificate(app)
            password = signing_service.DEMO_P12_PASSWORD
        else:
            path = Path(args.pkcs12)
            if p12_password_env:
                value = os.environ.get(p12_password_env)
                if value is None:
                    raise UserError("missing_fields", exit_code=2, fields=p12_password_env)
            else:
                import getpass

                value = getpass.getpass("Mật khẩu tệp chứng thư / certificate password: ")
            password = value.encode("utf-8")
        signer = signing_service.file_signer(path, password)
    else:
        module, _ = signing_service.token_preflight(
            app, args.module, token_serial=args.token_serial, token_label=args.token_label,
            cert_fingerprint=args.cert)
        signer = signing_service.token_signer(
            module, _pin_source(args, out), token_serial=args.token_serial,
            token_label=args.token_label, cert_fingerprint=args.cert,
            tax_code=employer.get(app).tax_code)
    return signer


def cmd_sign(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.remote:
        return _sign_remote(app, args, out)
    signer = _signer(app, args, out, args.password_env)
    with signer:
        result = signing_service.sign(app, int(args.dossier_id), signer)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    out.result({"dossier_id": result.dossier_id, "state": "signed",
                "certificate": result.certificate, "warnings": result.warnings},
               t("signed", out.lang, id=result.dossier_id,
                 subject=result.certificate["subject"]))
    return 0


def _countdown(out: Output) -> Callable[[int, str], None]:
    """Says on stderr what the director must do and the time left: at each new phase,
    then every 15 seconds."""
    import time

    from .domain.messages import say

    last: dict[str, Any] = {"phase": None, "at": 0.0}

    def tick(seconds_left: int, phase: str) -> None:
        now = time.monotonic()
        if phase != last["phase"] or now - last["at"] >= 15:
            last.update(phase=phase, at=now)
            print(t("remote_confirm", out.lang, seconds=seconds_left,
                    phase=say(f"remote_phase_{phase}", out.lang)), file=sys.stderr, flush=True)

    return tick


def _sign_remote(app: App, args: argparse.Namespace, out: Output) -> int:
    """``sign ID --remote PROVIDER``: the request goes to the service and the director
    confirms on the phone; a request left pending is followed, never sent again."""
    from .services import remote_signing

    found = remote_signing.provider(args.remote)
    wait = args.wait if args.wait is not None else float(found.expiry_seconds) + 5
    result = remote_signing.sign_remote(app, int(args.dossier_id), args.remote, wait=wait,
                                        on_tick=_countdown(out))
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    name = found.name_en if out.lang == "en" else found.name_vi
    out.result({"dossier_id": result.dossier_id, "state": "signed", "provider": args.remote,
                "certificate": result.certificate, "warnings": result.warnings},
               t("remote_signed", out.lang, id=result.dossier_id, provider=name,
                 subject=result.certificate["subject"]))
    return 0


def _remote_tokens(app: App | None, args: argparse.Namespace, out: Output) -> int:
    """``tokens --remote PROVIDER``: the account's certificates at the service."""
    from .services import remote_signing

    assert app is not None
    report = remote_signing.remote_certificates(app, args.remote)

    def human() -> None:
        for c in report:
            left = t("days_left", out.lang, days=c["days_to_expiry"])
            chosen = f"  ({t('remote_chosen', out.lang)})" if c["chosen"] else ""
            print(f"{t('serial', out.lang)} {c['serial']}{chosen}")
            print(f"  {c['subject']}")
            print(f"  MST {c['tax_code'] or '-'} · {c['fingerprint']} · "
                  f"{c['not_after'][:10]} ({left})")

    out.result(report, human)
    return 0


def cmd_remote(app: App, args: argparse.Namespace, out: Output) -> int:
    """``remote set PROVIDER …`` / ``remote show [PROVIDER]``: the unit's accounts at
    remote signing services; the integration password goes to the OS keyring only."""
    import os

    from .services import remote_signing

    if args.action == "show":
        accounts = ([remote_signing.show_account(app, args.provider)] if args.provider
                    else remote_signing.show_accounts(app))
        out.result(accounts, lambda: _print_accounts(accounts, out))
        return 0
    if not args.provider:
        raise UserError("missing_fields", exit_code=2, fields="PROVIDER")
    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise UserError("missing_fields", exit_code=2, fields=args.password_env)
    options = {"user_id": args.user_id, "serial": args.serial, "sp_id": args.sp_id,
               "base_url": args.url, "ca_file": args.ca}
    try:
        account = remote_signing.set_account(app, args.provider, sp_password=password,
                                             **options)
    except UserError as exc:
        if exc.code != "remote_password_missing" or password is not None:
            raise
        import getpass

        password = getpass.getpass(t("remote_password_prompt", out.lang)) or None
        if password is None:
            raise
        account = remote_signing.set_account(app, args.provider, sp_password=password,
                                             **options)
    out.result(account, lambda: _print_accounts([account], out))
    return 0


def _print_accounts(accounts: list[dict[str, Any]], out: Output) -> None:
    if not accounts:
        print(t("no_remote_accounts", out.lang))
    for a in accounts:
        kept = "remote_password_kept" if a["password_kept"] else "remote_password_none"
        print(t("remote_account", out.lang, provider=a["provider"], url=a["base_url"],
                user=a["user_id"], serial=a["serial"] or t("remote_no_serial", out.lang),
                sp_id=a["sp_id"], password=t(kept, out.lang)))


def _gateway_signer(app: App, args: argparse.Namespace, out: Output):
    """A signer only when this data folder logs in to the gateway by certificate."""
    conf = submission.settings(app)
    if conf is None or conf.login != "certificate":
        return None
    return _signer(app, args, out, args.pkcs12_password_env)


def cmd_login(app: App, args: argparse.Namespace, out: Output) -> int:
    import getpass
    import os

    password = signer = None
    if args.certificate:
        signer = _signer(app, args, out, args.pkcs12_password_env)
    elif args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise UserError("missing_fields", exit_code=2, fields=args.password_env)
    else:
        password = getpass.getpass("Mật khẩu cổng tiếp nhận / gateway password: ")
    unit = args.unit or employer.get(app).unit_code  # the unit chosen (--unit)
    try:
        info = submission.login(app, args.gateway, unit, password=password, signer=signer,
                                ca_file=args.ca)
    finally:
        if signer is not None:
            signer.close()
    out.result(info, t("logged_in", out.lang, gateway=info["gateway"], unit=unit,
                       login=state_name(info["login"], out.lang)))
    return 0


def _registration_signer(app: App, args: argparse.Namespace, out: Output):
    """The signer the options name; a token or file that fails is the registration's
    failure (no paper dossier is offered for it)."""
    try:
        return _signer(app, args, out, args.pkcs12_password_env)
    except UserError as exc:
        raise registration_service.RegistrationError.wrap(exc, exc.exit_code) from None


def _registration_kind(args: argparse.Namespace) -> str:
    return "change" if args.change else "stop" if args.stop else "register"


def _print_registration(app: App, args: argparse.Namespace, out: Output, kind: str,
                        stop_date: date | None) -> int:
    """The paper form; with --demo-cert or --pkcs12 its certificate lines are filled."""
    signer = _registration_signer(app, args, out) if args.demo_cert or args.pkcs12 else None
    try:
        done = registration_service.print_form(
            app, kind, Path(args.print_to), certificate=signer.certificate if signer else None,
            stop_date=stop_date, stop_reason=args.reason or "")
    finally:
        if signer is not None:
            signer.close()
    out.result(done, t("registration_printed", out.lang, **done))
    return 0


def _registration_human(state: dict[str, Any], lang: str) -> Callable[[], None]:
    def human() -> None:
        if state["state"] != "unregistered":
            print(t("registration_now", lang, state=state["state_name"],
                    gateway=state["gateway"], unit=state["unit_code"],
                    method=state["method_name"], reference=state["reference"],
                    since=state["since"]))
        else:
            print(state["state_name"])
        for key in ("pending", "refused"):
            item = state.get(key)
            if item:
                print(t("registration_waiting", lang, id=item["id"], form=item["form"],
                        gateway=item["gateway"], status=item["status_name"])
                      if key == "pending" else f"  ! {item['form']} (#{item['id']}): "
                      f"{item['last_error_message']}")
    return human


def cmd_register(app: App, args: argparse.Namespace, out: Output) -> int:
    """Register for electronic filing (04_DK-IVAN), change (05) or stop (06) it."""
    kind = _registration_kind(args)
    try:
        stop_date = parse_day(args.stop_date) if args.stop_date else None
    except ValueError:
        raise UserError("bad_date", exit_code=2, value=args.stop_date) from None
    if args.print_to:
        return _print_registration(app, args, out, kind, stop_date)
    if args.status or args.discard:
        state = registration_service.discard(app) if args.discard \
            else registration_service.state(app)
        if args.discard:
            out.result(state, t("registration_dropped", out.lang))
        else:
            out.result(state, _registration_human(state, out.lang))
        return 0
    if args.resend:
        state = registration_service.resend(app)
    else:
        signer = None if args.trial else _registration_signer(app, args, out)
        try:
            state = registration_service.register(
                app, kind, gateway=args.gateway, ca_file=args.ca, signer=signer,
                stop_date=stop_date, stop_reason=args.reason or "")
        finally:
            if signer is not None:
                signer.close()
    done = {"register": "registered", "change": "registration_changed",
            "stop": "registration_ended"}[state["kind"]]

    def human() -> None:
        print(t(done, out.lang, unit=state["unit_code"], login=state["login"],
                method=state["method_name"], reference=state["reference"]))
        if state.get("trial_password_issued"):
            print(t("trial_issued", out.lang))

    out.result(state, human)
    return 0


def cmd_submit(app: App, args: argparse.Namespace, out: Output) -> int:
    signer = _gateway_signer(app, args, out)
    try:
        item = submission.submit(app, args.dossier_id, signer=signer)
    finally:
        if signer is not None:
            signer.close()
    out.result(item, t("sent", out.lang, id=item["dossier_id"], number=item["dossier_number"],
                       forms=counted(item.get("receipt", {}).get("forms", []))))
    return 0


def _print_tracking(item: dict[str, Any], lang: str) -> None:
    print(f"  {item.get('dossier_number') or '-'}  {state_name(item['outbox'], lang)}  "
          f"{item['gateway']}")
    if item.get("receipt"):
        print("  " + t("receipt_forms", lang, forms=counted(item["receipt"]["forms"])))
    if item.get("last_error_message"):
        print(f"  ! {item['last_error_message']}")
    for reason in item.get("reasons", []):
        print(f"  - {reason['message']}")


def cmd_sync(app: App, args: argparse.Namespace, out: Output) -> int:
    signer = _gateway_signer(app, args, out)
    try:
        if args.all_units:
            summary = units_service.sync_all(app, signer=signer, wait=args.wait)
        else:
            summary = submission.sync(app, signer=signer, wait=args.wait)
    finally:
        if signer is not None:
            signer.close()

    def human() -> None:
        for item in summary["dossiers"]:
            unit = f"{item['unit_code']:10} " if "unit_code" in item else ""
            print(f"{unit}#{item['dossier_id']:<5} "
                  f"{state_name(item.get('state', ''), out.lang) or '-'}")
            if "outbox" in item:
                _print_tracking(item, out.lang)
            if "error" in item:
                print(f"  ! {item['error']['message']}", file=sys.stderr)
        print(t("synced", out.lang, **{k: summary[k] for k in
                                       ("accepted", "rejected", "waiting", "failed")}))

    out.result(summary, human)
    return summary["exit_code"]


def cmd_verify(app: App | None, args: argparse.Namespace, out: Output) -> int:
    verdict = signing_service.verify_file(Path(args.file),
                                          signing_service.load_cas(args.trusted_ca or []),
                                          out.lang)
    if not verdict["valid"]:
        raise UserError("signature_bad", detail="; ".join(verdict["reasons"]))
    lines = [t("signature_ok", out.lang, signer=verdict["signer"], at=verdict["signing_time"])]
    if not verdict["trusted"]:
        lines.append(t("chain_unchecked", out.lang))
    out.result(verdict, "\n".join(lines))
    return 0


def cmd_print(app: App, args: argparse.Namespace, out: Output) -> int:
    from .services import printing

    result = printing.print_dossier(
        app, args.dossier_id, reason=args.reason or printing.default_reason(out.lang),
        out=Path(args.out) if args.out else None, printer=args.printer)
    out.result(result.to_dict(), result.message(out.lang))
    return 0


def cmd_calc(app: App | None, args: argparse.Namespace, out: Output) -> int:
    """Needs no data folder: only the rate table that ships with the program."""
    from .catalog import load_catalog

    period = declarations.parse_period(args.period)
    salaries = []
    for s in args.salaries:
        try:
            if not s.strip():
                raise ValueError(s)
            salaries.append(parse_money(s))
        except ValueError:
            raise UserError("not_number", exit_code=2, value=s) from None
    data = calc_service.calculate(load_catalog(), period, args.region, salaries,
                                  reduced_accident_rate=args.reduced_accident_rate)

    def human() -> None:
        lang = out.lang
        print(f"{period}  vùng/region {args.region}")
        for w in data["workers"]:
            note = " " + t("floored", lang) if w["floored"] else ""
            print(f"  {vnd(w['salary']):>14}: {vnd(w['total']):>12}{note}")
        print(f"{'':10}{t('employer_share', lang):>16}{t('employee_share', lang):>16}"
              f"{t('total', lang):>16}")
        for fund, s in data["funds"].items():
            print(f"{FUND_NAMES[fund]:10}{vnd(s['employer']):>16}{vnd(s['employee']):>16}"
                  f"{vnd(s['total']):>16}")
        print(f"{t('total', lang):10}{vnd(data['employer_total']):>16}"
              f"{vnd(data['employee_total']):>16}{vnd(data['total']):>16}")

    out.result(data, human)
    return 0


# -- benefit claims (issue 15) -----------------------------------------------------------

CLAIMS_TEXT = {
    "claim_saved": {"vi": "Đã lưu yêu cầu #{id}: {name}, {kind} từ {start} đến {end}.",
                    "en": "Saved claim #{id}: {name}, {kind} from {start} to {end}."},
    "claim_expected": {"vi": "Dự tính: {days} ngày, {amount} đồng. {rule}",
                       "en": "Expected: {days} days, {amount} VND. {rule}"},
    "claim_fix_before": {"vi": "Cần sửa trước khi lập danh sách:",
                         "en": "To mend before the list is made:"},
    "claim_unused": {"vi": "Chế độ '{kind}' không dùng {options}: không lưu các giá trị này.",
                     "en": "A '{kind}' claim does not use {options}: those values were not "
                           "stored."},
    "claim_removed": {"vi": "Đã xoá yêu cầu #{id}.", "en": "Removed claim #{id}."},
    "claim_refiled": {"vi": "Yêu cầu #{id} bị từ chối được lập lại thành yêu cầu #{new}: sửa "
                            "rồi lập danh sách đề nghị tháng sau.",
                      "en": "Rejected claim #{id} entered again as claim #{new}: mend it, "
                            "then declare it in a later list."},
    "claim_taken_out": {"vi": "Hồ sơ nháp {dossier} đã bỏ yêu cầu này và trở về trạng thái "
                              "nháp.",
                        "en": "Draft dossier {dossier} no longer holds it and is a draft "
                              "again."},
    "claims_declared": {"vi": "Đã lập hồ sơ nháp số {id}: thủ tục {procedure}, kỳ {period}, "
                              "{count} yêu cầu, tổng {amount} đồng.",
                        "en": "Draft dossier {id} made: procedure {procedure}, period "
                              "{period}, {count} claims, {amount} VND in all."},
    "claims_next": {"vi": "Tiếp theo, với từng hồ sơ: 'ibhxh validate SỐ', 'ibhxh sign SỐ', "
                          "'ibhxh submit SỐ', rồi 'ibhxh sync' (hoặc 'ibhxh print SỐ' để nộp "
                          "giấy).",
                    "en": "Next, for each dossier: 'ibhxh validate ID', 'ibhxh sign ID', "
                          "'ibhxh submit ID', then 'ibhxh sync' (or 'ibhxh print ID' to file "
                          "on paper)."},
    "claim_approved": {"vi": "Đã ghi yêu cầu #{id}: được duyệt {amount} đồng ({days} ngày); "
                             "chênh lệch so với dự tính {difference} đồng.",
                       "en": "Recorded claim #{id}: {amount} VND approved ({days} days); "
                             "{difference} VND from the expected amount."},
    "claims_ok": {"vi": "{count} yêu cầu chưa lập danh sách, không có lỗi; tổng dự tính "
                        "{amount} đồng.",
                  "en": "{count} claims in no list yet, no problems; {amount} VND expected "
                        "in all."},
    "no_claims": {"vi": "Chưa có yêu cầu nào.", "en": "No claims yet."},
    "claims_head": {"vi": "Mã   Người lao động                 Chế độ                 Nghỉ       "
                          "            Trạng thái          Dự tính    Được duyệt  Chênh lệch",
                    "en": "Id   Worker                         Kind                   Leave      "
                          "            State               Expected   Approved    Difference"},
    "claim_rule": {"vi": "cách tính: {rule}", "en": "computed: {rule}"},
    "claim_note": {"vi": "cơ quan BHXH: {note}", "en": "Social Security: {note}"},
    "history_of": {"vi": "{name} (mã số BHXH {bhxh}): {years} năm {months} tháng đóng BHXH "
                         "trước {before}.",
                   "en": "{name} (BHXH number {bhxh}): {years} years {months} months of "
                         "contribution before {before}."},
    "history_salary": {"vi": "Lương tháng gần nhất {last} đồng; bình quân 6 tháng {average} "
                             "đồng.",
                       "en": "Last month's salary {last} VND; average of 6 months {average} "
                             "VND."},
    "history_stint": {"vi": "  {start} – {end}: {salary} đồng ({source})",
                      "en": "  {start} – {end}: {salary} VND ({source})"},
    "history_now": {"vi": "nay", "en": "now"},
    "history_import": {"vi": "nhập từ tệp", "en": "imported"},
    "history_declarations": {"vi": "theo hồ sơ đã nộp", "en": "from the filed dossiers"},
    "history_days": {"vi": "Đã nghỉ năm {year}: {days}.", "en": "Taken in {year}: {days}."},
    "history_no_days": {"vi": "Năm {year} chưa nghỉ ngày nào.",
                        "en": "No days taken in {year}."},
    "days_unit": {"vi": "{days} ngày", "en": "{days} days"},
}
TEXT.update(CLAIMS_TEXT)

# `ibhxh claims add` options → Claim attributes
CLAIM_OPTIONS = {"kind": "kind", "from_date": "from_date", "to_date": "to_date", "days": "days",
                 "child_birth": "child_birth_date", "children": "child_count",
                 "child_id": "child_id", "weeks": "pregnancy_weeks", "surgery": "surgery",
                 "prenatal_rest": "prenatal_rest", "infertility": "infertility",
                 "second_child": "second_child",
                 "heavy": "heavy_work", "long_term": "long_term_code", "rest_days": "rest_days",
                 "certificate": "certificate", "payment": "payment",
                 "bank_account": "bank_account", "bank": "bank_code", "note": "note"}


def _claims_service():
    from .services import claims

    return claims


def _claim_id(text: str) -> int:
    value = str(text).strip().lstrip("#")
    if not value.isdigit():
        raise UserError("bad_value", exit_code=2, value=text)
    return int(value)


def _money(value: int | None) -> str:
    return "-" if value is None else vnd(value)


def _signed(value: int | None) -> str:
    return "-" if value is None else ("+" if value > 0 else "") + vnd(value)


def _claim_lines(view: Any, catalog: Any, lang: str) -> list[str]:
    d = view.to_dict(catalog, lang)
    leave = f"{d['from_date']:%d/%m/%Y}–{d['to_date']:%d/%m/%Y}"
    lines = [f"#{d['id']:<4}{d['full_name'][:30]:31}{d['kind_name'][:22]:23}{leave:23}"
             f"{d['state_name'][:19]:20}{_money(d['expected_amount']):>10} "
             f"{_money(d['approved_amount']):>11} {_signed(d['difference']):>11}"]
    if d["rule"]:
        lines.append("      " + t("claim_rule", lang, rule=d["rule"]))
    if d["approved_note"]:
        lines.append("      " + t("claim_note", lang, note=d["approved_note"]))
    lines += [f"      ! {p['message']}" for p in d["problems"]]
    return lines


def _claim_saved(view: Any, catalog: Any, out: Output, unused: list[str]) -> None:
    d = view.to_dict(catalog, out.lang)
    if unused:
        print(t("claim_unused", out.lang, kind=d["kind_name"], options=", ".join(unused)),
              file=sys.stderr)
    print(t("claim_saved", out.lang, id=d["id"], name=d["full_name"], kind=d["kind_name"],
            start=f"{d['from_date']:%d/%m/%Y}", end=f"{d['to_date']:%d/%m/%Y}"))
    if d["expected_amount"] is not None and not view.errors:
        print(t("claim_expected", out.lang, days=d["expected_days"],
                amount=vnd(d["expected_amount"]), rule=d["rule"]).strip())
    if view.problems:
        print(t("claim_fix_before", out.lang), file=sys.stderr)
        for p in view.problems:
            print(f"  - {p.message(out.lang)}", file=sys.stderr)


def _claims_import(app: App, args: argparse.Namespace, out: Output, what: str) -> int:
    service = _claims_service()
    run = service.import_claims if what == "claims" else service.import_history
    extra = {"all_or_nothing": args.all_or_nothing} if what == "claims" else {}
    result = run(app, Path(args.file), sheet=args.sheet, mapping=args.mapping,
                 report=args.report, dry_run=args.dry_run, **extra)
    # the rules' warnings too: a claim saved with one is refused when the list is made
    return _import_said(app, args, out, result,
                        [issue for report in result.rows.noted() for issue in report.issues])


def _claims_list(app: App, args: argparse.Namespace, out: Output) -> int:
    views = _claims_service().list_claims(app, args.period, args.state)

    def human() -> None:
        if not views:
            print(t("no_claims", out.lang))
            return
        print(t("claims_head", out.lang))
        for view in views:
            print("\n".join(_claim_lines(view, app.catalog, out.lang)))

    out.result([v.to_dict(app.catalog, out.lang) for v in views], human)
    return 0


def _claims_check(app: App, args: argparse.Namespace, out: Output) -> int:
    views = _claims_service().check_claims(app, [_claim_id(i) for i in _ids(args.ids)] or None)
    failed = [v for v in views if v.errors]
    if failed:
        problems = [p for v in failed for p in v.errors]
        raise UserError("claims_to_mend", problems=problems, count=len(problems),
                        failed=len(failed), total=len(views))
    amount = sum(v.expected_amount or 0 for v in views)

    def human() -> None:
        for view in views:
            print("\n".join(_claim_lines(view, app.catalog, out.lang)))
        print(t("claims_ok", out.lang, count=len(views), amount=vnd(amount)))

    out.result({"ok": True, "claims": [v.to_dict(app.catalog, out.lang) for v in views],
                "amount": amount}, human)
    return 0


def _ids(values: list[str] | None) -> list[str]:
    return [part for text in values or [] for part in text.replace(";", ",").split(",")
            if part.strip()]


def _claims_declare(app: App, args: argparse.Namespace, out: Output) -> int:
    ids = [_claim_id(i) for i in _ids(args.ids)]
    made = _claims_service().declare_claims(app, args.period, ids or None)
    items = [{"dossier_id": d.id, "procedure": d.procedure, "period": str(d.period),
              "claims": [c.id for c in d.claims], "state": str(d.state),
              "amount": sum(c.expected_amount or 0 for c in d.claims)} for d in made]

    def human() -> None:
        for item in items:
            print(t("claims_declared", out.lang, id=item["dossier_id"],
                    procedure=item["procedure"], period=item["period"],
                    count=len(item["claims"]), amount=vnd(item["amount"])))
        print(t("claims_next", out.lang))

    out.result(items, human)
    return 0


def _claims_history(app: App, args: argparse.Namespace, out: Output) -> int:
    if args.target == "import":
        if not args.file:
            raise UserError("missing_fields", exit_code=2, fields="FILE")
        return _claims_import(app, args, out, "history")
    info = _claims_service().worker_history(app, args.target)
    lang = out.lang
    kinds = app.catalog.codelists["benefit_kinds"]

    def human() -> None:
        print(t("history_of", lang, name=info["full_name"], bhxh=info["bhxh_number"] or "-",
                years=info["years"], months=info["months"] % 12, before=info["before"]))
        print(t("history_salary", lang, last=_money(info["salary_base"]),
                average=_money(info["average_6"])))
        for s in info["stints"]:
            print(t("history_stint", lang, start=s["from"], end=s["to"] or t("history_now", lang),
                    salary=vnd(s["salary"]), source=t(f"history_{s['source']}", lang)))
        taken = [f"{kinds.label(k, lang) if k in kinds else k}: "
                 f"{t('days_unit', lang, days=n)}" for k, n in info["days_this_year"].items()]
        print(t("history_days", lang, year=info["year"], days="; ".join(taken)) if taken
              else t("history_no_days", lang, year=info["year"]))

    out.result(info, human)
    return 0


def cmd_claims(app: App, args: argparse.Namespace, out: Output) -> int:
    """Sickness, maternity and convalescence claims: entered, imported, checked, put in
    the period's lists (dossiers 630a/b/c), and Social Security's answer recorded."""
    service = _claims_service()
    action = args.action
    if action == "add":
        given = {attr: getattr(args, option) for option, attr in CLAIM_OPTIONS.items()
                 if getattr(args, option) not in (None, False)}
        # the values the kind does not use are left out, as the window leaves them out
        values, dropped = service.values_for_kind(app, given)
        unused = [f"--{option.replace('_', '-')}" for option, attr in CLAIM_OPTIONS.items()
                  if attr in dropped]
        view = service.add_claim(app, args.worker, values)
        out.result({**view.to_dict(app.catalog, out.lang), "unused_options": unused},
                   lambda: _claim_saved(view, app.catalog, out, unused))
        return 0
    if action == "edit":
        values = {attr: getattr(args, option) for option, attr in CLAIM_OPTIONS.items()
                  if getattr(args, option) is not None}
        view = service.update_claim(app, _claim_id(args.claim), values)
        out.result(view.to_dict(app.catalog, out.lang),
                   lambda: _claim_saved(view, app.catalog, out, []))
        return 0
    if action == "import":
        return _claims_import(app, args, out, "claims")
    if action == "list":
        return _claims_list(app, args, out)
    if action == "check":
        return _claims_check(app, args, out)
    if action == "declare":
        return _claims_declare(app, args, out)
    if action == "approve":
        try:
            amount = parse_money(args.amount)
        except ValueError:
            raise UserError("not_number", exit_code=2, value=args.amount) from None
        view = service.record_approved(app, _claim_id(args.claim), amount, args.days,
                                       args.note or "")
        d = view.to_dict(app.catalog, out.lang)
        out.result(d, t("claim_approved", out.lang, id=d["id"], amount=vnd(amount),
                        days=d["approved_days"], difference=_signed(d["difference"])))
        return 0
    if action == "remove":
        claim_id = _claim_id(args.claim)
        dossier = service.remove_claim(app, claim_id)
        text = t("claim_removed", out.lang, id=claim_id)
        if dossier is not None:
            text += " " + t("claim_taken_out", out.lang, dossier=dossier)
        out.result({"id": claim_id, "dossier_id": dossier}, text)
        return 0
    if action == "refile":
        claim_id = _claim_id(args.claim)
        view = service.refile_claim(app, claim_id)
        d = view.to_dict(app.catalog, out.lang)

        def human() -> None:
            print(t("claim_refiled", out.lang, id=claim_id, new=d["id"]))
            _claim_saved(view, app.catalog, out, [])

        out.result(d, human)
        return 0
    if action == "template":
        path = service.write_template(app, Path(args.out),
                                      "history" if args.history else "claims")
        out.result({"out": str(path)}, t("xlsx_written", out.lang, out=path))
        return 0
    return _claims_history(app, args, out)


def _claim_options(a: Any, editing: bool) -> None:
    """A claim's values as options: required for a new claim (kind, dates), each one
    optional when a claim is changed, its yes/no values then also said as --no-…"""
    flag: dict[str, Any] = ({"action": argparse.BooleanOptionalAction, "default": None}
                            if editing else {"action": "store_true"})
    a.add_argument("--kind", required=not editing, help="om_dau, con_om, sinh_con … "
                   "(forms/codelists/benefit_kinds.csv)")
    a.add_argument("--from", dest="from_date", required=not editing, metavar="DD/MM/YYYY")
    a.add_argument("--to", dest="to_date", required=not editing, metavar="DD/MM/YYYY")
    a.add_argument("--days", help="số ngày đề nghị (không ghi: chương trình tính)")
    a.add_argument("--child-birth", metavar="DD/MM/YYYY", help="ngày sinh (nhận nuôi) con")
    a.add_argument("--children", help="số con sinh (nhận nuôi) cùng lần")
    a.add_argument("--child-id", help="mã thẻ BHYT hoặc số định danh của con")
    a.add_argument("--weeks", help="tuổi thai (tuần)")
    a.add_argument("--surgery", help="phẫu thuật, sinh mổ", **flag)
    a.add_argument("--prenatal-rest", help="sinh con: đã nghỉ dưỡng thai theo chỉ định của "
                   "bác sĩ", **flag)
    a.add_argument("--infertility", help="sinh con: đã nghỉ để điều trị vô sinh", **flag)
    a.add_argument("--second-child", help="sinh con (mẹ hoặc cha): con thứ hai", **flag)
    a.add_argument("--heavy", help="nghề nặng nhọc, độc hại", **flag)
    a.add_argument("--long-term", help="mã bệnh dài ngày")
    a.add_argument("--rest-days", help="ngày nghỉ trong tuần: 7 (Chủ nhật), 67 …")
    a.add_argument("--certificate", help="số serial của chứng từ")
    a.add_argument("--payment", help="TK, DV, TM (forms/codelists/benefit_payment.csv)")
    a.add_argument("--bank-account")
    a.add_argument("--bank", help="mã ngân hàng")
    a.add_argument("--note")


def _claims_parser(sub: Any) -> None:
    """``ibhxh claims add|import|list|check|declare|approve|remove|history|template``."""
    p = sub.add_parser("claims", help="hưởng chế độ ốm đau, thai sản, dưỡng sức / benefit "
                                      "claims")
    _common(p, suppress=True)
    p.set_defaults(fn=cmd_claims)
    actions = p.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text)
        _common(a, suppress=True)
        return a

    a = action("add", "nhập một yêu cầu / enter a claim")
    a.add_argument("worker", help="mã số BHXH, CCCD hoặc #id")
    _claim_options(a, editing=False)

    a = action("edit", "sửa một yêu cầu chưa gửi (chỉ các giá trị được ghi) / change a claim "
                       "not yet sent (only the values given)")
    a.add_argument("claim", help="mã yêu cầu (#id)")
    _claim_options(a, editing=True)

    a = action("import", "nhập yêu cầu từ bảng tính / import claims")
    a.add_argument("file", help=".xlsx .xls .ods .csv")
    a.add_argument("--sheet")
    a.add_argument("--mapping", help="JSON/TOML: cột → trường / column → field")
    a.add_argument("--report", help="báo cáo lỗi .xlsx / error report .xlsx")
    a.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")
    a.add_argument("--all-or-nothing", action="store_true",
                   help="không lưu gì nếu có dòng lỗi / save nothing if a row fails")

    a = action("list", "danh sách yêu cầu / list the claims")
    a.add_argument("--period", help="MM/YYYY")
    a.add_argument("--state", help="draft, declared, signed, sent, accepted, rejected, "
                                   "approved, printed")

    a = action("check", "kiểm tra các yêu cầu chưa lập danh sách / check the claims")
    a.add_argument("--ids", nargs="+", metavar="ID")

    a = action("declare", "lập danh sách 630a/b/c / make the claim lists")
    a.add_argument("period", help="MM/YYYY")
    a.add_argument("--ids", nargs="+", metavar="ID",
                   help="chỉ các yêu cầu này (mặc định: mọi yêu cầu chưa lập danh sách)")

    a = action("approve", "ghi số tiền được duyệt / record the approved amount")
    a.add_argument("claim", help="mã yêu cầu (#id)")
    a.add_argument("--amount", required=True)
    a.add_argument("--days", type=int)
    a.add_argument("--note")

    a = action("remove", "xoá một yêu cầu / remove a claim")
    a.add_argument("claim", help="mã yêu cầu (#id)")

    a = action("refile", "lập lại một yêu cầu bị từ chối để sửa và gửi lại / enter a "
                         "rejected claim again, to mend and send")
    a.add_argument("claim", help="mã yêu cầu (#id)")

    a = action("history", "quá trình đóng của một người; 'history import TỆP' nhập từ bảng "
                          "tính / a worker's contributions; 'history import FILE'")
    a.add_argument("target", help="mã số BHXH, CCCD, #id, hoặc import")
    a.add_argument("file", nargs="?", help="tệp bảng tính (history import)")
    a.add_argument("--sheet")
    a.add_argument("--mapping", help="JSON/TOML: cột → trường / column → field")
    a.add_argument("--report", help="báo cáo lỗi .xlsx / error report .xlsx")
    a.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không lưu")

    a = action("template", "mẫu Excel để điền / fill-in .xlsx template")
    a.add_argument("out", help="FILE.xlsx")
    a.add_argument("--history", action="store_true",
                   help="mẫu quá trình đóng / the contribution months' template")


# -- parser -------------------------------------------------------------------------------

def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", default=default,
                        help="thư mục dữ liệu / data folder (IBHXH_DATA_DIR)")
    parser.add_argument("--json", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="in kết quả dạng JSON / machine-readable output")
    parser.add_argument("--lang", choices=["vi", "en"],
                        default=argparse.SUPPRESS if suppress else "vi",
                        help="ngôn ngữ / language (vi mặc định)")
    parser.add_argument("--database", default=default, metavar="URL",
                        help="cơ sở dữ liệu trên máy chủ PostgreSQL / a PostgreSQL database "
                             "(IBHXH_DATABASE_URL; mặc định: tệp của thư mục dữ liệu)")
    parser.add_argument("--unit", default=default, metavar="MÃ_ĐV",
                        help="đơn vị làm việc / the unit to work on (mặc định: đơn vị duy "
                             "nhất hoặc dùng lần trước / default: the only or last used)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ibhxh", description="Kê khai BHXH điện tử / "
                                     "Vietnamese social-insurance e-declarations")
    parser.add_argument("--version", action="version", version=f"ibhxh {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, fn: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        _common(p, suppress=True)
        p.set_defaults(fn=fn)
        return p

    p = command("demo", cmd_demo, "tạo dữ liệu mẫu / make demo data")
    p.add_argument("--workers", type=int, default=25)
    p.add_argument("--no-claims", action="store_true",
                   help="không tạo quá trình đóng và yêu cầu hưởng chế độ mẫu / "
                        "no months of contribution and benefit claims")

    p = command("employer", cmd_employer, "thông tin đơn vị / the unit")
    p.add_argument("action", choices=["show", "set"])
    p.add_argument("--file", help="TOML hoặc JSON / TOML or JSON")

    p = command("workers", cmd_workers, "người lao động / workers")
    p.add_argument("action", choices=["list", "add", "import", "export"])
    p.add_argument("file", nargs="?", help=".xlsx .xls .ods .csv (import)")
    p.add_argument("--sheet", help="tên trang tính / sheet name (import)")
    p.add_argument("--mapping", help="JSON/TOML: cột → trường / column → field (import)")
    p.add_argument("--all-or-nothing", action="store_true",
                   help="không lưu gì nếu có dòng lỗi / save nothing if a row fails")
    p.add_argument("--report", help="báo cáo lỗi .xlsx / error report .xlsx (import)")
    p.add_argument("--take-row", action="append", metavar="ROW",
                   help="dùng bản trong tệp cho dòng khác người đã lưu / use the file's "
                        "version of a row that disagrees with a stored worker (import)")
    p.add_argument("--replace", action="store_true",
                   help="ghi đè người đã lưu có cùng mã số / overwrite the stored worker "
                        "with the same number (add)")
    p.add_argument("--out", help="tệp .xlsx (export)")
    p.add_argument("--search")
    p.add_argument("--limit", type=int)
    p.add_argument("--all-units", action="store_true",
                   help="tìm trong mọi đơn vị (list --search) / search every unit")
    for name in ("full-name", "gender", "birth-date", "bhxh-number", "cccd", "cmnd",
                 "nationality", "ethnicity", "phone", "email", "birth-place", "birth-province",
                 "address", "address-province", "position", "salary", "allowances", "kcb-code",
                 "status"):
        p.add_argument(f"--{name}")

    p = command("declare", cmd_declare, "lập hồ sơ / make a draft dossier")
    p.add_argument("--procedure", required=True,
                   help="600, 604, 607, 608, 610, 612 (ibhxh procedures)")
    p.add_argument("--period", required=True, help="MM/YYYY")
    p.add_argument("--line", action="append",
                   help="600: MÃ[:PHƯƠNG ÁN[:LƯƠNG[:TỪ THÁNG[:ĐẾN THÁNG]]]]; 607: MÃ:NỘI DUNG "
                        "… (ibhxh procedures); MÃ: BHXH, CCCD hoặc #id")
    p.add_argument("--change", help="604: nội dung thay đổi của đơn vị / what changes")
    p.add_argument("--lines", help="CSV: worker,plan,salary,from,to,decision_number,…")
    p.add_argument("--from", dest="from_file",
                   help="bảng tính các dòng D02 / spreadsheet of D02 lines (.xlsx .xls .ods .csv)")
    p.add_argument("--sheet", help="trang tính của --from / sheet of --from")
    p.add_argument("--mapping", help="JSON/TOML: cột → trường cho --from")
    p.add_argument("--new-workers", action="store_true",
                   help="mọi người lao động chưa báo tăng / every worker not yet increased")
    p.add_argument("--first-registration", action="store_true",
                   help="đăng ký lần đầu (kèm TK3-TS) / first registration (adds TK3-TS)")

    command("procedures", cmd_procedures, "các thủ tục và dòng của chúng / the procedures")

    p = command("template", cmd_template, "mẫu Excel để điền / fill-in .xlsx template")
    p.add_argument("kind", choices=["d02", "workers"])
    p.add_argument("--out", required=True, help="FILE.xlsx")

    p = command("validate", cmd_validate, "kiểm tra / check a dossier or an XML file")
    p.add_argument("target", help="DOSSIER_ID | FILE.xml")

    p = command("export", cmd_export, "xuất XML / write the dossier XML")
    p.add_argument("dossier_id")
    p.add_argument("--out", required=True)
    p.add_argument("--signed", action="store_true", help="bản đã ký / the signed dossier")

    p = command("status", cmd_status, "trạng thái / dossier states")
    p.add_argument("dossier_id", nargs="?", type=int)
    p.add_argument("--all-units", action="store_true",
                   help="hồ sơ của mọi đơn vị / every unit's dossiers")
    p.add_argument("--to-sign", action="store_true",
                   help="hồ sơ chờ người ký / dossiers waiting for the signer")

    p = command("units", cmd_units, "các đơn vị trong dữ liệu / the units of the database")
    p.add_argument("action", nargs="?", default="list", choices=["list", "add", "use", "status"])
    p.add_argument("value", nargs="?",
                   help="tệp hồ sơ đơn vị (add), mã đơn vị (use) / profile file, unit code")
    p.add_argument("--period", help="MM/YYYY (status; mặc định tháng này / default this month)")

    p = command("database", cmd_database,
                "chọn cơ sở dữ liệu / choose the database (this PC's file or a server)")
    p.add_argument("action", nargs="?", default="show", choices=["show", "use", "local"])
    p.add_argument("url", nargs="?", metavar="URL",
                   help="postgresql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY_CHỦ:CỔNG/TÊN (use)")

    p = command("key", cmd_key, "khóa dữ liệu / the data key")
    p.add_argument("action", choices=["status", "export-recovery", "restore", "rotate"])
    p.add_argument("file", nargs="?", help="tệp khôi phục / recovery file (restore)")
    p.add_argument("--out")
    p.add_argument("--passphrase-env", help="biến môi trường chứa cụm mật khẩu")

    p = command("officers", cmd_officers,
                "cán bộ dùng chung dữ liệu / officers of a shared database")
    p.add_argument("action", choices=["list", "init", "request", "add", "remove", "rotate"])
    p.add_argument("login", nargs="?", help="tên đăng nhập / login")
    p.add_argument("--name", help="họ tên / full name (init, request)")
    p.add_argument("--role", action="append", choices=list(officers_service.ROLES),
                   help="preparer | signer (add; lặp lại được / repeatable)")
    p.add_argument("--fingerprint", help="vân tay khóa cán bộ đọc cho / the key fingerprint "
                                         "the officer read out (add)")

    p = command("worker-report", cmd_worker_report,
                "dữ liệu về một người / everything held about a worker")
    p.add_argument("worker", help="mã số BHXH, CCCD hoặc #id")
    p.add_argument("--out", required=True, help="FILE.pdf | FILE.json")

    p = command("retention", cmd_retention, "thời hạn lưu trữ / retention")
    p.add_argument("action", choices=["list", "erase"])
    p.add_argument("ids", nargs="*")
    p.add_argument("--years", type=int)
    p.add_argument("--all-due", action="store_true")

    p = command("audit", cmd_audit, "nhật ký xử lý dữ liệu / processing log")
    p.add_argument("--out", help="FILE.csv | FILE.json")

    p = command("print", cmd_print, "in hồ sơ giấy / print the paper dossier")
    p.add_argument("dossier_id", type=int)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", help="FILE.pdf")
    group.add_argument("--printer", help="tên máy in / printer name")
    p.add_argument("--reason", help="lý do in hồ sơ giấy / why on paper")

    p = command("tokens", cmd_tokens, "token và chứng thư / tokens and certificates")
    p.add_argument("--module", help="đường dẫn PKCS#11 / PKCS#11 module path")
    p.add_argument("--remote", metavar="PROVIDER",
                   help="chứng thư của tài khoản ký từ xa / the remote account's certificates")

    p = command("sign", cmd_sign, "ký hồ sơ / sign a dossier")
    p.add_argument("dossier_id")
    p.add_argument("--module", help="đường dẫn PKCS#11 / PKCS#11 module path")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--token-label")
    group.add_argument("--token-serial")
    p.add_argument("--cert", help="vân tay SHA-256 của chứng thư / certificate fingerprint")
    p.add_argument("--pin-env", help="biến môi trường chứa PIN (không thì hỏi)")
    p.add_argument("--confirm-low-pin", action="store_true",
                   help="gửi PIN cả khi token báo lần thử cuối cùng / send the PIN "
                        "even when the token reports the final try")
    p.add_argument("--pkcs12", help="tệp chứng thư .p12/.pfx / certificate file")
    p.add_argument("--password-env", help="biến môi trường chứa mật khẩu tệp .p12")
    p.add_argument("--demo-cert", action="store_true",
                   help="chứng thư mẫu của dữ liệu demo / the demo certificate")
    p.add_argument("--remote", metavar="PROVIDER",
                   help="ký từ xa, xác nhận trên điện thoại / remote signing, confirmed on "
                        "the phone (ibhxh remote set)")
    p.add_argument("--wait", type=float, metavar="SECONDS",
                   help="chờ xác nhận tối đa (mặc định: đến khi yêu cầu hết hạn) / wait for "
                        "the confirmation up to (default: until the request expires)")

    p = command("remote", cmd_remote, "tài khoản ký từ xa / remote signing accounts")
    p.add_argument("action", choices=["set", "show"])
    p.add_argument("provider", nargs="?", metavar="PROVIDER",
                   help="khóa trong providers.toml / a key of providers.toml")
    p.add_argument("--user-id", help="mã số thuế hoặc số CCCD của người ký / the signer's id")
    p.add_argument("--serial", help="số sê-ri chứng thư / certificate serial")
    p.add_argument("--sp-id", help="mã tích hợp / integration id (sp_id)")
    p.add_argument("--password-env", metavar="VAR",
                   help="biến môi trường chứa mật khẩu tích hợp (không thì hỏi)")
    p.add_argument("--url", help="địa chỉ dịch vụ / the service's base URL")
    p.add_argument("--ca", metavar="PEM", help="CA của dịch vụ / the service's TLS CA")

    def signer_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--module", help="đường dẫn PKCS#11 / PKCS#11 module path")
        group = p.add_mutually_exclusive_group()
        group.add_argument("--token-label")
        group.add_argument("--token-serial")
        p.add_argument("--cert", help="vân tay SHA-256 của chứng thư / certificate fingerprint")
        p.add_argument("--pin-env", help="biến môi trường chứa PIN (không thì hỏi)")
        p.add_argument("--confirm-low-pin", action="store_true")
        p.add_argument("--pkcs12", help="tệp chứng thư .p12/.pfx / certificate file")
        p.add_argument("--pkcs12-password-env", help="biến môi trường chứa mật khẩu tệp .p12")
        p.add_argument("--demo-cert", action="store_true")

    p = command("login", cmd_login, "đăng nhập cổng tiếp nhận / log in to the gateway")
    p.add_argument("--gateway", required=True, metavar="URL")
    p.add_argument("--ca", metavar="PEM", help="CA của cổng (sandbox: ca.pem) / gateway CA")
    p.add_argument("--password-env", metavar="VAR",
                   help="biến môi trường chứa mật khẩu dùng thử (không thì hỏi)")
    p.add_argument("--certificate", action="store_true",
                   help="đăng nhập bằng chữ ký số / log in with the certificate")
    signer_options(p)

    p = command("register", cmd_register, "đăng ký giao dịch điện tử / register for "
                "electronic filing (04_DK-IVAN; --change 05_SD-IVAN; --stop 06_NG-IVAN)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--change", action="store_true",
                      help="thay đổi thông tin đăng ký (05_SD-IVAN) / change it")
    what.add_argument("--stop", action="store_true",
                      help="ngừng giao dịch điện tử (06_NG-IVAN) / stop electronic filing")
    what.add_argument("--resend", action="store_true",
                      help="gửi lại tờ khai đang chờ trả lời / send the waiting file again")
    what.add_argument("--discard", action="store_true",
                      help="bỏ tờ khai đang chờ / drop the waiting file")
    what.add_argument("--status", action="store_true",
                      help="tình trạng đăng ký / the registration's state")
    p.add_argument("--gateway", metavar="URL",
                   help="cổng tiếp nhận (mặc định: cổng đã cài đặt) / the gateway")
    p.add_argument("--ca", metavar="PEM", help="CA của cổng (sandbox: ca.pem) / gateway CA")
    p.add_argument("--trial", action="store_true",
                   help="đơn vị chưa có chữ ký số: xin mật khẩu dùng thử / a unit without a "
                        "certificate: ask for a trial password")
    p.add_argument("--stop-date", metavar="DD/MM/YYYY",
                   help="ngừng từ ngày (mặc định hôm nay) / stops from (default today)")
    p.add_argument("--reason", help="lý do ngừng / why it stops (--stop)")
    p.add_argument("--print", dest="print_to", metavar="FILE.pdf",
                   help="in tờ khai giấy, không gửi / print the paper form, send nothing")
    signer_options(p)

    p = command("submit", cmd_submit, "gửi hồ sơ / send a signed dossier")
    p.add_argument("dossier_id", type=int)
    signer_options(p)

    p = command("sync", cmd_sync, "gửi hàng đợi, cập nhật trạng thái / send and refresh")
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="chờ kết quả tối đa / wait for results up to")
    p.add_argument("--all-units", action="store_true",
                   help="hàng đợi của mọi đơn vị / every unit's queue")
    signer_options(p)

    from .gateway.sandbox import cli as sandbox_cli

    p = command("sandbox", None, "cổng tiếp nhận thử nghiệm / the sandbox gateway")
    sandbox_cli.add_arguments(p)

    p = command("verify", cmd_verify, "kiểm tra chữ ký / verify a signed file")
    p.add_argument("file")
    p.add_argument("--trusted-ca", action="append", help="PEM của CA tin cậy (lặp lại được)")

    p = command("backup", cmd_backup, "sao lưu / back up the data")
    p.add_argument("--out", required=True)
    p.add_argument("--passphrase-env", help="biến môi trường chứa cụm mật khẩu")

    p = command("restore", _restore_backup, "khôi phục / restore a backup")
    p.add_argument("file")
    p.add_argument("--passphrase-env", help="biến môi trường chứa cụm mật khẩu")
    p.add_argument("--replace", action="store_true",
                   help="thay dữ liệu đang có trên máy chủ / replace the server's data")

    p = command("move", cmd_move, "chuyển cơ sở dữ liệu / move the database to another")
    p.add_argument("--to", required=True, metavar="URL",
                   help="postgresql://NGƯỜI_DÙNG:MẬT_KHẨU@MÁY_CHỦ:CỔNG/TÊN hoặc sqlite")

    p = command("diagnose", _diagnose, "chẩn đoán / diagnostics for support staff")
    p.add_argument("--bundle", help="OUT.zip: báo cáo và nhật ký / report and logs")
    p.add_argument("--module", help="đường dẫn PKCS#11 / PKCS#11 module path")
    p.add_argument("--gateway", help="URL cổng tiếp nhận / gateway URL")
    p.add_argument("--ca", help="PEM của CA cổng / the gateway's CA file")

    p = command("calc", cmd_calc, "tính số phải đóng / compute contributions")
    p.add_argument("--period", required=True, help="MM/YYYY")
    p.add_argument("--region", required=True, choices=["I", "II", "III", "IV"])
    p.add_argument("--reduced-accident-rate", action="store_true")
    p.add_argument("salaries", nargs="+")

    _claims_parser(sub)
    return parser


def _restore_key(args: argparse.Namespace, out: Output) -> int:
    """Runs without opening the database normally: its key is what is missing."""
    if not args.file:
        raise UserError("missing_fields", exit_code=2, fields="FILE")
    datakey.restore(args.data_dir, Path(args.file), _passphrase(args.passphrase_env))
    out.result({"restored": True}, t("key_restored", out.lang))
    return 0


def _dossier_arg(args: argparse.Namespace) -> int | None:
    if args.command in ("sign", "submit") and str(getattr(args, "dossier_id", "")).isdigit():
        return int(args.dossier_id)
    return None


def _creates_data(args: argparse.Namespace) -> bool:
    """Only these commands may make a data folder that is not there yet."""
    return args.command == "demo" or (args.command == "employer" and args.action == "set") \
        or (args.command == "units" and args.action == "add")


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code. Output cut short by its reader
    (``ibhxh status | head``) ends the command quietly."""
    try:
        code = _run(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 141  # as a command stopped by SIGPIPE
    return code


def _quiet_stdout() -> None:
    """The reader of stdout is gone: what is still buffered goes nowhere, so Python's
    flush at exit does not print a BrokenPipeError."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass


def _run(argv: list[str] | None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # Vietnamese on a Windows console
        sys.stderr.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    out = Output(args.json, args.lang)
    app = None
    try:
        logs.setup()
        if args.command == "key" and args.action == "restore":
            return _restore_key(args, out)
        if args.command in ("restore", "diagnose", "database"):
            return args.fn(args, out)
        if args.command in ("verify", "calc", "tokens", "procedures") and \
                not getattr(args, "remote", None):  # no data folder
            return args.fn(None, args, out)
        if args.command == "sandbox":  # no database: the sandbox keeps its own state
            from .gateway.sandbox import cli as sandbox_cli

            return sandbox_cli.run(args, args.data_dir, args.lang)
        app = open_app(args.data_dir, lang=args.lang, create=_creates_data(args),
                       unit=args.unit, database=args.database)
        out.report_dir = app.data_dir / "reports"
        if args.command == "employer" and args.action == "set" and not args.file:
            raise UserError("missing_fields", exit_code=2, fields="--file")
        if args.command == "workers" and args.action == "import" and not args.file:
            raise UserError("missing_fields", exit_code=2, fields="FILE")
        return args.fn(app, args, out)
    except UserError as exc:
        return out.error(exc, paper_for=_dossier_arg(args))
    except CryptoError as exc:
        return out.error(UserError(exc.code, **exc.params))
    except repo.NoUnit:
        return out.error(UserError("no_employer"))
    except repo.UnitMismatch as exc:
        return out.error(UserError("unit_mismatch", kind=exc.kind,
                                   ids=", ".join(f"#{i}" for i in exc.ids[:10])))
    except ServerError as exc:
        return out.error(UserError(exc.code, exit_code=4 if exc.code == "database_unreachable"
                                   else 2, **exc.params))
    except DatabaseError as exc:
        return out.error(UserError("database", detail=str(exc)))
    except BrokenPipeError:
        raise
    except Exception as exc:
        log.exception("unexpected error in %s", args.command)
        return out.error(UserError("internal", exit_code=70, detail=type(exc).__name__))
    finally:
        if app is not None:
            app.close()


if __name__ == "__main__":
    sys.exit(main())
