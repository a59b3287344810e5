"""Files as the Social Security exchange carries them (issue 14, docs/exchange-format.md):
the envelope and the forms element for element as the reference writes them, one TK1-TS
file per dossier, signatures per file (never per worker) with one PIN and one token
session, and stored dossiers of the layout before: drafts and validated ones made again,
signed, sent and accepted ones kept byte for byte, still read, verified and printed."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from lxml import etree
from lxml.builder import E
from sqlalchemy import create_engine

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.model import Declaration, DeclarationLine, DossierState, Period
from ibhxh_client.dossier.envelope import DossierFile, build_envelope, read_envelope
from ibhxh_client.dossier.reading import envelope_forms
from ibhxh_client.dossier.xsd import load_schema
from ibhxh_client.services import declarations
from ibhxh_client.services import signing as signing_service
from ibhxh_client.services.app import open_app
from ibhxh_client.services.demo import demo_employer, demo_workers, make_demo
from ibhxh_client.services.employer import get as get_employer
from ibhxh_client.services.printing import print_dossier
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import verify_dossier
from ibhxh_client.storage import repo
from ibhxh_client.storage.crypto import FieldCipher, new_key
from ibhxh_client.storage.db import DB_FILE, current_revision, head_revision, upgrade
from ibhxh_client.storage.keys import KeyStore
from tests import legacy_db
from tests.counting_signer import CountingSigner
from tests.pkcs11_fixtures import USER_PIN, SoftHsm

PERIOD = Period(2026, 3)
LEGACY = Path(__file__).parent / "data" / "legacy-2025"
CATALOG = load_catalog()

# docs/exchange-format.md §7 and §8, written out here by hand (not read from forms/).
TK1_LAODONG = ["STT", "HoTen", "NgaySinh", "GioiTinh", "QuocTich", "DanToc", "Matinh_KS",
               "Mahuyen_KS", "Maxa_KS", "Diachi_NN", "Matinh_NN", "Mahuyen_NN", "Maxa_NN",
               "Ten_ChaMe_Giamho", "MasoBHXH", "Dienthoai_LH", "CMND", "Maho_Giadinh",
               "Mucdong", "Phuongthuc", "MaTinhBenhVien", "MaBenhVien", "Noidung_Thaydoi",
               "HosoKemtheo", "CCNS", "ID", "Diachi_KS", "Email_LH"]
TK1_PHULUC = ["Hoten_Chuho", "DienThoai", "SoGiayTo", "LoaiGiayTo", "MaTinh", "MaHuyen",
              "MaXa", "MaThon", "Maso_HoGiadinh", "Diachi_HK"]
TK1_THANHVIEN = ["STT", "HoTen", "MasoBHXH", "NgaySinh", "GioiTinh", "Matinh_KS",
                 "Mahuyen_KS", "Maxa_KS", "MoiQuanHe", "CMND", "Ghichu", "CCNS",
                 "NguoiThamGia", "DanToc", "QuocTich", "DiachiDK_KS"]
D01_THONGTIN = ["STT", "HoTen", "MasoBHXH", "TenLoaiVanBan", "SoVanBan", "NgayBanHanh",
                "NgayHieuLuc", "CoQuanBanHanh", "TrichYeu", "NoiDungThamDinh"]


def children(el: etree._Element) -> list[str]:
    return [c.tag for c in el]


def shape(root: etree._Element) -> list[tuple[str, str]]:
    """Every element in document order: its path (with positions among same-named
    siblings) and its text."""
    tree = root.getroottree()
    return [(tree.getpath(el), (el.text or "").strip()) for el in root.iter()]


def late_dossier(app, workers: int = 10) -> int:
    """The demo dossier (one worker in ten without a BHXH number) with its first line
    starting a month early, so that it carries D02-TS, TK1-TS and D01-TS."""
    decl_id = make_demo(app, workers, PERIOD)
    decl, _ = declarations.load(app, decl_id)
    decl.lines[0].from_month = Period(2026, 2)
    decl.lines[0].decision_number = "15/QĐ-SM"
    decl.lines[0].decision_date = date(2026, 2, 1)
    declarations.save_lines(app, decl)
    return decl_id


def file_of(envelope: bytes, name: str) -> bytes:
    return next(f.content for f in read_envelope(envelope).files if f.file_name == name)


# --------------------------------------------------------------------------- the envelope

def test_the_envelope_is_the_references_element_for_element(app):
    """Compared with an envelope built here by hand from docs/exchange-format.md §17: the
    same elements, in the same order, with the same values."""
    decl_id = late_dossier(app)
    envelope = declarations.validate(app, decl_id).envelope
    unit = get_employer(app)
    created = declarations.head(app, decl_id).created
    names = ["D02-TS-595.xml", "TK1-TS-595.xml", "D01-TS-595.xml"]
    titles = {"D02-TS-595.xml": "Danh sách lao động tham gia BHXH, BHYT, BHTN, BHTNLĐ-BNN",
              "TK1-TS-595.xml": "Tờ khai tham gia, điều chỉnh thông tin BHXH, BHYT",
              "D01-TS-595.xml": "Bảng kê thông tin"}
    files = []
    for name in names:
        text = base64.b64encode(file_of(envelope, name)).decode("ascii")
        files.append(E.FileToKhai(
            E.MaToKhai(name.replace("-595.xml", "")), E.MoTaToKhai(titles[name]),
            E.TenFile(name), E.LoaiFile(".xml"), E.DoDaiFile(str(len(text))),
            E.NoiDungFile(text)))
    by_hand = E.Hoso(
        E.NoiDung(
            E.ThongTinIVAN(E.MaIVAN("IBHXHC"), E.TenIVAN("ibhxh-client")),
            E.ThongTinDonVi(
                E.TenDoiTuong(unit.name), E.MaSoBHXH(unit.unit_code), E.LoaiDoiTuong("1"),
                E.MaSoThue(unit.tax_code), E.NguoiKy(unit.signer_name),
                E.DienThoai(unit.phone), E.CoQuanQuanLy(unit.agency_code)),
            E.ThongTinHoSo(
                E.TenThuTuc(CATALOG.procedure("600").name["vi"]), E.MaThuTuc("600"),
                E.KyKeKhai("03/2026"), E.NgayLap(created.strftime("%d/%m/%Y")),
                E.SoLuongFile("3"), E.QuyTrinhISO(), E.ToKhais(*files))),
        E.CKy_Dvi())
    assert shape(etree.fromstring(envelope)) == shape(by_hand)
    schema = load_schema(CATALOG.envelope_xsd_path())
    assert schema.validate(by_hand), schema.error_log  # the reference's shape passes ours


def test_the_worked_example_of_one_file():
    """§17's arithmetic: the 9 bytes <TK1-TS/> are PFRLMS1UUy8+, DoDaiFile 12."""
    decl = Declaration(procedure="600", period=PERIOD, created=date(2026, 3, 5))
    envelope = build_envelope(demo_employer(), decl, "Thủ tục 600",
                              [DossierFile("TK1-TS", "Tờ khai", "TK1-TS-595.xml",
                                           b"<TK1-TS/>")], CATALOG.envelope)
    entry = etree.fromstring(envelope).find(".//FileToKhai")
    assert [(c.tag, c.text) for c in entry] == [
        ("MaToKhai", "TK1-TS"), ("MoTaToKhai", "Tờ khai"), ("TenFile", "TK1-TS-595.xml"),
        ("LoaiFile", ".xml"), ("DoDaiFile", "12"), ("NoiDungFile", "PFRLMS1UUy8+")]


