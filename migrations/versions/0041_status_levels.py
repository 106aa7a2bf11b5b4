"""Status levels as association data: declared levels, the levels each permission asks for

Revision ID: 0041_status_levels
Revises: 0034_imported_records

``status_level_definition``: the levels an association declares (slug, label, order, the
one the panel's accreditation grants). ``status_permission``: which levels allow
supervising, confirming attendance, observing. ``status_level`` loses its closed list
of levels (levels are the association's now), gains ``ended_by_id``, and its levels are
renamed to the slugs rule sets use (``certified_leader`` becomes ``certified-leader``).
Every existing association gets the default levels and permissions.
"""

import sqlalchemy as sa
from alembic import op

import app.database
from app.statuslevels.models import default_rows

revision = "0041_status_levels"
down_revision = "0042_participant_rule_sets"
branch_labels = None
depends_on = None


def upgrade():
    definitions = op.create_table(
        "status_level_definition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_granted_on_accreditation", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.database.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_status_level_definition_association_id_association"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_level_definition")),
        sa.UniqueConstraint(
            "association_id", "slug", name=op.f("uq_status_level_definition_association_id_slug")
        ),
    )
    with op.batch_alter_table("status_level_definition", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_level_definition_association_id"), ["association_id"], unique=False
        )
    permissions = op.create_table(
        "status_permission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("association_id", sa.Integer(), nullable=False),
        sa.Column("permission", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "permission IN ('supervise', 'confirm_attendance', 'observe')",
            name=op.f("ck_status_permission_permission_known"),
        ),
        sa.ForeignKeyConstraint(
            ["association_id"],
            ["association.id"],
            name=op.f("fk_status_permission_association_id_association"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_permission")),
        sa.UniqueConstraint(
            "association_id",
            "permission",
            "level",
            name=op.f("uq_status_permission_association_id_permission_level"),
        ),
    )
    with op.batch_alter_table("status_permission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_permission_association_id"), ["association_id"], unique=False
        )

    with op.batch_alter_table("status_level", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_status_level_level_known"), type_="check")
        batch_op.add_column(sa.Column("ended_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_status_level_ended_by_id_user"), "user", ["ended_by_id"], ["id"]
        )
    op.execute("UPDATE status_level SET level = REPLACE(level, '_', '-')")

    connection = op.get_bind()
    for (association_id,) in connection.execute(sa.text("SELECT id FROM association")).all():
        levels, allowed = default_rows(association_id)
        op.bulk_insert(definitions, levels)
        if allowed:
            op.bulk_insert(permissions, allowed)


def downgrade():
    op.execute("UPDATE status_level SET level = REPLACE(level, '-', '_')")
    op.execute(
        "DELETE FROM status_level WHERE level NOT IN ('certified_leader', 'training_leader', 'supervisor_leader')"
    )
    with op.batch_alter_table("status_level", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_status_level_ended_by_id_user"), type_="foreignkey")
        batch_op.drop_column("ended_by_id")
        batch_op.create_check_constraint(
            "level_known", "level IN ('certified_leader', 'training_leader', 'supervisor_leader')"
        )
    with op.batch_alter_table("status_permission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_permission_association_id"))
    op.drop_table("status_permission")
    with op.batch_alter_table("status_level_definition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_level_definition_association_id"))
    op.drop_table("status_level_definition")
