"""Every sentence the signing library says to an HR officer, in Vietnamese and English.

One table, one function (``say``). Each text is a template with named placeholders; a
translation must use exactly the placeholders of the Vietnamese text (a test checks it).
The texts say what happened and what to do; technical details (module path, the PKCS#11
error name) are added by the caller in parentheses so support staff can read them.
"""

from __future__ import annotations

LANGS = ("vi", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # --- PIN story (pin.pin_message is the only reader of these) ---
    "pin.ok": {"vi": "Mã PIN đúng.", "en": "PIN accepted."},
    "pin.cancelled": {"vi": "Đã hủy nhập mã PIN; chưa ký gì.",
                      "en": "PIN entry was cancelled; nothing was signed."},
    "pin.incorrect": {"vi": "Mã PIN không đúng.", "en": "The PIN is wrong."},
    # What the token's flags say, and nothing more: PKCS#11 gives no count of tries left.
    # CKF_USER_PIN_COUNT_LOW: a wrong PIN since the last good login (not "few tries left").
    "pin.count_low": {"vi": "Token báo đã nhập sai PIN ít nhất một lần kể từ lần đăng nhập "
                            "đúng gần nhất.",
                      "en": "The token reports that a wrong PIN has been entered at least "
                            "once since the last successful login."},
    # CKF_USER_PIN_FINAL_TRY: the next wrong PIN locks the token.
    "pin.final_try": {"vi": "Token báo đây là lần thử cuối cùng: nếu nhập sai mã PIN lần "
                            "nữa, token sẽ bị khóa.",
                      "en": "The token reports that this is the final try: one more wrong "
                            "PIN will lock the token."},
    "pin.flags_ok": {"vi": "Token không báo lần nhập sai mã PIN nào.",
                     "en": "The token reports no wrong PIN entry."},
    "pin.locked": {"vi": "Mã PIN của token đã bị khóa do nhập sai quá số lần cho phép; phần "
                         "mềm không gửi mã PIN nữa. Hãy liên hệ nhà cung cấp chữ ký số để "
                         "mở khóa.",
                   "en": "The token's PIN is locked after too many wrong tries; the program "
                         "will not send the PIN. Ask your digital-signature provider to "
                         "unlock it."},
    "pin.device_error": {"vi": "Không giao tiếp được với token. Hãy rút token ra, cắm lại "
                               "rồi thử lại.",
                         "en": "The token does not answer. Unplug it, plug it back in and "
                               "try again."},
    "pin.other": {"vi": "Có lỗi khi kiểm tra mã PIN. Hãy thử lại; nếu vẫn lỗi, hãy liên hệ "
                        "bộ phận hỗ trợ.",
                  "en": "Something went wrong while checking the PIN. Try again; if it "
                        "persists, contact support."},
    "pin.length": {"vi": "Mã PIN không đúng độ dài mà token yêu cầu.",
                   "en": "The PIN does not have the length the token requires."},
    "pin.expired": {"vi": "Mã PIN đã hết hạn hoặc phải đổi trước khi dùng. Hãy đổi mã PIN "
                          "bằng phần mềm quản lý token của nhà cung cấp.",
                    "en": "The PIN has expired or must be changed before use. Change it "
                          "with the provider's token manager."},
    "pin.confirm": {"vi": "Mã PIN chưa được gửi; hãy xác nhận chắc chắn mã PIN đúng rồi "
                          "thử lại.",
                    "en": "The PIN was not sent; confirm that you are sure of the PIN, then "
                          "try again."},
    # --- modules and tokens ---
    "module_not_found": {
        "vi": "Không tìm thấy thư viện PKCS#11 của token tại '{path}'. Hãy cài trình điều "
              "khiển token của nhà cung cấp chữ ký số, hoặc chọn đúng đường dẫn trong Cài đặt.",
        "en": "The token's PKCS#11 library was not found at '{path}'. Install the token "
              "driver from your digital-signature provider, or set the right path in "
              "Settings."},
    "module_load_failed": {
        "vi": "Không nạp được thư viện PKCS#11 '{path}' (lỗi {error}). Thư viện có thể hỏng, "
              "là bản 32-bit thay vì 64-bit, hoặc không phải thư viện PKCS#11.",
        "en": "Could not load the PKCS#11 library '{path}' ({error}). It may be damaged, "
              "built for 32-bit instead of 64-bit, or not a PKCS#11 library."},
    "no_module": {
        "vi": "Không tìm thấy thư viện PKCS#11 nào trên máy. Hãy cài trình điều khiển token "
              "hoặc khai báo đường dẫn trong Cài đặt.",
        "en": "No PKCS#11 library was found on this computer. Install the token driver or "
              "set its path in Settings."},
    "no_token": {"vi": "Không thấy USB token nào. Hãy cắm token vào máy rồi thử lại.",
                 "en": "No USB token was found. Plug the token in and try again."},
    "no_token_match": {"vi": "Không thấy token {wanted}. Các token đang cắm: {found}.",
                       "en": "Token {wanted} was not found. Tokens plugged in: {found}."},
    "several_tokens": {"vi": "Đang cắm {count} token (số sê-ri: {serials}). Hãy chọn token "
                             "theo số sê-ri hoặc rút bớt token.",
                       "en": "{count} tokens are plugged in (serials: {serials}). Choose one "
                             "by serial number or unplug the others."},
    "token_removed": {"vi": "Token đã bị rút ra hoặc mất kết nối trong lúc đang làm việc. "
                            "Hãy cắm lại token và làm lại thao tác.",
                      "en": "The token was removed or lost contact during the operation. "
                            "Plug it back in and repeat the operation."},
    "device_error": {"vi": "Token hoặc trình điều khiển token báo lỗi. Hãy rút token ra, cắm "
                           "lại và thử lại; nếu vẫn lỗi, gửi nội dung này cho bộ phận hỗ trợ.",
                     "en": "The token or its driver reported an error. Unplug the token, "
                           "plug it back in and try again; if it persists, send this text "
                           "to support."},
    "no_certificate": {"vi": "Token {token} không có chứng thư số nào dùng để ký được.",
                       "en": "Token {token} holds no certificate that can sign."},
    "no_certificate_tax": {"vi": "Không có chứng thư số nào mang mã số thuế {tax_code}. "
                                 "Chứng thư có trên token: {found}.",
                           "en": "No certificate carries tax code {tax_code}. Certificates "
                                 "on the tokens: {found}."},
    "no_certificate_fingerprint": {
        "vi": "Không có chứng thư số nào có dấu vân tay {fingerprint}. Chứng thư có trên "
              "token: {found}.",
        "en": "No certificate has fingerprint {fingerprint}. Certificates on the tokens: "
              "{found}."},
    "no_private_key": {"vi": "Token có chứng thư số {fingerprint} nhưng không có khóa bí mật "
                             "đi kèm, nên không ký được.",
                       "en": "The token holds certificate {fingerprint} but not its private "
                             "key, so it cannot sign."},
    "several_certificates": {
        "vi": "Có {count} chứng thư số phù hợp. Hãy chọn một theo dấu vân tay SHA-256: "
              "{fingerprints}.",
        "en": "{count} certificates match. Choose one by SHA-256 fingerprint: "
              "{fingerprints}."},
    "pkcs12_not_found": {"vi": "Không thấy tệp chữ ký số '{path}'.",
                         "en": "The signature file '{path}' was not found."},
    "pkcs12_invalid": {"vi": "Không mở được tệp chữ ký số '{path}': sai mật khẩu hoặc tệp "
                             "hỏng.",
                       "en": "Could not open the signature file '{path}': wrong password or "
                             "a damaged file."},
    # --- certificate checks ---
    "cert_expired": {"vi": "Chứng thư số của {subject} đã hết hạn ngày {date}. Hãy gia hạn "
                           "với nhà cung cấp chữ ký số.",
                     "en": "The certificate of {subject} expired on {date}. Renew it with "
                           "your digital-signature provider."},
    "cert_not_yet_valid": {"vi": "Chứng thư số của {subject} chưa có hiệu lực (từ ngày "
                                 "{date}). Hãy kiểm tra ngày giờ của máy tính.",
                           "en": "The certificate of {subject} is not valid yet (from "
                                 "{date}). Check the computer's date and time."},
    "cert_key_usage": {"vi": "Chứng thư số của {subject} không được phép dùng để ký (thiếu "
                             "mục đích digitalSignature hoặc nonRepudiation).",
                       "en": "The certificate of {subject} may not be used for signing (it "
                             "lacks digitalSignature or nonRepudiation key usage)."},
    "cert_weak_key": {"vi": "Khóa của chứng thư số {subject} quá yếu hoặc không được hỗ trợ "
                            "({key_type}); cần RSA từ 2048 bit trở lên hoặc EC.",
                      "en": "The key of certificate {subject} is too weak or not supported "
                            "({key_type}); RSA of 2048 bits or more, or EC, is required."},
    "cert_chain": {"vi": "Không xác minh được chuỗi chứng thư số của {subject}: {reason}",
                   "en": "The certificate chain of {subject} does not verify: {reason}"},
    "cert_expiring": {"vi": "Chứng thư số của {subject} sẽ hết hạn sau {days} ngày (ngày "
                            "{date}). Hãy liên hệ nhà cung cấp để gia hạn.",
                      "en": "The certificate of {subject} expires in {days} days (on "
                            "{date}). Contact your provider to renew it."},
    "chain_unverified": {"vi": "Chưa kiểm tra được chuỗi chứng thư vì không có chứng thư của "
                               "nơi cấp ({issuer}).",
                         "en": "The certificate chain was not checked: the issuer's "
                               "certificate ({issuer}) is not available."},
    "chain.bad_signature": {"vi": "chữ ký của nơi cấp {issuer} trên chứng thư không đúng.",
                            "en": "the signature of issuer {issuer} on the certificate is "
                                  "wrong."},
    "chain.not_ca": {"vi": "chứng thư {issuer} không phải của một tổ chức cấp chứng thư.",
                     "en": "certificate {issuer} does not belong to a certificate authority."},
    "chain.issuer_expired": {"vi": "chứng thư của nơi cấp {issuer} không còn hiệu lực vào "
                                   "ngày {date}.",
                             "en": "the issuer certificate {issuer} is not valid on {date}."},
    "chain.untrusted": {"vi": "chuỗi chứng thư không dẫn tới nơi cấp tin cậy nào (dừng ở "
                              "{issuer}).",
                        "en": "the chain does not lead to a trusted authority (it stops at "
                              "{issuer})."},
    "chain.too_long": {"vi": "chuỗi chứng thư quá dài hoặc bị vòng lặp.",
                       "en": "the certificate chain is too long or loops."},
    # --- XML ---
    "bad_xml": {"vi": "Tệp XML hỏng hoặc không an toàn: {problem}",
                "en": "The XML file is broken or unsafe: {problem}"},
    "no_container": {"vi": "Không thấy thẻ {container} để đặt chữ ký trong tệp XML.",
                     "en": "The XML file has no {container} element to hold the signature."},
    "already_signed": {"vi": "Thẻ {container} đã có chữ ký; không ký chồng.",
                       "en": "{container} already holds a signature; it is not signed twice."},
    "bad_envelope": {"vi": "Hồ sơ điện tử không đúng cấu trúc: {problem}",
                     "en": "The electronic dossier is malformed: {problem}"},
    "unknown_file": {"vi": "Hồ sơ điện tử có tệp {file} không phải tờ khai nào đã biết, "
                           "nên không biết ký vào chỗ nào.",
                     "en": "The electronic dossier holds a file {file} that is no known "
                           "form, so there is no place to sign it."},
    # --- verification reasons ---
    "verify.ok": {"vi": "Chữ ký hợp lệ.", "en": "The signature is valid."},
    "verify.no_signature": {"vi": "Không có chữ ký trong {container}.",
                            "en": "There is no signature in {container}."},
    "verify.several_signatures": {"vi": "Có nhiều hơn một chữ ký trong {container}.",
                                  "en": "{container} holds more than one signature."},
    "verify.structure": {"vi": "Chữ ký không đúng cấu trúc: {problem}.",
                         "en": "The signature is malformed: {problem}."},
    "verify.algorithm": {"vi": "Thuật toán {algorithm} không được chấp nhận.",
                         "en": "Algorithm {algorithm} is not accepted."},
    "verify.content_changed": {"vi": "Nội dung tệp đã bị thay đổi sau khi ký.",
                               "en": "The content was changed after signing."},
    "verify.time_changed": {"vi": "Thời điểm ký đã bị thay đổi sau khi ký.",
                            "en": "The signing time was changed after signing."},
    "verify.keyinfo_changed": {"vi": "Chứng thư số trong chữ ký đã bị thay đổi.",
                               "en": "The certificate in the signature was changed."},
    "verify.signature_value": {"vi": "Giá trị chữ ký không khớp với chứng thư số (chữ ký "
                                     "hoặc phần thông tin ký đã bị thay đổi).",
                               "en": "The signature value does not match the certificate "
                                     "(the signature or its signed info was changed)."},
    "verify.bad_certificate": {"vi": "Không đọc được chứng thư số trong chữ ký.",
                               "en": "The certificate in the signature cannot be read."},
    "verify.no_signing_time": {"vi": "Chữ ký không có thời điểm ký được ký kèm.",
                               "en": "The signature carries no signed signing time."},
    "verify.time_outside": {"vi": "Thời điểm ký {time} nằm ngoài thời hạn của chứng thư số "
                                  "({start} – {end}).",
                            "en": "The signing time {time} is outside the certificate's "
                                  "validity ({start} – {end})."},
    "verify.time_future": {"vi": "Thời điểm ký {time} ở tương lai.",
                           "en": "The signing time {time} is in the future."},
    "verify.untrusted": {"vi": "Chứng thư số không được tin cậy: {reason}",
                         "en": "The certificate is not trusted: {reason}"},
    "verify.key_usage": {"vi": "Chứng thư số không được phép dùng để ký.",
                         "en": "The certificate may not be used for signing."},
    "verify.form_length": {"vi": "Độ dài tệp {file} ghi trong hồ sơ ({declared}) khác độ dài "
                                 "thực ({actual}).",
                           "en": "The length of {file} declared in the dossier ({declared}) "
                                 "differs from its real length ({actual})."},
    "verify.in_form": {"vi": "Tờ khai {file}: {reason}", "en": "Form {file}: {reason}"},
    "verify.envelope": {"vi": "Hồ sơ (chữ ký đơn vị): {reason}",
                        "en": "Dossier (unit signature): {reason}"},
    # --- remote signing (a signing service holds the key; approval on the phone) ---
    "bad_signature_value": {
        "vi": "Giá trị chữ ký nhận được không khớp với chứng thư số và dữ liệu đã gửi đi ký, "
              "nên không được dùng. Hãy ký lại; nếu vẫn lỗi, hãy báo nhà cung cấp dịch vụ "
              "ký từ xa.",
        "en": "The signature value received does not match the certificate and the data "
              "sent for signing, so it is not used. Sign again; if it persists, tell the "
              "remote-signing provider."},
    "remote_unreachable": {
        "vi": "Không kết nối được dịch vụ ký từ xa tại {host}. Hãy kiểm tra kết nối mạng "
              "rồi thử lại.",
        "en": "The remote-signing service at {host} cannot be reached. Check the network "
              "connection and try again."},
    "remote_tls": {
        "vi": "Không thiết lập được kết nối an toàn tới dịch vụ ký từ xa {host}: chứng thư "
              "của máy chủ không được tin cậy hoặc không đúng tên. Chưa gửi gì đi.",
        "en": "No secure connection to the remote-signing service {host}: the server's "
              "certificate is not trusted or does not match its name. Nothing was sent."},
    "remote_credentials": {
        "vi": "{provider} từ chối thông tin đăng nhập (mã tích hợp, mật khẩu tích hợp hoặc "
              "mã người dùng). Hãy kiểm tra lại trong Cài đặt.",
        "en": "{provider} refused the credentials (integration id, integration password "
              "or user id). Check them in Settings."},
    "remote_unknown_account": {
        "vi": "{provider} không có chứng thư số nào cho người dùng {user_id}.",
        "en": "{provider} holds no certificate for user {user_id}."},
    "remote_unknown_serial": {
        "vi": "{provider} không có chứng thư số sê-ri {serial} cho người dùng {user_id}. "
              "Chứng thư có: {found}.",
        "en": "{provider} has no certificate with serial {serial} for user {user_id}. "
              "Certificates found: {found}."},
    "remote_certificate": {
        "vi": "{provider} báo chứng thư số đã hết hạn, bị thu hồi hoặc tạm dừng. Hãy liên "
              "hệ nhà cung cấp chữ ký số.",
        "en": "{provider} reports the certificate as expired, revoked or suspended. "
              "Contact your digital-signature provider."},
    "remote_bad_answer": {
        "vi": "Dịch vụ ký từ xa {host} trả lời không đúng định dạng ({problem}); câu trả "
              "lời không được dùng.",
        "en": "The remote-signing service {host} gave a malformed answer ({problem}); it "
              "is not used."},
    "remote_too_large": {
        "vi": "Câu trả lời của dịch vụ ký từ xa {host} vượt quá {limit} byte nên bị bỏ.",
        "en": "The answer of the remote-signing service {host} exceeds {limit} bytes and "
              "is dropped."},
    "remote_redirect": {
        "vi": "Dịch vụ ký từ xa {host} chuyển hướng sang {target}; phần mềm không đi theo "
              "chuyển hướng. Hãy kiểm tra địa chỉ dịch vụ trong Cài đặt.",
        "en": "The remote-signing service {host} redirects to {target}; the program does "
              "not follow redirects. Check the service address in Settings."},
    "remote_doc_ids": {
        "vi": "Chữ ký trả về không khớp các tệp đã gửi đi ký (thiếu: {missing}; thừa: "
              "{extra}); không dùng chữ ký nào.",
        "en": "The signatures returned do not match the files sent for signing (missing: "
              "{missing}; extra: {extra}); none is used."},
    "remote_duplicate_doc_id": {
        "vi": "Dịch vụ ký từ xa trả về hai chữ ký cho cùng tệp {doc_id}; không dùng chữ ký "
              "nào.",
        "en": "The remote-signing service returned two signatures for the same file "
              "{doc_id}; none is used."},
    "remote_transaction_used": {
        "vi": "Mã giao dịch {transaction} đã được dùng cho một yêu cầu ký khác; yêu cầu "
              "không được gửi lại.",
        "en": "Transaction id {transaction} was already used for another signing request; "
              "the request is not sent again."},
    "remote_failed": {
        "vi": "Dịch vụ ký từ xa {host} báo lỗi (mã {status}). Hãy thử lại sau ít phút.",
        "en": "The remote-signing service {host} reported an error (code {status}). Try "
              "again in a few minutes."},
    "remote_quota": {
        "vi": "Gói ký số của {provider} đã hết lượt ký hoặc không còn hiệu lực. Hãy gia "
              "hạn với nhà cung cấp.",
        "en": "The signing plan of {provider} is used up or no longer valid. Renew it with "
              "the provider."},
    "remote_unsupported": {
        "vi": "Phần mềm chưa hỗ trợ {provider}.",
        "en": "{provider} is not supported yet."},
    "remote_too_many": {
        "vi": "{provider} nhận tối đa {limit} tệp mỗi lần ký; hồ sơ có {count} tệp.",
        "en": "{provider} takes at most {limit} files per request; the dossier has "
              "{count}."},
    "remote_state": {
        "vi": "Dữ liệu của lần ký từ xa đang chờ bị hỏng ({problem}); hãy ký lại hồ sơ.",
        "en": "The stored data of the pending remote signing is damaged ({problem}); sign "
              "the dossier again."},
    "provider_invalid": {
        "vi": "Tệp cấu hình dịch vụ ký từ xa sai ở {provider}, mục {setting}: {problem}",
        "en": "The remote-signing configuration is wrong for {provider}, key {setting}: "
              "{problem}"},
    "provider.missing": {"vi": "thiếu giá trị.", "en": "the value is missing."},
    "provider.type": {"vi": "giá trị {value} sai kiểu.", "en": "{value} has the wrong type."},
    "provider.value": {"vi": "giá trị {value} không được chấp nhận.",
                       "en": "{value} is not an accepted value."},
    "provider.https": {"vi": "địa chỉ {value} phải bắt đầu bằng https://.",
                       "en": "address {value} must start with https://."},
    "provider.file": {"vi": "không đọc được tệp ({error}).",
                      "en": "the file cannot be read ({error})."},
    "provider_unknown": {
        "vi": "Không có dịch vụ ký từ xa tên {provider}. Các dịch vụ có: {known}.",
        "en": "There is no remote-signing service named {provider}. Known services: "
              "{known}."},
}