@pytest.mark.parametrize("name, code", [("TK1-TS-595.xml", "TK1-TS"), ("TK3-TS.xml", "TK3-TS"),
                                        ("05A-HSB.xml", "05A-HSB"), ("phu-luc.PDF", "CT-DK"),
                                        ("bang.xlsx", "CT-DK")])
def test_ma_to_khai_is_derived_from_the_file_name_as_the_reference_does(name, code):
    assert CATALOG.envelope.form_code(name) == code
    assert CATALOG.envelope.procedure_code("630a_166") == "630a"
    assert CATALOG.envelope.procedure_code("600-595") == "600"


def test_the_envelope_definition_and_its_schema_agree():
    """envelope.toml names the root and the signature place; the hand-written XSD must
    say the same."""
    xsd = etree.parse(str(CATALOG.envelope_xsd_path())).getroot()
    ns = {"xs": "http://www.w3.org/2001/XMLSchema"}
    root = xsd.find("xs:element", ns)
    top = root.findall("xs:complexType/xs:sequence/xs:element", ns)
    assert root.get("name") == CATALOG.envelope.root == "Hoso"
    assert [e.get("name") for e in top] == ["NoiDung", CATALOG.envelope.signature]
    assert CATALOG.envelope.file_name == "BHXHDienTu.xml"


