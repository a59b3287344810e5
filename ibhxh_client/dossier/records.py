"""From a declaration to the values of each form it needs, and back.

The form definitions say where each field's value comes from ("worker.full_name",
"line.salary", "employer.tax_code", "row.stt" …); this module follows those paths, so no
form is written by hand here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..domain.formspec import FormSpec, GroupSpec, Procedure
from ..domain.model import (
    Declaration,
    DeclarationLine,
    Employer,
    SupportingDocument,
    Worker,
)
from ..domain.validation import FormData
from ..domain.values import is_empty


@dataclass(frozen=True)
class Totals:
    """Figures a form header shows about its rows."""

    count: int
    salary: int
    due: int


class _Row:
    """The row number a form shows (STT)."""

    __slots__ = ("stt",)

    def __init__(self, stt: int) -> None:
        self.stt = stt


def _getters(group: GroupSpec) -> list[tuple[str, str, str]]:
    return [(f.name, f.owner, f.attr) for f in group.fields]


def _record(getters: list[tuple[str, str, str]], objs: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for name, owner, attr in getters:
        obj = objs.get(owner)
        out[name] = getattr(obj, attr, None) if obj is not None else None
    return out


def late_lines(decl: Declaration) -> list[DeclarationLine]:
    """Lines that start before the declared period: late decreases, retroactive changes."""
    return [line for line in decl.lines if line.from_month < decl.period]


CONDITIONS: dict[str, Callable[[Declaration, Mapping[int, Worker]], bool]] = {
    "always": lambda decl, workers: True,
    "worker_without_bhxh": lambda decl, workers: any(
        not workers[line.worker_id].bhxh_number for line in decl.lines),
    "first_registration": lambda decl, workers: decl.first_registration,
    "late_or_retroactive": lambda decl, workers: bool(late_lines(decl)),
}


def needed_forms(procedure: Procedure, decl: Declaration,
                 workers: Mapping[int, Worker]) -> list[str]:
    """The form codes this declaration needs, by the procedure's rules (procedures.toml)."""
    return [need.form for need in procedure.forms if CONDITIONS[need.when](decl, workers)]


def derive_documents(decl: Declaration, employer: Employer) -> list[SupportingDocument]:
    """D01-TS rows for late or retroactive lines, from each line's decision."""
    return [
        SupportingDocument(
            worker_id=line.worker_id, doc_type="QD", number=line.decision_number,
            issue_date=line.decision_date, effective_date=line.from_month.first_day,
            issuer=employer.name,
            summary=f"{line.plan} từ tháng {line.from_month}",
        )
        for line in late_lines(decl)
    ]


def build_forms(forms: Mapping[str, FormSpec], procedure: Procedure, employer: Employer,
                workers: Mapping[int, Worker], decl: Declaration, totals: Totals) -> list[FormData]:
    """The values of every form the declaration needs, in the procedure's order."""
    base = {"employer": employer, "declaration": decl, "totals": totals}
    out = []
    for code in needed_forms(procedure, decl, workers):
        spec = forms[code]
        if spec.per == "worker":
            getters = _getters(spec.header)
            for stt, line in enumerate(decl.lines, start=1):
                worker = workers[line.worker_id]
                if not worker.bhxh_number:
                    header = _record(getters, {**base, "worker": worker, "line": line,
                                               "row": _Row(stt)})
                    out.append(FormData(spec, header))
            continue
        header = _record(_getters(spec.header), base)
        rows: list[dict[str, Any]] = []
        if spec.rows is not None:
            getters = _getters(spec.rows)
            items: Iterable[Any]
            if spec.rows.source == "documents":
                items = decl.documents or derive_documents(decl, employer)
            else:
                items = decl.lines
            for stt, item in enumerate(items, start=1):
                objs = {**base, "row": _Row(stt)}
                if isinstance(item, DeclarationLine):
                    objs["line"] = item
                    objs["worker"] = workers[item.worker_id]
                else:
                    objs["doc"] = item
                    objs["worker"] = workers.get(item.worker_id) if item.worker_id else None
                rows.append(_record(getters, objs))
        out.append(FormData(spec, header, rows))
    return out


def _kwargs(group: GroupSpec, record: Mapping[str, Any], owner: str) -> dict[str, Any]:
    out = {}
    for f in group.fields:
        if f.owner == owner and not is_empty(f.type, record.get(f.name), f.required):
            out[f.attr] = record[f.name]
    return out


def lines_from_form(data: FormData) -> list[tuple[dict[str, Any], DeclarationLine]]:
    """Each D02-LT row read back as (the worker's fields, the declaration line).

    ``worker_id`` is 0: a file names workers by BHXH number or CCCD, which the caller
    matches against its own list.
    """
    assert data.spec.rows is not None
    line_names = {f.name for f in fields(DeclarationLine)}
    out = []
    for record in data.rows:
        kwargs = {k: v for k, v in _kwargs(data.spec.rows, record, "line").items()
                  if k in line_names}
        worker = _kwargs(data.spec.rows, record, "worker")
        out.append((worker, DeclarationLine(worker_id=0, **kwargs)))
    return out
