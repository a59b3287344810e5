"""Every screen and dialog on the screens of old office PCs and small laptops: 1024×600
and 1280×720, in Vietnamese and in English.

The window is maximised on such a screen: the whole width, the height less a 40 px
taskbar and a 30 px title bar. A dialog fits when its frame (8 px of border, 30 px of
title bar) stays inside the screen less the taskbar.

What "fits" means, for every visible widget of a screen or dialog:

* An input (QLineEdit, QComboBox, QAbstractSpinBox, and a QCheckBox or QRadioButton with
  a label) is at least as wide as its content needs, counted on the part of it that is on
  view: a scroll area may hide a field below the fold, never its right-hand side.

  - A line edit needs Qt's own default width (``sizeHint``: 17 × "x" plus frame, margins
    and side buttons such as the clear button), and room for its whole text and its
    whole placeholder (the text's font-metrics advance plus the same frame and margins,
    plus the cursor). A value longer than 40 average characters (an address, a company
    name) may scroll, as in any program, but 40 characters of it are on view.
  - A combo box needs its own minimum size and room for the entry it shows (the style's
    ``sizeFromContents`` around the text's advance, arrow included), with the same
    40-character limit.
  - A spin or date box needs its ``sizeHint`` (Qt computes it from its longest value); a
    tick box or a choice its ``sizeHint`` (its whole label).

* A table's header shows every column's name whole: in the room the section leaves once
  Qt's own margins are taken off (``sectionSizeFromContents`` less the name's advance),
  the name, in the bold a highlighted section is drawn with, fits on one line, or wraps
  at spaces within the header's height when the header wraps. A name may be cut only
  where the header elides it and the column's tooltip (``headerData``, ToolTipRole) holds
  it whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QRadioButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QTreeView,
    QWidget,
)

from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window

SIZES = ((1024, 600), (1280, 720))
LANGUAGES = ("vi", "en")
TASKBAR, TITLE_BAR, BORDER = 40, 30, 8
LONG_TEXT = 40  # average characters of a long value on view; the rest scrolls
BIG = 100_000


# -- what each widget needs ---------------------------------------------------------------

def on_view(w: QWidget, top: QWidget) -> int:
    """How many pixels of ``w``'s width are inside every widget around it (up to and
    including ``top``): a parent that is narrower clips it, a scroll area's viewport hides
    what is scrolled sideways."""
    left = w.mapTo(top, QPoint(0, 0)).x()
    right = left + w.width()
    p = w.parentWidget()
    while p is not None:
        x = p.mapTo(top, QPoint(0, 0)).x() if p is not top else 0
        left, right = max(left, x), min(right, x + p.width())
        if p is top:
            break
        p = p.parentWidget()
    return max(0, right - left)


def line_edit_need(w: QLineEdit) -> int:
    fm = w.fontMetrics()
    # QLineEdit::sizeHint is 17 × "x" plus frame, margins and side buttons: the rest of it
    # is what the box adds around any text
    chrome = w.sizeHint().width() - 17 * fm.horizontalAdvance("x")
    texts = [w.placeholderText()]
    if w.echoMode() == QLineEdit.EchoMode.Normal:
        texts.append(w.text())
    longest = max(fm.horizontalAdvance(t) for t in texts)
    content = min(longest, LONG_TEXT * fm.averageCharWidth()) + 1  # and the cursor
    return max(w.sizeHint().width(), content + chrome)


def combo_need(w: QComboBox) -> int:
    fm = w.fontMetrics()
    opt = QStyleOptionComboBox()
    w.initStyleOption(opt)
    content = min(fm.horizontalAdvance(w.currentText()), LONG_TEXT * fm.averageCharWidth())
    around = w.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                        QSize(content, fm.height()), w)
    return max(w.minimumSizeHint().width(), around.width())


def need(w: QWidget) -> int | None:
    if isinstance(w, QLineEdit):
        return line_edit_need(w)
    if isinstance(w, QComboBox):
        return combo_need(w)
    if isinstance(w, QAbstractSpinBox):
        return w.sizeHint().width()
    if isinstance(w, (QCheckBox, QRadioButton)) and w.text():
        return w.sizeHint().width()
    return None


def name_of(w: QWidget) -> str:
    what = w.objectName() or w.accessibleName()
    if not what and isinstance(w, (QCheckBox, QRadioButton)):
        what = w.text()
    return f"{type(w).__name__} {what!r}"


def inside_another_input(w: QWidget) -> bool:
    """A combo box's or a spin box's own line edit, or a table cell's editor."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, (QComboBox, QAbstractSpinBox, QAbstractItemView)):
            return True
        p = p.parentWidget()
    return False


