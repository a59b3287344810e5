"""XML-DSig of forms and the dossier: our verifier and xmlsec1 agree, any change is refused,
and signing never changes the content."""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ibhxh_client.signing import errors as E
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.signing.dossier import (
    sign_dossier,
    strip_dossier_signatures,
    verify_dossier,
)
from ibhxh_client.signing.pkcs12 import Pkcs12Signer
from ibhxh_client.signing.token import open_signer
from ibhxh_client.signing.xmldsig import (
    ALG_ECDSA_SHA256,
    ALG_RSA_SHA256,
    C14N_10,
    DS_NS,
    ENVELOPED,
    SHA256,
    canonical,
    parse_xml,
    sign_xml,
    strip_signatures,
    verify_xml,
)
from tests import pkcs11_fixtures as fx
from tests.pkcs11_fixtures import (
    TAX_ABC,
    TAX_DEF,
    USER_PIN,
    World,
)

softhsm_world = fx.softhsm_world  # the fixture, for pytest
unit_ca = fx.unit_ca  # the fixture, for pytest

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SIGNED_AT = NOW - dt.timedelta(minutes=5)
NS = {"ds": DS_NS}


# --------------------------------------------------------------------------- documents

def make_form(rows: int = 3, *, root: str = "D02-TS", cky: str = "<Cky/>",
              pretty: bool = True) -> bytes:
    """A form shaped like the dossier module's: UTF-8, no namespace, <Cky/> last."""
    nl, ind = ("\n", "  ") if pretty else ("", "")
    parts = [f"<?xml version='1.0' encoding='UTF-8'?>{nl}<{root}>{nl}",
             f"{ind}<ThongTinChung><MaDonVi>TZH490L</MaDonVi>"
             f"<TenDonVi>CÔNG TY TNHH ABC &amp; CỘNG SỰ</TenDonVi></ThongTinChung>{nl}",
             f"{ind}<DanhSach>{nl}"]
    for i in range(rows):
        parts.append(
            f"{ind}{ind}<NguoiLaoDong stt=\"{i + 1}\"><HoTen>NGUYỄN VĂN AN {i}</HoTen>"
            f"<MaSoBHXH>{7900000000 + i}</MaSoBHXH><ChucVu>Nhân viên</ChucVu>"
            f"<MucLuong>{5310000 + i}</MucLuong><TuThang>01/2026</TuThang>"
            f"<PhuongAn>TM</PhuongAn><GhiChu>Tăng mới &lt;hợp đồng&gt;</GhiChu>"
            f"</NguoiLaoDong>{nl}")
    parts.append(f"{ind}</DanhSach>{nl}{ind}{cky}{nl}</{root}>{nl}")
    return "".join(parts).encode("utf-8")


def b64len(data: bytes) -> int:
    """DoDaiFile as the exchange counts it: the length of the base64 text."""
    return len(base64.b64encode(data))


def make_envelope(*forms: tuple[str, bytes], attachment: bytes | None = None) -> bytes:
    """An envelope shaped as docs/exchange-format.md §2 around ``forms`` ((code, xml)
    pairs); each file is named ``{code}-595.xml``."""
    entries = []
    for code, xml in forms:
        entries.append(
            f"<FileToKhai><MaToKhai>{code}</MaToKhai><MoTaToKhai>Tờ khai {code}</MoTaToKhai>"
            f"<TenFile>{code}-595.xml</TenFile><LoaiFile>.xml</LoaiFile>"
            f"<DoDaiFile>{b64len(xml)}</DoDaiFile>"
            f"<NoiDungFile>{base64.b64encode(xml).decode()}</NoiDungFile></FileToKhai>")
    if attachment is not None:
        entries.append(
            "<FileToKhai><MaToKhai>CT-DK</MaToKhai><MoTaToKhai>Phụ lục</MoTaToKhai>"
            "<TenFile>PL.pdf</TenFile><LoaiFile>.pdf</LoaiFile>"
            f"<DoDaiFile>{b64len(attachment)}</DoDaiFile>"
            f"<NoiDungFile>{base64.b64encode(attachment).decode()}</NoiDungFile></FileToKhai>")
    xml = (
        "<?xml version='1.0' encoding='UTF-8'?>\n<Hoso><NoiDung>"
        "<ThongTinIVAN><MaIVAN>IVAN01</MaIVAN><TenIVAN>ibhxh-client</TenIVAN></ThongTinIVAN>"
        "<ThongTinDonVi><TenDoiTuong>CÔNG TY TNHH ABC</TenDoiTuong><MaSoBHXH>TZH490L</MaSoBHXH>"
        f"<LoaiDoiTuong>1</LoaiDoiTuong><MaSoThue>{TAX_ABC}</MaSoThue><NguoiKy>Nguyễn Văn A"
        "</NguoiKy><DienThoai>0281234567</DienThoai><CoQuanQuanLy>07906</CoQuanQuanLy>"
        "</ThongTinDonVi><ThongTinHoSo><TenThuTuc>Đăng ký, điều chỉnh đóng BHXH</TenThuTuc>"
        "<MaThuTuc>600</MaThuTuc><KyKeKhai>01/2026</KyKeKhai><NgayLap>15/01/2026</NgayLap>"
        f"<SoLuongFile>{len(entries)}</SoLuongFile><QuyTrinhISO/>"
        f"<ToKhais>{''.join(entries)}</ToKhais></ThongTinHoSo></NoiDung><CKy_Dvi/></Hoso>")
    return xml.encode("utf-8")


