"""indexes for the week view and recent escalations

Revision ID: 3f92ae13530b
Revises: 8ec58e94710d
Create Date: 2026-11-23 02:59:00.293559

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f92ae13530b'
down_revision = '8ec58e94710d'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE INDEX, not batch mode: no SQLite table copy can then drop the overlap-guard
    # triggers that 8bf7ff8681cf wrote by hand on booking.
    op.create_index('ix_booking_starts', 'booking', ['starts_at'], unique=False)
    op.create_index(
        'ix_help_request_status_escalated', 'help_request', ['status', 'escalated_at'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_help_request_status_escalated', table_name='help_request')
    op.drop_index('ix_booking_starts', table_name='booking')
