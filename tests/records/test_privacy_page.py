"""The privacy page: open to everyone, linked from every page, filled in from the settings."""

import pytest

from config import ConfigError, check_privacy_settings
from helpdesk.access_log.services import retention_words
from helpdesk.accounts.models import Role


def test_anyone_can_read_it_signed_out(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "What we keep, and why" in html
    assert "Ask the school's main office" in html  # no contact configured
    assert "Bill of Rights" not in html
    assert "The access log is kept for 3 years" in html


@pytest.mark.parametrize("role", list(Role))
def test_every_page_links_to_it(client, login_as, role):
    login_as(role)
    assert '<a href="/privacy">Privacy</a>' in client.get("/").get_data(as_text=True)


def test_it_shows_the_districts_contact_and_bill_of_rights(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "Dana Ruiz, Data Protection Officer")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT_EMAIL", "privacy@district.example.org")
    monkeypatch.setitem(
        app.config, "PARENTS_BILL_OF_RIGHTS_URL", "https://district.example.org/bill-of-rights"
    )
    monkeypatch.setitem(app.config, "ACCESS_LOG_RETENTION_DAYS", 90)
    html = client.get("/privacy").get_data(as_text=True)
    assert "Ask Dana Ruiz, Data Protection Officer at" in html
    assert 'href="mailto:privacy@district.example.org"' in html
    assert 'href="https://district.example.org/bill-of-rights"' in html
    assert "kept for 90 days" in html


@pytest.mark.parametrize(
    ("days", "words"),
    [(1096, "3 years"), (365, "1 year"), (730, "2 years"), (90, "90 days"), (400, "400 days")],
)
def test_the_period_is_said_in_plain_words(app, days, words):
    with app.test_request_context():
        assert retention_words(days) == words


GOOD = {"ACCESS_LOG_RETENTION_DAYS": 1096}


@pytest.mark.parametrize(
    "settings",
    [
        {"PARENTS_BILL_OF_RIGHTS_URL": "http://district.example.org/rights"},
        {"PARENTS_BILL_OF_RIGHTS_URL": "javascript:alert(1)"},
        {"PARENTS_BILL_OF_RIGHTS_URL": "https:///no-host"},
        {"PARENTS_BILL_OF_RIGHTS_URL": "https://district.example.org/\r\nrights"},
        {"PARENTS_BILL_OF_RIGHTS_URL": "https://user:pw@district.example.org/"},
        {"PARENTS_BILL_OF_RIGHTS_URL": "https://district.example.org:99999/"},
        {"PRIVACY_CONTACT_EMAIL": "not an email"},
        {"PRIVACY_CONTACT": "Dana\nRuiz"},
        {"ACCESS_LOG_RETENTION_DAYS": 0},
    ],
)
def test_settings_that_would_break_the_page_stop_the_app(settings):
    with pytest.raises(ConfigError):
        check_privacy_settings(GOOD | settings)


def test_good_settings_pass():
    check_privacy_settings(
        GOOD
        | {
            "PARENTS_BILL_OF_RIGHTS_URL": "https://www.district.example.org/parents-bill-of-rights",
            "PRIVACY_CONTACT_EMAIL": "privacy@district.example.org",
            "PRIVACY_CONTACT": "Dana Ruiz, Data Protection Officer, 555-0100",
        }
    )
