"""The procedure catalogue checked (issue 14, docs/exchange-format.md §12): 600 takes
increases, decreases and adjustments, each line by its plan code; the former 600a and
600b are refused with where their changes are filed now; the procedures an HR officer
files besides contributions (604 the unit's details, 607 and 608 the BHXH book, 610 and
612 the BHYT card) go the whole way from the command line to an accepted dossier at the
sandbox gateway over HTTPS, and on paper, each held to the checks it adds."""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

from ibhxh_client.dossier.envelope import read_envelope
from ibhxh_client.gateway.sandbox.checks import Refusal, Schemas, check_envelope
from tests.test_gateway_support import DEMO_UNIT, TRIAL_PASSWORD, make_sandbox, sandbox_pki

__all__ = ["make_sandbox", "sandbox_pki"]  # fixtures

PERIOD = "11/2026"
CHANGE = "Họ tên: Nguyễn Văn Nam → Nguyễn Văn Năm (sai dấu)"
# code → (what the command line gives, the files of its envelope, a text its paper shows)
NEW = {
    "607": (["--line", "{bhxh}:Sổ bị mất khi chuyển nhà"], ["TK1-TS-595.xml"],
            "Sổ bị mất khi chuyển nhà"),
    "608": (["--line", "{bhxh}:CCCD:079094001234:15/03/2026:" + CHANGE],
            ["TK1-TS-595.xml", "D01-TS-595.xml"], CHANGE),
    "610": (["--line", "{bhxh}:GK:123/2026:02/01/2026:Ngày sinh 01/01/1994 → 02/01/1994"],
            ["TK1-TS-595.xml", "D01-TS-595.xml"], "Ngày sinh 01/01/1994 → 02/01/1994"),
    "612": (["--line", "{bhxh}:Thẻ BHYT bị hỏng"], ["TK1-TS-595.xml"], "Thẻ BHYT bị hỏng"),
    "604": (["--change", "Địa chỉ trụ sở: 45 Lê Lợi, Phường Sài Gòn"], ["TK3-TS.xml"],
            "45 Lê Lợi, Phường Sài Gòn"),
}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def workers(cli) -> list[dict]:
    return cli("--json", "workers", "list").json


def count_dossiers(cli) -> int:
    return len(cli("--json", "status").json)


def login(cli, gateway, monkeypatch) -> None:
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    r = cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit", DEMO_UNIT,
            "--password-env", "GW_PASS")
    assert r.code == 0, r.err


def until_accepted(cli, dossier: int) -> None:
    deadline = time.monotonic() + 20
    while cli("--json", "status", dossier).json["state"] != "accepted":
        assert time.monotonic() < deadline, cli("status", dossier).out
        assert cli("sync").code == 0
        time.sleep(0.2)


def exported(cli, dossier: int, tmp_path: Path, signed: bool = False) -> bytes:
    out = tmp_path / f"hoso-{dossier}{'-ky' if signed else ''}.xml"
    r = cli("export", dossier, "--out", out, *(["--signed"] if signed else []))
    assert r.code == 0, r.err
    return out.read_bytes()


# --------------------------------------------------------------------------- end to end

