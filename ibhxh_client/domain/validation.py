"""Checks a form's records against its definition, then against the rules it names.

Nothing here is written per form: field checks come from the FieldSpec (type, length,
code list, identifier check) and row rules are looked up by the names a form lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import ids
from .formspec import CodeList, FieldSpec, FormSpec, Procedure
from .messages import say
from .model import Period, WorkerStatus
from .values import is_empty, type_ok

_NAME = re.compile(r"^[^\W\d_]+(?:[ .'-]+[^\W\d_]+)*\.?$")

ID_CHECKS: dict[str, Callable[[str], str | None]] = {
    "bhxh": ids.check_bhxh,
    "cccd": ids.check_cccd,
    "cmnd": ids.check_cmnd,
    "tax_code": ids.check_tax_code,
    "bhyt_card": ids.check_bhyt_card,
    "kcb": ids.check_kcb,
    "unit_code": ids.check_unit_code,
    "agency_code": ids.check_agency_code,
    "phone": ids.check_phone,
    "email": ids.check_email,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with where it is: form, row (1-based, None for the header), field."""

    form: str
    row: int | None
    field: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    label: dict[str, str] | None = None
    severity: str = "error"

    def where(self, lang: str = "vi") -> str:
        place = (say("at_row", lang, form=self.form, row=self.row) if self.row is not None
                 else say("at_header", lang, form=self.form))
        if self.label:
            place += ", " + (self.label.get(lang) or self.label["vi"])
        return place

    def where_field(self, lang: str = "vi") -> str:
        """The form and field, without the row: what problems of one kind share."""
        label = (self.label.get(lang) or self.label["vi"]) if self.label else self.field
        return f"{self.form}, {label}" if label else self.form

    def text(self, lang: str = "vi") -> str:
        """The sentence alone, without the place."""
        kind = self.params.get("kind")
        if kind or self.code in ids.MESSAGES:
            return ids.describe(self.code, kind, lang)
        return say(self.code, lang, **self.params)

    def message(self, lang: str = "vi") -> str:
        """Place and sentence, as shown to the officer."""
        return f"{self.where(lang)}: {self.text(lang)}"

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"form": self.form, "row": self.row, "field": self.field, "code": self.code,
                "severity": self.severity, "message": self.message(lang)}


@dataclass
class FormData:
    """A form's values: the header fields and, for list forms, one dict per row."""

    spec: FormSpec
    header: dict[str, Any]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RuleContext:
    """What the rules need beyond a form's own values."""

    codelists: dict[str, CodeList]
    # (period, region) → the lowest contribution salary in VND (the rate table's floor)
    salary_floor: Callable[[Period, str], int] | None = None
    procedure: Procedure | None = None
    period: Period | None = None
    region: str = "I"
    status_of: Callable[[dict[str, Any]], WorkerStatus | None] | None = None


Issue = tuple[str, dict[str, Any]]  # (message code, params)


def field_checker(spec: FieldSpec, codelists: dict[str, CodeList]) -> Callable[[Any], Issue | None]:
    """A function that checks one non-empty value of this field."""
    ftype, max_length = spec.type, spec.max_length

    def check(value: Any) -> Issue | None:
        if not type_ok(ftype, value):
            return ("not_number" if ftype in ("int", "money", "decimal") else "bad_" + ftype,
                    {"value": value})
        if ftype in ("text", "name"):
            if max_length and len(value) > max_length:
                return "too_long", {"max": max_length}
            if ftype == "name" and not _NAME.match(value):
                return "bad_name", {"value": value}
        elif ftype == "id":
            code = ID_CHECKS[spec.check](value)
            if code:
                return code, {"value": value, "kind": spec.check}
        elif ftype == "code":
            if value not in codelists[spec.codelist]:
                return "not_in_list", {"value": value}
        elif ftype in ("int", "money", "decimal"):
            if value < 0:
                return "negative", {}
            if spec.max is not None and value > Decimal(str(spec.max)):
                return "too_large", {"max": spec.max}
        return None

    return check


def _checkers(fields: Iterable[FieldSpec], codelists: dict[str, CodeList]):
    return [(f, f.name, f.type, f.required, field_checker(f, codelists)) for f in fields]


def check_record(form: str, row: int | None, record: dict[str, Any], checkers) -> list[Problem]:
    """Field-by-field checks of one record (the header, or one row)."""
    problems = []
    for spec, name, ftype, required, check in checkers:
        value = record.get(name)
        if is_empty(ftype, value, required):
            if required:
                problems.append(Problem(form, row, name, "required", {}, spec.label))
            continue
        issue = check(value)
        if issue:
            problems.append(Problem(form, row, name, issue[0], issue[1], spec.label))
    return problems


def validate_form(data: FormData, ctx: RuleContext) -> list[Problem]:
    """Every problem of one form: its fields, then the rules its definition names and
    those its procedure adds to it."""
    from .rules import ROW_RULES, TABLE_RULES

    spec = data.spec
    # the form's own rules, then those the procedure adds to it (forms/procedures.toml)
    names = spec.rules + (ctx.procedure.rules_for(spec.code) if ctx.procedure else ())
    problems = check_record(spec.code, None, data.header,
                            _checkers(spec.header.fields, ctx.codelists))
    if spec.rows is None:
        rule_fns = [ROW_RULES[name] for name in names if name in ROW_RULES]
        for fn in rule_fns:
            problems += _rule_problems(spec, None, fn(data.header, ctx))
        return problems
    checkers = _checkers(spec.rows.fields, ctx.codelists)
    rule_fns = [ROW_RULES[name] for name in names if name in ROW_RULES]
    for index, record in enumerate(data.rows, start=1):
        row = record.get("stt") or index
        row_problems = check_record(spec.code, row, record, checkers)
        problems += row_problems
        bad_fields = {p.field for p in row_problems}
        for fn in rule_fns:
            problems += [p for p in _rule_problems(spec, row, fn(record, ctx))
                         if p.field not in bad_fields]
    for name in names:
        if name in TABLE_RULES:
            for row, fname, code, params in TABLE_RULES[name](data.rows, ctx):
                problems.append(_problem(spec, row, fname, code, params))
    if not data.rows:
        problems.append(Problem(spec.code, None, None, "no_lines"))
    return problems


def procedure_rule_problems(data: FormData, ctx: RuleContext) -> list[Problem]:
    """Only the rules the procedure adds to this form (forms/procedures.toml), on a form
    read from an envelope: what a gateway holds a dossier to beyond its schema."""
    from .rules import ROW_RULES, TABLE_RULES

    spec = data.spec
    names = ctx.procedure.rules_for(spec.code) if ctx.procedure else ()
    problems: list[Problem] = []
    records = [(None, data.header)] if spec.rows is None else [
        (record.get("stt") or index, record) for index, record in enumerate(data.rows, 1)]
    for name in names:
        if name in ROW_RULES:
            for row, record in records:
                problems += _rule_problems(spec, row, ROW_RULES[name](record, ctx))
        elif name in TABLE_RULES:
            problems += [_problem(spec, row, fname, code, params)
                         for row, fname, code, params in TABLE_RULES[name](data.rows, ctx)]
    return problems


def _problem(spec: FormSpec, row: int | None, fname: str | None, code: str,
             params: dict[str, Any]) -> Problem:
    f = spec.find_field(fname) if fname else None
    return Problem(spec.code, row, fname, code, params, f.label if f else None)


def _rule_problems(spec: FormSpec, row: int | None, issues) -> list[Problem]:
    return [_problem(spec, row, fname, code, params) for fname, code, params in issues]
