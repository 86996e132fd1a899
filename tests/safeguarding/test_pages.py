"""What people see: a refusal that says why and changes nothing, the advisor's own messages
let through, meeting links held to the allowed hosts, the advisor's settings page, and draft
tips that name no one."""

import html
import re

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings import commands
from helpdesk.bookings.models import Booking, BookingFormat
from helpdesk.mentors.models import MentorProfile
from helpdesk.mentors.services import ProfileError, profile_for, update_profile
from helpdesk.reflections import services as reflections
from helpdesk.reflections.models import Reflection
from helpdesk.requests import services as desk
from helpdesk.requests.models import RequestMessage
from helpdesk.safeguarding.models import SafeguardingSettings
from helpdesk.safeguarding.services import safeguarding_settings
from helpdesk.tips.models import Tip
from tests.bookings.conftest import NOW, SLOT, booking_page

FLASH = re.compile(r'class="flash flash-(\w+)">([^<]*)<')
PROFILE_REFUSAL = (
    "For everyone's safety, Helpdesk doesn't allow phone numbers in profile stories. "
    "Found: a phone number (555-867-5309)."
)


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _flashes(response) -> list[str]:
    return [html.unescape(text) for _kind, text in FLASH.findall(response.get_data(as_text=True))]


def _count(db, model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


# ------------------------------------------------------------------ profiles


def _profile_form(**changes) -> dict:
    return {
        "bio": "I like fixing projectors.",
        "story": "I started with a broken Chromebook.",
        "offers_in_person": "y",
        **changes,
    }


def test_a_profile_story_with_a_phone_number_is_refused_saying_why(client, db, world, login):
    login(world.mentor)
    client.post_form("/mentors/me", _profile_form(), page="/mentors/me")
    response = client.post_form(
        "/mentors/me",
        _profile_form(story="Text me at 555-867-5309 or DM @maya.codes", bio="Changed"),
        page="/mentors/me",
    )
    assert response.status_code == 200
    page = _text(response)
    assert (
        "For everyone's safety, Helpdesk doesn't allow phone numbers and social-media handles "
        "in profile stories. Found: a phone number (555-867-5309) and a social-media handle "
        "(@maya.codes)." in page
    )
    profile = db.session.get(MentorProfile, world.mentor.id)
    db.session.refresh(profile)
    assert profile.story == "I started with a broken Chromebook."
    assert profile.bio == "I like fixing projectors."  # nothing of the refused post was saved


def test_the_profile_service_refuses_too(db, world):
    with pytest.raises(ProfileError) as refused:
        update_profile(
            profile_for(world.mentor),
            bio="",
            story="call 555-867-5309",
            weekly_cap=None,
            offers_online=True,
            offers_in_person=True,
            skill_levels={},
        )
    assert str(refused.value).startswith(PROFILE_REFUSAL)


def test_a_teacher_never_sees_a_refused_story(client, db, world, login):
    login(world.mentor)
    client.post_form("/mentors/me", _profile_form(story="snap: maya.c"), page="/mentors/me")
    client.post_form("/logout")
    login(world.teacher)
    assert "maya.c" not in _text(client.get(f"/mentors/{world.mentor.id}"))


# ------------------------------------------------------------------ help requests


def test_a_mentor_reply_with_an_email_is_refused_and_not_sent(client, db, world, login, claimed):
    login(world.mentor)
    response = client.post_form(
        f"/requests/{claimed.id}/reply",
        {"body": "Easier by email: maya at gmail dot com"},
        follow_redirects=True,
    )
    assert any(
        "doesn't allow email addresses in messages. Found: an email address "
        "(maya at gmail dot com)" in flash
        for flash in _flashes(response)
    )
    assert _count(db, RequestMessage) == 0


def test_a_teacher_reply_with_a_phone_number_is_refused(client, db, world, login, claimed):
    login(world.teacher)
    response = client.post_form(
        f"/requests/{claimed.id}/reply", {"body": "Call me: 555 867 5309"}, follow_redirects=True
    )
    assert any("a phone number (555 867 5309)" in flash for flash in _flashes(response))
    assert _count(db, RequestMessage) == 0


def test_the_advisors_own_messages_may_carry_contact_details(client, db, world, login, claimed):
    login(world.advisor)
    body = "Maya, call the IT office at 555-867-5309 if the projector is still dark."
    client.post_form(f"/requests/{claimed.id}/reply", {"body": body})
    assert db.session.scalar(db.select(RequestMessage.body)) == body


def test_a_new_request_with_a_handle_is_refused_on_the_form(client, db, world, login):
    login(world.teacher)
    response = client.post_form(
        "/requests/new",
        {
            "skill_id": world.skill.id,
            "summary": "Projector",
            "details": "DM me on insta helen_teaches",
            "urgency": "week",
        },
        page="/requests/new",
    )
    assert response.status_code == 200
    assert "doesn't allow social-media handles in help requests" in _text(response)
    assert _count(db, desk.HelpRequest) == 0


# ------------------------------------------------------------------ sessions


def _complete(db, world, booking) -> None:
    reflections.complete_session(
        booking, world.mentor, SLOT.replace(hour=16), showed_up=True, covered="Sharing",
        steps="", links="",
    )  # fmt: skip
    db.session.commit()


def _post_booking(client, world, data):
    page = booking_page(world)
    form = _text(client.get(page))
    key = re.search(r'name="request_key" type="hidden" value="([^"]+)"', form).group(1)
    fields = {
        "topic": "Sharing a Doc",
        "learning_goal": "Share a Doc so students can comment.",
        "format": "in_person",
        "room": "B12",
        "agrees_to_norms": "y",
        "request_key": key,
        **data,
    }
    return client.post_form(page, fields, page=page)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"format": "online", "meeting_url": "https://zoom.us.evil.com/j/1"},
            "Sessions meet only on services the district supervises",
        ),
        ({"format": "online", "meeting_url": "http://zoom.us/j/1"}, "https://"),
        ({"format": "in_person", "room": ""}, "Say which room you will meet in."),
        ({"format": "in_person", "room": "123 Main St"}, "a street address (123 Main St)"),
        ({"notes": "text me 555-867-5309"}, "in session requests. Found: a phone number"),
    ],
)
def test_a_session_request_is_refused_saying_why(client, db, world, login, data, message):
    login(world.teacher)
    response = _post_booking(client, world, data)
    assert response.status_code == 200
    assert message in _text(response)
    assert _count(db, Booking) == 0


