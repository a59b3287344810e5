"""The workers' rights and the employer's duties under Decree 13/2023/NĐ-CP: a report of
everything held about one worker, retention and erasure, the processing log."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from ..domain.model import PartialDate, Period, WorkerStatus
from ..domain.text import vnd
from ..storage import repo
from ..storage.schema import claims, contribution_stints, declaration_lines, documents
from ..storage.schema import workers as workers_t
from .app import App, UserError
from .files import atomic_path, write_atomic

# Worker attributes that no form carries, with their labels.
OTHER_LABELS = {
    "cmnd": {"vi": "Số CMND cũ", "en": "Old ID card number"},
    "position": {"vi": "Chức vụ", "en": "Position"},
    "salary": {"vi": "Mức lương (đồng)", "en": "Salary (VND)"},
    "allowances": {"vi": "Phụ cấp (đồng)", "en": "Allowances (VND)"},
    "status": {"vi": "Tình trạng tham gia", "en": "Participation status"},
}


def retention_years(app: App) -> int:
    """The legal retention period, from forms/retention.toml."""
    raw = tomllib.loads((app.catalog.root / "retention.toml").read_text("utf-8"))
    return int(raw["worker_records"]["years"])


def _find(app: App, key: str):
    with app.db.reading() as conn:
        w = repo.find_worker(conn, key)
    if w is None:
        raise UserError("unknown_worker", value=key)
    return w


def worker_report(app: App, key: str) -> dict[str, Any]:
    """Everything held about one worker: their data, every dossier line and document that
    names them, with the dossier's state."""
    w = _find(app, key)
    with app.db.reading() as conn:
        lines = conn.execute(select(declaration_lines.c.declaration_id)
                             .where(declaration_lines.c.worker_id == w.id)).all()
        docs = conn.execute(select(documents.c.declaration_id)
                            .where(documents.c.worker_id == w.id)).all()
        decl_ids = sorted({r[0] for r in lines} | {r[0] for r in docs})
        dossiers = []
        for decl_id in decl_ids:
            decl = repo.load_declaration(conn, decl_id)
            mine = [line for line in decl.lines if line.worker_id == w.id]
            dossiers.append({
                "dossier_id": decl_id, "procedure": decl.procedure, "period": str(decl.period),
                "state": str(decl.state),
                "lines": [{"plan": line.plan, "from": str(line.from_month),
                           "to": str(line.to_month) if line.to_month else None,
                           "salary": line.salary, "allowances": line.allowances,
                           "position": line.position, "change": line.change,
                           "document": " ".join(filter(None, (line.doc_type,
                                                              line.decision_number)))}
                          for line in mine],
                "documents": [{"type": d.doc_type, "number": d.number, "summary": d.summary}
                              for d in decl.documents if d.worker_id == w.id],
            })
        claims = [_claim_dict(r.claim, r.outcome)
                  for r in repo.claims_of_workers(conn, [w.id or 0])]
        months = [{"from": str(s.from_month), "to": str(s.to_month) if s.to_month else None,
                   "salary": s.salary}
                  for s in repo.load_stints(conn, [w.id or 0]).get(w.id or 0, [])]
    with app.db.transaction() as conn:
        repo.log_processing(conn, "worker_report", f"#{w.id}", workers=1)
    person = asdict(w)
    person["birth_date"] = str(w.birth_date)
    person["status"] = str(w.status)
    return {"generated": date.today().isoformat(), "worker": person, "dossiers": dossiers,
            "claims": claims, "contribution_months": months}


def _claim_dict(c: Any, outcome: str) -> dict[str, Any]:
    """A benefit claim as the worker report holds it: every value stored about it."""
    out = {k: v for k, v in asdict(c).items() if k not in ("worker_id",)}
    for key in ("from_date", "to_date", "child_birth_date"):
        out[key] = out[key].isoformat() if out[key] else None
    out["outcome"] = outcome
    return out


def write_worker_report(app: App, key: str, out: Path, lang: str = "vi") -> None:
    """The report as JSON or PDF, chosen by the file's extension."""
    report = worker_report(app, key)
    suffix = out.suffix.lower()
    if suffix == ".json":
        data = json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
        write_atomic(out, data)
    elif suffix == ".pdf":
        _report_pdf(app, report, out, lang)
    else:
        raise UserError("bad_extension", exit_code=2, value=out.name, allowed=".pdf, .json")


