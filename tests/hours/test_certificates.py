"""Certificates: the PDF lists exactly the verified entries (read back with pypdf), the CTLE one
carries the sponsor, and the public page says only what it may, for valid, revoked and unknown
codes."""

import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader

from helpdesk.hours import certificates
from helpdesk.hours import services as hours
from helpdesk.hours.certificates import ALPHABET, CODE_LENGTH, normalize_code, pretty_code
from helpdesk.hours.models import Certificate, EntryKind, EntryStatus

S = EntryStatus


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def mixed(db, world, entry):
    """Maya: two verified entries (one adjusted), one pending, one rejected."""
    kept = entry(minutes=60, title="Slides for Ms. Park")
    adjusted = entry(minutes=90, title="Gradebook clinic")
    waiting = entry(minutes=30, title="Pending podcast help")
    refused = entry(minutes=45, title="Rejected projector visit")
    hours.decide(kept, world.advisor, S.VERIFIED)
    hours.decide(adjusted, world.advisor, S.ADJUSTED, minutes=75, reason="Left early")
    hours.decide(refused, world.advisor, S.REJECTED, reason="Duplicate")
    db.session.commit()
    return kept, adjusted, waiting, refused


def _pd_settings(db) -> None:
    settings = hours.hours_settings()
    settings.pd_designated = True
    settings.sponsor_name = "Riverside Central SD"
    settings.sponsor_number = "CTLE-0427"
    settings.district_name = "Riverside Central School District"
    settings.signer_title = "Tech Team Advisor"
    db.session.commit()


