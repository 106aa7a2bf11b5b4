"""api: idempotency records keyed by the association the call acted in

Revision ID: 0011_idempotency_scope
Revises: 0010_extra_attempts

Stored answers live 24 hours and are a cache of replies, not records: the upgrade
empties the table rather than guess the association of an old answer.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_idempotency_scope'
down_revision = '0010_extra_attempts'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('DELETE FROM idempotency_record')
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('association_id', sa.Integer(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_idempotency_record_association_id_association'),
            'association', ['association_id'], ['id'],
        )
        batch_op.create_index(
            batch_op.f('ix_idempotency_record_association_id'), ['association_id'], unique=False
        )
        batch_op.drop_constraint('uq_idempotency_record_user_id_key_endpoint', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_idempotency_record_user_id_association_id_key_endpoint'),
            ['user_id', 'association_id', 'key', 'endpoint'],
        )


def downgrade():
    op.execute('DELETE FROM idempotency_record')
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_constraint('uq_idempotency_record_user_id_association_id_key_endpoint', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_idempotency_record_user_id_key_endpoint'), ['user_id', 'key', 'endpoint']
        )
        batch_op.drop_index(batch_op.f('ix_idempotency_record_association_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_idempotency_record_association_id_association'), type_='foreignkey'
        )
        batch_op.drop_column('association_id')
