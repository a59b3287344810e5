"""Rules across the fields of a row, and across the rows of a form, by name.

A form's definition lists the rules that apply to it (``rules = [...]``); each rule reads
records by field name, so it works the same on a declaration being edited and on an XML
file received from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import ids
from .model import WorkerStatus
from .text import vnd
from .validation import RuleContext

RowIssue = tuple[str, str, dict[str, Any]]  # (field, message code, params)
TableIssue = tuple[int, str, str, dict[str, Any]]  # (row, field, message code, params)


def plan_matches_procedure(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    proc, plan = ctx.procedure, rec.get("phuong_an")
    if proc and plan and plan not in proc.plans:
        return [("phuong_an", "plan_procedure",
                 {"plan": plan, "procedure": proc.code, "allowed": ", ".join(proc.plans)})]
    return []


def to_month_after_from(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    start, end = rec.get("tu_thang"), rec.get("den_thang")
    if start and end and end < start:
        return [("den_thang", "to_before_from", {"to": end, "start": start})]
    return []


def plan_kind(ctx: RuleContext, plan: str | None) -> str:
    """A plan code's kind (increase, decrease, adjust): the ``kind`` column of
    codelists/plan_codes.csv; "" for no code or an unknown one."""
    plans = ctx.codelists.get("plan_codes")
    return plans.column(plan, "kind", "") if plans is not None and plan else ""


def salary_floor(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """A contribution salary must reach the floor of its month (the rate table's: the
    regional minimum wage for a labour contract). A decrease may leave it out."""
    if rec.get("he_so"):
        return []  # state pay scale: coefficient × base salary, no floor in the table
    salary = rec.get("muc_luong") or 0
    decrease = plan_kind(ctx, rec.get("phuong_an")) == "decrease"
    if not salary:
        return [] if decrease else [("muc_luong", "salary_missing", {})]
    start = rec.get("tu_thang") or ctx.period
    if ctx.salary_floor is None or start is None:
        return []
    try:
        floor = ctx.salary_floor(start, ctx.region)
    except ValueError:
        return []
    total = salary + (rec.get("pc_khac") or 0)
    if total < floor:
        return [("muc_luong", "salary_floor", {"salary": vnd(total), "floor": vnd(floor),
                                               "region": ctx.region, "period": start})]
    return []


def cccd_agrees(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """The CCCD's century/gender and year digits must agree with the worker's data."""
    cccd, born, gender = rec.get("so_cccd"), rec.get("ngay_sinh"), rec.get("gioi_tinh")
    if not cccd or ids.check_cccd(cccd):
        return []  # missing, or already reported by the field check
    code = ids.check_cccd(cccd, birth_year=born.year if born else None, gender=gender or None)
    return [("so_cccd", code, {"value": cccd, "kind": "cccd"})] if code else []


def identity(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    if not rec.get("ma_so_bhxh") and not rec.get("so_cccd"):
        return [("ma_so_bhxh", "identity_missing", {})]
    return []


def decision_for_late(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """Late or retroactive rows need the decision that D01-TS will list."""
    start = rec.get("tu_thang")
    if ctx.period and start and start < ctx.period:
        if not rec.get("so_quyet_dinh") or not rec.get("ngay_quyet_dinh"):
            return [("so_quyet_dinh", "decision_missing", {"start": start})]
    return []


def unique_workers(rows: list[dict[str, Any]], ctx: RuleContext) -> list[TableIssue]:
    """The same worker twice in one declaration is a mistake the gateway rejects."""
    seen: dict[str, int] = {}
    issues = []
    for index, rec in enumerate(rows, start=1):
        row = rec.get("stt") or index
        for key_field in ("ma_so_bhxh", "so_cccd"):
            key = rec.get(key_field)
            if not key:
                continue
            tagged = f"{key_field}:{key}"
            if tagged in seen:
                issues.append((row, key_field, "duplicate_worker", {"other": seen[tagged]}))
                break
            seen[tagged] = row
    return issues


def worker_status(rows: list[dict[str, Any]], ctx: RuleContext) -> list[TableIssue]:
    """A decrease needs a worker who was increased; an increase, one who is not active
    (each row by its own plan code's kind)."""
    if ctx.status_of is None:
        return []
    issues = []
    for index, rec in enumerate(rows, start=1):
        plan = rec.get("phuong_an")
        kind = plan_kind(ctx, plan)
        if kind not in ("increase", "decrease"):
            continue
        status = ctx.status_of(rec)
        if kind == "decrease" and status in (None, WorkerStatus.NEW):
            issues.append((rec.get("stt") or index, "phuong_an", "never_increased",
                           {"plan": plan}))
        elif kind == "increase" and status == WorkerStatus.ACTIVE:
            issues.append((rec.get("stt") or index, "phuong_an", "already_active",
                           {"plan": plan}))
    return issues


def bhxh_number_given(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """A book or card is re-issued or changed only for someone who has a BHXH number."""
    if rec.get("ma_so_bhxh"):
        return []
    return [("ma_so_bhxh", "bhxh_number_needed",
             {"procedure": ctx.procedure.code if ctx.procedure else ""})]


def change_given(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """A change, a correction or a re-issue says what changes or why (TK1-TS's, TK3-TS's
    "Nội dung thay đổi, yêu cầu")."""
    if (rec.get("noi_dung_thay_doi") or "").strip():
        return []
    return [("noi_dung_thay_doi", "change_missing",
             {"procedure": ctx.procedure.code if ctx.procedure else ""})]


def kind_matches_procedure(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """A claim goes in the list of its kind's procedure (codelists/benefit_kinds.csv's
    ``procedure``: sickness 630a, maternity 630b, convalescence 630c)."""
    kinds = ctx.codelists.get("benefit_kinds")
    kind, proc = rec.get("loai_che_do"), ctx.procedure
    wanted = kinds.column(kind, "procedure", "") if kinds is not None and kind else ""
    if proc is None or not wanted or wanted == proc.code:
        return []
    # "benefit", not "kind": a problem's "kind" names an identifier check (Problem.text)
    return [("loai_che_do", "kind_procedure", {"benefit": kinds.label(kind), "procedure":
                                                proc.code, "wanted": wanted})]


def dates_in_order(rec: dict[str, Any], ctx: RuleContext) -> list[RowIssue]:
    """A leave ends on or after the day it starts."""
    start, end = rec.get("tu_ngay"), rec.get("den_ngay")
    if start and end and end < start:
        return [("den_ngay", "to_day_before_from", {"to": end.strftime("%d/%m/%Y"),
                                                     "start": start.strftime("%d/%m/%Y")})]
    return []


ROW_RULES: dict[str, Callable[[dict[str, Any], RuleContext], list[RowIssue]]] = {
    "plan_matches_procedure": plan_matches_procedure,
    "to_month_after_from": to_month_after_from,
    "salary_floor": salary_floor,
    "cccd_agrees": cccd_agrees,
    "identity": identity,
    "decision_for_late": decision_for_late,
    "bhxh_number_given": bhxh_number_given,
    "change_given": change_given,
    "kind_matches_procedure": kind_matches_procedure,
    "dates_in_order": dates_in_order,
}

TABLE_RULES: dict[str, Callable[[list[dict[str, Any]], RuleContext], list[TableIssue]]] = {
    "unique_workers": unique_workers,
    "worker_status": worker_status,
}
