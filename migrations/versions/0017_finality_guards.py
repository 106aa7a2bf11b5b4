"""finality guards: no REPLACE over signed rows on SQLite; issued certificates and decided reflections final

Revision ID: 0017_finality_guards
Revises: 0016_jobs

* SQLite's INSERT OR REPLACE deleted a signed logbook record or competency report
  without firing the DELETE guards. Each guarded table gains a BEFORE INSERT trigger
  refusing an insert over a final row (the app's connections also turn
  ``recursive_triggers`` on, see ``app.triggers``). On PostgreSQL, ON CONFLICT DO UPDATE
  already fires the UPDATE guards.
* Certificates record the hash of what they vouch for (``record_sha256``, backfilled
  here for existing rows) and get a guard: only the set-once PDF hash, a revocation and
  a supersession may change them (``app.certificates.triggers``).
* Decided reflections and their feedback get a guard (``app.vignettes.triggers``).
"""

import sqlalchemy as sa
from alembic import op

from app.certificates import integrity
from app.certificates import triggers as certificate_triggers
from app.logbook import triggers as logbook_triggers
from app.requirements import triggers as report_triggers
from app.vignettes import triggers as reflection_triggers

revision = "0017_finality_guards"
down_revision = "0016_jobs"
branch_labels = None
depends_on = None

_INSTALL = (
    logbook_triggers.NO_REPLACE_STATEMENTS,
    report_triggers.NO_REPLACE_STATEMENTS,
    certificate_triggers.TRIGGER_STATEMENTS,
    reflection_triggers.TRIGGER_STATEMENTS,
)
_DROP = (
    logbook_triggers.NO_REPLACE_DROP_STATEMENTS,
    report_triggers.NO_REPLACE_DROP_STATEMENTS,
    certificate_triggers.DROP_STATEMENTS,
    reflection_triggers.DROP_STATEMENTS,
)

# The certificate columns the record hash covers, with the types they are read back as.
_certificate = sa.table(
    "certificate",
    sa.column("id", sa.Integer),
    sa.column("record_sha256", sa.String),
    *(
        sa.column(
            name,
            sa.Date if name in ("issued_on", "expires_on") else sa.DateTime if name == "issued_at" else None,
        )
        for name in integrity.COLUMNS
    ),
)


def upgrade():
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_sha256", sa.String(length=64), server_default="", nullable=False)
        )
    bind = op.get_bind()
    for row in bind.execute(sa.select(_certificate)).mappings().all():
        bind.execute(
            _certificate.update()
            .where(_certificate.c.id == row["id"])
            .values(record_sha256=integrity.record_digest(row))
        )
    dialect = bind.dialect.name
    for statements in _INSTALL:
        for statement in statements.get(dialect, []):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statements in _DROP:
        for statement in statements.get(dialect, []):
            op.execute(statement)
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.drop_column("record_sha256")
