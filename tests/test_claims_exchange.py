"""The claim list M01B-HSB in the exchange (issue 15): its definition and schema, the
procedures 630a, 630b and 630c that take it, the builder that makes a row per claim, the
envelope and its signatures, and the sandbox gateway that checks a list, computes each
claim again from its row and answers claim by claim (and, in training mode, breaks the
rules docs/gateway-protocol.md names)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from lxml import etree

from ibhxh_client.catalog import CatalogError, load_catalog, load_catalog_from
from ibhxh_client.domain.claims import Claim
from ibhxh_client.domain.model import Declaration, Period, Worker
from ibhxh_client.dossier.build import build_dossier, check_declaration
from ibhxh_client.dossier.envelope import DossierFile, envelope_element, read_envelope
from ibhxh_client.dossier.xmlform import to_bytes
from ibhxh_client.dossier.xsd import load_schema, schema_for
from ibhxh_client.gateway import errors as E
from ibhxh_client.gateway.client import GatewayClient, RetryPolicy
from ibhxh_client.gateway.protocol import DossierStatus, ErrorCode
from ibhxh_client.gateway.result import (
    ClaimOutcome,
    Reason,
    ResultData,
    build_result,
    claim_outcomes,
    verify_result,
)
from ibhxh_client.gateway.sandbox import faults
from ibhxh_client.gateway.sandbox.checks import Refusal, Schemas, check_envelope
from ibhxh_client.gateway.sandbox.claims import TRAINING, answer_claims, claim_rows
from ibhxh_client.services.demo import demo_employer, demo_workers
from ibhxh_client.signing.dossier import sign_dossier, verify_dossier
from tests.test_gateway_support import (
    DEMO_UNIT,
    TRIAL_PASSWORD,
    demo_identity,
    make_sandbox,
    sandbox_pki,
)

__all__ = ["demo_identity", "make_sandbox", "sandbox_pki"]  # fixtures

CATALOG = load_catalog()
FORM = CATALOG.form("M01B-HSB")
PERIOD = Period(2026, 3)
# A week of March 2026 without public holidays: Monday 2 to Friday 6, Sunday the rest day.
MON, FRI = date(2026, 3, 2), date(2026, 3, 6)
# The worked example of one sickness claim (forms/benefits.toml, sickness_rate from
# 2025-07-01: Law 41/2024/QH15 art. 45.1: 75 % of the month's contribution salary, ÷ 24
# for a day): 75 % × 6.000.000 ÷ 24 = 187.500 a day, × 5 working days = 937.500.
SALARY, SICK_AMOUNT = 6_000_000, 937_500
# Training mode rounds the day's amount to the thousand first: 188.000 × 5 = 940.000.
SICK_ROUNDED = 940_000
# The row's elements in order: ours (docs/exchange-format.md §10), pinned so that a change
# to the layout is a deliberate one.
ROW_ELEMENTS = ["STT", "HoTen", "MaSoBHXH", "SoCCCD", "LoaiCheDo", "DieuKienLamViec",
                "MaBenhDaiNgay", "TuNgay", "DenNgay", "TongSoNgay", "NgayNghiHangTuan",
                "NgaySinhCon", "SoCon", "MaSoCon", "SoTuanThai", "PhauThuat", "NghiDuongThai",
                "DieuTriVoSinh", "ConThuHai", "SoSeri", "HinhThucNhan", "SoTaiKhoan",
                "MaNganHang", "TienLuongTinhHuong", "SoThangDong", "SoTienDeNghi", "CachTinh",
                "GhiChu"]


@pytest.fixture(scope="module")
def workers() -> dict[int, Worker]:
    """Five demo workers with their ids, each with a BHXH number (the demo leaves only
    every tenth without one)."""
    out = {}
    for n, w in enumerate(demo_workers(5, PERIOD), start=1):
        out[n] = dataclasses.replace(w, id=n)
    return out


def sick(worker_id: int = 1, **changes) -> Claim:
    """The worked example: own sickness Monday to Friday, 5 days, 937.500 đồng."""
    claim = Claim(worker_id=worker_id, kind="om_dau", from_date=MON, to_date=FRI, days=5,
                  certificate="BV-2026-000123", payment="TK", bank_account="0071000123456",
                  bank_code="VCB", expected_days=5, expected_amount=SICK_AMOUNT,
                  salary_base=SALARY, months=40,
                  rule="75 % × 6.000.000 ÷ 24 × 5 ngày (Luật 41/2024/QH15, điều 45)")
    return dataclasses.replace(claim, **changes)


def birth(worker_id: int = 2, **changes) -> Claim:
    claim = Claim(worker_id=worker_id, kind="sinh_con", from_date=date(2026, 3, 9),
                  to_date=date(2026, 9, 8), child_birth_date=date(2026, 3, 10), child_count=1,
                  child_id="7926000123456", payment="TK", bank_account="0071000765432",
                  bank_code="VCB", expected_days=184, expected_amount=60_000_000,
                  salary_base=10_000_000, months=30)
    return dataclasses.replace(claim, **changes)


def rest(worker_id: int = 3, **changes) -> Claim:
    claim = Claim(worker_id=worker_id, kind="duong_suc_ts", from_date=date(2026, 3, 2),
                  to_date=date(2026, 3, 8), surgery=True, expected_days=7,
                  expected_amount=4_914_000, salary_base=2_340_000, months=30)
    return dataclasses.replace(claim, **changes)


KIND_OF = {"630a": sick, "630b": birth, "630c": rest}


def declaration(procedure: str, *claims: Claim) -> Declaration:
    return Declaration(procedure=procedure, period=PERIOD, claims=list(claims),
                       created=date(2026, 3, 20))


def built(workers, procedure: str, *claims: Claim):
    result = build_dossier(CATALOG, demo_employer(), workers, declaration(procedure, *claims))
    assert result.ok, [p.message() for p in result.problems]
    return result


def signed(envelope: bytes, identity) -> bytes:
    with identity.signer() as signer:
        return sign_dossier(envelope, signer, signing_time=dt.datetime.now(dt.UTC),
                            place_of=CATALOG.signature_place,
                            envelope_place=CATALOG.envelope.signature_path)


def rewrapped(result, procedure: str, edit=None) -> bytes:
    """The dossier's envelope made again, its claim list edited first (``edit`` takes the
    form's root) and its MaThuTuc set to ``procedure``: what a broken client might send."""
    files = []
    for f in result.files:
        root = etree.fromstring(f.content)
        if edit is not None:
            edit(root)
        files.append(DossierFile(f.form, f.description, f.file_name, to_bytes(root)))
    decl = declaration(procedure)
    return to_bytes(envelope_element(demo_employer(), decl, "Thủ tục", files,
                                     CATALOG.envelope))