def forms_of(envelope: bytes) -> dict[str, bytes]:
    tree = parse_xml(envelope)
    return {e.findtext("MaToKhai"): base64.b64decode(e.findtext("NoiDungFile"))
            for e in tree.getroot().iter("FileToKhai") if e.findtext("LoaiFile") == ".xml"}


# --------------------------------------------------------------------------- signers, xmlsec1

@pytest.fixture(scope="module")
def file_signer(unit_ca: DemoCA) -> Pkcs12Signer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = unit_ca.issue(key.public_key(), company_name="Công ty TNHH ABC", tax_code=TAX_ABC,
                         not_before=NOW - dt.timedelta(days=100),
                         not_after=NOW + dt.timedelta(days=300))
    return Pkcs12Signer(key, cert, (unit_ca.certificate,))


@pytest.fixture(scope="module")
def unit_ca_pem(unit_ca: DemoCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "unit-ca.pem"
    path.write_bytes(unit_ca.certificate.public_bytes(serialization.Encoding.PEM))
    return path


def xmlsec1(path: Path, ca_pem: Path) -> subprocess.CompletedProcess[str]:
    """``xmlsec1 --verify --trusted-pem CA FILE``: exit 0 only for a valid signature that
    chains to the CA. Never skipped: a missing xmlsec1 fails the test."""
    exe = shutil.which("xmlsec1")
    if exe is None:
        pytest.fail("xmlsec1 is not installed; run .ci/setup")
    return subprocess.run([exe, "--verify", "--trusted-pem", str(ca_pem), str(path)],
                          capture_output=True, text=True, errors="replace", timeout=60)


def xmlsec1_ok(data: bytes, ca_pem: Path, tmp_path: Path, name: str = "doc.xml") -> bool:
    path = tmp_path / name
    path.write_bytes(data)
    return xmlsec1(path, ca_pem).returncode == 0


# --------------------------------------------------------------------------- shape

def test_signature_shape(file_signer: Pkcs12Signer) -> None:
    signed = sign_xml(make_form(), file_signer, container="Cky", signing_time=SIGNED_AT,
                      signature_id="sig-D02-TS")
    root = etree.fromstring(signed)
    assert root[-1].tag == "Cky"
    (sig,) = root[-1]
    assert sig.tag == f"{{{DS_NS}}}Signature" and sig.get("Id") == "sig-D02-TS"
    si = sig.find("ds:SignedInfo", NS)
    assert si.find("ds:CanonicalizationMethod", NS).get("Algorithm") == C14N_10
    assert si.find("ds:SignatureMethod", NS).get("Algorithm") == ALG_RSA_SHA256
    refs = si.findall("ds:Reference", NS)
    assert [r.get("URI") for r in refs] == ["", "#sig-D02-TS-time", "#sig-D02-TS-keyinfo"]
    assert [t.get("Algorithm") for t in refs[0].iterfind(".//ds:Transform", NS)] == \
        [ENVELOPED, C14N_10]
    assert all(r.find("ds:DigestMethod", NS).get("Algorithm") == SHA256 for r in refs)
    cert_b64 = sig.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=NS)
    assert base64.b64decode(cert_b64) == file_signer.certificate.public_bytes(
        serialization.Encoding.DER)
    prop = sig.find("ds:Object/ds:SignatureProperties/ds:SignatureProperty", NS)
    assert prop.get("Id") == "sig-D02-TS-time" and prop.get("Target") == "#sig-D02-TS"
    assert prop.findtext("ds:SigningTime", namespaces=NS) == \
        SIGNED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_sign_and_verify_with_a_file_key(file_signer: Pkcs12Signer, unit_ca: DemoCA,
                                         unit_ca_pem: Path, tmp_path: Path) -> None:
    signed = sign_xml(make_form(), file_signer, container="Cky", signing_time=SIGNED_AT,
                      signature_id="sig-D02-TS")
    v = verify_xml(signed, container="Cky", trusted_cas=[unit_ca.certificate])
    assert v.valid and v.trusted and v.code == "ok"
    assert v.signing_time == SIGNED_AT
    assert v.certificate.tax_code == TAX_ABC
    assert v.reason_vi == "Chữ ký hợp lệ." and v.reason_en == "The signature is valid."
    assert xmlsec1_ok(signed, unit_ca_pem, tmp_path)


