"""Public holidays and day counting (forms/holidays.toml, domain/calendar.py).

Sources (forms/holidays.toml says where each was read):
  LC19     Labour Code 45/2019/QH14 art. 111.3 (a holiday on a weekly rest day gives the
           next working day off) and 112.1 (the holidays).
  NOTICES  the yearly notices 2021-2026 as a public holiday library lists each year's
           weekdays off for the civil service (search index file 68840604849).
  PYHOL    vacanza/holidays tests/countries/test_vietnam.py @ 8890983e: the days given back
           in 2016-2023.
  GUIDE20  hongquantq92/hddtvn, "Chế độ ốm đau hưởng Bảo hiểm xã hội năm 2020"
           (Circular 59/2015/TT-BLĐTBXH's examples; their weekdays are those of 2016).
"""

from __future__ import annotations

import copy
import tomllib
from datetime import date, timedelta

import pytest

from ibhxh_client.catalog import CatalogError, load_holidays
from ibhxh_client.domain.calendar import Calendar, CalendarError
from ibhxh_client.paths import forms_dir
from tests.lunar import to_lunar


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return load_holidays()


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads((forms_dir() / "holidays.toml").read_text("utf-8"))


def _weekdays_off(cal: Calendar, year: int, rest: str = "67") -> list[tuple[int, int]]:
    day, out = date(year, 1, 1), []
    while day.year == year:
        if str(day.isoweekday()) not in rest and cal.is_day_off(day, rest):
            out.append((day.month, day.day))
        day += timedelta(days=1)
    return out


# --- the data -----------------------------------------------------------------------


def test_years_2016_to_2027_are_covered(cal):
    assert cal.years == tuple(range(2016, 2028))


def test_every_row_has_a_source_and_a_status_and_check_says_why(raw):
    for row in [*raw["law"], *raw["holiday"]]:
        assert row["source"].strip() and row["status"] in ("law", "seen", "check"), row
        if row["status"] == "check":
            assert row.get("note", "").strip(), row


@pytest.mark.parametrize("year", range(2016, 2028))
def test_lunar_dates_agree_with_the_astronomical_calendar(cal, year):
    """Tết's days include the 1st of the 1st lunar month; the Hùng Kings' day is the
    10th of the 3rd (LC19 art. 112.1(b), (e)), by Hồ Ngọc Đức's method at UTC+7."""
    rows = cal.rows[year]
    assert any(to_lunar(d)[:2] == (1, 1) for d in rows["tet"].days), year
    (hung,) = rows["hung_kings"].days
    assert to_lunar(hung) == (10, 3, year, False)
    # and Tết is the new year's eve and the days around the 1st, never later than the 4th
    for d in rows["tet"].days:
        lunar_day, lunar_month, _, _ = to_lunar(d)
        assert (lunar_month == 12 and lunar_day >= 28) or (lunar_month == 1 and lunar_day <= 4)


def test_national_day_has_its_adjacent_day_from_2021(cal):
    """LC19 art. 112.1(đ): 2/9 and one day before or after; the 2012 Code gave 2/9 only."""
    assert [d for d, n in cal.holidays(2020).items() if n == "national_day"] == [
        date(2020, 9, 2)]
    for year in range(2021, 2028):
        days = sorted(d for d, n in cal.holidays(year).items() if n == "national_day")
        assert len(days) == 2 and date(year, 9, 2) in days
        assert days[1] - days[0] == timedelta(days=1)


# --- compensatory days (art. 111.3) against the notices ---------------------------------


NOTICED = {
    # NOTICES: each year's weekdays off for Saturday-and-Sunday rest, without the
    # civil service's swapped Saturdays (2/5/2024 ↔ 4/5, 2/5/2025 ↔ 26/4, 2/1/2026 ↔ 10/1,
    # 31/8/2026 ↔ 22/8 bind the civil service only).
    2021: [(1, 1), (2, 10), (2, 11), (2, 12), (2, 15), (2, 16), (4, 21), (4, 30), (5, 3),
           (9, 2), (9, 3)],
    2022: [(1, 3), (1, 31), (2, 1), (2, 2), (2, 3), (2, 4), (4, 11), (5, 2), (5, 3), (9, 1),
           (9, 2)],
    2023: [(1, 2), (1, 20), (1, 23), (1, 24), (1, 25), (1, 26), (5, 1), (5, 2), (5, 3),
           (9, 1), (9, 4)],
    2024: [(1, 1), (2, 8), (2, 9), (2, 12), (2, 13), (2, 14), (4, 18), (4, 30), (5, 1),
           (9, 2), (9, 3)],
    2025: [(1, 1), (1, 27), (1, 28), (1, 29), (1, 30), (1, 31), (4, 7), (4, 30), (5, 1),
           (9, 1), (9, 2)],
    2026: [(1, 1), (2, 16), (2, 17), (2, 18), (2, 19), (2, 20), (4, 27), (4, 30), (5, 1),
           (9, 1), (9, 2), (11, 24)],
}