def sandbox_check(data: bytes):
    return check_envelope(data, schemas=Schemas(), trusted_cas=None,
                          now=dt.datetime.now(dt.UTC))


# --------------------------------------------------------------------------- definition

def test_the_claim_list_is_a_form_definition():
    assert (FORM.root, FORM.file_name, FORM.signature, FORM.version) == (
        "M01B-HSB", "M01B-HSB.xml", "Cky", "")
    assert FORM.title["vi"] == ("Danh sách đề nghị giải quyết hưởng chế độ ốm đau, thai sản, "
                                "dưỡng sức phục hồi sức khỏe")
    p = FORM.provenance
    assert (p.file_status, p.layout_status) == ("seen", "check")
    assert "T2" in p.file_source and "ours" in p.layout_source
    assert FORM.rows.source == "claims" and FORM.rows.container == "DanhSachDeNghi"
    # every value comes from a claim, its worker, or the row number: names that exist
    claim_attrs = {f.name for f in dataclasses.fields(Claim)}
    worker_attrs = {f.name for f in dataclasses.fields(Worker)}
    for f in FORM.rows.fields:
        assert f.owner in ("row", "claim", "worker"), f.name
        assert f.attr in {"claim": claim_attrs, "worker": worker_attrs,
                          "row": {"stt"}}[f.owner], f.name
    sources = {f.xml: f.source for f in FORM.rows.fields}
    assert sources["TienLuongTinhHuong"] == "claim.salary_base"
    assert sources["SoTienDeNghi"] == "claim.expected_amount"
    assert sources["CachTinh"] == "claim.rule"
    assert [f.source for f in FORM.header.fields][-2:] == ["totals.count", "totals.amount"]
    # the committed schema is the one the definition gives
    assert CATALOG.xsd_path("M01B-HSB").read_bytes() == schema_for(FORM, CATALOG.codelists)


