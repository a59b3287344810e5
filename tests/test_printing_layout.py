"""The paper dossier's parts that need no drawing: layouts read from forms/*/print.toml
and checked against the form definitions, how values are written on paper, the QR
payload, the column widths, and which failures offer the paper dossier."""

import shutil
from datetime import date
from decimal import Decimal

import pytest

from ibhxh_client.catalog import load_catalog, load_catalog_from
from ibhxh_client.domain.messages import placeholders
from ibhxh_client.domain.model import PartialDate, Period
from ibhxh_client.printing import qr
from ibhxh_client.printing.cells import formatter
from ibhxh_client.printing.layout import LayoutError, load_layouts, load_layouts_from
from ibhxh_client.printing.texts import TEXTS
from ibhxh_client.services.printing import PAPER_REASONS, FallbackOffer, offer_paper
from ibhxh_client.signing.errors import SigningError, TokenError


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_form_has_a_layout_naming_only_its_own_fields(catalog):
    layouts = load_layouts(catalog)
    assert set(layouts.forms) == set(catalog.forms)
    d02 = layouts.form("D02-LT")
    assert d02.orientation == "landscape" and d02.is_list
    assert [c.field for c in d02.columns if c.total] == ["muc_luong", "pc_khac"]
    assert layouts.form("TK1-TS").orientation == "portrait"
    assert not layouts.form("TK1-TS").is_list
    assert layouts.page.national == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                     "Độc lập - Tự do - Hạnh phúc")
    assert len(layouts.cover.columns) == 5


@pytest.mark.parametrize(("old", "new", "says"), [
    ('field = "ho_ten"', 'field = "ho_tne"', "ho_tne"),
    ('orientation = "landscape"', 'orientation = "sideways"', "sideways"),
    ('field = "chuc_vu", width = 13', 'field = "chuc_vu", width = 13, total = true',
     "not a number"),
    ('width = 17', 'width = 0', "not positive"),
])
def test_a_broken_layout_names_its_file_and_the_mistake(tmp_path, old, new, says):
    root = tmp_path / "forms"
    shutil.copytree(load_catalog().root, root)
    path = root / "D02-LT" / "print.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layouts_from(load_catalog_from(root))
    assert "D02-LT" in str(err.value) and says in str(err.value)


@pytest.mark.parametrize(("old", "new", "says"), [
    ('"Trang {page}/{pages}"', '"Trang {trang}/{pages}"', "trang"),
    ('"Tên đơn vị: {unit_name}"', '"Tên đơn vị: {unit_name"', "Tên đơn vị"),
])
def test_a_broken_text_in_the_cover_names_itself(tmp_path, old, new, says):
    root = tmp_path / "forms"
    shutil.copytree(load_catalog().root, root)
    path = root / "cover" / "print.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        load_layouts_from(load_catalog_from(root))
    assert "cover" in str(err.value) and says in str(err.value)


def test_a_form_without_a_layout_cannot_be_printed(tmp_path):
    root = tmp_path / "forms"
    shutil.copytree(load_catalog().root, root)
    (root / "D01-TS" / "print.toml").unlink()
    with pytest.raises(LayoutError, match="D01-TS"):
        load_layouts_from(load_catalog_from(root))


def test_values_are_written_as_on_paper(catalog):
    d02 = catalog.form("D02-LT").rows
    cl = catalog.codelists

    def fmt(name, value, **kw):
        return formatter(d02.field(name), cl, **kw)(value)

    assert fmt("muc_luong", 10_620_000) == "10.620.000"
    assert fmt("muc_luong", 0) == ""  # an optional number that is zero is left blank
    assert fmt("stt", 0) == "0"  # a required one is not
    assert fmt("ngay_quyet_dinh", date(2026, 3, 5)) == "05/03/2026"
    assert fmt("tu_thang", Period(2026, 1)) == "01/2026"
    assert fmt("ngay_sinh", PartialDate(1990, 3)) == "03/1990"
    assert fmt("he_so", Decimal("2.34")) == "2,34"
    assert fmt("gioi_tinh", "F") == "Nữ"
    assert fmt("phuong_an", "TM", show="code") == "TM"
    assert fmt("phuong_an", "TM", show="both") == "TM - Tăng mới"
    assert fmt("co_so", True) == "x" and fmt("co_so", False) == ""
    assert fmt("ho_ten", "Nguyễn Thị Ánh", upper=True) == "NGUYỄN THỊ ÁNH"
    assert fmt("ho_ten", None) == ""


