"""Workers and declaration lines from the spreadsheets HR already has; templates and
exports back to Excel.

Two steps, so a window can ask the officer about the columns in between:

    analysis = analyse(app, path)              # sheet, header, matched and unmatched columns
    result = import_workers(app, analysis, mapping={3: "cccd"}, report=Path("loi.xlsx"))

The command line does both at once (``import_workers(app, path, mapping=FILE)``). Every row
is checked with the same field checks as a worker typed in by hand; workers already known
(by BHXH number, then CCCD, then CMND) are updated, never added twice; but a row that
disagrees with the stored worker on the person (name, birth date, another identifier) is a
conflict, which changes nothing unless the officer takes the row's version
(``take=[row, …]``, or ``take_rows`` after the import).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from itertools import compress
from operator import attrgetter, ne
from pathlib import Path
from typing import Any, overload

from sqlalchemy import select

from ..domain.messages import say
from ..domain.model import Declaration, Worker
from ..importing import (
    Analysis,
    ColumnNote,
    MappingStore,
    ReadError,
    RowIssue,
    extract,
    load_mapping_file,
    xlsx,
)
from ..importing import analyse as _analyse
from ..importing import apply_mapping as _apply_mapping
from ..importing.columns import IDENTITY, targets_for
from ..importing.convert import clean_text
from ..importing.extract import Extraction, gc_paused
from ..storage import repo
from ..storage.db import cipher_of
from ..storage.schema import workers as workers_table
from .app import App, UserError
from .checks import (
    BLANK_REQUIRED,
    PERSON_FIELDS,
    IdentityConflict,
    WorkerChecker,
    same_value,
    worker_checker,
)
from .declarations import LineRequest

__all__ = [
    "ImportResult",
    "RowReport",
    "analyse",
    "export_declaration",
    "export_workers",
    "import_workers",
    "line_requests",
    "mapping_store",
    "take_rows",
    "write_error_report",
    "write_template",
]

WORKER_ATTRS = tuple(f.name for f in fields(Worker) if f.name not in ("id", "status"))
# The wrong file or sheet named, or a mapping that cannot be used: the command's usage.
_USAGE_ERRORS = {"import_format", "import_not_spreadsheet", "import_no_sheet",
                 "import_bad_mapping"}
TEMPLATES = {"d02": (xlsx.LINE_COLUMNS, "D02-LT"), "workers": (xlsx.WORKER_COLUMNS, "TK1-TS"),
             "tk1": (xlsx.WORKER_COLUMNS, "TK1-TS")}


def _user_error(exc: ReadError) -> UserError:
    return UserError(exc.code, exit_code=2 if exc.code in _USAGE_ERRORS else 1,
                     texts=exc.texts, **exc.params)


def mapping_store(app: App) -> MappingStore:
    """Where mappings are remembered: ``<data folder>/mappings``."""
    return MappingStore(app.data_dir / "mappings")


def analyse(app: App, path: Path | str, *, use: str = "workers",
            sheet: str | None = None) -> Analysis:
    """Open a spreadsheet and find its table: what a mapping dialog shows first.

    A mapping remembered for the same header layout is applied already."""
    try:
        return _analyse(Path(path), app.catalog, use=use, sheet=sheet,
                        remembered=mapping_store(app))
    except ReadError as exc:
        raise _user_error(exc) from None


def _prepare(app: App, source: Path | str | Analysis, use: str, sheet: str | None,
             mapping: Path | str | dict | None) -> tuple[Analysis, bool]:
    analysis = source if isinstance(source, Analysis) else analyse(app, source, use=use,
                                                                   sheet=sheet)
    explicit = mapping is not None
    mapping_file = str(mapping) if isinstance(mapping, Path | str) else None
    try:
        if mapping_file:
            mapping = load_mapping_file(mapping_file)
        if mapping:
            _apply_mapping(analysis, mapping)
    except ReadError as exc:
        if mapping_file:
            exc.params["path"] = mapping_file  # name the file the officer wrote
        raise _user_error(exc) from None
    unmatched = [c.header for c in analysis.unmatched]
    matched = analysis.matched
    if not any(name in matched for name in IDENTITY):
        raise UserError("import_no_identity", columns=", ".join(unmatched) or "-")
    missing = [t for t in analysis.missing if t.name not in IDENTITY]
    if missing and unmatched:
        raise UserError("import_unmatched", columns=", ".join(unmatched),
                        fields=", ".join(t.label_in(app.lang) for t in missing),
                        example=unmatched[0])
    return analysis, explicit


# -- the outcome ---------------------------------------------------------------------------

@dataclass(slots=True)
class ConflictIssue(RowIssue):
    """A row about a stored worker that disagrees with them on the person: both versions
    are in the sentence, worded in the language asked for."""

    conflict: IdentityConflict | None = None

    def text(self, lang: str = "vi") -> str:
        assert self.conflict is not None
        return say(self.code, lang, **self.conflict.params(lang))


@dataclass(slots=True)
class RowReport:
    """What became of one row: imported, imported with a warning, or an error."""

    row: int  # 1-based row in the sheet
    status: str  # imported | warning | error
    issues: Sequence[RowIssue] = ()
    action: str = ""  # added | updated | unchanged | "" (not saved)
    index: int = 0  # 0-based position in the sheet's rows
    conflict: IdentityConflict | None = None  # the stored worker the row disagrees with

    def messages(self, lang: str = "vi") -> list[str]:
        return [i.message(lang) for i in self.issues]

    @property
    def open_conflict(self) -> bool:
        """Whether the row is refused for its conflict alone: what taking it would mend."""
        errors = [i for i in self.issues if i.severity == "error"]
        return bool(errors) and all(i.code == "import_person_conflict" for i in errors)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        out = {"row": self.row, "status": self.status, "action": self.action,
               "issues": [i.to_dict(lang) for i in self.issues]}
        if self.conflict is not None:
            out["conflict"] = self.conflict.to_dict()
        return out


class RowReports(Sequence[RowReport]):
    """Every row's report, in the sheet's order. A row that was simply imported gets its
    report when one is asked for: a file of 50,000 good rows makes none up front."""

    def __init__(self, rows: list[int], noted: dict[int, RowReport]) -> None:
        self._rows = rows  # the sheet's row numbers
        self._made = noted  # position → report: the rows with something noted, at first
        self.action = ""  # of a row imported as it was: "added" once saved

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, k: int) -> RowReport: ...

    @overload
    def __getitem__(self, k: slice) -> list[RowReport]: ...

    def __getitem__(self, k: int | slice) -> RowReport | list[RowReport]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        row = self._rows[k]  # IndexError past the end, as a list
        k %= len(self._rows)
        if k not in self._made:
            self._made[k] = RowReport(row, "imported", action=self.action, index=row - 1)
        return self._made[k]

    def noted(self) -> list[RowReport]:
        """The reports of the rows with a warning or an error, in order."""
        return [rep for _, rep in sorted(self._made.items()) if rep.issues]


@dataclass
class ImportResult:
    """The whole import: a report per row, the counts, and whether anything was saved."""

    file: str
    sheet: str
    rows: RowReports
    notes: list[ColumnNote]
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # blank, total and signature rows
    stored: bool = False
    all_or_nothing: bool = False
    report: Path | None = None
    analysis: Analysis | None = field(default=None, repr=False)
    legacy: dict[int, str] = field(default_factory=dict)  # column → tcvn3 | vni | auto
    taken: list[int] = field(default_factory=list)  # rows whose version replaced the stored

    @property
    def conflicts(self) -> list[RowReport]:
        """The rows refused because they disagree with a stored worker on the person,
        each with its ``conflict`` (both versions)."""
        return [r for r in self.rows.noted() if r.conflict is not None
                and any(i.code == "import_person_conflict" for i in r.issues)]

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows.noted() if r.status == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows.noted() if r.status == "warning")

    @property
    def ok(self) -> bool:
        return self.failed == 0

    @property
    def problems(self) -> list[RowIssue]:
        """Every error of every row (what the command line lists)."""
        return [i for r in self.rows.noted() for i in r.issues if i.severity == "error"]

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self, lang: str = "vi") -> str:
        lines = [say("import_done", lang, rows=self.added + self.updated + self.unchanged,
                     added=self.added, updated=self.updated, unchanged=self.unchanged)]
        if self.failed:
            outcome = (say("import_nothing_saved", lang) if not self.stored else
                       say("import_valid_saved", lang, added=self.added,
                           updated=self.updated))
            lines = [say("import_rows_failed", lang, failed=self.failed, outcome=outcome)]
        conflicts = self.conflicts
        if conflicts:
            lines.append(say("import_conflicts", lang, count=len(conflicts),
                             rows=", ".join(str(r.row) for r in conflicts)))
        if self.taken and self.stored:
            lines.append(say("import_taken", lang, rows=", ".join(map(str, self.taken))))
        if self.report:
            lines.append(say("import_report_written", lang, path=str(self.report)))
        return "\n".join(lines)

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        return {"file": self.file, "sheet": self.sheet, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed,
                "warnings": self.warnings, "skipped": self.skipped, "stored": self.stored,
                "report": str(self.report) if self.report else None,
                "notes": [n.message(lang) for n in self.notes],
                "conflicts": [{"row": r.row, **r.conflict.to_dict()}
                              for r in self.conflicts if r.conflict is not None],
                "taken": self.taken,
                "rows": [r.to_dict(lang) for r in self.rows.noted()]}


# -- importing workers ---------------------------------------------------------------------

def _existing_keys(conn) -> list[tuple[int, str, str, str]]:
    """(id, bhxh hash, CCCD hash, CMND hash) of every stored worker: the keyed-hash index
    read once, so 50,000 rows are matched without 50,000 queries or decrypting anything."""
    t = workers_table
    query = (select(t.c.id, t.c.bhxh_hash, t.c.cccd_hash, t.c.cmnd_hash)
             .where(t.c.unit_id == repo.unit_of(conn)))
    return [tuple(r) for r in conn.execute(query).all()]


class _Matcher:
    """Rows to stored workers, and rows to earlier rows of the same file."""

    KINDS = (("bhxh_number", "bhxh"), ("cccd", "cccd"), ("cmnd", "cmnd"))

    def __init__(self, conn) -> None:
        self.cipher = cipher_of(conn)
        stored = _existing_keys(conn)
        self.empty = not stored
        self.by_hash: list[dict[str, int]] = [{}, {}, {}]
        for wid, *hashes in stored:
            for index, h in zip(self.by_hash, hashes, strict=True):
                if h:
                    index.setdefault(h, wid)

    def duplicates(self, ex: Extraction) -> dict[int, int]:
        """The rows about the same person as an earlier row of the file (by BHXH number,
        CCCD or CMND): position → that earlier row's number."""
        keys = [ex.columns.get(attr) or [""] * len(ex.rows) for attr, _ in self.KINDS]
        if all(_no_repeats(column) for column in keys):
            return {}  # no number twice: the usual file
        seen: list[dict[str, int]] = [{}, {}, {}]
        out: dict[int, int] = {}
        for k, row_keys in enumerate(zip(*keys, strict=True)):
            row_keys = [key if key and key.__class__ is str else "" for key in row_keys]
            earlier = next((s[key] for s, key in zip(seen, row_keys, strict=True)
                            if key in s), None)
            if earlier is not None:
                out[k] = earlier
                continue
            for s, key in zip(seen, row_keys, strict=True):
                if key:
                    s[key] = ex.rows[k]
        return out

    def match_all(self, ex: Extraction, skip: dict[int, int]
                  ) -> dict[int, tuple[int | None, str, tuple[str, dict] | None]]:
        """``match`` of every row not in ``skip`` that finds a stored worker or a
        conflict, by position."""
        names = [attr for attr, _ in self.KINDS if attr in ex.columns]
        out = {}
        for k in range(len(ex.rows)):
            if k not in skip:
                wid, by, conflict = self.match({a: ex.columns[a][k] for a in names})
                if wid is not None or conflict:
                    out[k] = (wid, by, conflict)
        return out

    def match(self, values: dict[str, Any]
              ) -> tuple[int | None, str, tuple[str, dict] | None]:
        """(stored worker id or None, the identifier it was found by, conflict as
        (message code, params) or None). Whether the row is that worker's person is for
        ``_clashes`` to say."""
        if self.empty:
            return None, "", None
        found: list[int | None] = []
        for index, (attr, kind) in zip(self.by_hash, self.KINDS, strict=True):
            key = values.get(attr)
            h = self.cipher.index(kind, key) if isinstance(key, str) and key else ""
            found.append(index.get(h) if h else None)
        ids = [wid for wid in found if wid is not None]
        if not ids:
            return None, "", None
        first = ids[0]
        other = next((wid for wid in ids if wid != first), None)
        if other is not None:
            return None, "", ("import_conflict", {"first": first, "second": other})
        return first, self.KINDS[found.index(first)][0], None