def test_the_claim_procedures():
    kinds = CATALOG.codelist("benefit_kinds")
    for code, name in (("630a", "Xét duyệt chế độ ốm đau"), ("630b", "Xét duyệt chế độ thai sản"),
                       ("630c", "Xét duyệt chế độ dưỡng sức, phục hồi sức khỏe")):
        proc = CATALOG.procedure(code)
        assert proc.claims and proc.name["vi"] == name
        assert [n.form for n in proc.forms] == ["M01B-HSB"]
        assert proc.forms[0].when == "always"
        assert proc.rules_for("M01B-HSB") == ("kind_matches_procedure",)
        assert (proc.plans, proc.line, proc.columns, proc.header) == ((), (), (), ())
        assert proc.status == "seen" and "V5" in proc.source
        assert CATALOG.line_forms(proc) == ("M01B-HSB",)
        assert CATALOG.envelope.procedure_code(f"{code}_166") == code
        assert any(kinds.column(k, "procedure") == code for k in kinds.entries), code
    assert not CATALOG.procedure("600").claims


def _catalog_with(tmp_path: Path, old: str, new: str):
    root = tmp_path / "forms"
    shutil.copytree(CATALOG.root, root)
    text = (root / "procedures.toml").read_text("utf-8")
    assert old in text
    (root / "procedures.toml").write_text(text.replace(old, new, 1), "utf-8")
    return load_catalog_from(root)


@pytest.mark.parametrize("old, new, said", [
    ('code = "630a"\n', 'code = "630a"\nplans = ["TM"]\n', "a claim list takes"),
    ('code = "630b"\n', 'code = "630b"\nline = ["plan"]\n', "a claim list takes"),
    ('claims = true\n', '', "needs claims = true"),
])
def test_a_catalogue_that_mixes_claims_and_lines_does_not_load(tmp_path, old, new, said):
    with pytest.raises(CatalogError) as err:
        _catalog_with(tmp_path, old, new)
    assert said in str(err.value)


# --------------------------------------------------------------------------- the builder

def test_the_builder_makes_a_row_per_claim(workers):
    result = check_declaration(CATALOG, demo_employer(), workers,
                               declaration("630a", sick(1), sick(2, expected_amount=812_345)))
    assert result.problems == [] and result.summary is None
    (data,) = result.forms
    assert data.spec.code == "M01B-HSB"
    assert data.header["ma_thu_tuc"] == "630a" and data.header["ky_ke_khai"] == PERIOD
    assert (data.header["so_de_nghi"], data.header["tong_so_tien"]) == (2, 937_500 + 812_345)
    first, second = data.rows
    assert first["stt"] == 1 and second["stt"] == 2
    assert first["ho_ten"] == workers[1].full_name and second["ho_ten"] == workers[2].full_name
    assert first["ma_so_bhxh"] == workers[1].bhxh_number
    assert (first["loai_che_do"], first["tu_ngay"], first["den_ngay"]) == ("om_dau", MON, FRI)
    assert (first["tong_so_ngay"], first["tien_luong"], first["so_thang_dong"],
            first["so_tien"]) == (5, SALARY, 40, SICK_AMOUNT)
    assert first["so_seri"] == "BV-2026-000123" and first["cach_tinh"].startswith("75 %")
    assert second["so_tien"] == 812_345


def test_a_claim_without_its_amount_or_in_another_list_is_named(workers):
    result = check_declaration(CATALOG, demo_employer(), workers, declaration(
        "630a", sick(1, expected_amount=None), birth(2),
        sick(3, from_date=FRI, to_date=MON)))
    said = [p.message("vi") for p in result.problems]
    assert said == [
        "M01B-HSB dòng 1, Số tiền đề nghị (đồng): chưa nhập (bắt buộc).",
        "M01B-HSB dòng 2, Chế độ đề nghị: chế độ 'Lao động nữ sinh con' thuộc thủ tục 630b, "
        "không thuộc danh sách của thủ tục 630a.",
        "M01B-HSB dòng 3, Đến ngày: ngày kết thúc 02/03/2026 trước ngày bắt đầu 06/03/2026.",
    ]
    assert "procedure 630b, not in a list of procedure 630a" in result.problems[1].message("en")
    assert build_dossier(CATALOG, demo_employer(), workers, declaration(
        "630a", birth(2))).envelope is None
    empty = check_declaration(CATALOG, demo_employer(), workers, declaration("630c"))
    assert [p.code for p in empty.problems] == ["no_lines"]


