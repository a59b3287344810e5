"""Several units in one database (issue 17): the list of units, adding one, choosing the
one to work on, and the views across units: who has not filed this month, a search for a
person in every unit, and every unit's dossiers.

Everything else works on the chosen unit only (storage.repo); these are the only reads
that cross units, and they only read.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ..domain.model import DossierState, Period, Worker
from ..domain.text import name_sort_key
from ..storage import repo
from ..storage.schema import declarations, workers
from . import employer
from .app import App, UserError, choose_unit

# A month counts as filed once its contribution dossier reached Social Security, on line
# or on paper.
FILED = (DossierState.SENT, DossierState.ACCEPTED, DossierState.PRINTED)
STARTED = (DossierState.DRAFT, DossierState.VALIDATED, DossierState.SIGNED,
           DossierState.REJECTED)


def listing(app: App) -> list[dict[str, Any]]:
    """Every unit: code, name, tax code, how many workers and dossiers, and whether it is
    the one chosen."""
    with app.db.reading() as conn:
        units = repo.list_units(conn)
        people = dict(conn.execute(select(workers.c.unit_id, func.count())
                                   .group_by(workers.c.unit_id)).all())
        dossiers = dict(conn.execute(select(declarations.c.unit_id, func.count())
                                     .group_by(declarations.c.unit_id)).all())
    return [{**u, "workers": people.get(u["id"], 0), "dossiers": dossiers.get(u["id"], 0),
             "current": u["id"] == app.unit} for u in units]


def add(app: App, path: Path) -> dict[str, Any]:
    """Add a unit from a profile file (TOML or JSON, as ``employer set``) and choose it."""
    e = employer.save(app, employer.from_values(employer.read_file(path)), new_unit=True)
    return {"unit_code": e.unit_code, "name": e.name, "id": app.unit}


def use(app: App, code: str) -> dict[str, Any]:
    """Work on the unit ``code`` from now on (remembered on this PC)."""
    app.use_unit(choose_unit(app, code))
    return {"unit_code": code, "id": app.unit}


def _contribution_codes(app: App) -> list[str]:
    catalog = app.catalog
    codes = [code for code, proc in catalog.procedures.items()
             if catalog.has_contributions(proc)]
    return codes + [code for code, old in catalog.retired.items() if old.filed_under in codes]


def reminders(app: App, period: Period | None = None) -> dict[str, Any]:
    """For ``period`` (default: this month), each unit's filing of its contributions:
    ``filed`` (sent, accepted or filed on paper), ``started`` (a dossier not yet filed;
    its state given) or ``missing`` (none); and how many are not filed."""
    today = date.today()
    period = period or Period(today.year, today.month)
    key = f"{period.year:04d}-{period.month:02d}"
    codes = _contribution_codes(app)
    with app.db.reading() as conn:
        units = repo.list_units(conn)
        rows = conn.execute(select(declarations.c.unit_id, declarations.c.state)
                            .where(declarations.c.period == key,
                                   declarations.c.procedure.in_(codes))).all()
    states: dict[int, set[str]] = {}
    for unit_id, state in rows:
        states.setdefault(unit_id, set()).add(state)
    items = []
    for u in units:
        seen = states.get(u["id"], set())
        if seen & {str(s) for s in FILED}:
            status, state = "filed", next(str(s) for s in FILED if str(s) in seen)
        elif seen:
            status = "started"
            state = next((str(s) for s in STARTED if str(s) in seen), sorted(seen)[0])
        else:
            status, state = "missing", None
        items.append({"unit_code": u["unit_code"], "name": u["name"], "status": status,
                      "state": state})
    return {"period": str(period), "units": items,
            "not_filed": sum(1 for i in items if i["status"] != "filed")}


def search_workers(app: App, text: str, limit: int | None = None) -> list[dict[str, Any]]:
    """People matching ``text`` (a name, or exactly a BHXH number, CCCD or CMND) in every
    unit, each with its unit's code: who works where, without switching units."""
    if not text.strip():
        raise UserError("missing_fields", exit_code=2, fields="--search")
    found: list[tuple[str, Worker]] = []
    with app.db.reading() as conn:
        units = repo.list_units(conn)
    for u in units:
        with app.for_unit(u["id"]).db.reading() as conn:
            found += [(u["unit_code"], w) for w in repo.search_workers(conn, text)]
    found.sort(key=lambda item: (name_sort_key(item[1].full_name), item[0]))
    if limit:
        found = found[:limit]
    return [{"unit_code": code, "id": w.id, "full_name": w.full_name,
             "bhxh_number": w.bhxh_number, "birth_date": str(w.birth_date),
             "status": str(w.status)} for code, w in found]


def dossiers(app: App) -> list[dict[str, Any]]:
    """Every unit's dossiers, newest first, each with its unit's code and where it stands
    at the gateway (tracking across units)."""
    from .submission import queue

    with app.db.reading() as conn:
        items = repo.list_declarations(conn, all_units=True)
        units = repo.list_units(conn)
    sent: dict[int, dict[str, Any]] = {}
    for u in units:
        sent.update(queue(app, unit=u["id"]))
    for item in items:
        item.update(sent.get(item["id"], {}))
    return items


def sync_all(app: App, **options: Any) -> dict[str, Any]:
    """``submission.sync`` for every unit that has dossiers waiting in the outbox, each
    with its own gateway account; the unit chosen stays chosen. Returns the summaries
    merged: every dossier with its ``unit_code``, the counts added up, and the first
    failure's exit code."""
    from ..storage.schema import outbox
    from . import submission

    with app.db.reading() as conn:
        units = {u["id"]: u["unit_code"] for u in repo.list_units(conn)}
        waiting = sorted(set(conn.execute(
            select(declarations.c.unit_id)
            .join(outbox, outbox.c.declaration_id == declarations.c.id)
            .where(outbox.c.status.in_(("queued", "sending", "polling")))).scalars()))
    merged: dict[str, Any] = {"dossiers": [], "accepted": 0, "rejected": 0, "waiting": 0,
                              "failed": 0, "exit_code": 0, "units": []}
    for unit_id in waiting:
        summary = submission.sync(app.for_unit(unit_id), **options)
        merged["units"].append(units.get(unit_id, "?"))
        merged["dossiers"] += [{**d, "unit_code": units.get(unit_id, "?")}
                               for d in summary["dossiers"]]
        for key in ("accepted", "rejected", "waiting", "failed"):
            merged[key] += summary[key]
        merged["exit_code"] = merged["exit_code"] or summary["exit_code"]
    return merged
