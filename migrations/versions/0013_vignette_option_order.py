"""vignettes: the order in which a reflection's trainee saw each exercise's options

Revision ID: 0013_vignette_option_order
Revises: 0012_personal_data

Existing reflections get an empty mapping: they were shown the file's order, which
is what an empty mapping means when they are displayed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_vignette_option_order'
down_revision = '0012_personal_data'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('option_order', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_column('option_order')
