"""Registering for electronic filing (issue 14): the registration files the unit made
(04_DK-IVAN, 05_SD-IVAN, 06_NG-IVAN) and the gateway's answers.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("form", sa.String(20), nullable=False),
        sa.Column("gateway_url", sa.String(300), nullable=False),
        sa.Column("ca_pem", sa.Text, nullable=True),
        sa.Column("ca_path", sa.String(500), nullable=False, default=""),
        sa.Column("unit_code", sa.String(10), nullable=False),
        sa.Column("tax_code", sa.String(14), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("signed_by", sa.String(300), nullable=False, default=""),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),  # sealed (storage.crypto)
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("last_error", sa.String(40), nullable=True),
        sa.Column("reference", sa.String(40), nullable=True),
        sa.Column("answer", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_registrations_idempotency_key", "registrations",
                    ["idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_table("registrations")
