"""The procedure catalogue checked (issue 14): increases, decreases and adjustments are
all filed under 600, each line with its plan code; 600a and 600b were this program's own
codes, which Social Security does not have (docs/exchange-format.md §12). And the values
the new procedures keep: what changes or why, on a line (607, 608 …) or on the dossier
(604), and the type of the document behind a line.

A 600a or 600b dossier that never reached the gateway becomes a 600 dossier, its lines
and plan codes unchanged, with a history row that says so:

- a draft, validated or printed one: its stored envelope (which says 600a) is dropped and
  made again from its lines when next needed, as after migration 0004;
- a signed one goes back to validated: what it signed says 600a, so its signed envelope
  is dropped (and its place in the outbox, not yet sent) and it must be signed again;
- printed after it was signed: it stays printed (the paper was filed) and loses its
  signed envelope the same way: signing it again files it electronically under 600.

One that reached the gateway (sent, accepted or rejected; a receipt, or an outbox entry
being sent or with a dossier number) keeps every byte *and* its code: the row says what
was sent, as the receipt and the agency's answer do; the catalogue still names the old
code ([[retired]] in forms/procedures.toml) so it lists and prints as it was.

Revision ID: 0006
"""

import getpass
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

RETIRED = ("600a", "600b")
FILED_UNDER = "600"
REACHED = ("sent", "accepted", "rejected")  # states a dossier has once the gateway has it
OUTBOX_REACHED = ("sending", "polling", "done")

# The history rows, in the words of the rest of the history (Vietnamese); fixed here as
# this migration wrote them.
MOVED = ("Mã thủ tục {old} không phải mã của BHXH Việt Nam: hồ sơ nay thuộc thủ tục 600, "
         "các dòng giữ nguyên phương án.")
RESIGN = " Bản đã ký ghi mã {old} nên đã bỏ: cần ký lại trước khi gửi."


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name on some service accounts
        return "?"


def _reached(conn: sa.Connection, decl_id: int, state: str) -> bool:
    if state in REACHED:
        return True
    receipts = conn.execute(sa.text(
        "SELECT COUNT(*) FROM artifacts WHERE declaration_id = :id AND kind = 'receipt'"),
        {"id": decl_id}).scalar_one()
    if receipts:
        return True
    row = conn.execute(sa.text("SELECT status, dossier_number FROM outbox "
                               "WHERE declaration_id = :id"), {"id": decl_id}).first()
    return row is not None and (row[0] in OUTBOX_REACHED or bool(row[1]))


def _move(conn: sa.Connection, decl_id: int, old: str, state: str, now: str) -> None:
    signed = conn.execute(sa.text(
        "SELECT COUNT(*) FROM artifacts WHERE declaration_id = :id AND kind = 'signed'"),
        {"id": decl_id}).scalar_one()
    new_state = "validated" if state == "signed" else state
    detail = MOVED.format(old=old) + (RESIGN.format(old=old) if signed else "")
    conn.execute(sa.text("DELETE FROM artifacts WHERE declaration_id = :id "
                         "AND kind IN ('envelope', 'signed')"), {"id": decl_id})
    conn.execute(sa.text("DELETE FROM outbox WHERE declaration_id = :id"), {"id": decl_id})
    conn.execute(sa.text("UPDATE declarations SET procedure = :new, state = :state, "
                         "updated_at = :now WHERE id = :id"),
                 {"new": FILED_UNDER, "state": new_state, "now": now, "id": decl_id})
    conn.execute(sa.text('INSERT INTO history (declaration_id, at, "user", from_state, '
                         "to_state, detail) VALUES (:id, :now, :user, :from_, :to, :detail)"),
                 {"id": decl_id, "now": now, "user": _user(), "from_": state, "to": new_state,
                  "detail": detail})


def upgrade() -> None:
    op.add_column("declarations", sa.Column("change", sa.LargeBinary, nullable=True))
    op.add_column("declaration_lines", sa.Column("change", sa.LargeBinary, nullable=True))
    op.add_column("declaration_lines", sa.Column("doc_type", sa.String(10), nullable=False,
                                                 server_default=""))
    conn = op.get_bind()
    # as SQLAlchemy's DateTime writes a time in SQLite
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = conn.execute(sa.text(
        "SELECT id, procedure, state FROM declarations WHERE procedure IN :codes "
        "ORDER BY id").bindparams(sa.bindparam("codes", expanding=True)),
        {"codes": list(RETIRED)}).all()
    for decl_id, old, state in rows:
        if not _reached(conn, decl_id, state):
            _move(conn, decl_id, old, state, now)


def downgrade() -> None:
    # The dossiers moved to 600 stay there: which were 600a or 600b is in their history.
    with op.batch_alter_table("declaration_lines") as batch:
        batch.drop_column("doc_type")
        batch.drop_column("change")
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("change")
