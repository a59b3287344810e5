"""The fast worker check (services.checks.check_worker) says exactly what the generic
composition says: every form field's own check, then the domain rules across fields."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain import ids
from ibhxh_client.domain.model import PartialDate, Period, Worker
from ibhxh_client.domain.rules import cccd_agrees, identity
from ibhxh_client.domain.validation import Problem, RuleContext, check_record, field_checker
from ibhxh_client.services.checks import WORKER_REQUIRED, WorkerChecker, fields_of
from ibhxh_client.services.demo import demo_workers

CATALOG = load_catalog()
CHECKER = WorkerChecker(CATALOG)


def check_worker(catalog, w, row=None):
    """The reference: the forms' field checks through the generic validator, then
    domain.rules.cccd_agrees and domain.rules.identity, as a form row would get them."""
    form = "TK1-TS"
    specs = fields_of(catalog, "worker")
    checkers = [(f, attr, f.type, attr in WORKER_REQUIRED,
                 field_checker(f, catalog.codelists)) for attr, f in specs.items()]
    problems = check_record(form, row, {a: getattr(w, a, None) for a in specs}, checkers)
    bad = {p.field for p in problems}
    record = {"so_cccd": w.cccd, "ngay_sinh": w.birth_date, "gioi_tinh": w.gender,
              "ma_so_bhxh": w.bhxh_number}
    ctx = RuleContext(codelists=catalog.codelists)
    names = {"so_cccd": "cccd", "ma_so_bhxh": "bhxh_number"}
    for fname, code, params in cccd_agrees(record, ctx) + identity(record, ctx):
        attr = names[fname]
        if attr not in bad:
            problems.append(Problem(form, row, attr, code, params, specs[attr].label))
    return problems


def digits(n):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def cccds():
    good = st.builds(ids.cccd_for, st.sampled_from(["001", "079", "096"]),
                     st.sampled_from("MF"), st.integers(1950, 2010),
                     st.integers(0, 999_999))
    # Any century digit after a real province: 8 and 9 (the 2300s) agree with no birth.
    coded = st.builds(lambda p, d, n: f"{p}{d}{n:08d}", st.sampled_from(["001", "079", "096"]),
                      st.sampled_from("0123456789"), st.integers(0, 99_999_999))
    return st.one_of(good, coded, digits(12), digits(9), st.just(""),
                     st.just("07919001234A"))


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


def test_same_on_the_demo_workers():
    sample = list(demo_workers(2000, Period(2026, 1)))
    assert all(CHECKER.check(w, n) == check_worker(CATALOG, w, n) == []
               for n, w in enumerate(sample))


def columns_of(batch):
    """The workers as an import gives them: attribute → values, an empty value where the
    worker has its default (as the importer leaves a cell that was empty)."""
    attrs = [f.attr for f in CHECKER.fields]
    return {a: [getattr(w, a) for w in batch] for a in attrs}


@settings(max_examples=150, deadline=None)
@given(st.lists(workers, max_size=40), st.integers(1, 1000))
def test_columns_give_what_each_row_gives(batch, first):
    rows = list(range(first, first + len(batch)))
    expected = {k: CHECKER.check(w, rows[k]) for k, w in enumerate(batch)}
    assert CHECKER.check_columns(columns_of(batch), rows) == \
        {k: p for k, p in expected.items() if p}


def test_a_cccd_of_the_2300s_disagrees_with_a_real_birth_date():
    # Digit 4 of a CCCD: 8 is a man, 9 a woman, born 2300–2399 as the public validators
    # read it; with any real birth year that is a disagreement, by row and by column.
    batch = [Worker("Nguyễn Văn A", "M", PartialDate(1985), cccd="079885000001"),
             Worker("Trần Thị B", "F", PartialDate(1985, 3), cccd="001985000002"),
             Worker("Lê Văn C", "M", PartialDate(1885), cccd="079885000003")]
    for k, w in enumerate(batch, start=1):
        problems = CHECKER.check(w, k)
        assert [(p.field, p.code) for p in problems] == [("cccd", "century")]
        assert problems == check_worker(CATALOG, w, k)
        assert "2300–2399" in problems[0].message()
    assert CHECKER.check_columns(columns_of(batch), [1, 2, 3]) == \
        {k - 1: CHECKER.check(w, k) for k, w in enumerate(batch, start=1)}


def test_columns_with_empty_cells_and_missing_columns():
    # An empty cell and a column the file does not have both stand for the new Worker's
    # default (Việt Nam, Kinh, receive in person); an empty name is still required.
    w = Worker("Nguyễn Văn A", "M", PartialDate(1990), bhxh_number="0123456789")
    columns = {"full_name": ["Nguyễn Văn A", ""], "gender": ["M", "M"],
               "birth_date": [PartialDate(1990), PartialDate(1990)],
               "bhxh_number": ["0123456789", "0123456788"], "nationality": ["", "ZZ"]}
    found = CHECKER.check_columns(columns, [5, 6])
    assert CHECKER.check(w, 5) == [] and 0 not in found
    assert [(p.field, p.code) for p in found[1]] == [("full_name", "required"),
                                                      ("nationality", "not_in_list")]


def test_the_shapes_accept_only_what_the_checks_accept():
    # A column of 50,000 identifiers is accepted in one pass by its shape: every value
    # of that shape must pass the identifier's own check.
    import re

    from ibhxh_client.domain.validation import ID_CHECKS

    @settings(max_examples=300, deadline=None)
    @given(st.data())
    def run(data):
        kind = data.draw(st.sampled_from(sorted(ids.SHAPES)))
        value = data.draw(st.from_regex(re.compile(rf"^(?:{ids.SHAPES[kind]})$"),
                                        fullmatch=True))
        assert ID_CHECKS[kind](value) is None, (kind, value)

    run()
