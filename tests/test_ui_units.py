"""Several units in the window (issue 17, point 1): the unit in the title and the status
bar, the switcher, a switch that never mixes two units' work, adding a unit from the
Company screen, the view of all units, and the layout with the switcher."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt

from ibhxh_client.domain import ids
from ibhxh_client.domain.messages import say
from ibhxh_client.domain.model import Period
from ibhxh_client.services import declarations, employer, units, workers
from ibhxh_client.services.app import UserError, open_app
from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window

DEMO = "TZH490L"
SECOND = {"unit_code": "HS00123", "name": "Công ty Cổ phần Hoa Sen",
          "tax_code": ids.make_tax_code("010123456"), "region": "II", "province": "01",
          "agency_code": "00106", "address": "5 Tràng Tiền, Hà Nội"}
HS_PEOPLE = (("Lê Văn Hải", "M", "001090012345"), ("Phạm Thị Thu", "F", "001190054321"))


def add_second_unit(app) -> dict[str, int]:
    """Hoa Sen beside the demo, with two workers and a draft of its own, made through
    the services; the demo chosen again at the end. Returns the units' ids by code."""
    demo = app.unit
    employer.save(app, employer.from_values(SECOND), new_unit=True)
    for name, gender, cccd in HS_PEOPLE:
        workers.add(app, {"full_name": name, "gender": gender, "birth_date": "01/02/1990",
                          "cccd": cccd, "salary": "9000000", "position": "Kế toán",
                          "birth_place": "Hà Nội", "birth_province": "01",
                          "address": "5 Tràng Tiền, Hà Nội", "address_province": "01"})
    app.hs_draft = declarations.new_draft(app, "600", str(Period.of(date.today())))
    hs = app.unit
    app.use_unit(demo)
    return {DEMO: demo, SECOND["unit_code"]: hs}


@pytest.fixture
def two_units(demo_app, prefs, qtbot, qapp):
    """The window on the demo company (25 workers, a draft), Hoa Sen beside it."""
    from ibhxh_client.ui import i18n, tasks
    from ibhxh_client.ui.app import make_qapp
    from ibhxh_client.ui.mainwindow import Context

    demo_app.units = add_second_unit(demo_app)
    make_qapp()
    i18n.install("vi")
    w = fx.make_window(Context(demo_app, prefs), qtbot)
    yield w
    w.close()
    tasks.wait_all(5000)


def shown_workers(window, qtbot, rows: int) -> set[str]:
    screen = window.go("workers")
    fx.wait_loaded(qtbot, screen, rows)
    return {screen.model.index(r, 0).data() for r in range(screen.model.rowCount())}


def choose(window, code: str) -> None:
    """The officer picks ``code`` in the status bar's list."""
    combo = window.unit_switcher.combo
    combo.setCurrentIndex(combo.findData(window.ctx.app.units[code]))


# -- the unit on screen, and the switch ----------------------------------------------------

def test_one_unit_is_named_and_there_is_nothing_to_switch(demo_window):
    app = demo_window.ctx.app
    name = employer.get(app).name
    assert demo_window.windowTitle() == f"iBHXH – {DEMO} {name}"
    switcher = demo_window.unit_switcher
    assert switcher.isVisible()
    assert switcher.label.text() == f"Đơn vị: {DEMO} — {name}"
    assert not switcher.combo.isVisible() and not switcher.all_button.isVisible()
    # a long name is cut in the status bar (whole in its tooltip), the window still fits
    from dataclasses import replace

    from tests.test_ui_layout import SCREEN

    long_name = "Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu và Đầu tư Phát triển " \
                "Nguyên Phương Sao Mai"
    employer.save(app, replace(employer.get(app), name=long_name))
    demo_window.show_unit()
    assert switcher.label.toolTip() == f"{DEMO} — {long_name}"
    assert switcher.label.text().endswith("…")
    assert demo_window.minimumSizeHint().width() <= SCREEN[0]


