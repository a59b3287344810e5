"""Sending to the gateway: the gateway settings and the outbox of dossiers waiting to be
sent or followed.

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(300), nullable=False),
        sa.Column("unit_code", sa.String(10), nullable=False),
        sa.Column("login", sa.String(12), nullable=False),
        sa.Column("ca_pem", sa.Text, nullable=True),
        sa.Column("ca_path", sa.String(500), nullable=False, default=""),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("gateway_url", sa.String(300), nullable=False),
        sa.Column("unit_code", sa.String(10), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("next_try_at", sa.DateTime, nullable=True),
        sa.Column("last_error", sa.String(40), nullable=True),
        sa.Column("dossier_number", sa.String(20), nullable=True),
        sa.Column("envelope_sha256", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_outbox_idempotency_key", "outbox", ["idempotency_key"], unique=True)
    op.create_index("ix_outbox_status", "outbox", ["status", "next_try_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("gateway_settings")
