"""`--self-test`: proves an installed copy works end to end, without touching the user's
data, keyring or printers. Support staff run it after installing; the build test runs it
on the bundled program.

Steps: a temporary database; every form definition and schema; a demo dossier built and
validated; signed with a demo PKCS#12 certificate; verified; a PDF rendered and read back.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from .storage.keys import KeyStore


class _MemoryKeyStore(KeyStore):
    """Keeps the self-test's throw-away key out of the OS keyring."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[tuple[str, str], bytes] = {}

    def get(self, db_id: str, slot: str = "current") -> bytes | None:
        return self.keys.get((db_id, slot))

    def put(self, db_id: str, key: bytes, slot: str = "current") -> None:
        self.keys[(db_id, slot)] = key

    def delete(self, db_id: str, slot: str = "current") -> None:
        self.keys.pop((db_id, slot), None)


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: str = ""


def run(out: TextIO = sys.stdout) -> int:
    """Run every step; print one line each; 0 when all passed."""
    from .catalog import load_catalog
    from .dossier.xsd import load_schema
    from .services.app import App
    from .services.declarations import validate
    from .services.demo import make_demo
    from .storage.db import Database
    from .storage.location import sqlite_location

    steps: list[Step] = []
    state: dict = {}

    def step(name: str, fn: Callable[[], str]) -> None:
        start = time.perf_counter()
        try:
            detail = fn() or ""
            steps.append(Step(name, True, time.perf_counter() - start, detail))
        except Exception as exc:
            steps.append(Step(name, False, time.perf_counter() - start,
                              f"{type(exc).__name__}: {exc}"))
            traceback.print_exc(file=sys.stderr)
        last = steps[-1]
        print(f"{'OK ' if last.ok else 'FAIL'} {last.name:34} {last.seconds:6.2f}s  "
              f"{last.detail}", file=out)

    with tempfile.TemporaryDirectory(prefix="ibhxh-selftest ") as tmp:
        folder = Path(tmp) / "Dữ liệu thử"  # a path with Vietnamese letters and spaces

        def forms() -> str:
            catalog = load_catalog()
            for code in catalog.forms:
                load_schema(catalog.xsd_path(code))
            load_schema(catalog.envelope_xsd_path())
            state["catalog"] = catalog
            return f"{len(catalog.forms)} forms, {len(catalog.codelists)} code lists"

        def database() -> str:
            # this PC's own engine, whatever server the data folder may name
            db = Database(folder, keystore=_MemoryKeyStore(), url=sqlite_location(folder))
            state["app"] = App(data_dir=folder, db=db, catalog=state["catalog"])
            return str(db.path)

        def dossier() -> str:
            app = state["app"]
            decl_id = make_demo(app, 12)
            result = validate(app, decl_id)
            state["envelope"] = result.envelope
            return f"dossier {decl_id}: {len(result.files)} files, {len(result.envelope)} B"

        def sign() -> str:
            from .services.demo import demo_employer
            from .signing import Pkcs12Signer, make_demo_pkcs12, sign_dossier

            employer = demo_employer()
            identity = make_demo_pkcs12(Path(tmp) / "demo.p12", b"selftest",
                                        employer.tax_code, employer.name)
            signer = Pkcs12Signer.from_file(identity.path, b"selftest")
            state["ca"] = identity.ca_certificate
            state["signed"] = sign_dossier(state["envelope"], signer,
                                           signing_time=datetime.now(UTC))
            return f"{len(state['signed'])} B"

        def verify() -> str:
            from .signing import verify_dossier

            verdict = verify_dossier(state["signed"], trusted_cas=[state["ca"]])
            if not verdict.valid:
                raise RuntimeError("; ".join(verdict.messages("en")))
            return f"{len(verdict.forms)} forms and the envelope valid"

        def pdf() -> str:
            from .printing.report import Section, write_pdf

            path = Path(tmp) / "tự kiểm tra.pdf"
            pages = write_pdf(path, "Tự kiểm tra ibhxh-client", "Kiểm tra phông chữ tiếng Việt",
                              [Section("Kết quả", [("Hồ sơ", "Hợp lệ, đã ký")])])
            data = path.read_bytes()
            if not data.startswith(b"%PDF") or b"FontFile2" not in data:
                raise RuntimeError("the PDF has no embedded font")
            return f"{pages} page(s), {len(data)} B, font embedded"

        def postgresql() -> str:
            # a shared office's driver is in the program (the bundle must carry it): the
            # dialect SQLAlchemy names, and libpq behind psycopg
            import psycopg
            from sqlalchemy import create_engine

            engine = create_engine("postgresql+psycopg://selftest@127.0.0.1:1/none")
            engine.dispose()
            return f"psycopg {psycopg.__version__}, libpq {psycopg.pq.version()}"

        checks = (("forms and schemas", forms), ("temporary database", database),
                  ("PostgreSQL driver", postgresql),
                  ("demo dossier built and validated", dossier),
                  ("signed (demo PKCS#12)", sign), ("signatures verified", verify),
                  ("PDF rendered", pdf))
        for name, fn in checks:
            if steps and not steps[-1].ok:
                print(f"SKIP {name}", file=out)
                continue
            step(name, fn)
        if "app" in state:
            state["app"].close()
    failed = [s for s in steps if not s.ok]
    passed = not failed and len(steps) == len(checks)
    print("self-test: " + ("passed" if passed else "FAILED"), file=out)
    return 0 if passed else 1