# --------------------------------------------------------------------------- the file

def test_the_file_passes_its_schema_and_a_broken_one_does_not(workers):
    result = built(workers, "630b", birth(2), birth(4, child_count=2, surgery=True))
    (f,) = result.files
    assert (f.file_name, f.form) == ("M01B-HSB.xml", "M01B-HSB")
    root = etree.fromstring(f.content)
    assert [c.tag for c in root] == ["ThongTinChung", "DanhSachDeNghi", "Cky"]
    rows = root.findall("DanhSachDeNghi/DeNghi")
    assert len(rows) == 2
    present = [c.tag for c in rows[1]]
    assert present == [t for t in ROW_ELEMENTS if t in present]  # in the schema's order
    assert rows[1].findtext("SoCon") == "2" and rows[1].findtext("PhauThuat") == "1"
    assert rows[0].findtext("NgaySinhCon") == "10/03/2026"
    assert rows[0].findtext("SoTienDeNghi") == "60000000"
    assert root.findtext("ThongTinChung/TongSoTienDeNghi") == "120000000"
    schema = load_schema(CATALOG.xsd_path("M01B-HSB"))
    assert schema.validate(root), schema.error_log
    every = [e.get("name") for e in etree.parse(str(CATALOG.xsd_path("M01B-HSB"))).iter(
        "{http://www.w3.org/2001/XMLSchema}element")]
    assert every[every.index("DeNghi") + 1:every.index("DeNghi") + 1 + len(ROW_ELEMENTS)] \
        == ROW_ELEMENTS

    def broken(path: str, text: str | None) -> etree._Element:
        copy = etree.fromstring(f.content)
        el = copy.find(path)
        if text is None:
            el.getparent().remove(el)
        else:
            el.text = text
        return copy

    for path, text in (("DanhSachDeNghi/DeNghi/LoaiCheDo", "nghi_mat"),
                       ("DanhSachDeNghi/DeNghi/TuNgay", "2026-03-09"),
                       ("DanhSachDeNghi/DeNghi/SoTienDeNghi", None),
                       ("DanhSachDeNghi/DeNghi/MaSoBHXH", "12345"),
                       ("ThongTinChung/KyKeKhai", "13/2026")):
        assert not schema.validate(broken(path, text)), (path, text)


@pytest.mark.parametrize("code", ["630a", "630b", "630c"])
def test_the_envelope_carries_the_list_signed_in_its_cky(workers, demo_identity, code):
    result = built(workers, code, KIND_OF[code](1), KIND_OF[code](2))
    envelope = read_envelope(result.envelope)
    assert (envelope.procedure, envelope.period) == (code, "03/2026")
    assert [(f.form, f.file_name) for f in envelope.files] == [("M01B-HSB", "M01B-HSB.xml")]
    entry = etree.fromstring(result.envelope).find(".//FileToKhai")
    assert entry.findtext("MaToKhai") == "M01B-HSB" and entry.findtext("LoaiFile") == ".xml"
    assert entry.findtext("MoTaToKhai") == FORM.title["vi"]
    assert etree.fromstring(result.envelope).findtext(".//TenThuTuc") == \
        CATALOG.procedure(code).name["vi"]

    data = signed(result.envelope, demo_identity)
    verdict = verify_dossier(data, place_of=CATALOG.signature_place,
                             envelope_place=CATALOG.envelope.signature_path)
    assert verdict.valid, verdict.messages()
    form = etree.fromstring(read_envelope(data).files[0].content)
    (signature,) = form.find("Cky")
    assert signature.tag == "{http://www.w3.org/2000/09/xmldsig#}Signature"
    assert form[-1].tag == "Cky"
    # the sandbox takes it: schema, catalogue, signatures; and keeps each row to compute
    facts = sandbox_check(data)
    assert facts.procedure == code and facts.rows == ()
    assert [(c.row, c.bhxh, c.kind) for c in facts.claims] == [
        (1, workers[1].bhxh_number, KIND_OF[code](1).kind),
        (2, workers[2].bhxh_number, KIND_OF[code](2).kind)]
    first = facts.claims[0]
    claim = KIND_OF[code](1)
    assert (first.from_date, first.to_date, first.days, first.salary_base, first.months,
            first.asked) == (claim.from_date.isoformat(), claim.to_date.isoformat(),
                             claim.expected_days, claim.salary_base, claim.months,
                             claim.expected_amount)


