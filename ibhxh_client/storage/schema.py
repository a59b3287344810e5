"""The tables of the local database. Changes go through an Alembic migration as well:
a test compares this file with the database the migrations make.

Personal data (ID and insurance numbers, birth date, address, phone, e-mail, salary and
allowances, bank account, and every dossier file) is stored through ``Encrypted``
columns; ID numbers are found through their keyed hashes (``HASHED``).
"""

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

from .crypto import Encrypted


def _enc(table: str, column: str, python_type: str = "str", **kw) -> Column:
    return Column(column, Encrypted(f"{table}.{column}", python_type), **kw)


metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

# The units of the database (migration 0009: several): each row is one employer, and its
# id is the ``unit_id`` of every row that belongs to it (storage.repo keeps them apart).
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
    _enc("employer", "bank_account", nullable=False, default=""),
    Column("bank_name", String(200), nullable=False, default=""),
    Column("region", String(3), nullable=False, default="I"),
    Column("signer_name", String(100), nullable=False, default=""),
    Column("contact_name", String(100), nullable=False, default=""),
    Column("reduced_accident_rate", Boolean, nullable=False, default=False),
    Column("registered", Boolean, nullable=False, default=True),
    Index("ix_employer_unit_code", "unit_code", unique=True),
)

workers = Table(
    "workers", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("full_name", String(100), nullable=False),
    Column("name_key", String(100), nullable=False),  # diacritics folded, for search
    Column("gender", String(1), nullable=False),
    _enc("workers", "birth_date", nullable=False),  # YYYY, YYYY-MM or YYYY-MM-DD
    _enc("workers", "bhxh_number", nullable=False, default=""),
    _enc("workers", "cccd", nullable=False, default=""),
    _enc("workers", "cmnd", nullable=False, default=""),
    Column("nationality", String(2), nullable=False, default="VN"),
    Column("ethnicity", String(2), nullable=False, default="01"),
    _enc("workers", "phone", nullable=False, default=""),
    _enc("workers", "email", nullable=False, default=""),
    _enc("workers", "birth_place", nullable=False, default=""),
    Column("birth_province", String(2), nullable=False, default=""),
    _enc("workers", "address", nullable=False, default=""),
    Column("address_province", String(2), nullable=False, default=""),
    Column("position", String(100), nullable=False, default=""),
    _enc("workers", "salary", "int", nullable=False, default=0),
    _enc("workers", "allowances", "int", nullable=False, default=0),
    Column("kcb_code", String(5), nullable=False, default=""),
    Column("receive_method", String(1), nullable=False, default="1"),
    Column("status", String(10), nullable=False, default="new"),
    Column("updated_at", DateTime, nullable=False),
    Column("bhxh_hash", String(32), nullable=False, default=""),
    Column("cccd_hash", String(32), nullable=False, default=""),
    Column("cmnd_hash", String(32), nullable=False, default=""),
    Column("left_period", String(7), nullable=True),  # YYYY-MM of a permanent decrease
    Index("ix_workers_name_key", "name_key"),
    Index("ix_workers_bhxh_hash", "bhxh_hash"),
    Index("ix_workers_cccd_hash", "cccd_hash"),
    Index("ix_workers_cmnd_hash", "cmnd_hash"),
    Index("ix_workers_unit", "unit_id"),
)

# hash column → (the encrypted column it indexes, the identifier kind)
HASHED = {"bhxh_hash": ("bhxh_number", "bhxh"), "cccd_hash": ("cccd", "cccd"),
          "cmnd_hash": ("cmnd", "cmnd")}