def _no_repeats(numbers: list[str]) -> bool:
    """Whether no number is in the list twice ("" is no number)."""
    distinct = set(numbers)
    distinct.discard("")
    return len(distinct) == len(numbers) - numbers.count("")


def _new_worker(values: dict[str, Any]) -> Worker:
    """A worker from a row's values (Worker attributes): None, "" and 0 are the empty
    cells, for which the Worker's defaults stand; a PartialDate is never false."""
    kwargs = values if all(values.values()) else {k: v for k, v in values.items() if v}
    return Worker(**{**BLANK_REQUIRED, **kwargs})


_ATTR_SET = frozenset(WORKER_ATTRS)


def _merged(existing: Worker, values: dict[str, Any]) -> Worker:
    """The stored worker with the file's non-empty cells over it: an empty cell, or a
    column the file does not have, never erases what is stored."""
    changes = {k: v for k, v in values.items() if v}
    return replace(existing, **changes)


def _column_of(analysis: Analysis):
    matched = analysis.matched
    fallback = {"cccd": ("idcard",), "cmnd": ("idcard",),
                "full_name": ("family_name", "given_name")}

    def column(attr: str | None):
        if attr is None:
            return None
        if attr in matched:
            return matched[attr]
        for other in fallback.get(attr, ()):
            if other in matched:
                return matched[other]
        return None

    return column


