"""user security stamp: invitation and reset links name one person

Revision ID: b8d4f0e2a6c3
Revises: a7c3e9d1f5b2
Create Date: 2026-11-30 12:10:00

Every existing account draws its own random stamp, so links sent before this revision stop
working (invitations can be sent again from People).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d4f0e2a6c3'
down_revision = 'a7c3e9d1f5b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('security_stamp', sa.String(length=32), nullable=True))

    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE user_account SET security_stamp = md5(random()::text || clock_timestamp()::text || id::text)")
    else:
        op.execute("UPDATE user_account SET security_stamp = lower(hex(randomblob(16)))")

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('security_stamp', existing_type=sa.String(length=32), nullable=False)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('security_stamp')
