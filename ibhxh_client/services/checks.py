"""Checks of the employer and of a worker, reusing the field definitions of the forms
that carry their data (TK3-TS for the unit; TK1-TS and D02-LT for a person)."""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..domain import ids
from ..domain.formspec import FieldSpec
from ..domain.model import Employer, PartialDate, Worker
from ..domain.validation import ID_CHECKS, Problem, RuleContext, check_record, field_checker
from ..domain.values import is_empty

# Without these the program cannot even name the unit or the person.
EMPLOYER_REQUIRED = frozenset({"name", "unit_code", "tax_code"})
WORKER_REQUIRED = frozenset({"full_name", "gender", "birth_date"})


def fields_of(catalog: Catalog, owner: str) -> dict[str, FieldSpec]:
    """One field definition per attribute of ``owner`` across every form."""
    out: dict[str, FieldSpec] = {}
    for form in catalog.forms.values():
        for group in form.groups():
            for f in group.fields:
                if f.owner == owner:
                    out.setdefault(f.attr, f)
    return out


def check_employer(catalog: Catalog, e: Employer) -> list[Problem]:
    """Problems with the unit's data (field names are Employer attributes)."""
    specs = fields_of(catalog, "employer")
    checkers = [(f, attr, f.type, attr in EMPLOYER_REQUIRED,
                 field_checker(f, catalog.codelists)) for attr, f in specs.items()]
    record = {attr: getattr(e, attr, None) for attr in specs}
    return check_record("TK3-TS", None, record, checkers)


_WORKER_CHECKERS: dict[int, WorkerChecker] = {}


def check_worker(catalog: Catalog, w: Worker, row: int | None = None) -> list[Problem]:
    """Problems with a worker's data: each field, the CCCD against birth and gender, and
    a BHXH number or a CCCD to know the person by."""
    key = id(catalog)  # one checker per catalogue: an import checks tens of thousands
    if key not in _WORKER_CHECKERS:
        _WORKER_CHECKERS[key] = WorkerChecker(catalog)
    return _WORKER_CHECKERS[key].check(w, row)


_AGREE_CODES = frozenset({"century", "birth_year", "gender"})  # from ids.check_cccd


class WorkerChecker:
    """The worker check, made fast for 50,000 rows: the problems the forms' field checks
    and the domain rules give, in their order (a test compares it with that composition
    on generated workers).

    A column of 50,000 cells holds a few thousand distinct values and a field check's
    verdict depends on the value alone, so each verdict is computed once per value;
    identifiers, which differ on every row, go straight to their check in ``domain.ids``.
    The two rules across fields (the CCCD against birth year and gender; a BHXH number or
    a CCCD) are those of ``domain.rules``, written out here for speed."""

    FORM = "TK1-TS"

    def __init__(self, catalog: Catalog) -> None:
        specs = fields_of(catalog, "worker")
        self.labels = {attr: f.label for attr, f in specs.items()}
        self.fields = []
        for attr, f in specs.items():
            required = attr in WORKER_REQUIRED
            direct = ID_CHECKS[f.check] if f.type == "id" and f.check in ID_CHECKS else None
            self.fields.append((attr, f, f.type, required, field_checker(f, catalog.codelists),
                                {}, direct))
        self.ctx = RuleContext(codelists=catalog.codelists)

    @staticmethod
    def _verdict(ftype: str, required: bool, check, value: Any):
        if is_empty(ftype, value, required):
            return ("required", {}) if required else None
        return check(value)

    def check(self, w: Worker, row: int | None = None) -> list[Problem]:
        problems: list[Problem] = []
        agree: str | None = None
        for attr, spec, ftype, required, check, memo, direct in self.fields:
            value = getattr(w, attr, None)
            if attr == "cccd" and value.__class__ is str and value:
                # One look at the CCCD for its own check and for rules.cccd_agrees: the
                # codes of the digits come first, then those of birth year and gender.
                born = w.birth_date if isinstance(w.birth_date, PartialDate) else None
                code = ids.check_cccd(value, birth_year=born.year if born else None,
                                      gender=w.gender or None)
                if code in _AGREE_CODES:
                    code, agree = None, code
                verdict = (code, {"value": value, "kind": spec.check}) if code else None
            elif direct is not None and value.__class__ is str and value:
                code = direct(value)
                verdict = (code, {"value": value, "kind": spec.check}) if code else None
            else:
                try:
                    verdict = memo[value]
                except KeyError:
                    verdict = memo[value] = self._verdict(ftype, required, check, value)
                except TypeError:
                    verdict = self._verdict(ftype, required, check, value)
            if verdict is not None:
                problems.append(Problem(self.FORM, row, attr, verdict[0], verdict[1],
                                        spec.label))
        if agree:
            problems.append(Problem(self.FORM, row, "cccd", agree,
                                    {"value": w.cccd, "kind": "cccd"}, self.labels["cccd"]))
        elif w.cccd:
            pass
        elif not w.bhxh_number and not any(p.field == "bhxh_number" for p in problems):
            # rules.identity
            problems.append(Problem(self.FORM, row, "bhxh_number", "identity_missing", {},
                                    self.labels["bhxh_number"]))
        return problems
