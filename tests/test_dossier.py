"""Dossier XML: built from a declaration, checked by the schemas, read back the same."""

import base64
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ibhxh_client.catalog import load_catalog
from ibhxh_client.domain.model import Declaration, DeclarationLine, Period
from ibhxh_client.domain.values import is_empty
from ibhxh_client.dossier.build import build_dossier
from ibhxh_client.dossier.envelope import read_envelope
from ibhxh_client.dossier.records import lines_from_form
from ibhxh_client.dossier.safexml import UnsafeXmlError, parse
from ibhxh_client.dossier.xmlform import form_from_bytes, form_from_element
from ibhxh_client.services.demo import demo_employer, demo_workers

PERIOD = Period(2026, 3)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def make(n=5, **decl_changes):
    workers = {}
    for i, w in enumerate(demo_workers(n, PERIOD), start=1):
        w.id = i
        workers[i] = w
    lines = [DeclarationLine(worker_id=i, plan="TM", from_month=PERIOD, salary=w.salary,
                             position=w.position, has_book=bool(w.bhxh_number))
             for i, w in workers.items()]
    decl = Declaration(procedure="600", period=PERIOD, lines=lines, created=date(2026, 3, 5))
    for k, v in decl_changes.items():
        setattr(decl, k, v)
    return demo_employer(), workers, decl


def test_build_gives_forms_and_a_valid_envelope(catalog):
    employer, workers, decl = make(10)
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    kinds = [f.form for f in result.files]
    # Worker 10 of the demo has no BHXH number: one TK1-TS for them.
    assert kinds == ["D02-TS", "TK1-TS"]
    info = read_envelope(result.envelope)
    assert info.unit_code == employer.unit_code and info.period == "03/2026"
    assert [f.content for f in info.files] == [f.content for f in result.files]
    assert all(f.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
               for f in result.files)


def test_same_input_same_bytes(catalog):
    a = build_dossier(catalog, *make(8))
    b = build_dossier(catalog, *make(8))
    assert a.envelope == b.envelope


def test_round_trip_gives_the_same_declaration(catalog):
    employer, workers, decl = make(12)
    decl.lines[0].coefficient = Decimal("2.34")
    decl.lines[0].position_coef = Decimal("0.2")
    decl.lines[0].salary = 0
    decl.lines[1].to_month = Period(2026, 12)
    decl.lines[2].note = "Hợp đồng số 12/2026 & <phụ lục>"
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    d02 = next(f for f in read_envelope(result.envelope).files if f.form == "D02-TS")
    data = form_from_element(catalog.form("D02-LT"), parse(d02.content))
    original = result.forms[0]
    assert data.header == {k: v for k, v in original.header.items() if v is not None}
    back = lines_from_form(data)
    assert [line for _, line in back] == [replace(line, worker_id=0) for line in decl.lines]
    for (wvals, _), line in zip(back, decl.lines, strict=True):
        w = workers[line.worker_id]
        assert wvals["full_name"] == w.full_name
        assert wvals.get("bhxh_number", "") == w.bhxh_number
        assert wvals["birth_date"] == w.birth_date


def test_every_form_reads_back_as_written(catalog):
    """TK1-TS (one file, a row per new worker) and D01-TS in the exchange's layout read back
    to the values they were written from, as a tree and as a stream; a value the exchange
    has no element for (TK1-TS [11]) is the one thing not carried."""
    employer, workers, decl = make(20)  # workers 10 and 20 have no BHXH number
    decl.lines[0].from_month = Period(2026, 1)
    decl.lines[0].decision_number = "15/QĐ-SM"
    decl.lines[0].decision_date = date(2026, 1, 2)
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    assert [f.file_name for f in result.files] == ["D02-TS-595.xml", "TK1-TS-595.xml",
                                                   "D01-TS-595.xml"]
    assert len(result.forms[1].rows) == 2
    for data, f in zip(result.forms, result.files, strict=True):
        sent = {fl.name: fl for group in data.spec.groups() for fl in group.fields if fl.xml}

        def kept(record, sent=sent):  # what the XML carries (no empty optional value)
            return {k: v for k, v in record.items()
                    if k in sent and not is_empty(sent[k].type, v, sent[k].required)}

        for back in (form_from_element(data.spec, parse(f.content)),
                     form_from_bytes(data.spec, f.content)):
            assert kept(back.header) == kept(data.header), f.file_name
            assert [kept(r) for r in back.rows] == [kept(r) for r in data.rows], f.file_name
    tk1 = form_from_bytes(result.forms[1].spec, result.files[1].content)
    assert "nhan_ket_qua" not in tk1.rows[0] and result.forms[1].rows[0]["nhan_ket_qua"] == "1"


def test_late_lines_bring_d01(catalog):
    employer, workers, decl = make(3)
    decl.lines[0].from_month = Period(2026, 1)
    result = build_dossier(catalog, employer, workers, decl)
    assert not result.ok
    assert {(p.row, p.field, p.code) for p in result.problems} == {
        (1, "so_quyet_dinh", "decision_missing"), (1, "so_van_ban", "required"),
        (1, "ngay_ban_hanh", "required")}
    decl.lines[0].decision_number = "15/QĐ-SM"
    decl.lines[0].decision_date = date(2026, 1, 2)
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    assert [f.form for f in result.files] == ["D02-TS", "D01-TS"]


def test_first_registration_brings_tk3(catalog):
    employer, workers, decl = make(2, first_registration=True)
    result = build_dossier(catalog, employer, workers, decl)
    assert result.ok, [p.message() for p in result.problems]
    assert "TK3-TS" in [f.form for f in result.files]


def test_totals_in_the_header(catalog):
    employer, workers, decl = make(2)
    for line in decl.lines:
        line.salary = 5_310_000
    decl.period = Period(2026, 1)
    for line in decl.lines:
        line.from_month = decl.period
    result = build_dossier(catalog, employer, workers, decl)
    header = result.forms[0].header
    assert header["tong_quy_luong"] == 10_620_000
    assert header["tong_phai_dong"] == 3_398_400


def test_problems_mean_no_xml(catalog):
    employer, workers, decl = make(3)
    decl.lines[1].plan = "XX"  # no such plan code
    result = build_dossier(catalog, employer, workers, decl)
    assert not result.ok and result.envelope is None and result.files == []
    (p,) = result.problems
    assert (p.form, p.row, p.field, p.code) == ("D02-LT", 2, "phuong_an", "not_in_list")
    assert "XX" in p.message("vi") and "Phương án" in p.message("vi")
    assert "Plan code" in p.message("en")


@pytest.mark.parametrize("doc", [
    # entity expansion ("billion laughs")
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b"<x>&b;&b;&b;</x>",
    # external entity
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    # external DTD over the network
    b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>',
    b"<x><unclosed></x>",
    b"",
])
def test_untrusted_xml_is_refused(doc):
    with pytest.raises(UnsafeXmlError):
        parse(doc)


def test_envelope_with_broken_base64_is_refused():
    doc = (b"<Hoso><NoiDung><ThongTinHoSo><ToKhais><FileToKhai><NoiDungFile>***"
           b"</NoiDungFile></FileToKhai></ToKhais></ThongTinHoSo></NoiDung></Hoso>")
    with pytest.raises(UnsafeXmlError):
        read_envelope(doc)
    assert base64  # the module under test decodes base64 itself
