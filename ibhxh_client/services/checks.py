"""Checks of the employer and of a worker, reusing the field definitions of the forms
that carry their data (TK3-TS for the unit; TK1-TS and D02-LT for a person)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from decimal import Decimal
from itertools import compress
from operator import itemgetter, ne
from typing import Any

from ..catalog import Catalog, derived
from ..domain import ids
from ..domain.formspec import FieldSpec
from ..domain.messages import say
from ..domain.model import Employer, PartialDate, Period, Worker
from ..domain.text import nfc
from ..domain.validation import ID_CHECKS, Problem, check_record, field_checker
from ..domain.values import is_empty

# Without these the program cannot even name the unit or the person.
EMPLOYER_REQUIRED = frozenset({"name", "unit_code", "tax_code"})
WORKER_REQUIRED = frozenset({"full_name", "gender", "birth_date"})
# What a worker made from a file holds where a required cell is empty (then "required").
BLANK_REQUIRED: dict[str, Any] = {"full_name": "", "gender": "", "birth_date": None}


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
    """Problems with the unit's data (field names are Employer attributes): the fields of
    the forms that carry them, and the managing agency's code, which no form field holds
    (the envelope does) but which must start with a province code all the same."""
    specs = fields_of(catalog, "employer")
    checkers = [(f, attr, f.type, attr in EMPLOYER_REQUIRED,
                 field_checker(f, catalog.codelists)) for attr, f in specs.items()]
    record = {attr: getattr(e, attr, None) for attr in specs}
    problems = check_record("TK3-TS", None, record, checkers)
    code = ids.check_agency_code(e.agency_code) if e.agency_code else None
    if code:
        label = {lang: say("employer_agency_code", lang) for lang in ("vi", "en")}
        problems.append(Problem("TK3-TS", None, "agency_code", code,
                                {"value": e.agency_code, "kind": "agency_code"}, label))
    return problems


def worker_checker(catalog: Catalog) -> WorkerChecker:
    """The catalogue's worker checker (one per catalogue, its verdicts remembered)."""
    return derived(catalog, "worker_checker", lambda: WorkerChecker(catalog))


def check_worker(catalog: Catalog, w: Worker, row: int | None = None) -> list[Problem]:
    """Problems with a worker's data: each field, the CCCD against birth and gender, and
    a BHXH number or a CCCD to know the person by."""
    return worker_checker(catalog).check(w, row)


# The types whose every value a field of that type accepts: field_checker looks at
# nothing more than the type for these.
_TYPE_ONLY = {"partial_date": PartialDate, "date": date, "month": Period, "bool": bool}
_NUMBERS = frozenset({bool, int, float, Decimal})
_MEMO_SIZE = 100_000  # verdicts remembered (codes, e-mails … of every import of a session)
_BIRTH = itemgetter(slice(3, 6))  # of a CCCD: gender and birth year (ids.cccd_birth)
_NAME_SHAPE = r"[^\W\d_]+(?:[ .'-]+[^\W\d_]+)*\.?"  # validation's name check, unanchored


def _outside(shape: str) -> re.Pattern[str]:
    """The lines of a text that are not wholly of ``shape``."""
    return re.compile(rf"^(?!(?:{shape})$).*$", re.MULTILINE)


def _lines_of(shape: str, required: bool) -> re.Pattern[str]:
    """A text whose every line is of ``shape`` (or empty, when the field is optional)."""
    line = f"(?:{shape})" if required else f"(?:{shape})?"
    return re.compile(rf"{line}(?:\n{line})*", re.MULTILINE)


