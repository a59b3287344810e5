"""The unit's profile: shown, and set from a TOML or JSON file."""

from __future__ import annotations

import json
import tomllib
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..domain.model import Employer
from ..domain.text import clean_name, nfc
from ..domain.values import parse_day
from ..storage import repo
from .app import App, UserError
from .checks import check_employer
from .files import read_bytes

_FIELDS = {f.name: f for f in fields(Employer)}


# The unit's own settings, which no form field carries: their names.
OWN_FIELDS = ("agency_code", "contact_name", "reduced_accident_rate", "registered")


def labelled(app: App, e: Employer, lang: str = "vi") -> list[tuple[str, str]]:
    """The profile as an officer reads it: each field's name and its value shown."""
    from ..domain.messages import say
    from .checks import fields_of

    specs = fields_of(app.catalog, "employer")
    out = []
    for name, value in as_dict(e).items():
        if name in specs:
            label = specs[name].label.get(lang) or specs[name].label["vi"]
        elif name in OWN_FIELDS:
            label = say(f"employer_{name}", lang)
        else:
            label = name
        if isinstance(value, bool):
            shown = say("yes" if value else "no", lang)
        elif name == "licence_date" and e.licence_date:
            shown = e.licence_date.strftime("%d/%m/%Y")
        else:
            shown = "" if value is None else str(value)
        out.append((label, shown))
    return out


def get(app: App) -> Employer:
    """The unit, or a clear error when none was set up yet."""
    with app.db.reading() as conn:
        e = repo.get_employer(conn)
    if e is None:
        raise UserError("no_employer")
    return e


def as_dict(e: Employer) -> dict[str, Any]:
    out = asdict(e)
    out["licence_date"] = e.licence_date.isoformat() if e.licence_date else None
    return out


def read_file(path: Path) -> dict[str, Any]:
    """The employer's fields from a TOML or JSON file, with a message naming the problem."""
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise UserError("file_not_utf8", path=str(path)) from None
    except json.JSONDecodeError as exc:
        raise UserError("file_syntax", path=str(path), line=exc.lineno, detail=exc.msg) from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError("file_syntax", path=str(path), line="?", detail=str(exc)) from None
    if isinstance(data, dict) and isinstance(data.get("employer"), dict):
        data = data["employer"]
    if not isinstance(data, dict):
        raise UserError("file_syntax", path=str(path), line=1, detail="not a table/object")
    return data


def from_values(values: dict[str, Any], base: Employer | None = None) -> Employer:
    """An Employer from loose values (file or form), each field coerced and named on error."""
    unknown = sorted(set(values) - set(_FIELDS))
    if unknown:
        raise UserError("unknown_fields", fields=", ".join(unknown), known=", ".join(_FIELDS))
    current = as_dict(base) if base else {}
    current.update(values)
    out: dict[str, Any] = {}
    for name, f in _FIELDS.items():
        if name not in current:
            continue
        value = current[name]
        kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
        if value is None:
            out[name] = None
        elif "bool" in kind:
            if not isinstance(value, bool):
                raise UserError("field_type", field=name, expected="true/false", value=value)
            out[name] = value
        elif "date" in kind:
            if value == "":
                out[name] = None
                continue
            try:
                out[name] = value if isinstance(value, date) else parse_day(str(value))
            except ValueError:
                raise UserError("field_type", field=name, expected="dd/mm/yyyy",
                                value=value) from None
        else:
            if isinstance(value, bool | dict | list):
                raise UserError("field_type", field=name, expected="text", value=value)
            out[name] = nfc(str(value)).strip()
    for key in ("name", "signer_name", "contact_name"):
        if out.get(key):
            out[key] = clean_name(out[key])
    missing = [n for n in ("unit_code", "name", "tax_code") if not out.get(n)]
    if missing:
        raise UserError("missing_fields", fields=", ".join(missing))
    return Employer(**out)


def save(app: App, e: Employer, *, new_unit: bool = False) -> Employer:
    """Store the chosen unit's profile (with none chosen, or ``new_unit``: add it as a
    new unit and choose it); nothing is written unless every check passes."""
    problems = check_employer(app.catalog, e)
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    try:
        with app.db.transaction() as conn:
            owner = {u["unit_code"]: u["id"] for u in repo.list_units(conn)}.get(e.unit_code)
            if owner is not None and owner != (None if new_unit else app.unit):
                raise UserError("unit_exists", unit=e.unit_code)
            unit = repo.add_unit(conn, e) if new_unit else repo.save_employer(conn, e)
    except IntegrityError:  # another officer added that code a moment ago
        raise UserError("unit_exists", unit=e.unit_code) from None
    if unit != app.unit:
        app.use_unit(unit)
    return e


def set_from_file(app: App, path: Path) -> Employer:
    """Replace the unit's profile from a file (fields not in the file are kept)."""
    with app.db.reading() as conn:
        base = repo.get_employer(conn)
    return save(app, from_values(read_file(path), base))


def set_values(app: App, values: dict[str, Any]) -> Employer:
    """Replace the unit's profile from a form's values (the window's Company screen)."""
    return save(app, from_values(values))