def import_workers(app: App, source: Path | str | Analysis, *, sheet: str | None = None,
                   mapping: Path | str | dict | None = None, all_or_nothing: bool = False,
                   report: Path | str | None = None, remember: bool = True,
                   dry_run: bool = False, take: Collection[int] = ()) -> ImportResult:
    """Import workers from a spreadsheet (or an ``analyse`` result).

    ``mapping``: a mapping file, or {column: field} from a dialog (column by index,
    letter, number or header), for the columns that were not recognised; it is remembered
    for files of the same layout when ``remember``. Rows that fail their checks are
    reported, never saved; the others are saved unless ``all_or_nothing``. ``report``:
    where to write the .xlsx error report. ``dry_run``: check everything, save nothing
    (a preview). File-level problems raise UserError; row problems are in the result
    (``result.exit_code`` is 1 when a row failed).

    A row that finds a stored worker but disagrees with them on the person (full name,
    birth date, or an identifier both have) is a conflict: an error showing both
    versions, and that worker is left as stored, unless the row's number (1-based, as
    reported) is in ``take``: then the row's version is stored."""
    with gc_paused():
        return _import(app, source, sheet, mapping, all_or_nothing, report, remember, dry_run,
                       frozenset(take))


def _import(app: App, source: Path | str | Analysis, sheet: str | None,
            mapping: Path | str | dict | None, all_or_nothing: bool,
            report: Path | str | None, remember: bool, dry_run: bool,
            take: frozenset[int]) -> ImportResult:
    analysis, explicit = _prepare(app, source, "workers", sheet, mapping)
    ex = extract(analysis, app.catalog)
    column_of = _column_of(analysis)
    issues = ex.issues  # position → what was noted: the reading first, then the checks
    attrs = [name for name in ex.columns if name in _ATTR_SET]
    with app.db.reading() as conn:
        matcher = _Matcher(conn)
        refused = matcher.duplicates(ex)
        for k, other in refused.items():
            issues.setdefault(k, []).append(RowIssue(ex.rows[k], "import_duplicate_row",
                                                     {"other": other}))
        found = {} if matcher.empty else matcher.match_all(ex, refused)
        for k, (_wid, _by, conflict) in found.items():
            if conflict:
                code, params = conflict
                issues.setdefault(k, []).append(RowIssue(
                    ex.rows[k], code, params, column=column_of("cccd") or column_of("cmnd"),
                    target="cccd"))
                refused[k] = 0
        stored = repo.load_workers(conn, {wid for wid, _by, c in found.values() if not c}) \
            if found else {}
    known = {k: wid for k, (wid, _by, conflict) in found.items() if not conflict}
    new = [k for k in range(len(ex.rows)) if k not in refused and k not in known]
    checker = worker_checker(app.catalog)
    problems = _check_new(checker, ex, attrs, new)
    merged: dict[int, Worker] = {}
    for k, wid in known.items():
        w = merged[k] = _merged(stored[wid], {a: ex.columns[a][k] for a in attrs})
        found_problems = checker.check(w, ex.rows[k])
        if found_problems:
            problems[k] = found_problems
    for k, row_problems in problems.items():
        row_issues = issues.setdefault(k, [])
        converted = {i.target for i in row_issues if i.severity == "error"}
        row_issues += [RowIssue(ex.rows[k], p.code, p.params, "error", column_of(p.field),
                                p.field, p.label)
                       for p in row_problems if p.field not in converted]
        # (a field whose cell could not be read: why was said already)
    clashes = _clashes(ex, known, stored, issues)
    conflicts = {k: IdentityConflict(found[k][1], differ, stored[known[k]], merged[k])
                 for k, differ in clashes.items()}
    for k, conflict in conflicts.items():
        # Taken only when nothing else is wrong with the row: else it stays a conflict.
        taken = ex.rows[k] in take and not any(
            i.severity == "error" for i in issues.get(k, ()))
        issues.setdefault(k, []).append(ConflictIssue(
            ex.rows[k], "import_person_taken" if taken else "import_person_conflict", {},
            "warning" if taken else "error", column_of(conflict.fields[0]),
            conflict.fields[0], conflict=conflict))
    status = {k: "error" if any(i.severity == "error" for i in row_issues) else "warning"
              for k, row_issues in issues.items() if row_issues}
    reports = RowReports(ex.rows, {k: RowReport(ex.rows[k], row_status, issues[k],
                                                index=ex.rows[k] - 1,
                                                conflict=conflicts.get(k))
                                   for k, row_status in status.items()})
    failed = sum(1 for s in status.values() if s == "error")
    result = ImportResult(analysis.path.name, analysis.sheet, reports, ex.notes,
                          skipped=ex.skipped, all_or_nothing=all_or_nothing,
                          analysis=analysis, legacy=ex.legacy,
                          taken=[ex.rows[k] for k in conflicts
                                 if ex.rows[k] in take and status[k] != "error"])
    if not dry_run and not (all_or_nothing and failed):
        ok = [k for k in new if status.get(k) != "error"]
        updates = [(k, w) for k, w in merged.items() if status.get(k) != "error"
                   and w != stored[known[k]]]
        unchanged = [k for k, w in merged.items() if status.get(k) != "error"
                     and w == stored[known[k]]]
        with app.db.transaction() as conn:
            repo.add_workers_bulk(conn, _new_workers(ex, attrs, ok))
            for _k, w in updates:
                repo.update_worker(conn, w)
            result.added, result.updated = len(ok), len(updates)
            result.unchanged = len(unchanged)
            repo.log_processing(conn, "import", analysis.path.name,
                                workers=len(ok) + len(updates),
                                detail=f"added {len(ok)}, updated {len(updates)}, "
                                       f"unchanged {len(unchanged)}, failed {failed}")
        result.stored = True
        reports.action = "added"  # every row imported as it was, and made now
        for k in ok:
            if k in status:
                reports[k].action = "added"
        for k, _w in updates:
            reports[k].action = "updated"
        for k in unchanged:
            reports[k].action = "unchanged"
        if explicit and remember:
            mapping_store(app).put(analysis)
    if report is not None:
        result.report = write_error_report(app, result, Path(report))
    return result


