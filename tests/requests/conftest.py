"""A small district for help-request tests: one school with a calendar, mentors at each level."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.calendar import services as calendar
from helpdesk.mentors.services import profile_for, update_profile
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
def world(db, make_school, make_user, clock) -> World:
    clock.now = NOW
    school = make_school("Lincoln High School", "America/New_York")
    calendar.set_term(school, date(2026, 9, 1), date(2027, 6, 20))
    calendar.save_schedule(
        school,
        "Regular",
        calendar.parse_periods(
            "Period 1, 08:00, 08:50\nPeriod 4, 10:00, 10:50\nPeriod 7, 14:10, 15:00"
        ),
    )
    docs = save_skill(name="Google Docs", description="", category="Docs")
    video = save_skill(name="Video editing", description="", category="Video")
    passwords = save_skill(name="Accounts and passwords", description="", category="Accounts")
    services.set_topic_rules(video, required_level=3, is_escalate_only=False)
    services.set_topic_rules(passwords, required_level=None, is_escalate_only=True)

    def mentor(name: str, levels: dict) -> User:
        user = make_user(
            Role.MENTOR,
            full_name=name,
            school=school,
            email=f"{name.split()[0].lower()}@students.example.org",
        )
        update_profile(
            profile_for(user),
            bio="",
            story="",
            weekly_cap=None,
            offers_online=True,
            offers_in_person=True,
            skill_levels={skill.id: level for skill, level in levels.items()},
        )
        return user

    world = World(
        school=school,
        docs=docs,
        video=video,
        passwords=passwords,
        mentor=mentor("Maya Chen", {docs: 2, video: 1}),
        mentor2=mentor("Leo Martins", {docs: 2}),
        expert=mentor("Ana Lopez", {video: 3}),
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
