"""The training gateway (``gateway.sandbox``) run by the window itself, in the background,
when the settings say "sandbox": for the demo and for trying the program out."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from . import adapters

log = logging.getLogger(__name__)
FOLDER = "sandbox-gateway"


class Running:
    """A started sandbox (or the attempt to start one, still going)."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.configured = threading.Event()  # the first connection was tried (or skipped)
        self.server: Any = None
        self.error: BaseException | None = None
        self.password = ""

    @property
    def url(self) -> str | None:
        return self.server.url if self.server is not None else None

    @property
    def ca_pem(self) -> str | None:
        return self.server.ca_pem if self.server is not None else None

    def wait(self, timeout: float = 30.0) -> bool:
        return self.ready.wait(timeout) and self.server is not None


def start(ctx: Any) -> Running | None:
    """Start the sandbox gateway for this data folder, in a thread of its own (its first
    start makes its certificates, which takes a moment)."""
    cls = adapters.sandbox_class()
    if cls is None:
        log.info("no sandbox gateway in this build")
        return None
    if ctx.sandbox is not None:
        return ctx.sandbox
    running = Running()
    ctx.sandbox = running
    state = Path(ctx.app.data_dir) / FOLDER
    password, port = _credentials(ctx.prefs)
    training = adapters.sandbox_training()
    app = ctx.app

    def boot() -> None:
        try:
            try:
                server = cls(state, port=port, trial_password=password, training=training)
            except OSError:  # the port is taken now: any other will do
                server = cls(state, port=0, trial_password=password, training=training)
            running.server = server.start()
        except BaseException as exc:
            running.error = exc
            log.exception("the sandbox gateway did not start")
            running.ready.set()
            running.configured.set()
            return
        running.ready.set()
        try:
            configure(app, running, password)
        except Exception as exc:  # shown when the officer sends; the server still runs
            running.error = exc
            log.warning("the data folder could not log in to the sandbox gateway: %s",
                        getattr(exc, "code", type(exc).__name__))
        finally:
            running.configured.set()

    running.password = password
    threading.Thread(target=boot, name="sandbox-start", daemon=True).start()
    return running


def _credentials(prefs: Any) -> tuple[str, int]:
    """The sandbox's trial password and port, kept in the window's preferences so the
    gateway settings stay valid from one start to the next (a training server on this
    computer only: the password protects nothing real)."""
    import secrets
    import socket

    password = prefs.get("sandbox_password")
    if not password:
        password = secrets.token_urlsafe(12)
        prefs.set("sandbox_password", password)
    port = int(prefs.get("sandbox_port") or 0)
    if not port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        prefs.set("sandbox_port", str(port))
    return password, port


def configure(app: Any, running: Running, password: str | None = None) -> bool:
    """Point the data folder's gateway settings at the running sandbox (a trial-password
    login through ``services.submission``), once the unit is known."""
    sub = adapters.submission()
    if sub is None or running.server is None:
        return False
    e = adapters.get_employer(app)
    if e is None:
        return False
    conf = sub.settings(app)
    server = running.server
    if conf is not None and conf.url == server.url.rstrip("/") and conf.unit_code == e.unit_code:
        return True
    from ..services import registration

    if registration.state(app)["gateway"] == server.url.rstrip("/"):
        return True  # registered there: its account, not the shared trial password
    sub.login(app, server.url, e.unit_code, password=password or running.password,
              ca_file=server.ca_file)
    return True


def start_if_configured(ctx: Any) -> None:
    if ctx.prefs.gateway_mode == "sandbox":
        start(ctx)


def stop(ctx: Any) -> None:
    running = ctx.sandbox
    ctx.sandbox = None
    if running is not None and running.server is not None:
        try:
            running.server.stop()
        except Exception:
            log.exception("stopping the sandbox gateway")