def test_the_envelope_of_the_layout_before_fails_the_schema():
    old = etree.fromstring((LEGACY / "envelope.xml").read_bytes())
    schema = load_schema(CATALOG.envelope_xsd_path())
    assert not schema.validate(old)
    assert "LoaiDoiTuong" in str(schema.error_log)  # MaSoThue came first


# --------------------------------------------------------------------------- the forms

def test_every_file_passes_its_schema_and_tk1_is_one_file(app):
    decl_id = make_demo(app, 30, PERIOD)  # workers 10, 20 and 30 have no BHXH number
    envelope = declarations.validate(app, decl_id).envelope
    assert load_schema(CATALOG.envelope_xsd_path()).validate(etree.fromstring(envelope))
    files = read_envelope(envelope).files
    assert [f.file_name for f in files] == ["D02-TS-595.xml", "TK1-TS-595.xml"]
    for f in files:
        spec, layout = CATALOG.layout_of(f.file_name)
        assert layout is spec and f.form == spec.root
        schema = load_schema(CATALOG.xsd_path(spec.code))
        assert schema.validate(etree.fromstring(f.content)), schema.error_log
    tk1 = etree.fromstring(files[1].content)
    assert children(tk1) == ["NoiDung", "Cky"]
    assert [el.findtext("STT") for el in tk1.iterfind("NoiDung/LaoDong")] == ["1", "2", "3"]


def test_tk1_and_d01_carry_the_references_elements(app):
    """Every element of the reference's classes is written, empty when the program has no
    value for it (as the reference writes an empty string); the household appendix
    (PhuLuc), an object the program never fills, is left out as the reference leaves out
    a null one."""
    envelope = declarations.validate(app, late_dossier(app)).envelope
    tk1 = etree.fromstring(file_of(envelope, "TK1-TS-595.xml"))
    (person,) = tk1.iterfind("NoiDung/LaoDong")
    assert children(person) == TK1_LAODONG
    assert person.findtext("MasoBHXH") == "" and person.findtext("Mahuyen_KS") == ""
    d01 = etree.fromstring(file_of(envelope, "D01-TS-595.xml"))
    assert children(d01) == ["NoiDung", "Cky"]
    assert children(d01.find("NoiDung")) == ["TenBangKe", "KemTheo", "BangKe"]
    assert d01.findtext("NoiDung/KemTheo") == "D02-LT, TK1-TS"
    (doc,) = d01.iterfind("NoiDung/BangKe/ThongTin")
    assert children(doc) == D01_THONGTIN
    assert doc.findtext("TenLoaiVanBan") == "Quyết định"  # the type's name, not its code