def test_the_title_and_status_bar_name_the_unit_and_a_switch_shows_only_its_data(
        two_units, qtbot, data_dir):
    w = two_units
    app = w.ctx.app
    demo_name = employer.get(app).name
    assert w.windowTitle() == f"iBHXH – {DEMO} {demo_name}"
    switcher = w.unit_switcher
    assert switcher.label.text().replace("&", "") == "Đơn vị (2):"
    assert switcher.combo.isVisible() and switcher.all_button.isVisible()
    assert [switcher.combo.itemText(i) for i in range(2)] == [
        f"HS00123 — {SECOND['name']}", f"{DEMO} — {demo_name}"]
    assert switcher.combo.currentText() == f"{DEMO} — {demo_name}"
    demo_people = shown_workers(w, qtbot, 25)
    assert not demo_people & {p[0] for p in HS_PEOPLE}
    lists = w.go("declarations")
    assert [d["id"] for d in lists.list_model.items] == [app.demo_id]
    old_screens = dict(w.screens)
    w.go("workers")

    choose(w, "HS00123")

    assert app.unit == app.units["HS00123"]
    assert w.windowTitle() == f"iBHXH – HS00123 {SECOND['name']}"
    assert switcher.combo.currentText() == f"HS00123 — {SECOND['name']}"
    assert "HS00123" in w.statusBar().currentMessage()
    assert all(w.screens[n] is not old_screens[n] for n in old_screens)  # made again
    assert w.current_name() == "workers"  # the officer stays where he was
    assert shown_workers(w, qtbot, 2) == {p[0] for p in HS_PEOPLE}
    assert [d["id"] for d in w.go("declarations").list_model.items] == [app.hs_draft]
    company = w.go("company")
    assert company.panel.values()["name"] == SECOND["name"]
    # remembered on this PC: the next start works on Hoa Sen
    again = open_app(data_dir)
    try:
        assert again.unit == app.units["HS00123"]
    finally:
        again.close()

    choose(w, DEMO)
    assert shown_workers(w, qtbot, 25) == demo_people
    assert [d["id"] for d in w.go("declarations").list_model.items] == [app.demo_id]


