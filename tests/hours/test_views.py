"""Ledger pages: each person's own, the advisor's filtered list and CSV, deciding through the
forms, manual entries, settings, the resolve form's minutes, permissions and query budgets."""

import csv
import io
from datetime import date

import pytest

from helpdesk.accounts.models import Role
from helpdesk.hours import services as hours
from helpdesk.hours.models import EntryKind, EntryStatus, HoursEntry, HoursSettings
from helpdesk.requests.models import RequestStatus
from tests.hours.conftest import entries_of

S = EntryStatus


def test_a_mentor_sees_their_ledger_totals_and_progress(db, world, entry, client, login):
    verified = entry(minutes=90, title="Slides for Ms. Park")
    entry(minutes=30, title="Waiting podcast help")
    hours.decide(verified, world.advisor, S.VERIFIED)
    entry(person=world.mentor2, title="Leo's own entry")
    db.session.commit()
    login(world.mentor)
    page = client.get("/hours/").get_data(as_text=True)
    assert "My hours" in page and "Service hours" in page
    assert "1.5 hours" in page and "0.5 hours" in page
    assert "Slides for Ms. Park" in page and "Waiting podcast help" in page
    assert "Leo&#39;s own entry" not in page and "Leo's own entry" not in page
    assert "1.5 of 25 hours verified (6%); 0.5 hours waiting." in page
    assert '<progress id="progress-service" max="100" value="6"' in page
    assert "Issue a certificate" not in page


def test_a_teacher_sees_pd_hours_and_whether_the_district_designated(
    db, world, entry, client, login
):
    hours.decide(entry(person=world.teacher, minutes=60), world.advisor, S.VERIFIED)
    db.session.commit()
    login(world.teacher)
    page = client.get("/hours/").get_data(as_text=True)
    assert "Professional-development hours" in page
    assert "has not designated this program for CTLE" in page
    assert "Seal of Civic Readiness" not in page
    settings = hours.hours_settings()
    settings.pd_designated = True
    db.session.commit()
    assert "CTLE: <strong>1 hour</strong> verified" in client.get("/hours/").get_data(as_text=True)


def test_the_home_pages_show_verified_and_pending_from_the_ledger(db, world, entry, client, login):
    hours.decide(entry(minutes=60), world.advisor, S.VERIFIED)
    entry(minutes=30)
    db.session.commit()
    login(world.mentor)
    page = client.get("/").get_data(as_text=True)
    assert "<strong>1 verified service hour</strong> · 0.5 hours waiting for the advisor" in page


def test_someone_elses_ledger_entry_and_certificate_are_404(db, world, entry, client, login):
    theirs = entry(person=world.mentor2)
    login(world.mentor)
    assert client.get(f"/hours/entries/{theirs.id}").status_code == 404
    assert client.get("/hours/entries/99999").status_code == 404
    assert client.get(f"/hours/people/{world.mentor2.id}").status_code == 403


