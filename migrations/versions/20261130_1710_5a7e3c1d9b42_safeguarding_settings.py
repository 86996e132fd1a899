"""safeguarding settings: the district's domains and the hosts online sessions may meet on

Revision ID: 5a7e3c1d9b42
Revises: d7daa10aeef2
Create Date: 2026-11-30 17:10:00

One row, created with the defaults (DISTRICT_DOMAIN; meet.google.com, teams.microsoft.com,
zoom.us) the first time it is read, so nothing is inserted here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7e3c1d9b42'
down_revision = "d7daa10aeef2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'safeguarding_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('district_domains', sa.Text(), nullable=False),
        sa.Column('meeting_hosts', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_settings')),
    )


def downgrade():
    op.drop_table('safeguarding_settings')