def _rejected(outside: re.Pattern[str], texts: list[str]) -> set[str] | None:
    """The texts ``outside`` finds, in one pass over all of them; None when a text holds
    a line break (then each is judged alone)."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:
        return None
    return {m.group() for m in outside.finditer(joined)}


@dataclass(frozen=True)
class _Field:
    attr: str
    spec: FieldSpec
    ftype: str
    required: bool
    check: Callable[[Any], Any]
    direct: Callable[[str], str | None] | None  # an identifier's own check
    default: Any  # a new Worker's value when the file has none
    outside: re.Pattern[str] | None  # finds the texts that are not of the field's shape
    lines: re.Pattern[str] | None  # matches texts that are all of the field's shape


class WorkerChecker:
    """The worker check, made fast for 50,000 rows: the problems the forms' field checks
    and the domain rules give, in their order (a test compares it with that composition
    on generated workers).

    A column of 50,000 cells holds a few thousand distinct values and a field check's
    verdict depends on the value alone, so each verdict is computed once per value;
    identifiers, which differ on every row, go straight to their check in ``domain.ids``.
    The two rules across fields (the CCCD against birth year and gender; a BHXH number or
    a CCCD) are those of ``domain.rules``, written out here for speed.

    ``check_columns`` checks many new workers at once, a column at a time: values are
    first accepted in bulk where that is sure (every identifier of its shape, every name
    of the name's shape, every date a date …); only the others are judged one by one, by
    the same judgement ``check`` uses (a test compares the two)."""

    FORM = "TK1-TS"

    def __init__(self, catalog: Catalog) -> None:
        specs = fields_of(catalog, "worker")
        self.labels = {attr: f.label for attr, f in specs.items()}
        defaults = {f.name: f.default for f in dataclass_fields(Worker)
                    if f.default is not MISSING}
        defaults.update(BLANK_REQUIRED)
        self.fields = [self._field(attr, f, catalog, defaults.get(attr))
                       for attr, f in specs.items()]
        self.memo: dict[tuple[str, type, Any], tuple[str, dict] | None] = {}
        # What digits 4–6 of a CCCD say: gender and birth year.
        self.cccd_birth = {f"{n:03d}": ids.cccd_birth(f"{n:03d}") for n in range(1000)}

    @staticmethod
    def _field(attr: str, f: FieldSpec, catalog: Catalog, default: Any) -> _Field:
        direct = ID_CHECKS[f.check] if f.type == "id" and f.check in ID_CHECKS else None
        shape = None
        if direct is not None:
            shape = ids.SHAPES.get(f.check or "")
        elif f.type == "name":
            shape = (rf"(?=.{{1,{f.max_length}}}$){_NAME_SHAPE}" if f.max_length
                     else _NAME_SHAPE)
        elif f.type == "text" and f.max_length:
            shape = rf".{{{int(attr in WORKER_REQUIRED)},{f.max_length}}}"
        return _Field(attr, f, f.type, attr in WORKER_REQUIRED,
                      field_checker(f, catalog.codelists), direct, default,
                      _outside(shape) if shape else None,
                      _lines_of(shape, attr in WORKER_REQUIRED) if shape else None)

    # -- one value -----------------------------------------------------------------------

    def _judge(self, f: _Field, value: Any) -> tuple[str, dict] | None:
        """The verdict of a field's check on one value (the CCCD's agreement aside)."""
        if f.direct is not None and value.__class__ is str and value:
            code = f.direct(value)
            return (code, {"value": value, "kind": f.spec.check}) if code else None
        try:
            key = (f.attr, value.__class__, value)
            return self.memo[key]
        except KeyError:
            if len(self.memo) >= _MEMO_SIZE:  # kept for a session: bounded
                self.memo.clear()
            verdict = self.memo[key] = self._verdict(f, value)
            return verdict
        except TypeError:
            return self._verdict(f, value)

    @staticmethod
    def _verdict(f: _Field, value: Any) -> tuple[str, dict] | None:
        if is_empty(f.ftype, value, f.required):
            return ("required", {}) if f.required else None
        return f.check(value)

    def _rules(self, cccd: Any, bhxh: Any, birth: Any, gender: Any, cccd_ok: bool,
               bhxh_ok: bool, row: int | None) -> list[Problem]:
        """rules.cccd_agrees (when the CCCD passed its own check) and rules.identity."""
        if cccd.__class__ is str and cccd and cccd_ok:
            born = birth if isinstance(birth, PartialDate) else None
            code = ids.check_cccd(cccd, birth_year=born.year if born else None,
                                  gender=gender or None)
            if code:
                return [Problem(self.FORM, row, "cccd", code,
                                {"value": cccd, "kind": "cccd"}, self.labels["cccd"])]
        if cccd or bhxh or not bhxh_ok:
            return []
        return [Problem(self.FORM, row, "bhxh_number", "identity_missing", {},
                        self.labels["bhxh_number"])]

    def check(self, w: Worker, row: int | None = None) -> list[Problem]:
        problems: list[Problem] = []
        for f in self.fields:
            verdict = self._judge(f, getattr(w, f.attr, None))
            if verdict is not None:
                problems.append(Problem(self.FORM, row, f.attr, verdict[0], verdict[1],
                                        f.spec.label))
        bad = {p.field for p in problems}
        return problems + self._rules(w.cccd, w.bhxh_number, w.birth_date, w.gender,
                                      "cccd" not in bad, "bhxh_number" not in bad, row)

    # -- many new workers ----------------------------------------------------------------

    def check_columns(self, columns: Mapping[str, Sequence[Any]],
                      rows: Sequence[int]) -> dict[int, list[Problem]]:
        """``check`` of the new workers whose values ``columns`` holds (attribute → its
        values, in the order of ``rows``; a missing column, or an empty value ("" for
        text, 0 for an amount, None for a date), stands for the value a new Worker gets):
        their problems by position."""
        n = len(rows)
        found: dict[int, list[Problem]] = {}
        values_of: dict[str, Sequence[Any]] = {}
        bad_of: dict[str, dict[int, tuple[str, dict]]] = {}
        for f in self.fields:
            values = columns.get(f.attr)
            if values is None:
                values = [f.default] * n
            elif f.default and not all(values):
                values = [v or f.default for v in values]
            values_of[f.attr] = values
            bad = bad_of[f.attr] = self._judge_column(f, values)
            for k, (code, params) in bad.items():
                found.setdefault(k, []).append(Problem(self.FORM, rows[k], f.attr, code,
                                                       params, f.spec.label))
        cccd, bhxh = values_of["cccd"], values_of["bhxh_number"]
        births, genders = values_of["birth_date"], values_of["gender"]
        cccd_bad, bhxh_bad = bad_of["cccd"], bad_of["bhxh_number"]
        for k in self._rule_rows(cccd, births, genders):
            problems = self._rules(cccd[k], bhxh[k], births[k], genders[k], k not in cccd_bad,
                                   k not in bhxh_bad, rows[k])
            if problems:
                found.setdefault(k, []).extend(problems)
        return found

    def _rule_rows(self, cccd: Sequence[Any], births: Sequence[Any],
                   genders: Sequence[Any]) -> Iterable[int]:
        """The positions the rules across fields must look at: all but the rows whose
        CCCD agrees with birth year and gender (a CCCD that is there and agrees passes
        both rules), found a column at a time."""
        try:
            coded = list(map(self.cccd_birth.get, map(_BIRTH, cccd)))
        except TypeError:  # a CCCD that is not text
            return range(len(cccd))
        years = [b.year if b.__class__ is PartialDate else None for b in births]
        return list(compress(range(len(cccd)), map(ne, coded, zip(genders, years, strict=True))))

    @staticmethod
    def _all_of_shape(f: _Field, values: Collection[Any]) -> bool:
        """Whether every value is text of the field's shape: then the field's check
        accepts them all."""
        try:
            joined = "\n".join(values)
        except TypeError:  # not all text
            return False
        if joined.count("\n") != len(values) - 1:
            return False
        if f.ftype == "text":  # any text up to its length: no need to look further
            return max(map(len, values)) <= (f.spec.max_length or 0) and (
                not f.required or all(values))
        return f.lines is not None and f.lines.fullmatch(joined) is not None

    def _judge_column(self, f: _Field, values: Sequence[Any]) -> dict[int, tuple[str, dict]]:
        """The verdicts of a column's values that are not None, by position."""
        expected = _TYPE_ONLY.get(f.ftype)
        if expected is not None and set(map(type, values)) == {expected}:
            return {}  # all of the type, and the type is all the field checks
        if f.direct is not None and f.lines is not None and self._all_of_shape(f, values):
            return {}  # identifiers differ on every row: all of them at once
        try:
            distinct = set(values)
        except TypeError:
            distinct = None
        if f.direct is None and f.lines is not None and distinct is not None \
                and self._all_of_shape(f, distinct):
            return {}  # the same for other texts, each distinct value once
        if distinct is None or len({v.__class__ for v in distinct} & _NUMBERS) > 1:
            # unhashable, or 1, 1.0 and True (equal, judged differently) side by side
            return {k: v for k, v in enumerate(self._judge(f, x) for x in values) if v}
        rest = distinct
        if f.outside is not None:
            texts = [v for v in distinct if v.__class__ is str]
            rejected = _rejected(f.outside, texts)
            if rejected is not None:
                accepted = set(texts).difference(rejected)
                rest = distinct.difference(accepted)
        verdicts = {}
        for v in rest:
            verdict = self._judge(f, v)
            if verdict is not None:
                verdicts[v] = verdict
        if not verdicts:
            return {}
        return {k: verdicts[v] for k, v in enumerate(values) if v in verdicts}


