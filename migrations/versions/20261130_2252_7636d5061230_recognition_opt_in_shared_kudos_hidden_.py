"""recognition: a mentor's opt-in, a teacher's shared kudos, the items the advisor hid

Revision ID: 7636d5061230
Revises: 77f3b30e03ab
Create Date: 2026-11-30 22:52:17.810292

Both flags default to off (false on both databases): nobody appears and no kudos is shared
until the person chooses it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7636d5061230'
down_revision = '77f3b30e03ab'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('hidden_recognition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user_account.id'], name=op.f('fk_hidden_recognition_hidden_by_id_user_account')),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_hidden_recognition_mentor_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hidden_recognition')),
    sa.UniqueConstraint('mentor_id', 'item', name=op.f('uq_hidden_recognition_mentor_id_item'))
    )
    with op.batch_alter_table('hidden_recognition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hidden_recognition_mentor_id'), ['mentor_id'], unique=False)

    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_recognition_public', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_kudos_shared', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_column('is_kudos_shared')

    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.drop_column('is_recognition_public')

    with op.batch_alter_table('hidden_recognition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hidden_recognition_mentor_id'))

    op.drop_table('hidden_recognition')
