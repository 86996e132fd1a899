"""Issue 17's credit path as one test: a mentor's completed session, workshop and resolved help
request each make a ledger entry; the advisor verifies them through the forms; the mentor's
progress toward the service-learning target moves; the certificate lists exactly the verified
entries, and the public page confirms it."""

import json
import re
from datetime import timedelta

from helpdesk.hours import services as hours
from helpdesk.hours.models import Certificate, EntryKind, EntryStatus, HoursEntry
from helpdesk.requests import services as desk
from helpdesk.workshops import services as workshops
from tests.hours.conftest import entries_of
from tests.hours.test_certificates import pdf_text
from tests.workshops import conftest as _workshops
from tests.workshops.conftest import WORKSHOP_AT

S = EntryStatus
# The workshop tests' fixtures, here for the workshop part of the path.
open_workshop = _workshops.open_workshop
propose = _workshops.propose


def _sign_in(client, login, user) -> None:
    """Sign out whoever is signed in, then sign in as `user`, through the forms."""
    client.post_form("/logout", page="/")
    assert login(user).status_code == 302


def _decide(client, entry: HoursEntry, **form) -> None:
    page = f"/hours/entries/{entry.id}"
    response = client.post_form(f"{page}/decide", {"version": "1", **form}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_session_workshop_and_help_request_become_verified_hours_and_a_certificate(
    db,
    world,
    complete,
    open_workshop,
    claimed,
    client,
    login,
    clock,
):
    session = complete(minutes=45, topic="Comment-only sharing in Docs")
    workshop = open_workshop(title="Google Docs for feedback")
    workshops.sign_up(workshop, world.teacher, clock.now)
    db.session.commit()
    workshops.take_attendance(
        workshop, world.mentor, {world.teacher.id}, WORKSHOP_AT + timedelta(hours=2)
    )
    db.session.commit()
    help_request = claimed(summary="Projector shows no signal")
    desk.resolve_request(help_request, world.mentor, clock.now, minutes=20)
    db.session.commit()

    made = {e.kind: e for e in entries_of(db, world.mentor)}
    assert set(made) == {EntryKind.SESSION, EntryKind.WORKSHOP, EntryKind.HELP_REQUEST}
    assert [made[k].minutes_claimed for k in EntryKind if k in made] == [45, 60, 20]
    assert all(e.status is S.PENDING for e in made.values())
    assert made[EntryKind.SESSION].source_key == f"booking:{session.id}"

    _sign_in(client, login, world.mentor)
    page = client.get("/hours/").get_data(as_text=True)
    assert "0 of 25 hours verified (0%); 2.1 hours waiting." in page

    _sign_in(client, login, world.advisor)
    _decide(client, made[EntryKind.SESSION], action="verify")
    _decide(client, made[EntryKind.WORKSHOP], action="verify")
    _decide(
        client, made[EntryKind.HELP_REQUEST], action="adjust", minutes="15",
        reason="Fixed in the first quarter hour",
    )  # fmt: skip
    for entry in made.values():
        db.session.refresh(entry)
    assert [made[k].status for k in EntryKind if k in made] == [S.VERIFIED, S.VERIFIED, S.ADJUSTED]
    # One more claim that the advisor leaves waiting: it must stay off the certificate.
    hours.record_activity(
        world.mentor, EntryKind.MANUAL, "manual:club", "Club meeting", clock.now.date(), 60
    )
    db.session.commit()

    _sign_in(client, login, world.mentor)
    page = client.get("/hours/").get_data(as_text=True)
    # 45 + 60 + 15 minutes verified; the club meeting waits, and counts only as extracurricular.
    assert "2 of 25 hours verified (8%)." in page
    assert "2 of 40 hours verified (5%); 1 hour waiting." in page

    _sign_in(client, login, world.advisor)
    person_page = f"/hours/people/{world.mentor.id}"
    response = client.post_form(f"{person_page}/certificates", page=person_page)
    assert response.status_code == 302
    certificate = db.session.scalar(db.select(Certificate))
    assert certificate.minutes == 120
    titles = [e["title"] for e in json.loads(certificate.snapshot)["entries"]]
    assert len(titles) == 3 and "Club meeting" not in titles

    _sign_in(client, login, world.mentor)
    pdf = client.get(f"/hours/certificates/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Total: 2 hours" in text and "Club meeting" not in text
    assert "Google Docs for feedback" in text and "Projector shows no signal" in text
    code = re.search(r"Verification code: ([0-9A-Z-]+)", text).group(1)

    client.post_form("/logout", page="/")
    confirmation = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Valid certificate" in confirmation and "2 hours" in confirmation
    assert "Maya C." in confirmation and "Chen" not in confirmation
    assert "Projector shows no signal" not in confirmation  # the page confirms, nothing more
