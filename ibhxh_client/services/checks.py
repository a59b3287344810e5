"""Checks of the employer and of a worker, reusing the field definitions of the forms
that carry their data (TK3-TS for the unit; TK1-TS and D02-LT for a person)."""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..domain.formspec import FieldSpec
from ..domain.model import Employer, Worker
from ..domain.rules import cccd_agrees, identity
from ..domain.validation import Problem, RuleContext, check_record, field_checker

# Without these the program cannot even name the unit or the person.
EMPLOYER_REQUIRED = frozenset({"name", "unit_code", "tax_code"})
WORKER_REQUIRED = frozenset({"full_name", "gender", "birth_date"})


def _fields_of(catalog: Catalog, owner: str) -> dict[str, FieldSpec]:
    """One field definition per attribute of ``owner`` across every form."""
    out: dict[str, FieldSpec] = {}
    for form in catalog.forms.values():
        for group in form.groups():
            for f in group.fields:
                if f.owner == owner:
                    out.setdefault(f.attr, f)
    return out


_CHECKERS: dict[tuple[int, str], tuple[dict[str, FieldSpec], list]] = {}


def _checkers(catalog: Catalog, owner: str, required: frozenset[str]):
    # Made once per catalogue: an import checks tens of thousands of workers.
    key = (id(catalog), owner)
    if key not in _CHECKERS:
        specs = _fields_of(catalog, owner)
        _CHECKERS[key] = (specs, [(f, attr, f.type, attr in required,
                                   field_checker(f, catalog.codelists))
                                  for attr, f in specs.items()])
    return _CHECKERS[key]


def _check(catalog: Catalog, owner: str, obj: Any, required: frozenset[str], form: str,
           row: int | None) -> list[Problem]:
    specs, checkers = _checkers(catalog, owner, required)
    record = {attr: getattr(obj, attr, None) for attr in specs}
    return check_record(form, row, record, checkers)


def check_employer(catalog: Catalog, e: Employer) -> list[Problem]:
    """Problems with the unit's data (field names are Employer attributes)."""
    return _check(catalog, "employer", e, EMPLOYER_REQUIRED, "TK3-TS", None)


def check_worker(catalog: Catalog, w: Worker, row: int | None = None) -> list[Problem]:
    """Problems with a worker's data: each field, the CCCD against birth and gender."""
    form = "TK1-TS"
    problems = _check(catalog, "worker", w, WORKER_REQUIRED, form, row)
    bad = {p.field for p in problems}
    record = {"so_cccd": w.cccd, "ngay_sinh": w.birth_date, "gioi_tinh": w.gender,
              "ma_so_bhxh": w.bhxh_number}
    ctx = RuleContext(codelists=catalog.codelists)
    labels = _checkers(catalog, "worker", WORKER_REQUIRED)[0]
    names = {"so_cccd": "cccd", "ma_so_bhxh": "bhxh_number"}
    for fname, code, params in cccd_agrees(record, ctx) + identity(record, ctx):
        attr = names[fname]
        if attr not in bad:
            problems.append(Problem(form, row, attr, code, params, labels[attr].label))
    return problems
