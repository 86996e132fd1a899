"""Only the advisor and the safeguarding contact read concerns; everyone else gets 404."""

import pytest

from helpdesk.accounts.models import Role
from helpdesk.concerns import services as concerns
from helpdesk.concerns.models import Concern

OTHERS = ["flagged mentor", "reporter", "other teacher", "other mentor", "staff", "contact's peer"]


def _people(world, places, make_user):
    return {
        "flagged mentor": world.mentor,
        "reporter": world.teacher,
        "other teacher": world.teacher2,
        "other mentor": world.mentor2,
        "staff": world.staff,
        "contact's peer": make_user(Role.STAFF, full_name="Pat Other", school=world.school),
    }


def _urls(concern: Concern) -> list[tuple[str, str]]:
    return [
        ("GET", "/concerns/"),
        ("GET", "/concerns/?status=open"),
        ("GET", f"/concerns/{concern.id}"),
        ("POST", f"/concerns/{concern.id}/status"),
        ("POST", "/concerns/settings"),
    ]


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_gets_404_on_every_concern_url(
    client, db, world, places, login, make_user, raise_one, who
):
    concern = raise_one()
    login(_people(world, places, make_user)[who])
    for method, url in _urls(concern):
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post_form(url, {"expected": "open", "to": "closed", "note": "x"})
        assert response.status_code == 404, (who, url)
    assert "Asked for my phone number" not in client.get("/concerns/mine").get_data(as_text=True)
    db.session.refresh(concern)
    assert concern.status.value == "open"


@pytest.mark.parametrize("who", ["advisor", "contact"])
def test_the_advisor_and_the_contact_read_it(client, world, places, login, raise_one, who):
    concern = raise_one()
    login(world.advisor if who == "advisor" else places.contact)
    listing = client.get("/concerns/").get_data(as_text=True)
    assert f"/concerns/{concern.id}" in listing
    page = client.get(f"/concerns/{concern.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Asked for my phone number" in html
    assert world.teacher.full_name in html  # the handlers always see who raised it
    assert world.mentor.full_name in html


def test_the_contact_cannot_read_a_concern_about_themselves(
    client, db, world, places, login, raise_one
):
    from helpdesk.requests import services as requests
    from tests.requests.conftest import NOW

    help_request = requests.open_request(
        places.contact, requests.NewRequest(skill_id=world.docs.id, summary="Printer jam"), NOW
    )
    requests.claim_request(help_request, world.mentor, NOW)
    message = requests.post_message(help_request, places.contact, "Here is my cell.", NOW)
    db.session.commit()
    about_contact = raise_one(reporter=world.mentor, kind="message", subject_id=message.id)
    about_mentor = raise_one()
    assert about_contact.about_id == places.contact.id

    login(places.contact)
    assert client.get(f"/concerns/{about_contact.id}").status_code == 404
    listing = client.get("/concerns/").get_data(as_text=True)
    assert f'/concerns/{about_contact.id}"' not in listing
    assert f'/concerns/{about_mentor.id}"' in listing
    assert 'home-count">1 concern</span> open' in client.get("/").get_data(as_text=True)


def test_a_former_contact_loses_access(client, db, world, places, login, raise_one):
    concern = raise_one()
    concerns.set_contact(None)
    db.session.commit()
    login(places.contact)
    assert client.get(f"/concerns/{concern.id}").status_code == 404


def test_the_advisor_chooses_the_contact(client, db, world, places, login, make_user):
    counselor = make_user(Role.STAFF, full_name="Sam Counselor", school=world.school)
    login(world.advisor)
    page = client.get("/concerns/").get_data(as_text=True)
    assert "Sam Counselor (Staff)" in page
    assert f'value="{world.teacher.id}"' not in page  # teachers and students are not offered
    response = client.post_form(
        "/concerns/settings", {"contact_id": counselor.id}, page="/concerns/"
    )
    assert response.status_code == 302
    assert concerns.contact_id() == counselor.id
    # A student, posted by hand, is refused.
    client.post_form("/concerns/settings", {"contact_id": world.mentor.id}, page="/concerns/")
    assert concerns.contact_id() == counselor.id
    client.post_form("/concerns/settings", {"contact_id": 0}, page="/concerns/")
    assert concerns.contact_id() is None
