"""Several units in one database, and several officers at once (issue 17).

- Each unit's own data carries its unit (``unit_id``, the ``employer`` row's id): workers,
  dossiers, claims, the gateway account, registrations, remote signing accounts and the
  processing log. What was in a single-unit database belongs to its one unit (id 1), so
  nothing is lost and nothing moves; a database with data but no profile yet keeps it
  under id 1 as well, ready for the profile that is entered next.
- A unit code is unique in a database; a remote signing account is unique per unit and
  provider (it was per provider).
- A dossier has a ``version`` and who changed it last (``updated_by``): a save made from an
  older version is refused instead of overwriting another officer's change.
- An outbox entry records which machine took it to send (``claimed_by``, ``claimed_at``),
  so that several machines syncing at once send each dossier once.
- ``officers``: who works on the database, their roles (preparer, signer), and each one's
  copy of the data key, wrapped for that officer's own key (storage.officer_keys).

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# table -> nullable: the tables whose rows belong to one unit
UNIT_TABLES = {"workers": False, "declarations": False, "claims": False,
               "gateway_settings": False, "registrations": False, "remote_accounts": False,
               "processing_log": True}


def _add_unit_column(table: str, nullable: bool) -> None:
    # Existing rows are the one unit's (id 1); new rows must name theirs: the default
    # exists only while the column is added.
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("unit_id", sa.Integer, nullable=nullable,
                                   server_default=None if nullable else "1"))
    if nullable:
        op.execute(sa.text(f"UPDATE {table} SET unit_id = 1"))
    else:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("unit_id", existing_type=sa.Integer, server_default=None,
                               existing_nullable=False)
    op.create_index(f"ix_{table}_unit", table, ["unit_id"],
                    unique=table == "gateway_settings")  # one gateway account per unit


def upgrade() -> None:
    for table, nullable in UNIT_TABLES.items():
        _add_unit_column(table, nullable)
    op.create_index("ix_employer_unit_code", "employer", ["unit_code"], unique=True)
    op.drop_index("ix_remote_accounts_provider", table_name="remote_accounts")
    op.create_index("ix_remote_accounts_provider", "remote_accounts",
                    ["unit_id", "provider"], unique=True)

    with op.batch_alter_table("declarations") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.add_column(sa.Column("updated_by", sa.String(100), nullable=False,
                                   server_default=""))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("claimed_at", sa.DateTime, nullable=True))

    op.create_table(
        "officers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("login", sa.String(100), nullable=False),
        sa.Column("name", sa.String(100), nullable=False, server_default=""),
        sa.Column("roles", sa.String(40), nullable=False, server_default=""),
        sa.Column("status", sa.String(10), nullable=False),  # requested | active | removed
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary, nullable=True),
        sa.Column("key_check", sa.String(64), nullable=True),
        sa.Column("added_by", sa.String(100), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_officers_login", "officers", ["login"], unique=True)


def downgrade() -> None:
    op.drop_table("officers")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
    with op.batch_alter_table("declarations") as batch:
        batch.drop_column("updated_by")
        batch.drop_column("version")
    op.drop_index("ix_remote_accounts_provider", table_name="remote_accounts")
    op.drop_index("ix_employer_unit_code", table_name="employer")
    for table in UNIT_TABLES:
        op.drop_index(f"ix_{table}_unit", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("unit_id")
    op.create_index("ix_remote_accounts_provider", "remote_accounts", ["provider"],
                    unique=True)