def _tk1_by_hand(order: list[str]) -> etree._Element:
    member = E.ThanhVien(*[E(tag, "") for tag in TK1_THANHVIEN])
    appendix = E.PhuLuc(*[E(tag, "") for tag in TK1_PHULUC], E.DSThanhVien(member))
    values = {"STT": "1", "HoTen": "Lê Thị Hoa", "NgaySinh": "05/01/2003", "GioiTinh": "F",
              "QuocTich": "VN", "DanToc": "01", "Matinh_KS": "79", "Diachi_NN": "12 Lê Lợi",
              "Matinh_NN": "79", "Diachi_KS": "Phường Sài Gòn"}
    person = E.LaoDong(*[E(tag, values.get(tag, "")) for tag in order], appendix)
    return E("TK1-TS", E.NoiDung(person), E.Cky())


def test_a_tk1_written_as_the_reference_writes_it_passes_the_schema():
    """Every element, most of them empty, and the household appendix filled in: what the
    reference's classes serialise is accepted; the same elements out of order are not."""
    schema = load_schema(CATALOG.xsd_path("TK1-TS"))
    assert schema.validate(_tk1_by_hand(TK1_LAODONG)), schema.error_log
    swapped = TK1_LAODONG[:]
    swapped[1], swapped[2] = swapped[2], swapped[1]
    assert not schema.validate(_tk1_by_hand(swapped))


def test_validate_refuses_entries_not_derived_as_the_exchange_does(app, tmp_path):
    envelope = declarations.validate(app, make_demo(app, 10, PERIOD)).envelope
    faults = {
        "DoDaiFile": lambda e: e.find(".//FileToKhai/DoDaiFile").__setattr__(
            "text", str(len(base64.b64decode(e.findtext(".//FileToKhai/NoiDungFile"))))),
        "LoaiFile": lambda e: e.find(".//FileToKhai/LoaiFile").__setattr__("text", ".XML"),
        "TenFile": lambda e: e.findall(".//FileToKhai/TenFile")[1].__setattr__(
            "text", "TK1-TS_1.xml"),
        "MaToKhai": lambda e: e.find(".//FileToKhai/MaToKhai").__setattr__("text", "D02"),
    }
    for field, fault in faults.items():
        root = etree.fromstring(envelope)
        fault(root)
        path = tmp_path / f"{field}.xml"
        path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
        problems = declarations.validate_file(app, path)
        assert [p.field for p in problems] == [field], (field, problems)
        assert f"({field})" in problems[0].message("vi")


# --------------------------------------------------------------------------- signing

@pytest.fixture(scope="module")
def saomai_token(tmp_path_factory) -> tuple[str, str, DemoCA]:
    """A SoftHSM2 token holding the demo company's key and certificate (tax code
    0312345673), as its USB token would."""
    hsm = SoftHsm(tmp_path_factory.mktemp("hsm-saomai"))
    hsm.init_token("SAOMAI")
    public = hsm.generate_key("SAOMAI", b"\x01")
    ca = DemoCA.create("IBHXH TEST CA SAO MAI")
    unit = demo_employer()
    hsm.store_certificate("SAOMAI", ca.issue(public, company_name=unit.name,
                                             tax_code=unit.tax_code), b"\x01")
    return hsm.module_path, hsm.serial("SAOMAI"), ca


def xmlsec1_verifies(data: bytes, ca: DemoCA, folder: Path) -> bool:
    exe = shutil.which("xmlsec1")
    if exe is None:
        pytest.fail("xmlsec1 is not installed; run .ci/setup")
    doc, pem = folder / "doc.xml", folder / "ca.pem"
    doc.write_bytes(data)
    from cryptography.hazmat.primitives.serialization import Encoding
    pem.write_bytes(ca.certificate.public_bytes(Encoding.PEM))
    run = subprocess.run([exe, "--verify", "--trusted-pem", str(pem), str(doc)],
                         capture_output=True, text=True)
    return run.returncode == 0


