"""One name per form wherever a person reads it, the one on the printed form (D02-LT): the
exchange format's code (D02-TS, the form XML's root and the envelope's MaToKhai) is mapped
back through each form's forms/<FORM>/form.toml, never by code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ibhxh_client.catalog import CatalogError, load_catalog, load_catalog_from
from tests.test_gateway_support import DEMO_UNIT, TRIAL_PASSWORD, make_sandbox, sandbox_pki
from tests.test_printing import pdf_text

__all__ = ["make_sandbox", "sandbox_pki"]  # fixtures


def copied_forms(tmp_path: Path) -> Path:
    dst = tmp_path / "forms"
    shutil.copytree(load_catalog().root, dst)
    return dst


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_every_shipped_exchange_code_maps_back_to_its_form():
    catalog = load_catalog()
    assert catalog.form_name("D02-TS") == "D02-LT"
    for code, spec in catalog.forms.items():
        assert catalog.form_name(spec.root) == code
        assert catalog.form_by_exchange(spec.root) is spec
        assert catalog.form_name(code) == code  # a name stays a name
    assert catalog.form_name("M01B-HSB") == "M01B-HSB"  # no such form: shown as it came
    assert catalog.form_by_exchange("D02-LT") is None


def test_the_mapping_is_read_from_form_toml(tmp_path):
    forms = copied_forms(tmp_path)
    rewrite(forms / "D02-LT" / "form.toml", 'root = "D02-TS"', 'root = "D02-TX"')
    rewrite(forms / "D02-LT" / "form.toml", 'file_name = "D02-TS-595.xml"',
            'file_name = "D02-TX-595.xml"')
    catalog = load_catalog_from(forms)
    assert catalog.form_name("D02-TX") == "D02-LT"
    assert catalog.form_by_exchange("D02-TX").code == "D02-LT"
    assert catalog.form_name("D02-TS") == "D02-TS"  # nothing in code still knows the old one


def test_a_file_name_that_does_not_give_the_exchange_code_stops_the_catalogue(tmp_path):
    """MaToKhai is derived from TenFile as the exchange derives it (TK1-TS-595.xml →
    TK1-TS): a definition whose file name gives another code cannot load."""
    forms = copied_forms(tmp_path)
    rewrite(forms / "TK1-TS" / "form.toml", 'file_name = "TK1-TS-595.xml"',
            'file_name = "TK1-TS-490.xml"')
    with pytest.raises(CatalogError, match=r"TK1-TS-490\.xml gives MaToKhai 'TK1-TS-490'"):
        load_catalog_from(forms)


def test_two_forms_with_one_exchange_code_stop_the_catalogue(tmp_path):
    forms = copied_forms(tmp_path)
    rewrite(forms / "D01-TS" / "form.toml", 'root = "D01-TS"', 'root = "D02-TS"')
    with pytest.raises(CatalogError, match="D02-TS"):
        load_catalog_from(forms)


def test_an_unknown_condition_stops_the_catalogue(tmp_path):
    forms = copied_forms(tmp_path)
    rewrite(forms / "procedures.toml", 'when = "first_registration"', 'when = "on_tuesdays"')
    with pytest.raises(CatalogError, match="on_tuesdays"):
        load_catalog_from(forms)


def test_submit_status_and_the_printed_cover_say_the_same_names(cli, make_sandbox,
                                                                monkeypatch, tmp_path):
    """The demo dossier with 10 workers (the 10th without a BHXH number): D02-LT and one
    TK1-TS, sent to the sandbox, whose receipt lists D02-TS and TK1-TS."""
    gateway = make_sandbox()
    assert cli("demo", "--workers", "10").code == 0
    monkeypatch.setenv("GW_PASS", TRIAL_PASSWORD)
    assert cli("login", "--gateway", gateway.url, "--ca", gateway.ca_file, "--unit",
               DEMO_UNIT, "--password-env", "GW_PASS").code == 0
    assert cli("sign", 1, "--demo-cert").code == 0
    r = cli("submit", 1)
    assert r.code == 0, r.err
    assert re.search(r"số hồ sơ \d{5}/\d{4}/07906, tờ khai D02-LT, TK1-TS;", r.out), r.out
    r = cli("--lang", "en", "status", 1)
    assert "Receipt: forms D02-LT, TK1-TS" in r.out, r.out
    r = cli("status", 1)
    assert "Phiếu giao nhận: tờ khai D02-LT, TK1-TS" in r.out and "D02-TS" not in r.out
    assert cli("--json", "status", 1).json["gateway"]["receipt"]["forms"] == ["D02-LT",
                                                                             "TK1-TS"]
    pdf = tmp_path / "giay.pdf"
    r = cli("print", 1, "--out", pdf, "--reason", "Cổng tiếp nhận không nhận hồ sơ")
    assert r.code == 0, r.err
    cover = pdf_text(pdf, 1)
    assert "D02-LT" in cover and "TK1-TS" in cover and "D02-TS" not in cover
