"""access log: who opened or exported a person's record, append-only

Revision ID: 77f3b30e03ab
Revises: e5a1c7d3b9f2
Create Date: 2026-11-30 17:06:49.629646

Triggers (written by hand; autogenerate cannot see them) refuse any UPDATE of an entry, and any
DELETE unless the purge's permit row exists in the same transaction (access_log.services).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '77f3b30e03ab'
down_revision = "e5a1c7d3b9f2"
branch_labels = None
depends_on = None

POSTGRESQL_FUNCTION = """
CREATE FUNCTION access_log_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM access_log_purge_permit) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access_log_entry is append-only: % refused', TG_OP;
END
$$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER access_log_entry_append_only BEFORE UPDATE OR DELETE ON access_log_entry
FOR EACH ROW EXECUTE FUNCTION access_log_entry_append_only()
"""
SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER access_log_entry_no_update BEFORE UPDATE ON access_log_entry
    BEGIN SELECT RAISE(ABORT, 'access_log_entry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER access_log_entry_no_delete BEFORE DELETE ON access_log_entry
    WHEN NOT EXISTS (SELECT 1 FROM access_log_purge_permit)
    BEGIN SELECT RAISE(ABORT, 'access_log_entry is append-only: DELETE refused'); END
    """,
)


def upgrade():
    op.create_table('access_log_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log_entry'))
    )
    with op.batch_alter_table('access_log_entry', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_entry_actor_at', ['actor_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_access_log_entry_subject_at', ['subject_id', 'at'], unique=False)

    op.create_table('access_log_purge_permit',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log_purge_permit'))
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER access_log_entry_append_only ON access_log_entry")
        op.execute("DROP FUNCTION access_log_entry_append_only()")
    else:
        op.execute("DROP TRIGGER access_log_entry_no_update")
        op.execute("DROP TRIGGER access_log_entry_no_delete")
    op.drop_table('access_log_purge_permit')
    with op.batch_alter_table('access_log_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_entry_subject_at')
        batch_op.drop_index(batch_op.f('ix_access_log_entry_at'))
        batch_op.drop_index('ix_access_log_entry_actor_at')

    op.drop_table('access_log_entry')
