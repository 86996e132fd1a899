"""Telling the advisor and the safeguarding contact that a concern was raised.

Email leaves the district's system, so it says only that a concern was raised and where to read
it: no names, no description, not even what kind of place it is about. The in-app notice (inside
the system, behind sign-in) names the kind of place, never a person.
"""

from helpdesk.accounts.models import User
from helpdesk.concerns.models import Concern
from helpdesk.links import absolute_url
from helpdesk.mail.services import send_email
from helpdesk.notifications.services import notify

EMAIL_SUBJECT = "A concern was raised in Helpdesk"


def concern_raised(concern: Concern, recipients: list[User]) -> None:
    notify(
        recipients,
        f"A concern was raised about {concern.subject_kind.label}.",
        f"/concerns/{concern.id}",
    )
    page = absolute_url("concerns.show", concern_id=concern.id)
    body = (
        "Hello,\n\n"
        "Someone raised a concern in Helpdesk. To protect the people involved, this email does "
        "not say who or what it is about. Sign in to read it:\n\n"
        f"{page}\n\n"
        "Only the program advisor and the safeguarding contact can open it.\n"
    )
    for user in recipients:
        send_email(user.email, EMAIL_SUBJECT, body)
