"""The exchange's file layout (issue 14): one TK1-TS file per dossier, the forms and the
envelope element for element as the exchange writes them.

A draft or validated dossier's stored envelope was written in the layout before: it is
dropped, and made again in the new layout from the dossier's stored lines the next time it
is needed (validate, export, sign, print: services.printing rebuilds a validated dossier's
envelope when none is stored). A dossier signed, sent, accepted, rejected or printed keeps
every byte it has: what was signed, sent or printed stays what it was, and reads and prints
in the layout it was written in (dossier.reading). No table changes.

Revision ID: 0004
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REBUILT = ("draft", "validated")


def upgrade() -> None:
    op.execute(
        "DELETE FROM artifacts WHERE kind = 'envelope' AND declaration_id IN "
        f"(SELECT id FROM declarations WHERE state IN {REBUILT!r})")


def downgrade() -> None:
    pass  # nothing to restore: the dropped envelopes are made again from the lines
