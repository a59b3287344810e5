"""How each field type is written on a form and read back.

One pair of functions per type, so the XML writer, the parser and the printer agree on
"01/2026", "15/03/1990", "1"/"0" and plain integers for money.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .model import PartialDate, Period, PeriodError

NUMERIC = frozenset({"int", "money", "decimal"})


def is_empty(ftype: str, value: Any, required: bool = False) -> bool:
    """True when a value counts as not given. Zero is "not given" for optional numbers."""
    if value is None or value == "":
        return True
    return not required and ftype in NUMERIC and value == 0


def parse_money(text: str) -> int:
    """An amount in đồng as officers type it: 10.000.000, 10,000,000, 10 000 000 or
    10000000; 0 when empty; raises ValueError otherwise."""
    digits = "".join(text.replace(".", "").replace(",", "").split())
    if digits and not (digits.isascii() and digits.isdigit()):
        raise ValueError(text)
    return int(digits or 0)


def parse_day(text: str) -> date:
    """A day as officers and files write it: dd/mm/yyyy (also dd.mm.yyyy) or yyyy-mm-dd;
    raises ValueError otherwise."""
    text = text.strip()
    if "-" in text:
        return date.fromisoformat(text)
    parts = text.replace(".", "/").split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(text)
    d, m, y = (int(x) for x in parts)
    return date(y, m, d)


def to_text(ftype: str, value: Any) -> str:
    """The text a value takes in the XML (and in the printed form)."""
    if ftype == "date":
        return value.strftime("%d/%m/%Y")
    if ftype == "bool":
        return "1" if value else "0"
    if ftype == "decimal":
        d = Decimal(value)
        text = format(d.normalize(), "f") if d == d.to_integral() else format(d, "f")
        return text
    return str(value)


def from_text(ftype: str, text: str) -> Any:
    """The typed value of a field's text; raises ValueError with a message code."""
    text = text.strip()
    try:
        if ftype in ("int", "money"):
            if not text.lstrip("-").isdigit():
                raise ValueError("not_number")
            return int(text)
        if ftype == "decimal":
            return Decimal(text)
        if ftype == "date":
            return datetime.strptime(text, "%d/%m/%Y").date()
        if ftype == "partial_date":
            return PartialDate.parse(text)
        if ftype == "month":
            return Period.parse(text)
        if ftype == "bool":
            if text not in ("0", "1"):
                raise ValueError("bad_bool")
            return text == "1"
    except (InvalidOperation, PeriodError):
        raise ValueError(_BAD[ftype]) from None
    except ValueError as exc:
        if exc.args and exc.args[0] in _CODES:
            raise
        raise ValueError(_BAD[ftype]) from None
    return text


_BAD = {"int": "not_number", "money": "not_number", "decimal": "not_number",
        "date": "bad_date", "partial_date": "bad_partial_date", "month": "bad_month",
        "bool": "bad_bool"}
_CODES = frozenset(_BAD.values())


def type_ok(ftype: str, value: Any) -> bool:
    """Whether a Python value has the type a field of ``ftype`` holds."""
    expected = {
        "int": int, "money": int, "decimal": (Decimal, int), "date": date,
        "partial_date": PartialDate, "month": Period, "bool": bool,
    }.get(ftype, str)
    return isinstance(value, expected)