@pytest.mark.parametrize("role", [Role.MENTOR, Role.TEACHER, Role.STAFF])
@pytest.mark.parametrize(
    "path", ["/hours/all", "/hours/all.csv", "/hours/manual", "/hours/settings", "/hours/people/1"]
)
def test_only_the_advisor_opens_the_advisors_pages(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


def test_staff_have_no_ledger_and_strangers_sign_in(client, login_as, db):
    assert client.get("/hours/").status_code == 302
    login_as(Role.STAFF)
    assert client.get("/hours/").status_code == 403


@pytest.mark.parametrize("who", ["mentor", "teacher"])
def test_non_advisors_cannot_verify(db, world, entry, client, login, who):
    made = entry()
    login(getattr(world, who))
    page = f"/hours/entries/{made.id}"
    assert client.get(page).status_code == (200 if who == "mentor" else 404)
    response = client.post_form(
        f"/hours/entries/{made.id}/decide", {"action": "verify", "version": "1"}
    )
    assert response.status_code == 403
    assert client.post_form("/hours/bulk-approve", {"entry": str(made.id)}).status_code == 403
    db.session.refresh(made)
    assert made.status is S.PENDING


def test_the_advisor_verifies_adjusts_and_rejects_through_the_form(db, world, entry, client, login):
    made = entry(minutes=60)
    login(world.advisor)
    page = f"/hours/entries/{made.id}"
    client.post_form(
        f"{page}/decide", {"action": "adjust", "version": "1", "minutes": "45"}, page=page
    )
    assert "Say why the minutes changed." in client.get(page).get_data(as_text=True)
    db.session.refresh(made)
    assert made.status is S.PENDING
    client.post_form(
        f"{page}/decide",
        {"action": "adjust", "version": "1", "minutes": "45", "reason": "Left at the bell"},
        page=page,
    )
    db.session.refresh(made)
    assert (made.status, made.verified_minutes, made.reason) == (S.ADJUSTED, 45, "Left at the bell")
    html = client.get(page).get_data(as_text=True)
    assert "Entry adjusted." in html and "Dana Whitfield" in html and "Left at the bell" in html
    # The same form again, from the page as it was: someone changed it meanwhile.
    client.post_form(
        f"{page}/decide", {"action": "reject", "version": "1", "reason": "x"}, page=page
    )
    assert "at the same time" in client.get(page).get_data(as_text=True)


def test_a_reason_with_contact_details_is_refused(db, world, entry, client, login):
    made = entry()
    login(world.advisor)
    page = f"/hours/entries/{made.id}"
    client.post_form(
        f"{page}/decide",
        {"action": "reject", "version": "1", "reason": "Text me at 555-867-5309"},
        page=page,
    )
    assert "For everyone" in client.get(page).get_data(as_text=True)
    db.session.refresh(made)
    assert made.status is S.PENDING


def test_a_post_without_the_form_token_is_refused(db, world, entry, client, login):
    made = entry()
    login(world.advisor)
    response = client.post(
        f"/hours/entries/{made.id}/decide", data={"action": "verify", "version": "1"}
    )
    assert response.status_code in (302, 400)
    db.session.refresh(made)
    assert made.status is S.PENDING


def test_bulk_approve_from_the_list(db, world, entry, client, login):
    chosen = [entry(minutes=30), entry(person=world.teacher, minutes=20)]
    left = entry(minutes=10)
    login(world.advisor)
    response = client.post_form(
        "/hours/bulk-approve", {"entry": [str(e.id) for e in chosen]}, page="/hours/all"
    )
    assert response.status_code == 302
    assert "Verified 2 of 2 selected entries." in client.get("/hours/all").get_data(as_text=True)
    for made in (*chosen, left):
        db.session.refresh(made)
    assert [e.status for e in chosen] == [S.VERIFIED, S.VERIFIED] and left.status is S.PENDING


def test_the_advisors_list_filters_by_school_year_kind_status_and_person(
    db, world, entry, client, login, make_school, make_user
):
    other_school = make_school("Jefferson Elementary")
    other = make_user(Role.MENTOR, full_name="Ana Lopez", school=other_school)
    entry(title="Maya's session")
    entry(person=world.teacher, title="Helen's session")
    entry(person=other, title="Ana's workshop", kind=EntryKind.WORKSHOP)
    old = hours.record_activity(
        world.mentor, "session", "old:1", "Last year's session", date(2025, 10, 1), 30
    )
    hours.decide(old, world.advisor, S.VERIFIED)
    db.session.commit()
    login(world.advisor)

    def titles(query: str) -> set[str]:
        html = client.get(f"/hours/all?{query}").get_data(as_text=True).replace("&#39;", "'")
        return {
            t
            for t in ("Maya's session", "Helen's session", "Ana's workshop", "Last year's session")
            if t in html
        }

    assert titles("") == {
        "Maya's session",
        "Helen's session",
        "Ana's workshop",
        "Last year's session",
    }
    assert titles(f"school={other_school.id}") == {"Ana's workshop"}
    assert titles("kind=workshop") == {"Ana's workshop"}
    assert titles("status=verified") == {"Last year's session"}
    assert titles(f"person={world.teacher.id}") == {"Helen's session"}
    assert titles("term=2025") == {"Last year's session"}
    assert titles("term=2026&status=pending") == {
        "Maya's session",
        "Helen's session",
        "Ana's workshop",
    }
    # Nonsense filters are ignored, not a 500.
    assert client.get("/hours/all?kind=bogus&status=x&term=abc&school=-1").status_code == 200


def test_the_csv_is_filtered_and_safe_for_spreadsheets(db, world, entry, client, login):
    entry(title='=HYPERLINK("http://evil.example")', minutes=30)
    entry(person=world.teacher, title="Helen's session")
    login(world.advisor)
    response = client.get(f"/hours/all.csv?person={world.mentor.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["title"].startswith("'=HYPERLINK")
    assert rows[0]["person"] == "Maya Chen" and rows[0]["minutes_claimed"] == "30"
    assert rows[0]["status"] == "pending"


def test_the_advisor_records_manual_hours_for_several_people(db, world, client, login):
    login(world.advisor)
    form = {
        "title": "Tech club meeting",
        "occurred_on": "2026-11-06",
        "minutes": "45",
        "people": [str(world.mentor.id), str(world.teacher.id)],
    }
    response = client.post_form("/hours/manual", form, page="/hours/manual")
    assert response.status_code == 302
    assert [e.minutes_claimed for e in entries_of(db, world.mentor)] == [45]
    assert entries_of(db, world.teacher)[0].status is S.VERIFIED
    # Nobody chosen, or bad minutes: a clear message and nothing made.
    page = client.post_form("/hours/manual", {**form, "people": []}, page="/hours/manual")
    assert "Choose at least one person." in page.get_data(as_text=True)
    page = client.post_form("/hours/manual", {**form, "minutes": "0"}, page="/hours/manual")
    assert "Minutes are 1 to 1,440." in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(HoursEntry.id))) == 2


