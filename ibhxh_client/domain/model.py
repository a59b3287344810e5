"""The things an HR officer declares: the employer, its workers, and declarations.

Plain data classes with no I/O. Identifiers are checked in ``ids``; names and text are
cleaned in ``text``; money is whole đồng (int).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

_PERIOD = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


class PeriodError(ValueError):
    """A period (month/year) that cannot be read."""


@dataclass(frozen=True, order=True)
class Period:
    """A declaration month, written MM/YYYY on every form."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 2200:
            raise PeriodError(f"{self.month:02d}/{self.year}")

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "MM/YYYY" (also "M/YYYY", "MM-YYYY"); raise PeriodError otherwise."""
        m = _PERIOD.match(text or "")
        if not m:
            raise PeriodError(text)
        return cls(int(m.group(2)), int(m.group(1)))

    @classmethod
    def of(cls, day: date) -> Period:
        """The period a calendar day falls in."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        """The first day of the month, used to look up dated rates."""
        return date(self.year, self.month, 1)

    def months_since(self, other: Period) -> int:
        """How many months this period lies after ``other`` (negative when before)."""
        return (self.year - other.year) * 12 + self.month - other.month

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year}"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date of birth as TK1-TS allows it: a full date, a month and year, or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("day without month")
        if self.month is not None:
            # Raises ValueError for an impossible day or month.
            date(self.year, self.month, self.day or 1)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read dd/mm/yyyy, mm/yyyy or yyyy; raise ValueError otherwise."""
        parts = [p for p in re.split(r"[/.-]", (text or "").strip()) if p]
        if not parts or not all(p.isdigit() for p in parts) or len(parts) > 3:
            raise ValueError(text)
        nums = [int(p) for p in parts]
        if len(parts[-1]) != 4:
            raise ValueError(text)
        if len(nums) == 3:
            return cls(nums[2], nums[1], nums[0])
        if len(nums) == 2:
            return cls(nums[1], nums[0])
        return cls(nums[0])

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        if self.month is not None:
            return f"{self.month:02d}/{self.year}"
        return f"{self.year}"


class WorkerStatus(StrEnum):
    """Where a worker stands with Social Security, which decides the allowed plan codes."""

    NEW = "new"  # not yet declared as an increase
    ACTIVE = "active"  # contributing
    PAUSED = "paused"  # unpaid, maternity or sick leave
    LEFT = "left"  # permanently decreased or transferred out


class DossierState(StrEnum):
    """The dossier's life (DESIGN.md): each transition is stored with its history row."""

    DRAFT = "draft"
    VALIDATED = "validated"
    SIGNED = "signed"
    SENT = "sent"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PRINTED = "printed"


@dataclass
class Employer:
    """The unit (đơn vị) that declares; TK3-TS describes it."""

    unit_code: str  # mã đơn vị, given by the BHXH agency
    name: str
    tax_code: str
    agency_code: str = ""  # the BHXH agency that manages the unit (5 digits)
    unit_type: str = ""
    address: str = ""
    province: str = ""
    phone: str = ""
    email: str = ""
    licence_number: str = ""
    licence_date: date | None = None
    payment_mode: str = "01"
    bank_account: str = ""
    bank_name: str = ""
    region: str = "I"  # wage region of the workplace
    signer_name: str = ""  # người ký, the head of the unit
    contact_name: str = ""  # người lập biểu
    reduced_accident_rate: bool = False  # 0.3 % BHTNLĐ-BNN for approved units
    registered: bool = True  # False until its first registration (TK3-TS) is filed


@dataclass
class Worker:
    """A person employed by the unit (TK1-TS section I and the D02-LT row)."""

    full_name: str
    gender: str  # "M" | "F"
    birth_date: PartialDate
    id: int | None = None
    bhxh_number: str = ""  # empty until the agency gives one: then TK1-TS is needed
    cccd: str = ""  # CCCD / personal ID (12 digits) or passport for foreigners
    cmnd: str = ""  # old 9-digit ID, still on old records
    nationality: str = "VN"
    ethnicity: str = "01"
    phone: str = ""
    email: str = ""
    birth_place: str = ""  # place of birth registration, as text (ward, province)
    birth_province: str = ""
    address: str = ""
    address_province: str = ""
    position: str = ""
    salary: int = 0
    allowances: int = 0
    kcb_code: str = ""  # initial clinic for the health-insurance card
    receive_method: str = "1"
    status: WorkerStatus = WorkerStatus.NEW

    @property
    def key(self) -> str:
        """A stable identity across imports: BHXH number, else CCCD, else CMND."""
        return self.bhxh_number or self.cccd or self.cmnd


@dataclass
class DeclarationLine:
    """One row of D02-LT: one worker, one change."""

    worker_id: int
    plan: str  # phương án: TM, ON, GH, DC …
    from_month: Period
    salary: int = 0  # VND; 0 when paid by coefficient
    to_month: Period | None = None
    position: str = ""
    coefficient: Decimal | None = None  # state pay scale, then the allowances below
    position_coef: Decimal | None = None
    overframe_pct: Decimal | None = None
    seniority_pct: Decimal | None = None
    allowances: int = 0  # other allowances in VND
    leave_days: int = 0
    decision_number: str = ""
    decision_date: date | None = None
    has_book: bool = False
    note: str = ""
    # A line of a procedure about the person rather than contributions (607, 608 …): what
    # changes or why (TK1-TS Noidung_Thaydoi), and the type of the document that backs
    # it (D01-TS, with ``decision_number`` and ``decision_date`` as its number and date)
    change: str = ""
    doc_type: str = ""


@dataclass
class SupportingDocument:
    """One row of D01-TS: a document that backs a late or retroactive change."""

    worker_id: int | None
    doc_type: str
    number: str = ""
    issue_date: date | None = None
    effective_date: date | None = None
    issuer: str = ""
    summary: str = ""
    content: str = ""


@dataclass
class Declaration:
    """A month's filing for one procedure: its lines (one per worker) plus what the
    procedure needs."""

    procedure: str  # 600, 604, 607 … (forms/procedures.toml)
    period: Period
    lines: list[DeclarationLine] = field(default_factory=list)
    documents: list[SupportingDocument] = field(default_factory=list)
    first_registration: bool = False
    id: int | None = None
    state: DossierState = DossierState.DRAFT
    created: date | None = None
    change: str = ""  # a procedure about the unit itself (604): what changes
    # A claim list (630a/b/c): the claims it carries, instead of lines (domain.claims)
    claims: list = field(default_factory=list)
    # The stored version it was read at (0: not read from storage); a save made from an
    # older version than the stored one is refused (another officer changed it).
    version: int = 0