@pytest.mark.parametrize("year", sorted(NOTICED))
def test_weekdays_off_match_the_notices(cal, year):
    assert _weekdays_off(cal, year) == NOTICED[year]


def test_days_given_back_match_pyhol_2016_to_2020(cal):
    """PYHOL test_observed: 18/4/2016, 2 and 3/5/2016, 2/1/2017, 2/5/2017, 4/9/2017,
    3/9/2018, 15/4/2019 (Saturday-and-Sunday rest)."""
    given = {d for y in range(2016, 2021) for d in cal.compensatory(y, "67")}
    for d in (date(2016, 4, 18), date(2016, 5, 2), date(2016, 5, 3), date(2017, 1, 2),
              date(2017, 5, 2), date(2017, 9, 4), date(2018, 9, 3), date(2019, 4, 15)):
        assert d in given, d


def test_the_days_given_back_depend_on_the_rest_days(cal):
    """Tết 2023 ran Friday 20 to Tuesday 24 January. Resting on Saturday and Sunday, the
    two rest days among it give back 25 and 26/1; resting on Sunday only, Saturday 21 is
    a holiday like any other and only Sunday 22 gives 25/1 back."""
    assert cal.compensatory(2023, "67")[:3] == (date(2023, 1, 2), date(2023, 1, 25),
                                                date(2023, 1, 26))
    assert date(2023, 1, 25) in cal.compensatory(2023, "7")
    assert date(2023, 1, 26) not in cal.compensatory(2023, "7")
    assert cal.is_day_off(date(2023, 1, 21), "7")  # a Tết day, though a working Saturday
    assert not cal.is_day_off(date(2023, 1, 26), "7")
    # a worker resting on Wednesday (shift work): Tết 2025's Wednesday 29/1 gives 1/2 back
    # (Thursday 30 and Friday 31 are Tết too)
    assert date(2025, 2, 1) in cal.compensatory(2025, "3")


def test_culture_day_from_2026_gives_no_day_back():
    """R28: 24/11 a paid day off from 1 July 2026, outside Labour Code art. 112.1, so
    art. 111.3 does not give it back. A table where it falls on a Sunday (2024 shape)."""
    table = tomllib.loads((forms_dir() / "holidays.toml").read_text("utf-8"))
    table["law"][2]["from"] = date(2024, 1, 1)
    table["holiday"] = [dict(r, year=2024, days=[d.replace(year=2024) for d in r["days"]])
                        for r in table["holiday"] if r["year"] == 2024]
    cal = Calendar.from_dict(table)
    assert cal.holidays(2024)[date(2024, 11, 24)] == "culture_day"
    assert date(2024, 11, 25) not in cal.compensatory(2024, "67")
    assert not cal.is_day_off(date(2024, 11, 25), "67")


# --- counting -------------------------------------------------------------------------


def test_guide20_examples_6_and_7_count_working_days(cal):
    """GUIDE20 Ví dụ 6: 4 to 13 January, Sunday rest: 9 days (one Sunday, 10/1/2016).
    Ví dụ 7: 11-17/1 and 25/1-5/2: 19 days less 2 Sundays = 17; 18-24/1: 7 less 1 = 6."""
    assert cal.count(date(2016, 1, 4), date(2016, 1, 13), "working_days", "7") == 9
    assert (cal.count(date(2016, 1, 11), date(2016, 1, 17), "working_days", "7")
            + cal.count(date(2016, 1, 25), date(2016, 2, 5), "working_days", "7")) == 17
    assert cal.count(date(2016, 1, 18), date(2016, 1, 24), "working_days", "7") == 6


