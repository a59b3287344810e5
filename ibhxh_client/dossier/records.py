"""From a declaration to the values of each form it needs, and back.

The form definitions say where each field's value comes from ("worker.full_name",
"line.salary", "employer.tax_code", "row.stt" …); this module follows those paths, so no
form is written by hand here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..domain.claims import Claim
from ..domain.formspec import CodeList, FormSpec, GroupSpec, Procedure
from ..domain.model import (
    Declaration,
    DeclarationLine,
    Employer,
    SupportingDocument,
    Worker,
)
from ..domain.needs import NeedFacts, needed
from ..domain.validation import FormData
from ..domain.values import is_empty


@dataclass(frozen=True)
class Totals:
    """Figures a form header shows about its rows: a contribution list's count, salaries
    and amount due; a claim list's count and ``amount`` (the amounts asked)."""

    count: int
    salary: int
    due: int
    amount: int = 0


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


def need_facts(decl: Declaration, workers: Mapping[int, Worker],
               lines_form: str = "") -> NeedFacts:
    """What procedures.toml's conditions ask about this declaration."""
    return NeedFacts(
        lines_form=lines_form,
        without_bhxh=tuple(row for row, line in enumerate(decl.lines, start=1)
                           if not workers[line.worker_id].bhxh_number),
        late=tuple(row for row, line in enumerate(decl.lines, start=1)
                   if line.from_month < decl.period),
        first_registration=decl.first_registration)


def needed_forms(procedure: Procedure, decl: Declaration,
                 workers: Mapping[int, Worker]) -> list[str]:
    """The form codes this declaration needs, by the procedure's rules (procedures.toml)."""
    return needed(procedure, need_facts(decl, workers))


def _issuer(doc_type: str, employer: Employer, codelists: Mapping[str, CodeList] | None) -> str:
    """Who issues a document of this type: the code list's ``issuer`` (a citizen ID card:
    the police), else the unit itself (its decisions, its contracts)."""
    types = (codelists or {}).get("document_types")
    return (types.column(doc_type, "issuer", "") if types else "") or employer.name


def derive_documents(decl: Declaration, employer: Employer, procedure: Procedure | None = None,
                     codelists: Mapping[str, CodeList] | None = None
                     ) -> list[SupportingDocument]:
    """D01-TS rows from the lines, as the procedure says (``documents``): one for each
    late or retroactive line, from its decision (600: "late"), or one for each line, the
    document behind its change (608: "every"); none otherwise."""
    kind = procedure.documents if procedure is not None else "late"
    if kind == "every":
        return [SupportingDocument(
            worker_id=line.worker_id, doc_type=line.doc_type, number=line.decision_number,
            issue_date=line.decision_date, effective_date=line.decision_date,
            issuer=_issuer(line.doc_type, employer, codelists),
            summary=line.change[:500]) for line in decl.lines]
    if kind != "late":
        return []
    return [
        SupportingDocument(
            worker_id=line.worker_id, doc_type=line.doc_type or "QD",
            number=line.decision_number, issue_date=line.decision_date,
            effective_date=line.from_month.first_day,
            issuer=_issuer(line.doc_type or "QD", employer, codelists),
            summary=f"{line.plan} từ tháng {line.from_month}",
        )
        for line in late_lines(decl)
    ]


class _About:
    """What a field may say about its own form ("form.title") or the dossier it is in
    ("dossier.other_forms": the forms it goes with, as D01-TS's KemTheo names them)."""

    def __init__(self, **values: str) -> None:
        self.__dict__.update(values)


def _items(spec: FormSpec, source: str, decl: Declaration, employer: Employer,
           workers: Mapping[int, Worker], procedure: Procedure,
           codelists: Mapping[str, CodeList] | None) -> Iterable[Any]:
    """The rows' objects, by where the definition (or the procedure) says they come from."""
    if source == "documents":
        return decl.documents or derive_documents(decl, employer, procedure, codelists)
    if source == "new_workers":
        return [line for line in decl.lines if not workers[line.worker_id].bhxh_number]
    if source == "claims":
        return decl.claims
    return decl.lines


def _objects(item: Any, workers: Mapping[int, Worker]) -> dict[str, Any]:
    """What a row's field sources name, for one row's object: a line, a claim or a
    document, with its worker."""
    if isinstance(item, DeclarationLine):
        return {"line": item, "worker": workers[item.worker_id]}
    if isinstance(item, Claim):
        return {"claim": item, "worker": workers[item.worker_id]}
    return {"doc": item, "worker": workers.get(item.worker_id) if item.worker_id else None}


def build_forms(forms: Mapping[str, FormSpec], procedure: Procedure, employer: Employer,
                workers: Mapping[int, Worker], decl: Declaration, totals: Totals,
                codelists: Mapping[str, CodeList] | None = None) -> list[FormData]:
    """The values of every form the declaration needs, in the procedure's order: one file
    per form, TK1-TS included (one row per worker without a BHXH number, or per line where
    the procedure says so), M01B-HSB a row per claim (``decl.claims``). ``codelists``:
    what a derived D01-TS row's issuer comes from."""
    codes = needed_forms(procedure, decl, workers)
    base = {"employer": employer, "declaration": decl, "totals": totals}
    out = []
    for code in codes:
        spec = forms[code]
        about = {"form": _About(title=spec.title["vi"]),
                 "dossier": _About(other_forms=", ".join(c for c in codes if c != code))}
        header = _record(_getters(spec.header), {**base, **about})
        rows: list[dict[str, Any]] = []
        if spec.rows is not None:
            need = procedure.need(code)
            source = (need.rows if need else None) or spec.rows.source or "lines"
            getters = _getters(spec.rows)
            items = _items(spec, source, decl, employer, workers, procedure, codelists)
            for stt, item in enumerate(items, start=1):
                objs = {**base, **about, "row": _Row(stt), **_objects(item, workers)}
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
