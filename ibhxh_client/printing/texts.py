"""Every sentence the paper dossier says to the officer (not on the paper itself: what is
printed is Vietnamese and lives in forms/*/print.toml), in Vietnamese and English.

One table, one function (``say``), as in domain/messages.py: a translation must use exactly
the placeholders of the Vietnamese text (a test checks it). No Qt here.
"""

from __future__ import annotations

from ..domain.messages import word

TEXTS: dict[str, dict[str, str]] = {
    # --- why the paper dossier is offered (offer_paper) ---
    "offer": {"vi": "{problem} Có thể in hồ sơ giấy để nộp thay (Công văn 2724/BHXH-THU); "
                    "hồ sơ vẫn nằm trong danh sách chờ gửi để nộp điện tử khi khắc phục được.",
              "en": "{problem} You can print the paper dossier to file instead (Official "
                    "Dispatch 2724/BHXH-THU); the dossier stays in the outbox to be sent "
                    "electronically once this is fixed."},
    "reason.no_token": {"vi": "Không ký được hồ sơ điện tử: không có USB token chữ ký số.",
                        "en": "The electronic dossier could not be signed: no USB token."},
    "reason.token_removed": {"vi": "Không ký được hồ sơ điện tử: USB token bị rút ra hoặc mất "
                                   "kết nối.",
                             "en": "The electronic dossier could not be signed: the USB token "
                                   "was removed or lost contact."},
    "reason.device_error": {"vi": "Không ký được hồ sơ điện tử: USB token hoặc trình điều "
                                  "khiển token bị lỗi.",
                            "en": "The electronic dossier could not be signed: the USB token "
                                  "or its driver failed."},
    "reason.module": {"vi": "Không ký được hồ sơ điện tử: thiếu hoặc hỏng trình điều khiển "
                            "(thư viện PKCS#11) của token.",
                      "en": "The electronic dossier could not be signed: the token's driver "
                            "(PKCS#11 library) is missing or broken."},
    "reason.pin_locked": {"vi": "Không ký được hồ sơ điện tử: mã PIN của USB token đã bị khóa.",
                          "en": "The electronic dossier could not be signed: the USB token's "
                                "PIN is locked."},
    "reason.pin_expired": {"vi": "Không ký được hồ sơ điện tử: mã PIN của USB token đã hết "
                                 "hạn.",
                           "en": "The electronic dossier could not be signed: the USB token's "
                                 "PIN has expired."},
    "reason.no_certificate": {"vi": "Không ký được hồ sơ điện tử: không có chứng thư số dùng "
                                    "được của đơn vị.",
                              "en": "The electronic dossier could not be signed: the unit has "
                                    "no usable digital certificate."},
    "reason.cert_expired": {"vi": "Không ký được hồ sơ điện tử: chứng thư số của đơn vị đã "
                                  "hết hạn.",
                            "en": "The electronic dossier could not be signed: the unit's "
                                  "digital certificate has expired."},
    "reason.cert_invalid": {"vi": "Không ký được hồ sơ điện tử: chứng thư số của đơn vị không "
                                  "dùng được để ký.",
                            "en": "The electronic dossier could not be signed: the unit's "
                                  "digital certificate cannot be used to sign."},
    "reason.software": {"vi": "Không lập được hồ sơ điện tử do lỗi phần mềm.",
                        "en": "The electronic dossier could not be made because of a "
                              "software failure."},
    "reason.gateway_unreachable": {"vi": "Không gửi được hồ sơ điện tử: không kết nối được "
                                         "cổng tiếp nhận của BHXH sau nhiều lần thử.",
                                   "en": "The electronic dossier could not be sent: the "
                                         "Social Security gateway could not be reached "
                                         "after several tries."},
    "reason.gateway_error": {"vi": "Không gửi được hồ sơ điện tử: cổng tiếp nhận của BHXH "
                                   "báo lỗi.",
                             "en": "The electronic dossier could not be sent: the Social "
                                   "Security gateway reported an error."},
    "reason.gateway_untrusted": {"vi": "Không gửi được hồ sơ điện tử: câu trả lời của cổng "
                                       "tiếp nhận BHXH không tin cậy được.",
                                 "en": "The electronic dossier could not be sent: the Social "
                                       "Security gateway's answer cannot be trusted."},
    "reason.default": {"vi": "Phần mềm gặp sự cố, không lập hoặc gửi được hồ sơ điện tử.",
                       "en": "The software failed; the electronic dossier could not be made "
                             "or sent."},
    # --- print_dossier ---
    "printed_pdf": {"vi": "Đã in hồ sơ {id} ra tệp {out} ({pages} trang). Hồ sơ vẫn chờ nộp "
                          "điện tử.",
                    "en": "Printed dossier {id} to {out} ({pages} pages). The dossier still "
                          "waits to be filed electronically."},
    "printed_printer": {"vi": "Đã gửi hồ sơ {id} tới máy in {printer} ({pages} trang). Hồ sơ "
                              "vẫn chờ nộp điện tử.",
                        "en": "Sent dossier {id} to the printer {printer} ({pages} pages). "
                              "The dossier still waits to be filed electronically."},
    "print_target": {"vi": "Hãy chọn một nơi in: --out TỆP.pdf hoặc --printer TÊN_MÁY_IN.",
                     "en": "Choose one place to print to: --out FILE.pdf or --printer NAME."},
    "reason_required": {"vi": "Hãy ghi lý do in hồ sơ giấy (--reason).",
                        "en": "Give the reason for printing the paper dossier (--reason)."},
    "reason_too_long": {"vi": "Lý do in hồ sơ giấy dài quá {max} ký tự; hãy viết ngắn lại.",
                        "en": "The reason for printing is longer than {max} characters; "
                              "shorten it."},
    "no_printer": {"vi": "Không có máy in tên '{name}'. Máy in có trên máy này: {available}.",
                   "en": "There is no printer named '{name}'. Printers on this computer: "
                         "{available}."},
    "no_printers": {"vi": "(không có máy in nào)", "en": "(none)"},
    "printer_failed": {"vi": "Máy in '{name}' không nhận lệnh in ({detail}). Chưa có gì thay "
                             "đổi; hãy kiểm tra máy in rồi thử lại, hoặc in ra tệp PDF.",
                       "en": "The printer '{name}' did not accept the job ({detail}). Nothing "
                             "changed; check the printer and try again, or print to a PDF "
                             "file."},
    "pdf_failed": {"vi": "Không tạo được tệp PDF {path}. Chưa có gì thay đổi.",
                   "en": "Could not make the PDF file {path}. Nothing changed."},
    "not_printable": {"vi": "Hồ sơ {id} đang ở trạng thái '{state}': không in hồ sơ giấy cho "
                            "hồ sơ đã được chấp nhận.",
                      "en": "Dossier {id} is '{state}': no paper dossier is printed for a "
                            "dossier that was accepted."},
    "layout_error": {"vi": "Mẫu in bị lỗi: {detail}", "en": "The print layout is broken: "
                                                          "{detail}"},
}


def say(key: str, lang: str = "vi", **params: object) -> str:
    """The sentence ``key`` in ``lang`` (Vietnamese when the language is unknown)."""
    return word(TEXTS, key, lang, **params)
