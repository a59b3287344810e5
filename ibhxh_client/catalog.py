"""Reads the shipped data under forms/: form definitions, code lists, procedures, rates.

Everything the rules need that a decree can change lives there as data. Loading is done
once per process (``load_catalog``); the result is immutable.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .domain.benefits import BenefitRules
from .domain.calendar import Calendar
from .domain.contributions import RateTable
from .domain.formspec import (
    FIELD_TYPES,
    STATUSES,
    Block,
    CodeList,
    EnvelopeSpec,
    FieldSpec,
    FormNeed,
    FormSpec,
    GroupSpec,
    LegacyFile,
    LineField,
    Procedure,
    Provenance,
    RetiredProcedure,
)
from .domain.model import DeclarationLine, Worker
from .domain.needs import CONDITIONS
from .domain.rules import ROW_RULES, TABLE_RULES
from .paths import forms_dir


class CatalogError(Exception):
    """The shipped data is broken: names the file and what is wrong in it."""


@dataclass(frozen=True)
class Catalog:
    """All forms, code lists, procedures and the rate table, by name."""

    root: Path
    forms: dict[str, FormSpec]
    codelists: dict[str, CodeList]
    procedures: dict[str, Procedure]
    rates: RateTable
    envelope: EnvelopeSpec
    # The unit's registration files (04_DK-IVAN, 05_SD-IVAN, 06_NG-IVAN): each is a Hoso
    # of its own, never inside a dossier's envelope.
    registrations: dict[str, FormSpec] = field(default_factory=dict)
    # Codes this program once filed under that Social Security does not have (600a, 600b)
    retired: dict[str, RetiredProcedure] = field(default_factory=dict)

    def form(self, code: str) -> FormSpec:
        return self.forms[code]

    def layout_of(self, file_name: str) -> tuple[FormSpec, FormSpec] | None:
        """The form a file inside an envelope is, by its exact name as the exchange
        looks it up, and the layout it was written in (the form's own, or an older one
        of ``legacy``); None for a name no form has."""
        for spec in self.forms.values():
            layout = spec.layout_for(file_name)
            if layout is not None:
                return spec, layout
        return None

    def signature_place(self, file_name: str) -> str | None:
        """The element under a form file's root that it is signed in (Cky), by the file's
        name; None for a name no form has."""
        found = self.layout_of(file_name)
        return found[1].signature if found else None

    @cached_property
    def _by_exchange(self) -> dict[str, FormSpec]:
        return {spec.root: spec for spec in self.forms.values()}

    def form_by_exchange(self, code: str) -> FormSpec | None:
        """The form the exchange format calls ``code`` (the form XML's root, the
        envelope's MaToKhai: D02-TS for D02-LT), or None."""
        return self._by_exchange.get(code)

    def form_name(self, code: str) -> str:
        """The name an officer knows a form by, the one on the printed form (D02-LT), for
        its exchange code (D02-TS); a name already, or a code no form has, comes back as
        it is."""
        spec = self._by_exchange.get(code)
        return spec.code if spec is not None else code

    def lines_form(self) -> FormSpec | None:
        """The form whose rows are the declaration's lines (D02-LT)."""
        return next((s for s in self.forms.values() if s.rows and s.rows.source == "lines"),
                    None)

    def procedure(self, code: str) -> Procedure:
        return self.procedures[code]

    def procedure_name(self, code: str, lang: str = "vi") -> str:
        """A procedure's name, a retired code's too (a dossier sent under 600a keeps it);
        "" for a code neither knows."""
        found = self.procedures.get(code) or self.retired.get(code)
        return (found.name.get(lang) or found.name["vi"]) if found else ""

    def retired_hints(self) -> dict[str, tuple[str, str]]:
        """Each retired code with the procedure its changes are filed under now and that
        procedure's plan codes of its kind (600a → ("600", "GH, GD, …"))."""
        return {code: (old.filed_under, ", ".join(self.plans_of_kind(
            self.procedures[old.filed_under], old.kind))) for code, old in self.retired.items()}

    def plans_of_kind(self, procedure: Procedure, kind: str) -> tuple[str, ...]:
        """The procedure's plan codes of one kind (increase, decrease, adjust: the
        ``kind`` column of codelists/plan_codes.csv)."""
        return tuple(p for p in procedure.plans if self.plan_kind(p) == kind)

    def plan_kind(self, plan: str) -> str:
        """A plan code's kind (increase, decrease, adjust), "" for an unknown code."""
        plans = self.codelists.get("plan_codes")
        return plans.column(plan, "kind", "") if plans else ""

    def has_contributions(self, procedure: Procedure) -> bool:
        """Whether the procedure's lines change contributions: it takes the form whose
        rows are the contribution lines (D02-LT)."""
        lines = self.lines_form()
        return lines is not None and procedure.need(lines.code) is not None

    def line_forms(self, procedure: Procedure) -> tuple[str, ...]:
        """The forms of a procedure with one row per line, in the lines' order (D02-LT
        for 600; TK1-TS for 607; D01-TS too when each line has its document; M01B-HSB, a
        row per claim, for 630a …): where a problem's row is the line's."""
        out = []
        for need in procedure.forms:
            spec = self.forms[need.form]
            source = need.rows or (spec.rows.source if spec.rows else None)
            if source in ("lines", "claims") or (source == "documents"
                                                 and procedure.documents == "every"):
                out.append(need.form)
        return tuple(out)

    def codelist(self, name: str) -> CodeList:
        return self.codelists[name]

    def xsd_path(self, form_code: str) -> Path:
        return self.root / form_code / "schema.xsd"

    def envelope_xsd_path(self) -> Path:
        return self.root / "envelope" / "schema.xsd"


def _field(raw: dict[str, Any], where: str) -> FieldSpec:
    try:
        spec = FieldSpec(
            name=raw["name"], xml=raw["xml"], type=raw["type"], source=raw.get("source", ""),
            label=dict(raw["label"]), required=bool(raw.get("required", False)),
            max_length=raw.get("max_length"), codelist=raw.get("codelist"),
            check=raw.get("check"), max=raw.get("max"), written=raw.get("written", "code"),
            status=raw.get("status", ""), ref=raw.get("ref", ""),
        )
    except KeyError as exc:
        raise CatalogError(f"{where}: field is missing '{exc.args[0]}': {raw}") from None
    if spec.status and spec.status not in STATUSES:
        raise CatalogError(f"{where}: field '{spec.name}' has status '{spec.status}', not "
                           f"one of {', '.join(STATUSES)}")
    if spec.type not in FIELD_TYPES:
        raise CatalogError(f"{where}: field '{spec.name}' has unknown type '{spec.type}'")
    if spec.type == "code" and not spec.codelist:
        raise CatalogError(f"{where}: code field '{spec.name}' names no codelist")
    if spec.type == "id" and not spec.check:
        raise CatalogError(f"{where}: id field '{spec.name}' names no check")
    if spec.written not in ("code", "label") or (spec.written == "label"
                                                 and spec.type != "code"):
        raise CatalogError(f"{where}: field '{spec.name}': written '{spec.written}' is "
                           "'code', or 'label' for a code field")
    return spec


def _with_names(form: FormSpec, codelists: dict[str, CodeList]) -> FormSpec:
    """The form with each ``written = "label"`` field given its code list's names."""
    def group(g: GroupSpec | None) -> GroupSpec | None:
        if g is None:
            return None
        fields = tuple(replace(f, names=tuple((code, codelists[f.codelist].label(code))
                                              for code in codelists[f.codelist].entries))
                       if f.written == "label" and f.codelist in codelists else f
                       for f in g.fields)
        return replace(g, fields=fields)

    legacy = tuple(replace(old, layout=_with_names(old.layout, codelists))
                   if old.layout else old for old in form.legacy)
    return replace(form, header=group(form.header), rows=group(form.rows), legacy=legacy)


ROW_SOURCES = ("lines", "new_workers", "documents", "claims")
CHOICES = {"per": ("dossier", "row"), "empty": ("omit", "write"),
           "kind": ("dossier", "registration")}


def _block(raw: dict[str, Any]) -> Block:
    return Block(element=raw["element"], fields=tuple(raw.get("fields", ())),
                 children=tuple(_block(c) for c in raw.get("children", ())),
                 repeated=bool(raw.get("repeated", False)))


def _group(raw: dict[str, Any], where: str) -> GroupSpec:
    group = GroupSpec(
        element=raw.get("element", ""),
        fields=tuple(_field(f, where) for f in raw["fields"]),
        container=raw.get("container"),
        source=raw.get("source"),
        unfilled=tuple(_block(b) for b in raw.get("unfilled", ())),
    )
    if group.fields and not group.element and not group.container:
        raise CatalogError(f"{where}: a group with fields needs an element")
    return group


def _provenance(raw: dict[str, Any], where: str) -> Provenance | None:
    """Where the definition's facts come from (status law / seen / check, and a source)."""
    if "provenance" not in raw:
        return None
    p = raw["provenance"]
    out = Provenance(p["file_status"], p["file_source"], p["layout_status"],
                     p["layout_source"])
    for status in (out.file_status, out.layout_status):
        if status not in STATUSES:
            raise CatalogError(f"{where}: status '{status}' is not one of "
                               f"{', '.join(STATUSES)}")
    return out


def load_form(path: Path) -> FormSpec:
    """Read one form definition (form.toml), with the older layouts it names."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        header = raw.get("header", {"fields": []})
        spec = FormSpec(
            code=raw["code"], root=raw["root"], title=dict(raw["title"]),
            file_name=raw["file_name"], header=_group(header, where),
            rows=_group(raw["rows"], where) if "rows" in raw else None,
            per=raw.get("per", "dossier"), rules=tuple(raw.get("rules", ())),
            version=raw.get("version", ""), signature=raw.get("signature", "Cky"),
            empty=raw.get("empty", "omit"), provenance=_provenance(raw, where),
            legacy=tuple(LegacyFile(old["file_name"],
                                    load_form(path.parent / old["layout"])
                                    if "layout" in old else None)
                         for old in raw.get("legacy", ())),
            kind=raw.get("kind", "dossier"),
        )
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise CatalogError(f"{where}: {exc}") from None
    except FileNotFoundError as exc:
        raise CatalogError(f"{where}: {exc.filename} is missing") from None
    for key, allowed in CHOICES.items():
        if getattr(spec, key) not in allowed:
            raise CatalogError(f"{where}: {key} '{getattr(spec, key)}' is not one of "
                               f"{', '.join(allowed)}")
    if spec.rows is not None and spec.rows.source not in ROW_SOURCES:
        raise CatalogError(f"{where}: rows come from '{spec.rows.source}', not one of "
                           f"{', '.join(ROW_SOURCES)}")
    for old in spec.legacy:
        if old.layout is not None and old.layout.root != spec.root:
            raise CatalogError(f"{where}: legacy layout of {old.file_name} has root "
                               f"'{old.layout.root}', not '{spec.root}'")
    return spec


def load_envelope(path: Path) -> EnvelopeSpec:
    """Read the envelope's definition (forms/envelope/envelope.toml)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return EnvelopeSpec(
            file_name=raw["file_name"], root=raw["root"], signature=raw["signature"],
            ivan_code=raw["ivan_code"], ivan_name=raw["ivan_name"],
            unit_kind=raw["unit_kind"],
            form_code_removes=tuple(raw["form_code_removes"]),
            attachment_types=tuple(t.lower() for t in raw["attachment_types"]),
            attachment_code=raw["attachment_code"],
            procedure_code_removes=tuple(raw["procedure_code_removes"]),
            provenance=_provenance(raw, where))
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise CatalogError(f"{where}: {exc}") from None