@pytest.mark.parametrize("code", NEW)
def test_a_procedure_from_the_command_line_to_accepted_and_on_paper(
        code, cli, make_sandbox, monkeypatch, tmp_path, memory_keyring):
    args, files, shown = NEW[code]
    gateway = make_sandbox()
    assert cli("demo", "--workers", "6").code == 0
    bhxh = workers(cli)[0]["bhxh_number"]
    r = cli("--json", "declare", "--procedure", code, "--period", PERIOD,
            *[a.format(bhxh=bhxh) for a in args])
    assert r.code == 0, r.err
    dossier = r.json["dossier_id"]
    assert r.json["total_due"] == 0  # no contributions change
    r = cli("--json", "validate", dossier)
    assert r.code == 0 and r.json["state"] == "validated", r.err
    envelope = read_envelope(exported(cli, dossier, tmp_path))
    assert (envelope.procedure, envelope.period) == (code, PERIOD)
    assert [f.file_name for f in envelope.files] == files
    first = etree.fromstring(envelope.files[0].content)
    if code == "604":  # the unit's declaration says what changes
        assert shown in first.findtext("ThongTinDonVi/NoiDungThayDoi")
    else:  # the worker's book or card: the person, the number, what changes or why
        (row,) = first.findall("NoiDung/LaoDong")
        assert row.findtext("MasoBHXH") == bhxh and row.findtext("Noidung_Thaydoi") == shown
    if "D01-TS-595.xml" in files:  # the document behind the change, named
        d01 = etree.fromstring(envelope.files[1].content)
        assert d01.findtext("NoiDung/BangKe/ThongTin/MasoBHXH") == bhxh
        assert d01.findtext("NoiDung/BangKe/ThongTin/CoQuanBanHanh") in (
            "Bộ Công an", "Ủy ban nhân dân cấp xã")

    login(cli, gateway, monkeypatch)
    assert cli("sign", dossier, "--demo-cert").code == 0
    # the paper dossier, printed after signing (the gateway could have been down) …
    pdf = tmp_path / f"{code}.pdf"
    r = cli("print", dossier, "--out", pdf, "--reason", "Cổng tiếp nhận không kết nối được")
    assert r.code == 0, r.err
    text = pdf_text(pdf)
    assert f"Thủ tục {code}:" in text and shown in " ".join(text.split())
    assert ("Mẫu TK3-TS" if code == "604" else "Mẫu TK1-TS") in text
    if code != "604":  # part II of TK1-TS: someone who has a BHXH number asks for a change
        assert "II. Áp dụng đối với người tham gia đã được cấp mã số BHXH" in text
        assert f"Mã số BHXH: {bhxh}" in text
    # … and the signed one still sent and accepted
    r = cli("--json", "submit", dossier)
    assert r.code == 0, r.out + r.err
    until_accepted(cli, dossier)
    assert "Được chấp nhận" in cli("status", dossier).out


def test_a_decrease_and_an_adjustment_under_600_are_accepted(cli, make_sandbox, monkeypatch,
                                                             tmp_path, memory_keyring):
    """What 600a and 600b held is now two lines of one 600 dossier, each by its plan code:
    GH (a decrease, kind "decrease" in plan_codes.csv) and DC (an adjustment)."""
    gateway = make_sandbox()
    assert cli("demo", "--workers", "6").code == 0
    login(cli, gateway, monkeypatch)
    assert cli("sign", 1, "--demo-cert").code == 0  # the six are increased first
    assert cli("submit", 1).code == 0
    until_accepted(cli, 1)
    first, second = workers(cli)[:2]
    r = cli("--json", "declare", "--procedure", "600", "--period", "12/2026",
            "--line", f"{first['bhxh_number']}:GH", "--line",
            f"{second['bhxh_number']}:DC:15.000.000")
    assert r.code == 0, r.err
    dossier = r.json["dossier_id"]
    envelope = read_envelope(exported(cli, dossier, tmp_path))
    assert envelope.procedure == "600"
    d02 = etree.fromstring(envelope.files[0].content)
    assert [el.text for el in d02.iter("PhuongAn")] == ["GH", "DC"]
    assert [el.text for el in d02.iter("MucLuong")][1] == "15000000"
    assert cli("sign", dossier, "--demo-cert").code == 0
    assert cli("submit", dossier).code == 0
    until_accepted(cli, dossier)
    # what the accepted dossiers did to the workers: GH ended the first one's participation
    status = {w["bhxh_number"]: w["status"] for w in workers(cli)}
    assert status[first["bhxh_number"]] == "left"
    assert status[second["bhxh_number"]] == "active"


# --------------------------------------------------------------------------- the checks

