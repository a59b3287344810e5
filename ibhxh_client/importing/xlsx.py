"""Spreadsheets out (openpyxl): the error report, fill-in templates, worker and
declaration lists.

Every cell goes through ``put``: text that starts like a formula (= + - @, or a tab or
line break before one) is stored as a string cell with Excel's quote prefix, so no
spreadsheet program runs it, and the text reads back unchanged. Identifiers are written as
text, so their leading zeros survive the officer's editing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..catalog import Catalog
from ..domain.formspec import CodeList
from ..domain.messages import say
from ..domain.model import PartialDate, Period
from .columns import Target

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML at all
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"
TEXT_FORMAT = "@"
RED = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
YELLOW = PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C")
HEADER_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TEMPLATE_ROWS = 2000  # rows of a template that get the drop-down lists


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def put(ws: Worksheet, row: int, col: int, value: Any, *, text: bool = False) -> Cell:
    """Write one cell safely (see the module's docstring). ``text``: write the value as
    text whatever it is (identifiers)."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, PartialDate | Period):
        value = str(value)
    elif text and not isinstance(value, str):
        value = str(value)
    if isinstance(value, datetime):
        cell.value = value
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        cell.value = value
        # openpyxl reads a leading "=" as a formula; store every string as a string.
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
        if text:
            cell.number_format = TEXT_FORMAT
    else:
        cell.value = value
    return cell


def _header(ws: Worksheet, row: int, labels: Sequence[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = put(ws, row, col, label)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def _widths(ws: Worksheet, widths: Iterable[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def save(wb: Workbook, out: Path) -> None:
    """Write to a temporary name first: never a half-written file under the real name."""
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


# -- columns of the lists the program writes -------------------------------------------------

@dataclass(frozen=True)
class OutColumn:
    """A column of a written list: its target (for the header and the value's kind)."""

    target: Target
    width: int = 16

    @property
    def is_text(self) -> bool:
        return self.target.kind in ("id", "idcard") or self.target.name == "kcb_code"


WORKER_COLUMNS = ("full_name", "bhxh_number", "cccd", "cmnd", "birth_date", "gender",
                  "nationality", "ethnicity", "phone", "email", "birth_place",
                  "birth_province", "address", "address_province", "position", "salary",
                  "allowances", "kcb_code", "receive_method")
LINE_COLUMNS = ("stt", "full_name", "bhxh_number", "cccd", "birth_date", "gender",
                "position", "salary", "allowances", "plan", "from_month", "to_month",
                "leave_days", "decision_number", "decision_date", "note")
WIDTHS = {"full_name": 28, "birth_place": 30, "address": 36, "position": 24, "email": 26,
          "stt": 6, "note": 30, "plan": 22, "ethnicity": 14, "nationality": 18,
          "birth_province": 22, "address_province": 22, "receive_method": 18}


def out_columns(every: dict[str, Target], names: Sequence[str]) -> list[OutColumn]:
    return [OutColumn(every[n], WIDTHS.get(n, 16)) for n in names if n in every]


def code_choices(codelist: CodeList, lang: str = "vi") -> list[str]:
    """"CODE - name" for a drop-down list; the importer reads the code back."""
    return [f"{code} - {codelist.label(code, lang)}" for code in codelist.entries]


# -- template ------------------------------------------------------------------------------

def write_template(out: Path, columns: list[OutColumn], catalog: Catalog, lang: str = "vi",
                   sheet_title: str = "D02-LT", hint: str = "template_hint") -> None:
    """An empty list to fill in: one header row, text-formatted identifier columns, and
    drop-down lists for every column with a code list (on a hidden sheet); ``hint``: the
    message code of the instructions sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    _header(ws, 1, [c.target.label_in(lang) for c in columns])
    _widths(ws, [c.width for c in columns])
    lists = wb.create_sheet("DanhMuc")
    list_col = 0
    for col, column in enumerate(columns, start=1):
        letter = get_column_letter(col)
        target = column.target
        if column.is_text:
            ws.column_dimensions[letter].number_format = TEXT_FORMAT
        if target.kind == "money":
            ws.column_dimensions[letter].number_format = MONEY_FORMAT
        if target.kind == "gender":
            choices = [catalog.codelists["genders"].label(c, lang)
                       for c in catalog.codelists["genders"].entries]
        elif target.kind == "code":
            choices = code_choices(catalog.codelists[target.codelist or ""], lang)
        else:
            continue
        list_col += 1
        list_letter = get_column_letter(list_col)
        put(lists, 1, list_col, f"{say('template_lists', lang)}: {target.label_in(lang)}")
        for r, choice in enumerate(choices, start=2):
            put(lists, r, list_col, choice)
        rule = DataValidation(type="list", allow_blank=True, showErrorMessage=True,
                              formula1=f"=DanhMuc!${list_letter}$2:${list_letter}$"
                                       f"{len(choices) + 1}")
        rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(rule)
    lists.sheet_state = "hidden"
    hint_sheet = wb.create_sheet("HuongDan")
    put(hint_sheet, 1, 1, say(hint, lang)).alignment = WRAP
    hint_sheet.column_dimensions["A"].width = 100
    save(wb, out)


# -- lists ---------------------------------------------------------------------------------

def write_rows(out: Path, columns: list[OutColumn], rows: Iterable[dict[str, Any]],
               lang: str = "vi", sheet_title: str = "DS", title: Sequence[str] = ()) -> int:
    """A list with a header row (after optional title lines); returns the row count."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for r, line in enumerate(title, start=1):
        put(ws, r, 1, line).font = BOLD
    header_row = len(title) + (2 if title else 1)
    _header(ws, header_row, [c.target.label_in(lang) for c in columns])
    _widths(ws, [c.width for c in columns])
    count = 0
    for r, values in enumerate(rows, start=header_row + 1):
        count += 1
        for col, column in enumerate(columns, start=1):
            cell = put(ws, r, col, values.get(column.target.name), text=column.is_text)
            if column.target.kind == "money" and isinstance(cell.value, int):
                cell.number_format = MONEY_FORMAT
    save(wb, out)
    return count


# -- the error report ----------------------------------------------------------------------

@dataclass
class ReportRow:
    """One row of the source as the report shows it."""

    row: int  # 1-based row in the source sheet
    status: str  # imported | warning | error
    cells: list[Any]  # the row's cells as they will be written
    marks: dict[int, tuple[str, str]]  # column index → (severity, message)
    messages: list[str]  # every message of the row, place included


@dataclass
class ConflictLine:
    """One identity field of a row that disagrees with a stored worker: both versions."""

    row: int  # 1-based row in the source sheet
    worker: str  # the stored worker, "#12"
    label: str  # the field's name
    stored: str
    given: str  # the file's version
    severity: str  # error (the stored version kept) | warning (the file's taken) | ""


def write_report(out: Path, headers: list[str], text_columns: set[int],
                 rows: list[ReportRow], lang: str = "vi",
                 conflicts: Sequence[ConflictLine] = ()) -> None:
    """The report an officer fixes and imports again.

    Sheet 1 holds the rows that failed, with the same columns as the source: each bad
    cell red (yellow for a warning) with its message in a comment, and the row's messages
    and its row number in the source in two last columns, which the importer ignores when
    the corrected sheet comes back. Sheet 2 lists every row's result. When rows disagree
    with stored workers on the person, sheet 3 shows both versions side by side, the
    fields that differ marked.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = say("import_sheet_errors", lang)[:31]
    extra = [say("import_report_problems", lang), say("import_report_source_row", lang)]
    _header(ws, 1, headers + extra)
    _widths(ws, [18] * len(headers) + [60, 12])
    r = 1
    for item in rows:
        if item.status != "error":
            continue
        r += 1
        for col, value in enumerate(item.cells, start=1):
            cell = put(ws, r, col, value, text=(col - 1) in text_columns)
            mark = item.marks.get(col - 1)
            if mark:
                cell.fill = RED if mark[0] == "error" else YELLOW
                cell.comment = Comment(mark[1], "ibhxh")
        put(ws, r, len(headers) + 1, "\n".join(item.messages)).alignment = WRAP
        put(ws, r, len(headers) + 2, item.row)
    results = wb.create_sheet(say("import_sheet_results", lang)[:31])
    _header(results, 1, [say("import_report_row", lang), say("import_report_status", lang),
                         say("import_report_message", lang)])
    _widths(results, [8, 14, 100])
    for r, item in enumerate(rows, start=2):
        put(results, r, 1, item.row)
        cell = put(results, r, 2, say(f"import_status_{item.status}", lang))
        if item.status != "imported":
            cell.fill = RED if item.status == "error" else YELLOW
        put(results, r, 3, "\n".join(item.messages))
    if conflicts:
        _conflict_sheet(wb.create_sheet(say("import_sheet_conflicts", lang)[:31]),
                        conflicts, lang)
    save(wb, out)


def _conflict_sheet(ws: Worksheet, lines: Sequence[ConflictLine], lang: str) -> None:
    _header(ws, 1, [say(code, lang) for code in (
        "import_report_row", "import_report_worker", "import_report_field",
        "import_report_stored", "import_report_file")])
    _widths(ws, [8, 14, 18, 40, 40])
    for r, line in enumerate(lines, start=2):
        put(ws, r, 1, line.row)
        put(ws, r, 2, line.worker)
        put(ws, r, 3, line.label)
        for col, value in ((4, line.stored), (5, line.given)):
            cell = put(ws, r, col, value, text=True)
            if line.severity:
                cell.fill = RED if line.severity == "error" else YELLOW