def test_a_draft_typed_for_one_unit_stays_with_it(two_units, qtbot):
    w = two_units
    company = w.go("company")
    name = company.panel.inputs["name"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClick(name, Qt.Key.Key_Delete)  # no name: the profile is kept as a draft
    company.panel.edited.emit("name")
    company.flush()
    assert w.ctx.drafts.load("employer")["name"] == ""
    choose(w, "HS00123")
    assert w.ctx.drafts.load("employer") is None
    assert w.go("company").panel.values()["name"] == SECOND["name"]
    choose(w, DEMO)
    assert w.go("company").panel.values()["name"] == ""  # the demo's draft, back


def test_a_switch_waits_for_work_running_and_refuses_while_it_goes_on(
        two_units, qtbot, monkeypatch):
    from ibhxh_client.ui import mainwindow, tasks

    w = two_units
    app = w.ctx.app
    demo = app.units[DEMO]
    # Work that ends within the wait: it ends on the unit it started on, then the switch.
    seen: list[int | None] = []

    def short(_p) -> None:
        threading.Event().wait(0.3)
        seen.append(app.unit)

    tasks.run(short)
    choose(w, "HS00123")
    assert seen == [demo]
    assert app.unit == app.units["HS00123"]
    choose(w, DEMO)
    # Work that goes on: the switch is refused, said, and the unit stays as it was.
    monkeypatch.setattr(mainwindow, "SWITCH_WAIT_MS", 200)
    release = threading.Event()
    task = tasks.run(lambda _p: release.wait(10))
    try:
        choose(w, "HS00123")
        assert app.unit == demo
        assert w.unit_switcher.combo.currentData() == demo
        assert "chạy nền" in w.statusBar().currentMessage()
        assert w.windowTitle().startswith(f"iBHXH – {DEMO}")
    finally:
        release.set()
    qtbot.waitUntil(lambda: task not in tasks._running, timeout=5000)
    choose(w, "HS00123")
    assert app.unit == app.units["HS00123"]


def test_a_worker_of_another_unit_is_refused_by_the_dossier_editor(two_units, qtbot):
    """A list read before a switch still names Hoa Sen's worker: the demo's dossier
    editor refuses it, says so, and the dossier is unchanged."""
    w = two_units
    app = w.ctx.app
    with app.db.reading(unit=app.units["HS00123"]) as conn:
        from ibhxh_client.storage import repo

        stranger = repo.search_workers(conn)[0]
    screen = w.go("declarations")
    screen.open(app.demo_id)
    editor = screen.editor
    qtbot.waitUntil(lambda: editor.last_check is not None, timeout=10_000)
    before = [(line.worker_id, line.plan) for line in declarations.load(app, app.demo_id)[0].lines]
    rows = editor.model.rowCount()

    assert editor.add_workers([stranger.id]) == 0

    assert editor.model.rowCount() == rows
    assert editor.check_status.isVisible()
    assert editor.check_status.property("role") == "error"
    assert editor.check_status.text() == say("unit_mismatch", "vi", ids=f"#{stranger.id}")
    editor.flush()
    after = [(line.worker_id, line.plan) for line in declarations.load(app, app.demo_id)[0].lines]
    assert after == before
    # and the save path the editor uses refuses such a line with the same sentence
    from ibhxh_client.ui import adapters

    decl, _ = declarations.load(app, app.demo_id)
    decl.lines.append(type(decl.lines[0])(worker_id=stranger.id, plan="DC",
                                          from_month=decl.period))
    with pytest.raises(UserError) as caught:
        adapters.save_lines(app, decl)
    assert caught.value.code == "unit_mismatch"
    after = [(line.worker_id, line.plan) for line in declarations.load(app, app.demo_id)[0].lines]
    assert after == before


# -- adding a unit -------------------------------------------------------------------------

def open_add_dialog(window, qtbot):
    company = window.go("company")
    qtbot.mouseClick(company.add_unit_button, Qt.MouseButton.LeftButton)
    dialog = company.add_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_a_unit_is_added_from_the_company_screen(demo_window, qtbot):
    w = demo_window
    app = w.ctx.app
    demo = app.unit
    dialog = open_add_dialog(w, qtbot)
    assert dialog.panel.values()["name"] == ""  # an empty profile
    # a profile that does not pass its checks: fields marked, nothing added
    dialog.panel.set_values({**dialog.panel.values(), "unit_code": "HS00123"})
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and app.unit == demo
    assert dialog.panel.errors["name"].isVisible()
    assert len(units.listing(app)) == 1

    dialog.panel.set_values({**dialog.panel.values(), **SECOND})
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert app.unit != demo
    assert employer.get(app).unit_code == "HS00123"
    assert w.windowTitle() == f"iBHXH – HS00123 {SECOND['name']}"
    assert w.unit_switcher.label.text().replace("&", "") == "Đơn vị (2):"
    assert w.go("company").panel.values()["name"] == SECOND["name"]
    assert shown_workers(w, qtbot, 0) == set()
    assert w.go("declarations").list_model.items == []


def test_a_unit_code_already_used_is_refused_and_nothing_overwritten(two_units, qtbot):
    w = two_units
    app = w.ctx.app
    dialog = open_add_dialog(w, qtbot)
    dialog.panel.set_values({**dialog.panel.values(), **SECOND,
                             "name": "Công ty TNHH Sao Mai"})
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.status.text() == say("unit_exists", "vi", unit="HS00123")
    assert app.unit == app.units[DEMO]
    names = {u["unit_code"]: u["name"] for u in units.listing(app)}
    assert names == {DEMO: employer.get(app).name, "HS00123": SECOND["name"]}
    dialog.reject()


# -- the view of all units -----------------------------------------------------------------

def test_all_units_show_this_months_filing_and_a_search_across_units(two_units, qtbot):
    w = two_units
    app = w.ctx.app
    qtbot.mouseClick(w.unit_switcher.all_button, Qt.MouseButton.LeftButton)
    dialog = w.units_dialog
    qtbot.waitExposed(dialog)
    today = date.today()
    assert dialog.summary.text() == say("units_not_filed", "vi",
                                        period=f"{today.month:02d}/{today.year}", count=2)
    rows = {r["unit_code"]: r for r in dialog.units_model.rows}
    assert set(rows) == {DEMO, "HS00123"}
    assert rows["HS00123"]["workers"] == 2 and rows[DEMO]["workers"] == 25
    model = dialog.units_model
    codes = [model.index(r, 0).data() for r in range(model.rowCount())]
    filing = model.index(codes.index("HS00123"), 4).data()
    assert filing.startswith(say("unit_started", "vi"))

    dialog.search.setText("Hải")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10_000)
    people = dialog.people_model
    found = [(people.index(r, 0).data(), people.index(r, 1).data())
             for r in range(people.rowCount())]
    assert ("HS00123", "Lê Văn Hải") in found
    assert all(code in (DEMO, "HS00123") for code, _ in found)
    row = found.index(("HS00123", "Lê Văn Hải"))
    view = dialog.people_table
    rect = view.visualRect(people.index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert app.unit == app.units["HS00123"]
    assert w.current_name() == "workers"
    editor = w.screens["workers"].editor
    qtbot.waitUntil(lambda: editor.panel.values()["full_name"] == "Lê Văn Hải", timeout=5000)


def test_a_unit_is_chosen_at_start_on_a_new_pc(two_units, data_dir, monkeypatch):
    """Several units and none remembered on this PC: the officer picks one."""
    from PySide6.QtWidgets import QInputDialog

    from ibhxh_client.ui import app as ui_app

    (data_dir / "local.json").unlink()
    asked: list[list[str]] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, codes, *_a:
                        asked.append(codes) or ("HS00123", True))
    opened = ui_app.open_data(str(data_dir), "vi")
    try:
        assert asked == [[DEMO, "HS00123"]] or asked == [["HS00123", DEMO]]
        assert employer.get(opened).unit_code == "HS00123"
    finally:
        opened.close()


