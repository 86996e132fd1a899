"""The contact-details detector on the corpus: every refused line is found, for the right
reason; every accepted line (times, rooms, periods, versions, the district's links) is not."""

import pytest

from helpdesk.safeguarding.contact_details import (
    EMAIL,
    HANDLE,
    KIND_NAMES,
    PHONE,
    SOCIAL_LINK,
    find_contact_details,
)
from helpdesk.safeguarding.services import refusal_message
from tests.safeguarding.corpus import ACCEPTED, REFUSED


def test_the_corpus_is_large_enough_and_covers_every_kind():
    assert len(REFUSED) >= 40
    assert len(ACCEPTED) >= 20
    assert {kind for _text, kind in REFUSED} == set(KIND_NAMES)


@pytest.mark.parametrize(("text", "kind"), REFUSED, ids=[t for t, _k in REFUSED])
def test_a_contact_detail_is_found_for_what_it_is(text, kind):
    kinds = [finding.kind for finding in find_contact_details(text)]
    assert kind in kinds


@pytest.mark.parametrize("text", ACCEPTED)
def test_ordinary_school_text_is_not_a_contact_detail(text):
    assert find_contact_details(text) == []


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Text me at 555-867-5309 or DM @maya.codes", ["555-867-5309", "@maya.codes"]),
        ("maya at gmail dot com", ["maya at gmail dot com"]),
        ("https://instagram.com/maya.codes", ["https://instagram.com/maya.codes"]),
    ],
)
def test_a_finding_says_what_was_found(text, shown):
    assert [f.text for f in find_contact_details(text)][: len(shown)] == shown


def test_the_refusal_names_the_place_the_kinds_and_what_was_found():
    findings = find_contact_details("Text me at 555-867-5309 or DM @maya.codes")
    assert refusal_message(findings, "profile stories").startswith(
        "For everyone's safety, Helpdesk doesn't allow phone numbers and social-media handles "
        "in profile stories. Found: a phone number (555-867-5309) and a social-media handle "
        "(@maya.codes)."
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # digits in an ordinary link are set aside, a social link still counts
        ("https://www.youtube.com/watch?v=5558675309 then call 555 867 5309", PHONE),
        ("see https://support.google.com/a/answer/1234567 or insta: maya.codes", HANDLE),
        # a handle glued to an email-looking prefix is still an email
        ("maya.codes+help@outlook.com", EMAIL),
        # subdomains of a social site count, look-alikes do not
        ("https://web.whatsapp.com/send?phone=1555", SOCIAL_LINK),
    ],
)
def test_mixed_text(text, kind):
    assert kind in [f.kind for f in find_contact_details(text)]


@pytest.mark.parametrize(
    "text",
    [
        "https://notinstagram.com/maya",  # another site whose name ends the same way
        "https://instagram.com.district.example.org/guide",  # the district's subdomain
        "The wax.com page and box.com sharing",
        "Reply in the thread, then use Teams chat.",
        "Meet me in the library during Period 4.",
        "I signed in at Outlook and the calendar synced.",
    ],
)
def test_look_alikes_are_not_social_links(text):
    assert find_contact_details(text) == []