def test_the_sandbox_refuses_a_claim_in_another_procedures_list(workers, demo_identity):
    """A maternity claim sent under 630a: the rule the procedure adds to M01B-HSB (its
    kind's procedure, codelists/benefit_kinds.csv), with the sentence the program says."""
    data = signed(rewrapped(built(workers, "630b", birth(2)), "630a"), demo_identity)
    with pytest.raises(Refusal) as err:
        sandbox_check(data)
    assert err.value.code == ErrorCode.ENVELOPE_INVALID
    assert [d.message for d in err.value.details] == [
        "chế độ 'Lao động nữ sinh con' thuộc thủ tục 630b, không thuộc danh sách của thủ tục "
        "630a."]
    # a claim list under a contribution procedure: a form 600 does not take
    data = signed(rewrapped(built(workers, "630a", sick(1)), "600"), demo_identity)
    with pytest.raises(Refusal) as err:
        sandbox_check(data)
    assert any("thủ tục 600 không nhận tờ khai M01B-HSB" in d.message
               for d in err.value.details)


def test_ibhxh_validate_holds_a_list_file_to_the_same_rule(workers, cli, tmp_path):
    assert cli("demo", "--workers", "1", "--no-claims").code == 0
    good, bad = tmp_path / "dung.xml", tmp_path / "sai.xml"
    good.write_bytes(built(workers, "630a", sick(1), sick(2)).envelope)
    bad.write_bytes(rewrapped(built(workers, "630b", birth(2)), "630a"))
    assert cli("validate", good).code == 0
    r = cli("validate", bad)
    assert r.code == 1
    assert ("M01B-HSB dòng 1, Chế độ đề nghị: chế độ 'Lao động nữ sinh con' thuộc thủ tục "
            "630b, không thuộc danh sách của thủ tục 630a.") in r.err


def test_the_sandbox_refuses_a_day_that_does_not_exist(workers, demo_identity):
    """31/02/2026 has the schema's shape; reading the row finds it is no day."""
    def edit(root):
        root.find("DanhSachDeNghi/DeNghi/DenNgay").text = "31/02/2026"

    data = signed(rewrapped(built(workers, "630a", sick(1)), "630a", edit), demo_identity)
    with pytest.raises(Refusal) as err:
        sandbox_check(data)
    assert err.value.message == "Tờ khai không đúng lược đồ XML."
    assert [d.message for d in err.value.details] == [
        "M01B-HSB dòng 1, Đến ngày: '31/02/2026' không hợp lệ"]


# --------------------------------------------------------------------------- the commands

def test_declare_refuses_a_claim_procedure_and_procedures_lists_them(cli):
    assert cli("demo", "--workers", "3", "--no-claims").code == 0
    before = cli("--json", "status").json
    r = cli("declare", "--procedure", "630a", "--period", "03/2026", "--line", "#1")
    assert r.code == 2
    assert ("thủ tục 630a là danh sách đề nghị hưởng chế độ ốm đau, thai sản, dưỡng sức: lập "
            "bằng lệnh 'ibhxh claims declare', không bằng 'ibhxh declare'.") in r.err
    r = cli("--lang", "en", "declare", "--procedure", "630c", "--period", "03/2026")
    assert r.code == 2 and "make it with 'ibhxh claims declare'" in r.err
    assert cli("--json", "status").json == before
    r = cli("procedures")
    assert "630b  Xét duyệt chế độ thai sản  (thấy trong nguồn công khai)" in r.out
    block = r.out.split("630a  ", 1)[1].split("630b  ", 1)[0]
    assert "M01B-HSB" in block and "--line" not in block
    items = {i["code"]: i for i in cli("--json", "procedures").json}
    assert {c: (items[c]["forms"], items[c]["line"], items[c]["plans"])
            for c in ("630a", "630b", "630c")} == {
        c: (["M01B-HSB"], [], []) for c in ("630a", "630b", "630c")}


def test_the_sandbox_training_switch_names_an_unknown_rule(cli, tmp_path):
    r = cli("sandbox", "--port", "0", "--state-dir", tmp_path / "s", "--training",
            "round_daily,lam_tron_sai")
    assert r.code == 2
    assert f"Không có quy tắc tập huấn lam_tron_sai (có: {', '.join(TRAINING)})." in r.err


# --------------------------------------------------------------------------- the answer

