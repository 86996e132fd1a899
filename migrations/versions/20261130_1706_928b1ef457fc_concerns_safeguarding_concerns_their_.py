"""concerns: safeguarding concerns, their history and the contact

Revision ID: 928b1ef457fc
Revises: 5a7e3c1d9b42
Create Date: 2026-11-30 17:06:29.869283

Anyone may flag a concern about a session, a help-request message, a tip or a mentor's profile;
the advisor and a safeguarding contact (concern_settings, one row) move it open -> reviewing ->
closed. concern_event is its append-only history (no cascade: deleting a concern with history fails).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '928b1ef457fc'
down_revision = "5a7e3c1d9b42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('concern',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.Enum('session', 'message', 'tip', 'profile', name='subjectkind', native_enum=False, length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('about_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('uncomfortable', 'contact_details', 'unkind', 'safety', 'other', name='category', native_enum=False, length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('name_withheld', sa.Boolean(), nullable=False),
    sa.Column('subject_snapshot', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'reviewing', 'closed', name='concernstatus', native_enum=False, length=16), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_key', sa.String(length=64), nullable=True),
    sa.CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name=op.f('ck_concern_closed_at')),
    sa.CheckConstraint("status != 'closed' OR outcome != ''", name=op.f('ck_concern_closed_has_outcome')),
    sa.CheckConstraint('about_id IS NULL OR about_id != reporter_id', name=op.f('ck_concern_not_about_self')),
    sa.CheckConstraint('length(description) BETWEEN 1 AND 2000', name=op.f('ck_concern_description')),
    sa.ForeignKeyConstraint(['about_id'], ['user_account.id'], name=op.f('fk_concern_about_id_user_account')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_concern_reporter_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern')),
    sa.UniqueConstraint('request_key', name=op.f('uq_concern_request_key'))
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_about_id'), ['about_id'], unique=False)
        batch_op.create_index('ix_concern_reporter_created', ['reporter_id', 'created_at'], unique=False)
        batch_op.create_index('ix_concern_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_concern_subject', ['subject_kind', 'subject_id'], unique=False)

    op.create_table('concern_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['user_account.id'], name=op.f('fk_concern_settings_contact_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_settings'))
    )
    op.create_table('concern_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(note) <= 2000', name=op.f('ck_concern_event_note_length')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_concern_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_event_concern_id_concern')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_event'))
    )
    with op.batch_alter_table('concern_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_event_concern_id'), ['concern_id'], unique=False)



def downgrade():
    with op.batch_alter_table('concern_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_event_concern_id'))

    op.drop_table('concern_event')
    op.drop_table('concern_settings')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_subject')
        batch_op.drop_index('ix_concern_status_created')
        batch_op.drop_index('ix_concern_reporter_created')
        batch_op.drop_index(batch_op.f('ix_concern_about_id'))

    op.drop_table('concern')
