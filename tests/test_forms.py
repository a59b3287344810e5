"""The form definitions under forms/ and the schemas made from them."""

from pathlib import Path

import pytest
from lxml import etree

from ibhxh_client.catalog import CatalogError, load_catalog, load_catalog_from
from ibhxh_client.domain.formspec import STATUSES
from ibhxh_client.domain.messages import MESSAGES, placeholders
from ibhxh_client.dossier.xsd import load_schema, schema_for


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_form_and_procedure_is_there(catalog):
    assert set(catalog.forms) == {"D02-LT", "TK1-TS", "TK3-TS", "D01-TS", "M01B-HSB"}
    assert set(catalog.procedures) == {"600", "604", "607", "608", "610", "612", "630a",
                                       "630b", "630c"}
    # 600 is increase, decrease and adjustment (the portal's list); 600a/600b are gone
    assert catalog.procedure("600").plans == ("TM", "ON", "TD", "TC", "GH", "GD", "GC", "KL",
                                              "TS", "OF", "DC", "TT")
    assert set(catalog.retired) == {"600a", "600b"}
    assert catalog.plans_of_kind(catalog.procedure("600"), "decrease") == (
        "GH", "GD", "GC", "KL", "TS", "OF")
    for proc in catalog.procedures.values():  # each code says how sure we are, and why
        assert proc.status in ("law", "seen", "check") and proc.source, proc.code
        assert all(need.status and need.source for need in proc.forms), proc.code
    needs = {n.form: n.when for n in catalog.procedure("600").forms}
    assert needs == {"D02-LT": "always", "TK1-TS": "worker_without_bhxh",
                     "TK3-TS": "first_registration", "D01-TS": "late_or_retroactive"}
    for name in ("plan_codes", "ethnicities", "nationalities", "provinces", "provinces_old",
                 "wage_regions", "provinces_any"):
        assert len(catalog.codelist(name).entries) > 0


def test_every_field_has_both_labels(catalog):
    for form in catalog.forms.values():
        for group in form.groups():
            for f in group.fields:
                assert f.label.get("vi") and f.label.get("en"), (form.code, f.name)


@pytest.mark.parametrize("code", ["D02-LT", "TK1-TS", "TK3-TS", "D01-TS"])
def test_committed_schema_matches_definition(catalog, code):
    """A definition changed without `python -m ibhxh_client.dossier.xsd` fails here."""
    assert catalog.xsd_path(code).read_bytes() == schema_for(catalog.form(code),
                                                             catalog.codelists)


def test_broken_definition_is_named(tmp_path: Path):
    src = load_catalog().root
    dst = tmp_path / "forms"
    import shutil

    shutil.copytree(src, dst)
    text = (dst / "D02-LT" / "form.toml").read_text(encoding="utf-8")
    (dst / "D02-LT" / "form.toml").write_text(text.replace('codelist = "plan_codes"',
                                                           'codelist = "nope"'), "utf-8")
    with pytest.raises(CatalogError, match="nope"):
        load_catalog_from(dst)


def _d02(**row_changes):
    row = {"STT": "1", "HoTen": "Nguyễn Văn An", "MaSoBHXH": "7900000001",
           "NgaySinh": "01/02/1990", "GioiTinh": "M", "MucLuong": "6000000",
           "TuThang": "01/2026", "PhuongAn": "TM"}
    row.update(row_changes)
    cells = "".join(f"<{k}>{v}</{k}>" for k, v in row.items() if v is not None)
    return (f"<D02-TS><ThongTinChung><TenDonVi>Công ty A</TenDonVi><MaDonVi>TZH490L</MaDonVi>"
            f"<MaSoThue>0312345673</MaSoThue><MaThuTuc>600</MaThuTuc><KyKeKhai>01/2026"
            f"</KyKeKhai><SoLaoDong>1</SoLaoDong><TongQuyLuong>6000000</TongQuyLuong>"
            f"<TongPhaiDong>1920000</TongPhaiDong></ThongTinChung><DanhSachLaoDong><LaoDong>"
            f"{cells}</LaoDong></DanhSachLaoDong><Cky/></D02-TS>").encode()