OUTCOMES = (
    ClaimOutcome(row=1, bhxh_number="7900000001", approved=True, days=5, amount=937_500,
                 asked=937_500),
    ClaimOutcome(row=2, bhxh_number="7900000002", approved=True, days=5, amount=940_000,
                 reason_vi="Duyệt 5 ngày, 940.000 đồng; đơn vị đề nghị 5 ngày, 937.500 đồng.",
                 reason_en="Approved 5 days, 940.000 VND; the unit asked 5 days, 937.500 VND.",
                 asked=937_500),
    ClaimOutcome(row=3, bhxh_number="7900000003", approved=False, days=0, amount=0,
                 reason_vi="Chế độ ốm đau cần số serial …", reason_en="A sickness claim …",
                 asked=937_500),
)


def _notice(**changes) -> bytes:
    data = ResultData(number="00001/2026/07906", unit_code=DEMO_UNIT,
                      status=DossierStatus.ACCEPTED, processed_at="2026-03-21T09:00:00+07:00",
                      reasons=(Reason("certificate_missing", "M01B-HSB", 3, "SoSeri",
                                      "Chế độ ốm đau cần số serial …", "A sickness claim …"),),
                      claims=OUTCOMES)
    return build_result(dataclasses.replace(data, **changes))


def test_claim_outcomes_read_a_notice_back():
    assert claim_outcomes(_notice()) == list(OUTCOMES)
    root = etree.fromstring(_notice())
    assert [c.tag for c in root] == ["SoHoSo", "MaDonVi", "TrangThai", "NgayXuLy", "LyDos",
                                     "KetQuaDeNghi", "Cky"]
    assert [c.tag for c in root.find("KetQuaDeNghi/DeNghi")] == [
        "Dong", "MaSoBHXH", "KetQua", "SoNgayDuyet", "SoTienDuyet", "SoTienDeNghi", "GhiChu",
        "GhiChuEn"]
    assert OUTCOMES[2].reason("en") == "A sickness claim …"
    # a notice of any other dossier answers no claim; its layout is as before
    other = _notice(claims=())
    assert claim_outcomes(other) == [] and b"KetQuaDeNghi" not in other


@pytest.mark.parametrize("data, code", [
    (faults.ENTITY_EXPANSION, E.HOSTILE_XML),
    (faults.EXTERNAL_ENTITY, E.HOSTILE_XML),
    (b"<PhieuGiaoNhan><SoHoSo>1</SoHoSo><Cky/></PhieuGiaoNhan>", E.BAD_ANSWER),
    (_notice().replace(b"<KetQua>approved</KetQua>", b"<KetQua>maybe</KetQua>", 1),
     E.BAD_ANSWER),
    (_notice().replace(b"<SoTienDuyet>937500<", b"<SoTienDuyet>937.500<", 1), E.BAD_ANSWER),
    (_notice().replace(b"<Dong>1</Dong>", b"<Dong>-1</Dong>", 1), E.BAD_ANSWER),
])
def test_claim_outcomes_refuse_unsafe_or_wrong_documents(data, code):
    with pytest.raises(E.GatewayError) as err:
        claim_outcomes(data)
    assert err.value.code == code and err.value.kind == E.ANSWER_KIND


# --------------------------------------------------------------------------- the sandbox

def _rows(workers, procedure: str, *claims: Claim):
    """The rows the sandbox keeps from a list, read as it reads them."""
    (data,) = check_declaration(CATALOG, demo_employer(), workers,
                                declaration(procedure, *claims)).forms
    return claim_rows(data)


def _wait(client: GatewayClient, number: str) -> str:
    deadline = time.monotonic() + 20
    while (state := client.state(number)).status == DossierStatus.RECEIVED:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert state.result_available
    return state.status


def _answered(gateway, data: bytes, key: str) -> ResultData:
    """Send a signed list to the sandbox over HTTPS, wait for its processing, and read
    the result notice as the client does (signature checked against the sandbox's CA)."""
    with GatewayClient(gateway.url, ca_pem=gateway.ca_pem,
                       retry=RetryPolicy(attempts=1)) as client:
        client.login_password(DEMO_UNIT, TRIAL_PASSWORD)
        receipt = client.submit(data, key, hashlib.sha256(data).hexdigest())
        status = _wait(client, receipt.dossier_number)
        answer = client.result(receipt.dossier_number)
    document = base64.b64decode(answer.result)
    notice = verify_result(document, trusted_cas=x509.load_pem_x509_certificates(
        gateway.ca_pem.encode()), number=receipt.dossier_number, unit_code=DEMO_UNIT)
    assert notice.status == status
    assert claim_outcomes(document) == list(notice.claims)
    return notice


