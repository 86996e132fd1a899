"""outbox delivery state: status, attempts, backoff, claim, result and Message-ID

Revision ID: a7c3e9d1f5b2
Revises: cc2e7c556731
Create Date: 2026-11-30 12:00:00

Rows already in the outbox (kept because no mail server was set) become queued mail with a
Message-ID of their own, due at once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9d1f5b2'
down_revision = 'cc2e7c556731'
branch_labels = None
depends_on = None

STATUS = sa.Enum('queued', 'sending', 'sent', 'failed', name='mailstatus', native_enum=False, length=16)


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', STATUS, nullable=False, server_default='queued'))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))

    op.execute("UPDATE outbox_message SET next_attempt_at = created_at")
    op.execute(
        "UPDATE outbox_message SET message_id = '<outbox-' || CAST(id AS VARCHAR(20)) || '@helpdesk.invalid>'"
    )

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)
        batch_op.alter_column('attempts', server_default=None)
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.alter_column('message_id', existing_type=sa.String(length=255), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_outbox_message_message_id'), ['message_id'])
        batch_op.create_check_constraint('attempts_not_negative', 'attempts >= 0')
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.drop_constraint('attempts_not_negative', type_='check')
        batch_op.drop_constraint(batch_op.f('uq_outbox_message_message_id'), type_='unique')
        batch_op.drop_column('message_id')
        batch_op.drop_column('last_error')
        batch_op.drop_column('sent_at')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('next_attempt_at')
        batch_op.drop_column('attempts')
        batch_op.drop_column('status')