def test_counting_over_tet_and_across_years(cal):
    """20 January to 7 February 2025 with Saturday and Sunday rest: 19 days, of which 4
    weekend days and the 5 days of Tết (27-31/1): 10 working days (20-24/1 and 3-7/2).
    Across the new year: 29/12/2025 to 2/1/2026, 1/1 a holiday: 4 working days."""
    assert cal.count(date(2025, 1, 20), date(2025, 2, 7), "working_days", "67") == 10
    assert cal.count(date(2025, 1, 20), date(2025, 2, 7), "all_days", "67") == 19
    assert cal.count(date(2025, 12, 29), date(2026, 1, 2), "working_days", "67") == 4
    assert cal.count(date(2025, 2, 7), date(2025, 2, 6), "working_days", "67") == 0
    days = cal.working_days(date(2025, 1, 24), date(2025, 2, 4), "67")
    assert days == [date(2025, 1, 24), date(2025, 2, 3), date(2025, 2, 4)]


def test_count_agrees_with_counting_day_by_day(cal):
    start = date(2016, 1, 1)
    for rest in ("7", "67", "1", "5"):
        for length in (0, 1, 6, 7, 30, 200, 800):
            end = start + timedelta(days=length)
            slow = sum(1 for i in range(length + 1)
                       if not cal.is_day_off(start + timedelta(days=i), rest))
            assert cal.count(start, end, "working_days", rest) == slow, (rest, length)
        start += timedelta(days=97)


def test_end_after(cal):
    """5 working days from Friday 24/1/2025 (rest Sat+Sun, Tết 27-31/1): 24/1, 3-6/2."""
    assert cal.end_after(date(2025, 1, 24), 5, "working_days", "67") == date(2025, 2, 6)
    assert cal.end_after(date(2025, 1, 24), 5, "all_days", "67") == date(2025, 1, 28)


def test_a_year_without_rows_is_an_error_the_caller_can_show(cal):
    with pytest.raises(CalendarError, match="no calendar for 2029") as exc:
        cal.count(date(2029, 3, 1), date(2029, 3, 5), "working_days", "7")
    assert exc.value.year == 2029
    with pytest.raises(CalendarError, match="2015"):
        cal.is_day_off(date(2015, 6, 1), "7")
    with pytest.raises(CalendarError, match="2028"):
        cal.count(date(2027, 12, 30), date(2028, 1, 3), "working_days", "7")
    # all days need no holidays
    assert cal.count(date(2029, 3, 1), date(2029, 3, 5), "all_days", "7") == 5


@pytest.mark.parametrize("rest", ["", "8", "1234567", "77", 7])
def test_bad_rest_days_are_refused(cal, rest):
    with pytest.raises(ValueError, match="rest days"):
        cal.count(date(2025, 1, 1), date(2025, 1, 5), "working_days", rest)


def test_bad_counts_are_refused(cal):
    with pytest.raises(ValueError, match="counts"):
        cal.count(date(2025, 1, 1), date(2025, 1, 5), "weekdays", "7")


# --- the loader refuses broken tables ---------------------------------------------------


def _broken(raw: dict, year: int, holiday: str, change: dict) -> dict:
    table = copy.deepcopy(raw)
    for row in table["holiday"]:
        if row["year"] == year and row["name"] == holiday:
            row.update(change)
    return table


@pytest.mark.parametrize(("change", "message"), [
    ({"days": [date(2025, 1, 27), date(2025, 1, 28)]}, "2 days, the law gives 5"),
    ({"days": [date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30),
               date(2025, 2, 3)]}, "follow each other"),
    ({"name": "easter"}, "name"),
    ({"status": "maybe"}, "status"),
    ({"source": " "}, "source"),
])
def test_broken_tet_rows_are_refused(raw, change, message):
    with pytest.raises(ValueError, match=message):
        Calendar.from_dict(_broken(raw, 2025, "tet", change))


def test_a_year_missing_a_holiday_or_national_day_without_2_9_is_refused(raw):
    table = copy.deepcopy(raw)
    table["holiday"] = [r for r in table["holiday"]
                        if not (r["year"] == 2024 and r["name"] == "hung_kings")]
    with pytest.raises(ValueError, match="missing \\['hung_kings'\\]"):
        Calendar.from_dict(table)
    bad = _broken(raw, 2024, "national_day", {"days": [date(2024, 9, 3), date(2024, 9, 4)]})
    with pytest.raises(ValueError, match="must include"):
        Calendar.from_dict(bad)
    twice = copy.deepcopy(raw)
    twice["holiday"].append(copy.deepcopy(twice["holiday"][-1]))
    with pytest.raises(ValueError, match="twice"):
        Calendar.from_dict(twice)


def test_load_holidays_names_the_file(tmp_path):
    path = tmp_path / "holidays.toml"
    path.write_text("[[law]]\nfrom = 2021-01-01\n", "utf-8")
    with pytest.raises(CatalogError, match=r"holidays\.toml"):
        load_holidays(path)
