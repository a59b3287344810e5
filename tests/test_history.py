"""Months of contribution (domain/history.py).

GUIDE21M: hongquantq92/hddtvn, huong-dan-cach-tinh-tien-thai-san-nam-2021-chuan-nhat.md
(from hddtvn.com): a worker paid 6,000,000 a month from 1/2019 to 12/2019 and 7,000,000
from 1/2020 to 3/2020, on leave from 4/2020: the average of the 6 months before is
6,500,000.
"""

from __future__ import annotations

import pytest

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.history import History, Stint, derive_stints
from ibhxh_client.domain.model import DeclarationLine, Period


def P(text: str) -> Period:
    return Period.parse(text)


def test_guide21m_average_of_the_six_months_before_the_leave():
    h = History.of([Stint(P("01/2019"), P("12/2019"), 6_000_000),
                    Stint(P("01/2020"), P("03/2020"), 7_000_000)])
    salaries = h.average_before(P("04/2020"))
    assert salaries == [6_000_000] * 3 + [7_000_000] * 3
    assert sum(salaries) // len(salaries) == 6_500_000
    assert h.months_paid(P("04/2020"), 12) == 12
    assert h.total_months(P("04/2020")) == 15
    assert h.salary_before(P("04/2020")) == 7_000_000


def test_overlapping_stints_count_a_month_once_and_the_later_salary_wins():
    h = History.of([Stint(P("01/2024"), P("12/2024"), 5_000_000),
                    Stint(P("06/2024"), P("09/2024"), 6_000_000)])
    assert h.total_months(P("01/2025")) == 12
    assert h.salary_in(P("05/2024")) == 5_000_000
    assert h.salary_in(P("06/2024")) == 6_000_000
    assert h.salary_in(P("10/2024")) == 5_000_000
    earlier_wins_if_listed_last = History.of([Stint(P("06/2024"), P("09/2024"), 6_000_000),
                                              Stint(P("01/2024"), P("12/2024"), 5_000_000)])
    assert earlier_wins_if_listed_last.salary_in(P("06/2024")) == 5_000_000


def test_open_stint_runs_to_any_month_asked():
    h = History.of([Stint(P("03/2025"), None, 8_000_000)])
    assert h.total_months(P("03/2025")) == 0
    assert h.total_months(P("03/2026")) == 12
    assert h.months_paid(P("10/2025"), 12) == 7
    assert h.salary_before(P("01/2030")) == 8_000_000
    assert h.stints == [Stint(P("03/2025"), None, 8_000_000)]


def test_gaps_are_skipped_by_the_average_and_counted_by_the_window():
    h = History.of([Stint(P("01/2024"), P("03/2024"), 5_000_000),
                    Stint(P("09/2024"), P("11/2024"), 7_000_000)])
    assert h.average_before(P("01/2025")) == [5_000_000] * 3 + [7_000_000] * 3
    assert h.average_before(P("01/2025"), 4) == [5_000_000] + [7_000_000] * 3
    assert h.months_paid(P("01/2025"), 12) == 6
    assert h.months_paid(P("01/2025"), 4) == 3
    assert h.salary_before(P("08/2024")) == 5_000_000
    assert not h.paid(P("05/2024")) and h.paid(P("10/2024"))
    assert h.salary_before(P("01/2024")) is None
    assert h.average_before(P("01/2024")) == []


def test_flat_is_what_a_claim_list_row_carries():
    h = History.flat(6_000_000, 6, P("07/2025"))
    assert h.stints == [Stint(P("01/2025"), P("06/2025"), 6_000_000)]
    assert h.average_before(P("07/2025")) == [6_000_000] * 6
    assert History.flat(6_000_000, 0, P("07/2025")).total_months(P("07/2025")) == 0
    with pytest.raises(ValueError):
        History.flat(6_000_000, -1, P("07/2025"))


def test_a_stint_is_checked():
    with pytest.raises(ValueError, match="before it starts"):
        Stint(P("05/2025"), P("04/2025"), 1)
    with pytest.raises(ValueError, match="salary"):
        Stint(P("05/2025"), None, -1)


@pytest.fixture(scope="module")
def kinds() -> dict[str, str]:
    catalog = load_catalog()
    return {code: catalog.plan_kind(code) for code in catalog.codelist("plan_codes").entries}


def _line(plan: str, start: str, to: str | None = None) -> DeclarationLine:
    return DeclarationLine(1, plan, P(start), to_month=P(to) if to else None)


def test_derive_stints_from_d02_lines(kinds):
    """TM from 1/2023 at 5,000,000; DC from 1/2024 to 6,000,000; KL for 3-4/2024 (two
    months unpaid, then paid again); GH from 1/2025."""
    lines = [(_line("TM", "01/2023"), 5_000_000), (_line("DC", "01/2024"), 6_000_000),
             (_line("KL", "03/2024", "04/2024"), 0), (_line("GH", "01/2025"), 0)]
    assert derive_stints(lines, kinds) == [
        Stint(P("01/2023"), P("12/2023"), 5_000_000),
        Stint(P("01/2024"), P("02/2024"), 6_000_000),
        Stint(P("05/2024"), P("12/2024"), 6_000_000)]


def test_derive_stints_return_transfer_and_adjust_with_an_end(kinds):
    """ON after a leave starts a new stint; a DC with an end month changes only those
    months; an adjustment never makes a month paid."""
    lines = [(_line("TM", "01/2024"), 5_000_000), (_line("TS", "03/2024"), 0),
             (_line("ON", "09/2024"), 5_500_000), (_line("DC", "10/2024", "11/2024"),
                                                   6_000_000),
             (_line("DC", "05/2024", "06/2024"), 9_000_000)]
    history = History.of(derive_stints(lines, kinds))
    assert history.salary_in(P("02/2024")) == 5_000_000
    assert not history.paid(P("05/2024"))  # the DC over months not paid changed nothing
    assert history.salary_in(P("10/2024")) == 6_000_000
    assert history.salary_in(P("12/2024")) == 5_500_000
    assert history.total_months(P("01/2025")) == 2 + 4


def test_derive_stints_refuses_an_unknown_plan(kinds):
    with pytest.raises(ValueError, match="XX"):
        derive_stints([(_line("XX", "01/2024"), 1)], kinds)
