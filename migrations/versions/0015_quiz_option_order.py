"""learning: the option order each attempt showed

Revision ID: 0015_quiz_option_order
Revises: 0014_two_factor

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_quiz_option_order'
down_revision = '0014_two_factor'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: attempts started before this revision showed a seeded order, which the
    # app still derives for them.
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presented_options', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz_attempt', schema=None) as batch_op:
        batch_op.drop_column('presented_options')
