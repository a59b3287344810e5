"""Encrypt the workers' personal data at rest; keyed-hash index for ID numbers; the
processing log; the meta table that names the database and checks its key.

The program passes the new key's cipher and the database id in the Alembic config
(``attributes["cipher"]``, ``["db_id"]``): plaintext values written before this revision
are sealed in place, in the same transaction.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# table → (primary key, {column: was an integer before})
SEALED = {
    "workers": ("id", {"birth_date": False, "bhxh_number": False, "cccd": False,
                       "cmnd": False, "phone": False, "email": False, "birth_place": False,
                       "address": False, "salary": True, "allowances": True}),
    "declaration_lines": ("id", {"salary": True, "allowances": True, "coefficient": False,
                                 "position_coef": False, "overframe_pct": False,
                                 "seniority_pct": False}),
    "employer": ("id", {"bank_account": False}),
    "artifacts": ("id", {"content": False}),
}
HASHES = {"bhxh_hash": ("bhxh_number", "bhxh"), "cccd_hash": ("cccd", "cccd"),
          "cmnd_hash": ("cmnd", "cmnd")}


def upgrade() -> None:
    attrs = op.get_context().config.attributes
    cipher, db_id = attrs["cipher"], attrs["db_id"]
    conn = op.get_bind()

    op.create_table("meta", sa.Column("key", sa.String(50), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "processing_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, default=""),
        sa.Column("workers", sa.Integer, nullable=False, default=0),
        sa.Column("detail", sa.Text, nullable=False, default=""),
    )
    op.create_index("ix_processing_log_at", "processing_log", ["at"])

    # Read every plaintext value before the tables change shape.
    plain: dict[str, list[dict]] = {}
    for table, (pk, columns) in SEALED.items():
        cols = ", ".join([pk, *columns])
        plain[table] = [dict(r) for r in conn.execute(sa.text(f"SELECT {cols} FROM {table}"))
                        .mappings()]

    with op.batch_alter_table("workers") as batch:
        batch.drop_index("ix_workers_bhxh")
        batch.drop_index("ix_workers_cccd")
        for name in HASHES:
            batch.add_column(sa.Column(name, sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("left_period", sa.String(7), nullable=True))
    for table, (_pk, columns) in SEALED.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                if table == "artifacts":
                    continue  # already binary
                # PostgreSQL changes a column's type in place and needs the conversion;
                # SQLite's batch mode copies the table and ignores it.
                batch.alter_column(column, type_=sa.LargeBinary,
                                   postgresql_using=f"convert_to({column}::text, 'UTF8')")

    for table, (pk, columns) in SEALED.items():
        for row in plain[table]:
            values = {}
            for column in columns:
                value = row[column]
                if value is None:
                    values[column] = None
                    continue
                data = value if isinstance(value, bytes) else str(value).encode("utf-8")
                values[column] = cipher.seal(data, f"{table}.{column}")
            if table == "workers":
                for hash_col, (source, kind) in HASHES.items():
                    values[hash_col] = cipher.index(kind, row[source] or "")
            sets = ", ".join(f"{c} = :{c}" for c in values)
            conn.execute(sa.text(f"UPDATE {table} SET {sets} WHERE {pk} = :_pk"),
                         {**values, "_pk": row[pk]})

    for name in HASHES:
        op.create_index(f"ix_workers_{name}", "workers", [name])
    conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('db_id', :v)"), {"v": db_id})
    conn.execute(sa.text("INSERT INTO meta (key, value) VALUES ('key_check', :v)"),
                 {"v": cipher.check_value})


def downgrade() -> None:
    # Refused on purpose: going back would write the personal data into the file in clear.
    raise RuntimeError("downgrade below 0002 is refused; restore a backup instead")
