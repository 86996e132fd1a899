"""A small district for help-request tests: one school with a calendar, mentors at each level."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.requests import services
from helpdesk.requests.models import HelpRequest
from helpdesk.skills.services import save_skill
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device

# Mon 2 Nov 2026, 09:00 in New York (school runs 08:00-15:00 local, 13:00-20:00 UTC).
NOW = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
IT_EMAIL = "it-help@district.example.org"


@dataclass
class World:
    school: object
    docs: object  # any mentor may claim
    video: object  # expert level only
    passwords: object  # adult IT only
    mentor: User  # confident in Docs, can-help in Video
    mentor2: User  # confident in Docs
    expert: User  # expert in Video
    teacher: User
    teacher2: User
    staff: User
    advisor: User


@pytest.fixture
def world(db, make_school_with_calendar, make_mentor, make_user, clock) -> World:
    clock.now = NOW
    school = make_school_with_calendar()
    docs = save_skill(name="Google Docs", description="", category="Docs")
    video = save_skill(name="Video editing", description="", category="Video")
    passwords = save_skill(name="Accounts and passwords", description="", category="Accounts")
    services.set_topic_rules(video, required_level=3, is_escalate_only=False)
    services.set_topic_rules(passwords, required_level=None, is_escalate_only=True)

    world = World(
        school=school,
        docs=docs,
        video=video,
        passwords=passwords,
        mentor=make_mentor("Maya Chen", school, {docs: 2, video: 1}),
        mentor2=make_mentor("Leo Martins", school, {docs: 2}),
        expert=make_mentor("Ana Lopez", school, {video: 3}),
        teacher=make_user(Role.TEACHER, full_name="Helen Park", school=school),
        teacher2=make_user(Role.TEACHER, full_name="Robert Gaines", school=school),
        staff=make_user(Role.STAFF, full_name="Lee Librarian", school=school),
        advisor=make_user(Role.ADVISOR, full_name="Dana Whitfield", school=school),
    )
    db.session.commit()
    return world


@pytest.fixture
def ask(db, world, clock):
    """Open a request through the service, as the form does."""

    def do(requester: User | None = None, skill=None, **fields) -> HelpRequest:
        new = services.NewRequest(
            skill_id=(skill or world.docs).id,
            summary=fields.pop("summary", "My projector won't mirror"),
            details=fields.pop("details", "The laptop shows the picture, the projector does not."),
            device=fields.pop("device", "Windows laptop"),
            room=fields.pop("room", "B12"),
            **fields,
        )
        help_request = services.open_request(requester or world.teacher, new, clock.now)
        db.session.commit()
        return help_request

    return do


@pytest.fixture
def it_address(db):
    services.update_desk_settings(first_response_hours=4, resolution_hours=14, it_email=IT_EMAIL)
    db.session.commit()
    return IT_EMAIL


@pytest.fixture
def published_tip(db, world):
    def make(
        title: str = "Mirror your screen to the projector",
        body: str = "Press Windows+P and choose Duplicate.",
    ):
        tip = tips.create_tip(
            author=world.advisor, title=title, body=body, skills=[world.docs], devices=[Device.ANY]
        )
        tips.submit_tip(tip, by=world.advisor)
        tips.publish_tip(tip, by=world.advisor)
        db.session.commit()
        return tip

    return make
