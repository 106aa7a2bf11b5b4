"""vignettes: reflections and supervisor feedback

Revision ID: 0003_vignettes
Revises: 0002_learning
"""
from alembic import op
import sqlalchemy as sa

import app.database

revision = '0003_vignettes'
down_revision = '0002_learning'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('vignette_slug', sa.String(length=80), nullable=False),
    sa.Column('content_version', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', app.database.UTCDateTime(), nullable=True),
    sa.Column('reviewed_at', app.database.UTCDateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'revision_requested')", name=op.f('ck_reflection_status_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_reflection_version_positive')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_reflection_association_id_association')),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_reflection_enrolment_id_enrolment')),
    sa.ForeignKeyConstraint(['previous_id'], ['reflection.id'], name=op.f('fk_reflection_previous_id_reflection')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user.id'], name=op.f('fk_reflection_reviewer_id_user')),
    sa.ForeignKeyConstraint(['trainee_id'], ['user.id'], name=op.f('fk_reflection_trainee_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection')),
    sa.UniqueConstraint('enrolment_id', 'vignette_slug', 'version', name=op.f('uq_reflection_enrolment_id_vignette_slug_version')),
    sa.UniqueConstraint('previous_id', name=op.f('uq_reflection_previous_id'))
    )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index('ix_reflection_queue', ['status', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('reflection_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reflection_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('overall_comment', sa.Text(), nullable=False),
    sa.Column('exercise_comments', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('created_at', app.database.UTCDateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('accepted', 'revision_requested')", name=op.f('ck_reflection_feedback_decision_known')),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_reflection_feedback_author_id_user')),
    sa.ForeignKeyConstraint(['reflection_id'], ['reflection.id'], name=op.f('fk_reflection_feedback_reflection_id_reflection')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection_feedback')),
    sa.UniqueConstraint('reflection_id', name=op.f('uq_reflection_feedback_reflection_id'))
    )
    with op.batch_alter_table('reflection_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_feedback_author_id'), ['author_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reflection_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_feedback_author_id'))

    op.drop_table('reflection_feedback')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_trainee_id'))
        batch_op.drop_index('ix_reflection_queue')
        batch_op.drop_index(batch_op.f('ix_reflection_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_reflection_association_id'))

    op.drop_table('reflection')