def _clashes(ex: Extraction, known: dict[int, int], stored: dict[int, Worker],
             issues: dict[int, list[RowIssue]]) -> dict[int, tuple[str, ...]]:
    """The rows about a stored worker that disagree with them on the person: position →
    the identity fields that differ. A column at a time: only the cells unlike the stored
    value are looked at closely (a file imported again has none), and a cell that could
    not be read (said already) is not compared."""
    positions = list(known)
    people = [stored[known[k]] for k in positions]
    differ: dict[int, list[str]] = {}
    for attr in PERSON_FIELDS:
        column = ex.columns.get(attr)
        if column is None or not positions:
            continue
        olds = list(map(attrgetter(attr), people))
        news = [column[k] for k in positions]
        for i in compress(range(len(positions)), map(ne, olds, news)):
            if not same_value(attr, olds[i], news[i]):
                differ.setdefault(positions[i], []).append(attr)
    out = {}
    for k, fields_ in differ.items():
        unread = {i.target for i in issues.get(k, ()) if i.severity == "error"}
        kept = tuple(a for a in fields_ if a not in unread)
        if kept:
            out[k] = kept
    return out


def take_rows(app: App, result: ImportResult, rows: Collection[int]) -> list[int]:
    """After an import, store the file's version of the conflict rows the officer chose
    (the window asks once the import has run; the command line says ``take`` up front).
    A row is taken when its conflict is its only error and the stored worker is still as
    the import read it; returns the rows taken."""
    chosen = set(rows)
    wanted = [r for r in result.conflicts if r.row in chosen and r.open_conflict]
    if not result.stored or not wanted:
        return []
    done: list[RowReport] = []
    with app.db.transaction() as conn:
        now = repo.load_workers(conn, [r.conflict.worker_id for r in wanted if r.conflict])
        for r in wanted:
            conflict = r.conflict
            assert conflict is not None
            if now.get(conflict.worker_id) == conflict.before:
                repo.update_worker(conn, conflict.after)
                done.append(r)
        if done:
            repo.log_processing(conn, "import", result.file, workers=len(done),
                                detail=f"the file's version taken for {len(done)} rows")
    for r in done:
        r.issues = [replace(i, code="import_person_taken", severity="warning")
                    if isinstance(i, ConflictIssue) else i for i in r.issues]
        r.status, r.action = "warning", "updated"
    result.updated += len(done)
    result.taken = sorted({*result.taken, *(r.row for r in done)})
    return [r.row for r in done]