def test_d02_schema_accepts_a_valid_document(catalog):
    schema = load_schema(catalog.xsd_path("D02-LT"))
    assert schema.validate(etree.fromstring(_d02())), schema.error_log


@pytest.mark.parametrize("change", [
    {"PhuongAn": "XX"},  # not in the plan code list
    {"MaSoBHXH": "79000001"},  # 8 digits
    {"NgaySinh": "1990-02-01"},  # wrong date shape
    {"TuThang": "13/2026"},
    {"MucLuong": "-5"},
    {"MucLuong": "6.000.000"},
    {"HoTen": None},  # required element missing
    {"GioiTinh": "X"},
])
def test_d02_schema_rejects_invalid_documents(catalog, change):
    schema = load_schema(catalog.xsd_path("D02-LT"))
    assert not schema.validate(etree.fromstring(_d02(**change)))


def test_schema_rejects_unknown_element(catalog):
    schema = load_schema(catalog.xsd_path("D02-LT"))
    doc = _d02().replace(b"<Cky/>", b"<Extra>1</Extra><Cky/>")
    assert not schema.validate(etree.fromstring(doc))


def test_messages_have_the_same_placeholders_in_both_languages():
    for code, entry in MESSAGES.items():
        assert set(entry) >= {"vi", "en"}, code
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), code


def test_every_definition_names_its_file_signature_and_sources(catalog):
    """File names, version suffixes and signature places are data, each with a status
    (law / seen / check) and a source, as forms/rates.toml holds its rows."""
    files = {code: (spec.file_name, spec.version, spec.signature)
             for code, spec in catalog.forms.items()}
    assert files == {"D02-LT": ("D02-TS-595.xml", "595", "Cky"),
                     "TK1-TS": ("TK1-TS-595.xml", "595", "Cky"),
                     "D01-TS": ("D01-TS-595.xml", "595", "Cky"),
                     "TK3-TS": ("TK3-TS.xml", "", "Cky"),
                     "M01B-HSB": ("M01B-HSB.xml", "", "Cky")}
    for spec in [*catalog.forms.values(), catalog.envelope]:
        p = spec.provenance
        assert p.file_status in STATUSES and p.layout_status in STATUSES
        assert p.file_source and p.layout_source
    # No public source shows the D02-TS XML: ours, to be checked.
    assert catalog.form("D02-LT").provenance.layout_status == "check"
    assert catalog.form("TK1-TS").provenance.layout_status == "seen"
    assert (catalog.envelope.file_name, catalog.envelope.signature_path) == \
        ("BHXHDienTu.xml", "/Hoso/CKy_Dvi")


def test_files_of_the_layout_before_are_known_by_their_names(catalog):
    spec, layout = catalog.layout_of("TK1-TS_12.xml")
    assert spec is catalog.form("TK1-TS") and layout.header.element == "ThongTinCaNhan"
    assert catalog.layout_of("D02-TS.xml") == (catalog.form("D02-LT"), catalog.form("D02-LT"))
    assert catalog.layout_of("TK1-TS_x.xml") is None and catalog.layout_of("TK1-TS.xml") is None
    assert catalog.signature_place("TK1-TS-595.xml") == "Cky"
    assert catalog.signature_place("M01B-HSB.xml") == "Cky"  # the claim list (issue 15)
    assert catalog.signature_place("05A-HSB.xml") is None


def test_a_status_that_is_not_law_seen_or_check_stops_the_catalogue(tmp_path: Path):
    import shutil

    dst = tmp_path / "forms"
    shutil.copytree(load_catalog().root, dst)
    path = dst / "D02-LT" / "form.toml"
    path.write_text(path.read_text("utf-8").replace('layout_status = "check"',
                                                    'layout_status = "maybe"'), "utf-8")
    with pytest.raises(CatalogError, match="'maybe'"):
        load_catalog_from(dst)
