"""The sandbox's processing: what turns a received dossier into accepted or rejected.

Two rules of the real agency, enough to train with and to test the rejection path:

- a worker may be increased (TM, ON, TD, TC) only once per period by the same unit: a
  second increase, in a later dossier or twice in one, is rejected;
- a new participation (TM, TD, TC) is rejected while the BHXH number is active in another
  unit (that unit must report the decrease first).

Dossiers are processed in the order received. An accepted dossier records its increases
and moves each BHXH number's participation (increases start it here; GH, GD, GC end it).
Reasons name the form, row and field, never the worker's name or numbers.
"""

from __future__ import annotations

from typing import Any

from ..result import Reason
from .checks import Row

INCREASE = frozenset({"TM", "ON", "TD", "TC"})
NEW_PARTICIPATION = frozenset({"TM", "TD", "TC"})
LEAVING = frozenset({"GH", "GD", "GC"})

REASONS = {
    "increase_twice": {
        "vi": "Người lao động đã được báo tăng trong kỳ {period} (hồ sơ {other}); không báo "
              "tăng lần thứ hai trong cùng kỳ.",
        "en": "The worker was already increased in period {period} (dossier {other}); a "
              "second increase in the same period is not allowed."},
    "active_elsewhere": {
        "vi": "Mã số BHXH đang tham gia tại đơn vị khác; đơn vị cũ phải báo giảm trước.",
        "en": "The social insurance number is active with another unit; that unit must "
              "report the decrease first."},
}


def _reason(code: str, row: Row, field: str, **params: Any) -> Reason:
    text = REASONS[code]
    return Reason(code=code, form=row.form, row=row.row, field=field,
                  message_vi=text["vi"].format(**params), message_en=text["en"].format(**params))


def decide(store: Any, conn: Any, unit_code: str, period: str, number: str,
           rows: list[Row]) -> list[Reason]:
    """The reasons to reject (empty: accept); on accept, what the dossier changes is
    recorded in the same transaction."""
    reasons: list[Reason] = []
    seen: dict[str, str] = {}
    for row in rows:
        if row.plan not in INCREASE:
            continue
        other = seen.get(row.worker) or store.increased_by(conn, unit_code, period, row.worker)
        if other:
            reasons.append(_reason("increase_twice", row, "PhuongAn", period=period,
                                   other=other))
        seen.setdefault(row.worker, number)
        if row.plan in NEW_PARTICIPATION and row.bhxh:
            active = store.active_unit(conn, row.bhxh)
            if active is not None and active != unit_code:
                reasons.append(_reason("active_elsewhere", row, "MaSoBHXH"))
    if reasons:
        return reasons
    for row in rows:
        if row.plan in INCREASE:
            store.record_increase(conn, unit_code, period, row.worker, number)
            if row.bhxh:
                store.set_active(conn, row.bhxh, unit_code, number)
        elif row.plan in LEAVING and row.bhxh:
            store.end_active(conn, row.bhxh, unit_code)
    return []
