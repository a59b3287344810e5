"""The verified HTTPS session that the gateway client and the remote signing client share.

- TLS is always verified, never switchable off: the system trust store through
  truststore (Windows certificate store, macOS keychain, the distribution's bundle on
  Linux), plus the CA certificates configured for the service (the sandbox's ``ca.pem``).
  requests checks the host name.
- Plain HTTP is refused, and redirects are never followed: a service that redirects is
  answered with an error by its caller, not trusted somewhere else.
- The system's proxy settings apply (requests reads HTTPS_PROXY/NO_PROXY and, on
  Windows, the Internet Options through urllib).
"""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlsplit

import requests
import truststore
from cryptography import x509
from requests.adapters import HTTPAdapter


def load_ca_pem(pem: str) -> list[x509.Certificate]:
    """The certificates in a PEM text (ValueError when there is none)."""
    certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    if not certs:
        raise ValueError("no certificate")
    return certs


def tls_context(ca_pem: str | None = None) -> ssl.SSLContext:
    """The system trust store (truststore) plus the configured CA certificates."""
    ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if ca_pem:
        ctx.load_verify_locations(cadata=ca_pem)
    return ctx


def normalise_url(url: str) -> str:
    """``https://host[:port]`` without a trailing slash, or ValueError (only HTTPS)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "https" or not parts.hostname or parts.query or \
            parts.fragment or parts.username or parts.password:
        raise ValueError(url)
    return f"https://{parts.netloc}{parts.path.rstrip('/')}"


# Given to every request: a redirect is answered, never followed.
NO_REDIRECTS = {"allow_redirects": False}


class TrustAdapter(HTTPAdapter):
    """Every HTTPS connection (direct or through a proxy) uses our context, verified."""

    def __init__(self, context: ssl.SSLContext, **kw: Any) -> None:
        self._context = context
        super().__init__(**kw)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **kw: Any) -> None:
        kw["ssl_context"] = self._context
        super().init_poolmanager(connections, maxsize, block, **kw)

    def proxy_manager_for(self, proxy: str, **kw: Any) -> Any:
        kw["ssl_context"] = self._context
        return super().proxy_manager_for(proxy, **kw)

    def build_connection_pool_key_attributes(self, request: Any, verify: Any,
                                             cert: Any = None) -> tuple[dict, dict]:
        host, pool = super().build_connection_pool_key_attributes(request, True, cert)
        pool.pop("ca_certs", None)
        pool.pop("ca_cert_dir", None)
        pool["ssl_context"] = self._context
        pool["cert_reqs"] = "CERT_REQUIRED"
        return host, pool

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # Our context holds the trust; requests would add certifi's bundle to it.
        conn.cert_reqs = "CERT_REQUIRED"
        conn.ca_certs = None
        conn.ca_cert_dir = None


class RefuseHttp(HTTPAdapter):
    """Plain HTTP is never used: every service address is HTTPS."""

    def send(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise requests.exceptions.SSLError("plain HTTP refused")


def verified_session(context: ssl.SSLContext) -> requests.Session:
    """A Session whose HTTPS goes through ``context`` (always verified) and that refuses
    plain HTTP. ``trust_env`` stays on: the system's proxies. Each call passes
    ``allow_redirects=False`` (``NO_REDIRECTS``) and treats a 3xx as an error."""
    session = requests.Session()
    session.verify = True
    session.mount("https://", TrustAdapter(context))
    session.mount("http://", RefuseHttp())
    return session
