"""The first schema: employer, workers, declarations and their lines, documents, artifacts,
history.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _s(name: str, length: int, default: str = "") -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False, default=default)


def upgrade() -> None:
    op.create_table(
        "employer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tax_code", sa.String(14), nullable=False),
        _s("agency_code", 5), _s("unit_type", 10), _s("address", 300), _s("province", 2),
        _s("phone", 20), _s("email", 100), _s("licence_number", 50),
        sa.Column("licence_date", sa.String(10), nullable=True),
        _s("payment_mode", 2, "01"), _s("bank_account", 30), _s("bank_name", 200),
        _s("region", 3, "I"), _s("signer_name", 100), _s("contact_name", 100),
        sa.Column("reduced_accident_rate", sa.Boolean, nullable=False, default=False),
        sa.Column("registered", sa.Boolean, nullable=False, default=True),
    )
    op.create_table(
        "workers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("full_name", sa.String(100), nullable=False),
        sa.Column("name_key", sa.String(100), nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("birth_date", sa.String(10), nullable=False),
        _s("bhxh_number", 10), _s("cccd", 12), _s("cmnd", 9), _s("nationality", 2, "VN"),
        _s("ethnicity", 2, "01"), _s("phone", 20), _s("email", 100), _s("birth_place", 200),
        _s("birth_province", 2), _s("address", 300), _s("address_province", 2),
        _s("position", 100),
        sa.Column("salary", sa.Integer, nullable=False, default=0),
        sa.Column("allowances", sa.Integer, nullable=False, default=0),
        _s("kcb_code", 5), _s("receive_method", 1, "1"), _s("status", 10, "new"),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_workers_bhxh", "workers", ["bhxh_number"])
    op.create_index("ix_workers_cccd", "workers", ["cccd"])
    op.create_index("ix_workers_name_key", "workers", ["name_key"])
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("procedure", sa.String(10), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("first_registration", sa.Boolean, nullable=False, default=False),
        _s("state", 12, "draft"),
        sa.Column("created", sa.String(10), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_declarations_period", "declarations", ["period"])
    op.create_table(
        "declaration_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id"), nullable=False),
        sa.Column("plan", sa.String(4), nullable=False),
        sa.Column("from_month", sa.String(7), nullable=False),
        sa.Column("to_month", sa.String(7), nullable=True),
        sa.Column("salary", sa.Integer, nullable=False, default=0),
        _s("position", 100),
        sa.Column("coefficient", sa.String(12), nullable=True),
        sa.Column("position_coef", sa.String(12), nullable=True),
        sa.Column("overframe_pct", sa.String(12), nullable=True),
        sa.Column("seniority_pct", sa.String(12), nullable=True),
        sa.Column("allowances", sa.Integer, nullable=False, default=0),
        sa.Column("leave_days", sa.Integer, nullable=False, default=0),
        _s("decision_number", 50),
        sa.Column("decision_date", sa.String(10), nullable=True),
        sa.Column("has_book", sa.Boolean, nullable=False, default=False),
        _s("note", 500),
    )
    op.create_index("ix_lines_declaration", "declaration_lines", ["declaration_id", "seq"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("worker_id", sa.Integer, sa.ForeignKey("workers.id"), nullable=True),
        sa.Column("doc_type", sa.String(10), nullable=False),
        _s("number", 50),
        sa.Column("issue_date", sa.String(10), nullable=True),
        sa.Column("effective_date", sa.String(10), nullable=True),
        _s("issuer", 200), _s("summary", 500), _s("content", 1000),
    )
    op.create_index("ix_documents_declaration", "documents", ["declaration_id", "seq"])
    op.create_table(
        "artifacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_artifacts_declaration", "artifacts", ["declaration_id", "kind"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("declaration_id", sa.Integer,
                  sa.ForeignKey("declarations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("from_state", sa.String(12), nullable=True),
        sa.Column("to_state", sa.String(12), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, default=""),
    )
    op.create_index("ix_history_declaration", "history", ["declaration_id"])


def downgrade() -> None:
    for table in ("history", "artifacts", "documents", "declaration_lines", "declarations",
                  "workers", "employer"):
        op.drop_table(table)