def test_signatures_per_file_not_per_worker_one_pin_one_session(saomai_token, tmp_path):
    """50 workers with 5 new, and 2,000 with 200 new: the same three signatures on the
    token (D02-TS, TK1-TS, the envelope), one PIN asked, one session; xmlsec1 verifies
    the envelope and every form."""
    module, serial, ca = saomai_token
    seen = []
    for workers, new in ((50, 5), (2000, 200)):
        app = open_app(tmp_path / f"data-{workers}")
        try:
            decl_id = make_demo(app, workers, PERIOD)
            pins: list[str] = []

            def ask(preflight, pins=pins):
                pins.append(preflight.token.label)
                return USER_PIN

            signer = CountingSigner(signing_service.token_signer(
                module, ask, token_serial=serial, tax_code=get_employer(app).tax_code))
            with signer:
                signing_service.sign(app, decl_id, signer)
            signed = signing_service.signed_bytes(app, decl_id)
        finally:
            app.close()
        files = read_envelope(signed).files
        assert [f.file_name for f in files] == ["D02-TS-595.xml", "TK1-TS-595.xml"]
        tk1 = etree.fromstring(files[1].content)
        assert len(tk1.findall("NoiDung/LaoDong")) == new
        seen.append((signer.calls, len(pins), len(signer.sessions)))
        assert verify_dossier(signed, trusted_cas=[ca.certificate]).valid
        if workers == 50:  # xmlsec1 costs a process per file: the small dossier
            assert xmlsec1_verifies(signed, ca, tmp_path)
            for f in files:
                assert xmlsec1_verifies(f.content, ca, tmp_path), f.file_name
    assert seen[0] == seen[1] == (len(files) + 1, 1, 1) == (3, 1, 1)


# --------------------------------------------------------------------------- stored dossiers

def test_files_of_the_layout_before_read_back_as_the_current_forms():
    forms = {f.spec.code: f for f in envelope_forms(CATALOG, (LEGACY / "signed.xml").read_bytes())}
    assert list(forms) == ["D02-LT", "TK1-TS", "D01-TS"]
    assert len(forms["D02-LT"].rows) == 20
    tk1 = forms["TK1-TS"].rows  # TK1-TS_1.xml and TK1-TS_2.xml: one row each
    assert [r["stt"] for r in tk1] == [1, 2] and all(r["ho_ten"] for r in tk1)
    assert tk1[0]["nhan_ket_qua"] == "1"  # the layout before carried it
    assert forms["D01-TS"].rows[0]["so_van_ban"] == "15/QĐ-SM"


def _revision_0003(data_dir: Path) -> dict[str, int]:
    """A database as revision 0003 left it (the migrations up to there, data sealed with
    its own key), holding the demo company's dossier of tests/data/legacy-2025 five times:
    a draft and a validated one with their envelope, and a signed, a sent and an accepted
    one with their envelope and signed bytes. Returns the dossier id of each state."""
    key, db_id = new_key(), "legacy-2025"
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{data_dir / DB_FILE}")
    with engine.begin() as conn:
        upgrade(conn, "0003", cipher=FieldCipher(key), db_id=db_id)
    engine.dialect.ibhxh_cipher = FieldCipher(key)
    envelope, signed = (LEGACY / "envelope.xml").read_bytes(), (LEGACY / "signed.xml").read_bytes()
    period = Period(2026, 1)
    ids = {}
    with engine.begin() as conn:
        legacy_db.save_employer(conn, demo_employer())
        workers = legacy_db.add_workers(conn, list(demo_workers(20, period)), "0003")
        for state in ("draft", "validated", "signed", "sent", "accepted"):
            lines = [DeclarationLine(worker_id=i, plan="TM", from_month=period,
                                     salary=w.salary, position=w.position,
                                     has_book=bool(w.bhxh_number))
                     for i, w in sorted(workers.items())]
            lines[0].from_month = Period(2025, 12)
            lines[0].decision_number, lines[0].decision_date = "15/QĐ-SM", date(2025, 12, 1)
            decl = Declaration(procedure="600", period=period, lines=lines,
                               created=date(2026, 1, 5))
            decl_id = ids[state] = legacy_db.save_declaration(conn, decl, "0003")
            legacy_db.put_artifact(conn, decl_id, "envelope", envelope)
            if state in ("signed", "sent", "accepted"):
                legacy_db.put_artifact(conn, decl_id, "signed", signed)
            if state != "draft":
                legacy_db.set_state(conn, decl_id, DossierState(state), "layout before",
                                    "0003")
    engine.dispose()
    KeyStore().put(db_id, key)
    return ids