declarations = Table(
    "declarations", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("procedure", String(10), nullable=False),
    Column("period", String(7), nullable=False),  # YYYY-MM, sorts by time
    Column("first_registration", Boolean, nullable=False, default=False),
    Column("state", String(12), nullable=False, default="draft"),
    Column("created", String(10), nullable=False),  # the form date (NgayLap)
    Column("updated_at", DateTime, nullable=False),
    _enc("declarations", "change", nullable=True),  # 604: what changes (migration 0006)
    # Each save adds one; a save made from an older version is refused (migration 0009).
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_by", String(100), nullable=False, server_default=""),
    Index("ix_declarations_period", "period"),
    Index("ix_declarations_unit", "unit_id"),
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
    _enc("declaration_lines", "salary", "int", nullable=False, default=0),
    Column("position", String(100), nullable=False, default=""),
    _enc("declaration_lines", "coefficient", nullable=True),
    _enc("declaration_lines", "position_coef", nullable=True),
    _enc("declaration_lines", "overframe_pct", nullable=True),
    _enc("declaration_lines", "seniority_pct", nullable=True),
    _enc("declaration_lines", "allowances", "int", nullable=False, default=0),
    Column("leave_days", Integer, nullable=False, default=0),
    Column("decision_number", String(50), nullable=False, default=""),
    Column("decision_date", String(10), nullable=True),
    Column("has_book", Boolean, nullable=False, default=False),
    Column("note", String(500), nullable=False, default=""),
    # 607, 608 …: what changes or why (personal data: sealed; NULL when empty) and the type
    # of the document behind it (migration 0006)
    _enc("declaration_lines", "change", nullable=True),
    Column("doc_type", String(10), nullable=False, default=""),
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
    _enc("artifacts", "content", "bytes", nullable=False),
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

processing_log = Table(
    "processing_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=True),  # NULL: the database as a whole
    Column("at", DateTime, nullable=False),
    Column("user", String(100), nullable=False),
    Column("action", String(30), nullable=False),  # export, print, backup, import, erase …
    Column("target", String(200), nullable=False, default=""),  # a dossier id, a file name
    Column("workers", Integer, nullable=False, default=0),  # how many workers it concerned
    Column("detail", Text, nullable=False, default=""),  # never a personal value
    Index("ix_processing_log_at", "at"),
    Index("ix_processing_log_unit", "unit_id"),
)


def encrypted_columns() -> list[tuple[Table, Column]]:
    """Every sealed column of every table: what a key rotation re-encrypts."""
    return [(t, c) for t in metadata.sorted_tables for c in t.columns
            if isinstance(c.type, Encrypted)]


# -- sending to the gateway (migration 0003) ---------------------------------------------

# The gateway this data folder sends to: one row. The trial password is in the OS keyring
# (service "ibhxh-client", user "gateway:{url}:{unit}"), never here.
gateway_settings = Table(
    "gateway_settings", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("url", String(300), nullable=False),
    Column("unit_code", String(10), nullable=False),
    Column("login", String(12), nullable=False),  # password | certificate
    Column("ca_pem", Text, nullable=True),  # the CA certificates configured (public data)
    Column("ca_path", String(500), nullable=False, default=""),  # where they were read from
    Column("updated_at", DateTime, nullable=False),
    Index("ix_gateway_settings_unit", "unit_id", unique=True),
)

# Dossiers waiting to be sent or followed: survives a restart. No personal data: ids,
# codes, hashes and the dossier number only.
outbox = Table(
    "outbox", metadata,
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("gateway_url", String(300), nullable=False),
    Column("unit_code", String(10), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # queued, sending, polling, done, refused
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_try_at", DateTime, nullable=True),
    Column("last_error", String(40), nullable=True),  # an error code, never a message
    Column("dossier_number", String(20), nullable=True),
    Column("envelope_sha256", String(64), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # which machine took it to send, and when (a claim older than the lease is taken over)
    Column("claimed_by", String(100), nullable=True),
    Column("claimed_at", DateTime, nullable=True),
    Index("ix_outbox_idempotency_key", "idempotency_key", unique=True),
    Index("ix_outbox_status", "status", "next_try_at"),
)


# -- registering for electronic filing (migration 0005) ------------------------------------

# Each registration file the unit made (04_DK-IVAN register, 05_SD-IVAN change, 06_NG-IVAN
# stop), as signed and sent, and what the gateway answered: the unit's registration state
# is the last one answered. A file not answered yet (the network was down) stays "ready"
# and is sent again with the same idempotency key, so the gateway answers it once. A
# trial password the gateway issues goes to the OS keyring, never here.
registrations = Table(
    "registrations", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # register | change | stop
    Column("form", String(20), nullable=False),  # 04_DK-IVAN | 05_SD-IVAN | 06_NG-IVAN
    Column("gateway_url", String(300), nullable=False),
    Column("ca_pem", Text, nullable=True),  # the gateway's CA, as given (public data)
    Column("ca_path", String(500), nullable=False, default=""),
    Column("unit_code", String(10), nullable=False),
    Column("tax_code", String(14), nullable=False),
    Column("idempotency_key", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # ready, sending, answered, refused
    Column("signed_by", String(300), nullable=False, default=""),  # "" for a trial unit
    Column("sha256", String(64), nullable=False),
    _enc("registrations", "content", "bytes", nullable=False),  # the file as sent
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", String(40), nullable=True),  # an error code, never a message
    Column("reference", String(40), nullable=True),  # the gateway's number for it
    Column("answer", Text, nullable=True),  # the answer as JSON, without any password
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_registrations_idempotency_key", "idempotency_key", unique=True),
    Index("ix_registrations_unit", "unit_id"),
)


# -- benefit claims (migration 0007) -------------------------------------------------------

# Each sickness, maternity or convalescence claim (domain.claims.Claim), from when it is
# entered until Social Security's answer. Kind and dates stay plain (a year's claims and
# overlaps are found by query); what identifies or describes the person (the child, the
# certificate, the bank account, the illness, the note) and every amount, which reveals
# the salary, are sealed; an empty value is NULL rather than a sealed "". A claim belongs
# to the list (dossier 630a/b/c) it was declared in, at row ``seq``; ``outcome`` is that
# row's answer (approved | rejected, "" before one).
claims = Table(
    "claims", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("worker_id", Integer, ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("from_date", String(10), nullable=False),  # YYYY-MM-DD
    Column("to_date", String(10), nullable=False),
    Column("days", Integer, nullable=True),
    Column("rest_days", String(7), nullable=False, default=""),
    Column("heavy_work", Boolean, nullable=False, default=False),
    _enc("claims", "long_term_code", nullable=True),
    Column("surgery", Boolean, nullable=False, default=False),
    Column("pregnancy_weeks", Integer, nullable=True),
    _enc("claims", "child_birth_date", nullable=True),  # YYYY-MM-DD
    Column("child_count", Integer, nullable=False, default=0),
    _enc("claims", "child_id", nullable=True),
    # a birth: a prenatal rest, an infertility treatment, a second child
    Column("prenatal_rest", Boolean, nullable=False, default=False),
    Column("infertility", Boolean, nullable=False, default=False),
    Column("second_child", Boolean, nullable=False, default=False),
    _enc("claims", "certificate", nullable=True),
    Column("payment", String(2), nullable=False, default=""),
    _enc("claims", "bank_account", nullable=True),
    Column("bank_code", String(20), nullable=False, default=""),
    _enc("claims", "note", nullable=True),
    Column("period", String(7), nullable=False, default=""),  # YYYY-MM once declared
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="SET NULL"),
           nullable=True),
    Column("seq", Integer, nullable=True),  # its row in that list
    Column("expected_days", Integer, nullable=True),
    _enc("claims", "expected_amount", "int", nullable=True),
    _enc("claims", "salary_base", "int", nullable=True),
    Column("months", Integer, nullable=True),
    _enc("claims", "rule", nullable=True),  # the rule and figures, in Vietnamese
    _enc("claims", "rule_en", nullable=True),  # and in English
    Column("approved_days", Integer, nullable=True),
    _enc("claims", "approved_amount", "int", nullable=True),
    _enc("claims", "approved_note", nullable=True),
    Column("outcome", String(10), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_claims_worker", "worker_id"),
    Index("ix_claims_declaration", "declaration_id", "seq"),
    Index("ix_claims_from_date", "from_date"),
    Index("ix_claims_unit", "unit_id"),
)

# Months a worker contributed, and on what salary, as HR's own records say (imported from
# a spreadsheet): with the unit's stored D02-LT lines they make the worker's history
# (domain.history). ``to_month`` NULL: still contributing.
contribution_stints = Table(
    "contribution_stints", metadata,
    Column("id", Integer, primary_key=True),
    Column("worker_id", Integer, ForeignKey("workers.id", ondelete="CASCADE"), nullable=False),
    Column("from_month", String(7), nullable=False),  # YYYY-MM
    Column("to_month", String(7), nullable=True),
    _enc("contribution_stints", "salary", "int", nullable=False),
    Column("source", String(10), nullable=False, default="import"),  # import | manual
    Column("updated_at", DateTime, nullable=False),
    Index("ix_contribution_stints_worker", "worker_id", "from_month"),
)


# -- remote signing (migration 0008) -------------------------------------------------------

# The unit's account at each remote signing service (docs/remote-signing.md): where it is,
# who signs (``user_id``: a tax code or an ID card number, hence sealed), which
# certificate, and the integrator's id. The integrator's password is in the OS keyring
# (service "ibhxh-client", user "remote:{provider}:{sp_id}@{base_url}"), never here.
remote_accounts = Table(
    "remote_accounts", metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, nullable=False),
    Column("provider", String(40), nullable=False),  # a key of providers.toml
    Column("base_url", String(300), nullable=False),
    _enc("remote_accounts", "user_id", nullable=False),
    Column("serial", String(80), nullable=False),  # the certificate's serial number
    Column("sp_id", String(100), nullable=False),
    Column("ca_pem", Text, nullable=True),  # a CA for the service's TLS (public data)
    Column("ca_path", String(500), nullable=False, default=""),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_remote_accounts_provider", "unit_id", "provider", unique=True),
    Index("ix_remote_accounts_unit", "unit_id"),
)

# Each signing request sent to a remote service (one per phase: the forms, then the
# envelope), stored before it is sent: a restart polls it again, never sends it twice.
# ``state`` holds what finishing needs (the prepared forms: personal data, sealed);
# ``doc_ids`` the request's files and their digests as JSON; ``basis`` the dossier's
# fingerprint (repo.dossier_basis) when it began, so an edited dossier is not finished
# from the old content. ``status``: pending | done | failed; ``last_error`` a code.
remote_signatures = Table(
    "remote_signatures", metadata,
    Column("id", Integer, primary_key=True),
    Column("declaration_id", Integer, ForeignKey("declarations.id", ondelete="CASCADE"),
           nullable=False),
    Column("provider", String(40), nullable=False),
    Column("phase", String(10), nullable=False),  # forms | envelope
    Column("transaction_id", String(64), nullable=False),
    Column("serial", String(80), nullable=False),
    Column("basis", String(64), nullable=False),
    _enc("remote_signatures", "state", "bytes", nullable=False),
    Column("doc_ids", Text, nullable=False),
    Column("sent_at", DateTime, nullable=True),
    Column("deadline", DateTime, nullable=False),
    Column("status", String(10), nullable=False),
    Column("last_error", String(40), nullable=True),  # an error code, never a message
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_remote_signatures_transaction_id", "transaction_id", unique=True),
    Index("ix_remote_signatures_declaration", "declaration_id", "status"),
)


# -- several officers (migration 0009) ------------------------------------------------------

# Who works on this database. ``roles``: "preparer", "signer" or both, comma-separated.
# ``status``: requested (asked to join from their PC, not yet let in), active, removed.
# ``public_key``: the officer's own X25519 public key (its private half is in that
# officer's OS keyring); ``wrapped_key``: the data key sealed for that public key, and
# ``key_check`` the check value of the data key it wraps (storage.officer_keys). The data
# key itself is never stored here.
officers = Table(
    "officers", metadata,
    Column("id", Integer, primary_key=True),
    Column("login", String(100), nullable=False),
    Column("name", String(100), nullable=False, server_default=""),
    Column("roles", String(40), nullable=False, server_default=""),
    Column("status", String(10), nullable=False),
    Column("public_key", Text, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=True),
    Column("key_check", String(64), nullable=True),
    Column("added_by", String(100), nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_officers_login", "login", unique=True),
)
