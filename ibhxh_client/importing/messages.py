"""What the importer says to an HR officer, in Vietnamese and English.

The texts join the core's table (``domain.messages.MESSAGES``) when this package is
imported, so ``UserError.message`` and ``Problem.text`` find them like any other code. A
code that the core already has is never overridden.
"""

from __future__ import annotations

from ..domain import messages as _core

MESSAGES: dict[str, dict[str, str]] = {
    # The file and its layout
    "import_format": {
        "vi": "Không đọc được tệp '{value}': chỉ nhận {allowed}.",
        "en": "Cannot read '{value}': only {allowed} files are accepted."},
    "import_unreadable": {
        "vi": "Không mở được tệp {path}: {detail}. Tệp có thể đang mở trong Excel, bị hỏng "
              "hoặc có mật khẩu; hãy đóng Excel, lưu lại tệp rồi thử lại.",
        "en": "Cannot open {path}: {detail}. The file may be open in Excel, damaged or "
              "password-protected; close Excel, save the file again and retry."},
    "import_not_found": {
        "vi": "Không tìm thấy tệp {path}.",
        "en": "The file {path} was not found."},
    "import_not_spreadsheet": {
        "vi": "Tệp {path} không phải là bảng tính (có vẻ là {kind}). {hint}",
        "en": "The file {path} is not a spreadsheet (it looks like {kind}). {hint}"},
    "import_hint_copy": {
        "vi": "Nếu danh sách nằm trong tệp này, hãy chép bảng sang Excel, lưu thành tệp "
              ".xlsx rồi nhập tệp đó; nếu không, hãy chọn đúng tệp bảng tính ({allowed}).",
        "en": "If the list is in this file, copy the table into Excel, save it as an .xlsx "
              "file and import that; otherwise choose the right spreadsheet ({allowed})."},
    "import_hint_resave": {
        "vi": "Hãy mở tệp bằng Excel, lưu lại dưới dạng Sổ làm việc Excel (.xlsx) rồi nhập "
              "tệp đó.",
        "en": "Open it in Excel, save it as an Excel Workbook (.xlsx) and import that "
              "file."},
    "import_hint_extract": {
        "vi": "Hãy giải nén rồi nhập tệp bảng tính ở bên trong.",
        "en": "Extract it and import the spreadsheet inside."},
    "import_hint_choose": {
        "vi": "Hãy chọn đúng tệp bảng tính ({allowed}).",
        "en": "Choose the right spreadsheet file ({allowed})."},
    # What a file that is no spreadsheet looks like (importing/sniff.py)
    "file_kind_word": {"vi": "tài liệu Word", "en": "a Word document"},
    "file_kind_odt": {"vi": "văn bản OpenDocument", "en": "an OpenDocument text"},
    "file_kind_powerpoint": {"vi": "bản trình chiếu PowerPoint",
                             "en": "a PowerPoint presentation"},
    "file_kind_odp": {"vi": "bản trình chiếu OpenDocument",
                      "en": "an OpenDocument presentation"},
    "file_kind_pdf": {"vi": "tài liệu PDF", "en": "a PDF document"},
    "file_kind_html": {"vi": "trang web HTML", "en": "an HTML web page"},
    "file_kind_zip": {"vi": "tệp nén ZIP", "en": "a ZIP archive"},
    "file_kind_rar": {"vi": "tệp nén RAR", "en": "a RAR archive"},
    "file_kind_7z": {"vi": "tệp nén 7z", "en": "a 7z archive"},
    "file_kind_image": {"vi": "hình ảnh", "en": "an image"},
    "file_kind_program": {"vi": "tệp chương trình", "en": "a program file"},
    "file_kind_binary": {"vi": "dữ liệu nhị phân không rõ loại",
                         "en": "binary data of an unknown kind"},
    "import_no_sheet": {
        "vi": "Tệp không có trang tính '{value}'. Các trang có trong tệp: {allowed}.",
        "en": "The file has no sheet '{value}'. Its sheets: {allowed}."},
    "import_no_header": {
        "vi": "Không tìm thấy dòng tiêu đề (Họ và tên, Mã số BHXH, Số CCCD, Ngày sinh …) "
              "trong {where}. Hãy kiểm tra đúng trang tính, hoặc chỉ rõ cột bằng --mapping.",
        "en": "No header row (Full name, BHXH number, Citizen ID, Date of birth …) was "
              "found in {where}. Check that it is the right sheet, or name the columns "
              "with --mapping."},
    "import_no_identity": {
        "vi": "Không có cột nào chứa mã số BHXH, số CCCD hoặc số CMND, nên không xác định "
              "được người lao động. Cột chưa nhận ra: {columns}. Hãy chỉ rõ bằng --mapping.",
        "en": "No column holds the BHXH number, citizen ID or old ID number, so the "
              "workers cannot be identified. Columns not recognised: {columns}. Name them "
              "with --mapping."},
    "import_unmatched": {
        "vi": "Chưa xác định được cột cho: {fields}. Các cột chưa nhận ra: {columns}. Hãy "
              "chỉ rõ cột nào là gì bằng --mapping TỆP (ví dụ {{\"{example}\": "
              "\"full_name\"}}); lựa chọn sẽ được ghi nhớ cho các tệp cùng mẫu.",
        "en": "No column was found for: {fields}. Columns not recognised: {columns}. Say "
              "which column is which with --mapping FILE (e.g. {{\"{example}\": "
              "\"full_name\"}}); the choice is remembered for files of the same layout."},
    "import_bad_mapping": {
        "vi": "Tệp ánh xạ cột {path} không hợp lệ: {detail}",
        "en": "The column mapping file {path} is not valid: {detail}"},
    "import_mapping_column": {
        "vi": "không có cột '{value}' trong tệp (các cột: {allowed}).",
        "en": "there is no column '{value}' in the file (columns: {allowed})."},
    "import_mapping_target": {
        "vi": "không biết trường '{value}' (dùng: {allowed}).",
        "en": "unknown field '{value}' (use: {allowed})."},
    "import_mapping_twice": {
        "vi": "trường '{value}' được gán cho hai cột ({columns}).",
        "en": "field '{value}' is given to two columns ({columns})."},
    "import_legacy": {
        "vi": "Cột '{column}' được gõ bằng phông {encoding} cũ; đã chuyển sang Unicode.",
        "en": "Column '{column}' was typed in the old {encoding} font; converted to "
              "Unicode."},
    "import_ignored_column": {
        "vi": "Bỏ qua cột '{column}' (không nhận ra).",
        "en": "Column '{column}' was ignored (not recognised)."},
    # One cell
    "import_legacy_cell": {
        "vi": "ô này được gõ bằng phông TCVN3/VNI cũ; đã chuyển sang Unicode: {value}.",
        "en": "this cell was typed in an old TCVN3/VNI font; converted to Unicode: "
              "{value}."},
    "import_zeros_restored": {
        "vi": "Excel đã làm mất số 0 ở đầu; đã khôi phục thành {value}.",
        "en": "Excel dropped the leading zeros; restored to {value}."},
    "import_number_mangled": {
        "vi": "Excel đã lưu '{value}' dạng số nên làm sai các chữ số. Hãy định dạng cột là "
              "Văn bản (Text), gõ lại mã này rồi nhập lại.",
        "en": "Excel stored '{value}' as a number and changed its digits. Format the column "
              "as Text, type the number again and re-import."},
    "import_not_whole": {
        "vi": "số tiền '{value}' có phần lẻ; chỉ nhận số đồng tròn.",
        "en": "the amount '{value}' has a fraction; only whole đồng are accepted."},
    "import_bad_gender": {
        "vi": "'{value}' không phải giới tính (Nam hoặc Nữ).",
        "en": "'{value}' is not a gender (Nam or Nữ)."},
    "import_bad_int": {
        "vi": "'{value}' không phải số nguyên.",
        "en": "'{value}' is not a whole number."},
    "import_bad_flag": {
        "vi": "'{value}' không phải có hoặc không (ghi 1, x hoặc có; để trống hoặc 0 là "
              "không).",
        "en": "'{value}' is not yes or no (write 1, x or yes; empty or 0 is no)."},
    "import_idcard_kind": {
        "vi": "'{value}' không phải số CCCD (12 chữ số) hay CMND (9 chữ số).",
        "en": "'{value}' is neither a citizen ID (12 digits) nor an old ID (9 digits)."},
    # One row
    "import_duplicate_row": {
        "vi": "trùng người lao động với dòng {other} của cùng tệp.",
        "en": "the same worker as row {other} of this file."},
    "import_conflict": {
        "vi": "mã số BHXH và số CCCD/CMND trên dòng này thuộc về hai người lao động khác "
              "nhau đã có trong chương trình (#{first} và #{second}).",
        "en": "the BHXH number and the ID number on this row belong to two different "
              "workers already in the program (#{first} and #{second})."},
    "import_person_conflict": {
        "vi": "{key} là của người lao động #{worker} đã lưu nhưng khác {fields}. Bản đã "
              "lưu: {stored}. Bản trong tệp: {incoming}. Người lao động này chưa thay đổi.",
        "en": "{key} is stored worker #{worker}'s, but the {fields} differ. Stored: "
              "{stored}. In the file: {incoming}. This worker was not changed."},
    "import_person_taken": {
        "vi": "{key} là của người lao động #{worker} đã lưu nhưng khác {fields}; đã chọn "
              "dùng bản trong tệp. Bản cũ: {stored}. Bản mới: {incoming}.",
        "en": "{key} is stored worker #{worker}'s, but the {fields} differed; the file's "
              "version was chosen. Before: {stored}. Now: {incoming}."},
    "import_unknown_worker": {
        "vi": "chưa có người lao động '{value}' trong chương trình; hãy nhập danh sách "
              "người lao động trước (ibhxh workers import).",
        "en": "worker '{value}' is not in the program yet; import the workers first "
              "(ibhxh workers import)."},
    "import_no_worker_key": {
        "vi": "cần mã số BHXH, số CCCD hoặc số CMND của người lao động.",
        "en": "needs the worker's BHXH number, citizen ID or old ID number."},
    # The outcome
    "import_rows_failed": {
        "vi": "{failed} dòng có lỗi. {outcome}",
        "en": "{failed} rows have errors. {outcome}"},
    "import_nothing_saved": {
        "vi": "Chưa có gì được lưu (chế độ tất cả hoặc không).",
        "en": "Nothing was saved (all or nothing)."},
    "import_valid_saved": {
        "vi": "Đã lưu các dòng hợp lệ: {added} người mới, {updated} người cập nhật.",
        "en": "The valid rows were saved: {added} new, {updated} updated."},
    "import_report_written": {
        "vi": "Báo cáo lỗi: {path} (sửa các ô tô đỏ rồi nhập lại tệp này).",
        "en": "Error report: {path} (fix the cells marked red, then import that file)."},
    "import_conflicts": {
        "vi": "{count} dòng khác với người lao động đã lưu (họ tên, ngày sinh hoặc mã số): "
              "các dòng {rows}; những người này chưa thay đổi.",
        "en": "{count} rows disagree with stored workers (name, date of birth or an ID "
              "number): rows {rows}; those workers were not changed."},
    "import_taken": {
        "vi": "Đã dùng bản trong tệp cho các dòng {rows}.",
        "en": "The file's version was used for rows {rows}."},
    "import_done": {
        "vi": "Đã nhập {rows} dòng: {added} người mới, {updated} người cập nhật, "
              "{unchanged} không đổi.",
        "en": "Imported {rows} rows: {added} new, {updated} updated, {unchanged} "
              "unchanged."},
    # Row and status words of the report
    "import_status_imported": {"vi": "Đã nhập", "en": "Imported"},
    "import_status_warning": {"vi": "Cảnh báo", "en": "Warning"},
    "import_status_error": {"vi": "Lỗi", "en": "Error"},
    "import_report_row": {"vi": "Dòng", "en": "Row"},
    "import_report_status": {"vi": "Kết quả", "en": "Result"},
    "import_report_column": {"vi": "Cột", "en": "Column"},
    "import_report_message": {"vi": "Nội dung", "en": "Message"},
    "import_report_source_row": {"vi": "Dòng trong tệp gốc", "en": "Row in the original file"},
    "import_report_problems": {"vi": "Lỗi cần sửa", "en": "Problems to fix"},
    "import_sheet_errors": {"vi": "Dòng lỗi", "en": "Rows with errors"},
    "import_sheet_results": {"vi": "Kết quả từng dòng", "en": "Result per row"},
    "import_sheet_conflicts": {"vi": "Khác bản đã lưu", "en": "Unlike the stored"},
    "import_report_worker": {"vi": "Người lao động", "en": "Worker"},
    "import_report_field": {"vi": "Thông tin", "en": "Detail"},
    "import_report_stored": {"vi": "Bản đã lưu", "en": "Stored version"},
    "import_report_file": {"vi": "Bản trong tệp", "en": "The file's version"},
    "import_report_stored_value": {"vi": "Bản đã lưu: {value}", "en": "Stored: {value}"},
    "template_lists": {"vi": "Danh mục", "en": "Code lists"},
    # Benefit claims and months of contribution (services.claims)
    "import_claim_other_person": {
        "vi": "số {key} là của người lao động #{worker} {stored}, không phải {name}.",
        "en": "number {key} belongs to worker #{worker} {stored}, not to {name}."},
    "import_duplicate_claim": {
        "vi": "trùng yêu cầu ở dòng {other} của cùng tệp (cùng người, chế độ và ngày nghỉ).",
        "en": "the same claim as row {other} of this file (same worker, kind and dates)."},
    "import_claim_filed": {
        "vi": "yêu cầu này (#{id}: cùng người, chế độ và ngày nghỉ) đã nằm trong hồ sơ "
              "{dossier} ({state}); tệp nhập không sửa được nó.",
        "en": "this claim (#{id}: same worker, kind and dates) is in dossier {dossier} "
              "({state}) already; an import cannot change it."},
    "import_stint_overlap": {
        "vi": "các tháng trùng với dòng {other} của cùng người lao động.",
        "en": "the months overlap row {other} of the same worker."},
    "import_stint_worker_failed": {
        "vi": "chưa lưu: dòng {rows} của cùng người lao động có lỗi (quá trình đóng của một "
              "người được thay cả một lần).",
        "en": "not saved: row(s) {rows} of the same worker have errors (a worker's months "
              "are replaced all at once)."},
    "claims_import_done": {
        "vi": "Đã nhập {rows} dòng: {added} yêu cầu mới, {updated} yêu cầu cập nhật, "
              "{unchanged} không đổi.",
        "en": "Imported {rows} rows: {added} new claims, {updated} updated, {unchanged} "
              "unchanged."},
    "claims_import_valid_saved": {
        "vi": "Đã lưu các dòng hợp lệ: {added} yêu cầu mới, {updated} yêu cầu cập nhật.",
        "en": "The valid rows were saved: {added} new claims, {updated} updated."},
    "history_import_done": {
        "vi": "Đã nhập {rows} dòng: quá trình đóng của {workers} người lao động.",
        "en": "Imported {rows} rows: the contribution months of {workers} workers."},
    "history_import_valid_saved": {
        "vi": "Đã lưu quá trình đóng của {workers} người lao động có mọi dòng hợp lệ.",
        "en": "Saved the contribution months of the {workers} workers whose rows are all "
              "valid."},
    "claims_template_hint": {
        "vi": "Mỗi dòng một yêu cầu hưởng chế độ của một người lao động. Ngày: dd/mm/yyyy; "
              "mã số BHXH, CCCD, số tài khoản giữ nguyên số 0 ở đầu. Loại chế độ và hình thức "
              "nhận: chọn trong danh sách. Ngày nghỉ trong tuần: 7 là Chủ nhật, 67 là thứ "
              "Bảy và Chủ nhật (để trống: theo đơn vị). Phẫu thuật/sinh mổ, điều kiện làm "
              "việc nặng nhọc: ghi 'có' hoặc để trống.",
        "en": "One benefit claim of one worker per row. Dates dd/mm/yyyy; keep the leading "
              "zeros of BHXH and ID numbers and bank accounts. Kind and way of payment: pick "
              "from the list. Weekly rest days: 7 is Sunday, 67 Saturday and Sunday (empty: "
              "the unit's). Surgery or caesarean, heavy work: write 'yes' or leave empty."},
    "history_template_hint": {
        "vi": "Mỗi dòng một giai đoạn đóng BHXH của một người lao động: từ tháng, đến tháng "
              "(mm/yyyy; để trống nếu vẫn đang đóng) và mức lương đóng. Các giai đoạn của một "
              "người không được trùng nhau.",
        "en": "One stretch of contributions of one worker per row: from month, to month "
              "(mm/yyyy; empty while still contributing) and the contribution salary. One "
              "worker's stretches must not overlap."},
    "template_hint": {
        "vi": "Mỗi dòng một người. Ngày: dd/mm/yyyy (ngày sinh có thể chỉ ghi mm/yyyy hoặc "
              "năm); tháng: mm/yyyy; mã số BHXH, CCCD giữ nguyên số 0 ở đầu.",
        "en": "One person per row. Dates dd/mm/yyyy (a birth date may be mm/yyyy or a "
              "year); months mm/yyyy; keep the leading zeros of BHXH and ID numbers."},
}

for _code, _texts in MESSAGES.items():
    _core.MESSAGES.setdefault(_code, _texts)


def text(code: str, lang: str = "vi", **params: object) -> str:
    """The sentence for ``code`` in ``lang``, its placeholders filled."""
    return _core.say(code, lang, **params)
