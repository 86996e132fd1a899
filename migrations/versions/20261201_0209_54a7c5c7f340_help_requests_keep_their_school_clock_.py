"""help requests keep their school-clock time to resolve: stored when a request is resolved, so
the dashboard's median reads one column. Requests resolved before this are timed by
`flask backfill-resolve-times`, not here (it needs the school calendars).

Revision ID: 54a7c5c7f340
Revises: df680ce7beb6
Create Date: 2026-12-01 02:09:29.621554

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '54a7c5c7f340'
down_revision = 'df680ce7beb6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('school_seconds_to_resolve', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_column('school_seconds_to_resolve')
