"""The sentences the core says to an HR officer, in Vietnamese and English, in one place.

Each message is a template with named placeholders; ``say`` fills it. A translation must
use exactly the placeholders of the Vietnamese text (a test checks it).
"""

from __future__ import annotations

import string

MESSAGES: dict[str, dict[str, str]] = {
    # Field checks
    "required": {"vi": "chưa nhập (bắt buộc).", "en": "is missing (required)."},
    "too_long": {"vi": "dài quá {max} ký tự.", "en": "is longer than {max} characters."},
    "not_in_list": {"vi": "mã '{value}' không có trong danh mục.",
                    "en": "code '{value}' is not in the code list."},
    "not_number": {"vi": "'{value}' không phải là số.", "en": "'{value}' is not a number."},
    "negative": {"vi": "không được âm.", "en": "must not be negative."},
    "too_large": {"vi": "không được lớn hơn {max}.", "en": "must not exceed {max}."},
    "bad_date": {"vi": "'{value}' không phải ngày hợp lệ (dd/mm/yyyy).",
                 "en": "'{value}' is not a valid date (dd/mm/yyyy)."},
    "bad_partial_date": {"vi": "'{value}' không hợp lệ (dd/mm/yyyy, mm/yyyy hoặc yyyy).",
                         "en": "'{value}' is not valid (dd/mm/yyyy, mm/yyyy or yyyy)."},
    "bad_month": {"vi": "'{value}' không phải tháng hợp lệ (mm/yyyy).",
                  "en": "'{value}' is not a valid month (mm/yyyy)."},
    "bad_bool": {"vi": "chỉ nhận 0 hoặc 1.", "en": "takes only 0 or 1."},
    "bad_name": {"vi": "chứa ký tự không hợp lệ trong họ tên.",
                 "en": "contains characters not allowed in a name."},
    "legacy_text": {"vi": "có vẻ là chữ mã TCVN3/VNI chưa chuyển sang Unicode.",
                    "en": "looks like TCVN3/VNI text not converted to Unicode."},
    # Row and declaration rules
    "plan_procedure": {"vi": "phương án {plan} không dùng cho thủ tục {procedure} "
                             "(dùng: {allowed}).",
                       "en": "plan code {plan} is not used with procedure {procedure} "
                             "(use: {allowed})."},
    "to_before_from": {"vi": "tháng kết thúc {to} trước tháng bắt đầu {start}.",
                       "en": "end month {to} is before start month {start}."},
    "salary_missing": {"vi": "chưa có mức lương hoặc hệ số lương.",
                       "en": "has neither a salary nor a salary coefficient."},
    "salary_floor": {"vi": "mức lương {salary} thấp hơn lương tối thiểu vùng {region} "
                           "({floor}) của tháng {period}.",
                     "en": "salary {salary} is below the region {region} minimum wage "
                           "({floor}) for {period}."},
    "identity_missing": {"vi": "cần mã số BHXH hoặc số CCCD để xác định người lao động.",
                         "en": "needs a social insurance number or a citizen ID."},
    "decision_missing": {"vi": "kê khai muộn hoặc truy thu từ {start}: cần số và ngày "
                               "quyết định để lập D01-TS.",
                         "en": "late or retroactive from {start}: needs the decision number "
                               "and date for D01-TS."},
    "duplicate_worker": {"vi": "người lao động này đã có ở dòng {other} của cùng tờ khai.",
                         "en": "this worker is already on row {other} of the same form."},
    "never_increased": {"vi": "chưa từng được báo tăng nên không thể báo giảm ({plan}).",
                        "en": "was never declared as an increase, so cannot be decreased "
                              "({plan})."},
    "already_active": {"vi": "đang tham gia BHXH tại đơn vị, không thể báo tăng lại ({plan}).",
                       "en": "is already participating with this unit; cannot be increased "
                             "again ({plan})."},
    "bhxh_number_needed": {"vi": "thủ tục {procedure} chỉ dành cho người đã có mã số BHXH; "
                                 "người này chưa có.",
                           "en": "procedure {procedure} is only for someone who has a social "
                                 "insurance number; this person has none."},
    "change_missing": {"vi": "chưa ghi nội dung thay đổi hoặc lý do đề nghị (thủ tục "
                             "{procedure} cần).",
                       "en": "says neither what changes nor why (procedure {procedure} needs "
                             "it)."},
    # The claim list M01B-HSB (procedures 630a, 630b, 630c)
    "kind_procedure": {"vi": "chế độ '{benefit}' thuộc thủ tục {wanted}, không thuộc danh "
                             "sách của thủ tục {procedure}.",
                       "en": "benefit '{benefit}' is filed under procedure {wanted}, not in "
                             "a list of procedure {procedure}."},
    "to_day_before_from": {"vi": "ngày kết thúc {to} trước ngày bắt đầu {start}.",
                           "en": "end day {to} is before start day {start}."},
    "claims_apart": {"vi": "thủ tục {procedure} là danh sách đề nghị hưởng chế độ ốm đau, thai "
                           "sản, dưỡng sức: lập bằng lệnh 'ibhxh claims declare', không bằng "
                           "'ibhxh declare'.",
                     "en": "procedure {procedure} is a list of sickness, maternity or "
                           "convalescence claims: make it with 'ibhxh claims declare', not "
                           "'ibhxh declare'."},
    "line_worker": {"vi": "MÃ NGƯỜI LAO ĐỘNG", "en": "WORKER"},
    # How sure we are of a fact of the catalogue (law, seen, check: docs/exchange-format.md)
    "status_law": {"vi": "theo văn bản pháp luật", "en": "set by law"},
    "status_seen": {"vi": "thấy trong nguồn công khai", "en": "seen in public sources"},
    "status_check": {"vi": "cần xác minh", "en": "to be checked"},
    "unknown_worker": {"vi": "không tìm thấy người lao động '{value}'.",
                       "en": "worker '{value}' not found."},
    "no_lines": {"vi": "tờ khai chưa có dòng nào.", "en": "the declaration has no rows."},
    "xsd": {"vi": "không đúng lược đồ XML: {detail}", "en": "does not match the XML schema: "
                                                           "{detail}"},
    "bad_xml": {"vi": "tệp XML hỏng hoặc không an toàn: {detail}",
                "en": "the XML file is broken or unsafe: {detail}"},
    "unknown_form": {"vi": "không nhận ra biểu mẫu '{value}'.",
                     "en": "unrecognised form '{value}'."},
    "unknown_procedure": {"vi": "không có thủ tục '{value}' (có: {allowed}).",
                          "en": "there is no procedure '{value}' (known: {allowed})."},
    "procedure_retired": {"vi": "'{value}' không phải mã thủ tục của BHXH Việt Nam: việc này "
                                "nay nộp theo thủ tục {now}, mỗi dòng với phương án của nó "
                                "({plans}).",
                          "en": "'{value}' is not a Social Security procedure code: such "
                                "changes are now filed under procedure {now}, each line "
                                "with its plan code ({plans})."},
    "new_workers_not_taken": {"vi": "thủ tục {procedure} không báo tăng người lao động mới "
                                    "(--new-workers dùng với thủ tục {allowed}).",
                              "en": "procedure {procedure} does not declare new workers "
                                    "(--new-workers goes with procedure {allowed})."},
    "lines_not_taken": {"vi": "thủ tục {procedure} là thông tin của đơn vị, không có dòng "
                              "người lao động; ghi nội dung thay đổi bằng --change.",
                        "en": "procedure {procedure} is about the unit and has no worker "
                              "lines; say what changes with --change."},
    "bad_period": {"vi": "kỳ kê khai '{value}' không hợp lệ, cần dạng mm/yyyy.",
                   "en": "period '{value}' is not valid; use mm/yyyy."},
    # The forms a procedure takes and needs (forms/procedures.toml), one per condition
    "form_not_taken": {"vi": "thủ tục {procedure} không nhận tờ khai {form} (nhận: {allowed}).",
                       "en": "procedure {procedure} does not take form {form} (it takes: "
                             "{allowed})."},
    "form_missing_always": {"vi": "thiếu tờ khai {form}: thủ tục {procedure} luôn cần tờ "
                                  "khai này.",
                            "en": "form {form} is missing: procedure {procedure} always "
                                  "needs it."},
    "form_missing_worker_without_bhxh": {
        "vi": "thiếu tờ khai {form}: thủ tục {procedure} cần tờ khai này cho {count} người "
              "lao động chưa có mã số BHXH ({lines_form} dòng {rows}).",
        "en": "form {form} is missing: procedure {procedure} needs it for the {count} "
              "worker(s) without a social insurance number ({lines_form} rows {rows})."},
    "form_missing_late_or_retroactive": {
        "vi": "thiếu tờ khai {form}: thủ tục {procedure} cần tờ khai này khi kê khai muộn "
              "hoặc truy thu ({lines_form} dòng {rows}).",
        "en": "form {form} is missing: procedure {procedure} needs it for late or "
              "retroactive rows ({lines_form} rows {rows})."},
    "form_missing_first_registration": {
        "vi": "thiếu tờ khai {form}: thủ tục {procedure} cần tờ khai này khi đơn vị đăng ký "
              "lần đầu.",
        "en": "form {form} is missing: procedure {procedure} needs it for a unit's first "
              "registration."},
    # The envelope's file entries, derived as the exchange derives them (dossier.procedure_check)
    "file_count": {"vi": "ghi {declared} tệp nhưng hồ sơ có {actual} tệp.",
                   "en": "says {declared} files but the dossier holds {actual}."},
    "unknown_file_name": {"vi": "'{value}' không phải tên tệp của tờ khai nào (có: {allowed}).",
                          "en": "'{value}' is no form's file name (known: {allowed})."},
    "derived_mismatch": {"vi": "tệp {file} ghi '{value}', đúng ra là '{expected}'.",
                         "en": "file {file} says '{value}', where it should say "
                               "'{expected}'."},
    "below_floor_note": {"vi": "mức lương thấp hơn lương tối thiểu vùng, tính theo {floor}.",
                         "en": "salary below the regional minimum; computed on {floor}."},
    # Use cases (services and the command line)
    "no_employer": {"vi": "Chưa có thông tin đơn vị. Hãy chạy 'ibhxh employer set --file "
                          "TỆP' hoặc 'ibhxh demo'.",
                    "en": "No unit is set up yet. Run 'ibhxh employer set --file FILE' or "
                          "'ibhxh demo'."},
    # Several units in one database (issue 17)
    "unit_unknown": {"vi": "Không có đơn vị mã '{unit}' trong dữ liệu này. Các đơn vị: {known}.",
                     "en": "There is no unit with code '{unit}' in this database. Units: "
                           "{known}."},
    "unit_choose": {"vi": "Dữ liệu này có nhiều đơn vị ({known}): chọn một bằng --unit MÃ_ĐV "
                          "hoặc 'ibhxh units use MÃ_ĐV'.",
                    "en": "This database holds several units ({known}): choose one with "
                          "--unit CODE or 'ibhxh units use CODE'."},
    "unit_exists": {"vi": "Đã có đơn vị mã {unit} trong dữ liệu này: không tạo thêm, không ghi "
                          "đè. Chọn đơn vị đó bằng --unit {unit} để sửa thông tin.",
                    "en": "A unit with code {unit} already exists in this database: nothing "
                          "was added or overwritten. Choose it with --unit {unit} to edit it."},
    "unit_mismatch": {"vi": "Từ chối: {ids} thuộc đơn vị khác, không thể đưa vào hồ sơ của đơn "
                            "vị đang làm việc. Không có gì bị thay đổi.",
                      "en": "Refused: {ids} belong to another unit and cannot go into the "
                            "chosen unit's data. Nothing was changed."},
    "edit_conflict": {"vi": "Không lưu: hồ sơ #{id} đã được {who} thay đổi lúc {at} ({what}) "
                            "sau khi anh/chị mở nó. Thay đổi của họ được giữ nguyên; hãy mở lại "
                            "hồ sơ để xem và sửa tiếp.",
                      "en": "Not saved: dossier #{id} was changed by {who} at {at} ({what}) "
                            "after you opened it. Their change is kept; open the dossier again "
                            "to see it and edit on."},
    "unit_added": {"vi": "Đã thêm đơn vị {unit_code} và chọn làm đơn vị làm việc.",
                   "en": "Unit {unit_code} added and chosen as the unit to work on."},
    "unit_chosen": {"vi": "Đang làm việc với đơn vị {unit_code}.",
                    "en": "Now working on unit {unit_code}."},
    "units_not_filed": {"vi": "Tháng {period}: {count} đơn vị chưa nộp hồ sơ đóng BHXH.",
                        "en": "{period}: {count} units have not filed their contributions."},
    "unit_filed": {"vi": "đã nộp", "en": "filed"},
    "unit_started": {"vi": "đang làm", "en": "in progress"},
    "unit_missing": {"vi": "chưa lập hồ sơ", "en": "no dossier"},
    "unit_counts": {"vi": "{workers} lao động, {dossiers} hồ sơ",
                    "en": "{workers} workers, {dossiers} dossiers"},
    "data_dir_missing": {"vi": "Thư mục dữ liệu {path} không tồn tại. Kiểm tra lại đường dẫn, "
                               "hoặc tạo dữ liệu mới bằng 'ibhxh demo' hay 'ibhxh employer set "
                               "--file TỆP'.",
                         "en": "The data folder {path} does not exist. Check the path, or make "
                               "new data with 'ibhxh demo' or 'ibhxh employer set --file FILE'."},
    "data_dir_empty": {"vi": "Thư mục {path} chưa có dữ liệu của chương trình. Kiểm tra lại "
                             "đường dẫn, hoặc tạo dữ liệu bằng 'ibhxh demo' hay 'ibhxh employer "
                             "set --file TỆP'.",
                       "en": "The folder {path} holds no data of this program. Check the path, "
                             "or make data with 'ibhxh demo' or 'ibhxh employer set --file "
                             "FILE'."},
    "file_unreadable": {"vi": "Không đọc được tệp {path}: {detail}.",
                        "en": "Cannot read the file {path}: {detail}."},
    "file_unwritable": {"vi": "Không ghi được tệp {path}: {detail}.",
                        "en": "Cannot write the file {path}: {detail}."},
    "file_not_utf8": {"vi": "Tệp {path} không phải văn bản UTF-8.",
                      "en": "The file {path} is not UTF-8 text."},
    "file_syntax": {"vi": "Tệp {path} sai cú pháp (dòng {line}): {detail}",
                    "en": "The file {path} has a syntax error (line {line}): {detail}"},
    "unknown_fields": {"vi": "Tệp có trường không biết: {fields}. Các trường hợp lệ: {known}.",
                       "en": "Unknown fields in the file: {fields}. Valid fields: {known}."},
    "field_type": {"vi": "Trường '{field}' phải là {expected}, nhận được '{value}'.",
                   "en": "Field '{field}' must be {expected}, got '{value}'."},
    "missing_fields": {"vi": "Thiếu trường bắt buộc: {fields}.",
                       "en": "Required fields are missing: {fields}."},
    "invalid_data": {"vi": "Dữ liệu chưa hợp lệ: {count} lỗi. Chưa có gì được lưu.",
                     "en": "The data is not valid: {count} problems. Nothing was saved."},
    "bad_field": {"vi": "Dòng {row}, trường '{field}': giá trị '{value}' không hợp lệ.",
                  "en": "Row {row}, field '{field}': the value '{value}' is not valid."},
    "bad_value": {"vi": "giá trị '{value}' không hợp lệ.", "en": "the value '{value}' is not "
                                                                 "valid."},
    "worker_exists": {"vi": "Đã có người lao động với mã '{value}'.",
                      "en": "A worker with '{value}' already exists."},
    "worker_conflict": {"vi": "{key} đã thuộc về người lao động #{worker} nhưng khác "
                              "{fields}. Bản đã lưu: {stored}. Bản mới: {incoming}. Chưa có "
                              "gì thay đổi.",
                        "en": "{key} already belongs to worker #{worker}, whose {fields} "
                              "differ. Stored: {stored}. New: {incoming}. Nothing was "
                              "changed."},
    "worker_two_owners": {"vi": "Các mã số này thuộc về hai người lao động khác nhau đã lưu "
                                "(#{first} và #{second}). Chưa có gì thay đổi.",
                          "en": "These numbers belong to two different stored workers "
                                "(#{first} and #{second}). Nothing was changed."},
    # One person's identity, as two versions of it are compared
    "person_full_name": {"vi": "họ tên", "en": "full name"},
    "person_birth_date": {"vi": "ngày sinh", "en": "date of birth"},
    "person_bhxh_number": {"vi": "mã số BHXH", "en": "BHXH number"},
    "person_cccd": {"vi": "số CCCD", "en": "citizen ID"},
    "person_cmnd": {"vi": "số CMND", "en": "old ID number"},
    "person_and": {"vi": "và", "en": "and"},
    # The unit's field that no form field holds (it goes into the envelope)
    "employer_agency_code": {"vi": "Mã cơ quan BHXH quản lý",
                             "en": "Managing social security agency code"},
    "employer_contact_name": {"vi": "Người lập biểu", "en": "Prepared by"},
    "employer_reduced_accident_rate": {"vi": "Được áp dụng mức đóng BHTNLĐ-BNN 0,3 %",
                                       "en": "Approved for the reduced accident rate (0.3 %)"},
    "employer_registered": {"vi": "Đã đăng ký tham gia với cơ quan BHXH",
                            "en": "Already registered with Social Security"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "no_dossier": {"vi": "Không có hồ sơ số {value}.", "en": "There is no dossier {value}."},
    "not_editable": {"vi": "Hồ sơ {value} đang ở trạng thái {state}: không sửa được nữa.",
                     "en": "Dossier {value} is {state}: it can no longer be changed."},
    "demo_exists": {"vi": "Thư mục dữ liệu {path} đã có dữ liệu; dùng --data-dir với một thư "
                          "mục mới để tạo dữ liệu mẫu.",
                    "en": "The data folder {path} already has data; use --data-dir with a new "
                          "folder for the demo."},
    "bad_count": {"vi": "Số lượng '{value}' không hợp lệ.", "en": "'{value}' is not a valid "
                                                                 "count."},
    "database": {"vi": "Lỗi cơ sở dữ liệu: {detail}", "en": "Database error: {detail}"},
    # Where the database is (storage.location): a PostgreSQL server of a shared office
    "database_url_bad": {"vi": "Địa chỉ cơ sở dữ liệu '{url}' không hợp lệ. Dùng dạng "
                               "postgresql://NGƯỜI_DÙNG@MÁY_CHỦ:CỔNG/TÊN_CSDL.",
                         "en": "The database address '{url}' is not valid. Use "
                               "postgresql://USER@SERVER:PORT/DATABASE."},
    "database_settings_bad": {"vi": "Tệp {path} bị hỏng. Chọn lại cơ sở dữ liệu bằng 'ibhxh "
                                    "database use ĐỊA_CHỈ' hoặc 'ibhxh database local'.",
                              "en": "The file {path} is damaged. Choose the database again "
                                    "with 'ibhxh database use URL' or 'ibhxh database local'."},
    "database_unreachable": {"vi": "Không kết nối được máy chủ cơ sở dữ liệu {url}: máy chủ "
                                   "không trả lời. Kiểm tra mạng, địa chỉ và cổng, hoặc báo "
                                   "người quản trị máy chủ.",
                             "en": "Cannot reach the database server {url}: it does not "
                                   "answer. Check the network, the address and the port, or "
                                   "tell the server's administrator."},
    "database_auth": {"vi": "Máy chủ cơ sở dữ liệu {url} từ chối đăng nhập của '{user}': sai "
                            "mật khẩu hoặc không có quyền. Nhập lại bằng 'ibhxh database use "
                            "ĐỊA_CHỈ_CÓ_MẬT_KHẨU'.",
                      "en": "The database server {url} refused the login of '{user}': wrong "
                            "password or no access. Enter it again with 'ibhxh database use "
                            "URL_WITH_PASSWORD'."},
    "database_missing": {"vi": "Máy chủ {url} không có cơ sở dữ liệu '{name}'. Người quản trị "
                               "cần tạo nó trước (CREATE DATABASE).",
                         "en": "The server {url} has no database '{name}'. Its administrator "
                               "must create it first (CREATE DATABASE)."},
    "database_no_keyring": {"vi": "Máy này không có kho khóa của hệ điều hành nên không lưu "
                                  "được mật khẩu cơ sở dữ liệu ({detail}). Mật khẩu không bao "
                                  "giờ được ghi vào tệp.",
                            "en": "This computer has no OS keyring, so the database password "
                                  "cannot be kept ({detail}). It is never written to a file."},
    "database_shown": {"vi": "Cơ sở dữ liệu: {url} ({source}).",
                       "en": "Database: {url} ({source})."},
    "database_from_argument": {"vi": "theo tham số --database", "en": "from --database"},
    "database_from_environment": {"vi": "theo biến môi trường IBHXH_DATABASE_URL",
                                  "en": "from the IBHXH_DATABASE_URL variable"},
    "database_from_file": {"vi": "đã chọn bằng 'ibhxh database use'",
                           "en": "chosen with 'ibhxh database use'"},
    "database_from_default": {"vi": "tệp của thư mục dữ liệu", "en": "the data folder's file"},
    "database_chosen": {"vi": "Từ nay thư mục dữ liệu dùng cơ sở dữ liệu {url}; mật khẩu "
                              "(nếu có) được giữ trong kho khóa của hệ điều hành.",
                        "en": "From now on the data folder uses the database {url}; its "
                              "password (if any) is kept in the OS keyring."},
    "database_local": {"vi": "Từ nay thư mục dữ liệu dùng tệp cơ sở dữ liệu của máy này: "
                             "{url}.",
                       "en": "From now on the data folder uses this computer's database "
                             "file: {url}."},
    # Moving the database (services.move) and restoring a backup into a server
    "move_target_not_empty": {"vi": "Cơ sở dữ liệu đích {url} đã có dữ liệu nên không chép "
                                    "vào được. Hãy dùng một cơ sở dữ liệu trống. Không có gì "
                                    "bị thay đổi.",
                              "en": "The target database {url} already holds data, so nothing "
                                    "was copied into it. Use an empty database. Nothing was "
                                    "changed."},
    "move_target_schema": {"vi": "Cơ sở dữ liệu đích {url} ở phiên bản cấu trúc {revision}, "
                                 "khác phiên bản của chương trình ({head}). Hãy dùng một cơ sở "
                                 "dữ liệu trống. Không có gì bị thay đổi.",
                           "en": "The target database {url} is at schema version {revision}, "
                                 "not this program's ({head}). Use an empty database. Nothing "
                                 "was changed."},
    "move_source_schema": {"vi": "Cơ sở dữ liệu đang dùng chưa ở phiên bản cấu trúc mới nhất: "
                                 "mở chương trình một lần rồi chuyển lại.",
                           "en": "The database in use is not at the newest schema: open the "
                                 "program once, then move again."},
    "move_verify_failed": {"vi": "Bản chép không khớp với dữ liệu gốc (bảng: {tables}) nên "
                                 "đã bị huỷ. Thư mục dữ liệu vẫn dùng cơ sở dữ liệu cũ, không "
                                 "mất gì.",
                           "en": "The copy does not match the original (tables: {tables}), so "
                                 "it was discarded. The data folder still uses the old "
                                 "database; nothing is lost."},
    "move_copy_failed": {"vi": "Cơ sở dữ liệu đích từ chối các dòng của bảng {table} (chi "
                               "tiết trong nhật ký) nên không chép gì cả. Thư mục dữ liệu vẫn "
                               "dùng cơ sở dữ liệu cũ, không mất gì.",
                         "en": "The target database refused the rows of the table {table} "
                               "(details in the log), so nothing was copied. The data folder "
                               "still uses the old database; nothing is lost."},
    "restore_target_not_empty": {"vi": "Cơ sở dữ liệu {url} đã có dữ liệu nên chưa khôi phục. "
                                       "Khôi phục vào một cơ sở dữ liệu trống, hoặc thêm "
                                       "--replace để thay toàn bộ dữ liệu đang có (trong một "
                                       "giao dịch). Không có gì bị thay đổi.",
                                 "en": "The database {url} already holds data, so nothing was "
                                       "restored. Restore into an empty database, or add "
                                       "--replace to replace all of its data (in one "
                                       "transaction). Nothing was changed."},
    "move_sqlite_path": {"vi": "Tệp cơ sở dữ liệu của máy này luôn là {path}: chuyển về bằng "
                               "'ibhxh move --to sqlite'.",
                         "en": "This computer's database file is always {path}: move back "
                               "with 'ibhxh move --to sqlite'."},
    "move_same": {"vi": "Thư mục dữ liệu đang dùng chính cơ sở dữ liệu {url}: không có gì để "
                        "chuyển.",
                  "en": "The data folder already uses the database {url}: nothing to move."},
    "internal": {"vi": "Lỗi không mong đợi ({detail}). Chi tiết đã ghi vào nhật ký.",
                 "en": "Unexpected error ({detail}). Details were written to the log."},
    "rates_missing": {"vi": "Chưa có bảng tỷ lệ đóng cho kỳ {period}: {detail}",
                      "en": "No contribution rates for period {period}: {detail}"},
    # The data key and personal data
    "key_missing": {"vi": "Không tìm thấy khóa giải mã dữ liệu của {path} trong kho khóa của "
                          "máy. Dữ liệu vẫn còn nguyên, chưa bị thay đổi. Khôi phục khóa bằng "
                          "'ibhxh key restore TỆP_KHÔI_PHỤC' (tệp khôi phục đã lưu khi cài "
                          "đặt), hoặc khôi phục từ bản sao lưu.",
                    "en": "The data key of {path} is not in this computer's key store. The "
                          "data is intact and unchanged. Restore the key with 'ibhxh key "
                          "restore RECOVERY_FILE' (the recovery file saved at setup), or "
                          "restore from a backup."},
    "key_wrong": {"vi": "Khóa trong kho khóa không mở được dữ liệu của {path} (khóa của một cơ "
                        "sở dữ liệu khác?). Dữ liệu vẫn còn nguyên. Khôi phục đúng khóa bằng "
                        "'ibhxh key restore TỆP_KHÔI_PHỤC'.",
                  "en": "The key in the key store does not open the data of {path} (another "
                        "database's key?). The data is intact. Restore the right key with "
                        "'ibhxh key restore RECOVERY_FILE'."},
    "value_damaged": {"vi": "Một giá trị được mã hóa trong cột {column} đã bị hỏng và không "
                            "đọc được. Không có gì bị thay thế; hãy khôi phục từ bản sao lưu.",
                      "en": "An encrypted value in column {column} is damaged and cannot be "
                            "read. Nothing was replaced; restore from a backup."},
    "keyring_error": {"vi": "Không dùng được kho khóa của hệ điều hành: {detail}",
                      "en": "The operating system's key store failed: {detail}"},
    "passphrase_short": {"vi": "Cụm mật khẩu phải có ít nhất 8 ký tự.",
                         "en": "The passphrase must have at least 8 characters."},
    "passphrase_wrong": {"vi": "Sai cụm mật khẩu của tệp khôi phục. Không có gì thay đổi.",
                         "en": "Wrong passphrase for the recovery file. Nothing changed."},
    "recovery_damaged": {"vi": "Tệp khôi phục bị hỏng hoặc không phải tệp khôi phục khóa.",
                         "en": "The recovery file is damaged or not a key recovery file."},
    "recovery_other_db": {"vi": "Tệp khôi phục này là của một cơ sở dữ liệu khác, không mở "
                                "được {path}.",
                          "en": "This recovery file belongs to another database; it does not "
                                "open {path}."},
    "no_encrypted_db": {"vi": "Thư mục dữ liệu chưa có cơ sở dữ liệu ({path}).",
                        "en": "The data folder has no database yet ({path})."},
    "bad_extension": {"vi": "Không hỗ trợ tệp '{value}' (dùng: {allowed}).",
                      "en": "Unsupported file '{value}' (use: {allowed})."},
    "not_due": {"vi": "Chưa hết thời hạn lưu trữ, không thể xoá: {value}.",
                "en": "The retention period has not passed; cannot erase: {value}."},
    "recovery_reminder": {"vi": "Hãy lưu tệp khôi phục khóa dữ liệu: ibhxh key export-recovery "
                                "--out TỆP (cất ở nơi an toàn, ngoài máy này).",
                          "en": "Save the data key recovery file: ibhxh key export-recovery "
                                "--out FILE (keep it safe, off this computer)."},
    "backup_damaged": {"vi": "Tệp sao lưu {path} bị hỏng hoặc không phải tệp sao lưu. Dữ "
                             "liệu hiện tại không bị thay đổi.",
                       "en": "The backup file {path} is damaged or not a backup. The current "
                             "data was not changed."},
    "backup_wrong_passphrase": {"vi": "Không mở được tệp sao lưu {path}: sai cụm mật khẩu "
                                      "hoặc tệp đã bị sửa. Dữ liệu hiện tại không bị thay đổi.",
                                "en": "Cannot open the backup {path}: wrong passphrase, or "
                                      "the file was altered. The current data was not "
                                      "changed."},
    # Signing
    "no_module": {"vi": "Không tìm thấy thư viện PKCS#11 của token. Cài trình điều khiển "
                        "token của nhà cung cấp chữ ký số, hoặc chỉ đường dẫn bằng --module "
                        "hoặc biến IBHXH_PKCS11_MODULE.",
                  "en": "No PKCS#11 token module found. Install the CA's token driver, or "
                        "give its path with --module or IBHXH_PKCS11_MODULE."},
    "not_signable": {"vi": "Hồ sơ {value} đang ở trạng thái {state}, không ký lại được.",
                     "en": "Dossier {value} is {state}; it cannot be signed again."},
    "cert_other_unit": {"vi": "Chứng thư số mang mã số thuế {cert}, không phải của đơn vị "
                              "({unit}).",
                        "en": "The certificate carries tax code {cert}, not the unit's "
                              "({unit})."},
    "signature_invalid": {"vi": "Chữ ký vừa tạo không kiểm tra được: {detail}",
                          "en": "The signature just made does not verify: {detail}"},
    "not_signed": {"vi": "Hồ sơ {value} chưa được ký.", "en": "Dossier {value} is not signed."},
    "not_a_certificate": {"vi": "Tệp {path} không chứa chứng thư PEM.",
                          "en": "The file {path} holds no PEM certificate."},
    "signature_bad": {"vi": "Chữ ký không hợp lệ: {detail}",
                      "en": "The signature is not valid: {detail}"},
    # Only CKF_USER_PIN_FINAL_TRY needs this; a wrong PIN earlier (COUNT_LOW) does not.
    "pin_low_needs_confirm": {"vi": "Token báo đây là lần thử cuối cùng: nếu nhập sai mã PIN "
                                    "lần nữa, token sẽ bị khóa. Mã PIN chưa được gửi; chỉ chạy "
                                    "lại với --confirm-low-pin khi chắc chắn mã PIN đúng.",
                              "en": "The token reports that this is the final try: one more "
                                    "wrong PIN will lock the token. The PIN was not sent; run "
                                    "again with --confirm-low-pin only if you are sure the "
                                    "PIN is right."},
    # Remote signing (services.remote_signing, `ibhxh remote …`, `ibhxh sign --remote`)
    "remote_service_unknown": {"vi": "Không có dịch vụ ký từ xa '{provider}'. Các dịch vụ "
                                     "dùng được: {known}.",
                               "en": "There is no remote signing service '{provider}'. "
                                     "Services available: {known}."},
    "remote_service_unsupported": {"vi": "Chương trình chưa hỗ trợ dịch vụ ký từ xa "
                                         "'{provider}'.",
                                   "en": "The remote signing service '{provider}' is not "
                                         "supported yet."},
    "remote_url_needed": {"vi": "Dịch vụ ký từ xa '{provider}' không có địa chỉ cố định: cho "
                                "địa chỉ bằng --url (dịch vụ tập luyện: địa chỉ hộp cát đang "
                                "chạy, thêm /sca/sp769).",
                          "en": "The remote signing service '{provider}' has no fixed "
                                "address: give it with --url (the training service: the "
                                "running sandbox's address followed by /sca/sp769)."},
    "remote_bad_url": {"vi": "Địa chỉ dịch vụ ký từ xa '{url}' không hợp lệ: cần dạng "
                             "https://máy[:cổng]/đường-dẫn.",
                       "en": "The remote signing address '{url}' is not valid: it must be "
                             "https://host[:port]/path."},
    "remote_no_account": {"vi": "Chưa cài đặt tài khoản ký từ xa '{provider}'. Chạy: ibhxh "
                                "remote set {provider} --user-id … --serial … --sp-id …",
                          "en": "No remote signing account '{provider}' is set up. Run: "
                                "ibhxh remote set {provider} --user-id … --serial … "
                                "--sp-id …"},
    "remote_password_missing": {"vi": "Kho khóa của máy chưa có mật khẩu tích hợp của tài "
                                      "khoản ký từ xa '{provider}': chạy lại ibhxh remote set "
                                      "{provider} với --password-env, hoặc nhập khi được hỏi.",
                                "en": "The keyring holds no integration password for the "
                                      "remote signing account '{provider}': run ibhxh remote "
                                      "set {provider} again with --password-env, or type it "
                                      "when asked."},
    "no_keyring_remote": {"vi": "Máy này không có kho khóa của hệ điều hành nên không giữ "
                                "được mật khẩu của dịch vụ ký từ xa ({detail}).",
                          "en": "This computer has no OS keyring, so the remote signing "
                                "service's password cannot be kept ({detail})."},
    "remote_no_serial": {"vi": "Tài khoản ký từ xa '{provider}' chưa chọn chứng thư: xem "
                               "danh sách bằng ibhxh tokens --remote {provider}, rồi chạy "
                               "ibhxh remote set {provider} --serial SỐ_SÊ_RI.",
                         "en": "The remote signing account '{provider}' names no "
                               "certificate: list them with ibhxh tokens --remote {provider}, "
                               "then run ibhxh remote set {provider} --serial SERIAL."},
    "remote_nothing_pending": {"vi": "Hồ sơ {id} không có yêu cầu ký từ xa nào đang chờ.",
                               "en": "Dossier {id} has no remote signing request waiting."},
    "remote_pending": {"vi": "Yêu cầu ký {transaction} ({phase}) vẫn đang chờ xác nhận trên "
                             "điện thoại, còn {seconds} giây. Hồ sơ {id} chưa được ký; chạy "
                             "lại lệnh ký để chờ tiếp, yêu cầu sẽ không bị gửi lại.",
                       "en": "Signing request {transaction} ({phase}) is still waiting for "
                             "confirmation on the phone, {seconds} seconds left. Dossier {id} "
                             "is not signed yet; run the signing command again to keep "
                             "waiting: the request will not be sent twice."},
    "remote_rejected": {"vi": "Người ký đã từ chối yêu cầu ký trên điện thoại. Hồ sơ {id} "
                              "không thay đổi: có thể ký lại hoặc in hồ sơ giấy.",
                        "en": "The signer rejected the request on the phone. Dossier {id} "
                              "is unchanged: sign it again or print the paper dossier."},
    "remote_expired": {"vi": "Yêu cầu ký đã hết hạn mà chưa được xác nhận trên điện thoại. "
                             "Hồ sơ {id} không thay đổi: có thể ký lại hoặc in hồ sơ giấy.",
                       "en": "The signing request expired before it was confirmed on the "
                             "phone. Dossier {id} is unchanged: sign it again or print the "
                             "paper dossier."},
    "remote_dossier_changed": {"vi": "Hồ sơ {id} đã được sửa sau khi gửi yêu cầu ký từ xa; "
                                     "chữ ký đã xác nhận không dùng cho bản mới. Hãy ký lại.",
                               "en": "Dossier {id} was edited after the remote signing "
                                     "request was sent; the confirmed signature does not "
                                     "apply to the new version. Sign it again."},
    "remote_desc_forms": {"vi": "Hồ sơ {id}, thủ tục {procedure}: ký {files} tờ khai",
                          "en": "Dossier {id}, procedure {procedure}: sign {files} forms"},
    "remote_desc_envelope": {"vi": "Hồ sơ {id}, thủ tục {procedure}: ký tệp hồ sơ gửi đi",
                             "en": "Dossier {id}, procedure {procedure}: sign the envelope"},
    "remote_ended_elsewhere": {"vi": "Yêu cầu ký từ xa của hồ sơ {id} đã được kết thúc ở "
                                     "cửa sổ hoặc máy khác: {reason}. Hồ sơ không thay "
                                     "đổi; có thể ký lại.",
                               "en": "The remote signing request of dossier {id} was ended "
                                     "in another window or on another computer: {reason}. "
                                     "The dossier is unchanged; it can be signed again."},
    "restore_became_shared": {"vi": "Cơ sở dữ liệu {url} vừa được chuyển sang dùng chung "
                                    "trong lúc khôi phục: không thay thế gì. Chỉ người ký "
                                    "của cơ sở dữ liệu dùng chung mới được thay thế nó; "
                                    "hãy chạy lại lệnh.",
                              "en": "The database {url} became shared while it was being "
                                    "restored: nothing was replaced. Only a signer of a "
                                    "shared database may replace it; run the command "
                                    "again."},
    "remote_in_doubt": {"vi": "Yêu cầu ký trước đó bị ngắt khi đang gửi, và {provider} "
                              "không cho hỏi lại yêu cầu đó: phần mềm đã gửi một yêu cầu "
                              "mới. Nếu điện thoại hiện hai yêu cầu, hãy xác nhận yêu cầu "
                              "mới nhất; xác nhận yêu cầu cũ không được dùng.",
                        "en": "The previous signing request was cut off while being sent, "
                              "and {provider} cannot be asked about it: a new request was "
                              "sent. If the phone shows two requests, approve the newest; "
                              "an approval of the old one is not used."},
    "remote_abandoned": {"vi": "Yêu cầu ký từ xa {transaction} của hồ sơ {id} đã được hủy "
                               "trong danh sách yêu cầu đang chờ: xác nhận sau đó trên "
                               "điện thoại không được dùng. Hồ sơ không thay đổi; có thể "
                               "ký lại.",
                         "en": "Remote signing request {transaction} of dossier {id} was "
                               "abandoned in the list of waiting requests: a later "
                               "confirmation on the phone is not used. The dossier is "
                               "unchanged; it can be signed again."},
    "remote_abandoned_printed": {"vi": "Yêu cầu ký từ xa {transaction} đang chờ xác nhận "
                                       "trên điện thoại đã bị hủy vì hồ sơ {id} được in ra "
                                       "giấy: nếu người ký vẫn xác nhận, chữ ký đó không "
                                       "được dùng cho hồ sơ đã in. Dữ liệu hồ sơ giữ "
                                       "nguyên.",
                                 "en": "The remote signing request {transaction} waiting "
                                       "on the phone was abandoned because dossier {id} was "
                                       "printed on paper: if the signer still confirms it, "
                                       "that signature is not used for the printed dossier. "
                                       "The dossier's data is unchanged."},
    "remote_phase_forms": {"vi": "các tờ khai", "en": "the forms"},
    "remote_phase_envelope": {"vi": "tệp hồ sơ gửi đi", "en": "the envelope"},
    # Benefit claims (services.claims, `ibhxh claims …`)
    "claim_ref": {"vi": "(yêu cầu #{id})", "en": "(claim #{id})"},
    "no_claim": {"vi": "Không có yêu cầu hưởng chế độ số {value}.",
                 "en": "There is no benefit claim {value}."},
    "claim_not_rejected": {"vi": "Yêu cầu #{value} không bị từ chối: chỉ lập lại được yêu cầu "
                                 "mà cơ quan BHXH đã từ chối.",
                           "en": "Claim #{value} was not rejected: only a claim Social "
                                 "Security rejected can be entered again."},
    "claim_refiled_already": {"vi": "Yêu cầu #{value} đã được lập lại thành yêu cầu #{other} "
                                    "(chưa lập danh sách): hãy sửa yêu cầu đó.",
                              "en": "Claim #{value} was already entered again as claim "
                                    "#{other} (in no list yet): change that one."},
    "claim_locked": {"vi": "Yêu cầu #{value} nằm trong hồ sơ {dossier} đang ở trạng thái "
                           "{state}: không sửa hay xoá được nữa. Nếu cần thay đổi, hãy lập "
                           "yêu cầu mới.",
                     "en": "Claim #{value} is in dossier {dossier}, which is {state}: it can "
                           "no longer be changed or removed. To change it, enter a new "
                           "claim."},
    "claim_already_declared": {"vi": "Yêu cầu #{value} đã nằm trong hồ sơ {dossier}.",
                               "en": "Claim #{value} is in dossier {dossier} already."},
    "claim_not_declared": {"vi": "Yêu cầu #{value} chưa được lập danh sách ('ibhxh claims "
                                 "declare'), nên chưa có số tiền được duyệt để ghi.",
                           "en": "Claim #{value} is in no list yet ('ibhxh claims declare'), "
                                 "so there is no approved amount to record."},
    "claim_not_filed": {"vi": "Yêu cầu #{value} nằm trong hồ sơ {dossier} đang ở trạng thái "
                              "{state}: chỉ ghi số tiền được duyệt khi danh sách đã gửi hoặc "
                              "đã in nộp giấy.",
                        "en": "Claim #{value} is in dossier {dossier}, which is {state}: an "
                              "approved amount is recorded once the list was sent or filed "
                              "on paper."},
    "claim_bad_rest_days": {"vi": "'{value}' không phải ngày nghỉ trong tuần: ghi các ngày bằng "
                                  "số, 1 là thứ Hai … 7 là Chủ nhật (67 là thứ Bảy và Chủ "
                                  "nhật), hoặc 'T7, CN'.",
                            "en": "'{value}' are not weekly rest days: write the days as "
                                  "digits, 1 Monday … 7 Sunday (67 is Saturday and Sunday), "
                                  "or 'Sat, Sun'."},
    "claim_bad_state": {"vi": "Không có trạng thái yêu cầu '{value}' (có: {allowed}).",
                        "en": "There is no claim state '{value}' (known: {allowed})."},
    "claims_to_mend": {"vi": "{failed} trong {total} yêu cầu chưa lập danh sách có lỗi cần "
                             "sửa ({count} lỗi).",
                       "en": "{failed} of the {total} claims in no list yet have problems to "
                             "mend ({count} problems)."},
    "claims_none": {"vi": "Không có yêu cầu nào chưa lập danh sách.",
                    "en": "There is no claim that is in no list yet."},
    "claims_changed": {"vi": "Các yêu cầu {ids} vừa được lập danh sách hoặc xoá ở nơi khác. "
                             "Chưa có gì được lưu; hãy chạy lại lệnh.",
                       "en": "Claims {ids} were just put in a list or removed elsewhere. "
                             "Nothing was saved; run the command again."},
    "claims_no_result": {"vi": "Hồ sơ {value} chưa có thông báo kết quả của cơ quan BHXH.",
                         "en": "Dossier {value} has no result notice from Social Security "
                               "yet."},
    "claims_count_detail": {"vi": "{count} yêu cầu", "en": "{count} claims"},
    "claim_changed_detail": {"vi": "sửa yêu cầu #{id}: đưa ra khỏi danh sách",
                             "en": "claim #{id} changed: taken out of the list"},
    "claim_removed_detail": {"vi": "xoá yêu cầu #{id}", "en": "claim #{id} removed"},
    # Benefit claims (domain.claim_rules): one claim of the list M01B-HSB
    "claim_unknown_kind": {"vi": "loại chế độ '{value}' không có trong danh mục.",
                           "en": "benefit kind '{value}' is not in the code list."},
    "claim_dates_reversed": {"vi": "ngày kết thúc {to} trước ngày bắt đầu {start}.",
                             "en": "the end date {to} is before the start date {start}."},
    "claim_rest_days": {"vi": "ngày nghỉ hằng tuần '{value}' không hợp lệ: ghi các thứ trong "
                              "tuần bằng chữ số 1 đến 7 (7 là Chủ nhật, 67 là thứ Bảy và Chủ "
                              "nhật).",
                        "en": "weekly rest days '{value}' are not valid: write the weekdays as "
                              "digits 1 to 7 (7 is Sunday, 67 Saturday and Sunday)."},
    "claim_too_many_days": {"vi": "{days} ngày nhưng chỉ còn được hưởng {allowed} ngày (tối "
                                  "đa {limit} ngày, đã hưởng {taken} ngày).",
                            "en": "{days} days, but only {allowed} days are left to claim "
                                  "(at most {limit} days, {taken} days already taken)."},
    "claim_no_contribution": {"vi": "chưa đủ điều kiện: cần đóng BHXH ít nhất {need} tháng "
                                    "trong {window} tháng trước tháng của ngày {event}, mới "
                                    "có {paid} tháng.",
                              "en": "not yet entitled: needs at least {need} months of "
                                    "contribution in the {window} months before the month "
                                    "of {event}, has {paid}."},
    "claim_not_insured": {"vi": "không thấy tháng đóng BHXH nào trong tháng {month} hoặc "
                                "tháng trước đó: người lao động chưa tham gia BHXH khi nghỉ.",
                          "en": "no month of contribution in {month} or the month before: "
                                "the worker was not insured when the leave began."},
    "claim_no_salary": {"vi": "không có tháng đóng BHXH nào trước tháng {month} để làm căn cứ "
                              "tính trợ cấp.",
                        "en": "no month of contribution before {month} to compute the "
                              "benefit on."},
    "claim_overlap_row": {"vi": "trùng thời gian nghỉ với dòng {other} của cùng người lao "
                                "động.",
                          "en": "overlaps the leave on row {other} of the same worker."},
    "claim_overlap_stored": {"vi": "trùng thời gian nghỉ từ {start} đến {end} đã đề nghị "
                                   "trước đây.",
                             "en": "overlaps the leave from {start} to {end} claimed "
                                   "earlier."},
    "claim_child_missing": {"vi": "chưa có ngày sinh của con (chế độ này cần).",
                            "en": "the child's date of birth is missing (this benefit needs "
                                  "it)."},
    "claim_child_count_missing": {"vi": "chưa có số con được sinh.",
                                  "en": "the number of children born is missing."},
    "claim_child_too_old": {"vi": "con đã {age} tuổi: chỉ hưởng khi chăm con dưới {limit} "
                                  "tuổi.",
                            "en": "the child is {age}: the benefit is for a child under "
                                  "{limit}."},
    "claim_adopted_too_old": {"vi": "con nuôi phải dưới {months} tháng tuổi vào ngày nhận "
                                    "nuôi.",
                              "en": "an adopted child must be under {months} months old on "
                                    "the day of adoption."},
    "claim_father_window": {"vi": "nghỉ từ {start}: phải bắt đầu trong {within} ngày kể từ "
                                  "ngày vợ sinh con ({birth}).",
                            "en": "leave from {start}: it must start within {within} days "
                                  "of the birth ({birth})."},
    "claim_birth_too_early": {"vi": "nghỉ trước khi sinh quá {months} tháng (sinh ngày "
                                    "{birth}).",
                              "en": "leave starts more than {months} months before the "
                                    "birth ({birth})."},
    "claim_long_term_code": {"vi": "chưa có mã bệnh dài ngày.",
                             "en": "the long-term illness code is missing."},
    "claim_weeks_missing": {"vi": "chưa có tuổi thai (số tuần).",
                            "en": "the weeks of pregnancy are missing."},
    "claim_no_calendar": {"vi": "chưa có lịch nghỉ lễ, Tết năm {year} để đếm ngày làm việc.",
                          "en": "no calendar for {year}: its public holidays are not known, "
                                "so working days cannot be counted."},
    "claim_no_rule": {"vi": "chưa có quy định về chế độ này cho ngày {day}.",
                      "en": "no rule of this benefit is in force on {day}."},
    "claim_convalescence_unknown": {"vi": "không thấy đợt nghỉ ốm đau hoặc thai sản nào ngay "
                                          "trước đợt dưỡng sức này; hãy kiểm tra.",
                                    "en": "no sickness or maternity leave is found just "
                                          "before this convalescence; check it."},
    "claim_convalescence_late": {"vi": "dưỡng sức phải bắt đầu trong {within} ngày sau khi "
                                       "hết đợt nghỉ trước ({end}).",
                                 "en": "convalescence must start within {within} days after "
                                       "the leave before it ended ({end})."},
    "claim_convalescence_not_due": {"vi": "cần đã nghỉ hưởng ốm đau ít nhất {need} ngày trong "
                                          "năm; mới thấy {have} ngày.",
                                    "en": "needs at least {need} days of sickness benefit in "
                                          "the year; {have} found."},
    # Where a problem is
    "at_row": {"vi": "{form} dòng {row}", "en": "{form} row {row}"},
    "at_header": {"vi": "{form}", "en": "{form}"},
    # Officers of a shared database (services.officers, storage.officer_keys)
    "officer_none": {"vi": "Dữ liệu này dùng chung cho nhiều cán bộ, và máy này chưa có cán bộ "
                           "nào. Xin vào bằng 'ibhxh officers request TÊN_ĐĂNG_NHẬP --name "
                           "\"Họ tên\"', rồi chờ một cán bộ có vai trò người ký cho vào.",
                     "en": "This database is shared by several officers, and this computer has "
                           "no officer yet. Ask to join with 'ibhxh officers request LOGIN "
                           "--name \"Full name\"', then wait for an officer with the signer "
                           "role to let you in."},
    "officer_unknown": {"vi": "Không có cán bộ '{login}' trong dữ liệu dùng chung này. Xin vào "
                              "bằng 'ibhxh officers request {login} --name \"Họ tên\"'.",
                        "en": "There is no officer '{login}' in this shared database. Ask to "
                              "join with 'ibhxh officers request {login} --name \"Full name\"'."},
    "officer_waiting": {"vi": "Cán bộ '{login}' đã xin vào và đang chờ một cán bộ có vai trò "
                              "người ký cho vào ('ibhxh officers add {login} --role …'). Đến "
                              "lúc đó máy này chưa mở được dữ liệu cá nhân.",
                        "en": "Officer '{login}' has asked to join and is waiting for an "
                              "officer with the signer role to let you in ('ibhxh officers "
                              "add {login} --role …'). Until then this computer cannot open "
                              "personal data."},
    "officer_removed": {"vi": "Cán bộ '{login}' đã bị rút khỏi dữ liệu dùng chung này: máy này "
                              "không còn mở được dữ liệu cá nhân. Nếu cần làm tiếp, hãy xin vào "
                              "lại và chờ người ký cho vào.",
                        "en": "Officer '{login}' was removed from this shared database: this "
                              "computer can no longer open personal data. To work on it again, "
                              "ask to join again and wait for a signer to let you in."},
    "officer_key_missing": {"vi": "Kho khóa của máy này không có khóa riêng của cán bộ "
                                  "'{login}' (máy khác, hoặc kho khóa đã bị xoá). Nhờ người ký "
                                  "rút cán bộ này ra, rồi xin vào lại từ máy này.",
                            "en": "This computer's key store does not hold officer "
                                  "'{login}''s own key (another computer, or the key store was "
                                  "cleared). Ask a signer to remove this officer, then ask to "
                                  "join again from this computer."},
    "officer_key_wrong": {"vi": "Bản khóa dữ liệu dành cho cán bộ '{login}' đã bị sửa hoặc "
                                "không phải của cán bộ này, nên không mở được. Nhờ người ký "
                                "cấp lại.",
                          "en": "The copy of the data key for officer '{login}' was changed or "
                                "is not this officer's, so it does not open. Ask a signer for a "
                                "new one."},
    "officer_key_old": {"vi": "Bản khóa dữ liệu của cán bộ '{login}' là khóa cũ, không mở được "
                              "dữ liệu hiện tại. Nhờ người ký cấp lại.",
                        "en": "Officer '{login}''s copy of the data key is an old key that "
                              "does not open the current data. Ask a signer for a new one."},
    "officer_login_bad": {"vi": "Tên đăng nhập '{login}' không hợp lệ: dùng chữ không dấu, số "
                                "và . _ @ - (tối đa 64 ký tự).",
                          "en": "The login '{login}' is not valid: use letters without accents, "
                                "digits and . _ @ - (at most 64 characters)."},
    "officer_exists": {"vi": "Đã có cán bộ '{login}' (đang chờ hoặc đang làm).",
                       "en": "There is already an officer '{login}' (waiting or active)."},
    "officer_not_found": {"vi": "Không có cán bộ '{login}'.",
                          "en": "There is no officer '{login}'."},
    "officer_was_removed": {"vi": "Cán bộ '{login}' đã bị rút ra; cán bộ đó cần xin vào lại từ "
                                  "máy của mình trước.",
                            "en": "Officer '{login}' was removed; they must ask to join again "
                                  "from their own computer first."},
    "officer_last_signer": {"vi": "Không thể rút '{login}': đó là cán bộ có vai trò người ký "
                                  "cuối cùng. Thêm một người ký khác trước.",
                            "en": "Cannot remove '{login}': it is the last officer with the "
                                  "signer role. Add another signer first."},
    "officer_role_bad": {"vi": "Vai trò '{role}' không có; dùng: {known}.",
                         "en": "There is no role '{role}'; use: {known}."},
    "officer_fingerprint_differs": {"vi": "Dấu vân tay khóa của '{login}' là {have}, không "
                                          "phải {given}: không cho vào. Hỏi lại cán bộ đó.",
                                    "en": "The key fingerprint of '{login}' is {have}, not "
                                          "{given}: not let in. Check with that officer."},
    "officers_exist": {"vi": "Dữ liệu này đã dùng chung cho nhiều cán bộ; thêm cán bộ bằng "
                             "'ibhxh officers request' và 'ibhxh officers add'. Nếu không còn "
                             "người ký nào mở được dữ liệu: khôi phục khóa bằng 'ibhxh key "
                             "restore TỆP_KHÔI_PHỤC' rồi chạy lại lệnh này.",
                       "en": "This database is already shared by officers; add officers with "
                             "'ibhxh officers request' and 'ibhxh officers add'. If no signer "
                             "can open the data any more: restore the key with 'ibhxh key "
                             "restore RECOVERY_FILE', then run this command again."},
    "officers_not_shared": {"vi": "Dữ liệu này chưa dùng chung: trên máy đang mở được dữ liệu, "
                                  "chạy 'ibhxh officers init TÊN_ĐĂNG_NHẬP --name \"Họ tên\"' "
                                  "trước.",
                            "en": "This database is not shared yet: on the computer that opens "
                                  "the data, run 'ibhxh officers init LOGIN --name \"Full "
                                  "name\"' first."},
    "role_needed": {"vi": "Việc này cần vai trò {role}; cán bộ '{login}' không có vai trò đó.",
                    "en": "This needs the {role} role; officer '{login}' does not have it."},
}


# The envelope's own elements (DOMAIN.md §5) as a problem names them: the officer's words,
# and the element to look for in the file.
ELEMENT_LABELS: dict[str, dict[str, str]] = {
    "MaThuTuc": {"vi": "Mã thủ tục (MaThuTuc)", "en": "Procedure code (MaThuTuc)"},
    "KyKeKhai": {"vi": "Kỳ kê khai (KyKeKhai)", "en": "Period (KyKeKhai)"},
    "MaToKhai": {"vi": "Mã tờ khai (MaToKhai)", "en": "Form code (MaToKhai)"},
    "ToKhais": {"vi": "Danh sách tờ khai (ToKhais)", "en": "Forms (ToKhais)"},
    "SoLuongFile": {"vi": "Số lượng tệp (SoLuongFile)", "en": "Number of files (SoLuongFile)"},
    "TenFile": {"vi": "Tên tệp (TenFile)", "en": "File name (TenFile)"},
    "LoaiFile": {"vi": "Loại tệp (LoaiFile)", "en": "File type (LoaiFile)"},
    "DoDaiFile": {"vi": "Độ dài tệp (DoDaiFile)", "en": "File length (DoDaiFile)"},
}


# The names of states and methods as an officer reads them: a dossier's state, where it
# stands in the outbox, and how the unit logs in to the gateway. The window and the
# command line show the same words.
STATE_NAMES: dict[str, dict[str, str]] = {
    "draft": {"vi": "Nháp", "en": "Draft"},
    "validated": {"vi": "Đã kiểm tra", "en": "Checked"},
    "signed": {"vi": "Đã ký", "en": "Signed"},
    "sent": {"vi": "Đã gửi, chờ kết quả", "en": "Sent, waiting"},
    "accepted": {"vi": "Được chấp nhận", "en": "Accepted"},
    "rejected": {"vi": "Bị từ chối", "en": "Rejected"},
    "printed": {"vi": "Đã in hồ sơ giấy", "en": "Printed on paper"},
    # a benefit claim, besides its list's states (services.claims)
    "declared": {"vi": "Đã lập danh sách", "en": "In a list"},
    "approved": {"vi": "Đã được duyệt", "en": "Approved"},
    # the outbox
    "queued": {"vi": "Chờ gửi", "en": "Waiting to be sent"},
    "sending": {"vi": "Đang gửi", "en": "Being sent"},
    "polling": {"vi": "Chờ kết quả", "en": "Waiting for the result"},
    "done": {"vi": "Đã xong", "en": "Finished"},
    "refused": {"vi": "Cổng từ chối", "en": "Refused by the gateway"},
    # how the unit logs in
    "password": {"vi": "mật khẩu dùng thử", "en": "trial password"},
    "certificate": {"vi": "chữ ký số", "en": "digital certificate"},
    # a worker's standing with Social Security
    "new": {"vi": "Mới, chưa báo tăng", "en": "New, not declared"},
    "active": {"vi": "Đang đóng", "en": "Contributing"},
    "paused": {"vi": "Tạm nghỉ", "en": "On leave"},
    "left": {"vi": "Đã nghỉ việc", "en": "Left"},
    # the gateway's own state before its result
    "received": {"vi": "Đã tiếp nhận", "en": "Received"},
    # the unit's registration for electronic filing, and its registration files
    "unregistered": {"vi": "Chưa đăng ký giao dịch điện tử",
                     "en": "Not registered for electronic filing"},
    "registered": {"vi": "Đã đăng ký giao dịch điện tử", "en": "Registered for electronic filing"},
    "stopped": {"vi": "Đã ngừng giao dịch điện tử", "en": "Stopped electronic filing"},
    "ready": {"vi": "Chờ gửi", "en": "Waiting to be sent"},
    "answered": {"vi": "Cổng đã trả lời", "en": "Answered by the gateway"},
    "dropped": {"vi": "Đã bỏ, không gửi", "en": "Dropped, not sent"},
}


# What the processing log records (Decree 13/2023), by the action's code.
ACTION_NAMES: dict[str, dict[str, str]] = {
    "export": {"vi": "xuất dữ liệu", "en": "export"},
    "import": {"vi": "nhập dữ liệu", "en": "import"},
    "print": {"vi": "in", "en": "print"},
    "submit": {"vi": "gửi hồ sơ", "en": "submit"},
    "registration": {"vi": "đăng ký giao dịch", "en": "registration"},
    "backup": {"vi": "sao lưu", "en": "backup"},
    "restore": {"vi": "khôi phục", "en": "restore"},
    "erase": {"vi": "xoá dữ liệu", "en": "erase"},
    "worker_report": {"vi": "báo cáo một người", "en": "worker report"},
    "key_recovery_file": {"vi": "tệp khôi phục khóa", "en": "key recovery file"},
    "key_rotate": {"vi": "đổi khóa dữ liệu", "en": "data key change"},
    "dossier": {"vi": "hồ sơ", "en": "dossier"},
    "officer_init": {"vi": "bắt đầu dùng chung", "en": "sharing started"},
    "officer_request": {"vi": "cán bộ xin vào", "en": "officer asked to join"},
    "officer_add": {"vi": "cho cán bộ vào", "en": "officer let in"},
    "officer_remove": {"vi": "rút cán bộ ra", "en": "officer removed"},
}

# Why a remote signing request ended, in a few words, by the code kept with it
# (services.remote_signing: another window or computer followed it to its end).
REMOTE_END_REASONS: dict[str, dict[str, str]] = {
    "remote_rejected": {"vi": "người ký đã từ chối trên điện thoại",
                        "en": "the signer rejected it on the phone"},
    "remote_expired": {"vi": "yêu cầu đã hết hạn mà chưa được xác nhận",
                       "en": "it expired before it was approved"},
    "remote_dossier_changed": {"vi": "hồ sơ đã được sửa trong lúc chờ",
                               "en": "the dossier was changed meanwhile"},
    "remote_in_doubt": {"vi": "yêu cầu bị ngắt khi đang gửi",
                        "en": "it was cut off while being sent"},
    "remote_other": {"vi": "dịch vụ ký từ xa báo lỗi", "en": "the signing service failed"},
}


def remote_end_reason(code: str | None, lang: str = "vi") -> str:
    """Why a remote signing request ended, for an officer (never the bare code)."""
    return word(REMOTE_END_REASONS, code if code in REMOTE_END_REASONS else "remote_other",
                lang)


# The roles of an officer of a shared database (services.officers).
ROLE_NAMES: dict[str, dict[str, str]] = {
    "preparer": {"vi": "người lập hồ sơ", "en": "preparer"},
    "signer": {"vi": "người ký", "en": "signer"},
}


def action_name(code: str, lang: str = "vi") -> str:
    """A processing-log action's name; a target "dossier N" as "hồ sơ N"."""
    head, _, rest = code.partition(" ")
    if rest and head in ACTION_NAMES:
        return f"{word(ACTION_NAMES, head, lang)} {rest}"
    return word(ACTION_NAMES, code, lang)


def state_name(code: str, lang: str = "vi") -> str:
    """A state's or method's name for an officer (the code itself when unknown)."""
    return word(STATE_NAMES, code, lang) if code else ""


def placeholders(template: str) -> set[str]:
    """The named placeholders of a template ("{max}" → {"max"})."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def word(catalogue: dict[str, dict[str, str]], code: str, lang: str = "vi",
         **params: object) -> str:
    """The sentence for ``code`` from ``catalogue`` in ``lang`` (Vietnamese when the
    language is unknown; the code itself when there is no such message). A placeholder
    not given is left empty. Every catalogue of the program is worded through here."""
    entry = catalogue.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry["vi"]
    values = {k: "" if params.get(k) is None else params[k] for k in placeholders(template)}
    if "state" in values:  # a state is given by its code and read by its name
        values["state"] = state_name(str(values["state"]), lang)
    return template.format(**values)


def say(code: str, lang: str = "vi", **params: object) -> str:
    """The sentence for ``code`` in ``lang`` (Vietnamese when the language is unknown)."""
    return word(MESSAGES, code, lang, **params)
