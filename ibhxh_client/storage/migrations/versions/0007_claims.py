"""Benefit claims (issue 15): the sickness, maternity and convalescence claims the unit
files (lists 630a, 630b, 630c), and the months of contribution HR imports from its own
records. Two new tables; nothing stored before is changed.

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _sealed(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.LargeBinary, nullable=nullable)  # sealed (storage.crypto)


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("from_date", sa.String(10), nullable=False),
        sa.Column("to_date", sa.String(10), nullable=False),
        sa.Column("days", sa.Integer, nullable=True),
        sa.Column("rest_days", sa.String(7), nullable=False, default=""),
        sa.Column("heavy_work", sa.Boolean, nullable=False, default=False),
        _sealed("long_term_code"),
        sa.Column("surgery", sa.Boolean, nullable=False, default=False),
        sa.Column("pregnancy_weeks", sa.Integer, nullable=True),
        _sealed("child_birth_date"),
        sa.Column("child_count", sa.Integer, nullable=False, default=0),
        _sealed("child_id"),
        sa.Column("prenatal_rest", sa.Boolean, nullable=False, default=False),
        sa.Column("infertility", sa.Boolean, nullable=False, default=False),
        sa.Column("second_child", sa.Boolean, nullable=False, default=False),
        _sealed("certificate"),
        sa.Column("payment", sa.String(2), nullable=False, default=""),
        _sealed("bank_account"),
        sa.Column("bank_code", sa.String(20), nullable=False, default=""),
        _sealed("note"),
        sa.Column("period", sa.String(7), nullable=False, default=""),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="SET NULL"), nullable=True),
        sa.Column("seq", sa.Integer, nullable=True),
        sa.Column("expected_days", sa.Integer, nullable=True),
        _sealed("expected_amount"),
        _sealed("salary_base"),
        sa.Column("months", sa.Integer, nullable=True),
        _sealed("rule"),
        _sealed("rule_en"),
        sa.Column("approved_days", sa.Integer, nullable=True),
        _sealed("approved_amount"),
        _sealed("approved_note"),
        sa.Column("outcome", sa.String(10), nullable=False, default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_claims_worker", "claims", ["worker_id"])
    op.create_index("ix_claims_declaration", "claims", ["declaration_id", "seq"])
    op.create_index("ix_claims_from_date", "claims", ["from_date"])
    op.create_table(
        "contribution_stints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("from_month", sa.String(7), nullable=False),
        sa.Column("to_month", sa.String(7), nullable=True),
        _sealed("salary", nullable=False),
        sa.Column("source", sa.String(10), nullable=False, default="import"),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_contribution_stints_worker", "contribution_stints",
                    ["worker_id", "from_month"])


def downgrade() -> None:
    op.drop_table("contribution_stints")
    op.drop_table("claims")
