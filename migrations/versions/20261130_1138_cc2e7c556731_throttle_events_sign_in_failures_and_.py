"""throttle events: sign-in failures and reset requests counted in the database

Revision ID: cc2e7c556731
Revises: 3f92ae13530b
Create Date: 2026-11-30 11:38:24.255258

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'cc2e7c556731'
down_revision = '3f92ae13530b'
branch_labels = None
depends_on = None


def upgrade():
    # Keys are keyed hashes of the email and client addresses, never the addresses themselves.
    op.create_table(
        'throttle_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('account_key', sa.String(length=32), nullable=False),
        sa.Column('client_key', sa.String(length=32), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_event')),
    )
    # The two counts (per account, per client) within a window, and the clean-up of old rows.
    op.create_index(
        'ix_throttle_event_account', 'throttle_event', ['action', 'account_key', 'at'],
        unique=False,
    )
    op.create_index(
        'ix_throttle_event_client', 'throttle_event', ['action', 'client_key', 'at'],
        unique=False,
    )
    op.create_index(op.f('ix_throttle_event_at'), 'throttle_event', ['at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_throttle_event_at'), table_name='throttle_event')
    op.drop_index('ix_throttle_event_client', table_name='throttle_event')
    op.drop_index('ix_throttle_event_account', table_name='throttle_event')
    op.drop_table('throttle_event')
