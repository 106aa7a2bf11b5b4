"""Indexes for the supervisors' queues and the admin's stalled count (issue 14).

At 10,000 trainees a supervisor's count of waiting records read the association's
75,000 submitted records before keeping their own (150 ms); a partial index of
submitted records by trainee lets it read only theirs (50 ms). The admin's "stalled"
count looked for each trainee's latest record over all 500,000 (114 ms); with an
index on (trainee, created) it asks each trainee once (24 ms).

Revision ID: 0048_queue_indexes
Revises: 0047_pending_documents
"""

import sqlalchemy as sa
from alembic import op

revision = "0048_queue_indexes"
down_revision = "0047_pending_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_logbook_record_submitted",
        "logbook_record",
        ["enrolment_id", "kind"],
        postgresql_include=["association_id"],
        sqlite_where=sa.text("status = 'submitted'"),
        postgresql_where=sa.text("status = 'submitted'"),
    )
    op.create_index("ix_logbook_record_enrolment_created", "logbook_record", ["enrolment_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_logbook_record_enrolment_created", table_name="logbook_record")
    op.drop_index("ix_logbook_record_submitted", table_name="logbook_record")