class Msg:
    """A sentence not yet worded: a message key and its parameters.

    Used as a parameter of another message ("the chain does not verify: {reason}") so the
    inner sentence is worded in the same language as the outer one.
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        if key not in MESSAGES:
            raise KeyError(key)
        self.key = key
        self.params = params

    def text(self, lang: str = "vi") -> str:
        """The sentence in ``lang``."""
        return say(self.key, lang, **self.params)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


class Named:
    """A name given in each language (a remote-signing provider's display name), used as
    a message parameter so each language shows its own wording."""

    __slots__ = ("en", "vi")

    def __init__(self, vi: str, en: str) -> None:
        self.vi, self.en = vi, en

    def text(self, lang: str = "vi") -> str:
        """The name in ``lang``."""
        return self.en if lang == "en" else self.vi

    def __repr__(self) -> str:
        return f"Named({self.vi!r}, {self.en!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Named) and (self.vi, self.en) == (other.vi, other.en)

    def __hash__(self) -> int:
        return hash((self.vi, self.en))


def say(key: str, lang: str = "vi", /, **params: object) -> str:
    """The sentence ``key`` in ``lang`` ("vi" or "en"), with its placeholders filled.

    A parameter that is a ``Msg`` is worded in the same language first, and a ``Named``
    gives its name in that language.
    """
    texts = MESSAGES[key]
    template = texts.get(lang) or texts["vi"]
    filled = {k: (v.text(lang) if isinstance(v, Msg | Named) else v) for k, v in params.items()}
    return template.format(**filled)