def test_a_mentors_certificate_lists_exactly_the_verified_entries(
    db, world, mixed, client, login, clock
):
    certificate = certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    db.session.commit()
    assert certificate.minutes == 135
    login(world.mentor)
    response = client.get(f"/hours/certificates/{certificate.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Certificate of Verified Service Hours" in text
    assert "Maya Chen" in text and "Lincoln High School" in text
    assert "Slides for Ms. Park" in text and "Gradebook clinic" in text
    assert "Pending podcast help" not in text and "Rejected projector visit" not in text
    assert "Total: 2.25 hours" in text and "1.25 hours" in text  # the adjusted 75 minutes
    assert "Dana Whitfield" in text and "Program advisor" in text
    code = pretty_code(certificate.code)
    assert f"Verification code: {code}" in text
    assert f"/verify/{code}" in text


def test_a_teachers_ctle_certificate_has_the_fields_ctle_needs(
    db, world, complete, client, login, clock
):
    _pd_settings(db)
    complete(topic="Comment-only sharing")
    (entry,) = [
        e
        for e in db.session.scalars(db.select(certificates.HoursEntry))
        if e.person_id == world.teacher.id
    ]
    hours.decide(entry, world.advisor, S.VERIFIED)
    certificate = certificates.issue_certificate(world.teacher, world.advisor, clock.now)
    db.session.commit()
    login(world.advisor)
    text = pdf_text(client.get(f"/hours/certificates/{certificate.id}.pdf").data)
    for expected in (
        "Continuing Teacher and Leader",
        "Helen Park",  # participant
        "Session: Comment-only sharing",  # activity title
        "Share a Doc so students can comment but not edit.",  # its description
        "Wed, Nov 4, 2026",  # dates
        "Total: 0.5 hours",  # hours
        "Sponsor: Riverside Central SD",
        "Sponsor number: CTLE-0427",
        "Riverside Central School District",
    ):
        assert expected in text, expected


def test_ctle_needs_designation_and_a_sponsor_and_only_counts_pd_kinds(db, world, entry, clock):
    session = entry(person=world.teacher, minutes=60)
    help_time = entry(person=world.teacher, minutes=30, kind=EntryKind.HELP_REQUEST)
    for made in (session, help_time):
        hours.decide(made, world.advisor, S.VERIFIED)
    with pytest.raises(hours.HoursError, match="not designated"):
        certificates.issue_certificate(world.teacher, world.advisor, clock.now)
    settings = hours.hours_settings()
    settings.pd_designated = True
    with pytest.raises(hours.HoursError, match="sponsor"):
        certificates.issue_certificate(world.teacher, world.advisor, clock.now)
    _pd_settings(db)
    certificate = certificates.issue_certificate(world.teacher, world.advisor, clock.now)
    assert certificate.minutes == 60  # help requests are not among the PD kinds by default


def test_nothing_verified_means_no_certificate_and_only_the_advisor_issues(db, world, entry, clock):
    entry()
    with pytest.raises(hours.HoursError, match="no verified hours"):
        certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    with pytest.raises(hours.HoursError, match="Only the advisor"):
        certificates.issue_certificate(world.mentor, world.mentor, clock.now)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_accented_names_print_as_written(db, world, entry, clock):
    world.mentor.full_name = "Zoë Ångström-Núñez"
    hours.decide(entry(), world.advisor, S.VERIFIED)
    certificate = certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    from helpdesk.hours.certificate_pdf import render_certificate

    data = render_certificate(
        certificates.snapshot_of(certificate), is_pd=False, code="ABCD-EFGH-JKMN-PQRS",
        verify_url="https://helpdesk.example.org/verify/ABCD-EFGH-JKMN-PQRS",
        issued_on="Mon, Nov 2, 2026", day=str, days=lambda a, b: f"{a} to {b}",
    )  # fmt: skip
    assert "Zoë Ångström-Núñez" in pdf_text(data)
    assert b"DejaVu" in data  # the font is embedded


def test_codes_are_long_random_and_forgiving_to_type():
    codes = {certificates.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert CODE_LENGTH * 5 >= 64  # bits
    code = "7K3MQ9TX2B8CD4EF"
    assert normalize_code("7k3m-q9tx-2b8c-d4ef") == code
    assert normalize_code(" 7K3M Q9TX 2B8C D4EF ") == code
    assert normalize_code("7K3M-Q9TX-2B8C-D4EO") == "7K3MQ9TX2B8CD4E0"  # O read as zero
    assert normalize_code("7K3M-Q9TX-2B8C") is None
    assert normalize_code("7K3M-Q9TX-2B8C-D4E!") is None


def test_the_public_page_confirms_only_what_it_may(db, world, mixed, client, clock):
    certificate = certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    db.session.commit()
    code = pretty_code(certificate.code)
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Valid certificate" in page
    assert "Maya C." in page and "Maya Chen" not in page
    assert "2.25 hours" in page and "Student service hours" in page
    assert "Mon, Nov 2, 2026" in page  # issued on
    for private in (world.mentor.email, "Slides for Ms. Park", "Gradebook clinic", "Lincoln"):
        assert private not in page
    # Typed in lower case without dashes, through the form, it lands on the same page.
    response = client.get(f"/verify?code={certificate.code.lower()}")
    assert response.status_code == 302 and response.location.endswith(f"/verify/{code}")


def test_a_revoked_certificate_says_so(db, world, mixed, client, login, clock):
    certificate = certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    db.session.commit()
    login(world.advisor)
    page = f"/hours/certificates/{certificate.id}"
    response = client.post_form(
        f"{page}/revoke", {"reason": "Issued to the wrong student"}, page=page
    )
    assert response.status_code == 302
    db.session.refresh(certificate)
    assert certificate.is_revoked and certificate.revoke_reason == "Issued to the wrong student"
    client.post_form("/logout")
    public = client.get(f"/verify/{pretty_code(certificate.code)}").get_data(as_text=True)
    assert "Revoked certificate" in public and "no longer counts" in public
    assert "wrong student" not in public


@pytest.mark.parametrize("code", ["AAAA-BBBB-CCCC-DDDD", "not-a-code", "x" * 300])
def test_an_unknown_code_is_a_404_that_leaks_nothing(db, world, mixed, client, clock, code):
    certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    db.session.commit()
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Maya" not in body and "hours" not in body.lower().split("<main")[1].split("</main>")[0]


def test_a_wrong_typed_code_is_explained_on_the_form(db, client):
    response = client.get("/verify?code=hello")
    assert response.status_code == 200
    assert "That is not a certificate code" in response.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def test_the_public_lookup_is_rate_limited(db, client):
    codes = [client.get("/verify/AAAA-BBBB-CCCC-DDDD").status_code for _ in range(31)]
    assert codes[:30] == [404] * 30 and codes[30] == 429


def test_only_the_owner_and_the_advisor_open_a_certificate(db, world, mixed, client, login, clock):
    certificate = certificates.issue_certificate(world.mentor, world.advisor, clock.now)
    db.session.commit()
    login(world.mentor2)
    assert client.get(f"/hours/certificates/{certificate.id}.pdf").status_code == 404
    assert client.get(f"/hours/certificates/{certificate.id}").status_code == 404
    page = f"/hours/people/{world.mentor.id}"
    assert (
        client.post_form(
            f"/hours/certificates/{certificate.id}/revoke", {"reason": "x"}
        ).status_code
        == 403
    )
    assert client.post_form(f"/hours/people/{world.mentor.id}/certificates").status_code == 403
    assert client.get(page).status_code == 403


def test_the_advisor_issues_from_the_persons_ledger_page(db, world, mixed, client, login):
    login(world.advisor)
    page = f"/hours/people/{world.mentor.id}"
    response = client.post_form(f"/hours/people/{world.mentor.id}/certificates", page=page)
    assert response.status_code == 302
    certificate = db.session.scalar(db.select(Certificate))
    snapshot = json.loads(certificate.snapshot)
    assert [e["title"] for e in snapshot["entries"]] == ["Slides for Ms. Park", "Gradebook clinic"]
    html = client.get(page).get_data(as_text=True)
    assert re.search(r"Certificate issued: code [0-9A-Z]{4}-", html)
    assert "Service certificate, 2.25 hours" in html


def test_issuing_without_verified_hours_is_refused_with_a_message(db, world, entry, client, login):
    entry()
    login(world.advisor)
    page = f"/hours/people/{world.mentor.id}"
    client.post_form(f"/hours/people/{world.mentor.id}/certificates", page=page)
    assert "no verified hours to certify" in client.get(page).get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0


def test_dates_for_the_pdf_come_from_babel(db):
    from helpdesk.formatting import day_range

    assert (
        day_range(date(2026, 9, 8), date(2026, 11, 24), "en-US") == "Tue, Sep 8 – Tue, Nov 24, 2026"
    )
