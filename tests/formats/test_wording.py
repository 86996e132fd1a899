"""Messages say what really happened, with the word that fits the count, and nothing on a page
or in an email needs an emoji font."""

import pathlib
import re

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings import jobs
from tests.bookings import conftest as _bookings

world = _bookings.world
book = _bookings.book

ROOT = pathlib.Path(__file__).resolve().parents[2]
# Emoji and pictographs (and the variation selector that turns a symbol into one).
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")
FLASH = re.compile(r'class="flash flash-\w+">([^<]*)<')


def _invite(client, advisor):
    answer = client.post_form(
        "/people/invite",
        {
            "email": "helen.park@school.example.org",
            "full_name": "Helen Park",
            "role": "teacher",
            "school_id": advisor.school_id,
        },
        page="/people/invite",
        follow_redirects=True,
    )
    return " ".join(FLASH.findall(answer.get_data(as_text=True)))


def test_without_a_mail_server_the_invitation_is_said_to_stay_in_the_outbox(
    client, db, login_as, outbox
):
    flash = _invite(client, login_as(Role.ADVISOR))
    assert "kept in the Outbox: no mail server is set up" in flash
    assert "sent" not in flash
    assert len(outbox("helen.park@school.example.org")) == 1


def test_with_a_mail_server_the_invitation_goes_out_with_the_next_delivery(
    app, client, db, login_as, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.district.example.org")
    flash = _invite(client, login_as(Role.ADVISOR))
    assert "goes out with the next mail delivery" in flash


def test_the_advisor_digest_counts_in_words(db, world, book, outbox):
    book()
    jobs.send_advisor_digest(_bookings.NOW)
    [digest] = [m for m in outbox(world.advisor.email) if "approval" in m.subject]
    assert digest.subject == "1 session request waits for approval"
    assert "(s)" not in digest.body


@pytest.mark.parametrize("folder", ["templates", "static", "helpdesk"])
def test_no_emoji_in_what_reaches_a_page_or_an_email(folder):
    found = [
        f"{path.relative_to(ROOT)}: {match.group()!r}"
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in {".html", ".txt", ".py", ".css", ".js", ".svg"}
        for match in EMOJI.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
