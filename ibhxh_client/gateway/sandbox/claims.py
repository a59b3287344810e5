"""The sandbox's answer to a claim list (M01B-HSB; procedures 630a, 630b, 630c).

Each row is computed again from what it carries alone (the kind, the dates and days, the
weekly rest days, the child, a birth's prenatal rest, infertility treatment and second
child, the salary base and the months of contribution), with the
program's own rules (``domain.claim_rules.assess_claims`` over a flat history:
``History.flat(salary base, months, the month the leave starts)``). A row whose claim
fails those rules is rejected with their reason; any other is approved with the days and
the amount the sandbox computed, and the answer says so when that amount differs from
the one asked. Rows are computed in order, each against the worker's claims approved
before: in earlier lists (the sandbox's state keeps them) and in this list's rows above.

Training mode breaks rules on purpose, each one named (``TRAINING``) and documented in
docs/gateway-protocol.md, so an officer learns to read an answer that differs from what
the program expected:

==================== ===============================================================
round_daily          the amount of one day is rounded to the thousand đồng before it
                     is multiplied by the days (an approved amount a few đồng off)
certificate_required a sickness claim (630a) without the serial of its leave
                     certificate is rejected
own_days             it pays at most the days it counts itself between the two dates:
                     every day but Sundays, whatever the kind, the worker's rest days
                     and the public holidays
==================== ===============================================================
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from ...catalog import Catalog, derived
from ...domain.claims import DEFAULT_REST_DAYS, SICKNESS_KINDS, Claim
from ...domain.formspec import FormSpec
from ...domain.model import Period
from ...domain.text import vnd
from ...domain.validation import FormData
from ..result import ClaimOutcome, Reason

TRAINING = ("round_daily", "certificate_required", "own_days")

REASONS = {
    "claim_refused": {
        "vi": "Đề nghị không đủ điều kiện hưởng: {detail}",
        "en": "The claim does not qualify: {detail}"},
    "not_computable": {
        "vi": "Không tính được chế độ từ dữ liệu của dòng: {detail}",
        "en": "The benefit cannot be computed from the row: {detail}"},
    "certificate_missing": {
        "vi": "Chế độ ốm đau cần số serial của giấy chứng nhận nghỉ việc hưởng BHXH; dòng "
              "này không có.",
        "en": "A sickness claim needs the serial of its leave certificate; this row has "
              "none."},
    "amount_differs": {
        "vi": "Duyệt {days} ngày, {amount} đồng; đơn vị đề nghị {asked_days} ngày, {asked} "
              "đồng.",
        "en": "Approved {days} days, {amount} VND; the unit asked {asked_days} days, "
              "{asked} VND."},
}


def check_training(names: Collection[str]) -> frozenset[str]:
    """The training breaks asked for, each one known; ValueError names an unknown one."""
    unknown = sorted(set(names) - set(TRAINING))
    if unknown:
        raise ValueError(f"unknown training rules {unknown} (known: {', '.join(TRAINING)})")
    return frozenset(names)


@dataclass(frozen=True)
class ClaimRow:
    """One row of a claim list as received, kept (as JSON) until it is processed."""

    row: int
    bhxh: str
    kind: str
    from_date: str  # ISO 8601
    to_date: str
    days: int
    rest_days: str = ""
    heavy_work: bool = False
    long_term_code: str = ""
    surgery: bool = False
    pregnancy_weeks: int | None = None
    child_birth_date: str = ""
    child_count: int = 0
    child_id: str = ""
    prenatal_rest: bool = False
    infertility: bool = False
    second_child: bool = False
    certificate: str = ""
    salary_base: int = 0
    months: int = 0
    asked: int = 0

    def claim(self) -> Claim:
        """The claim this row asks for, as the program's rules take it (the row's days
        are the days proposed)."""
        born = date.fromisoformat(self.child_birth_date) if self.child_birth_date else None
        return Claim(worker_id=self.row, kind=self.kind,
                     from_date=date.fromisoformat(self.from_date),
                     to_date=date.fromisoformat(self.to_date), days=self.days,
                     rest_days=self.rest_days, heavy_work=self.heavy_work,
                     long_term_code=self.long_term_code, surgery=self.surgery,
                     pregnancy_weeks=self.pregnancy_weeks, child_birth_date=born,
                     child_count=self.child_count, child_id=self.child_id,
                     prenatal_rest=self.prenatal_rest, infertility=self.infertility,
                     second_child=self.second_child, certificate=self.certificate)

    def to_json(self) -> dict[str, Any]:
        return {"claim": asdict(self)}


def is_claim_row(stored: dict[str, Any]) -> bool:
    """Whether a stored row of a dossier is a claim (else a D02-TS row)."""
    return "claim" in stored


def from_json(stored: dict[str, Any]) -> ClaimRow:
    return ClaimRow(**stored["claim"])


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def claim_rows(data: FormData) -> list[ClaimRow]:
    """The rows of a received claim list (read with its definition), by where each field's
    value comes from (``claim.kind``, ``worker.bhxh_number`` …), not by element names."""
    spec = data.spec
    assert spec.rows is not None
    out = []
    for index, record in enumerate(data.rows, start=1):
        v = {f.source: record.get(f.name) for f in spec.rows.fields}
        out.append(ClaimRow(
            row=v.get("row.stt") or index, bhxh=v.get("worker.bhxh_number") or "",
            kind=v["claim.kind"], from_date=_iso(v["claim.from_date"]),
            to_date=_iso(v["claim.to_date"]), days=v.get("claim.expected_days") or 0,
            rest_days=v.get("claim.rest_days") or "",
            heavy_work=bool(v.get("claim.heavy_work")),
            long_term_code=v.get("claim.long_term_code") or "",
            surgery=bool(v.get("claim.surgery")),
            pregnancy_weeks=v.get("claim.pregnancy_weeks"),
            child_birth_date=_iso(v.get("claim.child_birth_date")),
            child_count=v.get("claim.child_count") or 0,
            child_id=v.get("claim.child_id") or "",
            prenatal_rest=bool(v.get("claim.prenatal_rest")),
            infertility=bool(v.get("claim.infertility")),
            second_child=bool(v.get("claim.second_child")),
            certificate=v.get("claim.certificate") or "",
            salary_base=v.get("claim.salary_base") or 0, months=v.get("claim.months") or 0,
            asked=v.get("claim.expected_amount") or 0))
    return out


# -------------------------------------------------------------------------- computing


def _context(catalog: Catalog) -> Any:
    """The rules the sandbox computes with: the program's own (forms/benefits.toml,
    rates.toml, holidays.toml), Sunday the unit's rest day unless a row says otherwise."""
    from ...catalog import load_benefits, load_holidays
    from ...domain.claim_rules import ClaimContext

    return derived(catalog, "sandbox_claim_context", lambda: ClaimContext(
        rules=load_benefits(), rates=catalog.rates, calendar=load_holidays(),
        rest_days=DEFAULT_REST_DAYS))


