"""covering indexes for the dashboard over a term: the sessions' start index carries status,
teacher, mentor and topic, the mentor's index carries status, the teacher's status and topic
(one school's figures), and help requests get one by
opening time, so a term's figures read indexes instead of rows; the most-read tips come from
the top of a (status, view_count) index, and the most helpful from the whole order of theirs.

Plain op.*_index, not batch mode: nothing here may rebuild `booking` (its overlap triggers).

Revision ID: 1d36285b8fc8
Revises: 54a7c5c7f340
Create Date: 2026-12-01 02:12:44.074071

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '1d36285b8fc8'
down_revision = '54a7c5c7f340'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_booking_mentor_starts', table_name='booking')
    op.create_index('ix_booking_mentor_starts', 'booking', ['mentor_id', 'starts_at', 'status'])
    op.drop_index('ix_booking_teacher_starts', table_name='booking')
    op.create_index(
        'ix_booking_teacher_starts', 'booking', ['teacher_id', 'starts_at', 'status', 'skill_id']
    )
    op.drop_index('ix_booking_starts', table_name='booking')
    op.create_index(
        'ix_booking_starts', 'booking',
        ['starts_at', 'status', 'teacher_id', 'mentor_id', 'skill_id'],
    )
    op.create_index(
        'ix_help_request_created', 'help_request',
        ['created_at', 'requester_id', 'status', 'skill_id', 'school_seconds_to_resolve'],
    )
    op.create_index('ix_tip_status_views', 'tip', ['status', 'view_count'])
    op.drop_index('ix_tip_status_helpful', table_name='tip')
    op.create_index(
        'ix_tip_status_helpful', 'tip', ['status', 'helpful_count', 'published_at', 'id']
    )


def downgrade():
    op.drop_index('ix_tip_status_helpful', table_name='tip')
    op.create_index('ix_tip_status_helpful', 'tip', ['status', 'helpful_count'])
    op.drop_index('ix_tip_status_views', table_name='tip')
    op.drop_index('ix_help_request_created', table_name='help_request')
    op.drop_index('ix_booking_starts', table_name='booking')
    op.create_index('ix_booking_starts', 'booking', ['starts_at'])
    op.drop_index('ix_booking_teacher_starts', table_name='booking')
    op.create_index('ix_booking_teacher_starts', 'booking', ['teacher_id', 'starts_at'])
    op.drop_index('ix_booking_mentor_starts', table_name='booking')
    op.create_index('ix_booking_mentor_starts', 'booking', ['mentor_id', 'starts_at'])
