"""A long list of problems told in a few lines: what a terminal shows when more rows fail
than fit on a screen. Each kind of problem (the field and what is wrong with it) gets one
line with its count, an example and the first rows; the full list goes to a report file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .messages import word
from .text import vnd

SCREENFUL = 20  # more problems than this are summarised on a terminal
FIRST_ROWS = 6  # rows named for each kind

TEXT = {
    "kind": {"vi": "{field}: {count} dòng (dòng {rows}). Ví dụ: {example}",
             "en": "{field}: {count} rows (rows {rows}). For example: {example}"},
    "more_rows": {"vi": "{rows}, … và {more} dòng nữa", "en": "{rows}, … and {more} more"},
    "header": {"vi": "{count} lỗi thuộc {kinds} loại:", "en": "{count} errors of {kinds} kinds:"},
    "all_one_column": {
        "vi": "Mọi dòng đều lỗi ở {field}: có lẽ cột này được ghép sai. Chỉ rõ cột nào là "
              "trường nào bằng tùy chọn --mapping TỆP (JSON hoặc TOML: cột → trường).",
        "en": "Every row fails on {field}: this column is probably mapped wrong. Say which "
              "column is which field with the --mapping FILE option (JSON or TOML: column "
              "→ field)."},
    "full_list": {"vi": "Danh sách đầy đủ: {path}", "en": "The full list: {path}"},
}


class Issue(Protocol):
    """What a problem needs to be summarised: its row, its code and its sentence."""

    row: int | None
    code: str

    def text(self, lang: str = "vi") -> str: ...


@dataclass
class Kind:
    """One kind of problem: the field it is in, what is wrong, and the rows it is on."""

    field: str
    code: str
    example: str
    rows: list[int] = field(default_factory=list)

    def line(self, lang: str = "vi") -> str:
        shown = ", ".join(str(r) for r in self.rows[:FIRST_ROWS])
        if len(self.rows) > FIRST_ROWS:
            shown = word(TEXT, "more_rows", lang, rows=shown, more=vnd(len(self.rows)
                                                                        - FIRST_ROWS))
        return word(TEXT, "kind", lang, field=self.field, count=vnd(len(self.rows)),
                    rows=shown, example=self.example)


def kinds(issues: Iterable[Issue], field_of: Callable[[Any], str],
          lang: str = "vi") -> list[Kind]:
    """The issues grouped by (field, code), the largest group first; each keeps the rows
    in the order met and the first issue's sentence as its example."""
    groups: dict[tuple[str, str], Kind] = {}
    for issue in issues:
        key = (field_of(issue), issue.code)
        kind = groups.get(key)
        if kind is None:
            kind = groups[key] = Kind(key[0], issue.code, issue.text(lang))
        if issue.row is not None and (not kind.rows or kind.rows[-1] != issue.row):
            kind.rows.append(issue.row)
    return sorted(groups.values(), key=lambda k: -len(k.rows))


def summary(issues: list[Issue], field_of: Callable[[Any], str], lang: str = "vi",
            rows_checked: int | None = None) -> list[str]:
    """The lines a terminal shows for many issues. When every one of ``rows_checked``
    rows failed on the same field, the last line says its column is probably mapped
    wrong and names the mapping option."""
    found = kinds(issues, field_of, lang)
    lines = [word(TEXT, "header", lang, count=vnd(len(issues)), kinds=len(found))]
    lines += ["  - " + k.line(lang) for k in found]
    if rows_checked:
        rows_by_field: dict[str, set[int]] = {}
        for kind in found:
            rows_by_field.setdefault(kind.field, set()).update(kind.rows)
        for name, rows in rows_by_field.items():
            if len(rows) >= rows_checked:
                lines.append(word(TEXT, "all_one_column", lang, field=name))
                break
    return lines


def full_list_line(path: str, lang: str = "vi") -> str:
    """Where the full list was written."""
    return word(TEXT, "full_list", lang, path=path)
