"""Every sentence about sending and following dossiers, in Vietnamese and English.

One table for the gateway client and the submission use cases; ``say`` fills a template.
A translation uses exactly the placeholders of the Vietnamese text (a test checks it).
"""

from __future__ import annotations

import re

from ..domain.messages import word

MESSAGES: dict[str, dict[str, str]] = {
    # --- the network and the answers (gateway.client) ---
    "network": {"vi": "Không kết nối được cổng tiếp nhận {url}: {detail}.",
                "en": "Cannot reach the gateway {url}: {detail}."},
    "timeout": {"vi": "Cổng tiếp nhận {url} không trả lời kịp thời.",
                "en": "The gateway {url} did not answer in time."},
    "tls": {"vi": "Chứng thư TLS của {url} không đáng tin cậy hoặc không đúng tên máy chủ; "
                  "đã dừng, không gửi gì ({detail}).",
            "en": "The TLS certificate of {url} is not trusted or is for another host name; "
                  "stopped, nothing was sent ({detail})."},
    "bad_answer": {"vi": "Cổng tiếp nhận trả lời không đúng giao thức; câu trả lời bị từ "
                         "chối, dữ liệu trên máy không thay đổi ({detail}).",
                   "en": "The gateway's answer does not follow the protocol; it was refused "
                         "and the local data was not changed ({detail})."},
    "answer_too_large": {"vi": "Câu trả lời của cổng tiếp nhận quá lớn (hơn {limit} byte); "
                               "đã từ chối.",
                         "en": "The gateway's answer is too large (over {limit} bytes); "
                               "refused."},
    "hostile_xml": {"vi": "Câu trả lời của cổng tiếp nhận chứa XML không an toàn (DTD, thực "
                          "thể); đã từ chối, dữ liệu trên máy không thay đổi ({detail}).",
                    "en": "The gateway's answer holds unsafe XML (DTD, entities); refused, "
                          "the local data was not changed ({detail})."},
    "receipt_signature": {"vi": "Chữ ký trên phiếu giao nhận không hợp lệ; phiếu bị từ chối, "
                                "chưa lưu gì ({reason})",
                          "en": "The receipt's signature is not valid; the receipt was "
                                "refused, nothing was stored ({reason})"},
    "receipt_mismatch": {"vi": "Phiếu giao nhận không khớp với hồ sơ đã gửi ({field}); phiếu "
                               "bị từ chối, chưa lưu gì.",
                         "en": "The receipt does not match the dossier sent ({field}); it "
                               "was refused, nothing was stored."},
    "result_signature": {"vi": "Chữ ký trên thông báo kết quả không hợp lệ; thông báo bị từ "
                               "chối, chưa lưu gì ({reason})",
                         "en": "The result notice's signature is not valid; it was refused, "
                               "nothing was stored ({reason})"},
    "result_mismatch": {"vi": "Thông báo kết quả không phải của hồ sơ {number} ({field}).",
                        "en": "The result notice is not for dossier {number} ({field})."},
    "http_status": {"vi": "Cổng tiếp nhận trả lời mã HTTP {status} không mong đợi.",
                    "en": "The gateway answered with the unexpected HTTP status {status}."},
    # --- what the gateway says (protocol.ErrorCode) ---
    "bad_request": {"vi": "Cổng tiếp nhận không hiểu yêu cầu.",
                    "en": "The gateway did not understand the request."},
    "unsupported_version": {"vi": "Cổng tiếp nhận không hỗ trợ phiên bản giao thức của phần "
                                  "mềm này; hãy cập nhật phần mềm.",
                            "en": "The gateway does not speak this program's protocol "
                                  "version; update the program."},
    "unauthorized": {"vi": "Phiên đăng nhập đã hết hạn.", "en": "The session has expired."},
    "login_failed": {"vi": "Đăng nhập cổng tiếp nhận không thành công: sai mã đơn vị hoặc "
                           "mật khẩu.",
                     "en": "Login to the gateway failed: wrong unit code or password."},
    "challenge_expired": {"vi": "Mã xác thực đăng nhập đã hết hạn; hãy thử lại.",
                          "en": "The login challenge expired; try again."},
    "certificate_refused": {"vi": "Cổng tiếp nhận không chấp nhận chứng thư số.",
                            "en": "The gateway does not accept the certificate."},
    "trial_disabled": {"vi": "Cổng tiếp nhận này không có tài khoản dùng thử bằng mật khẩu; "
                             "hãy đăng nhập bằng chữ ký số.",
                       "en": "This gateway has no password trial accounts; log in with the "
                             "digital signature."},
    "unit_mismatch": {"vi": "Chứng thư số hoặc hồ sơ không phải của đơn vị đã đăng nhập.",
                      "en": "The certificate or the dossier belongs to another unit than the "
                            "one logged in."},
    "not_found": {"vi": "Cổng tiếp nhận không tìm thấy hồ sơ.",
                  "en": "The gateway does not know this dossier."},
    "idempotency_conflict": {"vi": "Cổng tiếp nhận đã nhận một bản khác của hồ sơ này (hồ sơ "
                                   "đã được ký lại sau khi gửi). Không gửi thêm để tránh nộp "
                                   "trùng; hãy liên hệ cơ quan BHXH.",
                             "en": "The gateway already holds another version of this dossier "
                                   "(it was signed again after sending). Nothing more was "
                                   "sent, to avoid a duplicate filing; contact the agency."},
    "too_large": {"vi": "Hồ sơ quá lớn so với giới hạn của cổng tiếp nhận.",
                  "en": "The dossier is larger than the gateway accepts."},
    "unsupported_media": {"vi": "Cổng tiếp nhận không nhận định dạng dữ liệu đã gửi.",
                          "en": "The gateway does not accept the data format sent."},
    "envelope_invalid": {"vi": "Cổng tiếp nhận từ chối hồ sơ khi kiểm tra (thủ tục và tờ "
                               "khai, lược đồ, chữ ký hoặc chứng thư số).",
                         "en": "The gateway refused the dossier at its checks (procedure and "
                               "forms, schema, signature or certificate)."},
    "idempotency_key_missing": {"vi": "Yêu cầu gửi hồ sơ thiếu khóa chống trùng.",
                                "en": "The submission lacks its idempotency key."},
    "rate_limited": {"vi": "Cổng tiếp nhận đang quá tải yêu cầu; hãy thử lại sau {wait} giây.",
                     "en": "The gateway is rate-limiting requests; try again in {wait} "
                           "seconds."},
    "internal": {"vi": "Cổng tiếp nhận gặp lỗi nội bộ.", "en": "The gateway had an internal "
                                                            "error."},
    "unavailable": {"vi": "Cổng tiếp nhận tạm thời không phục vụ.",
                    "en": "The gateway is temporarily unavailable."},
    "already_registered": {"vi": "Đơn vị đã đăng ký giao dịch điện tử với cổng tiếp nhận này; "
                                 "muốn đổi thông tin thì lập tờ khai thay đổi (05_SD-IVAN).",
                           "en": "The unit is registered for electronic filing at this gateway "
                                 "already; to change its details, file a change "
                                 "(05_SD-IVAN)."},
    "not_registered": {"vi": "Đơn vị chưa đăng ký giao dịch điện tử với cổng tiếp nhận này "
                             "(hoặc đã ngừng), nên không có gì để thay đổi hay ngừng. Hãy đăng "
                             "ký trước (04_DK-IVAN).",
                       "en": "The unit is not registered for electronic filing at this gateway "
                             "(or has stopped), so there is nothing to change or stop. Register "
                             "first (04_DK-IVAN)."},
    "registration_stopped": {"vi": "Đơn vị đã ngừng giao dịch điện tử với cổng tiếp nhận này; "
                                   "muốn gửi hồ sơ điện tử thì đăng ký lại (04_DK-IVAN).",
                             "en": "The unit stopped electronic filing at this gateway; to "
                                   "file electronically again, register again (04_DK-IVAN)."},
    # --- the use cases (services.submission) ---
    "gateway_not_configured": {"vi": "Chưa cấu hình cổng tiếp nhận. Hãy chạy 'ibhxh login "
                                     "--gateway URL --unit MÃ_ĐƠN_VỊ'.",
                               "en": "No gateway is set up. Run 'ibhxh login --gateway URL "
                                     "--unit UNIT_CODE'."},
    "gateway_password_missing": {"vi": "Không có mật khẩu của đơn vị {unit} cho {url} trong kho "
                                       "khóa của máy. Hãy chạy lại 'ibhxh login'.",
                                 "en": "The keyring holds no password of unit {unit} for "
                                       "{url}. Run 'ibhxh login' again."},
    "no_keyring": {"vi": "Máy này không có kho khóa của hệ điều hành nên không lưu được mật "
                         "khẩu ({detail}). Mật khẩu không bao giờ được ghi vào tệp.",
                   "en": "This computer has no OS keyring, so the password cannot be kept "
                         "({detail}). It is never written to a file."},
    "bad_ca_file": {"vi": "Không đọc được tệp CA {path}: {detail}.",
                    "en": "Cannot read the CA file {path}: {detail}."},
    "bad_gateway_url": {"vi": "Địa chỉ cổng tiếp nhận '{url}' không hợp lệ; cần dạng "
                              "https://máy-chủ[:cổng].",
                        "en": "The gateway address '{url}' is not valid; use "
                              "https://host[:port]."},
    "bad_unit_code": {"vi": "Mã đơn vị '{unit}' không hợp lệ (3–10 chữ in hoa hoặc số).",
                      "en": "The unit code '{unit}' is not valid (3–10 capitals or digits)."},
    "not_signed": {"vi": "Hồ sơ {id} đang ở trạng thái '{state}', chưa ký nên chưa gửi được. "
                         "Hãy ký hồ sơ trước.",
                   "en": "Dossier {id} is '{state}', not signed, so it cannot be sent. Sign "
                         "it first."},
    "signer_needed": {"vi": "Đơn vị {unit} đăng nhập cổng tiếp nhận bằng chữ ký số: hãy cắm "
                            "token và nhập mã PIN.",
                      "en": "Unit {unit} logs in to the gateway with its digital signature: "
                            "plug in the token and enter the PIN."},
    "not_queued": {"vi": "Hồ sơ {id} chưa được đưa vào hàng đợi gửi.",
                   "en": "Dossier {id} was never queued for sending."},
    "gateway_changed": {"vi": "Hồ sơ {id} đã được gửi tới cổng {url} trước khi đổi cấu hình "
                              "cổng; hãy đăng nhập lại cổng đó để theo dõi hồ sơ.",
                        "en": "Dossier {id} was sent to the gateway {url} before the gateway "
                              "setting changed; log in to that gateway again to follow it."},
    "kept_queued": {"vi": "Hồ sơ {id} vẫn nằm trong hàng đợi; lệnh 'ibhxh sync' sẽ gửi lại. "
                          "Nếu cần nộp ngay, có thể in hồ sơ giấy.",
                    "en": "Dossier {id} stays queued; 'ibhxh sync' will send it again. If it "
                          "must be filed now, print the paper dossier."},
    "refused_for_good": {"vi": "Hồ sơ {id} không được gửi lại tự động; hãy sửa, ký lại hoặc "
                               "in hồ sơ giấy.",
                         "en": "Dossier {id} will not be sent again automatically; correct "
                               "it, sign it again, or print the paper dossier."},
    # --- registering for electronic filing (services.registration) ---
    "registration_kept": {"vi": "Tờ khai đăng ký số {id} được giữ lại, chưa có trả lời; lệnh "
                                "'ibhxh register --resend' (hoặc nút Gửi lại trong Cài đặt) gửi "
                                "lại đúng tờ khai đó, cổng chỉ ghi nhận một lần.",
                          "en": "Registration file {id} is kept, unanswered; 'ibhxh register "
                                "--resend' (or Send again under Settings) sends the same file "
                                "again, and the gateway records it once."},
    "registration_refused": {"vi": "Tờ khai đăng ký số {id} bị từ chối; thông tin đăng ký của "
                                   "đơn vị không thay đổi.",
                             "en": "Registration file {id} was refused; the unit's registration "
                                   "did not change."},
    "registration_pending": {"vi": "Tờ khai {form} (số {id}) gửi tới {url} vẫn chờ trả lời. "
                                   "Hãy gửi lại ('ibhxh register --resend') hoặc bỏ nó ('ibhxh "
                                   "register --discard') trước khi lập tờ khai khác.",
                             "en": "Registration file {form} (no. {id}) for {url} is still "
                                   "unanswered. Send it again ('ibhxh register --resend') or "
                                   "drop it ('ibhxh register --discard') before making "
                                   "another."},
    "no_pending_registration": {"vi": "Không có tờ khai đăng ký nào đang chờ gửi.",
                                "en": "No registration file is waiting to be sent."},
    "registration_unchanged": {"vi": "Thông tin đơn vị và chứng thư số giống hệt lần đăng ký "
                                     "trước: không có gì để thay đổi. Hãy sửa thông tin đơn vị "
                                     "trước, hoặc ký bằng chứng thư số mới.",
                               "en": "The unit's details and certificate are the same as at "
                                     "the last registration: there is nothing to change. Edit "
                                     "the unit's details first, or sign with the new "
                                     "certificate."},
    "registration_no_gateway": {"vi": "Chưa biết gửi tờ khai đăng ký tới cổng tiếp nhận nào: "
                                      "hãy cho địa chỉ cổng (--gateway URL).",
                                "en": "No gateway to send the registration to: give its "
                                      "address (--gateway URL)."},
    "registration_changes_all": {"vi": "Cập nhật toàn bộ thông tin đăng ký giao dịch điện tử",
                                 "en": "Update of every registration detail"},
    # --- what the officer reads in the history and in `status` ---
    "sent_detail": {"vi": "Số hồ sơ {number}", "en": "Dossier number {number}"},
    "accepted_detail": {"vi": "Đã được chấp nhận (hồ sơ {number})",
                        "en": "Accepted (dossier {number})"},
    "rejected_detail": {"vi": "Bị từ chối (hồ sơ {number}): {reasons}",
                        "en": "Rejected (dossier {number}): {reasons}"},
    "reason_at": {"vi": "{form} dòng {row}, {field}: {message}",
                  "en": "{form} row {row}, {field}: {message}"},
}


def say(code: str, lang: str = "vi", **params: object) -> str:
    """The sentence for ``code`` in ``lang`` (Vietnamese when unknown); the code itself
    when there is no such message."""
    # A detail not given leaves "( )" or ": ." behind: take them out.
    return _EMPTY.sub("", word(MESSAGES, code, lang, **params))


_EMPTY = re.compile(r"\s*\(\s*\)|\s*:\s*(?=[.;])")
