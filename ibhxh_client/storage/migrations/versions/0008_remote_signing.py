"""Remote signing (issue 16): the unit's accounts at remote signing services, and the
signing requests sent to them, kept so that a request waiting for the director's approval
survives a restart and is polled again, never sent twice. Two new tables; nothing stored
before is changed.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remote_accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("base_url", sa.String(300), nullable=False),
        sa.Column("user_id", sa.LargeBinary, nullable=False),  # sealed (storage.crypto)
        sa.Column("serial", sa.String(80), nullable=False),
        sa.Column("sp_id", sa.String(100), nullable=False),
        sa.Column("ca_pem", sa.Text, nullable=True),
        sa.Column("ca_path", sa.String(500), nullable=False, default=""),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_remote_accounts_provider", "remote_accounts", ["provider"],
                    unique=True)
    op.create_table(
        "remote_signatures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("serial", sa.String(80), nullable=False),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("state", sa.LargeBinary, nullable=False),  # sealed (storage.crypto)
        sa.Column("doc_ids", sa.Text, nullable=False),
        sa.Column("sent_at", sa.DateTime, nullable=True),
        sa.Column("deadline", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("last_error", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_remote_signatures_transaction_id", "remote_signatures",
                    ["transaction_id"], unique=True)
    op.create_index("ix_remote_signatures_declaration", "remote_signatures",
                    ["declaration_id", "status"])


def downgrade() -> None:
    op.drop_table("remote_signatures")
    op.drop_table("remote_accounts")