def test_what_a_line_does_is_its_plan_codes_kind():
    """One 600 dossier holds increases, decreases and adjustments: each row is checked by
    its own plan code's kind (codelists/plan_codes.csv), not by the procedure."""
    from ibhxh_client.catalog import load_catalog
    from ibhxh_client.domain import rules
    from ibhxh_client.domain.model import WorkerStatus
    from ibhxh_client.domain.validation import RuleContext

    catalog = load_catalog()
    status = {"1": WorkerStatus.ACTIVE, "2": WorkerStatus.NEW, "3": WorkerStatus.NEW,
              "4": WorkerStatus.ACTIVE, "5": WorkerStatus.PAUSED}
    ctx = RuleContext(codelists=catalog.codelists, procedure=catalog.procedure("600"),
                      status_of=lambda rec: status[rec["ma_so_bhxh"]])
    rows = [{"stt": 1, "ma_so_bhxh": "1", "phuong_an": "TM"},  # already active
            {"stt": 2, "ma_so_bhxh": "2", "phuong_an": "GH"},  # never increased
            {"stt": 3, "ma_so_bhxh": "3", "phuong_an": "TM"},
            {"stt": 4, "ma_so_bhxh": "4", "phuong_an": "DC"},
            {"stt": 5, "ma_so_bhxh": "5", "phuong_an": "ON"}]  # back from leave
    assert [(row, code) for row, _f, code, _p in rules.worker_status(rows, ctx)] == [
        (1, "already_active"), (2, "never_increased")]
    # a decrease may leave the salary out; an adjustment may not
    assert rules.salary_floor({"phuong_an": "GH", "muc_luong": 0}, ctx) == []
    assert rules.salary_floor({"phuong_an": "DC", "muc_luong": 0}, ctx) == [
        ("muc_luong", "salary_missing", {})]
    assert [catalog.plan_kind(p) for p in ("TM", "GH", "DC", "XX")] == [
        "increase", "decrease", "adjust", ""]


@pytest.mark.parametrize("code,args,expected", [
    # a book or card only for someone with a BHXH number (the 10th demo worker has none)
    ("607", ["--line", "{cccd}:Sổ bị mất"],
     "TK1-TS dòng 1, Mã số BHXH: thủ tục 607 chỉ dành cho người đã có mã số BHXH"),
    ("612", ["--line", "{bhxh}"],
     "TK1-TS dòng 1, [13] Nội dung thay đổi, yêu cầu: chưa ghi nội dung thay đổi hoặc lý do "
     "đề nghị (thủ tục 612 cần)"),
    # a correction needs the document behind it
    ("608", ["--line", "{bhxh}::::" + CHANGE], "D01-TS dòng 1, Loại văn bản: chưa nhập"),
    ("608", ["--line", "{bhxh}:CCCD:079094001234:32/13/2026:" + CHANGE],
     "D01-TS dòng 1, Ngày ban hành: '32/13/2026' không phải ngày hợp lệ"),
    ("610", ["--line", "{bhxh}:XYZ:1:01/01/2026:" + CHANGE],
     "D01-TS dòng 1, Loại văn bản: mã 'XYZ' không có trong danh mục"),
    ("604", [], "TK3-TS, Nội dung thay đổi, yêu cầu: chưa ghi nội dung thay đổi"),
])
def test_each_procedure_is_held_to_its_checks(cli, code, args, expected):
    assert cli("demo", "--workers", "10").code == 0
    people = workers(cli)
    bhxh = next(w["bhxh_number"] for w in people if w["bhxh_number"])
    cccd = next(w["cccd"] for w in people if not w["bhxh_number"])
    before = count_dossiers(cli)
    r = cli("declare", "--procedure", code, "--period", PERIOD,
            *[a.format(bhxh=bhxh, cccd=cccd) for a in args])
    assert r.code == 1 and expected in r.err, r.err
    assert "Chưa có gì được lưu" in r.err and count_dossiers(cli) == before