def _check_new(checker: WorkerChecker, ex: Extraction, attrs: list[str],
               new: list[int]) -> dict[int, list]:
    """The problems of the rows that make new workers, by position: the whole file's
    columns at once (the usual case), or the rows that are new."""
    if len(new) == len(ex.rows):
        return checker.check_columns({a: ex.columns[a] for a in attrs}, ex.rows)
    columns = {a: [ex.columns[a][k] for k in new] for a in attrs}
    found = checker.check_columns(columns, [ex.rows[k] for k in new])
    return {new[i]: problems for i, problems in found.items()}


def _new_workers(ex: Extraction, attrs: list[str], positions: list[int]) -> list[Worker]:
    columns = [ex.columns[a] for a in attrs]
    return [_new_worker(dict(zip(attrs, (c[k] for c in columns), strict=True)))
            for k in positions]


def write_error_report(app: App, result: ImportResult, out: Path) -> Path:
    """The .xlsx report of an import: the failed rows with their bad cells marked, to fix
    and import again, and every row's result. Logged: it holds personal data."""
    analysis = result.analysis
    assert analysis is not None and analysis.data is not None
    lang = app.lang
    columns = analysis.columns
    width = max((c.index for c in columns), default=-1) + 1
    headers = _report_headers(analysis)
    text_columns = {c.index for c in columns if c.target
                    and analysis.targets[c.target].kind in ("id", "idcard")}
    column_of = _column_of(analysis)
    rows = []
    conflicts: list[xlsx.ConflictLine] = []
    for rep in result.rows:
        source = analysis.data.rows[rep.index] if rep.index < len(analysis.data.rows) else []
        cells = [_report_cell(source[i] if i < len(source) else None, i, text_columns,
                              result.legacy) for i in range(width)]
        marks: dict[int, tuple[str, str]] = {}
        for issue in rep.issues:
            if issue.column is not None:
                previous = marks.get(issue.column.index)
                severity = "error" if issue.severity == "error" or (
                    previous and previous[0] == "error") else "warning"
                text = issue.text(lang) if previous is None else \
                    f"{previous[1]}\n{issue.text(lang)}"
                marks[issue.column.index] = (severity, text)
        if rep.conflict is not None:
            conflicts += _conflict_lines(rep, marks, column_of, lang)
        rows.append(xlsx.ReportRow(rep.row, rep.status, cells, marks, rep.messages(lang)))
    try:
        xlsx.write_report(out, headers, text_columns, rows, lang, conflicts)
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out), detail=exc.strerror) from None
    with app.db.transaction() as conn:
        repo.log_processing(conn, "export", out.name, workers=result.failed,
                            detail=f"import error report of {result.file}")
    return out


