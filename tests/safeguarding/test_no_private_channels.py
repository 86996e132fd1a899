"""No feature lets an adult and a student exchange messages the advisor cannot read.

Every table that holds people's free text is listed with where the advisor reads it; a new one
fails the first test until someone decides (and, if people write in it to each other, shows it
to the advisor and adds a test below). Then the advisor opens a help-request thread, a session
with its notes and both reflections, a draft tip and the outbox, and finds every word there.
"""

import html

from sqlalchemy import Text

from helpdesk.extensions import db as _db
from helpdesk.mail.models import OutboxMessage
from helpdesk.reflections import services as reflections
from helpdesk.requests import services as desk
from helpdesk.tips import services as tips
from helpdesk.tips.models import Device
from tests.bookings.conftest import SLOT

# Table → where the advisor reads it (or why no person writes in it to another).
REVIEWED = {
    "help_request": "the request page, /requests/<id>",
    "request_message": "the request's thread, /requests/<id>",
    "request_event": "the request's history, /requests/<id>",
    "booking": "the session page, /sessions/<id> (topic, goal, notes)",
    "booking_event": "the session's history, /sessions/<id>",
    "session_report": "the session page, /sessions/<id>",
    "reflection": "the session page: the advisor sees both sides' reflections",
    "mentor_profile": "the mentor's profile, /mentors/<id>",
    "tip": "the advisor reviews every tip, drafts included, /tips/<id>",
    "tip_event": "the advisor's own review comments",
    "outbox_message": "the Outbox, /outbox/<id>: every email the app sends",
    "skill": "written by the advisor",
    "search_document": "the search index, copied from tips",
    "safeguarding_settings": "the advisor's settings",
    "concern": "written to the advisor and the safeguarding contact, /concerns/<id>; never to the person it is about",
    "concern_event": "the concern's history, /concerns/<id>",
    "pairing": "the pairing page, /pairings/<id> (focus, decline reason): the advisor sees every pairing",
    "pairing_reflection": "the pairing page, /pairings/<id>: the advisor reads both closing reflections",
    "workshop": "the workshop page, /workshops/<id>: the advisor sees every workshop",
    "survey_response": "the survey's answers, /surveys/<id>: the advisor reads every answer",
    "hours_entry": "the advisor's hours ledger, /hours/all and /hours/entries/<id>",
    "hours_event": "an hours entry's history, /hours/entries/<id>",
    "hours_certificate": "written by the app from verified entries; the advisor's /hours/certificates/<id>",
}


def _free_text_tables() -> set[str]:
    return {
        table.name
        for table in _db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, Text) or (getattr(column.type, "length", None) or 0) >= 500
    }


def test_every_table_of_free_text_has_been_reviewed(app):
    unreviewed = _free_text_tables() - set(REVIEWED)
    assert unreviewed == set(), (
        "A new table holds people's text: if one person writes in it to another, the advisor "
        "must be able to read it; say where in REVIEWED and test it here."
    )


def test_there_is_no_direct_message_route(app):
    words = ("chat", "inbox", "direct", "dm", "private", "conversation", "pm")
    found = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if any(word in part for part in rule.rule.lower().split("/") for word in words)
    ]
    assert found == []


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def test_the_advisor_reads_every_help_request_thread(client, db, world, login, claimed, clock):
    desk.post_message(claimed, world.mentor, "Try Windows+P and choose Duplicate.", clock.now)
    desk.post_message(claimed, world.teacher, "Still dark; it says no signal.", clock.now)
    db.session.commit()
    login(world.advisor)
    page = _page(client, f"/requests/{claimed.id}")
    for text in (
        "Ms. Park tried Windows+P twice.",
        "Try Windows+P and choose Duplicate.",
        "Still dark; it says no signal.",
    ):
        assert text in page


def test_the_advisor_reads_every_sessions_notes_and_both_reflections(
    client, db, world, login, done
):
    reflections.complete_session(
        done, world.mentor, SLOT.replace(hour=16), showed_up=True,
        covered="Comment-only sharing", steps="1. Share\n2. Commenter", links="",
    )  # fmt: skip
    reflections.reflect(
        done,
        world.teacher,
        reflections.ReflectionInput(learned="Sharing as commenter", rating=5, kudos="So patient"),
    )
    reflections.reflect(
        done, world.mentor, reflections.ReflectionInput(went_well="We found it fast")
    )
    db.session.commit()
    login(world.advisor)
    page = _page(client, f"/sessions/{done.id}")
    for text in (
        done.learning_goal,
        "Comment-only sharing",
        "Sharing as commenter",
        "So patient",
        "We found it fast",
    ):
        assert text in page


def test_the_advisor_reads_a_mentors_draft_tip_and_every_email(client, db, world, login, done):
    reflections.complete_session(
        done, world.mentor, SLOT.replace(hour=16), showed_up=True, covered="Sharing",
        steps="", links="",
    )  # fmt: skip
    tip = tips.create_tip(
        author=world.mentor,
        title="Share a Doc for comments",
        body="Open Share, choose Commenter.",
        skills=[world.skill],
        devices=[Device.ANY],
        booking=done,
    )
    db.session.commit()
    login(world.advisor)
    assert "Open Share, choose Commenter." in _page(client, f"/tips/{tip.id}")
    email = db.session.scalars(db.select(OutboxMessage)).first()
    assert email is not None
    assert email.subject in _page(client, f"/outbox/{email.id}")