def test_what_a_procedure_does_not_take_is_refused_as_usage(cli):
    assert cli("demo", "--workers", "3").code == 0
    r = cli("declare", "--procedure", "607", "--period", PERIOD, "--new-workers")
    assert r.code == 2 and "thủ tục 607 không báo tăng người lao động mới" in r.err
    assert "(--new-workers dùng với thủ tục 600)" in r.err
    r = cli("declare", "--procedure", "604", "--period", PERIOD, "--line", "#1", "--change", "x")
    assert r.code == 2 and "ghi nội dung thay đổi bằng --change" in r.err
    assert count_dossiers(cli) == 1


def test_the_procedures_are_listed_with_what_each_line_gives(cli):
    r = cli("procedures")
    assert r.code == 0
    assert "607  Cấp lại sổ BHXH do mất, hỏng  (thấy trong nguồn công khai)" in r.out
    assert "--line MÃ NGƯỜI LAO ĐỘNG:Loại văn bản:Số hiệu văn bản:Ngày ban hành:[13] Nội " \
           "dung thay đổi, yêu cầu" in r.out
    assert "600a" not in r.out
    items = {i["code"]: i for i in cli("--json", "procedures").json}
    assert list(items) == ["600", "604", "607", "608", "610", "612", "630a", "630b", "630c"]
    assert items["600"]["plans"] == ["TM", "ON", "TD", "TC", "GH", "GD", "GC", "KL", "TS",
                                     "OF", "DC", "TT"]
    assert items["604"]["forms"] == ["TK3-TS"] and items["604"]["line"] == []


def test_the_gateway_holds_a_re_issue_to_its_bhxh_number(cli, tmp_path):
    """The sandbox checks the rules a procedure adds (forms/procedures.toml), as
    `ibhxh validate FILE` does: a 607 TK1-TS row without a MasoBHXH is refused, with the
    same sentence, before the signatures are looked at."""
    assert cli("demo", "--workers", "3").code == 0
    bhxh = workers(cli)[0]["bhxh_number"]
    assert cli("declare", "--procedure", "607", "--period", PERIOD,
               "--line", f"{bhxh}:Sổ bị hỏng").code == 0
    assert cli("sign", 2, "--demo-cert").code == 0
    root = etree.fromstring(exported(cli, 2, tmp_path, signed=True))
    node = root.find(".//NoiDungFile")
    tk1 = base64.b64decode(node.text).replace(f"<MasoBHXH>{bhxh}</MasoBHXH>".encode(),
                                              b"<MasoBHXH></MasoBHXH>")
    node.text = base64.b64encode(tk1).decode()
    root.find(".//DoDaiFile").text = str(len(node.text))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    sentence = "thủ tục 607 chỉ dành cho người đã có mã số BHXH; người này chưa có."
    with pytest.raises(Refusal) as err:
        check_envelope(data, schemas=Schemas(), trusted_cas=None, now=dt.datetime.now(dt.UTC))
    assert any(sentence in d.message for d in err.value.details), err.value.details
    path = tmp_path / "sua-tay.xml"
    path.write_bytes(data)
    r = cli("validate", path)
    assert r.code == 1 and f"TK1-TS dòng 1, Mã số BHXH: {sentence}" in r.err


# --------------------------------------------------------------------------- migration 0006

LEGACY = Path(__file__).parent / "data" / "legacy-600a"


