"""Imports every feature's models so the metadata (and Alembic) sees all tables."""

from helpdesk.accounts.models import Role, User
from helpdesk.mail.models import OutboxMessage
from helpdesk.schools.models import School

__all__ = ["OutboxMessage", "Role", "School", "User"]
