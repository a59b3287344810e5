"""The verified HTTPS session shared by the gateway client and the remote signing client
(ibhxh_client/net/tls.py): one place for the trust, plain HTTP and redirects."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from ibhxh_client.gateway.client import GatewayClient
from ibhxh_client.net.tls import RefuseHttp, TrustAdapter, tls_context, verified_session
from ibhxh_client.signing.remote import RemoteAccount, RemoteClient, load_providers


def test_the_session_verifies_refuses_plain_http_and_follows_no_redirect() -> None:
    session = verified_session(tls_context())
    assert session.verify is True
    assert isinstance(session.get_adapter("https://example.test/"), TrustAdapter)
    assert isinstance(session.get_adapter("http://example.test/"), RefuseHttp)
    with pytest.raises(requests.exceptions.SSLError):
        session.get("http://127.0.0.1:9/", timeout=1)


def test_both_clients_use_the_shared_session() -> None:
    gateway = GatewayClient("https://127.0.0.1:9")
    remote = RemoteClient(load_providers()["vnpt-smartca"], RemoteAccount(
        "vnpt-smartca", "https://127.0.0.1:9", "u", "s", "id", "pw"))
    for session in (gateway._session, remote._session):
        assert isinstance(session.get_adapter("https://x.test/"), TrustAdapter)
        assert isinstance(session.get_adapter("http://x.test/"), RefuseHttp)
    gateway.close()
    remote.close()


def test_the_signing_client_does_not_import_the_gateway_client() -> None:
    code = ("import sys, ibhxh_client.signing.remote; "
            "print('ibhxh_client.gateway.client' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
