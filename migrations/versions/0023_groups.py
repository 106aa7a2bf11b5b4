"""groups and sessions: the groups trainees lead, their members, and the sessions they hold

Revision ID: 0023_groups
Revises: 0018_stored_documents

A closed session is final: the triggers of ``app.groups.triggers`` refuse any change to it
or to the rows under it (leaders, phases, attendance, the links to its logbook records).
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.groups.triggers import DROP_STATEMENTS, TRIGGER_STATEMENTS

revision = "0023_groups"
down_revision = "0022_linkedin_and_batch_undo"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "balint_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("setting_category", sa.String(length=30), nullable=False),
        sa.Column("setting", sa.String(length=200), nullable=False),
        sa.Column("profession_mix", sa.String(length=200), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("rhythm", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "format IN ('in-person', 'online', 'mixed')", name=op.f("ck_balint_group_format_known")
        ),
        sa.CheckConstraint(
            "kind IN ('ongoing', 'weekend', 'intensive', 'conference-demonstration')",
            name=op.f("ck_balint_group_kind_known"),
        ),
        sa.CheckConstraint(
            "rhythm IN ('weekly', 'fortnightly', 'monthly', 'block')",
            name=op.f("ck_balint_group_rhythm_known"),
        ),
        sa.CheckConstraint(
            "setting_category IN ('primary-care', 'hospital', 'mental-health', 'education', "
            "'social-care', 'mixed', 'other')",
            name=op.f("ck_balint_group_setting_category_known"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_balint_group_period_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_balint_group_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_balint_group_created_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balint_group")),
    )
    with op.batch_alter_table("balint_group", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_balint_group_association_id"), ["association_id"], unique=False)

    op.create_table(
        "balint_group_leader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_accredited", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('leader', 'co-leader')", name=op.f("ck_balint_group_leader_role_known")),
        sa.ForeignKeyConstraint(
            ["group_id"], ["balint_group.id"], name=op.f("fk_balint_group_leader_group_id_balint_group")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_balint_group_leader_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balint_group_leader")),
        sa.UniqueConstraint("group_id", "user_id", name=op.f("uq_balint_group_leader_group_id_user_id")),
    )
    with op.batch_alter_table("balint_group_leader", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_balint_group_leader_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_balint_group_leader_user_id"), ["user_id"], unique=False)

    op.create_table(
        "balint_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["balint_group.id"], name=op.f("fk_balint_group_member_group_id_balint_group")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_balint_group_member_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balint_group_member")),
        sa.UniqueConstraint("group_id", "email", name=op.f("uq_balint_group_member_group_id_email")),
    )
    with op.batch_alter_table("balint_group_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_balint_group_member_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_balint_group_member_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("is_briefing_given", sa.Boolean(), nullable=False),
        sa.Column("briefing_version", sa.String(length=20), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("opened_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("closed_at", app.database.UTCDateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "briefing_version IN ('', 'short', 'full', 'new-members', 'online')",
            name=op.f("ck_group_session_briefing_version_known"),
        ),
        sa.CheckConstraint("mode IN ('in-person', 'online')", name=op.f("ck_group_session_mode_known")),
        sa.CheckConstraint(
            "status != 'closed' OR (closed_at IS NOT NULL AND minutes IS NOT NULL AND cases IS NOT NULL)",
            name=op.f("ck_group_session_closed_is_complete"),
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'running', 'closed')", name=op.f("ck_group_session_status_known")
        ),
        sa.CheckConstraint(
            "cases IS NULL OR cases BETWEEN 0 AND 20", name=op.f("ck_group_session_cases_range")
        ),
        sa.CheckConstraint(
            "minutes IS NULL OR minutes BETWEEN 15 AND 600", name=op.f("ck_group_session_minutes_range")
        ),
        sa.CheckConstraint(
            "planned_minutes BETWEEN 15 AND 600", name=op.f("ck_group_session_planned_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["association_id"], ["association.id"], name=op.f("fk_group_session_association_id_association")
        ),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["user.id"], name=op.f("fk_group_session_closed_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_group_session_created_by_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["balint_group.id"], name=op.f("fk_group_session_group_id_balint_group")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session")),
    )
    with op.batch_alter_table("group_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_session_association_id"), ["association_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_session_group_id"), ["group_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_session_held_on"), ["held_on"], unique=False)

    op.create_table(
        "group_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("is_present", sa.Boolean(), nullable=False),
        sa.Column("is_online", sa.Boolean(), nullable=False),
        sa.Column("updated_at", app.database.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "is_present OR NOT is_online", name=op.f("ck_group_attendance_online_means_present")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["balint_group_member.id"],
            name=op.f("fk_group_attendance_member_id_balint_group_member"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["group_session.id"], name=op.f("fk_group_attendance_session_id_group_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_attendance")),
        sa.UniqueConstraint("session_id", "member_id", name=op.f("uq_group_attendance_session_id_member_id")),
    )
    with op.batch_alter_table("group_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_attendance_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "group_session_leader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("is_accredited", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "role IN ('leader', 'co-leader')", name=op.f("ck_group_session_leader_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_session.id"],
            name=op.f("fk_group_session_leader_session_id_group_session"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_group_session_leader_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session_leader")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_group_session_leader_session_id_user_id")),
    )
    with op.batch_alter_table("group_session_leader", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_session_leader_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_session_leader_user_id"), ["user_id"], unique=False)

    op.create_table(
        "group_session_phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("started_at", app.database.UTCDateTime(), nullable=False),
        sa.Column("ended_at", app.database.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "phase IN ('opening', 'presentation', 'questions', 'push-back', 'return', 'closing')",
            name=op.f("ck_group_session_phase_phase_known"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["group_session.id"], name=op.f("fk_group_session_phase_session_id_group_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session_phase")),
        sa.UniqueConstraint("session_id", "phase", name=op.f("uq_group_session_phase_session_id_phase")),
    )
    with op.batch_alter_table("group_session_phase", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_session_phase_session_id"), ["session_id"], unique=False)

    op.create_table(
        "group_session_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["logbook_record.id"],
            name=op.f("fk_group_session_record_record_id_logbook_record"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["group_session.id"],
            name=op.f("fk_group_session_record_session_id_group_session"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_group_session_record_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_session_record")),
        sa.UniqueConstraint("record_id", name=op.f("uq_group_session_record_record_id")),
        sa.UniqueConstraint("session_id", "user_id", name=op.f("uq_group_session_record_session_id_user_id")),
    )
    with op.batch_alter_table("group_session_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_session_record_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_group_session_record_user_id"), ["user_id"], unique=False)

    for statement in TRIGGER_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_STATEMENTS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table("group_session_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_session_record_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_session_record_session_id"))

    op.drop_table("group_session_record")
    with op.batch_alter_table("group_session_phase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_session_phase_session_id"))

    op.drop_table("group_session_phase")
    with op.batch_alter_table("group_session_leader", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_session_leader_user_id"))
        batch_op.drop_index(batch_op.f("ix_group_session_leader_session_id"))

    op.drop_table("group_session_leader")
    with op.batch_alter_table("group_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_group_attendance_member_id"))

    op.drop_table("group_attendance")
    with op.batch_alter_table("group_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_group_session_held_on"))
        batch_op.drop_index(batch_op.f("ix_group_session_group_id"))
        batch_op.drop_index(batch_op.f("ix_group_session_association_id"))

    op.drop_table("group_session")
    with op.batch_alter_table("balint_group_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_balint_group_member_user_id"))
        batch_op.drop_index(batch_op.f("ix_balint_group_member_group_id"))

    op.drop_table("balint_group_member")
    with op.batch_alter_table("balint_group_leader", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_balint_group_leader_user_id"))
        batch_op.drop_index(batch_op.f("ix_balint_group_leader_group_id"))

    op.drop_table("balint_group_leader")
    with op.batch_alter_table("balint_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_balint_group_association_id"))

    op.drop_table("balint_group")