def test_the_sandbox_answers_each_claim_over_https(workers, demo_identity, make_sandbox):
    """A list of three: computed right, asked too little, and one the rules refuse (a
    child too old for a sick child's leave). Approved are the sandbox's own figures,
    with a note where they differ from what was asked; the list is accepted."""
    too_old = Claim(worker_id=3, kind="con_om", from_date=MON, to_date=FRI, days=5,
                    child_birth_date=date(2016, 1, 5), certificate="BV-2026-000124",
                    expected_days=5, expected_amount=SICK_AMOUNT, salary_base=SALARY,
                    months=40)
    result = built(workers, "630a", sick(1), sick(2, expected_amount=900_000), too_old)
    notice = _answered(make_sandbox(), signed(result.envelope, demo_identity),
                       "claims-" + "k" * 24)
    assert notice.status == DossierStatus.ACCEPTED
    first, second, third = notice.claims
    assert (first.approved, first.days, first.amount, first.reason_vi) == (
        True, 5, SICK_AMOUNT, "")
    assert (second.approved, second.amount, second.asked) == (True, SICK_AMOUNT, 900_000)
    assert second.reason_vi == "Duyệt 5 ngày, 937.500 đồng; đơn vị đề nghị 5 ngày, 900.000 đồng."
    assert not third.approved and (third.days, third.amount) == (0, 0)
    assert third.reason_vi.startswith("Đề nghị không đủ điều kiện hưởng: ")
    assert [(r.form, r.row) for r in notice.reasons] == [("M01B-HSB", 3)]
    assert notice.reasons[0].message_vi == third.reason_vi
    assert [o.bhxh_number for o in notice.claims] == [workers[n].bhxh_number for n in (1, 2, 3)]


def test_training_over_https_and_what_the_sandbox_remembers(workers, demo_identity,
                                                            make_sandbox):
    """A sandbox in training mode (round_daily) pays 940.000 for the worked example and
    says so; the same leave sent again in a later list overlaps the one it approved, and
    that list, with no claim approved, is rejected."""
    gateway = make_sandbox(training=["round_daily"])
    data = signed(built(workers, "630a", sick(1)).envelope, demo_identity)
    (paid,) = _answered(gateway, data, "claims-first-" + "k" * 16).claims
    assert (paid.approved, paid.days, paid.amount, paid.asked) == (True, 5, SICK_ROUNDED,
                                                                   SICK_AMOUNT)
    assert paid.reason_vi == "Duyệt 5 ngày, 940.000 đồng; đơn vị đề nghị 5 ngày, 937.500 đồng."
    again = _answered(gateway, signed(built(workers, "630a", sick(1)).envelope,
                                      demo_identity), "claims-again-" + "k" * 16)
    assert again.status == DossierStatus.REJECTED
    (refused,) = again.claims
    assert not refused.approved and "02/03/2026" in refused.reason_vi
    assert [(r.code, r.row) for r in again.reasons] == [("claim_refused", 1)]


def test_outside_training_the_sandbox_approves_what_the_rules_give(workers):
    rows = _rows(workers, "630a", sick(1), sick(2, certificate=""))
    answer = answer_claims(rows, CATALOG)
    assert [(o.approved, o.days, o.amount, o.reason_vi) for o in answer.outcomes] == [
        (True, 5, SICK_AMOUNT, ""), (True, 5, SICK_AMOUNT, "")]
    assert answer.accepted and answer.reasons == []


def test_training_rounds_the_days_amount_to_the_thousand(workers):
    (outcome,) = answer_claims(_rows(workers, "630a", sick(1)), CATALOG,
                               ["round_daily"]).outcomes
    assert (outcome.approved, outcome.days, outcome.amount) == (True, 5, SICK_ROUNDED)
    assert outcome.reason_vi == ("Duyệt 5 ngày, 940.000 đồng; đơn vị đề nghị 5 ngày, "
                                 "937.500 đồng.")