def _revision_0005(data_dir: Path) -> dict[str, int]:
    """A database as revision 0005 left it (the migrations up to there, data sealed with
    its own key), holding the 600a and 600b dossiers of tests/data/legacy-600a (made by the
    program before this change) in every state, with their stored files: the dossier id of
    each, by "code state"."""
    from sqlalchemy import create_engine, insert

    from ibhxh_client.domain.model import Declaration, DeclarationLine, DossierState, Period
    from ibhxh_client.services.demo import demo_employer, demo_workers
    from ibhxh_client.storage.crypto import FieldCipher, new_key
    from ibhxh_client.storage.db import DB_FILE, upgrade
    from ibhxh_client.storage.keys import KeyStore
    from ibhxh_client.storage.schema import outbox
    from tests import legacy_db

    key, db_id = new_key(), "legacy-600a"
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{data_dir / DB_FILE}")
    with engine.begin() as conn:
        upgrade(conn, "0005", cipher=FieldCipher(key), db_id=db_id)
    engine.dialect.ibhxh_cipher = FieldCipher(key)
    period, now = Period(2026, 2), dt.datetime(2026, 12, 1, 8, 0)
    steps = {"draft": [], "validated": ["validated"], "signed": ["validated", "signed"],
             "queued": ["validated", "signed"], "printed": ["validated", "signed", "printed"],
             "sending": ["validated", "signed"], "sent": ["validated", "signed", "sent"],
             "accepted": ["validated", "signed", "sent", "accepted"],
             "rejected": ["validated", "signed", "sent", "rejected"]}
    dossiers = [("600a", name) for name in steps] + [("600b", "validated"), ("600b", "signed")]
    ids = {}
    with engine.begin() as conn:
        legacy_db.save_employer(conn, demo_employer())
        legacy_db.add_workers(conn, list(demo_workers(6, Period(2026, 1))), "0005")
        for code, name in dossiers:
            plan = "GH" if code == "600a" else "DC"
            line = DeclarationLine(worker_id=1, plan=plan, from_month=period, salary=9_000_000,
                                   has_book=True)
            decl = Declaration(procedure=code, period=period, lines=[line],
                               created=dt.date(2026, 2, 3))
            decl_id = ids[f"{code} {name}"] = legacy_db.save_declaration(conn, decl, "0005")
            if steps[name]:
                legacy_db.put_artifact(conn, decl_id, "envelope",
                                       (LEGACY / f"envelope-{code}.xml").read_bytes())
            if "signed" in steps[name]:
                legacy_db.put_artifact(conn, decl_id, "signed",
                                       (LEGACY / f"signed-{code}.xml").read_bytes())
            if "sent" in steps[name]:
                legacy_db.put_artifact(conn, decl_id, "receipt", b"<PhieuGiaoNhan/>")
            for state in steps[name]:
                legacy_db.set_state(conn, decl_id, DossierState(state), "trước 0006", "0005")
            if name in ("queued", "sending", "sent", "accepted", "rejected"):
                status = {"queued": "queued", "sending": "sending"}.get(name, "done")
                conn.execute(insert(outbox).values(
                    declaration_id=decl_id, gateway_url="https://127.0.0.1:1/api/v1",
                    unit_code="TZH490L", idempotency_key=f"key-{decl_id}", status=status,
                    attempts=1, dossier_number="00012/2026/07906" if status == "done" else None,
                    created_at=now, updated_at=now))
    engine.dispose()
    KeyStore().put(db_id, key)
    return ids


