"""learning: lesson completions, quiz attempts, programme pass mark

Revision ID: 0002_learning
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

import app.database

revision = '0002_learning'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('lesson_slug', sa.String(length=80), nullable=False),
    sa.Column('content_version', sa.String(length=64), nullable=False),
    sa.Column('completed_at', app.database.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_lesson_completion_association_id_association')),
    sa.ForeignKeyConstraint(['trainee_id'], ['user.id'], name=op.f('fk_lesson_completion_trainee_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_completion')),
    sa.UniqueConstraint('association_id', 'trainee_id', 'lesson_slug', name=op.f('uq_lesson_completion_association_id_trainee_id_lesson_slug'))
    )
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_completion_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_completion_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('lesson_slug', sa.String(length=80), nullable=True),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('question_versions', sa.JSON(), nullable=True),
    sa.Column('score_percent', sa.Float(), nullable=True),
    sa.Column('is_passed', sa.Boolean(), nullable=True),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('started_at', app.database.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', app.database.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(kind = 'lesson' AND lesson_slug IS NOT NULL) OR (kind = 'final' AND lesson_slug IS NULL)", name=op.f('ck_quiz_attempt_lesson_slug_matches_kind')),
    sa.CheckConstraint("kind IN ('lesson', 'final')", name=op.f('ck_quiz_attempt_kind_known')),
    sa.CheckConstraint('score_percent IS NULL OR (score_percent >= 0 AND score_percent <= 100)', name=op.f('ck_quiz_attempt_score_range')),
    sa.ForeignKeyConstraint(['association_id'], ['association.id'], name=op.f('fk_quiz_attempt_association_id_association')),
    sa.ForeignKeyConstraint(['trainee_id'], ['user.id'], name=op.f('fk_quiz_attempt_trainee_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempt'))
    )
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_attempt_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_attempt_trainee_id'), ['trainee_id'], unique=False)
        batch_op.create_index('ix_quiz_attempt_trainee_kind', ['association_id', 'trainee_id', 'kind'], unique=False)

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('module_pass_mark', sa.Integer(), server_default='80', nullable=False))





def downgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('module_pass_mark')

    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempt_trainee_kind')
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_attempt_association_id'))

    op.drop_table('quiz_attempt')
    with op.batch_alter_table('lesson_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_completion_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_completion_association_id'))

    op.drop_table('lesson_completion')