def test_training_rejects_a_sickness_claim_without_its_certificate(workers):
    answer = answer_claims(_rows(workers, "630a", sick(1, certificate=""), sick(2)), CATALOG,
                           ["certificate_required"])
    refused, paid = answer.outcomes
    assert not refused.approved and paid.approved and answer.accepted
    assert refused.reason_vi == ("Chế độ ốm đau cần số serial của giấy chứng nhận nghỉ việc "
                                 "hưởng BHXH; dòng này không có.")
    (reason,) = answer.reasons
    assert (reason.code, reason.form, reason.row, reason.field) == (
        "certificate_missing", "M01B-HSB", 1, "SoSeri")
    # a list whose every claim is rejected is rejected
    assert not answer_claims(_rows(workers, "630a", sick(1, certificate="")), CATALOG,
                             ["certificate_required"]).accepted


def test_training_pays_at_most_the_days_it_counts_itself(workers):
    """Convalescence counts every day (forms/benefits.toml): Monday to Sunday is 7; the
    sandbox in training counts 6 (no Sunday) and pays 6 of the 7 days' amount."""
    (row,) = _rows(workers, "630c", rest(3))
    (plain,) = answer_claims([row], CATALOG).outcomes
    # 30 % of the reference level a day (benefits.toml, convalescence after maternity,
    # Law 41/2024/QH15 art. 60): 30 % × 2.340.000 = 702.000, × 7 days
    assert (plain.approved, plain.days, plain.amount, plain.reason_vi) == (True, 7, 4_914_000,
                                                                           "")
    (cut,) = answer_claims([row], CATALOG, ["own_days"]).outcomes
    assert (cut.days, cut.amount) == (6, 4_212_000)
    assert cut.reason_vi == "Duyệt 6 ngày, 4.212.000 đồng; đơn vị đề nghị 7 ngày, 4.914.000 đồng."
    # a sickness week Monday to Friday: 5 asked, 5 counted, nothing cut
    (same,) = answer_claims(_rows(workers, "630a", sick(1)), CATALOG, ["own_days"]).outcomes
    assert (same.days, same.amount) == (5, SICK_AMOUNT)


def _frozen(claim: Claim, history) -> Claim:
    """The claim as a list carries it: what the program's rules computed, frozen."""
    from ibhxh_client.catalog import load_benefits, load_holidays
    from ibhxh_client.domain.claim_rules import ClaimContext, assess_claims

    ctx = ClaimContext(load_benefits(), CATALOG.rates, load_holidays())
    (a,) = assess_claims([claim], {claim.worker_id: history}, ctx)
    assert a.problems == [], [p.code for p in a.problems]
    return dataclasses.replace(claim, expected_days=a.days, expected_amount=a.amount,
                               salary_base=a.salary_base, months=a.months,
                               rule=a.rule["vi"])


def test_a_prenatal_rest_and_a_second_child_travel_and_keep_their_amount(workers):
    """A birth with only 3 of the 12 months paid but a doctor-ordered rest in the
    pregnancy (NghiDuongThai, 27 months in all), and a second child's 7 months from
    7/2026 (ConThuHai): the sandbox, computing each row again from the row alone,
    approves the amounts the program asked. Without ConThuHai the 7 months are too
    many."""
    from ibhxh_client.domain.history import History, Stint

    rested_history = History.of([Stint(Period(2023, 1), Period(2024, 12), 9_000_000),
                                 Stint(Period(2025, 12), Period(2026, 2), 9_000_000)])
    rested = _frozen(birth(2, prenatal_rest=True), rested_history)
    second = _frozen(birth(4, from_date=date(2026, 8, 3), to_date=date(2027, 3, 2),
                           child_birth_date=date(2026, 8, 3), second_child=True),
                     History.of([Stint(Period(2025, 1), None, 18_000_000)]))
    assert (second.expected_days, second.expected_amount) == (212, 18_000_000 * 7 + 5_060_000)
    rows = _rows(workers, "630b", rested, second)
    assert (rows[0].prenatal_rest, rows[0].infertility, rows[0].second_child) == (
        True, False, False)
    assert (rows[1].prenatal_rest, rows[1].second_child) == (False, True)
    answer = answer_claims(rows, CATALOG)
    assert [(o.approved, o.days, o.amount, o.reason_vi) for o in answer.outcomes] == [
        (True, rested.expected_days, rested.expected_amount, ""),
        (True, 212, second.expected_amount, "")]
    (plain,) = answer_claims([dataclasses.replace(rows[1], second_child=False)],
                             CATALOG).outcomes
    assert not plain.approved and "184" in plain.reason_vi
