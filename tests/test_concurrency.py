"""Several officers at once on one database (issue 17, point 3): a dossier edited by two,
and a queued dossier synced by several machines. Each officer is an App of its own (its
own connections), as two PCs would be; in the PostgreSQL run of the suite
(IBHXH_TEST_ENGINE=postgresql) the same tests run against the real server."""

from __future__ import annotations

import threading

import pytest

from ibhxh_client.services import declarations, submission
from ibhxh_client.services.app import UserError, open_app
from ibhxh_client.storage import repo
from tests.test_gateway_support import (
    demo_identity,
    login_trial,
    make_sandbox,
    sandbox,
    sandbox_pki,
    sign_and_store,
)

__all__ = ["demo_identity", "make_sandbox", "sandbox", "sandbox_pki"]  # fixtures


@pytest.fixture
def officers(demo_app, data_dir):
    """Two more officers on the demo's database: Lan and Quân, each with an App."""
    apps = []
    for login in ("lan.nguyen", "quan.tran"):
        app = open_app(data_dir)
        app.db.officer = login
        apps.append(app)
    yield apps
    for app in apps:
        app.close()


def _draft(app, decl_id):
    with app.db.reading() as conn:
        return repo.load_declaration(conn, decl_id)


def test_the_second_save_of_a_dossier_is_refused_and_nothing_is_overwritten(demo_app,
                                                                           officers):
    lan, quan = officers
    decl_id = demo_app.demo_id
    mine, theirs = _draft(lan, decl_id), _draft(quan, decl_id)
    count = len(mine.lines)
    # Quân drops the last line and saves first.
    theirs.lines.pop()
    declarations.save_lines(quan, theirs)
    # Lan, on the version she opened, changes a salary: refused, saying who and when.
    mine.lines[0].salary += 1_000_000
    with pytest.raises(UserError) as refused:
        declarations.save_lines(lan, mine)
    err = refused.value
    assert err.code == "edit_conflict"
    vi, en = err.message("vi"), err.message("en")
    assert "quan.tran" in vi and "sửa hồ sơ" in vi and "UTC" in vi
    assert "was changed by quan.tran" in en
    # Quân's change stands; Lan's is not written.
    stored = _draft(demo_app, decl_id)
    assert len(stored.lines) == count - 1
    assert stored.lines[0].salary == theirs.lines[0].salary
    # Opened again, her edit goes through, and the history names both officers.
    again = _draft(lan, decl_id)
    again.lines[0].salary += 1_000_000
    declarations.save_lines(lan, again)
    users = [h["user"] for h in declarations.status(demo_app, decl_id)["history"]]
    assert users[-2:] == ["quan.tran", "lan.nguyen"]


def test_two_saves_at_the_same_moment_one_wins(demo_app, officers):
    """Both officers press Save together (threads): exactly one save is kept, the other
    is refused, whatever the order the database serves them in."""
    decl_id = demo_app.demo_id
    drafts = [_draft(app, decl_id) for app in officers]
    for n, draft in enumerate(drafts, start=1):
        draft.lines[0].salary = 20_000_000 + n
    outcomes: list[str] = []
    start = threading.Barrier(len(officers))

    def save(app, draft):
        start.wait()
        try:
            declarations.save_lines(app, draft)
            outcomes.append("saved")
        except UserError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=save, args=pair) for pair in zip(officers, drafts,
                                                                        strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["edit_conflict", "saved"]
    salary = _draft(demo_app, decl_id).lines[0].salary
    assert salary in (20_000_001, 20_000_002)


def test_a_queued_dossier_is_sent_by_exactly_one_of_several_machines(demo_app, data_dir,
                                                                     sandbox, demo_identity):
    with demo_identity.signer() as signer:
        sign_and_store(demo_app, demo_app.demo_id, signer)
    login_trial(demo_app, sandbox)
    submission.enqueue(demo_app, demo_app.demo_id)
    machines = [open_app(data_dir) for _ in range(4)]
    start = threading.Barrier(len(machines))
    errors: list[BaseException] = []

    def sync(app):
        start.wait()
        try:
            submission.sync(app)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=sync, args=(app,)) for app in machines]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        for app in machines:
            app.close()
    assert not errors
    sends = sum(n for path, n in sandbox.requests.items() if "submi" in path)
    assert sends == 1, sandbox.requests
    assert sandbox.store.count() == 1
    track = submission.tracking(demo_app, demo_app.demo_id)
    assert track["state"] in ("sent", "accepted") and track["dossier_number"]


def test_a_claim_left_by_a_machine_that_died_is_taken_over(demo_app, sandbox,
                                                           demo_identity):
    """A machine took the dossier to send and vanished (its process is gone): the next
    sync sends it, once, with the same idempotency key."""
    from sqlalchemy import update

    from ibhxh_client.storage.schema import outbox

    with demo_identity.signer() as signer:
        sign_and_store(demo_app, demo_app.demo_id, signer)
    login_trial(demo_app, sandbox)
    submission.enqueue(demo_app, demo_app.demo_id)
    me = submission.sender_id()
    gone = f"{me.partition('/')[0]}/999999999/1"  # this machine, no such process
    with demo_app.db.transaction() as conn:
        conn.execute(update(outbox).values(status="sending", claimed_by=gone,
                                           claimed_at=submission._now()))
    done = submission.sync(demo_app)
    assert done["exit_code"] == 0
    assert submission.tracking(demo_app, demo_app.demo_id)["dossier_number"]
    # Another machine's fresh claim is left alone: nothing is sent twice.
    with demo_app.db.transaction() as conn:
        conn.execute(update(outbox).values(status="sending", claimed_by="x@other-pc/1",
                                           claimed_at=submission._now(), dossier_number=None))
    before = sum(sandbox.requests.values())
    submission.sync(demo_app)
    assert sum(n for p, n in sandbox.requests.items() if "submi" in p) == 1
    assert sum(sandbox.requests.values()) >= before


def test_a_dossier_prepared_by_one_officer_waits_for_the_signer(demo_app, officers, cli):
    lan, _quan = officers
    declarations.validate(lan, demo_app.demo_id)
    waiting = cli("--json", "status", "--to-sign").json
    assert [(d["id"], d["prepared_by"]) for d in waiting] == [(demo_app.demo_id, "lan.nguyen")]
    assert "lan.nguyen" in cli("status", "--to-sign").out
