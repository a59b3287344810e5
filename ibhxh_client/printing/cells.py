"""The text a field's value takes on paper, by the field's type in form.toml.

Money as 10.620.000 (whole đồng), dates dd/mm/yyyy, months MM/YYYY, coefficients with a
decimal comma (2,34), code-list values by name or code as the layout asks, and nothing for
an optional number that is zero. One function per field, made once per column, so a list of
50,000 rows formats without looking anything up per cell. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..domain.formspec import CodeList, FieldSpec
from ..domain.text import vnd
from ..domain.values import to_text

Formatter = Callable[[Any], str]


def _decimal(value: Any) -> str:
    return to_text("decimal", Decimal(value)).replace(".", ",")


def formatter(spec: FieldSpec, codelists: dict[str, CodeList], show: str = "label",
              upper: bool = False) -> Formatter:
    """A function from one value of this field to its printed text ("" when empty)."""
    ftype, required = spec.type, spec.required
    base: Formatter
    if ftype == "money":
        base = vnd
    elif ftype == "int":
        base = str
    elif ftype == "decimal":
        base = _decimal
    elif ftype == "date":
        def base(value: Any) -> str:
            return value.strftime("%d/%m/%Y")
    elif ftype == "bool":
        def base(value: Any) -> str:
            return "x" if value else ""
    elif ftype == "code":
        entries = codelists[spec.codelist].entries if spec.codelist else {}

        def base(value: Any) -> str:
            entry = entries.get(value)
            name = entry.get("vi", value) if entry else value
            if show == "code" or not entry:
                return str(value)
            return name if show == "label" else f"{value} - {name}"
    else:  # text, name, id, partial_date, month: their own str()
        base = str
    zero_is_empty = ftype in ("int", "money", "decimal") and not required

    def fmt(value: Any) -> str:
        if value is None or value == "" or (zero_is_empty and value == 0):
            return ""
        text = base(value)
        return text.upper() if upper else text

    return fmt
