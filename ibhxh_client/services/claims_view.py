"""What the window needs of the benefit claims beyond ``services.claims``: a claim's
days, amount and problems as the officer types it (before anything is stored), which of
a claim's values a kind of claim uses, the claims of one list, and the periods a claim
belongs to (the list's filter).

Each function here only sequences ``services.claims``' own reading, checks and
assessment; the rules are ``domain.claim_rules``'. Candidates for ``services.claims``
itself (docs/ui.md, "Wiring").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..domain import claims as kinds
from ..domain.claim_rules import Assessment
from ..domain.claims import Claim
from ..domain.model import Period
from ..domain.validation import Problem
from ..storage import repo
from . import claims as claims_svc
from .app import App

# The values every claim has, then those only some kinds of claim use (what the rules of
# domain.claim_rules read for them, and the M01B-HSB columns they fill).
COMMON = ("kind", "from_date", "to_date", "days", "rest_days", "certificate", "payment",
          "bank_account", "bank_code", "note")
KIND_VALUES: dict[str, tuple[str, ...]] = {
    kinds.OWN_SICKNESS: ("heavy_work",),
    kinds.LONG_TERM_SICKNESS: ("heavy_work", "long_term_code"),
    kinds.CHILD_SICKNESS: ("child_birth_date", "child_id"),
    kinds.PRENATAL_VISIT: (),
    kinds.PREGNANCY_LOSS: ("pregnancy_weeks",),
    kinds.BIRTH_MOTHER: ("child_birth_date", "child_count", "child_id"),
    kinds.BIRTH_FATHER: ("child_birth_date", "child_count", "child_id", "surgery",
                         "pregnancy_weeks"),
    kinds.ADOPTION: ("child_birth_date", "child_count", "child_id"),
    kinds.CONTRACEPTION: ("surgery",),
    kinds.CONVALESCENCE_SICKNESS: ("long_term_code", "surgery"),
    kinds.CONVALESCENCE_MATERNITY: ("surgery", "child_count"),
}
OPTIONAL = tuple(dict.fromkeys(v for values in KIND_VALUES.values() for v in values))


def values_of_kind(kind: str) -> tuple[str, ...]:
    """The values a claim of ``kind`` uses besides the common ones (none for a kind not
    chosen yet)."""
    return KIND_VALUES.get(kind, ())


@dataclass
class Preview:
    """A claim as typed: the claim read from the values, what the rules make of it
    (None while a value cannot be read or the worker is not chosen), and every problem
    (those of reading first)."""

    claim: Claim
    assessment: Assessment | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def days(self) -> int | None:
        return self.assessment.days if self.assessment else None

    @property
    def amount(self) -> int | None:
        return self.assessment.amount if self.assessment else None

    def rule(self, lang: str = "vi") -> str:
        if self.assessment is None:
            return ""
        return self.assessment.rule.get(lang) or self.assessment.rule.get("vi", "")


def preview_claim(app: App, worker_id: int | None, values: Mapping[str, Any],
                  claim_id: int | None = None) -> Preview:
    """The claim ``values`` make (for ``worker_id``; over the stored claim ``claim_id``
    when one is being changed) as ``add_claim`` / ``update_claim`` would store it, and
    what the rules make of it against the worker's history and other claims. Nothing is
    stored."""
    with app.db.reading() as conn:
        if claim_id is not None:
            base = claims_svc._load(conn, claim_id).claim
        else:
            base = Claim(worker_id=0, kind="", from_date=None, to_date=None)  # type: ignore[arg-type]
        if worker_id is not None:
            base = replace(base, worker_id=worker_id)
        claim, problems = claims_svc._with_values(app, base, values)
        if worker_id is None:
            problems.append(claims_svc._problem(app, 1, "worker", "required"))
        unread = {p.field for p in problems}
        problems += [p for p in claims_svc.input_problems(app, claim)
                     if p.field not in unread]
        if problems:
            return Preview(claim, None, problems)
        # a changed claim is assessed as it will be after the change: in no list
        claim = claims_svc._undeclared(claim)
        heads = claims_svc._heads(conn)
        found = claims_svc._assess(app, conn, [claim], heads)
    assessment = claims_svc._named(app, [claim], found)[0]
    return Preview(claim, assessment, list(assessment.problems))


def claims_of_dossier(app: App, decl_id: int) -> list[claims_svc.ClaimView]:
    """The claims of one list, in its rows' order."""
    with app.db.reading() as conn:
        return claims_svc._views(app, conn, repo.claims_of_declaration(conn, decl_id))


def periods_of(view: claims_svc.ClaimView) -> list[Period]:
    """The periods a claim is listed under: its list's, or, in no list yet, each month
    its leave has days in (as ``list_claims(period=…)`` chooses)."""
    c = view.claim
    if c.declaration_id is not None and c.period:
        return [Period(int(c.period[:4]), int(c.period[5:7]))]
    first, last = Period.of(c.from_date), Period.of(c.to_date)
    out = [first]
    while out[-1] < last:
        p = out[-1]
        out.append(Period(p.year + p.month // 12, p.month % 12 + 1))
    return out
