"""A graduate with a full history: sessions, notes, reflections, kudos, a published tip, help
requests with messages and a screenshot, notifications and mail, and a session still to come."""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from PIL import Image

from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking
from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Category, ConcernStatus, SubjectKind
from helpdesk.concerns.subjects import find_subject
from helpdesk.mail.services import send_email
from helpdesk.mentors.services import profile_for
from helpdesk.reflections import services as reflections
from helpdesk.requests import services as desk
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device, Tip
from tests.bookings.conftest import NOW, SLOT, book, world  # noqa: F401  (shared fixtures)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Graduate:
    done: Booking  # completed, with notes and both reflections
    moved: Booking  # reassigned from the graduate to Leo before they left
    upcoming: Booking  # approved, still to come
    tip: Tip
    claimed_request_id: int
    answered_request_id: int


@pytest.fixture
def graduate(db, world, book, clock) -> Graduate:  # noqa: F811 (fixtures imported above)
    """Maya Chen (class of 2026) with everything a graduate leaves; Leo Martins is class of 2027."""
    maya, helen, advisor = world.mentor, world.teacher, world.advisor
    maya.class_of = 2026
    world.mentor2.class_of = 2027
    profile = profile_for(maya)
    profile.bio = "I'm Maya, a senior who loves spreadsheets."
    profile.story = "Maya Chen started helping teachers in grade 9."

    done = book(notes="Maya, please bring the adapter.")
    commands.approve_booking(done, advisor)
    moved = book(teacher=world.teacher2, starts_at=SLOT + timedelta(days=7))
    commands.reassign_booking(moved, advisor, world.mentor2, NOW)
    upcoming = book(starts_at=SLOT + timedelta(days=14), topic="Comment-only sharing")
    commands.approve_booking(upcoming, advisor)
    db.session.commit()

    clock.now = SLOT + timedelta(hours=1)
    reflections.complete_session(
        done,
        maya,
        clock.now,
        showed_up=True,
        covered="Maya showed Helen the comment-only share setting.",
        steps="Share, then Commenter.",
        links="",
    )
    reflections.reflect(
        done,
        helen,
        reflections.ReflectionInput(
            learned="Maya Chen was patient; Chen's steps were clear.",
            rating=5,
            kudos="Thanks Maya!",
        ),
    )
    reflections.reflect(done, maya, reflections.ReflectionInput(went_well="Helen got it fast."))
    tip = tips.create_tip(
        author=maya,
        title="Share a Doc for comments only",
        body="Open Share, choose Commenter. Ask Maya C. if it greys out.",
        skills=[world.skill],
        devices=Device.ANY,
        booking=done,
    )
    tips.submit_tip(tip, by=maya)
    tips.publish_tip(tip, by=advisor)

    claimed = desk.open_request(
        world.teacher2,
        desk.NewRequest(skill_id=world.skill.id, summary="Projector", details="Maya knows it."),
        clock.now,
    )
    desk.add_screenshot(claimed, world.teacher2, png())
    desk.claim_request(claimed, maya, clock.now)
    desk.post_message(claimed, maya, "Hi, I'm Maya Chen; I'll come by.", clock.now)
    desk.post_message(claimed, world.teacher2, "Thank you Maya!", clock.now)
    answered = desk.open_request(
        helen, desk.NewRequest(skill_id=world.skill.id, summary="Printer"), clock.now
    )
    desk.add_screenshot(answered, helen, png())
    desk.claim_request(answered, maya, clock.now)
    desk.resolve_request(answered, maya, clock.now, note="Fixed by Maya")
    profile_concern = concerns.raise_concern(
        helen,
        find_subject(SubjectKind.PROFILE, maya.id, helen),
        concerns.NewConcern(Category.OTHER, "Maya Chen's story mentions her grade; check it?"),
        clock.now,
    )
    concerns.change_status(
        profile_concern, advisor, ConcernStatus.CLOSED, "Talked with Maya; fine.", clock.now
    )
    send_email(helen.email, "About Maya Chen", f"Ask {maya.full_name} ({maya.email}) again.")
    send_email(helen.email, "Thanks", "Maya C. fixed it. Chen says hi; Maya will be back Monday.")
    db.session.commit()
    return Graduate(done, moved, upcoming, tip, claimed.id, answered.id)