def _conflict_lines(rep: RowReport, marks: dict[int, tuple[str, str]], column_of: Any,
                    lang: str) -> list[xlsx.ConflictLine]:
    """A conflict row's both versions for the report's third sheet; each cell that differs
    from the stored worker also gets the stored value in its comment."""
    conflict = rep.conflict
    assert conflict is not None
    issue = next(i for i in rep.issues if isinstance(i, ConflictIssue))
    stored = conflict.stored
    for attr in conflict.fields:
        column = column_of(attr)
        if column is None or column is issue.column:
            continue  # the issue's own cell has the whole sentence already
        note = say("import_report_stored_value", lang, value=stored[attr] or "-")
        previous = marks.get(column.index)
        severity = "error" if issue.severity == "error" or (
            previous and previous[0] == "error") else "warning"
        marks[column.index] = (severity, f"{previous[1]}\n{note}" if previous else note)
    return [xlsx.ConflictLine(rep.row, f"#{conflict.worker_id}", label, old, new,
                              issue.severity if differs else "")
            for label, old, new, differs in conflict.lines(lang)]


def _report_headers(analysis: Analysis) -> list[str]:
    """The source's headers on one line, except where that header alone would not name
    the same field again (a column matched through a mapping, or under a two-line
    header): there the field's own name, so the corrected report imports as it is."""
    from ..importing.columns import HeaderMatcher

    matcher = HeaderMatcher(analysis.targets)
    width = max((c.index for c in analysis.columns), default=-1) + 1
    by_index = {c.index: c for c in analysis.columns}
    out = []
    for i in range(width):
        c = by_index.get(i)
        if c is None:
            out.append("")
        elif c.target and (matcher.match(c.header) or ("",))[0] != c.target:
            out.append(analysis.targets[c.target].label_in("vi"))
        else:
            out.append(c.header)
    return out