def _artifacts(app, decl_id: int) -> dict[str, bytes | None]:
    with app.db.reading() as conn:
        return {kind: repo.get_artifact(conn, decl_id, kind) for kind in ("envelope", "signed")}


@pytest.mark.sqlite_only  # builds a 0003 SQLite file by hand
def test_stored_dossiers_after_the_migration(data_dir, tmp_path):
    """Migration 0004: a draft's or a validated dossier's envelope of the layout before is
    dropped and made again in the exchange's; a signed, sent or accepted one keeps every
    byte, and still reads, verifies and prints as it was."""
    old_envelope = (LEGACY / "envelope.xml").read_bytes()
    old_signed = (LEGACY / "signed.xml").read_bytes()
    ids = _revision_0003(data_dir)
    app = open_app(data_dir)  # migrates 0003 → the newest, through 0004
    try:
        with app.db.reading() as conn:
            assert current_revision(conn) == head_revision() >= "0004"
        for state in ("signed", "sent", "accepted"):
            assert _artifacts(app, ids[state]) == {"envelope": old_envelope,
                                                   "signed": old_signed}, state
            assert declarations.state_of(app, ids[state]) == state
        for state in ("draft", "validated"):
            assert _artifacts(app, ids[state]) == {"envelope": None, "signed": None}, state

        # The validated one is printed from its lines, in the new layout, one TK1-TS page
        # per worker without a BHXH number.
        out = tmp_path / "validated.pdf"
        printed = print_dossier(app, ids["validated"], reason="Thử", out=out)
        rebuilt = _artifacts(app, ids["validated"])["envelope"]
        assert [f.file_name for f in read_envelope(rebuilt).files] == \
            ["D02-TS-595.xml", "TK1-TS-595.xml", "D01-TS-595.xml"]
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count("Mẫu TK1-TS") == 2 and printed.workers == 20
        assert declarations.validate(app, ids["draft"]).files[1].file_name == "TK1-TS-595.xml"
        assert declarations.state_of(app, ids["draft"]) == "validated"

        # The signed one prints as it was signed: its two TK1-TS files, one page each.
        out = tmp_path / "signed.pdf"
        printed = print_dossier(app, ids["signed"], reason="Thử", out=out)
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert text.count("Mẫu TK1-TS") == 2 and "15/QĐ-SM" in text
        assert _artifacts(app, ids["signed"])["signed"] == old_signed  # printing kept it

        # What was sent verifies as it was made (its DoDaiFile counted bytes then).
        sent = signing_service.signed_bytes(app, ids["sent"])
        assert sent == old_signed
        path = tmp_path / "sent.xml"
        path.write_bytes(sent)
        ca = x509.load_pem_x509_certificate((LEGACY / "ca.pem").read_bytes())
        signed_at = dt.datetime(2026, 12, 4, 5, 59, 37, tzinfo=dt.UTC)
        assert verify_dossier(sent, trusted_cas=[ca], now=signed_at, byte_lengths=True).valid
        assert not verify_dossier(sent, trusted_cas=[ca], now=signed_at).valid
        assert envelope_forms(app.catalog, _artifacts(app, ids["accepted"])["signed"])
    finally:
        app.close()