def narrow_inputs(top: QWidget) -> list[str]:
    out = []
    for w in top.findChildren(QWidget):
        if not w.isVisible() or inside_another_input(w):
            continue
        needed = need(w)
        if needed is None:
            continue
        shown = on_view(w, top)
        if shown < needed:
            text = w.currentText() if isinstance(w, QComboBox) else \
                w.text() if isinstance(w, QLineEdit) else ""
            out.append(f"{name_of(w)}: {shown} px on view, needs {needed} ({text!r})")
    return out


def header_problem(header: QHeaderView, section: int) -> str | None:
    model = header.model()
    horizontal = Qt.Orientation.Horizontal
    text = str(model.headerData(section, horizontal, Qt.ItemDataRole.DisplayRole) or "")
    if not text:
        return None
    bold = QFont(header.font())
    bold.setBold(True)  # as Qt draws (and measures) a highlighted section
    fm = QFontMetrics(bold)
    whole = header.sectionSizeFromContents(section)
    one_line = fm.size(0, text)
    room_w = header.sectionSize(section) - (whole.width() - one_line.width())
    room_h = header.height() - (whole.height() - one_line.height())
    align = model.headerData(section, horizontal, Qt.ItemDataRole.TextAlignmentRole)
    align = int(header.defaultAlignment().value if align is None else align)
    wraps = bool(align & Qt.TextFlag.TextWordWrap.value)
    drawn = fm.boundingRect(QRect(0, 0, max(room_w, 1), BIG),
                            Qt.TextFlag.TextWordWrap.value if wraps else 0, text)
    if drawn.width() <= room_w and drawn.height() <= room_h:
        return None
    tooltip = model.headerData(section, horizontal, Qt.ItemDataRole.ToolTipRole)
    if header.textElideMode() != Qt.TextElideMode.ElideNone and tooltip and \
            " ".join(text.split()) in " ".join(str(tooltip).split()):
        return None
    return (f"{text!r}: {max(room_w, 0)}×{max(room_h, 0)} px for the name, it needs "
            f"{drawn.width()}×{drawn.height()}")


def cut_headers(top: QWidget) -> list[str]:
    out = []
    for view in top.findChildren(QAbstractItemView):
        if not view.isVisible():
            continue
        if isinstance(view, QTableView):
            header = view.horizontalHeader()
        elif isinstance(view, QTreeView):
            header = view.header()
        else:
            continue
        if not header.isVisible() or header.model() is None:
            continue
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            problem = header_problem(header, section)
            if problem:
                out.append(f"{view.objectName() or view.accessibleName()}: {problem}")
    return out


def problems_of(top: QWidget, qtbot) -> list[str]:
    qtbot.wait(30)  # layouts settle, queued resizes arrive
    return narrow_inputs(top) + cut_headers(top)


# -- the screens --------------------------------------------------------------------------

