"""observation reports: an observer's rubric report on a trainee leading a session

Revision ID: 0035_observation_reports
Revises: 0029_applications_panel

The triggers of ``app.groups.observation_triggers`` refuse any UPDATE or DELETE of a
signed row.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.groups.observation_triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0035_observation_reports"
down_revision = "0029_applications_panel"
branch_labels = None
depends_on = None

TABLE = "group_observation_report"


def upgrade():
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("observer_status", sa.String(length=30), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=False),
        sa.Column("assigned_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("ratings", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("signed_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("observer_id != trainee_id", name=op.f(f"ck_{TABLE}_not_of_oneself")),
        sa.CheckConstraint(
            "observer_status IN ('leader-trainer', 'accredited-leader', 'supervisor')",
            name=op.f(f"ck_{TABLE}_observer_status_known"),
        ),
        sa.CheckConstraint(
            "outcome IN ('', 'satisfactory', 'needs-development')", name=op.f(f"ck_{TABLE}_outcome_known")
        ),
        sa.CheckConstraint(
            "signed_at IS NULL OR (outcome != '' AND record_id IS NOT NULL)",
            name=op.f(f"ck_{TABLE}_signed_is_complete"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f(f"fk_{TABLE}_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["group_session.id"], name=op.f(f"fk_{TABLE}_session_id_group_session")
        ),
        sa.ForeignKeyConstraint(["trainee_id"], ["user.id"], name=op.f(f"fk_{TABLE}_trainee_id_user")),
        sa.ForeignKeyConstraint(["observer_id"], ["user.id"], name=op.f(f"fk_{TABLE}_observer_id_user")),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["user.id"], name=op.f(f"fk_{TABLE}_assigned_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["logbook_record.id"], name=op.f(f"fk_{TABLE}_record_id_logbook_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
        sa.UniqueConstraint("record_id", name=op.f(f"uq_{TABLE}_record_id")),
        sa.UniqueConstraint("session_id", "trainee_id", name=op.f(f"uq_{TABLE}_session_id_trainee_id")),
    )
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        for column in ("association_id", "observer_id", "session_id", "trainee_id"):
            batch_op.create_index(batch_op.f(f"ix_{TABLE}_{column}"), [column], unique=False)
    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table(TABLE)