def test_an_online_session_on_an_allowed_host_is_booked(client, db, world, login):
    login(world.teacher)
    url = "https://meet.google.com/abc-defg-hij"
    response = _post_booking(client, world, {"format": "online", "meeting_url": url})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Booking.meeting_url)) == url


def test_the_booking_service_holds_the_same_rule(db, world):
    request = commands.BookingRequest(
        mentor_id=world.mentor.id,
        skill_id=world.skill.id,
        starts_at=SLOT,
        minutes=30,
        topic="Docs",
        learning_goal="Share",
        format=BookingFormat.ONLINE,
        meeting_url="https://evil.example/zoom.us",
        agrees_to_norms=True,
    )
    with pytest.raises(commands.BookingError, match="services the district supervises"):
        commands.request_booking(world.teacher, request, NOW)
    assert _count(db, Booking) == 0


def test_kudos_with_a_handle_is_refused_and_no_reflection_is_saved(client, db, world, login, done):
    _complete(db, world, done)
    login(world.teacher)
    response = client.post_form(
        f"/sessions/{done.id}/reflect",
        {"learned": "Sharing.", "rating": "5", "kudos": "Thanks! Follow me @helen.teaches"},
        page=f"/sessions/{done.id}",
        follow_redirects=True,
    )
    assert any(
        "doesn't allow social-media handles in kudos" in flash for flash in _flashes(response)
    )
    assert _count(db, Reflection) == 0


def test_session_notes_with_a_social_link_are_refused(client, db, world, login, done):
    login(world.mentor)
    response = client.post_form(
        f"/sessions/{done.id}/complete",
        {"outcome": "completed", "covered": "Sharing", "links": "https://discord.gg/mayahelps"},
        page=f"/sessions/{done.id}",
        follow_redirects=True,
    )
    assert any(
        "a link to a social or messaging site (https://discord.gg/mayahelps)" in flash
        for flash in _flashes(response)
    )
    db.session.refresh(done)
    assert done.status.value == "approved"


