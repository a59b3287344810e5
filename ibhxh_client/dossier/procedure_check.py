"""An envelope against the catalogue: its procedure (MaThuTuc) and period (KyKeKhai), then
the forms in it against what forms/procedures.toml says the procedure takes and needs
(the rules themselves are in domain/needs.py).

``ibhxh validate FILE.xml`` and the sandbox gateway both call this, so they refuse the
same envelopes with the same sentences. The forms are handed over one at a time and only
what the conditions ask about is kept, never a form's tree.
"""

from __future__ import annotations

from lxml import etree

from ..catalog import Catalog
from ..domain import needs
from ..domain.formspec import FormSpec, GroupSpec
from ..domain.model import Period, PeriodError
from ..domain.validation import Problem, RuleContext, procedure_rule_problems
from .envelope import procedure_and_period
from .xmlform import FormReadError, form_from_element


def head_problems(catalog: Catalog, envelope: etree._Element) -> list[Problem]:
    """An unknown procedure code or a period that is no month: checked first, since every
    other check of the dossier depends on both."""
    procedure, period = procedure_and_period(envelope)
    return needs.head_problems(catalog.procedures, procedure, period, catalog.retired_hints())


_FILES = "NoiDung/ThongTinHoSo/ToKhais/FileToKhai"


def file_problems(catalog: Catalog, envelope: etree._Element) -> list[Problem]:
    """The envelope's file entries against the rules the exchange derives them by: a
    SoLuongFile that counts them, each TenFile a form's exact file name, and MaToKhai,
    LoaiFile and DoDaiFile (the base64 text's length) as derived from it."""
    spec = catalog.envelope
    entries = envelope.findall(_FILES)
    problems = []
    declared = (envelope.findtext("NoiDung/ThongTinHoSo/SoLuongFile") or "").strip()
    if declared != str(len(entries)):
        problems.append(needs.envelope_problem("SoLuongFile", "file_count", declared=declared,
                                               actual=len(entries)))
    known = [form.file_name for form in catalog.forms.values()]
    for entry in entries:
        name = (entry.findtext("TenFile") or "").strip()
        if name not in known:
            problems.append(needs.envelope_problem("TenFile", "unknown_file_name", value=name,
                                                   allowed=", ".join(known)))
            continue
        content = "".join((entry.findtext("NoiDungFile") or "").split())
        for field, expected in (("MaToKhai", spec.form_code(name)),
                                ("LoaiFile", spec.file_type(name)),
                                ("DoDaiFile", str(len(content)))):
            value = (entry.findtext(field) or "").strip()
            if value != expected:
                problems.append(needs.envelope_problem(field, "derived_mismatch", file=name,
                                                       value=value, expected=expected))
    return problems


def _xml_of(group: GroupSpec, source: str) -> str | None:
    """The XML element of the field whose value comes from ``source`` ("line.from_month")."""
    return next((f.xml for f in group.fields if f.source == source), None)


def _month(text: str | None) -> Period | None:
    try:
        return Period.parse(text or "")
    except PeriodError:
        return None  # the form's own check says so


class FormTally:
    """The forms of one envelope, as far as the procedure's conditions ask about them.

    Made once ``head_problems`` found nothing; ``add`` each form's root, then
    ``problems``."""

    def __init__(self, catalog: Catalog, envelope: etree._Element, rules: bool = False) -> None:
        procedure, period = procedure_and_period(envelope)
        self.catalog = catalog
        self.procedure = catalog.procedure(procedure)
        self.period = needs.exchange_month(period)
        self.lines = catalog.lines_form()
        self.present: list[str] = []
        self.without_bhxh: list[int] = []
        self.late: list[int] = []
        # the rules the procedure adds to its forms (a re-issue needs a BHXH number …):
        # the sandbox holds an envelope to them; ``ibhxh validate`` checks each form whole
        self.rules = rules
        self.rule_problems: list[Problem] = []

    def add(self, form: etree._Element) -> None:
        """Count one form in (an unknown one is left to the form's own check)."""
        spec = self.catalog.form_by_exchange(form.tag)
        if spec is None:
            return
        self.present.append(spec.code)
        if spec is self.lines and spec.rows is not None:
            self._rows(spec.rows, form)
        if self.rules and self.procedure.rules_for(spec.code):
            self._procedure_rules(spec, form)

    def _procedure_rules(self, spec: FormSpec, form: etree._Element) -> None:
        try:
            data = form_from_element(spec, form)
        except FormReadError as exc:
            self.rule_problems.append(Problem(spec.code, exc.row, exc.field, exc.code,
                                              {"value": exc.value}))
            return
        ctx = RuleContext(codelists=self.catalog.codelists, procedure=self.procedure,
                          period=self.period)
        self.rule_problems += procedure_rule_problems(data, ctx)

    def _rows(self, group: GroupSpec, form: etree._Element) -> None:
        bhxh = _xml_of(group, "worker.bhxh_number")
        start = _xml_of(group, "line.from_month")
        path = f"{group.container}/{group.element}" if group.container else group.element
        for row, el in enumerate(form.iterfind(path), start=1):
            if bhxh and not (el.findtext(bhxh) or "").strip():
                self.without_bhxh.append(row)
            month = _month(el.findtext(start)) if start else None
            if month is not None and self.period is not None and month < self.period:
                self.late.append(row)

    def problems(self) -> list[Problem]:
        """Forms the procedure does not take, and forms it needs here that are missing."""
        facts = needs.NeedFacts(lines_form=self.lines.code if self.lines else "",
                                without_bhxh=tuple(self.without_bhxh), late=tuple(self.late))
        return needs.form_problems(self.procedure, self.present, facts) + self.rule_problems
