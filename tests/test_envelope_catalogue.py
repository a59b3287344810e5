"""An envelope against the catalogue (forms/procedures.toml): an unknown procedure code, a
period that is no month, a form the procedure does not take, a form it needs that is
missing. `ibhxh validate` (a file or a stored dossier) and the sandbox gateway refuse each
with the same sentence; the envelope as exported passes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from lxml import etree

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain import needs
from ibhxh_client.domain.formspec import FormNeed, Procedure
from ibhxh_client.domain.messages import MESSAGES
from ibhxh_client.gateway.protocol import ErrorCode
from ibhxh_client.gateway.sandbox.checks import Refusal, Schemas, check_envelope
from tests.pg import raw_connect

INFO = "NoiDung/ThongTinHoSo/"


@pytest.fixture
def exported(cli, tmp_path) -> bytes:
    """The demo dossier with 10 workers (the 10th has no BHXH number, so it carries a
    TK1-TS besides the D02-LT), exported as an envelope."""
    assert cli("demo", "--workers", "10").code == 0
    out = tmp_path / "hoso.xml"
    r = cli("export", 1, "--out", out)
    assert r.code == 0, r.err
    return out.read_bytes()


def edited(data: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(data)
    change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def set_text(path: str, value: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        root.find(INFO + path).text = value
    return change


def drop_form(code: str) -> Callable[[etree._Element], None]:
    def change(root: etree._Element) -> None:
        forms = root.find(INFO + "ToKhais")
        for el in forms.findall("FileToKhai"):
            if el.findtext("MaToKhai") == code:
                forms.remove(el)
        root.find(INFO + "SoLuongFile").text = str(len(forms))
    return change


FAULTS = {
    "unknown procedure": (set_text("MaThuTuc", "999zz"),
                          "Hoso, Mã thủ tục (MaThuTuc): không có thủ tục '999zz' "
                          "(có: 600, 604, 607, 608, 610, 612, 630a, 630b, 630c).",
                          "Hoso, Procedure code (MaThuTuc): there is no procedure '999zz'"),
    "month 13": (set_text("KyKeKhai", "13/2026"),
                 "Hoso, Kỳ kê khai (KyKeKhai): '13/2026' không phải tháng hợp lệ (mm/yyyy).",
                 "Hoso, Period (KyKeKhai): '13/2026' is not a valid month (mm/yyyy)."),
    "one-digit month": (set_text("KyKeKhai", "1/2026"),
                        "Hoso, Kỳ kê khai (KyKeKhai): '1/2026' không phải tháng hợp lệ",
                        "Hoso, Period (KyKeKhai): '1/2026' is not a valid month"),
    "a former code": (set_text("MaThuTuc", "600a"),
                      "Hoso, Mã thủ tục (MaThuTuc): '600a' không phải mã thủ tục của BHXH "
                      "Việt Nam: việc này nay nộp theo thủ tục 600, mỗi dòng với phương án "
                      "của nó (GH, GD, GC, KL, TS, OF).",
                      "Hoso, Procedure code (MaThuTuc): '600a' is not a Social Security "
                      "procedure code: such changes are now filed under procedure 600"),
    "form not taken": (set_text("MaThuTuc", "607"),
                       "Hoso, Mã tờ khai (MaToKhai): thủ tục 607 không nhận tờ khai D02-LT "
                       "(nhận: TK1-TS).",
                       "Hoso, Form code (MaToKhai): procedure 607 does not take form D02-LT"),
    "form missing": (drop_form("TK1-TS"),
                     "Hoso, Danh sách tờ khai (ToKhais): thiếu tờ khai TK1-TS: thủ tục 600 "
                     "cần tờ khai này cho 1 người lao động chưa có mã số BHXH (D02-LT dòng 10).",
                     "Hoso, Forms (ToKhais): form TK1-TS is missing: procedure 600 needs it "
                     "for the 1 worker(s) without a social insurance number (D02-LT rows 10)."),
}


def test_the_exported_envelope_passes(cli, exported, tmp_path):
    path = tmp_path / "as-exported.xml"
    path.write_bytes(exported)
    r = cli("validate", path)
    assert r.code == 0, r.err
    assert "hợp lệ" in r.out


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_validate_file_names_the_fault(cli, exported, tmp_path, fault):
    change, vietnamese, english = FAULTS[fault]
    path = tmp_path / "sua-tay.xml"
    path.write_bytes(edited(exported, change))
    r = cli("validate", path)
    assert r.code == 1
    assert vietnamese in r.err and "hợp lệ." not in r.out
    r = cli("--lang", "en", "validate", path)
    assert r.code == 1 and english in r.err


def test_validate_stored_dossier_under_an_unknown_procedure(cli, data_dir):
    assert cli("demo", "--workers", "3").code == 0
    assert cli("validate", 1).code == 0
    with raw_connect(data_dir) as conn:  # a catalogue that lost it
        conn.execute("UPDATE declarations SET procedure = '999zz', state = 'draft'")
    r = cli("validate", 1)
    assert r.code == 1
    assert "Mã thủ tục (MaThuTuc): không có thủ tục '999zz'" in r.err


@pytest.fixture
def signed(cli, tmp_path) -> bytes:
    """The same demo dossier signed with the demo certificate, as the sandbox receives it."""
    assert cli("demo", "--workers", "10").code == 0
    assert cli("sign", 1, "--demo-cert").code == 0
    out = tmp_path / "signed.xml"
    assert cli("export", 1, "--signed", "--out", out).code == 0
    return out.read_bytes()


def sandbox_check(data: bytes):
    return check_envelope(data, schemas=Schemas(), trusted_cas=None,
                          now=dt.datetime.now(dt.UTC))


def test_the_sandbox_takes_the_signed_envelope(signed):
    facts = sandbox_check(signed)
    assert [f[0] for f in facts.forms] == ["D02-TS", "TK1-TS"]  # the exchange codes
    assert len(facts.rows) == 10 and facts.rows[9].bhxh == ""


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_the_sandbox_refuses_the_same_faults(signed, fault):
    """Checked before the signatures: the same sentence, whatever the signatures say."""
    change, vietnamese, _ = FAULTS[fault]
    with pytest.raises(Refusal) as err:
        sandbox_check(edited(signed, change))
    refusal = err.value
    assert refusal.code == ErrorCode.ENVELOPE_INVALID
    assert "danh mục thủ tục" in refusal.message
    element = vietnamese.split("(")[1].split(")")[0]  # MaThuTuc, KyKeKhai …
    sentence = vietnamese.split(": ", 1)[1]
    assert any(d.where == element and sentence in f"{d.message}" for d in refusal.details), \
        [(d.where, d.message) for d in refusal.details]


# ---------------------------------------------------------------------------- the rules

PROC = Procedure("600", {"vi": "Báo tăng"}, ("TM",),
                 (FormNeed("D02-LT", "always"), FormNeed("TK1-TS", "worker_without_bhxh"),
                  FormNeed("TK3-TS", "first_registration"),
                  FormNeed("D01-TS", "late_or_retroactive")), default_plan="TM")


def codes(problems) -> list[tuple[str | None, str]]:
    return [(p.field, p.code) for p in problems]


def test_late_rows_need_d01_and_say_which():
    facts = needs.NeedFacts("D02-LT", late=tuple(range(1, 14)))
    (p,) = needs.form_problems(PROC, ["D02-LT"], facts)
    assert (p.field, p.code) == ("ToKhais", "form_missing_late_or_retroactive")
    assert p.message() == ("Hoso, Danh sách tờ khai (ToKhais): thiếu tờ khai D01-TS: thủ tục "
                           "600 cần tờ khai này khi kê khai muộn hoặc truy thu (D02-LT dòng "
                           "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (+3)).")
    assert needs.form_problems(PROC, ["D02-LT", "D01-TS"], facts) == []


def test_an_undecided_condition_takes_the_form_but_does_not_ask_for_it():
    facts = needs.NeedFacts("D02-LT")  # first_registration None: an envelope cannot tell
    assert needs.form_problems(PROC, ["D02-LT"], facts) == []
    assert needs.form_problems(PROC, ["D02-LT", "TK3-TS"], facts) == []
    told = needs.NeedFacts("D02-LT", first_registration=True)
    assert codes(needs.form_problems(PROC, ["D02-LT"], told)) == [
        ("ToKhais", "form_missing_first_registration")]


def test_d02_is_always_needed_and_a_stray_form_is_named_once():
    problems = needs.form_problems(PROC, ["TK1-TS", "XX-TS", "XX-TS"], needs.NeedFacts(""))
    assert codes(problems) == [("MaToKhai", "form_not_taken"), ("ToKhais", "form_missing_always")]
    assert "XX-TS" in problems[0].message("en") and "D02-LT" in problems[1].message("en")


@pytest.mark.parametrize("text,ok", [("01/2026", True), ("12/2026", True), ("13/2026", False),
                                     ("00/2026", False), ("1/2026", False), ("2026-01", False),
                                     ("01/2026 ", False), ("", False)])
def test_a_period_is_a_month_as_the_exchange_writes_it(text, ok):
    assert (needs.exchange_month(text) is not None) == ok


def test_every_condition_of_the_catalogue_has_its_message():
    catalog = load_catalog()
    used = {need.when for proc in catalog.procedures.values() for need in proc.forms}
    assert used <= set(needs.CONDITIONS)
    for when in needs.CONDITIONS:
        assert f"form_missing_{when}" in MESSAGES, when
