"""The tables of the local database. Changes go through an Alembic migration as well:
a test compares this file with the database the migrations make."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

employer = Table(
    "employer", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_code", String(10), nullable=False),
    Column("name", String(200), nullable=False),
    Column("tax_code", String(14), nullable=False),
    Column("agency_code", String(5), nullable=False, default=""),
    Column("unit_type", String(10), nullable=False, default=""),
    Column("address", String(300), nullable=False, default=""),
    Column("province", String(2), nullable=False, default=""),
    Column("phone", String(20), nullable=False, default=""),
    Column("email", String(100), nullable=False, default=""),
    Column("licence_number", String(50), nullable=False, default=""),
    Column("licence_date", String(10), nullable=True),
    Column("payment_mode", String(2), nullable=False, default="01"),
    Column("bank_account", String(30), nullable=False, default=""),
    Column("bank_name", String(200), nullable=False, default=""),
    Column("region", String(3), nullable=False, default="I"),
    Column("signer_name", String(100), nullable=False, default=""),
    Column("contact_name", String(100), nullable=False, default=""),
    Column("reduced_accident_rate", Boolean, nullable=False, default=False),
    Column("registered", Boolean, nullable=False, default=True),
)

workers = Table(
    "workers", metadata,
    Column("id", Integer, primary_key=True),
    Column("full_name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False),  # diacritics folded, for search
    Column("gender", String(1), nullable=False),
    Column("birth_date", String(10), nullable=False),  # YYYY, YYYY-MM or YYYY-MM-DD
    Column("bhxh_number", String(10), nullable=False, default=""),
    Column("cccd", String(12), nullable=False, default=""),
    Column("cmnd", String(9), nullable=False, default=""),
    Column("nationality", String(2), nullable=False, default="VN"),
    Column("ethnicity", String(2), nullable=False, default="01"),
    Column("phone", String(20), nullable=False, default=""),
    Column("email", String(100), nullable=False, default=""),
    Column("birth_place", String(200), nullable=False, default=""),
    Column("birth_province", String(2), nullable=False, default=""),
    Column("address", String(300), nullable=False, default=""),
    Column("address_province", String(2), nullable=False, default=""),
    Column("position", String(100), nullable=False, default=""),
    Column("salary", Integer, nullable=False, default=0),
    Column("allowances", Integer, nullable=False, default=0),
    Column("kcb_code", String(5), nullable=False, default=""),
    Column("receive_method", String(1), nullable=False, default="1"),
    Column("status", String(10), nullable=False, default="new"),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_workers_bhxh", "bhxh_number"),
    Index("ix_workers_cccd", "cccd"),
    Index("ix_workers_name_key", "name_key"),
)

declarations = Table(
    "declarations", metadata,
    Column("id", Integer, primary_key=True),
    Column("procedure", String(10), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM, sorts by time
    Column("first_registration", Boolean, nullable=False, default=False),
    Column("state", String(12), nullable=False, default="draft"),
    Column("created", String(10), nullable=False),  # the form date (NgayLap)
    Column("updated_at", DateTime, nullable=False),
    Index("ix_declarations_period", "period"),
)

declaration_lines = Table(
    "declaration_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           nullable=False),
    Column("seq", Integer, nullable=False),
    Column("worker_id", Integer, ForeignKey("workers.id"), nullable=False),
    Column("plan", String(4), nullable=False),
    Column("from_month", String(7), nullable=False),
    Column("to_month", String(7), nullable=True),
    Column("salary", Integer, nullable=False, default=0),
    Column("position", String(100), nullable=False, default=""),
    Column("coefficient", String(12), nullable=True),
    Column("position_coef", String(12), nullable=True),
    Column("overframe_pct", String(12), nullable=True),
    Column("seniority_pct", String(12), nullable=True),
    Column("allowances", Integer, nullable=False, default=0),
    Column("leave_days", Integer, nullable=False, default=0),
    Column("decision_number", String(50), nullable=False, default=""),
    Column("decision_date", String(10), nullable=True),
    Column("has_book", Boolean, nullable=False, default=False),
    Column("note", String(500), nullable=False, default=""),
    Index("ix_lines_declaration", "declaration_id", "seq"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           nullable=False),
    Column("seq", Integer, nullable=False),
    Column("worker_id", Integer, ForeignKey("workers.id"), nullable=True),
    Column("doc_type", String(10), nullable=False),
    Column("number", String(50), nullable=False, default=""),
    Column("issue_date", String(10), nullable=True),
    Column("effective_date", String(10), nullable=True),
    Column("issuer", String(200), nullable=False, default=""),
    Column("summary", String(500), nullable=False, default=""),
    Column("content", String(1000), nullable=False, default=""),
    Index("ix_documents_declaration", "declaration_id", "seq"),
)

artifacts = Table(
    "artifacts", metadata,
    Column("id", Integer, primary_key=True),
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           nullable=False),
    Column("kind", String(20), nullable=False),  # envelope, signed, receipt, result, pdf
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Index("ix_artifacts_declaration", "declaration_id", "kind"),
)

history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True),
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           nullable=False),
    Column("at", DateTime, nullable=False),
    Column("user", String(100), nullable=False),
    Column("from_state", String(12), nullable=True),
    Column("to_state", String(12), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_history_declaration", "declaration_id"),
)