def visit(w, qtbot) -> dict[str, list[str]]:
    """Every screen of the window, in each state an officer meets it; the problems of
    each."""
    from ibhxh_client.ui.send import CERT, CHECK

    app = w.ctx.app
    found: dict[str, list[str]] = {}
    found["company"] = problems_of(w.go("company"), qtbot)
    workers = w.go("workers")
    fx.wait_loaded(qtbot, workers, 25)
    workers.select_worker(workers.model.worker_id(1))  # a stored worker, every field set
    qtbot.wait(50)
    found["workers (a worker)"] = problems_of(workers, qtbot)
    workers.new_worker()
    found["workers (new)"] = problems_of(workers, qtbot)
    declarations = w.go("declarations")
    declarations.show_list()
    found["declarations (list)"] = problems_of(declarations, qtbot)
    declarations.open(app.demo_id)
    qtbot.waitUntil(lambda: declarations.editor.last_check is not None, timeout=10_000)
    found["declarations (D02-LT)"] = problems_of(declarations, qtbot)
    claim = a_claim(app)
    claims = w.go("claims")
    qtbot.waitUntil(lambda: not claims.loader.busy and claims.model.rowCount(),
                    timeout=10_000)
    claims.new_claim()
    found["claims (new)"] = problems_of(claims, qtbot)
    assert claims.select_claim(claim.claim.id)
    assert claims.editor.panel.inputs["child_birth_date"].isVisible()
    found["claims (a claim)"] = problems_of(claims, qtbot)
    send = w.go("send")
    send.start(app.demo_id)
    qtbot.waitUntil(send.next_button.isEnabled, timeout=10_000)
    found["send (check)"] = problems_of(send, qtbot)
    send.go(CERT)
    qtbot.waitUntil(send.find_button.isEnabled, timeout=10_000)
    found["send (certificate)"] = problems_of(send, qtbot)
    send.go(CHECK)
    found["tracking"] = problems_of(w.go("tracking"), qtbot)
    found["settings"] = problems_of(w.go("settings"), qtbot)
    return found


def a_claim(app):
    """A stored birth claim of a worker with no months of contribution known: every
    value of the form shown, and problems in the list."""
    from ibhxh_client.services import claims as claims_svc

    found = claims_svc.list_claims(app)
    if found:
        return found[0]
    return claims_svc.add_claim(app, 1, {
        "kind": "sinh_con", "from_date": "02/03/2026", "to_date": "01/09/2026",
        "child_birth_date": "05/03/2026", "child_count": "2", "certificate": "AB-123456",
        "payment": "TK", "bank_account": "0123456789012", "bank_code": "79310001"})


def maximised(size: tuple[int, int]) -> tuple[int, int]:
    return size[0], size[1] - TASKBAR - TITLE_BAR


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_shows_its_inputs_and_headers_whole(demo_window, qtbot, size):
    from ibhxh_client.ui import i18n

    bad = {}
    for language in LANGUAGES:
        i18n.install(language)
        demo_window.build()
        demo_window.resize(*maximised(size))
        qtbot.waitUntil(lambda: demo_window.size() == QSize(*maximised(size)))
        for screen, problems in visit(demo_window, qtbot).items():
            if problems:
                bad[f"{screen} ({language})"] = problems
    i18n.install("vi")
    demo_window.build()
    assert not bad, f"at {size[0]}×{size[1]}:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(p) for where, p in bad.items())


def test_the_criteria_catch_a_squeezed_form_and_a_cut_header(demo_window, qtbot):
    """The checks above fail on what was wrong at 1024×600: a 40-px box and a header
    that read "cial insurance r"."""
    workers = demo_window.go("workers")
    fx.wait_loaded(qtbot, workers, 25)
    workers.select_worker(workers.model.worker_id(1))
    cccd = workers.editor.panel.inputs["cccd"]
    cccd.setMinimumWidth(0)
    cccd.setFixedWidth(40)
    workers.table.horizontalHeader().resizeSection(1, 30)
    qtbot.wait(30)
    assert any("field_cccd" in p for p in narrow_inputs(workers))
    assert any(p.startswith("worker_table") for p in cut_headers(workers))


# -- the dialogs --------------------------------------------------------------------------

def fits_screen(dialog: QWidget, size: tuple[int, int]) -> list[str]:
    room = QSize(size[0] - 2 * BORDER, size[1] - TASKBAR - TITLE_BAR - BORDER)
    out = []
    for what, s in (("size", dialog.size()), ("minimum size", dialog.minimumSizeHint())):
        if s.width() > room.width() or s.height() > room.height():
            out.append(f"{what} {s.width()}×{s.height()} is more than the "
                       f"{room.width()}×{room.height()} a {size[0]}×{size[1]} screen has")
    return out


def diagnostics(w) -> QWidget:
    settings = w.go("settings")
    settings._show_report("\n".join(f"line {i}: " + "version and module path " * 6
                                     for i in range(80)))
    return settings.report_dialog


