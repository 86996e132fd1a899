"""school locale: the district's way of writing dates and times (default en-US)

Revision ID: c4e8a2f6b1d9
Revises: 89bc86fe454d
Create Date: 2026-11-30 14:30:00

One value for the whole district, stored on each school so a page reads it with the signed-in
user's school; existing schools get en-US, the 12-hour clock.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a2f6b1d9'
down_revision = '89bc86fe454d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('locale', sa.String(length=16), server_default='en-US', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('locale')
