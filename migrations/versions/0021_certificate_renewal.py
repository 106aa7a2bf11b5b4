"""certificate renewal: the original award date on every certificate

Revision ID: 0021_certificate_renewal
Revises: 0018_stored_documents

A renewed (or corrected) certificate is a new row that supersedes the old one; it
keeps the day the holder was first awarded it in ``first_awarded_on``, a fixed column
(``app.certificates.triggers``). Existing rows are backfilled with the ``issued_on`` of
the first certificate of their ``supersedes`` chain, with the finality triggers
dropped for the length of the backfill and installed again with the new column
classified.
"""

import sqlalchemy as sa
from alembic import op

from app.certificates import triggers as certificate_triggers

revision = "0021_certificate_renewal"
down_revision = "0020_certificate_status"
branch_labels = None
depends_on = None

_certificate = sa.table(
    "certificate",
    sa.column("id", sa.Integer),
    sa.column("supersedes_id", sa.Integer),
    sa.column("issued_on", sa.Date),
    sa.column("first_awarded_on", sa.Date),
)


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade():
    _run(certificate_triggers.DROP_STATEMENTS)
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_awarded_on", sa.Date(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(_certificate.c.id, _certificate.c.supersedes_id, _certificate.c.issued_on))
    by_id = {row.id: row for row in rows}
    for row in by_id.values():
        first = row
        while first.supersedes_id is not None and first.supersedes_id in by_id:
            first = by_id[first.supersedes_id]
        bind.execute(
            _certificate.update().where(_certificate.c.id == row.id).values(first_awarded_on=first.issued_on)
        )
    _run(certificate_triggers.TRIGGER_STATEMENTS)


def downgrade():
    _run(certificate_triggers.DROP_STATEMENTS)
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("first_awarded_on")
    _run(certificate_triggers.TRIGGER_STATEMENTS)
