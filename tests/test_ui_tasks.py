"""``tasks.Latest``: background work asked for again while it runs (the claim editor's
preview, the declarations editor's check, the worker and claim lists read again) runs
one job at a time and shows only the answer made from the latest state."""

from __future__ import annotations

import threading

from ibhxh_client.ui import tasks


def test_asked_while_running_it_runs_once_more_and_only_the_last_answer_shows(qtbot):
    state = {"value": 0, "started": 0}
    gate = threading.Event()
    shown: list[int] = []
    failed: list[BaseException] = []

    def work():
        state["started"] += 1
        value = state["value"]  # read on the GUI thread when the job starts

        def job(_p):
            gate.wait(5)
            return value

        return job

    latest = tasks.Latest(work, shown.append, failed.append)
    assert latest.ask() is not None and latest.busy
    for value in (1, 2, 3):  # typed meanwhile: no job of its own
        state["value"] = value
        assert latest.ask() is None
    gate.set()
    qtbot.waitUntil(lambda: shown == [3] and not latest.busy, timeout=5000)
    assert state["started"] == 2 and failed == []


def test_a_failure_is_shown_unless_it_was_asked_again(qtbot):
    attempts: list[int] = []
    gate = threading.Event()
    shown: list[str] = []
    failed: list[str] = []

    def work():
        n = len(attempts)
        attempts.append(n)

        def job(_p):
            gate.wait(5)
            if n < 2:
                raise ValueError(f"attempt {n}")
            return f"answer {n}"

        return job

    latest = tasks.Latest(work, shown.append, lambda exc: failed.append(str(exc)))
    latest.ask()
    latest.ask()  # the first one fails, but a newer question is waiting: asked again
    gate.set()
    qtbot.waitUntil(lambda: failed == ["attempt 1"] and not latest.busy, timeout=5000)
    assert shown == [] and attempts == [0, 1]
    latest.ask()
    qtbot.waitUntil(lambda: shown == ["answer 2"], timeout=5000)


def test_nothing_to_do_starts_no_job(qtbot):
    latest = tasks.Latest(lambda: None, lambda _r: None, lambda _e: None)
    assert latest.ask() is None and not latest.busy