# --------------------------------------------------------------------------- SoftHSM2 + xmlsec1

def test_dossier_signed_on_the_token_verified_by_us_and_by_xmlsec1(
        softhsm_world: World, tmp_path: Path) -> None:
    envelope = make_envelope(("D02-TS", make_form(5)),
                             ("TK1-TS", make_form(1, root="TK1-TS", pretty=False)))
    with open_signer(softhsm_world.module, pin=USER_PIN, tax_code=TAX_ABC,
                     token_serial=softhsm_world.serial("ABC")) as signer:
        signed = sign_dossier(envelope, signer, signing_time=SIGNED_AT)
    result = verify_dossier(signed, trusted_cas=[softhsm_world.ca.certificate])
    assert result.valid, result.messages("en")
    assert result.envelope.trusted and [f.name for f in result.forms] == \
        ["D02-TS-595.xml", "TK1-TS-595.xml"]
    assert all(f.declared_length == f.actual_length for f in result.forms)
    assert result.message("vi") == "Chữ ký hợp lệ."
    assert result.same_signer and result.tax_code_matches is True
    # xmlsec1: the envelope, and each form after base64 decoding.
    assert xmlsec1(_write(tmp_path / "hoso.xml", signed), softhsm_world.ca_pem).returncode == 0
    for code, form in forms_of(signed).items():
        run = xmlsec1(_write(tmp_path / f"{code}.xml", form), softhsm_world.ca_pem)
        assert run.returncode == 0, run.stderr
        assert "3/3" in run.stderr


def test_ec_key_on_the_token_verified_by_xmlsec1(softhsm_world: World,
                                                 tmp_path: Path) -> None:
    with open_signer(softhsm_world.module, pin=USER_PIN, tax_code=TAX_DEF,
                     token_serial=softhsm_world.serial("TWO")) as signer:
        signed = sign_xml(make_form(), signer, container="Cky", signing_time=SIGNED_AT,
                          signature_id="sig-D02-TS")
    assert ALG_ECDSA_SHA256.encode() in signed
    assert verify_xml(signed, container="Cky",
                      trusted_cas=[softhsm_world.ca.certificate]).valid
    assert xmlsec1_ok(signed, softhsm_world.ca_pem, tmp_path)


def test_xmlsec1_refuses_an_untrusted_ca(file_signer: Pkcs12Signer, softhsm_world: World,
                                         tmp_path: Path) -> None:
    signed = sign_xml(make_form(), file_signer, container="Cky", signing_time=SIGNED_AT,
                      signature_id="s")
    assert not xmlsec1_ok(signed, softhsm_world.ca_pem, tmp_path)
    v = verify_xml(signed, container="Cky", trusted_cas=[softhsm_world.ca.certificate])
    assert not v.valid and v.code == "untrusted"
    assert v.certificate is not None and v.certificate.tax_code == TAX_ABC


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- tampering

