import re

import pytest

from helpdesk.accounts.models import Role

NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)


def _nav_labels(html: str) -> list[str]:
    match = NAV.search(html)
    return re.findall(r">([^<]+)</a>", match.group(1)) if match else []


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        (
            Role.TEACHER,
            [
                "Home",
                "Find a mentor",
                "My sessions",
                "Pairings",
                "Workshops",
                "My hours",
                "Help requests",
                "Tip library",
            ],
        ),
        (
            Role.MENTOR,
            [
                "Home",
                "My sessions",
                "Pairings",
                "Workshops",
                "My hours",
                "My profile",
                "Availability",
                "Recognition",
                "Help requests",
                "Tip library",
            ],
        ),
        (Role.STAFF, ["Home", "Workshops", "Help requests", "Tip library", "Recognition"]),
        (
            Role.ADVISOR,
            [
                "Home",
                "Dashboard",
                "Surveys",
                "Board report",
                "Approvals",
                "Calendar",
                "Find a mentor",
                "Pairings",
                "Pairing health",
                "Workshops",
                "Help requests",
                "Help desk report",
                "Tip library",
                "Review tips",
                "People",
                "Skills",
                "Recognition",
                "Access log",
                "Hours ledger",
                "School calendar",
                "Program settings",
                "Help desk targets",
                "Hours settings",
                "Safeguarding",
                "Outbox",
            ],
        ),
    ],
)
def test_navigation_depends_on_role(client, login_as, role, labels):
    login_as(role)
    assert _nav_labels(client.get("/").get_data(as_text=True)) == labels


def test_advisor_links_come_in_groups_and_the_current_page_is_marked(client, login_as):
    login_as(Role.ADVISOR)
    html = client.get("/skills/").get_data(as_text=True)
    nav = NAV.search(html).group(1)
    groups = re.findall(r"<summary[^>]*>([^<]+)</summary>", nav)
    assert groups == ["Program", "Sessions", "Help desk", "Tips", "People", "Settings"]
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav) == ["Skills"]
    assert '<summary class="current">People</summary>' in nav
    # One button opens the whole menu on a phone; it works without JavaScript.
    assert '<details class="site-menu" data-menu>' in html


@pytest.mark.parametrize(
    ("role", "groups"),
    [(Role.TEACHER, ["Sessions"]), (Role.MENTOR, ["Sessions", "Me"]), (Role.STAFF, [])],
)
def test_longer_menus_group_their_links(client, login_as, role, groups):
    login_as(role)
    nav = NAV.search(client.get("/").get_data(as_text=True)).group(1)
    assert re.findall(r"<summary[^>]*>([^<]+)</summary>", nav) == groups
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', nav) == ["Home"]


def test_anonymous_visitor_sees_no_navigation_and_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert _nav_labels(client.get("/login").get_data(as_text=True)) == []


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
@pytest.mark.parametrize("path", ["/people/", "/people/invite", "/people/import", "/outbox/"])
def test_advisor_pages_refuse_other_roles(client, login_as, role, path):
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.STAFF])
def test_advisor_actions_refuse_other_roles(client, login_as, make_user, role):
    login_as(role)
    target = make_user(Role.TEACHER)
    for action in ("deactivate", "reactivate", "resend-invitation"):
        assert client.post_form(f"/people/{target.id}/{action}").status_code == 403


def test_advisor_actions_on_unknown_user_are_404(client, login_as):
    login_as(Role.ADVISOR)
    assert client.post_form("/people/9999/deactivate").status_code == 404
    assert client.get("/outbox/9999").status_code == 404


def test_mentor_email_is_not_in_a_teachers_pages_but_the_advisor_sees_it(
    client, login_as, make_user
):
    mentor = make_user(Role.MENTOR, full_name="Maya Chen", email="maya.chen@school.example.org")
    login_as(Role.ADVISOR)
    assert mentor.email in client.get("/people/").get_data(as_text=True)
    assert mentor.display_name == "Maya C."


def test_advisor_can_reactivate_a_user(client, db, login_as, make_user, login, app):
    login_as(Role.ADVISOR)
    teacher = make_user(Role.TEACHER, is_active=False)
    client.post_form(f"/people/{teacher.id}/reactivate", page="/people/")
    db.session.refresh(teacher)
    assert teacher.is_active
    other = app.test_client()
    response = other.post_form(
        "/login",
        {"email": teacher.email, "password": "correct horse battery staple"},
        page="/login",
    )
    assert response.status_code == 302


def test_advisor_cannot_deactivate_themself(client, db, login_as):
    advisor = login_as(Role.ADVISOR)
    client.post_form(f"/people/{advisor.id}/deactivate", {"confirmed": "yes"}, page="/people/")
    db.session.refresh(advisor)
    assert advisor.is_active
    assert "You cannot deactivate your own account." in client.get("/people/").get_data(
        as_text=True
    )
