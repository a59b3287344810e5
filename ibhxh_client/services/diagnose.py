"""Diagnostics for support staff: what a ticket needs, gathered in one report, every
check run on its own so one failure never hides the others. No personal data: counts,
paths, versions, certificate subjects of the company (not of workers)."""

from __future__ import annotations

import io
import json
import platform
import sqlite3
import sys
import zipfile
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..logs import log_dir, recent_logs, redact
from ..storage.db import DB_FILE

Section = dict[str, Any]


def _versions() -> Section:
    out: Section = {"ibhxh-client": __version__, "python": sys.version.split()[0],
                    "os": platform.platform(), "machine": platform.machine(),
                    "frozen": bool(getattr(sys, "frozen", False))}
    from importlib.metadata import PackageNotFoundError, version

    # module → its distribution, whose metadata knows the version when the module does not
    packages = {"PySide6": "PySide6-Essentials", "lxml": "lxml", "cryptography": "cryptography",
                "pkcs11": "python-pkcs11", "sqlalchemy": "SQLAlchemy", "keyring": "keyring",
                "requests": "requests"}
    for module, dist in packages.items():
        try:
            mod = __import__(module)
            found = getattr(mod, "__version__", None)
            if found is None:
                try:
                    found = version(dist)
                except PackageNotFoundError:  # a frozen build keeps no metadata
                    found = "?"
            out[module] = found
        except Exception as exc:  # a missing or broken package is itself a finding
            out[module] = f"ERROR {type(exc).__name__}"
    return out


def _data(data_dir: Path) -> Section:
    from ..storage import location

    try:
        where = location.resolve(data_dir)
    except location.LocationError as exc:
        return {"folder": str(data_dir), "integrity": f"ERROR {exc.code}"}
    if not where.is_sqlite:
        return _server_data(data_dir, where)
    path = data_dir / DB_FILE
    out: Section = {"folder": str(data_dir), "database": str(path), "exists": path.exists()}
    if not path.exists():
        return out
    out["bytes"] = path.stat().st_size
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            out["integrity"] = con.execute("PRAGMA integrity_check").fetchone()[0]
            out["journal_mode"] = con.execute("PRAGMA journal_mode").fetchone()[0]
            out["schema"] = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            out["workers"] = con.execute("SELECT count(*) FROM workers").fetchone()[0]
            out["dossiers"] = con.execute("SELECT count(*) FROM declarations").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as exc:
        out["integrity"] = f"ERROR {exc}"
    return out


def _server_data(data_dir: Path, where: Any) -> Section:
    """``_data`` for a shared office's PostgreSQL database. The server has no check of its
    own like SQLite's integrity_check without an extension: every table is read through,
    and a damaged page fails that read."""
    from sqlalchemy import create_engine, inspect, text

    from ..storage.db import APPLICATION_NAME, CONNECT_TIMEOUT

    out: Section = {"folder": str(data_dir), "database": where.shown, "engine": where.engine}
    engine = create_engine(where.url, connect_args={"connect_timeout": CONNECT_TIMEOUT,
                                                    "application_name": APPLICATION_NAME})
    try:
        with engine.connect() as conn:
            out["server"] = conn.exec_driver_sql("SHOW server_version").scalar()
            tables = inspect(conn).get_table_names()
            out["exists"] = "alembic_version" in tables
            if not out["exists"]:
                return out
            rows = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                    for t in tables}
            out["integrity"] = "ok"
            out["schema"] = conn.execute(text("SELECT version_num FROM alembic_version")
                                         ).scalar()
            out["workers"], out["dossiers"] = rows.get("workers"), rows.get("declarations")
    except Exception as exc:  # unreachable, refused, damaged: the finding itself
        out["integrity"] = f"ERROR {type(exc).__name__}"
    finally:
        engine.dispose()
    return out


def _keystore() -> Section:
    import keyring

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    return {"backend": name, "usable": "fail" not in name.lower()}


def _tokens(module_setting: str | None) -> Section:
    from ..signing import find_modules, list_tokens
    from ..signing.errors import SigningError

    out: Section = {"modules": []}
    now = datetime.now(UTC)
    for path in find_modules(module_setting):
        entry: Section = {"path": path, "exists": Path(path).is_file()}
        try:
            tokens = list_tokens(path)
            entry["tokens"] = [{
                "label": t.label, "serial": t.serial, "manufacturer": t.manufacturer,
                "model": t.model, "pin": t.pin_status.name,
                "certificates": [{"subject": c.subject, "issuer": c.issuer,
                                  "tax_code": c.tax_code, "fingerprint": c.fingerprint,
                                  "not_after": c.not_after.isoformat(),
                                  "days_to_expiry": c.days_to_expiry(now)}
                                 for c in t.certificates]} for t in tokens]
        except SigningError as exc:
            entry["error"] = exc.message("en")
        except Exception as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
        out["modules"].append(entry)
    return out