def _mutate(data: bytes, pos: int) -> bytes:
    """One byte changed to a different, non-whitespace byte that is not the same letter in
    the other case (so the change is always a change of content or of well-formedness)."""
    b = data[pos]
    if 0x30 <= b <= 0x39:
        new = 0x30 + (b - 0x30 + 1) % 10
    elif 0x61 <= b <= 0x7A:
        new = 0x61 + (b - 0x61 + 1) % 26
    elif 0x41 <= b <= 0x5A:
        new = 0x41 + (b - 0x41 + 1) % 26
    else:
        new = ord("x")
    return data[:pos] + bytes([new]) + data[pos + 1:]


def _span(data: bytes, pattern: bytes) -> range:
    m = re.search(pattern, data, re.S)
    assert m, pattern
    return range(m.start(1), m.end(1))


@pytest.fixture(scope="module")
def signed_form(file_signer: Pkcs12Signer) -> bytes:
    return sign_xml(make_form(2), file_signer, container="Cky", signing_time=SIGNED_AT,
                    signature_id="sig-D02-TS")


TARGETS = {
    "content text": rb"<HoTen>(NGUY)",
    "content attribute": rb'stt="(2)"',
    "element name": rb"<(MaSoBHXH)>",
    "signing time": rb"<SigningTime>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)</SigningTime>",
    "certificate": rb"<X509Certificate>([A-Za-z0-9+/=]+)</X509Certificate>",
    "signature value": rb"<SignatureValue>([A-Za-z0-9+/=]+)</SignatureValue>",
    "digest value": rb"<DigestValue>([A-Za-z0-9+/=]+)</DigestValue>",
    "algorithm": rb'<SignatureMethod Algorithm="([^"]+)"',
    "reference uri": rb'<Reference URI="(#[^"]+)"',
    "property target": rb'Target="(#[^"]+)"',
}


@pytest.mark.parametrize("what", list(TARGETS))
def test_any_change_is_refused_by_both(what: str, signed_form: bytes, unit_ca: DemoCA,
                                       unit_ca_pem: Path, tmp_path: Path) -> None:
    assert verify_xml(signed_form, container="Cky", trusted_cas=[unit_ca.certificate]).valid
    span = _span(signed_form, TARGETS[what])
    rng = random.Random(what)
    positions = sorted({span[0], span[-1], *rng.sample(span, min(6, len(span)))})
    for i, pos in enumerate(positions):
        bad = _mutate(signed_form, pos)
        v = verify_xml(bad, container="Cky", trusted_cas=[unit_ca.certificate])
        assert not v.valid, (what, pos)
        if i < 3:  # xmlsec1 costs a process each: three positions per target
            assert not xmlsec1_ok(bad, unit_ca_pem, tmp_path), (what, pos)


def test_change_one_byte_anywhere(signed_form: bytes, unit_ca: DemoCA,
                                  unit_ca_pem: Path, tmp_path: Path) -> None:
    """Every byte after the XML declaration, for our verifier; a sample for xmlsec1.

    The XML declaration is not part of any canonical form, so no XML-DSig verifier can
    notice "1.0" → "1.1" there. The Signature element's own Id is not covered by any
    digest either: xmlsec1 does not notice a change to it, ours does (the signed
    SignatureProperty's Target must name it). Likewise the last base64 character before
    "=" carries unused bits: ours refuses base64 that is not canonical, xmlsec1 decodes it
    to the same bytes, so those positions are left out of the xmlsec1 sample.
    """
    start = signed_form.index(b"?>") + 2
    sig_id = _span(signed_form, rb'<Signature xmlns="[^"]+" (Id="sig-D02-TS")>')
    rng = random.Random(7)
    sample = set(rng.sample(range(start, len(signed_form)), 40))
    for pos in range(start, len(signed_form)):
        bad = _mutate(signed_form, pos)
        assert not verify_xml(bad, container="Cky",
                              trusted_cas=[unit_ca.certificate]).valid, pos
        if pos in sample and pos not in sig_id and signed_form[pos + 1:pos + 2] != b"=":
            assert not xmlsec1_ok(bad, unit_ca_pem, tmp_path), (pos, bad[pos - 20:pos + 20])


