"""Online sessions meet only on the hosts the district allows: the exact host or a subdomain
of it, over https, with nothing in the address that hides where it really goes."""

import pytest

from helpdesk.safeguarding.meeting_links import (
    DEFAULT_MEETING_HOSTS,
    host_problem,
    meeting_host_problem,
)

ALLOWED = [*DEFAULT_MEETING_HOSTS, "district.example.org"]


@pytest.mark.parametrize(
    "url",
    [
        "https://meet.google.com/abc-defg-hij",
        "https://meet.google.com/abc-defg-hij?authuser=1",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x/0",
        "https://zoom.us/j/81234567890?pwd=abc",
        "https://us02web.zoom.us/j/81234567890",
        "https://district.example.org/meet/room-214",
        "https://meet.district.example.org/abc",
        "https://ZOOM.US/j/1",
        "https://zoom.us:443/j/1",
    ],
)
def test_links_on_allowed_hosts_are_accepted(url):
    assert meeting_host_problem(url, ALLOWED) is None


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://evil.com/zoom.us", "services the district supervises"),
        ("https://zoom.us.evil.com/j/1", "services the district supervises"),
        ("https://notzoom.us/j/1", "services the district supervises"),
        ("https://meet.google.com.evil.com/abc", "services the district supervises"),
        ("https://discord.gg/abc", "services the district supervises"),
        ("https://evil.com#zoom.us", "services the district supervises"),
        ("https://evil.com?u=https://zoom.us", "services the district supervises"),
        ("http://zoom.us/j/1", "https"),
        ("https://zoom.us@evil.com/j/1", "user name or password"),
        ("https://meet.google.com:8443/abc", "port"),
        ("https://xn--zom-7ma.us/j/1", "not one the district allows"),  # punycode look-alike
        ("https://zооm.us/j/1", "not one the district allows"),  # Cyrillic о
        ("https://zoom.us\\@evil.com", "cannot contain"),
        ("javascript:alert(1)", "starting with https://"),
        ("https://zoom.us/j/1\r\nX: y", "no spaces, line breaks"),
    ],
)
def test_other_links_are_refused_with_a_reason(url, why):
    problem = meeting_host_problem(url, ALLOWED)
    assert problem is not None and why in problem


def test_the_refusal_lists_the_allowed_hosts():
    problem = meeting_host_problem("https://evil.com/x", DEFAULT_MEETING_HOSTS)
    assert problem.endswith("meet.google.com, teams.microsoft.com or zoom.us.")


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("meet.google.com", True),
        ("district-12.example.org", True),
        ("localhost", False),
        ("xn--zom-7ma.us", False),
        ("zооm.us", False),
        ("evil.com/zoom.us", False),
        ("a..b", False),
    ],
)
def test_a_settings_host_must_be_a_plain_host_name(host, ok):
    assert (host_problem(host) is None) is ok
