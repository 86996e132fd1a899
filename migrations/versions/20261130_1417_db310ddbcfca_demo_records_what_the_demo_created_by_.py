"""demo records: what the demo created, by stable key

Revision ID: db310ddbcfca
Revises: c4e8a2f6b1d9
Create Date: 2026-11-30 14:17:33.968019

`flask seed-demo` creates each demo thing once, under a stable key: a skill the advisor renamed
or a closure they reopened is not made again (helpdesk.demo_records).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'db310ddbcfca'
down_revision = 'c4e8a2f6b1d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demo_record',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_demo_record'))
    )


def downgrade():
    op.drop_table('demo_record')
