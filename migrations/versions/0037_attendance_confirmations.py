"""attendance confirmations: issued by accredited leaders to group members

Revision ID: 0037_attendance_confirmations
Revises: 0035_observation_reports

The triggers of ``app.groups.attendance_triggers`` allow revoking a row, nothing else.
Their PDFs are stored documents of kind ``attendance_pdf`` (no schema change there).
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.groups.attendance_triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0037_attendance_confirmations"
down_revision = "0035_observation_reports"
branch_labels = None
depends_on = None

TABLE = "attendance_confirmation"


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    table = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=op.f(f"fk_{TABLE}_{column}_{table}"))


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("serial", sa.String(length=40), nullable=False),
        sa.Column("member_name", sa.String(length=120), nullable=False),
        sa.Column("group_name", sa.String(length=120), nullable=False),
        sa.Column("association_name", sa.String(length=200), nullable=False),
        sa.Column("issuer_name", sa.String(length=120), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("sessions_count", sa.Integer(), nullable=False),
        sa.Column("total_minutes", sa.Integer(), nullable=False),
        sa.Column("in_person_minutes", sa.Integer(), nullable=False),
        sa.Column("online_minutes", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("rule_set", sa.String(length=40), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('session', 'period')", name=op.f(f"ck_{TABLE}_kind_known")),
        sa.CheckConstraint("period_to >= period_from", name=op.f(f"ck_{TABLE}_period_ordered")),
        sa.CheckConstraint(
            "kind != 'session' OR session_id IS NOT NULL", name=op.f(f"ck_{TABLE}_session_named")
        ),
        _fk("association_id", "association.id"),
        _fk("group_id", "balint_group.id"),
        _fk("member_id", "balint_group_member.id"),
        _fk("session_id", "group_session.id"),
        sa.ForeignKeyConstraint(["issued_by_id"], ["user.id"], name=op.f(f"fk_{TABLE}_issued_by_id_user")),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user.id"], name=op.f(f"fk_{TABLE}_revoked_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("serial", name=op.f(f"uq_{TABLE}_serial")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("association_id", "group_id", "member_id", "issued_by_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table(TABLE)
