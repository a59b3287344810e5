"""The window: PySide6 widgets, item models and background workers over ``services``.

No business rule lives here: every check and every computation comes from ``services``
and ``domain``; this package shows their results and sends the officer's input to them.
"""
