"""Sending dossiers to the sandbox gateway and following them, end to end: the demo unit
declares, signs (a PKCS#12 file, and a SoftHSM2 token), submits over real HTTPS on
127.0.0.1, verifies and keeps the receipt, and is accepted or rejected with reasons.
Faults: dropped connections, slow answers, 5xx, 429, hostile answers, a wrong TLS
certificate, a dead network; never a duplicate filing, never a broken local database."""

from __future__ import annotations

import time

import keyring
import pytest
from sqlalchemy import select

from ibhxh_client.domain.model import WorkerStatus
from ibhxh_client.gateway.client import RetryPolicy, Timeouts
from ibhxh_client.gateway.receipt import verify_receipt
from ibhxh_client.services import declarations, demo, employer, submission
from ibhxh_client.services.app import open_app
from ibhxh_client.services.submission import SubmissionError
from ibhxh_client.signing import Pkcs12Signer, make_demo_pkcs12
from ibhxh_client.signing.demo import DemoCA
from ibhxh_client.storage import repo
from ibhxh_client.storage.schema import gateway_settings, outbox, processing_log
from tests import pkcs11_fixtures as fx
from tests.test_gateway_support import (
    DEMO_NAME,
    DEMO_TAX,
    DEMO_UNIT,
    TRIAL_PASSWORD,
    demo_identity,
    fast_client,
    iter_db_bytes,
    login_trial,
    make_sandbox,
    sandbox,
    sandbox_pki,
    sign_and_store,
    snapshot,
)

__all__ = ["demo_identity", "make_sandbox", "sandbox", "sandbox_pki"]  # fixtures

NUMBER = r"\d{5}/\d{4}/\d{5}"


def _outbox(app, decl_id):
    with app.db.reading() as conn:
        return dict(conn.execute(select(outbox).where(outbox.c.declaration_id == decl_id))
                    .mappings().one())


def _signed_demo(demo_app, identity):
    with identity.signer() as signer:
        sign_and_store(demo_app, demo_app.demo_id, signer)
    return demo_app.demo_id


# --------------------------------------------------------------------------- happy paths

def test_demo_dossier_is_received_then_accepted(demo_app, sandbox, demo_identity, data_dir,
                                                memory_keyring):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    # The password is in the keyring under the documented name, nowhere in the database.
    user = f"gateway:{sandbox.url}:{DEMO_UNIT}"
    assert memory_keyring.items[("ibhxh-client", user)] == TRIAL_PASSWORD

    sent = submission.submit(demo_app, decl_id)
    assert sent["state"] == "sent" and sent["outbox"] == "polling"
    number = sent["dossier_number"]
    assert number.startswith("00001/") and number.endswith("/07906")
    assert sent["receipt"]["number"] == number and sent["receipt"]["chain_checked"] is False

    # The stored receipt is the gateway's, signed, for exactly the bytes sent.
    with demo_app.db.reading() as conn:
        receipt = repo.get_artifact(conn, decl_id, "receipt")
        signed = repo.get_artifact(conn, decl_id, "signed")
    import hashlib

    from ibhxh_client.gateway.client import load_ca_pem

    verify_receipt(receipt, trusted_cas=load_ca_pem(sandbox.ca_pem),
                   reference=submission.idempotency_key(demo_app, decl_id),
                   envelope_sha256=hashlib.sha256(signed).hexdigest(), unit_code=DEMO_UNIT,
                   number=number)
    assert "PHIẾU GIAO NHẬN HỒ SƠ" in receipt.decode()

    done = submission.sync(demo_app, wait=10, interval=0.1)
    assert done["accepted"] == 1 and done["exit_code"] == 0
    item = declarations.status(demo_app, decl_id)
    assert item["state"] == "accepted"
    assert [h["to"] for h in item["history"]][-3:] == ["signed", "sent", "accepted"]
    assert number in item["history"][-2]["detail"]
    track = submission.tracking(demo_app, decl_id)
    assert track["outbox"] == "done" and track["result"]["status"] == "accepted"
    assert track["reasons"] == []
    with demo_app.db.reading() as conn:
        assert repo.get_artifact(conn, decl_id, "result") is not None
        actions = [r[0] for r in conn.execute(select(processing_log.c.action))]
        row = conn.execute(select(gateway_settings)).mappings().one()
    assert "submit" in actions
    assert row["login"] == "password" and row["ca_pem"].startswith("-----BEGIN CERTIFICATE")
    for blob in iter_db_bytes(data_dir):
        assert TRIAL_PASSWORD.encode() not in blob

    assert submission.queue(demo_app) == {decl_id: {"outbox": "done", "dossier_number": number,
                                                    "last_error": None}}
    # A second submit returns the first answer without a second filing.
    again = submission.submit(demo_app, decl_id)
    assert again["dossier_number"] == number
    assert sandbox.store.count() == 1


