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
    "import_other_bhxh": {
        "vi": "số CCCD/CMND này đã thuộc về người lao động #{other} có mã số BHXH khác.",
        "en": "this ID number already belongs to worker #{other}, who has another BHXH "
              "number."},
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
    "template_lists": {"vi": "Danh mục", "en": "Code lists"},
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
