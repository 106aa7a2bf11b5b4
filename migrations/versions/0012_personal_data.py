"""personal data: erasure requests, erased accounts, retention per association

Revision ID: 0012_personal_data
Revises: 0011_idempotency_scope

"""
from alembic import op
import sqlalchemy as sa

import app.database


revision = '0012_personal_data'
down_revision = '0011_idempotency_scope'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('requested_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sa.String(length=2000), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'declined')", name=op.f('ck_erasure_request_status_known')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_erasure_request_association_id_association')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_erasure_request_decided_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_erasure_request_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_request_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_erasure_request_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_years', sa.Integer(), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', app.database.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('erased_at')

    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.drop_column('retention_years')

    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_request_user_id'))
        batch_op.drop_index(batch_op.f('ix_erasure_request_association_id'))

    op.drop_table('erasure_request')
