"""user class_of and anonymized_at: a student's graduation year, and when their identity went

Revision ID: e5a1c7d3b9f2
Revises: 928b1ef457fc
Create Date: 2026-11-30 17:10:00

Both nullable: adults have no class; nobody is anonymized yet.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5a1c7d3b9f2'
down_revision = "928b1ef457fc"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('class_of', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('anonymized_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_account_class_of'), ['class_of'], unique=False)
        batch_op.create_check_constraint(
            'class_of_range', 'class_of IS NULL OR (class_of BETWEEN 2000 AND 2100)'
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint('class_of_range', type_='check')
        batch_op.drop_index(batch_op.f('ix_user_account_class_of'))
        batch_op.drop_column('anonymized_at')
        batch_op.drop_column('class_of')
