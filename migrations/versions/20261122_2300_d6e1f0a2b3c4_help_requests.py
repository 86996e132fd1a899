"""help requests: requests, threads, history, screenshots, desk settings, grouped email; topic rules

Revision ID: d6e1f0a2b3c4
Revises: cb6cdbc2941a
Create Date: 2026-11-22 23:00:51.573197

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd6e1f0a2b3c4'
down_revision = 'cb6cdbc2941a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('desk_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_response_hours', sa.Integer(), nullable=False),
    sa.Column('resolution_hours', sa.Integer(), nullable=False),
    sa.Column('it_email', sa.String(length=254), nullable=False),
    sa.CheckConstraint('first_response_hours >= 1', name=op.f('ck_desk_settings_first_response')),
    sa.CheckConstraint('resolution_hours >= 1', name=op.f('ck_desk_settings_resolution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_settings'))
    )
    op.create_table('desk_mail_throttle',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_desk_mail_throttle_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_desk_mail_throttle'))
    )
    op.create_table('help_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'claimed', 'waiting', 'resolved', 'closed', 'escalated', 'self_served', name='requeststatus', native_enum=False, length=16), nullable=False),
    sa.Column('summary', sa.String(length=200), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('urgency', sa.Enum('now', 'week', 'whenever', name='urgency', native_enum=False, length=16), nullable=False),
    sa.Column('room', sa.String(length=80), nullable=False),
    sa.Column('around', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('waiting_since_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('self_served_tip_id', sa.Integer(), nullable=True),
    sa.Column('draft_tip_id', sa.Integer(), nullable=True),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("status NOT IN ('claimed', 'waiting') OR mentor_id IS NOT NULL", name=op.f('ck_help_request_claimed_mentor')),
    sa.ForeignKeyConstraint(['draft_tip_id'], ['tip.id'], name=op.f('fk_help_request_draft_tip_id_tip'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_help_request_mentor_id_user_account')),
    sa.ForeignKeyConstraint(['requester_id'], ['user_account.id'], name=op.f('fk_help_request_requester_id_user_account')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'], name=op.f('fk_help_request_resolved_by_id_user_account')),
    sa.ForeignKeyConstraint(['self_served_tip_id'], ['tip.id'], name=op.f('fk_help_request_self_served_tip_id_tip'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_help_request_skill_id_skill')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_request')),
    sa.UniqueConstraint('request_key', name=op.f('uq_help_request_request_key'))
    )
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.create_index('ix_help_request_mentor_status', ['mentor_id', 'status'], unique=False)
        batch_op.create_index('ix_help_request_requester_created', ['requester_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_request_skill_id'), ['skill_id'], unique=False)
        batch_op.create_index('ix_help_request_status_created', ['status', 'created_at'], unique=False)

    op.create_table('desk_pending_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_desk_pending_notice_request_id_help_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_desk_pending_notice_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_pending_notice')),
    sa.UniqueConstraint('user_id', 'request_id', name=op.f('uq_desk_pending_notice_user_id_request_id'))
    )
    with op.batch_alter_table('desk_pending_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_pending_notice_user_id'), ['user_id'], unique=False)

    op.create_table('request_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_request_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_request_event_request_id_help_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_event'))
    )
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_event_request_id'), ['request_id'], unique=False)

    op.create_table('request_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(body) <= 5000', name=op.f('ck_request_message_body_length')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_request_message_author_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_request_message_request_id_help_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_message'))
    )
    with op.batch_alter_table('request_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_message_request_id'), ['request_id'], unique=False)

    op.create_table('request_screenshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("content_type IN ('image/png', 'image/jpeg')", name=op.f('ck_request_screenshot_content_type')),
    sa.CheckConstraint('width > 0 AND height > 0', name=op.f('ck_request_screenshot_dimensions')),
    sa.ForeignKeyConstraint(['request_id'], ['help_request.id'], name=op.f('fk_request_screenshot_request_id_help_request'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_screenshot'))
    )
    with op.batch_alter_table('request_screenshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_request_screenshot_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.add_column(sa.Column('required_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_escalate_only', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('skill', schema=None) as batch_op:
        batch_op.drop_column('is_escalate_only')
        batch_op.drop_column('required_level')

    with op.batch_alter_table('request_screenshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_screenshot_request_id'))

    op.drop_table('request_screenshot')
    with op.batch_alter_table('request_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_message_request_id'))

    op.drop_table('request_message')
    with op.batch_alter_table('request_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_request_event_request_id'))

    op.drop_table('request_event')
    with op.batch_alter_table('desk_pending_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_pending_notice_user_id'))

    op.drop_table('desk_pending_notice')
    with op.batch_alter_table('help_request', schema=None) as batch_op:
        batch_op.drop_index('ix_help_request_status_created')
        batch_op.drop_index(batch_op.f('ix_help_request_skill_id'))
        batch_op.drop_index('ix_help_request_requester_created')
        batch_op.drop_index('ix_help_request_mentor_status')

    op.drop_table('help_request')
    op.drop_table('desk_mail_throttle')
    op.drop_table('desk_settings')
