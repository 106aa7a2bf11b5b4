"""Dated profile facts: society membership periods, qualifications, assessed events, tracks

Revision ID: 0040_profile_facts
Revises: 0034_imported_records

Rule sets can ask how long a person has been a member without a break, how long since a
qualification of a given kind, how many exams were passed, and apply a branch to one
professional-background track (``enrolment.track``, a plain ADD COLUMN).
"""

import sqlalchemy as sa
from alembic import op

import app.database

revision = "0040_profile_facts"
down_revision = "0045_progress_snapshots"
branch_labels = None
depends_on = None

QUALIFICATIONS = (
    "medical-degree",
    "gp-specialist",
    "psychiatry-specialist",
    "psychotherapist-licence",
    "psychology-degree",
    "other-professional",
)
EXAM_KINDS = ("exam", "assessed-intensive", "assessed-group")
OUTCOMES = ("passed", "not-passed", "satisfactory", "not-yet")


def _common(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f(f"fk_{table}_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f(f"fk_{table}_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def upgrade():
    op.create_table(
        "society_membership",
        *_common("society_membership"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on", name=op.f("ck_society_membership_ends_after_start")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_society_membership_user_id_user")),
    )
    _indexes("society_membership", "association_id", "user_id")
    op.create_table(
        "qualification",
        *_common("qualification"),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("obtained_on", sa.Date(), nullable=False),
        sa.CheckConstraint(f"kind IN {QUALIFICATIONS!r}", name=op.f("ck_qualification_kind_known")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_qualification_user_id_user")),
    )
    _indexes("qualification", "association_id", "user_id")
    op.create_table(
        "assessed_event",
        *_common("assessed_event"),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("examiner_id", sa.Integer(), nullable=True),
        sa.Column("examiner_name", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.CheckConstraint(f"kind IN {EXAM_KINDS!r}", name=op.f("ck_assessed_event_kind_known")),
        sa.CheckConstraint(f"outcome IN {OUTCOMES!r}", name=op.f("ck_assessed_event_outcome_known")),
        sa.ForeignKeyConstraint(
            ["enrolment_id"], ["enrolment.id"], name=op.f("fk_assessed_event_enrolment_id_enrolment")
        ),
        sa.ForeignKeyConstraint(
            ["examiner_id"], ["user.id"], name=op.f("fk_assessed_event_examiner_id_user")
        ),
    )
    _indexes("assessed_event", "association_id", "enrolment_id")
    op.add_column("enrolment", sa.Column("track", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_column("track")
    op.drop_table("assessed_event")
    op.drop_table("qualification")
    op.drop_table("society_membership")
