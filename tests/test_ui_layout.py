"""The window at 1366×768 with 150 % scaling (QT_SCALE_FACTOR=1.5): 910×512 logical
pixels. Nothing may need more: the navigation narrows and the screens scroll."""

from __future__ import annotations

from tests import test_ui_fixtures as fx

ctx, prefs, window, demo_window = fx.ctx, fx.prefs, fx.window, fx.demo_window

SCREEN = (1366 / 1.5, 768 / 1.5)  # logical pixels at 150 %


def minimum_sizes(demo_window, qtbot) -> dict[str, tuple[int, int]]:
    from ibhxh_client.ui.mainwindow import SCREENS

    app = demo_window.ctx.app
    sizes = {}
    for name in SCREENS:
        screen = demo_window.go(name)
        if name == "declarations":
            screen.open(app.demo_id)  # the D02-LT editor, the largest screen
        if name == "send":
            screen.start(app.demo_id)
        qtbot.wait(50)
        hint = demo_window.minimumSizeHint()
        sizes[name] = (hint.width(), hint.height())
    return sizes


def test_every_screen_fits_1366x768_at_150_percent(demo_window, qtbot):
    from ibhxh_client.ui import i18n

    sizes = minimum_sizes(demo_window, qtbot)
    i18n.install("en")  # English names and labels are of other lengths
    demo_window.build()
    sizes.update({f"{n} (en)": s for n, s in minimum_sizes(demo_window, qtbot).items()})
    i18n.install("vi")
    demo_window.build()
    too_big = {n: s for n, s in sizes.items() if s[0] > SCREEN[0] or s[1] > SCREEN[1]}
    assert not too_big, f"wider or taller than {SCREEN}: {too_big}"
    # and the window really can be made that small
    demo_window.resize(int(SCREEN[0]), int(SCREEN[1]))
    qtbot.wait(50)
    assert demo_window.width() <= SCREEN[0] and demo_window.height() <= SCREEN[1]
