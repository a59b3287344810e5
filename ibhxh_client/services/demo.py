"""Demo data: a company and synthetic but realistic workers (Vietnamese names with
diacritics, identifiers that pass every check), for training, trials and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from ..domain import ids
from ..domain.model import Employer, PartialDate, Period, Worker
from ..storage import repo
from .app import App, UserError
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


def make_demo(app: App, workers: int = 25, period: Period | None = None) -> int:
    """Fill an empty data folder with the demo company, workers and a draft D02-LT dossier
    (procedure 600, the current period); returns the dossier id."""
    if workers < 1:
        raise UserError("bad_count", exit_code=2, value=workers)
    period = period or Period.of(date.today())
    with app.db.transaction() as conn:
        if repo.get_employer(conn) is not None or repo.count_workers(conn):
            raise UserError("demo_exists", path=str(app.data_dir))
        repo.save_employer(conn, demo_employer())
        repo.add_workers_bulk(conn, list(demo_workers(workers, period)))
    decl, _ = declare(app, "600", str(period), [], new_workers=True)
    return decl.id