def _round_thousand(x: Fraction) -> int:
    return int(x / 1000 + Fraction(1, 2)) * 1000


def _own_days(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` (both counted), Sundays left out."""
    total = (end - start).days + 1
    if total <= 0:
        return 0
    weeks, rest = divmod(total, 7)
    first = start + timedelta(days=weeks * 7)
    return total - weeks - sum(1 for i in range(rest)
                               if (first + timedelta(days=i)).isoweekday() == 7)


def _say(code: str, lang: str, **params: Any) -> str:
    return REASONS[code][lang].format(**params)


def _rejected(row: ClaimRow, code: str, attr: str = "", **params: Any
              ) -> tuple[ClaimOutcome, str, str]:
    """A rejected row: its outcome, the reason's code, the Claim attribute it is about.
    A ``detail`` parameter may be a (vi, en) pair."""
    detail = params.pop("detail", ("", ""))
    vi = _say(code, "vi", detail=detail[0], **params)
    en = _say(code, "en", detail=detail[1], **params)
    return ClaimOutcome(row=row.row, bhxh_number=row.bhxh, approved=False, days=0, amount=0,
                        reason_vi=vi, reason_en=en, asked=row.asked), code, attr


def _broken(days: int, amount: int, row: ClaimRow, training: frozenset[str]
            ) -> tuple[int, int]:
    """The days and amount after the training breaks (none outside training)."""
    if "own_days" in training and days:
        own = _own_days(date.fromisoformat(row.from_date), date.fromisoformat(row.to_date))
        if own < days:
            amount = int(Fraction(amount) * own / days + Fraction(1, 2))
            days = own
    if "round_daily" in training and days:
        amount = _round_thousand(Fraction(amount, days)) * days
    return days, amount


def assess_row(row: ClaimRow, catalog: Catalog, training: frozenset[str] = frozenset(),
               earlier: Sequence[Claim] = ()) -> tuple[ClaimOutcome, str, str]:
    """One row's outcome, the reason's code ("" when approved as asked) and the Claim
    attribute it is about ("" for none). ``earlier``: the worker's claims approved before
    (days already taken this year, overlaps, the sickness a convalescence follows)."""
    from ...domain.claim_rules import assess_claims
    from ...domain.history import History

    if "certificate_required" in training and row.kind in SICKNESS_KINDS \
            and not row.certificate:
        return _rejected(row, "certificate_missing", "certificate")
    claim = row.claim()
    history = History.flat(row.salary_base, row.months, Period.of(claim.from_date))
    try:
        (assessment,) = assess_claims([claim], {row.row: history}, _context(catalog),
                                      [replace(c, worker_id=row.row) for c in earlier])
    except ValueError as exc:  # a date no rule or calendar covers …
        return _rejected(row, "not_computable", detail=(str(exc)[:200],) * 2)
    errors = [p for p in assessment.problems if p.severity == "error"]
    if errors:
        return _rejected(row, "claim_refused", errors[0].field or "", detail=tuple(
            "; ".join(p.text(lang) for p in errors) for lang in ("vi", "en")))
    days, amount = _broken(assessment.days, assessment.amount, row, training)
    vi = en = code = ""
    if amount != row.asked or days != row.days:
        code = "amount_differs"
        figures = {"days": days, "amount": vnd(amount), "asked_days": row.days,
                   "asked": vnd(row.asked)}
        vi, en = _say(code, "vi", **figures), _say(code, "en", **figures)
    return ClaimOutcome(row=row.row, bhxh_number=row.bhxh, approved=True, days=days,
                        amount=amount, reason_vi=vi, reason_en=en, asked=row.asked), code, ""


def approved_claim(row: ClaimRow, days: int) -> Claim:
    """A claim as approved, the way a later one is checked against it."""
    return replace(row.claim(), days=days, expected_days=days, approved_days=days)


def stored_claim(kind: str, from_date: str, to_date: str, days: int) -> Claim:
    """A claim the sandbox approved in an earlier dossier (its state file's ``claims``)."""
    return Claim(worker_id=0, kind=kind, from_date=date.fromisoformat(from_date),
                 to_date=date.fromisoformat(to_date), days=days, expected_days=days,
                 approved_days=days)


def _element(spec: FormSpec | None, attr: str) -> str:
    """The element of the claim list that holds a Claim attribute (SoSeri …)."""
    if spec is None or spec.rows is None or not attr:
        return ""
    return next((f.xml for f in spec.rows.fields if f.source == f"claim.{attr}"), "")


@dataclass
class ClaimAnswer:
    """A claim list's answer: each row's outcome, a reason for each rejected row (form,
    row, element), and the claims approved (BHXH number, claim), to remember."""

    outcomes: list[ClaimOutcome] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    approved: list[tuple[str, Claim]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """A list is accepted when at least one of its claims is approved."""
        return any(o.approved for o in self.outcomes)


def answer_claims(rows: Sequence[ClaimRow], catalog: Catalog, training: Collection[str] = (),
                  earlier: Callable[[str], Sequence[Claim]] = lambda bhxh: ()
                  ) -> ClaimAnswer:
    """Every row computed again, in order: ``earlier(bhxh)`` gives a worker's claims
    approved before this list, and each row approved here counts for the rows after it."""
    spec = next((s for s in catalog.forms.values()
                 if s.rows is not None and s.rows.source == "claims"), None)
    form = spec.root if spec else ""
    breaks = frozenset(training)
    taken: dict[str, list[Claim]] = {}
    answer = ClaimAnswer()
    for row in rows:
        before = taken.setdefault(row.bhxh, list(earlier(row.bhxh)))
        outcome, code, attr = assess_row(row, catalog, breaks, before)
        answer.outcomes.append(outcome)
        if outcome.approved:
            claim = approved_claim(row, outcome.days)
            before.append(claim)
            answer.approved.append((row.bhxh, claim))
        else:
            answer.reasons.append(Reason(code=code, form=form, row=row.row,
                                         field=_element(spec, attr),
                                         message_vi=outcome.reason_vi,
                                         message_en=outcome.reason_en))
    return answer
