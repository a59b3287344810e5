"""A declaration to a validated dossier: the forms' values, their checks, each form's XML
checked against its schema, then the envelope checked against its own.

Nothing is handed out unless every check passed: a dossier with problems comes back as the
list of problems, never as XML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..catalog import Catalog
from ..domain import contributions as contrib
from ..domain import needs
from ..domain.model import (
    Declaration,
    DeclarationLine,
    Employer,
    Period,
    Worker,
    WorkerStatus,
)
from ..domain.validation import FormData, Problem, RuleContext, validate_form
from .envelope import DossierFile, envelope_element
from .records import Totals, build_forms, need_facts
from .xmlform import form_element, to_bytes
from .xsd import load_schema, schema_errors


@dataclass
class BuildResult:
    """The dossier's forms and, when they passed every check, its files and envelope."""

    forms: list[FormData]
    problems: list[Problem] = field(default_factory=list)
    files: list[DossierFile] = field(default_factory=list)
    envelope: bytes | None = None
    summary: contrib.ContributionSummary | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def line_salary(table: contrib.RateTable, decl: Declaration, line: DeclarationLine) -> int:
    """The salary contributions are computed on, for money and coefficient lines alike."""
    if line.coefficient:
        base = table.base_salary_at(decl.period.first_day)
        return contrib.coefficient_salary(line.coefficient, line.position_coef or 0,
                                          line.overframe_pct or 0, line.seniority_pct or 0,
                                          base)
    return contrib.contribution_salary(line.salary, line.allowances)


def summarise(catalog: Catalog, employer: Employer, decl: Declaration,
              salaries: list[int] | None = None) -> contrib.ContributionSummary:
    """Every fund's employer and employee totals for the declaration's lines
    (``salaries``: each line's ``line_salary``, when the caller has them)."""
    table = catalog.rates
    if salaries is None:
        salaries = [line_salary(table, decl, line) for line in decl.lines]
    items = [contrib.WorkerInput(salary, line.leave_days)
             for salary, line in zip(salaries, decl.lines, strict=True)]
    return contrib.compute_many(table, decl.period.first_day, employer.region, items,
                                reduced_accident_rate=employer.reduced_accident_rate)


def salary_floor(catalog: Catalog) -> Callable[[Period, str], int]:
    """The rules' salary floor: the rate table's, for a month and a region."""
    table = catalog.rates
    return lambda period, region: table.floor_at(period.first_day, region)


def rule_context(catalog: Catalog, employer: Employer, decl: Declaration,
                 status_of: Callable[[dict[str, Any]], WorkerStatus | None] | None = None,
                 ) -> RuleContext:
    """What the row and table rules need to know about this declaration."""
    return RuleContext(codelists=catalog.codelists, salary_floor=salary_floor(catalog),
                       procedure=catalog.procedures.get(decl.procedure), period=decl.period,
                       region=employer.region, status_of=status_of)


def schema_problems(xsd: Path, form: str, root: etree._Element) -> list[Problem]:
    """Where ``root`` breaks the schema at ``xsd``, as problems of ``form``."""
    return [Problem(form, None, None, "xsd", {"detail": e})
            for e in schema_errors(load_schema(xsd), root)]


def claim_totals(decl: Declaration) -> Totals:
    """A claim list's totals: how many claims, and the sum of the amounts asked (each
    claim's expected amount; one not computed yet counts nothing, and its row says so)."""
    return Totals(count=len(decl.claims), salary=0, due=0,
                  amount=sum(c.expected_amount or 0 for c in decl.claims))


def check_declaration(catalog: Catalog, employer: Employer, workers: Mapping[int, Worker],
                      decl: Declaration,
                      status_of: Callable[[dict[str, Any]], WorkerStatus | None] | None = None,
                      ) -> BuildResult:
    """The forms' values, the totals and every problem, without writing any XML: what the
    editor shows after each edit, and what printing draws from."""
    procedure = catalog.procedures.get(decl.procedure)
    if procedure is None:  # a dossier stored under a procedure the catalogue no longer has
        return BuildResult(forms=[], problems=needs.head_problems(
            catalog.procedures, decl.procedure, str(decl.period), catalog.retired_hints()))
    salaries: list[int] = []
    summary = None  # a procedure whose lines change no contribution (607, 608 …) has none
    if catalog.has_contributions(procedure):
        try:
            salaries = [line_salary(catalog.rates, decl, line) for line in decl.lines]
            summary = summarise(catalog, employer, decl, salaries)
        except ValueError:
            salaries, summary = [], None  # a period outside the rate table: said below
    totals = claim_totals(decl) if procedure.claims else Totals(
        count=len(decl.lines), salary=sum(salaries), due=summary.total if summary else 0)
    forms = build_forms(catalog.forms, procedure, employer, workers, decl, totals,
                        codelists=catalog.codelists)
    result = BuildResult(forms=forms, summary=summary)
    ctx = rule_context(catalog, employer, decl, status_of)
    for data in forms:
        result.problems += validate_form(data, ctx)
    return result


def fit_problems(catalog: Catalog, workers: Mapping[int, Worker], decl: Declaration,
                 forms: list[FormData]) -> list[Problem]:
    """The forms against what the procedure takes and needs: the rule every envelope is
    held to, the one received (dossier.procedure_check) as the one made here."""
    lines = catalog.lines_form()
    facts = need_facts(decl, workers, lines.code if lines else "")
    return needs.form_problems(catalog.procedure(decl.procedure),
                               [data.spec.code for data in forms], facts)


def build_dossier(catalog: Catalog, employer: Employer, workers: Mapping[int, Worker],
                  decl: Declaration,
                  status_of: Callable[[dict[str, Any]], WorkerStatus | None] | None = None,
                  ) -> BuildResult:
    """Check the declaration and, when it passes, write its forms and envelope."""
    result = check_declaration(catalog, employer, workers, decl, status_of)
    if result.ok:
        result.problems += fit_problems(catalog, workers, decl, result.forms)
    if not result.ok:
        return result
    for data in result.forms:  # one file per form, named as the exchange names it
        root = form_element(data)
        spec = data.spec
        result.problems += schema_problems(catalog.xsd_path(spec.code), spec.code, root)
        result.files.append(DossierFile(spec.root, spec.title["vi"], spec.file_name,
                                        to_bytes(root)))
        del root  # one form's tree at a time: they are the largest thing held
    if not result.ok:
        result.files = []
        return result
    procedure = catalog.procedure(decl.procedure)
    envelope = envelope_element(employer, decl, procedure.name["vi"], result.files,
                                catalog.envelope)
    errors = schema_problems(catalog.envelope_xsd_path(), "Hoso", envelope)
    if errors:
        result.problems += errors
        return result
    result.envelope = to_bytes(envelope)
    return result
