"""Contributions for given salaries, as the officer checks them before declaring."""

from __future__ import annotations

from typing import Any

from ..catalog import Catalog
from ..domain import contributions as contrib
from ..domain.model import Period
from .app import UserError


def calculate(catalog: Catalog, period: Period, region: str, salaries: list[int],
              reduced_accident_rate: bool = False) -> dict[str, Any]:
    """Each fund's employer and employee amounts, per salary and in total."""
    if region not in contrib.REGIONS:
        raise UserError("not_in_list", exit_code=2, value=region)
    table = catalog.rates
    day = period.first_day
    try:
        workers = [contrib.compute_worker(table, day, region, s,
                                          reduced_accident_rate=reduced_accident_rate)
                   for s in salaries]
        total = contrib.compute_many(table, day, region,
                                     [contrib.WorkerInput(s) for s in salaries],
                                     reduced_accident_rate=reduced_accident_rate)
    except ValueError as exc:
        raise UserError("rates_missing", exit_code=1, period=str(period), detail=str(exc)) \
            from None
    return {
        "period": str(period),
        "region": region,
        "minimum_wage": table.minimum_wage_at(day, region),
        "workers": [
            {"salary": w.salary, "floored": w.floored, "capped": sorted(w.capped),
             "funds": {f: {"employer": s.employer, "employee": s.employee}
                       for f, s in w.funds.items()},
             "total": w.total}
            for w in workers],
        "funds": {f: {"employer": s.employer, "employee": s.employee, "total": s.total}
                  for f, s in total.funds.items()},
        "employer_total": total.employer_total,
        "employee_total": total.employee_total,
        "total": total.total,
    }
