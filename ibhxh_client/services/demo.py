"""Demo data: a company and synthetic but realistic workers (Vietnamese names with
diacritics, identifiers that pass every check), for training, trials and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from ..domain import claims as kinds
from ..domain import ids
from ..domain.history import Stint
from ..domain.model import Employer, PartialDate, Period, Worker
from ..storage import repo
from .app import App, UserError
from .claims import add_claim
from .declarations import declare

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Xuân", "Gia", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Minh", "Hoài", "Bích", "Mỹ", "Diệu"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh",
           "Long", "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Trung", "Tuấn", "Tùng", "Việt"]
GIVEN_F = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh",
           "Mai", "Nga", "Ngân", "Nhung", "Phương", "Quỳnh", "Tâm", "Thảo", "Trang", "Yến"]
POSITIONS = ["Nhân viên kinh doanh", "Kế toán viên", "Công nhân may", "Kỹ sư phần mềm",
             "Thủ kho", "Lái xe", "Nhân viên hành chính", "Tổ trưởng sản xuất"]
WARDS = [("Phường Sài Gòn", "79"), ("Phường Bến Thành", "79"), ("Phường Hoàn Kiếm", "01"),
         ("Phường Ba Đình", "01"), ("Xã Đông Hưng", "33"), ("Phường Hải Châu", "48"),
         ("Phường Ninh Kiều", "92"), ("Xã Tân Phú", "75")]


def demo_employer() -> Employer:
    """The demo company: a real-looking HCMC trading company with a valid tax code."""
    return Employer(
        unit_code="TZH490L", name="Công ty TNHH Thương mại Dịch vụ Sao Mai",
        tax_code=ids.make_tax_code("031234567"), agency_code="07906", unit_type="DNTN",
        address="12 Nguyễn Huệ, Phường Sài Gòn, TP. Hồ Chí Minh", province="79",
        phone="0283823456", email="nhansu@saomai.example.vn", licence_number="0312345678",
        licence_date=date(2015, 3, 12), bank_account="0071000123456",
        bank_name="Vietcombank - Chi nhánh TP. Hồ Chí Minh", region="I",
        signer_name="Trần Minh Quân", contact_name="Nguyễn Thị Lan",
    )


def demo_workers(count: int, period: Period, seed: int = 2026) -> Iterator[Worker]:
    """``count`` workers with unique, valid identifiers; about one in ten has no BHXH
    number yet (so the dossier needs a TK1-TS for them)."""
    rng = random.Random(seed)
    for n in range(count):
        gender = rng.choice("MF")
        middle, given = (MIDDLE_M, GIVEN_M) if gender == "M" else (MIDDLE_F, GIVEN_F)
        name = f"{rng.choice(SURNAMES)} {rng.choice(middle)} {rng.choice(given)}"
        year = rng.randint(1966, 2006)
        born = PartialDate(year, rng.randint(1, 12), rng.randint(1, 28))
        ward, province = rng.choice(WARDS)
        cccd = ids.cccd_for(f"0{province}", gender, year, n % 1_000_000)
        yield Worker(
            full_name=name, gender=gender, birth_date=born,
            bhxh_number="" if n % 10 == 9 else f"{province}{n:08d}",
            cccd=cccd, nationality="VN", ethnicity="01",
            phone=f"09{rng.randint(0, 99_999_999):08d}",
            birth_place=f"{ward}, {province}", birth_province=province,
            address=f"{rng.randint(1, 300)} đường số {rng.randint(1, 40)}, {ward}",
            address_province=province, position=rng.choice(POSITIONS),
            salary=rng.randrange(5_400_000, 30_000_000, 10_000),
            kcb_code=f"{province}{rng.randint(1, 99):03d}", receive_method="1",
        )


def make_demo(app: App, workers: int = 25, period: Period | None = None, *,
              claims: bool = True) -> int:
    """Fill an empty data folder with the demo company, workers and a draft D02-LT dossier
    (procedure 600, the current period); returns the dossier id. ``claims``: also the
    workers' months of contribution (as imported from HR's records) and a few benefit
    claims of the month before, not yet declared."""
    if workers < 1:
        raise UserError("bad_count", exit_code=2, value=workers)
    period = period or Period.of(date.today())
    with app.db.transaction() as conn:
        if repo.list_units(conn):
            raise UserError("demo_exists", path=str(app.data_dir))
        unit = repo.save_employer(conn, demo_employer())
        repo.work_on(conn, unit)
        people = list(demo_workers(workers, period))
        repo.add_workers_bulk(conn, people)
        stored = list(repo.load_workers(conn).values())
        if claims:
            repo.replace_stints(conn, demo_history(stored, period))
    app.use_unit(unit)
    decl, _ = declare(app, "600", str(period), [], new_workers=True)
    for worker, values in (demo_claims(stored, period) if claims else []):
        add_claim(app, worker, values)
    return decl.id


def _month_before(period: Period, months: int) -> Period:
    index = period.year * 12 + period.month - 1 - months
    return Period(index // 12, index % 12 + 1)


def demo_history(workers: list[Worker], period: Period, seed: int = 2026
                 ) -> dict[int, list[Stint]]:
    """Months of contribution as HR's own records would give them (ibhxh claims history
    import): each worker paid from one to twelve years ago until the month before
    ``period``, at a lower salary before the last raise."""
    rng = random.Random(seed)
    out = {}
    last = _month_before(period, 1)
    for w in workers:
        years = rng.randint(1, 12)
        raise_at = _month_before(period, min(rng.randint(7, 18), years * 12 - 1))
        earlier = max(w.salary - rng.randrange(0, 2_000_000, 10_000), 5_000_000)
        out[w.id or 0] = [Stint(_month_before(period, years * 12), _month_before(raise_at, 1),
                                earlier),
                          Stint(raise_at, last, w.salary)]
    return out


def demo_claims(workers: list[Worker], period: Period) -> list[tuple[str, dict[str, object]]]:
    """A few claims of the month before ``period``, not yet declared: an own sickness, a
    sick child, a birth (a woman of the demo) and the father's leave (a man)."""
    first = _month_before(period, 1).first_day
    workers = [w for w in workers if w.bhxh_number]  # new workers have no claims yet
    women = [w for w in workers if w.gender == "F"]
    men = [w for w in workers[1:] if w.gender == "M"]
    out: list[tuple[str, dict[str, object]]] = []

    def key(w: Worker) -> str:
        return f"#{w.id}"

    if workers:
        out.append((key(workers[0]), {"kind": kinds.OWN_SICKNESS, "from_date": first
                                      + timedelta(days=8), "to_date": first
                                      + timedelta(days=11), "certificate": "DEMO-0001",
                                      "payment": "TK"}))
    if len(workers) > 1:
        out.append((key(workers[1]), {"kind": kinds.CHILD_SICKNESS, "from_date": first
                                      + timedelta(days=15), "to_date": first
                                      + timedelta(days=16), "certificate": "DEMO-0002",
                                      "child_birth_date": date(first.year - 3, 5, 12),
                                      "payment": "TK"}))
    if women:
        born = first + timedelta(days=4)
        out.append((key(women[0]), {"kind": kinds.BIRTH_MOTHER, "from_date": born,
                                    "to_date": _six_months_on(born), "child_birth_date": born,
                                    "child_count": 1, "payment": "TK"}))
    if men:
        born = first + timedelta(days=20)
        out.append((key(men[0]), {"kind": kinds.BIRTH_FATHER, "from_date": born,
                                  "to_date": born + timedelta(days=6), "child_birth_date": born,
                                  "child_count": 1, "payment": "TK"}))
    return out


def _six_months_on(day: date) -> date:
    """The last day of a six-month birth leave that starts on ``day``."""
    index = day.year * 12 + day.month - 1 + 6
    return date(index // 12, index % 12 + 1, 1) - timedelta(days=1) + timedelta(
        days=min(day.day, 28) - 1)
