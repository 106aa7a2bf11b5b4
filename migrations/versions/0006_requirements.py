"""requirements: decisions, competency reports, trainee profile on enrolments

Revision ID: 0006_requirements
Revises: 0005_notifications
"""
from alembic import op
import sqlalchemy as sa

import app.database

revision = '0006_requirements'
down_revision = '0005_notifications'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competency_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_reviewed_with_trainee', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('signed_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.CheckConstraint("kind IN ('periodic', 'final')", name=op.f('ck_competency_report_kind_known')),
    sa.CheckConstraint("recommendation IN ('ready', 'not_yet')", name=op.f('ck_competency_report_recommendation_known')),
    sa.CheckConstraint("status IN ('draft', 'signed')", name=op.f('ck_competency_report_status_known')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_competency_report_association_id_association')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_competency_report_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['user.id'], name=op.f('fk_competency_report_supervisor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competency_report'))
    )
    with op.batch_alter_table('competency_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competency_report_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competency_report_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competency_report_supervisor_id'), ['supervisor_id'], unique=False)

    op.create_table('requirement_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.String(length=80), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('waived', 'met', 'not_met', 'withdrawn')", name=op.f('ck_requirement_decision_decision_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_requirement_decision_decided_by_id_user')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_requirement_decision_enrolment_id_enrolment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_decision'))
    )
    with op.batch_alter_table('requirement_decision', schema=None) as batch_op:
        batch_op.create_index('ix_requirement_decision_lookup', ['enrolment_id', 'requirement_id', 'id'], unique=False)

    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_psychodynamic_training', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('qualified_on', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_column('qualified_on')
        batch_op.drop_column('has_psychodynamic_training')

    with op.batch_alter_table('requirement_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_requirement_decision_lookup')

    op.drop_table('requirement_decision')
    with op.batch_alter_table('competency_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competency_report_supervisor_id'))
        batch_op.drop_index(batch_op.f('ix_competency_report_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_competency_report_association_id'))

    op.drop_table('competency_report')