def test_changed_form_inside_a_signed_dossier(file_signer: Pkcs12Signer,
                                              unit_ca: DemoCA) -> None:
    signed = sign_dossier(make_envelope(("D02-TS", make_form(3))), file_signer,
                          signing_time=SIGNED_AT)
    form = forms_of(signed)["D02-TS"]
    bad_form = form.replace(b"5310001", b"5310009")
    bad = signed.replace(base64.b64encode(form), base64.b64encode(bad_form))
    result = verify_dossier(bad, trusted_cas=[unit_ca.certificate])
    assert not result.valid
    assert not result.envelope.valid and not result.forms[0].verification.valid
    assert result.forms[0].verification.code == "content_changed"
    text = " ".join(result.messages("vi"))
    assert "D02-TS-595.xml" in text and "thay đổi" in text
    # A wrong DoDaiFile is caught on its own.
    wrong_length = signed.replace(f"<DoDaiFile>{b64len(form)}<".encode(), b"<DoDaiFile>1<")
    result = verify_dossier(wrong_length)
    assert not result.valid and result.forms[0].verification.valid
    assert any(m.key == "verify.form_length" for m in result.problems)


def test_do_dai_file_is_the_length_of_the_base64_text(file_signer: Pkcs12Signer) -> None:
    """The exchange's DoDaiFile counts the base64 text (4 × ceil(n / 3)), not the bytes:
    signing writes it so, and the byte length this program wrote before is taken only
    when asked (``byte_lengths``: files made then still verify as they were made)."""
    signed = sign_dossier(make_envelope(("D02-TS", make_form(3))), file_signer,
                          signing_time=SIGNED_AT)
    form = forms_of(signed)["D02-TS"]
    declared = int(parse_xml(signed).getroot().findtext(".//DoDaiFile"))
    assert declared == b64len(form) == 4 * -(-len(form) // 3) != len(form)
    result = verify_dossier(signed)
    assert result.valid and result.forms[0].declared_length == declared
    # A dossier signed as this program signed before: DoDaiFile the form's bytes.
    signed_form = sign_xml(make_form(3), file_signer, container="Cky",
                           signing_time=SIGNED_AT, signature_id="sig-D02-TS")
    envelope = make_envelope(("D02-TS", signed_form)).replace(
        f"<DoDaiFile>{b64len(signed_form)}<".encode(), f"<DoDaiFile>{len(signed_form)}<".encode())
    as_before = sign_xml(envelope, file_signer, container="/Hoso/CKy_Dvi",
                         signing_time=SIGNED_AT, signature_id="sig-Hoso")
    assert [m.key for m in verify_dossier(as_before).problems] == ["verify.form_length"]
    assert verify_dossier(as_before, byte_lengths=True).valid


def test_each_form_is_signed_where_its_definition_says(file_signer: Pkcs12Signer) -> None:
    """``place_of`` gives each form's signature element by its exact file name; a file
    no definition names is refused before anything is signed, as the exchange's signer
    refuses an unknown name."""
    places = {"D02-TS-595.xml": "Ky"}
    envelope = make_envelope(("D02-TS", make_form(2, cky="<Ky/>")))
    signed = sign_dossier(envelope, file_signer, signing_time=SIGNED_AT, place_of=places.get)
    assert verify_dossier(signed, place_of=places.get).valid
    assert b"<Ky><Signature" in forms_of(signed)["D02-TS"]
    with pytest.raises(E.SigningError) as err:
        sign_dossier(make_envelope(("D05-TS", make_form(1, root="D05-TS"))), file_signer,
                     signing_time=SIGNED_AT, place_of=places.get)
    assert err.value.code == "bad_envelope" and "D05-TS-595.xml" in err.value.message("vi")


# --------------------------------------------------------------------------- safety

def test_signing_never_changes_the_content(file_signer: Pkcs12Signer) -> None:
    for form in (make_form(), make_form(pretty=False), make_form(cky="<Cky></Cky>"),
                 make_form(cky="<Cky>\n  </Cky>"), make_form(cky="<Cky />")):
        signed = sign_xml(form, file_signer, container="Cky", signing_time=SIGNED_AT,
                          signature_id="sig-x")
        assert strip_signatures(signed, container="Cky") == \
            strip_signatures(form, container="Cky") == canonical(parse_xml(form))
        # Byte for byte: only the signature was added (a self-closing <Cky/> opened up).
        without = re.sub(rb"<Signature xmlns=.*</Signature>", b"", signed, flags=re.S)
        assert without == re.sub(rb"<Cky\s*/>", b"<Cky></Cky>", form)


_TEXT = st.text(alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẠẢÃ "
                                              "<>&\"'\t\r\n0123456789ếềểễệ")), max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_TEXT, _TEXT), max_size=6), comment=st.booleans(),
       pretty=st.booleans())
