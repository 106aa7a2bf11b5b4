"""Indexes for the supervisor's queue and the admin's home and cohort (issue 14).

The supervisor's queue reads, per trainee, the submitted records of a kind; its count
and its page then wanted each record's id and ``submitted_at`` (the page's order) from
the table: 7,500 heap visits for a supervisor of 1,000 trainees. Included in the partial
index of submitted records, both statements read the index alone. SQLite has no INCLUDE
and keeps that index as it was.

The admin's "waiting over 14 days" count read all 75,000 submitted records of the
association to compare their submission times; with ``submitted_at`` after
(association, status) it reads only the overdue ones, and the list behind it reads them
in its own order.

The admin's cohort lists trainees by name, case aside: an index on ``lower(name)`` lets
its first page read fifty trainees in that order instead of sorting all 10,000 of them
with their stored progress. PostgreSQL only: SQLite cannot reflect an index on an
expression, so the schema test could not compare it there.

Revision ID: 0049_dashboard_indexes
Revises: 0048_queue_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0049_dashboard_indexes"
down_revision = "0048_queue_indexes"
branch_labels = None
depends_on = None


def _submitted_index(include: list[str]) -> None:
    op.drop_index("ix_logbook_record_submitted", table_name="logbook_record")
    op.create_index(
        "ix_logbook_record_submitted",
        "logbook_record",
        ["enrolment_id", "kind"],
        postgresql_include=include,
        postgresql_where=sa.text("status = 'submitted'"),
    )


def _association_status_index(columns: list[str]) -> None:
    op.drop_index("ix_logbook_record_association_status", table_name="logbook_record")
    op.create_index("ix_logbook_record_association_status", "logbook_record", columns)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _submitted_index(["association_id", "id", "submitted_at"])
    _association_status_index(["association_id", "status", "submitted_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_user_name_lower", "user", [sa.text("lower(name)")])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_user_name_lower", table_name="user")
    _association_status_index(["association_id", "status"])
    if op.get_bind().dialect.name == "postgresql":
        _submitted_index(["association_id"])
