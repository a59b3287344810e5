"""What a spreadsheet column can hold, and how its header is recognised.

The header names are data (``forms/import_columns.toml``), completed with the labels of
the form fields, so a template from another program is taught by adding a line there.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..catalog import Catalog
from ..domain.text import fix_legacy, fold, tcvn3_to_unicode, vni_to_unicode

KINDS = ("name", "text", "id", "idcard", "money", "decimal", "partial_date", "date", "month",
         "gender", "code", "int", "flag", "ignore")
# workers (ibhxh workers import), lines (declare --from), claims (ibhxh claims import),
# history (months of contribution: ibhxh claims history import)
USES = ("workers", "lines", "claims", "history")
COLUMNS_FILE = "import_columns.toml"

# Identity columns: at least one of them is needed to know who a row is about.
IDENTITY = ("bhxh_number", "cccd", "cmnd", "idcard")


@dataclass(frozen=True)
class Target:
    """One thing a column can hold: a worker attribute, or a part of a declaration line."""

    name: str
    kind: str
    label: dict[str, str]
    headers: tuple[str, ...]
    used_by: tuple[str, ...]
    check: str | None = None
    codelist: str | None = None

    def label_in(self, lang: str = "vi") -> str:
        return self.label.get(lang) or self.label["vi"]


class ColumnsError(Exception):
    """The shipped column table is broken (a packaging error, not the officer's)."""


def load_targets(path: Path) -> dict[str, Target]:
    """Read ``import_columns.toml``."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Target] = {}
    for name, spec in raw.get("columns", {}).items():
        try:
            target = Target(name=name, kind=spec["kind"], label=dict(spec["label"]),
                            headers=tuple(spec.get("headers", ())),
                            used_by=tuple(spec["used_by"]), check=spec.get("check"),
                            codelist=spec.get("codelist"))
        except KeyError as exc:
            raise ColumnsError(f"{path}: column '{name}' lacks '{exc.args[0]}'") from None
        if target.kind not in KINDS or not set(target.used_by) <= set(USES):
            raise ColumnsError(f"{path}: column '{name}': bad kind or used_by")
        if target.kind == "code" and not target.codelist:
            raise ColumnsError(f"{path}: code column '{name}' names no codelist")
        out[name] = target
    return out


@lru_cache(maxsize=8)
def _targets_at(root: Path, use: str) -> dict[str, Target]:
    every = load_targets(root / COLUMNS_FILE)
    return {name: t for name, t in every.items() if use in t.used_by}


def targets_for(catalog: Catalog, use: str) -> dict[str, Target]:
    """The targets of one use (``USES``) for this catalogue's forms/."""
    return dict(_targets_at(catalog.root, use))


# -- header text ---------------------------------------------------------------------------

_NUMBERING = re.compile(r"^\s*[\[(]\s*[\d.]+\s*[\])]\s*|^\s*\d{1,2}[.)]\s+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: object) -> str:
    """A header reduced to what identifies it: folded, letters and digits only.

    "Mã số BHXH", "MA SO BHXH", "MaSoBHXH" and "ma_so_bhxh" all give "masobhxh".
    """
    if text is None:
        return ""
    s = str(text)
    if not s.isascii():
        s = fix_legacy(s)  # a header typed in .VnTime or VNI-Times, else s in NFC
    return _NOT_ALNUM.sub("", fold(s).replace("đ", "d"))


def header_keys(text: object) -> list[str]:
    """The keys to try for one header: as written, without its numbering "[01]", then
    without parenthesised parts ("Mức lương (đồng)"); for text that is not plain ASCII,
    also as read from TCVN3 and VNI, since a short header ("Sè CCCD") can look like
    Vietnamese in either reading."""
    s = "" if text is None else str(text)
    variants = [s]
    if not s.isascii():
        variants += [v for v in (tcvn3_to_unicode(s), vni_to_unicode(s)) if v != s]
    keys = []
    for v in variants:
        stripped = _NUMBERING.sub("", v)
        keys += [header_key(v), header_key(stripped),
                 header_key(_PARENS.sub(" ", stripped))]
    return [k for i, k in enumerate(keys) if k and k not in keys[:i]]


class HeaderMatcher:
    """Finds the target a header names: exactly (after folding), or by a known name the
    header starts with ("Mức lương đóng BHXH tháng 1" → salary)."""

    MIN_PREFIX = 5

    def __init__(self, targets: dict[str, Target], catalog: Catalog | None = None) -> None:
        self.targets = targets
        exact: dict[str, str] = {}
        for t in targets.values():
            for name in (*t.headers, *t.label.values(), t.name):
                for key in header_keys(name)[:1]:
                    exact.setdefault(key, t.name)
        if catalog is not None:
            # The form labels ("[06] Số CCCD/ĐDCN/Hộ chiếu"), for the targets they share.
            for form in catalog.forms.values():
                for group in form.groups():
                    for f in group.fields:
                        name = f.attr if f.owner in ("worker", "line") else None
                        if name in targets:
                            for label in f.label.values():
                                for key in header_keys(label):
                                    exact.setdefault(key, name)
        self.exact = exact
        self.prefixes = sorted((k for k in exact if len(k) >= self.MIN_PREFIX),
                               key=len, reverse=True)

    def match(self, text: object) -> tuple[str, str] | None:
        """(target name, how) for a header, how being "exact" or "prefix"; None when the
        header names nothing known."""
        keys = header_keys(text)
        for key in keys:
            if key in self.exact:
                return self.exact[key], "exact"
        for key in keys:
            for known in self.prefixes:
                if key.startswith(known) and len(key) > len(known):
                    return self.exact[known], "prefix"
        return None

    def resolve(self, name: str) -> str | None:
        """A target from what an officer wrote in a mapping file: the target's name, its
        label or any header it is known by."""
        if name in self.targets:
            return name
        found = self.match(name)
        return found[0] if found else None
