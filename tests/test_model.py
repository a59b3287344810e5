from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ibhxh_client.domain.model import PartialDate, Period, PeriodError


def test_period_parse_and_print():
    assert Period.parse("01/2026") == Period(2026, 1)
    assert Period.parse(" 1/2026 ") == Period(2026, 1)
    assert str(Period(2026, 7)) == "07/2026"
    assert Period(2026, 1).first_day == date(2026, 1, 1)
    assert Period(2026, 3).months_since(Period(2025, 11)) == 4


@pytest.mark.parametrize("text", ["13/2026", "00/2026", "2026/01", "1/26", "", "abc", "01/20266"])
def test_period_malformed(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


@given(st.integers(1900, 2200), st.integers(1, 12))
def test_period_round_trip(year, month):
    assert Period.parse(str(Period(year, month))) == Period(year, month)


@pytest.mark.parametrize("text,expected", [
    ("15/03/1990", PartialDate(1990, 3, 15)),
    ("03/1990", PartialDate(1990, 3)),
    ("1990", PartialDate(1990)),
])
def test_partial_date(text, expected):
    assert PartialDate.parse(text) == expected
    assert str(expected) == text


@pytest.mark.parametrize("text", ["31/02/1990", "1990/03", "13/1990", "90", "abc", ""])
def test_partial_date_invalid(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_amounts_and_days_as_officers_type_them():
    import pytest

    from ibhxh_client.domain.values import parse_day, parse_money

    for text in ("10.000.000", "10,000,000", "10 000 000", " 10000000 "):
        assert parse_money(text) == 10_000_000
    assert parse_money("") == 0
    for bad in ("10tr", "-5", "1.5e6", "１０"):
        with pytest.raises(ValueError):
            parse_money(bad)
    assert parse_day("15/03/1990") == parse_day("1990-03-15") == parse_day("15.03.1990")
    with pytest.raises(ValueError):
        parse_day("31/02/1990")
