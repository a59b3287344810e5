"""What a form is, as read from its definition under forms/: fields, groups, procedures.

These classes hold no behaviour beyond small look-ups: the validator, the XML writer, the
XSD generator and the printer all read them, so a new decree is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

FIELD_TYPES = ("text", "name", "id", "int", "money", "decimal", "date", "partial_date",
               "month", "code", "bool")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form: its XML element, value type, checks and labels."""

    name: str
    xml: str
    type: str
    source: str  # "worker.full_name", "line.salary", "row.stt" …
    label: dict[str, str]
    required: bool = False
    max_length: int | None = None
    codelist: str | None = None
    check: str | None = None  # identifier check name in domain.ids (bhxh, cccd …)
    max: float | None = None

    @property
    def owner(self) -> str:
        """The object the value comes from: worker, line, employer, declaration, doc …"""
        return self.source.split(".", 1)[0]

    @property
    def attr(self) -> str:
        return self.source.split(".", 1)[1]

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("vi") or self.name


@dataclass(frozen=True)
class GroupSpec:
    """A group of fields: the header block, or the repeated rows of a list."""

    element: str
    fields: tuple[FieldSpec, ...]
    container: str | None = None  # the list element holding the rows
    source: str | None = None  # "lines" or "documents" for rows

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @cached_property
    def by_xml(self) -> dict[str, FieldSpec]:
        """The fields by their XML element name (what reading a form looks them up by)."""
        return {f.xml: f for f in self.fields}


@dataclass(frozen=True)
class FormSpec:
    """A whole form: D02-LT, TK1-TS, TK3-TS, D01-TS …"""

    code: str
    root: str
    title: dict[str, str]
    file_name: str
    header: GroupSpec
    rows: GroupSpec | None = None
    per: str = "dossier"  # "dossier": one file; "worker": one file per worker
    rules: tuple[str, ...] = ()

    def groups(self) -> tuple[GroupSpec, ...]:
        return (self.header, self.rows) if self.rows else (self.header,)

    def find_field(self, name: str) -> FieldSpec | None:
        for group in self.groups():
            for f in group.fields:
                if f.name == name:
                    return f
        return None


@dataclass(frozen=True)
class FormNeed:
    """A form a procedure needs, and the condition under which it needs it."""

    form: str
    when: str


@dataclass(frozen=True)
class Procedure:
    """A procedure (thủ tục 600, 600a, 600b …): its plan codes and the forms it needs."""

    code: str
    name: dict[str, str]
    kind: str  # increase | decrease | adjust
    plans: tuple[str, ...]
    forms: tuple[FormNeed, ...]


@dataclass(frozen=True)
class CodeList:
    """A list of codes with their names; extra columns are kept by name."""

    name: str
    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def label(self, code: str, lang: str = "vi") -> str:
        entry = self.entries.get(code)
        return entry.get(lang, code) if entry else code

    def column(self, code: str, column: str, default: Any = None) -> Any:
        entry = self.entries.get(code)
        return entry.get(column, default) if entry else default
