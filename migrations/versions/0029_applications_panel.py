"""applications for accreditation, their panels and recommendations, and status levels

Revision ID: 0029_applications_panel
Revises: 0033_co_leader_feedback

A decided application, its panel and every recommendation are final: the triggers of
``app.applications.triggers`` refuse any change.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.applications.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

# revision identifiers, used by Alembic.
revision = "0029_applications_panel"
down_revision = "0033_co_leader_feedback"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accreditation_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("applied_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("rule_set_id", sa.Integer(), nullable=False),
        sa.Column("rule_set_version", sa.Integer(), nullable=False),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.Column("was_ready", sa.Boolean(), nullable=False),
        sa.Column("portfolio_sha256", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=False),
        sa.Column("deferral_actions", sa.Text(), nullable=False),
        sa.Column("deferred_until", sa.Date(), nullable=True),
        sa.Column("decided_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("signature_sha256", sa.String(length=64), nullable=True),
        sa.Column("certificate_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('accredit', 'defer', 'decline')",
            name=op.f("ck_accreditation_application_decision_known"),
        ),
        sa.CheckConstraint(
            "status != 'deferred' OR (deferral_actions != '' AND deferred_until IS NOT NULL)",
            name=op.f("ck_accreditation_application_deferral_has_actions"),
        ),
        sa.CheckConstraint(
            "status = 'open' OR (decision IS NOT NULL AND decided_at IS NOT NULL AND decided_by_id IS NOT NULL AND decision_reasons != '' AND signature_sha256 IS NOT NULL)",
            name=op.f("ck_accreditation_application_decided_is_signed"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'accredited', 'deferred', 'declined')",
            name=op.f("ck_accreditation_application_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_accreditation_application_association_id_association"),
        ),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificate.id"],
            name=op.f("fk_accreditation_application_certificate_id_certificate"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["user.id"], name=op.f("fk_accreditation_application_decided_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolment.id"],
            name=op.f("fk_accreditation_application_enrolment_id_enrolment"),
        ),
        sa.ForeignKeyConstraint(
            ["rule_set_id"], ["rule_set.id"], name=op.f("fk_accreditation_application_rule_set_id_rule_set")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["user.id"], name=op.f("fk_accreditation_application_trainee_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation_application")),
    )
    with op.batch_alter_table("accreditation_application", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accreditation_application_association_id"), ["association_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_accreditation_application_enrolment_id"), ["enrolment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_accreditation_application_trainee_id"), ["trainee_id"], unique=False
        )
        batch_op.create_index(
            "uq_accreditation_application_one_open",
            ["association_id", "trainee_id"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "accreditation_panel_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["user.id"], name=op.f("fk_accreditation_panel_member_added_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["accreditation_application.id"],
            name=op.f("fk_accreditation_panel_member_application_id_accreditation_application"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_accreditation_panel_member_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation_panel_member")),
        sa.UniqueConstraint(
            "application_id", "user_id", name=op.f("uq_accreditation_panel_member_application_id_user_id")
        ),
    )
    with op.batch_alter_table("accreditation_panel_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accreditation_panel_member_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_accreditation_panel_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "accreditation_panel_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("recommendation", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("recorded_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint("reasons != ''", name=op.f("ck_accreditation_panel_review_has_reasons")),
        sa.CheckConstraint(
            "recommendation IN ('accredit', 'defer', 'decline')",
            name=op.f("ck_accreditation_panel_review_recommendation_known"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["accreditation_application.id"],
            name=op.f("fk_accreditation_panel_review_application_id_accreditation_application"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user.id"], name=op.f("fk_accreditation_panel_review_reviewer_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation_panel_review")),
        sa.UniqueConstraint(
            "application_id",
            "reviewer_id",
            name=op.f("uq_accreditation_panel_review_application_id_reviewer_id"),
        ),
    )
    with op.batch_alter_table("accreditation_panel_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_accreditation_panel_review_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_accreditation_panel_review_reviewer_id"), ["reviewer_id"], unique=False
        )

    op.create_table(
        "status_level",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "level IN ('certified_leader', 'training_leader', 'supervisor_leader')",
            name=op.f("ck_status_level_level_known"),
        ),
        sa.CheckConstraint("until IS NULL OR until >= since", name=op.f("ck_status_level_period_ordered")),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["accreditation_application.id"],
            name=op.f("fk_status_level_application_id_accreditation_application"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_status_level_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["user.id"], name=op.f("fk_status_level_granted_by_id_user")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_status_level_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_level")),
    )
    with op.batch_alter_table("status_level", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_status_level_association_id"), ["association_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_status_level_user_id"), ["user_id"], unique=False)

    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table("status_level", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_level_user_id"))
        batch_op.drop_index(batch_op.f("ix_status_level_association_id"))

    op.drop_table("status_level")
    with op.batch_alter_table("accreditation_panel_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accreditation_panel_review_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_accreditation_panel_review_application_id"))

    op.drop_table("accreditation_panel_review")
    with op.batch_alter_table("accreditation_panel_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accreditation_panel_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_accreditation_panel_member_application_id"))

    op.drop_table("accreditation_panel_member")
    with op.batch_alter_table("accreditation_application", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_accreditation_application_one_open",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_accreditation_application_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_accreditation_application_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_accreditation_application_association_id"))

    op.drop_table("accreditation_application")