# -- the layout ----------------------------------------------------------------------------

def test_the_window_with_the_switcher_fits_1366x768_at_150_percent(two_units, qtbot):
    from ibhxh_client.ui import i18n
    from tests.test_ui_layout import SCREEN, minimum_sizes

    w = two_units
    w.go("workers")
    sizes = minimum_sizes(w, qtbot)
    i18n.install("en")
    w.build()
    assert w.unit_switcher.label.text() == "&Unit (2):"
    sizes.update({f"{n} (en)": s for n, s in minimum_sizes(w, qtbot).items()})
    i18n.install("vi")
    w.build()
    too_big = {n: s for n, s in sizes.items() if s[0] > SCREEN[0] or s[1] > SCREEN[1]}
    assert not too_big, f"wider or taller than {SCREEN}: {too_big}"
    w.resize(int(SCREEN[0]), int(SCREEN[1]))
    qtbot.wait(50)
    assert w.width() <= SCREEN[0] and w.height() <= SCREEN[1]
    assert w.unit_switcher.combo.isVisible()


def test_the_unit_is_shown_whole_when_the_window_has_the_room(two_units, qtbot):
    from tests.test_ui_sizes import narrow_inputs

    w = two_units
    w.resize(1366, 768)
    qtbot.wait(50)
    assert narrow_inputs(w.statusBar()) == []


@pytest.mark.parametrize("size", ((1024, 600), (1280, 720)), ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_units_dialogs_fit_the_screen(two_units, qtbot, monkeypatch, size):
    from ibhxh_client.ui import i18n, widgets
    from ibhxh_client.ui.units import AddUnitDialog, UnitsDialog
    from tests.test_ui_sizes import TASKBAR, fits_screen, problems_of

    monkeypatch.setattr(widgets, "available_geometry",
                        lambda _w: QRect(0, 0, size[0], size[1] - TASKBAR))
    w = two_units
    bad = {}
    for language in ("vi", "en"):
        i18n.install(language)
        w.build()
        for name, make in (("all units", UnitsDialog), ("add a unit", AddUnitDialog)):
            dialog = make(w.ctx, w)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            problems = fits_screen(dialog, size) + problems_of(dialog, qtbot)
            if problems:
                bad[f"{name} ({language})"] = problems
            dialog.close()
    i18n.install("vi")
    w.build()
    assert not bad, bad