# -- the same person? ----------------------------------------------------------------------

# What makes a worker the person they are: a file or a typed form may add to these, never
# silently change them (issue 13). The name and birth date, then the identifiers in the
# order workers are matched by.
PERSON_FIELDS = ("full_name", "birth_date", "bhxh_number", "cccd", "cmnd")
IDENTIFIERS = ("bhxh_number", "cccd", "cmnd")


def name_key(name: str) -> str:
    """A name as compared for the same person: NFC, case and spacing ignored, diacritics
    kept ("Nguyễn Văn A" and "NGUYỄN  văn a" agree; "Nguyen Van A" does not)."""
    return " ".join(nfc(nfc(name).casefold()).split())


def same_value(attr: str, stored: Any, given: Any) -> bool:
    """Whether a given value agrees with the stored one: an empty side has nothing to
    disagree with; a value that is not of the field's type (a cell that could not be read,
    reported already) is not compared."""
    if not stored or not given or stored == given:
        return True
    if attr == "full_name":
        return given.__class__ is not str or name_key(stored) == name_key(given)
    if attr == "birth_date":
        return given.__class__ is not PartialDate
    return given.__class__ is not str


def identity_differences(stored: Worker, given: Mapping[str, Any]) -> tuple[str, ...]:
    """The identity fields (``PERSON_FIELDS``) on which ``given`` disagrees with ``stored``."""
    return tuple(attr for attr in PERSON_FIELDS if attr in given
                 and not same_value(attr, getattr(stored, attr), given[attr]))


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class IdentityConflict:
    """A stored worker found by one identifier whose person another version disagrees
    with: both versions, and what storing the other version would make of the worker."""

    matched_by: str  # the identifier it was found by: bhxh_number | cccd | cmnd
    fields: tuple[str, ...]  # the identity fields that differ
    before: Worker  # the stored worker, as it was read
    after: Worker  # the stored worker with the other version over it

    @property
    def worker_id(self) -> int:
        assert self.before.id is not None
        return self.before.id

    @property
    def stored(self) -> dict[str, str]:
        """The stored version's identity fields, as shown."""
        return {attr: _shown(getattr(self.before, attr)) for attr in PERSON_FIELDS}

    @property
    def given(self) -> dict[str, str]:
        """The other version's identity fields, as shown (what it leaves empty: the
        stored value, which it would keep)."""
        return {attr: _shown(getattr(self.after, attr)) for attr in PERSON_FIELDS}

    def lines(self, lang: str = "vi") -> list[tuple[str, str, str, bool]]:
        """(field's name, stored, other version, whether they differ) per identity field
        either version has: the two versions side by side."""
        stored, given = self.stored, self.given
        return [(say(f"person_{attr}", lang), stored[attr], given[attr], attr in self.fields)
                for attr in PERSON_FIELDS if stored[attr] or given[attr]]

    def params(self, lang: str = "vi") -> dict[str, Any]:
        """The placeholders of the conflict messages (``worker_conflict`` …)."""
        key = getattr(self.before, self.matched_by)
        return {"key": f"{say(f'person_{self.matched_by}', lang)} {key}",
                "worker": self.worker_id,
                "fields": _listed([say(f"person_{a}", lang) for a in self.fields], lang),
                "stored": describe(self.stored, lang), "incoming": describe(self.given, lang)}

    def to_dict(self) -> dict[str, Any]:
        return {"worker_id": self.worker_id, "matched_by": self.matched_by,
                "fields": list(self.fields), "stored": self.stored, "given": self.given}


def _listed(words: list[str], lang: str) -> str:
    """"a", "a và b", "a, b và c"."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {say('person_and', lang)} {words[-1]}"


def describe(version: Mapping[str, str], lang: str = "vi") -> str:
    """One version of a person in a line: the name, then each other identity field with
    its name ("Nguyễn Văn A, ngày sinh 01/02/1980, mã số BHXH 0100000001")."""
    parts = [version["full_name"]] if version.get("full_name") else []
    parts += [f"{say(f'person_{attr}', lang)} {version[attr]}" for attr in PERSON_FIELDS[1:]
              if version.get(attr)]
    return ", ".join(parts) or "-"


def identity_conflict(stored: Worker, given: Mapping[str, Any], matched_by: str,
                      after: Worker) -> IdentityConflict | None:
    """The conflict between a stored worker and another version of them (``given``: the
    values that version has), or None when it agrees on the person."""
    differ = identity_differences(stored, given)
    return IdentityConflict(matched_by, differ, stored, after) if differ else None