def test_signing_never_changes_the_content_of_any_form(file_signer: Pkcs12Signer,
                                                       rows: list[tuple[str, str]],
                                                       comment: bool, pretty: bool) -> None:
    root = etree.Element("D02-TS")
    rows_el = etree.SubElement(root, "DanhSach")
    for text, attr in rows:
        row = etree.SubElement(rows_el, "Dong", ghichu=attr)
        etree.SubElement(row, "HoTen").text = text
        if comment:
            row.append(etree.Comment(" ghi chú "))
    etree.SubElement(root, "Cky")
    if pretty:
        etree.indent(root)
    form = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    signed = sign_xml(form, file_signer, container="Cky", signing_time=SIGNED_AT,
                      signature_id="sig-D02-TS")
    assert strip_signatures(signed, container="Cky") == strip_signatures(form, container="Cky")
    assert verify_xml(signed, container="Cky").valid


def test_signing_a_dossier_never_changes_its_content(file_signer: Pkcs12Signer) -> None:
    pdf = b"%PDF-1.4 phu luc"
    envelope = make_envelope(("D02-TS", make_form(4)), ("D01-TS", make_form(2, root="D01-TS")),
                             attachment=pdf)
    signed = sign_dossier(envelope, file_signer, signing_time=SIGNED_AT)
    assert strip_dossier_signatures(signed) == strip_dossier_signatures(envelope)
    # Each form less its signature is the input form.
    before, after = forms_of(envelope), forms_of(signed)
    for code in before:
        assert strip_signatures(after[code], container="Cky") == \
            strip_signatures(before[code], container="Cky")
    tree = parse_xml(signed)
    lengths = {e.findtext("MaToKhai"): int(e.findtext("DoDaiFile"))
               for e in tree.getroot().iter("FileToKhai")}
    assert lengths == {"D02-TS": b64len(after["D02-TS"]), "D01-TS": b64len(after["D01-TS"]),
                       "CT-DK": b64len(pdf)}
    pl = next(e for e in tree.getroot().iter("FileToKhai")
              if e.findtext("MaToKhai") == "CT-DK")
    assert base64.b64decode(pl.findtext("NoiDungFile")) == pdf
    assert verify_dossier(signed).valid


# --------------------------------------------------------------------------- verification rules