def _configured_gateway(data_dir: Path) -> tuple[str | None, str | None]:
    """The gateway and its CA as `ibhxh login` stored them (read-only, without a key)."""
    from ..storage import location

    try:
        where = location.resolve(data_dir)
    except location.LocationError:
        return None, None
    if not where.is_sqlite:
        return _server_gateway(where)
    path = data_dir / DB_FILE
    if not path.exists():
        return None, None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT url, ca_pem FROM gateway_settings WHERE id = 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None, None
    return (row[0], row[1]) if row else (None, None)


def _server_gateway(where: Any) -> tuple[str | None, str | None]:
    """``_configured_gateway`` on a shared office's PostgreSQL server."""
    from sqlalchemy import create_engine, text

    from ..storage.db import CONNECT_TIMEOUT

    engine = create_engine(where.url, connect_args={"connect_timeout": CONNECT_TIMEOUT})
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT url, ca_pem FROM gateway_settings WHERE id = 1")
                               ).first()
    except Exception:  # unreachable, refused, not set up: no gateway to check
        return None, None
    finally:
        engine.dispose()
    return (row[0], row[1]) if row else (None, None)


def _gateway(url: str | None, ca_file: str | None, data_dir: Path) -> Section:
    ca_pem = None
    if not url:
        url, ca_pem = _configured_gateway(data_dir)
    if not url:
        return {"configured": False}
    import tempfile

    import requests

    out: Section = {"url": url}
    try:
        started = datetime.now(UTC)
        with tempfile.TemporaryDirectory() as tmp:
            if ca_pem and not ca_file:
                ca_file = str(Path(tmp) / "ca.pem")
                Path(ca_file).write_text(ca_pem, "ascii")
            response = requests.get(url, timeout=(5, 10), verify=ca_file or True)
        out.update(reachable=True, tls="verified", status=response.status_code,
                   seconds=round((datetime.now(UTC) - started).total_seconds(), 3))
        if "Date" in response.headers:
            server = parsedate_to_datetime(response.headers["Date"])
            out["clock_skew_seconds"] = round((datetime.now(UTC) - server).total_seconds())
    except requests.exceptions.SSLError as exc:
        out.update(reachable=True, tls=f"FAILED {type(exc).__name__}")
    except requests.RequestException as exc:
        out.update(reachable=False, error=type(exc).__name__)
    return out


def _printers() -> Section:
    try:
        from ..printing.qt import ensure_app

        ensure_app()
        from PySide6.QtPrintSupport import QPrinterInfo

        return {"printers": QPrinterInfo.availablePrinterNames(),
                "default": QPrinterInfo.defaultPrinterName()}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def report(data_dir: Path, *, module: str | None = None, gateway: str | None = None,
           ca_file: str | None = None) -> dict[str, Section]:
    """Every check, each one's failure recorded in its own section."""
    checks = {
        "program": _versions,
        "data": lambda: _data(data_dir),
        "keystore": _keystore,
        "tokens": lambda: _tokens(module),
        "gateway": lambda: _gateway(gateway, ca_file, data_dir),
        "printers": _printers,
        "logs": lambda: {"folder": str(log_dir()),
                         "files": [p.name for p in recent_logs()]},
    }
    out: dict[str, Section] = {"generated": {"at": datetime.now(UTC).isoformat()}}
    for name, check in checks.items():
        try:
            out[name] = check()
        except Exception as exc:
            out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    return out


def as_text(data: dict[str, Section]) -> str:
    """The report as plain text, ready to paste into a ticket."""
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        for key, value in values.items():
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) \
                else str(value)
            lines.append(f"  {key}: {text}")
    return "\n".join(lines) + "\n"


def bundle(data: dict[str, Section], out: Path) -> Path:
    """A zip for the ticket: the report (text and JSON) and the recent logs, redacted again
    on the way in."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.txt", as_text(data))
        zf.writestr("report.json", json.dumps(data, ensure_ascii=False, indent=2))
        for path in recent_logs()[:5]:
            zf.writestr(f"logs/{path.name}",
                        redact(path.read_text("utf-8", errors="replace")))
    from .files import write_atomic

    write_atomic(out, buf.getvalue())
    return out
