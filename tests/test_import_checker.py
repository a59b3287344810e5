"""The importer's fast worker check says exactly what services.checks.check_worker says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Period, Worker
from ibhxh_client.services.checks import check_worker
from ibhxh_client.services.demo import demo_workers
from ibhxh_client.services.importing import WorkerChecker

CATALOG = load_catalog()
CHECKER = WorkerChecker(CATALOG)


def digits(n):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def cccds():
    good = st.builds(ids.cccd_for, st.sampled_from(["001", "079", "096"]),
                     st.sampled_from("MF"), st.integers(1950, 2010),
                     st.integers(0, 999_999))
    return st.one_of(good, digits(12), digits(9), st.just(""), st.just("07919001234A"))


births = st.one_of(st.none(), st.builds(PartialDate, st.integers(1940, 2015)),
                   st.builds(PartialDate, st.integers(1940, 2015), st.integers(1, 12)),
                   st.builds(PartialDate, st.integers(1940, 2015), st.integers(1, 12),
                             st.integers(1, 28)))

workers = st.builds(
    Worker,
    full_name=st.sampled_from(["Nguyễn Văn A", "", "Lê 3", "x" * 120, "Trần Thị Bé"]),
    gender=st.sampled_from(["M", "F", "", "X"]),
    birth_date=births,
    bhxh_number=st.one_of(st.just(""), digits(10), digits(9), st.just("01234567a9")),
    cccd=cccds(),
    cmnd=st.one_of(st.just(""), digits(9), digits(8)),
    nationality=st.sampled_from(["VN", "US", "", "ZZ"]),
    ethnicity=st.sampled_from(["01", "55", "", "77"]),
    phone=st.sampled_from(["", "0912345678", "912345678", "+84912345678", "0112345678"]),
    email=st.sampled_from(["", "a@b.vn", "khong hop le"]),
    birth_province=st.sampled_from(["", "79", "02", "99"]),
    address_province=st.sampled_from(["", "79", "02", "99"]),
    kcb_code=st.sampled_from(["", "79001", "7900", "00001"]),
    receive_method=st.sampled_from(["1", "2", "", "9"]),
    salary=st.sampled_from([0, 5_000_000]),
)


@settings(max_examples=400, deadline=None)
@given(workers, st.one_of(st.none(), st.integers(1, 50_000)))
def test_same_problems_as_check_worker(w, row):
    assert CHECKER.check(w, row) == check_worker(CATALOG, w, row)


def test_same_on_the_demo_workers_and_fast():
    import time

    sample = list(demo_workers(2000, Period(2026, 1)))
    assert all(CHECKER.check(w, n) == check_worker(CATALOG, w, n) == []
               for n, w in enumerate(sample))
    start = time.perf_counter()
    for n, w in enumerate(sample):
        CHECKER.check(w, n)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    for n, w in enumerate(sample):
        check_worker(CATALOG, w, n)
    slow = time.perf_counter() - start
    assert fast < slow