def test_softhsm_token_logs_in_and_signs_and_is_accepted(demo_app, make_sandbox,
                                                         tmp_path_factory):
    hsm = fx.SoftHsm(tmp_path_factory.mktemp("gateway-hsm"))
    hsm.init_token("SAOMAI")
    ca = DemoCA.create("IBHXH GATEWAY TEST CA")
    public = hsm.generate_key("SAOMAI", b"\x01")
    cert = ca.issue(public, company_name=DEMO_NAME, tax_code=DEMO_TAX)
    hsm.store_certificate("SAOMAI", cert, b"\x01")
    hsm.lib()  # loads the module with this SoftHSM's configuration
    from ibhxh_client.signing.token import open_signer

    # This gateway checks the chain: only our test CA is trusted.
    gw = make_sandbox(trusted_cas=[ca.certificate], trial_password=None)
    with open_signer(hsm.module_path, pin=fx.USER_PIN, token_label="SAOMAI") as signer:
        sign_and_store(demo_app, demo_app.demo_id, signer)
        info = submission.login(demo_app, gw.url, DEMO_UNIT, signer=signer, ca_file=gw.ca_file)
        assert info["login"] == "certificate"
        sent = submission.submit(demo_app, demo_app.demo_id, signer=signer)
        assert sent["receipt"]["chain_checked"] is True
        done = submission.sync(demo_app, signer=signer, wait=10, interval=0.1)
    assert done["dossiers"][0]["state"] == "accepted"
    # Without the token, a certificate login cannot happen: a clear error, exit code 3.
    with pytest.raises(SubmissionError) as err:
        submission.connect(demo_app)
    assert err.value.exit_code == 3 and "token" in err.value.message("en")


# --------------------------------------------------------------------------- rejections

def test_worker_increased_twice_in_a_period_is_rejected_with_reasons(
        demo_app, sandbox, demo_identity):
    first = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    submission.submit(demo_app, first)
    assert submission.sync(demo_app, wait=10, interval=0.1)["accepted"] == 1

    # The same workers declared as new hires again in the same period.
    with demo_app.db.transaction() as conn:
        ids = [w.id for w in repo.search_workers(conn)]
        repo.set_worker_status(conn, ids, WorkerStatus.NEW)
    period = declarations.status(demo_app, first)["period"]
    second, _ = declarations.declare(demo_app, "600", period, [], new_workers=True)
    with demo_identity.signer() as signer:
        sign_and_store(demo_app, second.id, signer)
    submission.submit(demo_app, second.id)
    done = submission.sync(demo_app, wait=10, interval=0.1)
    assert done["rejected"] == 1

    track = submission.tracking(demo_app, second.id)
    assert track["state"] == "rejected"
    reasons = track["reasons"]
    assert len(reasons) == 25 and {r["code"] for r in reasons} == {"increase_twice"}
    assert [r["row"] for r in reasons] == list(range(1, 26))
    # The gateway says D02-TS (the exchange code); the officer reads D02-LT, the paper's name.
    assert reasons[0]["form"] == "D02-LT" and reasons[0]["field"] == "PhuongAn"
    first_number = submission.tracking(demo_app, first)["dossier_number"]
    assert first_number in reasons[0]["message"]
    # The reasons reach the officer: in the history (Vietnamese) and in English on asking.
    detail = declarations.status(demo_app, second.id)["history"][-1]["detail"]
    assert detail.startswith("Bị từ chối") and "D02-LT dòng 1, PhuongAn" in detail
    demo_app.lang = "en"
    english = submission.tracking(demo_app, second.id)["reasons"][0]["message"]
    assert english.startswith("D02-LT row 1, PhuongAn: The worker was already increased")
    # No personal value in the history: the officer finds the worker by the row.
    with demo_app.db.reading() as conn:
        workers = repo.search_workers(conn)
    assert not any(w.bhxh_number and w.bhxh_number in detail for w in workers)


