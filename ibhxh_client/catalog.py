"""Reads the shipped data under forms/: form definitions, code lists, procedures, rates.

Everything the rules need that a decree can change lives there as data. Loading is done
once per process (``load_catalog``); the result is immutable.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .domain.contributions import RateTable
from .domain.formspec import (
    FIELD_TYPES,
    CodeList,
    FieldSpec,
    FormNeed,
    FormSpec,
    GroupSpec,
    Procedure,
)
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

    def form(self, code: str) -> FormSpec:
        return self.forms[code]

    def procedure(self, code: str) -> Procedure:
        return self.procedures[code]

    def codelist(self, name: str) -> CodeList:
        return self.codelists[name]

    def xsd_path(self, form_code: str) -> Path:
        return self.root / form_code / "schema.xsd"

    def envelope_xsd_path(self) -> Path:
        return self.root / "envelope" / "schema.xsd"


def _field(raw: dict[str, Any], where: str) -> FieldSpec:
    try:
        spec = FieldSpec(
            name=raw["name"], xml=raw["xml"], type=raw["type"], source=raw["source"],
            label=dict(raw["label"]), required=bool(raw.get("required", False)),
            max_length=raw.get("max_length"), codelist=raw.get("codelist"),
            check=raw.get("check"), max=raw.get("max"),
        )
    except KeyError as exc:
        raise CatalogError(f"{where}: field is missing '{exc.args[0]}': {raw}") from None
    if spec.type not in FIELD_TYPES:
        raise CatalogError(f"{where}: field '{spec.name}' has unknown type '{spec.type}'")
    if spec.type == "code" and not spec.codelist:
        raise CatalogError(f"{where}: code field '{spec.name}' names no codelist")
    if spec.type == "id" and not spec.check:
        raise CatalogError(f"{where}: id field '{spec.name}' names no check")
    return spec


def _group(raw: dict[str, Any], where: str) -> GroupSpec:
    return GroupSpec(
        element=raw["element"],
        fields=tuple(_field(f, where) for f in raw["fields"]),
        container=raw.get("container"),
        source=raw.get("source"),
    )


def load_form(path: Path) -> FormSpec:
    """Read one form definition (form.toml)."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return FormSpec(
            code=raw["code"], root=raw["root"], title=dict(raw["title"]),
            file_name=raw["file_name"], header=_group(raw["header"], where),
            rows=_group(raw["rows"], where) if "rows" in raw else None,
            per=raw.get("per", "dossier"), rules=tuple(raw.get("rules", ())),
        )
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise CatalogError(f"{where}: {exc}") from None


def load_codelist(path: Path) -> CodeList:
    """Read one code list CSV (columns code, vi, en and any extra)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    entries = {row["code"].strip(): {k: (v or "").strip() for k, v in row.items()}
               for row in rows if row.get("code")}
    return CodeList(path.stem, entries)


def _procedures(path: Path) -> dict[str, Procedure]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out = {}
    for p in raw["procedure"]:
        out[p["code"]] = Procedure(
            code=p["code"], name=dict(p["name"]), kind=p["kind"], plans=tuple(p["plans"]),
            forms=tuple(FormNeed(f["form"], f["when"]) for f in p["forms"]),
        )
    return out


def load_catalog_from(root: Path) -> Catalog:
    """Read every definition under ``root`` and check that they refer to each other."""
    forms = {}
    for path in sorted(root.glob("*/form.toml")):
        form = load_form(path)
        forms[form.code] = form
    codelists = {p.stem: load_codelist(p) for p in sorted((root / "codelists").glob("*.csv"))}
    if "provinces" in codelists and "provinces_old" in codelists:
        # Old records carry the 63 provinces before 1 Jul 2025: both must be readable.
        merged = {**codelists["provinces_old"].entries, **codelists["provinces"].entries}
        codelists["provinces_any"] = CodeList("provinces_any", merged)
    procedures = _procedures(root / "procedures.toml")
    rates = RateTable.from_dict(tomllib.loads((root / "rates.toml").read_text("utf-8")))
    for form in forms.values():
        for group in form.groups():
            for f in group.fields:
                if f.codelist and f.codelist not in codelists:
                    raise CatalogError(f"{form.code}: field '{f.name}' names unknown code "
                                       f"list '{f.codelist}'")
    for proc in procedures.values():
        for need in proc.forms:
            if need.form not in forms:
                raise CatalogError(f"procedure {proc.code} needs unknown form {need.form}")
        unknown = [p for p in proc.plans if p not in codelists.get("plan_codes", CodeList(""))]
        if unknown:
            raise CatalogError(f"procedure {proc.code}: unknown plan codes {unknown}")
    return Catalog(root, forms, codelists, procedures, rates)


@lru_cache(maxsize=4)
def load_catalog(root: Path | None = None) -> Catalog:
    """The shipped catalogue (cached: it is read-only data)."""
    return load_catalog_from(root or forms_dir())


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