@pytest.mark.sqlite_only  # builds a 0005 SQLite file by hand
def test_stored_600a_600b_dossiers_after_the_migration(data_dir, tmp_path, memory_keyring):
    """Migration 0006: what never reached the gateway becomes a 600 dossier (its lines and
    plan codes unchanged, a history row that says why); one signed under 600a loses its
    signature and goes back to validated, to be signed again; what reached the gateway
    keeps its code and every byte, and still lists, verifies and prints as it was."""
    from cryptography import x509
    from sqlalchemy import select

    from ibhxh_client.services import declarations
    from ibhxh_client.services import signing as signing_service
    from ibhxh_client.services.app import open_app
    from ibhxh_client.services.printing import print_dossier
    from ibhxh_client.signing.dossier import verify_dossier
    from ibhxh_client.storage import repo
    from ibhxh_client.storage.db import current_revision, head_revision
    from ibhxh_client.storage.schema import outbox

    ids = _revision_0005(data_dir)
    app = open_app(data_dir)  # migrates 0005 → 0006
    try:
        with app.db.reading() as conn:
            assert current_revision(conn) == head_revision() >= "0006"
            files = {name: {kind: repo.get_artifact(conn, i, kind) for kind in
                            ("envelope", "signed", "receipt")} for name, i in ids.items()}
            queued = {r[0] for r in conn.execute(select(outbox.c.declaration_id))}
            history = {name: repo.get_history(conn, i)[-1] for name, i in ids.items()}
        rows = {d["id"]: d for d in declarations.status(app)}

        # name → (the state before, after), as the history row the migration added says
        moved = {"600a draft": ("draft", "draft"), "600a validated": ("validated", "validated"),
                 "600a signed": ("signed", "validated"), "600a queued": ("signed", "validated"),
                 "600a printed": ("printed", "printed"),
                 "600b validated": ("validated", "validated"),
                 "600b signed": ("signed", "validated")}
        for name, (before, state) in moved.items():
            assert (rows[ids[name]]["procedure"], rows[ids[name]]["state"]) == ("600", state)
            assert files[name] == {"envelope": None, "signed": None, "receipt": None}, name
            row = history[name]
            assert (row["from_state"], row["to_state"]) == (before, state), name
            code = name.split()[0]
            assert f"Mã thủ tục {code} không phải mã của BHXH Việt Nam" in row["detail"]
            # what it had signed said the old code: signed again before it is sent
            assert ("cần ký lại" in row["detail"]) == (before in ("signed", "printed"))
        assert ids["600a queued"] not in queued  # never sent: nothing of it left to send

        kept = {"600a sending": "signed", "600a sent": "sent", "600a accepted": "accepted",
                "600a rejected": "rejected"}
        signed_600a = (LEGACY / "signed-600a.xml").read_bytes()
        for name, state in kept.items():
            assert (rows[ids[name]]["procedure"], rows[ids[name]]["state"]) == ("600a", state)
            assert files[name]["signed"] == signed_600a
            assert files[name]["envelope"] == (LEGACY / "envelope-600a.xml").read_bytes()
            assert (history[name]["to_state"], history[name]["detail"]) == (state, "trước 0006")
        assert ids["600a sending"] in queued  # it may be at the gateway: left to finish

        # The lines and plan codes are as they were; the new values are empty.
        decl, _ = declarations.load(app, ids["600a signed"])
        assert [(line.plan, line.salary, line.change, line.doc_type) for line in decl.lines] \
            == [("GH", 9_000_000, "", "")]
        # Signed again, it is a 600 dossier with its decrease line.
        result = declarations.validate(app, ids["600a signed"])
        assert read_envelope(result.envelope).procedure == "600"
        assert b"<PhuongAn>GH</PhuongAn>" in read_envelope(result.envelope).files[0].content
        signer = signing_service.file_signer(signing_service.ensure_demo_certificate(app),
                                             signing_service.DEMO_P12_PASSWORD)
        signing_service.sign(app, ids["600a signed"], signer)
        resigned = signing_service.signed_bytes(app, ids["600a signed"])
        assert read_envelope(resigned).procedure == "600"
        # A printed one can be signed again too (it stays printed until then).
        signing_service.sign(app, ids["600a printed"], signer)
        assert declarations.state_of(app, ids["600a printed"]) == "signed"

        # What was sent under 600a verifies as it was signed, and a rejected one prints
        # with the name the code had.
        ca = x509.load_pem_x509_certificate((LEGACY / "ca.pem").read_bytes())
        signed_at = dt.datetime(2026, 12, 4, 7, 7, tzinfo=dt.UTC)
        assert verify_dossier(files["600a sent"]["signed"], trusted_cas=[ca], now=signed_at,
                              place_of=app.catalog.signature_place,
                              envelope_place=app.catalog.envelope.signature_path).valid
        out = tmp_path / "rejected.pdf"
        print_dossier(app, ids["600a rejected"], reason="Bị từ chối, nộp giấy", out=out)
        text = " ".join(pdf_text(out).split())
        assert "Thủ tục 600a: Báo giảm lao động tham gia BHXH, BHYT, BHTN, BHTNLĐ-BNN (mã cũ)" \
            in text
        assert app.catalog.procedure_name("600a") and "600a" not in app.catalog.procedures
    finally:
        app.close()