def test_signature_checked_against_the_signing_time(unit_ca: DemoCA, unit_ca_pem: Path,
                                                    tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start, end = NOW - dt.timedelta(days=30), NOW - dt.timedelta(days=1)
    old = Pkcs12Signer(key, unit_ca.issue(key.public_key(), company_name="ABC",
                                          tax_code=TAX_ABC, not_before=start, not_after=end))
    # Signed while valid, checked after expiry: still valid.
    when = NOW - dt.timedelta(days=5)
    signed = sign_xml(make_form(), old, container="Cky", signing_time=when, signature_id="s")
    assert verify_xml(signed, container="Cky", trusted_cas=[unit_ca.certificate]).valid
    # xmlsec1 checks the certificate now unless told the signing time.
    path = _write(tmp_path / "old.xml", signed)
    assert xmlsec1(path, unit_ca_pem).returncode != 0
    run = subprocess.run(["xmlsec1", "--verify", "--trusted-pem", str(unit_ca_pem),
                          "--verification-gmt-time", f"{when:%Y-%m-%d %H:%M:%S}", str(path)],
                         capture_output=True, text=True, errors="replace")
    assert run.returncode == 0, run.stderr
    # A signing time outside the certificate's validity is refused.
    signed = sign_xml(make_form(), old, container="Cky", signing_time=NOW, signature_id="s")
    v = verify_xml(signed, container="Cky")
    assert not v.valid and v.code == "time_outside"
    assert "ngoài thời hạn" in v.reason_vi
    # A signing time in the future is refused.
    signed = sign_xml(make_form(), old, container="Cky",
                      signing_time=NOW + dt.timedelta(days=2), signature_id="s")
    assert verify_xml(signed, container="Cky").code == "time_future"


def test_structure_and_algorithm_rules(file_signer: Pkcs12Signer, signed_form: bytes) -> None:
    # No signature; two signatures.
    assert verify_xml(make_form(), container="Cky").code == "no_signature"
    sig = re.search(rb"<Signature .*</Signature>", signed_form, re.S).group(0)
    doubled = signed_form.replace(sig, sig + sig)
    assert verify_xml(doubled, container="Cky").code == "several_signatures"
    # SHA-1 is not accepted.
    weak = signed_form.replace(ALG_RSA_SHA256.encode(),
                               b"http://www.w3.org/2000/09/xmldsig#rsa-sha1")
    assert verify_xml(weak, container="Cky").code == "algorithm"
    # A reference to content outside the signature (a wrapping attack) is refused.
    wrapped = signed_form.replace(b'<Reference URI="#sig-D02-TS-keyinfo">',
                                  b'<Reference URI="#outside">').replace(
        b"<DanhSach>", b'<DanhSach Id="outside">')
    assert verify_xml(wrapped, container="Cky").code == "structure"
    # The signature moved out of the container is not found there.
    moved = signed_form.replace(sig, b"").replace(b"<DanhSach>", b"<DanhSach>" + sig)
    assert verify_xml(moved, container="Cky").code == "no_signature"
    assert not verify_xml(b"<not xml", container="Cky").valid


def test_sign_refusals(file_signer: Pkcs12Signer, signed_form: bytes) -> None:
    with pytest.raises(E.XmlSigningError) as err:
        sign_xml(signed_form, file_signer, container="Cky", signing_time=SIGNED_AT,
                 signature_id="again")
    assert err.value.code == E.ALREADY_SIGNED
    with pytest.raises(E.XmlSigningError) as err:
        sign_xml(b"<D02-TS><A/></D02-TS>", file_signer, container="Cky",
                 signing_time=SIGNED_AT, signature_id="s")
    assert err.value.code == E.NO_CONTAINER and "Cky" in err.value.message("vi")
    xxe = (b'<?xml version="1.0"?><!DOCTYPE D02-TS [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<D02-TS><A>&x;</A><Cky/></D02-TS>")
    with pytest.raises(E.XmlSigningError) as err:
        sign_xml(xxe, file_signer, container="Cky", signing_time=SIGNED_AT, signature_id="s")
    assert err.value.code == E.BAD_XML
    assert verify_xml(xxe, container="Cky").code == "bad_xml"
    with pytest.raises(E.XmlSigningError) as err:
        sign_dossier(make_form(), file_signer, signing_time=SIGNED_AT)
    assert err.value.code == E.BAD_ENVELOPE
    with pytest.raises(ValueError):
        sign_xml(make_form(), file_signer, container="Cky", signing_time=SIGNED_AT,
                 signature_id="has space")


def test_large_dossier_needs_the_huge_parser_and_still_verifies(
        file_signer: Pkcs12Signer, unit_ca: DemoCA, unit_ca_pem: Path,
        tmp_path: Path) -> None:
    form = make_form(30_000, pretty=False)  # ~7.9 MB: its base64 is a text node over the
    envelope = make_envelope(("D02-TS", form))  # 10 MB libxml2 allows without huge_tree
    assert len(base64.b64encode(form)) > 10_000_000
    signed = sign_dossier(envelope, file_signer, signing_time=SIGNED_AT)
    assert verify_dossier(signed, trusted_cas=[unit_ca.certificate]).valid
    assert xmlsec1_ok(signed, unit_ca_pem, tmp_path)


def test_inherited_namespaces_and_xml_lang_agree_with_xmlsec1(
        file_signer: Pkcs12Signer, unit_ca: DemoCA, unit_ca_pem: Path, tmp_path: Path) -> None:
    # Inclusive C14N of SignedInfo carries the root's namespace declarations and xml:lang.
    form = (b"<?xml version='1.0' encoding='UTF-8'?>\n<D02-TS xmlns:xsi="
            b'"http://www.w3.org/2001/XMLSchema-instance" xml:lang="vi" xsi:noNamespaceSchema'
            b'Location="D02-TS.xsd"><A>1</A><Cky/></D02-TS>')
    signed = sign_xml(form, file_signer, container="Cky", signing_time=SIGNED_AT,
                      signature_id="sig-ns")
    assert verify_xml(signed, container="Cky", trusted_cas=[unit_ca.certificate]).valid
    assert xmlsec1_ok(signed, unit_ca_pem, tmp_path)