def test_bhxh_number_active_in_another_unit_is_rejected(demo_app, sandbox, demo_identity,
                                                       tmp_path):
    first = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    submission.submit(demo_app, first)
    assert submission.sync(demo_app, wait=10, interval=0.1)["accepted"] == 1

    # Another company declares the same people (the demo data has the same workers).
    other = open_app(tmp_path / "other")
    try:
        demo.make_demo(other, 25)
        unit = employer.get(other)
        unit.unit_code, unit.tax_code, unit.name = "TZB123K", "0102345677", "Công ty TNHH Bắc"
        with other.db.transaction() as conn:
            repo.save_employer(conn, unit)
        made = make_demo_pkcs12(tmp_path / "bac.p12", b"pw", unit.tax_code, unit.name)
        with Pkcs12Signer.from_file(made.path, b"pw") as signer:
            sign_and_store(other, 1, signer)
        login_trial(other, sandbox, unit="TZB123K")
        submission.submit(other, 1)
        done = submission.sync(other, wait=10, interval=0.1)
        assert done["rejected"] == 1
        reasons = submission.tracking(other, 1)["reasons"]
        # Every new hire that has a BHXH number (23 of 25 in the demo data).
        assert len(reasons) == 23
        assert {(r["code"], r["field"]) for r in reasons} == {("active_elsewhere", "MaSoBHXH")}
        assert "đơn vị khác" in reasons[0]["message"]
    finally:
        other.close()


# --------------------------------------------------------------------------- exactly once

