"""pairings: teacher free periods, pairings, goals, progress, closing reflections

Revision ID: 42627ed17046
Revises: 7636d5061230
Create Date: 2026-11-30 22:48:16.087524

Five new tables, nothing else changes. A mentor has at most one active pairing with the same
teacher: the partial unique index uq_pairing_active_pair (WHERE status = 'active'), on SQLite and
PostgreSQL alike.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '42627ed17046'
down_revision = "7636d5061230"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pairing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('asked_mentor_id', sa.Integer(), nullable=True),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('requested', 'declined', 'active', 'closed', name='pairingstatus', native_enum=False, length=16), nullable=False),
    sa.Column('focus', sa.Text(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('teacher_norms_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mentor_norms_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status NOT IN ('active', 'closed') OR mentor_id IS NOT NULL", name=op.f('ck_pairing_paired_has_mentor')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_pairing_ends_after_start')),
    sa.ForeignKeyConstraint(['asked_mentor_id'], ['user_account.id'], name=op.f('fk_pairing_asked_mentor_id_user_account')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_pairing_closed_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_pairing_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['mentor_id'], ['user_account.id'], name=op.f('fk_pairing_mentor_id_user_account')),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_pairing_skill_id_skill')),
    sa.ForeignKeyConstraint(['teacher_id'], ['user_account.id'], name=op.f('fk_pairing_teacher_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing'))
    )
    with op.batch_alter_table('pairing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index('ix_pairing_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pairing_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index('uq_pairing_active_pair', ['mentor_id', 'teacher_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('pairing_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'met', name='goalstatus', native_enum=False, length=16), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('position BETWEEN 1 AND 3', name=op.f('ck_pairing_goal_position_range')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairing.id'], name=op.f('fk_pairing_goal_pairing_id_pairing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_goal')),
    sa.UniqueConstraint('pairing_id', 'position', name=op.f('uq_pairing_goal_pairing_id_position'))
    )
    op.create_table('pairing_reflection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pairing_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=8), nullable=False),
    sa.Column('about_program', sa.Text(), nullable=False),
    sa.Column('view_change', sa.Text(), nullable=False),
    sa.Column('future_use', sa.Text(), nullable=False),
    sa.Column('learned', sa.Text(), nullable=False),
    sa.Column('applied', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_pairing_reflection_author_id_user_account')),
    sa.ForeignKeyConstraint(['pairing_id'], ['pairing.id'], name=op.f('fk_pairing_reflection_pairing_id_pairing'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_reflection')),
    sa.UniqueConstraint('pairing_id', 'author_id', name=op.f('uq_pairing_reflection_pairing_id_author_id'))
    )
    with op.batch_alter_table('pairing_reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_reflection_pairing_id'), ['pairing_id'], unique=False)

    op.create_table('teacher_free_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('period_name', sa.String(length=40), nullable=False),
    sa.Column('day_type_id', sa.Integer(), nullable=True),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.CheckConstraint('(day_type_id IS NULL) <> (weekday IS NULL)', name=op.f('ck_teacher_free_period_day_type_or_weekday')),
    sa.CheckConstraint('weekday IS NULL OR weekday BETWEEN 0 AND 6', name=op.f('ck_teacher_free_period_weekday_range')),
    sa.ForeignKeyConstraint(['day_type_id'], ['day_type.id'], name=op.f('fk_teacher_free_period_day_type_id_day_type'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['user_account.id'], name=op.f('fk_teacher_free_period_teacher_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teacher_free_period'))
    )
    with op.batch_alter_table('teacher_free_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teacher_free_period_teacher_id'), ['teacher_id'], unique=False)

    op.create_table('pairing_goal_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'met', name='goalstatus', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_pairing_goal_update_author_id_user_account')),
    sa.ForeignKeyConstraint(['goal_id'], ['pairing_goal.id'], name=op.f('fk_pairing_goal_update_goal_id_pairing_goal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_goal_update'))
    )
    with op.batch_alter_table('pairing_goal_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_goal_update_goal_id'), ['goal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pairing_goal_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_goal_update_goal_id'))

    op.drop_table('pairing_goal_update')
    with op.batch_alter_table('teacher_free_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teacher_free_period_teacher_id'))

    op.drop_table('teacher_free_period')
    with op.batch_alter_table('pairing_reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pairing_reflection_pairing_id'))

    op.drop_table('pairing_reflection')
    op.drop_table('pairing_goal')
    with op.batch_alter_table('pairing', schema=None) as batch_op:
        batch_op.drop_index('uq_pairing_active_pair', sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))
        batch_op.drop_index(batch_op.f('ix_pairing_teacher_id'))
        batch_op.drop_index('ix_pairing_status_created')
        batch_op.drop_index(batch_op.f('ix_pairing_mentor_id'))

    op.drop_table('pairing')