def _check_file_names(forms: dict[str, FormSpec], envelope: EnvelopeSpec) -> None:
    """Each file name belongs to one form, and gives that form's exchange code the way
    the reference derives MaToKhai from it (TK1-TS-595.xml → TK1-TS)."""
    seen: dict[str, str] = {}
    for form in forms.values():
        names = [form.file_name] + [old.file_name for old in form.legacy]
        for name in names:
            if name in seen:
                raise CatalogError(f"{form.code}: file name {name} is {seen[name]}'s already")
            seen[name] = form.code
        code = envelope.form_code(form.file_name)
        if code != form.root:
            raise CatalogError(f"{form.code}: file {form.file_name} gives MaToKhai '{code}', "
                               f"not its exchange code '{form.root}'")


def load_codelist(path: Path) -> CodeList:
    """Read one code list CSV (columns code, vi, en and any extra)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    entries = {row["code"].strip(): {k: (v or "").strip() for k, v in row.items()}
               for row in rows if row.get("code")}
    return CodeList(path.stem, entries)


PROCEDURE_DOCUMENTS = ("late", "every", "none")
ROW_OVERRIDES = ("lines",)


def _line_field(raw: str | dict[str, str], where: str) -> tuple[str, str, str | None]:
    """(form, field, attr or None) of a line value: "FORM.field", or a table with
    ``field`` ("FORM.field") and ``line`` (the attribute, when not the field's source)."""
    text, attr = (raw, None) if isinstance(raw, str) else (raw.get("field", ""),
                                                           raw.get("line"))
    form, dot, name = text.partition(".")
    if not dot or not form or not name:
        raise CatalogError(f"{where}: '{text}' is not FORM.field")
    return form, name, attr


def _status(value: str, where: str) -> str:
    if value and value not in STATUSES:
        raise CatalogError(f"{where}: status '{value}' is not one of {', '.join(STATUSES)}")
    return value


def _procedure(p: dict[str, Any], where: str) -> tuple[Procedure, list[tuple]]:
    here = f"{where}: procedure {p.get('code')}"
    needs = tuple(FormNeed(f["form"], f["when"], rows=f.get("rows"),
                           rules=tuple(f.get("rules", ())),
                           status=_status(f.get("status", ""), here),
                           source=f.get("source", "")) for f in p["forms"])
    proc = Procedure(
        code=p["code"], name=dict(p["name"]), plans=tuple(p.get("plans", ())), forms=needs,
        default_plan=p.get("default_plan", ""), status=_status(p.get("status", ""), here),
        source=p.get("source", ""), plans_status=_status(p.get("plans_status", ""), here),
        plans_source=p.get("plans_source", ""), documents=p.get("documents", "none"),
        workers=bool(p.get("workers", True)), line=tuple(p.get("line", ())),
        claims=bool(p.get("claims", False)))
    raw_fields = [("columns", _line_field(c, here)) for c in p.get("columns", ())]
    raw_fields += [("header", _line_field(c, here)) for c in p.get("header", ())]
    return proc, raw_fields


def _procedures(path: Path) -> tuple[dict[str, Procedure], dict[str, list[tuple]],
                                     dict[str, RetiredProcedure]]:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        out, fields_of = {}, {}
        for p in raw["procedure"]:
            out[p["code"]], fields_of[p["code"]] = _procedure(p, where)
        retired = {r["code"]: RetiredProcedure(
            code=r["code"], filed_under=r["filed_under"], kind=r["kind"], name=dict(r["name"]),
            status=_status(r.get("status", ""), where), source=r.get("source", ""))
            for r in raw.get("retired", ())}
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise CatalogError(f"{where}: {exc}") from None
    return out, fields_of, retired


_LINE_ATTRS = {f.name for f in fields(DeclarationLine)} - {"worker_id"}
_WORKER_ATTRS = {f.name for f in fields(Worker)}
_DECLARATION_ATTRS = {"change"}  # what a procedure without workers asks of the dossier


def _resolve(proc: Procedure, raw_fields: list[tuple], forms: dict[str, FormSpec]
             ) -> Procedure:
    """The procedure with its line values named by form fields that exist, each held at
    an attribute a line (or the dossier) has."""
    where = f"procedure {proc.code}"
    found: dict[str, list[LineField]] = {"columns": [], "header": []}
    for kind, (form, name, attr) in raw_fields:
        if proc.need(form) is None:
            raise CatalogError(f"{where}: {kind} names {form}.{name}, a form it does not take")
        spec = forms[form].find_field(name)
        if spec is None:
            raise CatalogError(f"{where}: {form} has no field '{name}'")
        attr = attr or (spec.attr if spec.owner in ("line", "declaration") else spec.source)
        allowed = _DECLARATION_ATTRS if kind == "header" else _LINE_ATTRS
        worker = attr.startswith("worker.") and attr[7:] in _WORKER_ATTRS
        if attr not in allowed and not (kind == "columns" and (attr == "row.stt" or worker)):
            raise CatalogError(f"{where}: {form}.{name} is held at '{attr}', which a "
                               f"{'dossier' if kind == 'header' else 'line'} does not have")
        found[kind].append(LineField(form, name, "row" if attr == "row.stt" else attr))
    if proc.claims:  # its rows are claims, made apart: no line and no header values
        if found["columns"] or found["header"]:
            raise CatalogError(f"{where}: a claim list has no line columns or header values")
        return proc
    if proc.workers != bool(found["columns"]) or proc.workers == bool(found["header"]):
        raise CatalogError(f"{where}: a procedure with workers has line columns; one "
                           "without has header values instead")
    return replace(proc, columns=tuple(found["columns"]), header=tuple(found["header"]))


def _check_procedure(proc: Procedure, forms: dict[str, FormSpec],
                     plan_codes: CodeList) -> None:
    where = f"procedure {proc.code}"
    for need in proc.forms:
        if need.form not in forms:
            raise CatalogError(f"{where} needs unknown form {need.form}")
        if need.when not in CONDITIONS:
            raise CatalogError(f"{where}: form {need.form} names unknown condition "
                               f"'{need.when}' (known: {', '.join(CONDITIONS)})")
        if need.rows is not None and (need.rows not in ROW_OVERRIDES
                                      or forms[need.form].rows is None):
            raise CatalogError(f"{where}: form {need.form}: rows '{need.rows}' is not one of "
                               f"{', '.join(ROW_OVERRIDES)} for a form with rows")
        unknown = [r for r in need.rules if r not in ROW_RULES and r not in TABLE_RULES]
        if unknown:
            raise CatalogError(f"{where}: form {need.form} names unknown rules {unknown}")
    unknown = [p for p in proc.plans if p not in plan_codes]
    if unknown:
        raise CatalogError(f"{where}: unknown plan codes {unknown}")
    if proc.default_plan and proc.default_plan not in proc.plans:
        raise CatalogError(f"{where}: default plan {proc.default_plan} is not one of its own")
    if proc.documents not in PROCEDURE_DOCUMENTS:
        raise CatalogError(f"{where}: documents '{proc.documents}' is not one of "
                           f"{', '.join(PROCEDURE_DOCUMENTS)}")
    bad = [name for name in proc.line if name not in _LINE_ATTRS]
    if bad:
        raise CatalogError(f"{where}: line names {bad}, which a line does not have")
    _check_claims(proc, forms)


def _check_claims(proc: Procedure, forms: dict[str, FormSpec]) -> None:
    """A claim list (``claims = true``) takes a form whose rows are claims and nothing a
    line gives (plans, ``line``); a form of claims belongs to claim lists only."""
    where = f"procedure {proc.code}"
    sources = [forms[n.form].rows.source if forms[n.form].rows else None for n in proc.forms]
    if proc.claims and (proc.plans or proc.line or "claims" not in sources):
        raise CatalogError(f"{where}: a claim list takes a form whose rows are claims, and "
                           "no plan codes or line")
    if not proc.claims and "claims" in sources:
        raise CatalogError(f"{where}: a form whose rows are claims needs claims = true")


def _check_registrations(registrations: dict[str, FormSpec], envelope: EnvelopeSpec) -> None:
    """A registration file is a Hoso of its own, signed where the envelope is
    (Hoso/CKy_Dvi), with a header and no rows, under a name no other file has."""
    names: dict[str, str] = {}
    for form in registrations.values():
        if form.root != envelope.root or form.signature != envelope.signature:
            raise CatalogError(f"{form.code}: a registration file is a <{envelope.root}> "
                               f"signed in {envelope.signature_path}")
        if form.rows is not None or not form.header.element:
            raise CatalogError(f"{form.code}: a registration file has header fields only")
        if form.file_name in names:
            raise CatalogError(f"{form.code}: file name {form.file_name} is "
                               f"{names[form.file_name]}'s already")
        names[form.file_name] = form.code


def load_catalog_from(root: Path) -> Catalog:
    """Read every definition under ``root`` and check that they refer to each other."""
    forms: dict[str, FormSpec] = {}
    registrations: dict[str, FormSpec] = {}
    for path in sorted(root.glob("*/form.toml")):
        form = load_form(path)
        (registrations if form.kind == "registration" else forms)[form.code] = form
    codelists = {p.stem: load_codelist(p) for p in sorted((root / "codelists").glob("*.csv"))}
    if "provinces" in codelists and "provinces_old" in codelists:
        # Old records carry the 63 provinces before 1 Jul 2025: both must be readable.
        merged = {**codelists["provinces_old"].entries, **codelists["provinces"].entries}
        codelists["provinces_any"] = CodeList("provinces_any", merged)
    procedures, line_fields, retired = _procedures(root / "procedures.toml")
    rates = RateTable.from_dict(tomllib.loads((root / "rates.toml").read_text("utf-8")))
    envelope = load_envelope(root / "envelope" / "envelope.toml")
    _check_file_names(forms, envelope)
    _check_registrations(registrations, envelope)
    for form in [*forms.values(), *registrations.values()]:
        for group in form.groups():
            for f in group.fields:
                if f.codelist and f.codelist not in codelists:
                    raise CatalogError(f"{form.code}: field '{f.name}' names unknown code "
                                       f"list '{f.codelist}'")
    forms = {code: _with_names(form, codelists) for code, form in forms.items()}
    registrations = {code: _with_names(form, codelists)
                     for code, form in registrations.items()}
    roots: dict[str, str] = {}
    for form in forms.values():
        if form.root in roots:
            raise CatalogError(f"{form.code}: exchange code (root) '{form.root}' is "
                               f"{roots[form.root]}'s already")
        roots[form.root] = form.code
    plan_codes = codelists.get("plan_codes", CodeList(""))
    for code, proc in list(procedures.items()):
        _check_procedure(proc, forms, plan_codes)
        procedures[code] = _resolve(proc, line_fields[code], forms)
    for old in retired.values():
        if old.code in procedures or old.filed_under not in procedures:
            raise CatalogError(f"retired procedure {old.code}: a current code, or filed "
                               f"under unknown procedure {old.filed_under}")
    return Catalog(root, forms, codelists, procedures, rates, envelope, registrations,
                   retired)


@lru_cache(maxsize=4)
def load_catalog(root: Path | None = None) -> Catalog:
    """The shipped catalogue (cached: it is read-only data)."""
    return load_catalog_from(root or forms_dir())


@lru_cache(maxsize=4)
def load_benefits(path: Path | None = None) -> BenefitRules:
    """The sickness, maternity and convalescence rules (forms/benefits.toml by default)."""
    path = path or forms_dir() / "benefits.toml"
    try:
        return BenefitRules.from_dict(tomllib.loads(path.read_text("utf-8")))
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from None


@lru_cache(maxsize=4)
def load_holidays(path: Path | None = None) -> Calendar:
    """The public holidays by year (forms/holidays.toml by default)."""
    path = path or forms_dir() / "holidays.toml"
    try:
        return Calendar.from_dict(tomllib.loads(path.read_text("utf-8")))
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from None


T = TypeVar("T")
_DERIVED: dict[tuple[int, str], tuple[Catalog, Any]] = {}


def derived(catalog: Catalog, name: str, make: Callable[[], T]) -> T:
    """What is made from a catalogue (a header matcher, a worker checker), made once and
    kept beside it: the catalogue is read-only, and an import should not rebuild them."""
    key = (id(catalog), name)
    entry = _DERIVED.get(key)
    if entry is None or entry[0] is not catalog:  # held, so its id is not reused
        entry = _DERIVED[key] = (catalog, make())
    return entry[1]
