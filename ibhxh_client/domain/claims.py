"""Benefit claims (sickness, maternity, convalescence): what the unit asks Social Security
to pay a worker, as the claim list M01B-HSB carries it (procedures 630a, 630b, 630c).

Plain data, no I/O. The kinds and their procedures are data in
``forms/codelists/benefit_kinds.csv``; the rules that give days and amounts are
``forms/benefits.toml`` through ``domain.benefits``; a claim is checked and its expected
amount computed by ``domain.claim_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The kinds of claim (codelists/benefit_kinds.csv has each one's name, procedure and
# source). Code decides what a kind needs, so the codes are named here once.
OWN_SICKNESS = "om_dau"  # the worker's own sickness, short term
LONG_TERM_SICKNESS = "om_dai_ngay"  # an illness on the Ministry of Health's long-term list
CHILD_SICKNESS = "con_om"  # caring for a sick child under 7
PRENATAL_VISIT = "kham_thai"
PREGNANCY_LOSS = "say_thai"  # miscarriage, abortion, stillbirth
BIRTH_MOTHER = "sinh_con"
BIRTH_FATHER = "cha_nghi"  # the father's leave when his wife gives birth
ADOPTION = "nhan_con_nuoi"
CONTRACEPTION = "tranh_thai"
CONVALESCENCE_SICKNESS = "duong_suc_om"
CONVALESCENCE_MATERNITY = "duong_suc_ts"

KINDS = (OWN_SICKNESS, LONG_TERM_SICKNESS, CHILD_SICKNESS, PRENATAL_VISIT, PREGNANCY_LOSS,
         BIRTH_MOTHER, BIRTH_FATHER, ADOPTION, CONTRACEPTION, CONVALESCENCE_SICKNESS,
         CONVALESCENCE_MATERNITY)
SICKNESS_KINDS = frozenset({OWN_SICKNESS, LONG_TERM_SICKNESS, CHILD_SICKNESS})
MATERNITY_KINDS = frozenset({PRENATAL_VISIT, PREGNANCY_LOSS, BIRTH_MOTHER, BIRTH_FATHER,
                             ADOPTION, CONTRACEPTION})
CONVALESCENCE_KINDS = frozenset({CONVALESCENCE_SICKNESS, CONVALESCENCE_MATERNITY})
# Kinds whose claim names a child: its birth date (and, for a birth, how many).
CHILD_KINDS = frozenset({CHILD_SICKNESS, BIRTH_MOTHER, BIRTH_FATHER, ADOPTION})

DEFAULT_REST_DAYS = "7"  # Sunday (ISO weekday 7): Labour Code 2019 art. 111's default


@dataclass
class Claim:
    """One row of the claim list: one worker, one leave (or one allowance).

    ``days`` is what the unit proposes (Tổng số ngày nghỉ); None lets the program count
    it from the dates, the calendar and the rule. ``expected_*`` and ``rule`` are what the
    program computed when the claim was declared (kept, so the approved amount can be
    compared with what was asked); ``approved_*`` is Social Security's answer.
    """

    worker_id: int
    kind: str
    from_date: date
    to_date: date
    id: int | None = None
    days: int | None = None
    rest_days: str = ""  # the worker's weekly rest days as ISO weekday digits ("67"); "" = unit's
    heavy_work: bool = False  # heavy, hazardous or dangerous trade, or hardship area
    long_term_code: str = ""  # the long-term illness code (mã bệnh dài ngày)
    surgery: bool = False  # surgery / caesarean (convalescence, father's days)
    pregnancy_weeks: int | None = None  # pregnancy loss; a birth under 32 weeks
    child_birth_date: date | None = None
    child_count: int = 0  # children born (or adopted) at once
    child_id: str = ""  # the child's health-insurance card or personal number
    # A birth: the exceptions to the months of contribution it needs (a doctor ordered
    # rest during the pregnancy, "Nghỉ dưỡng thai"; leave to treat infertility), and a
    # second child (more months for the mother, more days for the father where a rule
    # says so)
    prenatal_rest: bool = False
    infertility: bool = False
    second_child: bool = False
    certificate: str = ""  # serial of the leave certificate (số serial chứng từ)
    payment: str = ""  # how the worker is paid (codelists/benefit_payment.csv)
    bank_account: str = ""
    bank_code: str = ""
    note: str = ""
    period: str = ""  # YYYY-MM of the list it was declared in ("" until declared)
    declaration_id: int | None = None
    expected_days: int | None = None
    expected_amount: int | None = None
    # What the amount was computed from (Assessment.salary_base, .months): the claim list
    # carries both (M01B-HSB TienLuongTinhHuong, SoThangDong), so Social Security can
    # compute the same amount from the row alone
    salary_base: int | None = None
    months: int | None = None
    rule: str = ""
    approved_days: int | None = None
    approved_amount: int | None = None
    approved_note: str = ""

    @property
    def difference(self) -> int | None:
        """Approved minus expected, once both are known."""
        if self.approved_amount is None or self.expected_amount is None:
            return None
        return self.approved_amount - self.expected_amount