def test_column_widths_keep_their_ratios_but_never_go_below_their_content():
    from ibhxh_client.printing.table import allocate

    assert allocate(100, [1, 1, 2], [0, 0, 0]) == [25, 25, 50]
    widths = allocate(100, [1, 1, 2], [40, 0, 0])
    assert widths[0] == 40 and widths[1] * 2 == pytest.approx(widths[2])
    assert sum(widths) == pytest.approx(100)
    squeezed = allocate(100, [1, 1], [80, 80])  # too wide: scaled down, never overflowing
    assert sum(squeezed) == pytest.approx(100)


def test_qr_payload_reads_back_and_its_runs_cover_the_dark_modules():
    text = qr.payload(12, "11/2026", "TZH490L", "ab" * 32)
    assert text == f"IBHXH|dossier=12|period=11/2026|unit=TZH490L|sha256={'ab' * 32}"
    assert qr.parse_payload(text) == {"dossier": "12", "period": "11/2026",
                                      "unit": "TZH490L", "sha256": "ab" * 32}
    with pytest.raises(ValueError):
        qr.parse_payload("something else")
    modules = qr.matrix(text)
    dark = {(y, x) for y, row in enumerate(modules) for x, v in enumerate(row) if v}
    drawn = {(y, x0 + k) for y, x0, n in qr.runs(modules) for k in range(n)}
    assert drawn == dark


def test_dates_are_written_as_administrative_documents_write_them():
    from ibhxh_client.printing.document import date_values

    assert date_values(date(2026, 2, 5)) == {"day": "05", "month": "02", "year": "2026"}
    assert date_values(date(2026, 11, 24)) == {"day": "24", "month": "11", "year": "2026"}
    assert date_values(date(2026, 3, 1))["month"] == "3"


@pytest.mark.parametrize("code", ["no_token", "pin_locked", "cert_expired",
                                  "gateway_unreachable", "gateway_error", "module_not_found"])
def test_failures_the_officer_cannot_fix_now_offer_paper(code):
    offer = offer_paper(code)
    assert isinstance(offer, FallbackOffer) and offer.code == code
    assert offer.reason_vi != offer.reason_en
    assert offer.reason_vi in offer.message("vi") and "2724/BHXH-THU" in offer.message("vi")
    assert offer.reason_en in offer.message("en")


@pytest.mark.parametrize("code", ["pin_incorrect", "pin_cancelled", "several_tokens",
                                  "invalid_data", "whatever", ""])
def test_failures_fixed_on_the_spot_do_not_offer_paper(code):
    assert offer_paper(code) is None


def test_offer_reads_the_code_of_an_error_object():
    assert offer_paper(TokenError("no_token")).code == "no_token"
    assert offer_paper(SigningError("pin_incorrect")) is None
    assert offer_paper(ValueError("no code")) is None
    assert offer_paper(None) is None


@pytest.mark.parametrize(("code", "kind", "offered"), [
    ("network", "network", "reason.gateway_unreachable"),
    ("timeout", "network", "reason.gateway_unreachable"),
    ("unavailable", "network", "reason.gateway_error"),
    ("internal", "network", "reason.gateway_error"),
    ("tls", "answer", "reason.gateway_untrusted"),
    ("receipt_signature", "answer", "reason.gateway_untrusted"),
    ("certificate_refused", "refused", "reason.cert_invalid"),
    ("login_failed", "refused", None),
    ("envelope_invalid", "refused", None),
    ("idempotency_conflict", "refused", None),
])
def test_gateway_failures_offer_paper_by_their_code_and_kind(code, kind, offered):
    from ibhxh_client.gateway.errors import GatewayError
    from ibhxh_client.services.submission import SubmissionError

    error = GatewayError(code, kind)
    offer = offer_paper(error)
    assert (offer.reason_key if offer else None) == offered
    wrapped = SubmissionError(code, cause=error, dossier=1, offer_paper=True)
    assert (offer_paper(wrapped).reason_key if offer else offer_paper(wrapped)) == offered


def test_a_submission_error_caused_by_the_token_offers_the_token_reason():
    from ibhxh_client.services.submission import SubmissionError

    wrapped = SubmissionError("no_token", exit_code=3, cause=TokenError("no_token"))
    assert offer_paper(wrapped).reason_key == "reason.no_token"
    assert offer_paper("internal").reason_key == "reason.software"  # the program's own


def test_every_text_has_both_languages_with_the_same_placeholders():
    for key, entry in TEXTS.items():
        assert set(entry) == {"vi", "en"}, key
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), key
    for key in set(PAPER_REASONS.values()):
        assert key in TEXTS