def conflicts(w) -> QWidget:
    """Three stored workers, each met again in a file under another name."""
    from dataclasses import replace

    from ibhxh_client.services import workers
    from ibhxh_client.services.checks import IdentityConflict
    from ibhxh_client.ui.conflicts import ConflictDialog
    from ibhxh_client.ui.i18n import lang

    found = workers.search(w.ctx.app, "", 3)
    pairs = [(row, IdentityConflict("cccd", ("full_name",), s,
                                    replace(s, full_name=s.full_name + " Thị Ánh Tuyết")))
             for row, s in enumerate(found, start=5)]
    return ConflictDialog(pairs, lang(), w)


def countdown(w) -> QWidget:
    """The wait for the phone, at its longest phase text."""
    from ibhxh_client.ui.remote import CountdownDialog

    dialog = CountdownDialog("VNPT SmartCA (ký số từ xa của VNPT-CA)", lambda _p: None, w)
    dialog.tick(299, "envelope")
    return dialog


def dialogs(w, qtbot, sheet) -> Iterator[tuple[str, QWidget]]:
    """Each dialog as it opens, shown (the first run on each of its pages)."""
    from ibhxh_client.ui import adapters
    from ibhxh_client.ui.claims import ApprovedDialog, DeclareDialog
    from ibhxh_client.ui.declarations import NewDeclarationDialog, WorkerPicker
    from ibhxh_client.ui.firstrun import COMPANY, GATEWAY, TOKEN, WELCOME, FirstRunDialog
    from ibhxh_client.ui.i18n import lang
    from ibhxh_client.ui.mapping import MappingDialog
    from ibhxh_client.ui.paper import PaperDialog
    from ibhxh_client.ui.remote import PhoneDialog, TrainingPhone

    first = FirstRunDialog(w.ctx, w)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    for page, name in ((WELCOME, "welcome"), (COMPANY, "company"), (TOKEN, "token"),
                       (GATEWAY, "gateway")):
        first.go(page)
        yield f"first run ({name})", first
    first.close()
    makers = (("new declaration", lambda: NewDeclarationDialog(w.ctx, w)),
              ("add workers", lambda: WorkerPicker(w.ctx, w)),
              ("paper dossier", lambda: PaperDialog(w.ctx, w.ctx.app.demo_id, parent=w)),
              ("columns of a sheet", lambda: MappingDialog(
                  adapters.analyse_import(w.ctx.app, sheet), lang(), w)),
              ("diagnostics report", lambda: diagnostics(w)),
              ("claim lists", lambda: DeclareDialog(w.ctx, 12, w)),
              ("amount approved", lambda: ApprovedDialog(w.ctx, a_claim(w.ctx.app), w)),
              ("stored workers that differ", lambda: conflicts(w)),
              ("remote signing countdown", lambda: countdown(w)),
              ("training phone", lambda: PhoneDialog(
                  TrainingPhone("https://127.0.0.1:9", "-", "-"), w)))
    for name, make in makers:
        dialog = make()
        if name != "diagnostics report":  # the settings screen owns that one
            qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        yield name, dialog
        dialog.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_dialog_fits_the_screen(demo_window, qtbot, monkeypatch, tmp_path, size):
    from ibhxh_client.ui import i18n, widgets
    from tests.test_ui_import import unknown_layout

    sheet = unknown_layout(tmp_path)

    # the screen the dialogs open on: this size, less the taskbar (a test double for the
    # offscreen platform's one screen)
    monkeypatch.setattr(widgets, "available_geometry",
                        lambda _w: QRect(0, 0, size[0], size[1] - TASKBAR))
    bad = {}
    for language in LANGUAGES:
        i18n.install(language)
        demo_window.build()
        for name, dialog in dialogs(demo_window, qtbot, sheet):
            problems = fits_screen(dialog, size) + problems_of(dialog, qtbot)
            if problems:
                bad[f"{name} ({language})"] = problems
    i18n.install("vi")
    demo_window.build()
    assert not bad, f"at {size[0]}×{size[1]}:\n" + "\n".join(
        f"{where}:\n  " + "\n  ".join(p) for where, p in bad.items())