def _report_pdf(app: App, report: dict[str, Any], out: Path, lang: str) -> None:
    from ..printing.report import Section, write_pdf

    labels = {k: v.get(lang, v["vi"]) for k, v in OTHER_LABELS.items()}
    for form in app.catalog.forms.values():
        for group in form.groups():
            for f in group.fields:
                if f.owner == "worker":
                    labels.setdefault(f.attr, f.label_in(lang))
    person = report["worker"]
    def show(key: str, value: Any) -> str:
        if value is None:
            return ""
        return vnd(value) if key in ("salary", "allowances") else str(value)

    sections = [Section("Thông tin cá nhân" if lang == "vi" else "Personal data",
                        [(labels.get(k, k), show(k, v)) for k, v in person.items()
                         if k != "id"])]
    for d in report["dossiers"]:
        title = (f"Hồ sơ {d['dossier_id']} — thủ tục {d['procedure']}, kỳ {d['period']}, "
                 f"{d['state']}" if lang == "vi" else
                 f"Dossier {d['dossier_id']} — procedure {d['procedure']}, {d['period']}, "
                 f"{d['state']}")
        lines = [(line["plan"], f"{line['from']} → {line['to'] or ''}  {vnd(line['salary'])}"
                  + "".join(f"  {line[k]}" for k in ("change", "document") if line.get(k)))
                 for line in d["lines"]]
        lines += [(doc["type"], f"{doc['number']} {doc['summary']}") for doc in d["documents"]]
        sections.append(Section(title, lines))
    if report.get("claims"):
        sections.append(Section("Yêu cầu hưởng chế độ ốm đau, thai sản, dưỡng sức"
                                if lang == "vi" else "Benefit claims",
                                [(f"#{c['id']} {c['kind']}",
                                  f"{c['from_date']} → {c['to_date']}  "
                                  f"{show('salary', c['expected_amount'])}  "
                                  f"{show('salary', c['approved_amount'])}  {c['outcome']}")
                                 for c in report["claims"]]))
    if report.get("contribution_months"):
        sections.append(Section("Quá trình đóng BHXH (nhập từ tệp)" if lang == "vi"
                                else "Months of contribution (imported)",
                                [(f"{m['from']} → {m['to'] or ''}", vnd(m["salary"]))
                                 for m in report["contribution_months"]]))
    title = ("Báo cáo dữ liệu cá nhân của người lao động" if lang == "vi"
             else "Personal data held about a worker")
    with atomic_path(out) as tmp:
        write_pdf(tmp, title, f"{person['full_name']} — {report['generated']}", sections)


def retention_due(app: App, years: int | None = None, today: date | None = None) -> list[dict]:
    """Workers who left more than ``years`` (default: the legal period) ago."""
    years = retention_years(app) if years is None else years
    today = today or date.today()
    cutoff = Period(today.year - years, today.month)
    cutoff_text = f"{cutoff.year:04d}-{cutoff.month:02d}"
    with app.db.reading() as conn:
        rows = conn.execute(select(workers_t.c.id, workers_t.c.full_name,
                                   workers_t.c.left_period)
                            .where(workers_t.c.status == str(WorkerStatus.LEFT),
                                   workers_t.c.left_period.is_not(None),
                                   workers_t.c.left_period < cutoff_text,
                                   workers_t.c.unit_id == repo.unit_of(conn))
                            .order_by(workers_t.c.id)).all()
    return [{"id": r[0], "full_name": r[1], "left": r[2]} for r in rows]


def erase(app: App, ids: list[int]) -> dict[str, int]:
    """Erase workers past retention: deleted when no dossier names them, else anonymised
    (their row kept so filed dossiers stay intact, every personal value cleared). Their
    months of contribution and the claims in no list go either way (a claim list is a
    dossier that names them)."""
    due = {w["id"] for w in retention_due(app)}
    not_due = sorted(set(ids) - due)
    if not_due:
        raise UserError("not_due", value=", ".join(f"#{i}" for i in not_due))
    deleted = anonymised = 0
    with app.db.transaction() as conn:
        for worker_id in ids:
            used = conn.execute(select(declaration_lines.c.id)
                                .where(declaration_lines.c.worker_id == worker_id).limit(1)
                                ).first() or conn.execute(
                select(documents.c.id).where(documents.c.worker_id == worker_id).limit(1)
            ).first() or conn.execute(
                select(claims.c.id).where(claims.c.worker_id == worker_id,
                                          claims.c.declaration_id.is_not(None)).limit(1)
            ).first()
            conn.execute(delete(contribution_stints)
                         .where(contribution_stints.c.worker_id == worker_id))
            conn.execute(delete(claims).where(claims.c.worker_id == worker_id,
                                              claims.c.declaration_id.is_(None)))
            if used:
                w = repo.find_worker(conn, f"#{worker_id}")
                for name in ("bhxh_number", "cccd", "cmnd", "phone", "email", "birth_place",
                             "address", "position", "kcb_code"):
                    setattr(w, name, "")
                w.salary = w.allowances = 0
                w.full_name = f"Đã xoá #{worker_id}"
                w.birth_date = PartialDate(1900)
                repo.update_worker(conn, w)
                conn.execute(update(workers_t).where(workers_t.c.id == worker_id)
                             .values(status=str(WorkerStatus.LEFT)))
                anonymised += 1
            else:
                conn.execute(workers_t.delete().where(workers_t.c.id == worker_id))
                deleted += 1
        repo.log_processing(conn, "erase", workers=len(ids),
                            detail=f"deleted {deleted}, anonymised {anonymised}")
    return {"deleted": deleted, "anonymised": anonymised}


def processing_log(app: App) -> list[dict[str, Any]]:
    with app.db.reading() as conn:
        rows = repo.list_processing(conn)
    for r in rows:
        r["at"] = r["at"].isoformat(timespec="seconds")
    return rows


def export_processing_log(app: App, out: Path) -> int:
    """The log as CSV or JSON (by extension); returns the number of entries."""
    rows = processing_log(app)
    if out.suffix.lower() == ".json":
        data = json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["id", "at", "user", "action", "target",
                                                 "workers", "detail"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        data = buf.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM correctly
    write_atomic(out, data)
    return len(rows)