def test_the_advisor_changes_the_settings(db, world, client, login):
    login(world.advisor)
    assert client.get("/hours/settings").status_code == 200
    form = {
        "service_target_hours": "30", "extracurricular_target_hours": "40",
        "service_kinds": ["session", "help_request"], "pd_kinds": ["session"],
        "pd_designated": "y", "help_request_cap_minutes": "30",
        "district_name": "Riverside CSD", "sponsor_name": "Riverside CSD",
        "sponsor_number": "0427", "signer_name": "", "signer_title": "Advisor",
    }  # fmt: skip
    assert client.post_form("/hours/settings", form, page="/hours/settings").status_code == 302
    settings = db.session.get(HoursSettings, 1)
    db.session.refresh(settings)
    assert settings.service_target_hours == 30 and settings.pd_designated
    assert (
        settings.service_kinds == "session,help_request" and settings.help_request_cap_minutes == 30
    )
    page = client.post_form("/hours/settings", {**form, "pd_kinds": []}, page="/hours/settings")
    assert "Choose at least one kind" in page.get_data(as_text=True)
    page = client.post_form(
        "/hours/settings", {**form, "service_target_hours": "0"}, page="/hours/settings"
    )
    assert page.status_code == 200
    db.session.refresh(settings)
    assert settings.service_target_hours == 30


def test_a_mentor_enters_the_time_when_resolving_a_request(db, world, claimed, client, login):
    help_request = claimed()
    login(world.mentor)
    page = f"/requests/{help_request.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Time you spent (minutes)" in html
    client.post_form(f"{page}/resolve", {"minutes": "61"}, page=page)
    assert "0 to 60 minutes" in client.get(page).get_data(as_text=True)
    db.session.refresh(help_request)
    assert help_request.status is RequestStatus.CLAIMED and entries_of(db, world.mentor) == []
    client.post_form(f"{page}/resolve", {"minutes": "ten"}, page=page)
    db.session.refresh(help_request)
    assert help_request.status is RequestStatus.CLAIMED
    client.post_form(f"{page}/resolve", {"minutes": "20"}, page=page)
    db.session.refresh(help_request)
    assert help_request.status is RequestStatus.RESOLVED
    assert [e.minutes_claimed for e in entries_of(db, world.mentor)] == [20]


def _statements(client, count_queries, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


@pytest.mark.parametrize(
    ("who", "path", "budget"),
    [
        # The signed-in user and unread count, settings, entries, totals, progress, certificates.
        ("mentor", "/hours/", 8),
        ("teacher", "/hours/", 9),
        ("advisor", "/hours/all", 9),
        ("advisor", "/hours/people/{mentor}", 9),
        ("advisor", "/hours/all.csv", 3),
    ],
)
def test_ledger_pages_read_a_fixed_number_of_statements(
    db, world, entry, client, login, count_queries, who, path, budget
):
    path = path.format(mentor=world.mentor.id)
    login(getattr(world, who))
    for person in (world.mentor, world.teacher):
        entry(person=person)
    hours.hours_settings()
    db.session.commit()
    few = _statements(client, count_queries, path)
    for n in range(30):
        made = entry(person=world.mentor if n % 2 else world.teacher, minutes=n + 1)
        if n % 3 == 0:
            hours.decide(made, world.advisor, S.VERIFIED)
    db.session.commit()
    many = _statements(client, count_queries, path)
    assert many == few and many <= budget, (few, many)


def test_a_long_ledger_comes_a_page_at_a_time_newest_first(db, world, entry, client, login):
    for n in range(30):  # entry() dates each a day after the one before
        entry(minutes=n + 1, title=f"Activity {n + 1:02d}")
    login(world.mentor)
    first = client.get("/hours/").get_data(as_text=True)
    assert "Entries 1–25 of 30, newest first." in first
    assert "Activity 30" in first and "Activity 06" in first and "Activity 05" not in first
    assert 'href="/hours/?page=2#entries" rel="next">Older entries<' in first
    assert "Newer entries" not in first
    second = client.get("/hours/?page=2").get_data(as_text=True)
    assert "Entries 26–30 of 30, newest first." in second
    assert "Activity 05" in second and "Activity 01" in second and "Activity 06" not in second
    assert 'href="/hours/?page=1#entries" rel="prev">Newer entries<' in second
    # Totals and progress count every entry, not only the page's.
    assert "0 of 25 hours verified (0%); 7.8 hours waiting." in second
    # A page out of range, or not a number, shows the nearest page rather than an error.
    for wrong in ("99", "0", "-3", "two"):
        response = client.get(f"/hours/?page={wrong}")
        assert response.status_code == 200
        expected = "Entries 26–30" if wrong == "99" else "Entries 1–25"
        assert expected in response.get_data(as_text=True), wrong


def test_the_advisor_pages_through_a_persons_ledger(db, world, entry, client, login):
    for n in range(27):
        entry(title=f"Activity {n + 1:02d}")
    login(world.advisor)
    page = client.get(f"/hours/people/{world.mentor.id}?page=2").get_data(as_text=True)
    assert "Entries 26–27 of 27" in page and "Activity 02" in page
    assert f'href="/hours/people/{world.mentor.id}?page=1#entries" rel="prev"' in page