def test_connection_dropped_after_store_is_retried_to_the_same_number(demo_app, sandbox,
                                                                      demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    sandbox.faults.arm("drop_after_store")
    with fast_client(demo_app) as client:
        sent = submission.submit(demo_app, decl_id, client=client)
    assert sandbox.faults.hits["drop_after_store"] == 1
    assert sandbox.requests["submit"] == 2  # the first was stored, its answer never came
    assert sandbox.store.count() == 1  # one dossier at the gateway, not two
    assert sent["dossier_number"].startswith("00001/")
    assert sent["attempts"] == 1  # one submission step; the retry was inside the call


def test_dropped_then_restarted_program_resends_with_the_same_key(demo_app, sandbox,
                                                                  demo_identity, data_dir):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    sandbox.faults.arm("drop_after_store")
    before = snapshot(demo_app, decl_id)
    with pytest.raises(SubmissionError) as err, \
            fast_client(demo_app, retry=RetryPolicy(attempts=1)) as client:
        submission.submit(demo_app, decl_id, client=client)
    assert err.value.exit_code == 4 and err.value.code == "network"
    assert err.value.params["offer_paper"] is True and err.value.params["queued"] is True
    assert "ibhxh sync" in err.value.message("vi") and "giấy" in err.value.message("vi")
    assert snapshot(demo_app, decl_id) == before  # still signed, no receipt
    row = _outbox(demo_app, decl_id)
    assert row["status"] == "queued" and row["last_error"] == "network"

    # As if the program had died in the middle of sending: restart and sync.
    with demo_app.db.transaction() as conn:
        conn.execute(outbox.update().values(status="sending"))
    demo_app.close()
    app = open_app(data_dir)
    try:
        done = submission.sync(app, wait=10, interval=0.1)
        item = done["dossiers"][0]
        assert item["state"] == "accepted" and item["dossier_number"].startswith("00001/")
        assert sandbox.store.count() == 1
        assert sandbox.requests["submit"] == 2
    finally:
        app.close()


def test_5xx_answers_are_retried_with_backoff(demo_app, sandbox, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    sandbox.faults.arm("http_error", status=503, times=2)
    sandbox.faults.arm("http_error", status=500, times=1)
    with fast_client(demo_app) as client:
        sent = submission.submit(demo_app, decl_id, client=client)
    assert sent["state"] == "sent"
    assert sandbox.requests["submit"] == 4 and sandbox.store.count() == 1


def test_429_waits_for_retry_after(demo_app, sandbox, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    sandbox.faults.arm("rate_limit", retry_after=1)
    start = time.monotonic()
    with fast_client(demo_app) as client:
        submission.submit(demo_app, decl_id, client=client)
    assert time.monotonic() - start >= 1.0
    assert sandbox.requests["submit"] == 2


def test_login_is_never_retried(demo_app, sandbox):
    sandbox.faults.arm("http_error", route="login", status=503)
    with pytest.raises(SubmissionError) as err:
        login_trial(demo_app, sandbox)
    assert err.value.exit_code == 4
    assert sandbox.requests["login"] == 1


def test_slow_gateway_times_out_and_the_dossier_stays_queued(demo_app, sandbox,
                                                             demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    sandbox.faults.arm("slow", delay=1.5, times=None)
    slow = Timeouts(connect=2, read=0.5, submit_read=0.5)
    with pytest.raises(SubmissionError) as err, \
            fast_client(demo_app, timeouts=slow, retry=RetryPolicy(attempts=2, base=0.01)) \
            as client:
        submission.submit(demo_app, decl_id, client=client)
    assert err.value.code == "timeout" and err.value.exit_code == 4
    assert _outbox(demo_app, decl_id)["status"] == "queued"
    sandbox.faults.clear()
    done = submission.sync(demo_app, wait=10, interval=0.1)
    # The slow first attempt had stored it: the resend got that same dossier back.
    assert done["dossiers"][0]["dossier_number"].startswith("00001/")
    assert sandbox.store.count() == 1


def test_network_down_keeps_the_dossier_queued_until_the_gateway_is_back(
        demo_app, make_sandbox, demo_identity, sandbox_pki, tmp_path):
    from tests.test_gateway_support import fresh_state

    decl_id = _signed_demo(demo_app, demo_identity)
    state = fresh_state(sandbox_pki, tmp_path / "gw")
    gw = make_sandbox(state)
    login_trial(demo_app, gw)
    port = gw.port
    gw.stop()
    with pytest.raises(SubmissionError) as err, fast_client(demo_app) as client:
        submission.submit(demo_app, decl_id, client=client)
    assert err.value.exit_code == 4 and err.value.code == "network"
    assert "127.0.0.1" in err.value.message("en")
    assert submission.pending(demo_app) == [decl_id]
    waiting = submission.tracking(demo_app, decl_id)
    assert waiting["outbox"] == "queued" and waiting["last_error"] == "network"
    assert waiting["last_error_message"] == f"Không kết nối được cổng tiếp nhận {gw.url}."
    back = make_sandbox(state, port=port)  # the same gateway, back on the same address
    done = submission.sync(demo_app, wait=10, interval=0.1)
    assert done["accepted"] == 1 and back.store.count() == 1


# --------------------------------------------------------------------------- hostile answers

@pytest.mark.parametrize(("fault", "params", "code", "words"), [
    ("hostile_xml", {"variant": "entity_expansion"}, "hostile_xml", "XML không an toàn"),
    ("hostile_xml", {"variant": "external_entity"}, "hostile_xml", "XML không an toàn"),
    ("malformed_json", {}, "bad_answer", "không đúng giao thức"),
    ("bad_signature", {}, "receipt_signature", "Chữ ký trên phiếu giao nhận"),
])
def test_hostile_or_broken_answer_is_refused_and_nothing_is_written(
        demo_app, sandbox, demo_identity, fault, params, code, words):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    before = snapshot(demo_app, decl_id)
    sandbox.faults.arm(fault, **params)
    with pytest.raises(SubmissionError) as err, fast_client(demo_app) as client:
        submission.submit(demo_app, decl_id, client=client)
    assert err.value.code == code and err.value.exit_code == 4
    assert words in err.value.message("vi")
    assert snapshot(demo_app, decl_id) == before
    assert before["integrity"] == "ok" and "receipt" not in before["artifacts"]
    assert _outbox(demo_app, decl_id)["status"] == "queued"
    # The gateway did store it; sending again brings the same dossier number.
    done = submission.sync(demo_app, wait=10, interval=0.1)
    assert done["dossiers"][0]["dossier_number"].startswith("00001/")
    assert sandbox.store.count() == 1


def test_hostile_result_notice_is_refused(demo_app, sandbox, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    submission.submit(demo_app, decl_id)
    sandbox.faults.arm("hostile_xml", route="result", variant="external_entity")
    time.sleep(0.4)
    failed = submission.sync(demo_app)
    assert failed["exit_code"] == 4 and failed["dossiers"][0]["error"]["code"] == "hostile_xml"
    assert declarations.status(demo_app, decl_id)["state"] == "sent"
    assert submission.sync(demo_app)["accepted"] == 1


def test_wrong_tls_certificate_is_refused_before_anything_is_sent(demo_app, sandbox,
                                                                  demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    before = snapshot(demo_app, decl_id)
    logins = sandbox.requests["login"]
    sandbox.faults.arm("wrong_host", times=None)
    with pytest.raises(SubmissionError) as err:
        submission.submit(demo_app, decl_id)
    assert err.value.code == "tls" and err.value.exit_code == 4
    assert "not valid for '127.0.0.1'" in err.value.message("en")
    assert snapshot(demo_app, decl_id) == before
    # Not even the login went out: the handshake failed first.
    assert sandbox.requests["login"] == logins and sandbox.store.count() == 0


def test_gateway_not_trusted_without_its_ca(demo_app, sandbox):
    with pytest.raises(SubmissionError) as err:
        submission.login(demo_app, sandbox.url, DEMO_UNIT, password=TRIAL_PASSWORD)
    assert err.value.code == "tls" and err.value.exit_code == 4
    assert submission.settings(demo_app) is None


# --------------------------------------------------------------------------- refusals

def test_tampered_envelope_is_refused_for_good_with_the_gateways_reasons(
        demo_app, sandbox, demo_identity):
    decl_id = demo_app.demo_id
    with demo_identity.signer() as signer:
        signed = sign_and_store(demo_app, decl_id, signer)
    tampered = signed.replace(b"Sao Mai</TenDoiTuong>", b"Sao Moi</TenDoiTuong>")
    with demo_app.db.transaction() as conn:
        repo.put_artifact(conn, decl_id, "signed", tampered)
    login_trial(demo_app, sandbox)
    with pytest.raises(SubmissionError) as err:
        submission.submit(demo_app, decl_id)
    assert err.value.code == "envelope_invalid" and err.value.exit_code == 1
    assert "CKy_Dvi" in err.value.message("vi")
    assert "giấy" in err.value.message("vi")  # the paper dossier is offered
    assert _outbox(demo_app, decl_id)["status"] == "refused"
    assert submission.pending(demo_app) == []
    assert declarations.status(demo_app, decl_id)["state"] == "signed"
    assert sandbox.store.count() == 0


def test_unsigned_dossier_is_not_queued(demo_app, sandbox):
    login_trial(demo_app, sandbox)
    declarations.validate(demo_app, demo_app.demo_id)
    with pytest.raises(SubmissionError) as err:
        submission.submit(demo_app, demo_app.demo_id)
    assert err.value.code == "not_signed" and err.value.exit_code == 1
    assert "'Checked'" in err.value.message("en")  # the state by its name
    assert submission.tracking(demo_app, demo_app.demo_id) is None


def test_wrong_password_stores_nothing(demo_app, sandbox, memory_keyring):
    with pytest.raises(SubmissionError) as err:
        submission.login(demo_app, sandbox.url, DEMO_UNIT, password="sai",
                         ca_file=sandbox.ca_file)
    assert err.value.code == "login_failed" and err.value.exit_code == 2
    assert not any(user.startswith("gateway:") for _, user in memory_keyring.items)
    assert submission.settings(demo_app) is None


def test_submit_before_login_says_what_to_do(demo_app, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    with pytest.raises(SubmissionError) as err:
        submission.submit(demo_app, decl_id)
    assert err.value.code == "gateway_not_configured" and err.value.exit_code == 2
    assert "ibhxh login" in err.value.message("vi")


def test_password_gone_from_keyring_is_explained(demo_app, sandbox, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    keyring.delete_password("ibhxh-client", f"gateway:{sandbox.url}:{DEMO_UNIT}")
    with pytest.raises(SubmissionError) as err:
        submission.submit(demo_app, decl_id)
    assert err.value.code == "gateway_password_missing"
    assert submission.pending(demo_app) == [decl_id]  # queued, waiting for a login


def test_expired_session_logs_in_again(demo_app, sandbox, demo_identity):
    decl_id = _signed_demo(demo_app, demo_identity)
    login_trial(demo_app, sandbox)
    with fast_client(demo_app) as client:
        submission.submit(demo_app, decl_id, client=client)
        sandbox.api._sessions.clear()  # as after a gateway restart
        logins = sandbox.requests["login"]
        time.sleep(0.3)
        track = submission.refresh(demo_app, decl_id, client=client)
    assert track["state"] == "accepted"
    assert sandbox.requests["login"] == logins + 1  # one new session, then the state


def test_logging_in_again_keeps_the_gateways_ca(demo_app, sandbox):
    login_trial(demo_app, sandbox)
    submission.login(demo_app, sandbox.url, DEMO_UNIT, password=TRIAL_PASSWORD)
    conf = submission.settings(demo_app)
    assert conf.ca_pem == sandbox.ca_pem and conf.ca_path == str(sandbox.ca_file)


def test_sync_with_nothing_to_do_needs_no_gateway(app):
    assert submission.sync(app) == {"dossiers": [], "accepted": 0, "rejected": 0,
                                    "waiting": 0, "failed": 0, "exit_code": 0}