# ------------------------------------------------------------------ settings


def test_the_settings_start_from_the_district_domain_and_the_three_services(db, app):
    settings = safeguarding_settings()
    assert settings.district_domain_list == [app.config["DISTRICT_DOMAIN"]]
    assert settings.meeting_host_list == ["meet.google.com", "teams.microsoft.com", "zoom.us"]


def test_the_advisor_changes_the_allowed_hosts_and_bookings_follow(client, db, world, login):
    login(world.advisor)
    page = _text(client.get("/safeguarding/settings"))
    assert "meet.google.com" in page and "Safeguarding" in page
    response = client.post_form(
        "/safeguarding/settings",
        {"district_domains": "district.example.org", "meeting_hosts": "whereby.com\nZoom.us/"},
        page="/safeguarding/settings",
    )
    assert response.status_code == 302
    settings = db.session.get(SafeguardingSettings, 1)
    db.session.refresh(settings)
    assert settings.meeting_host_list == ["whereby.com", "zoom.us"]
    client.post_form("/logout")

    login(world.teacher)
    refused = _post_booking(
        client, world, {"format": "online", "meeting_url": "https://meet.google.com/abc"}
    )
    assert "whereby.com or zoom.us" in _text(refused)
    accepted = _post_booking(
        client, world, {"format": "online", "meeting_url": "https://whereby.com/maya"}
    )
    assert accepted.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"district_domains": "", "meeting_hosts": "evil.com/zoom.us"}, "is not a host name"),
        ({"district_domains": "xn--dstrict-8ya.org", "meeting_hosts": ""}, "internationalized"),
        ({"district_domains": "", "meeting_hosts": ""}, "Allow at least one place"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(client, db, world, login, data, message):
    login(world.advisor)
    client.get("/safeguarding/settings")
    response = client.post_form("/safeguarding/settings", data, page="/safeguarding/settings")
    assert response.status_code == 200
    assert message in _text(response)
    settings = db.session.get(SafeguardingSettings, 1)
    db.session.refresh(settings)
    assert settings.meeting_host_list == ["meet.google.com", "teams.microsoft.com", "zoom.us"]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_only_the_advisor_opens_the_settings(client, db, login_as, role):
    login_as(role)
    assert client.get("/safeguarding/settings").status_code == 403
    response = client.post_form(
        "/safeguarding/settings", {"district_domains": "evil.com", "meeting_hosts": "evil.com"}
    )
    assert response.status_code == 403
    assert _count(db, SafeguardingSettings) == 0


# ------------------------------------------------------------------ draft tips


def test_a_draft_tip_from_a_help_request_names_no_one(client, db, world, login, claimed, clock):
    desk.post_message(claimed, world.mentor, "Helen, press Windows+P. Maya Chen", clock.now)
    desk.post_message(claimed, world.teacher, "Thanks Maya!", clock.now)
    desk.resolve_request(claimed, world.mentor, clock.now)
    db.session.commit()
    login(world.mentor)
    client.post_form(f"/requests/{claimed.id}/tip", page=f"/requests/{claimed.id}")
    tip = db.session.scalar(db.select(Tip))
    assert tip.title == "The teacher's projector won't mirror"
    assert "The teacher tried Windows+P twice." in tip.body
    assert "The teacher, press Windows+P. The mentor" in tip.body
    for name in ("Helen", "Park", "Maya", "Chen"):
        assert name not in tip.title + tip.body


def test_a_draft_tip_from_a_session_names_no_one(client, db, world, login, done):
    _complete(db, world, done)
    login(world.mentor)
    page = _text(client.get(f"/tips/new?booking={done.id}"))
    title = re.search(r'name="title"[^>]*value="([^"]*)"', page) or re.search(
        r'value="([^"]*)"[^>]*name="title"', page
    )
    assert title.group(1) == "The mentor shows the teacher comment-only sharing"