def _report_cell(value: Any, index: int, text_columns: set[int],
                 legacy: dict[int, str]) -> Any:
    """A source cell as the report writes it: identifiers as text, legacy-font text in
    Unicode (the officer may not have the old fonts), the rest as it was."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if index in text_columns:
        return "" if value is None else clean_text(value)
    if isinstance(value, str):
        return clean_text(value, legacy.get(index))
    return value


# -- declaration lines ---------------------------------------------------------------------

def line_requests(app: App, source: Path | str | Analysis, *, sheet: str | None = None,
                  mapping: Path | str | dict | None = None,
                  remember: bool = True) -> list[LineRequest]:
    """Declaration lines from a spreadsheet (``ibhxh declare … --from FILE``): one
    ``LineRequest`` per row, the worker named by BHXH number, else CCCD, else CMND.

    Cells that cannot be read raise UserError("invalid_data") listing every one of them;
    whether the workers exist and the lines are right is for ``declarations.declare``."""
    analysis, explicit = _prepare(app, source, "lines", sheet, mapping)
    extraction = extract(analysis, app.catalog)
    column_of = _column_of(analysis)
    problems: list[RowIssue] = []
    requests: list[LineRequest] = []
    # A value still text after reading is one that could not be read.
    unreadable = {"salary": "not_number", "from_month": "bad_month", "to_month": "bad_month",
                  "decision_date": "bad_date", "leave_days": "not_number"}
    for data in extraction.records():
        v = data.values
        row_problems = [i for i in data.issues if i.severity == "error"]
        key = next((v.get(a) for a in ("bhxh_number", "cccd", "cmnd") if v.get(a)), "")
        if not key:
            key_column = next((c for c in map(column_of, ("bhxh_number", "cccd", "cmnd"))
                               if c is not None), None)
            row_problems.append(RowIssue(data.row, "import_no_worker_key",
                                         column=key_column, target="bhxh_number"))
        for attr, code in unreadable.items():
            value = v.get(attr)
            if isinstance(value, str) and value and attr not in {
                    i.target for i in row_problems}:
                row_problems.append(RowIssue(data.row, code, {"value": value}, "error",
                                             column_of(attr), attr,
                                             analysis.targets[attr].label))
        problems += row_problems
        if row_problems:
            continue
        requests.append(LineRequest(
            worker=key, plan=str(v.get("plan") or ""),
            salary=str(v["salary"]) if v.get("salary") else "",
            from_month=str(v["from_month"]) if v.get("from_month") else "",
            to_month=str(v["to_month"]) if v.get("to_month") else "",
            decision_number=str(v.get("decision_number") or ""),
            decision_date=v["decision_date"].strftime("%d/%m/%Y")
            if isinstance(v.get("decision_date"), date) else "",
            leave_days=str(v["leave_days"]) if v.get("leave_days") else "",
            note=str(v.get("note") or "")))
    if problems:
        raise UserError("invalid_data", problems=problems, count=len(problems))
    if not requests:
        raise UserError("no_lines")
    if explicit and remember:
        mapping_store(app).put(analysis)
    return requests


# -- templates and exports -----------------------------------------------------------------

def _all_targets(app: App):
    return {**targets_for(app.catalog, "workers"), **targets_for(app.catalog, "lines")}


def write_template(app: App, kind: str, out: Path | str) -> Path:
    """A fill-in .xlsx template (``ibhxh template d02|workers --out FILE``): the columns
    the importer reads, drop-down lists for the code lists, identifiers as text."""
    if kind.lower() not in TEMPLATES:
        raise UserError("bad_value", exit_code=2, value=kind)
    names, title = TEMPLATES[kind.lower()]
    out = Path(out)
    columns = xlsx.out_columns(_all_targets(app), names)
    try:
        xlsx.write_template(out, columns, app.catalog, app.lang, sheet_title=title)
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out), detail=exc.strerror) from None
    return out


def _code_text(app: App, codelist: str, code: str) -> str:
    if not code:
        return ""
    entries = app.catalog.codelists[codelist]
    return f"{code} - {entries.label(code, app.lang)}" if code in entries else code


def _worker_row(app: App, w: Worker) -> dict[str, Any]:
    genders = app.catalog.codelists["genders"]
    return {
        "full_name": w.full_name, "bhxh_number": w.bhxh_number, "cccd": w.cccd,
        "cmnd": w.cmnd, "birth_date": str(w.birth_date),
        "gender": genders.label(w.gender, app.lang) if w.gender in genders else w.gender,
        "nationality": _code_text(app, "nationalities", w.nationality),
        "ethnicity": _code_text(app, "ethnicities", w.ethnicity), "phone": w.phone,
        "email": w.email, "birth_place": w.birth_place,
        "birth_province": _code_text(app, "provinces_any", w.birth_province),
        "address": w.address,
        "address_province": _code_text(app, "provinces", w.address_province),
        "position": w.position, "salary": w.salary or None,
        "allowances": w.allowances or None, "kcb_code": w.kcb_code,
        "receive_method": _code_text(app, "receive_methods", w.receive_method)}


def export_workers(app: App, out: Path | str, search: str = "") -> int:
    """Every worker (or those ``search`` finds) to .xlsx, in the columns the importer
    reads back; returns how many. Logged in the processing log."""
    from .workers import search as search_workers

    out = Path(out)
    found = search_workers(app, search)
    columns = xlsx.out_columns(_all_targets(app), xlsx.WORKER_COLUMNS)
    try:
        count = xlsx.write_rows(out, columns, (_worker_row(app, w) for w in found),
                                app.lang, sheet_title="NguoiLaoDong")
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out), detail=exc.strerror) from None
    with app.db.transaction() as conn:
        repo.log_processing(conn, "export", out.name, workers=count, detail="workers .xlsx")
    return count


def export_declaration(app: App, decl_id: int, out: Path | str) -> int:
    """A dossier's D02-LT lines to .xlsx (the columns ``line_requests`` reads back);
    returns the number of lines. Logged in the processing log."""
    from .declarations import load
    from .employer import get as get_employer

    out = Path(out)
    decl, workers = load(app, decl_id)
    employer = get_employer(app)
    columns = xlsx.out_columns(_all_targets(app), xlsx.LINE_COLUMNS)
    title = [f"{employer.name} ({employer.unit_code})",
             f"D02-LT · {decl.procedure} · {decl.period} · #{decl.id}"]
    try:
        count = xlsx.write_rows(out, columns, _line_rows(app, decl, workers), app.lang,
                                sheet_title="D02-LT", title=title)
    except OSError as exc:
        raise UserError("file_unwritable", path=str(out), detail=exc.strerror) from None
    with app.db.transaction() as conn:
        repo.log_processing(conn, "export", out.name, workers=len(workers),
                            detail=f"dossier {decl_id} .xlsx")
    return count


def _line_rows(app: App, decl: Declaration, workers: dict[int, Worker]):
    for stt, line in enumerate(decl.lines, start=1):
        w = workers.get(line.worker_id)
        row = _worker_row(app, w) if w else {}
        row.update(stt=stt, position=line.position or row.get("position", ""),
                   salary=line.salary or None, allowances=line.allowances or None,
                   plan=_code_text(app, "plan_codes", line.plan),
                   from_month=str(line.from_month),
                   to_month=str(line.to_month) if line.to_month else "",
                   leave_days=line.leave_days or None, decision_number=line.decision_number,
                   decision_date=line.decision_date, note=line.note)
        yield row
