"""Help-request pages: the acceptance walk-through, permissions per role, screenshots, queries."""

import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from sqlalchemy import event

from helpdesk.accounts.models import Role
from helpdesk.requests import services
from helpdesk.requests.models import HelpRequest, RequestScreenshot, RequestStatus
from helpdesk.requests.screenshots import MAX_BYTES
from helpdesk.tips.models import Tip

S = RequestStatus
FORM = {
    "summary": "My projector won't mirror",
    "details": "The laptop shows the picture, the projector does not.",
    "device": "Windows laptop",
    "urgency": "now",
    "room": "B12",
    "around": "Period 4",
}


def png(size=(40, 30), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x013B] = "Student Name"  # Artist
        image.save(out, format="PNG", exif=data)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    data = Image.Exif()
    data[0x013B] = "Student Name"
    out = io.BytesIO()
    Image.new("RGB", (50, 20), (0, 90, 200)).save(out, format="JPEG", exif=data)
    return out.getvalue()


def _multipart(fields: dict, filename: str, content: bytes) -> bytes:
    """A multipart body built in memory (the test client spools big ones to unclosed temp files)."""
    parts = [
        f'--x\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = f'--x\r\nContent-Disposition: form-data; name="screenshot"; filename="{filename}"\r\n'
    return b"".join(parts) + head.encode() + b"\r\n" + content + b"\r\n--x--\r\n"


def _open(client, world, **extra):
    data = {**FORM, "skill_id": world.docs.id, **extra}
    return client.post_form("/requests/new", data, page="/requests/new")


def _login(client, login, user):
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    assert login(user).status_code == 302


def _flash(response) -> str:
    return " ".join(
        re.findall(r'class="flash flash-\w+">([^<]+)<', response.get_data(as_text=True))
    )


def test_acceptance_ask_see_a_tip_claim_answer_reply_resolve_and_draft_a_tip(
    client, db, world, login, published_tip, outbox
):
    tip = published_tip()
    login(world.teacher)
    page = client.get("/requests/new").get_data(as_text=True)
    assert (
        'data-tip-suggest="request-tips"' in page
        and 'data-tip-suggest-url="/requests/suggest"' in page
    )
    suggestions = client.get("/requests/suggest?q=projector mirror").get_data(as_text=True)
    assert tip.title in suggestions and 'formaction="/requests/self-served"' in suggestions
    assert f'value="{tip.id}"' in suggestions
    response = _open(client, world)  # the teacher goes on anyway
    r = db.session.scalar(db.select(HelpRequest))
    assert response.status_code == 302 and response.headers["Location"] == f"/requests/{r.id}"
    teacher_page = client.get(f"/requests/{r.id}").get_data(as_text=True)
    assert "Mirror your screen" in teacher_page  # still suggested on the page

    _login(client, login, world.mentor)
    queue = client.get("/requests/").get_data(as_text=True)
    assert "My projector won&#39;t mirror" in queue and "Your skill" in queue
    assert world.teacher.email not in queue and "Helen Park, Lincoln High School" in queue
    assert client.post_form(f"/requests/{r.id}/claim", page="/requests/").status_code == 302
    client.post_form(f"/requests/{r.id}/reply", {"body": "Press Windows+P, then Duplicate."})
    client.post_form(f"/requests/{r.id}/waiting")

    _login(client, login, world.teacher)
    page = client.get(f"/requests/{r.id}").get_data(as_text=True)
    assert "Maya C." in page and "Maya Chen" not in page and world.mentor.email not in page
    client.post_form(f"/requests/{r.id}/reply", {"body": "That worked, thank you!"})
    db.session.refresh(r)
    assert r.status is S.CLAIMED

    _login(client, login, world.mentor)
    client.post_form(f"/requests/{r.id}/resolve")
    db.session.refresh(r)
    assert r.status is S.RESOLVED

    _login(client, login, world.advisor)  # see test_services: create_tip refuses mentors for now
    response = client.post_form(f"/requests/{r.id}/tip")
    db.session.refresh(r)
    draft = db.session.get(Tip, r.draft_tip_id)
    assert response.headers["Location"] == f"/tips/{draft.id}/edit"
    assert draft.status.value == "draft" and "Windows+P" in draft.body
    thread = client.get(f"/requests/{r.id}").get_data(as_text=True)
    assert "That worked, thank you!" in thread and world.teacher.email in thread  # advisor only


def test_this_solved_it_creates_a_self_served_request(client, db, world, login, published_tip):
    tip = published_tip()
    login(world.teacher)
    response = client.post_form(
        "/requests/self-served",
        {**FORM, "skill_id": world.docs.id, "tip_id": tip.id},
        page="/requests/new",
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/tips/{tip.id}"
    r = db.session.scalar(db.select(HelpRequest))
    assert r.status is S.SELF_SERVED and r.self_served_tip_id == tip.id


def test_this_solved_it_on_an_open_request(client, db, world, login, ask, published_tip):
    tip = published_tip()
    r = ask()
    login(world.teacher)
    client.post_form(f"/requests/{r.id}/solved", {"tip_id": tip.id})
    db.session.refresh(r)
    assert r.status is S.SELF_SERVED


def test_two_mentors_claim_and_the_second_is_told(client, db, world, login, ask):
    r = ask()
    login(world.mentor)
    client.post_form(f"/requests/{r.id}/claim", page="/requests/")
    _login(client, login, world.mentor2)
    response = client.post_form(f"/requests/{r.id}/claim", page="/requests/", follow_redirects=True)
    assert "Another mentor just claimed this request." in _flash(response)


def test_a_can_help_mentor_cannot_claim_an_expert_topic(client, db, world, login, ask):
    r = ask(skill=world.video)
    login(world.mentor)
    response = client.post_form(f"/requests/{r.id}/claim", page="/requests/", follow_redirects=True)
    assert "expert level" in _flash(response)
    db.session.refresh(r)
    assert r.status is S.OPEN


def test_an_escalate_only_request_is_hidden_from_mentors(client, db, world, login, ask):
    r = ask(skill=world.passwords, summary="Student records export")
    login(world.mentor)
    assert "Student records export" not in client.get("/requests/").get_data(as_text=True)
    assert client.get(f"/requests/{r.id}").status_code == 404
    assert client.post_form(f"/requests/{r.id}/claim", page="/requests/").status_code == 404


def test_escalating_from_the_page_sends_the_email(
    client, db, world, login, ask, it_address, outbox
):
    r = ask()
    login(world.advisor)
    client.post_form(f"/requests/{r.id}/escalate", {"reason": "Hardware fault"})
    db.session.refresh(r)
    assert r.status is S.ESCALATED and len(outbox(it_address)) == 1


@pytest.mark.parametrize("role", ["teacher2", "mentor2", "staff"])
def test_other_peoples_requests_answer_404(client, db, world, login, ask, role):
    r = ask()
    services.claim_request(r, world.mentor, r.created_at)
    db.session.commit()
    login(getattr(world, role))
    assert client.get(f"/requests/{r.id}").status_code == 404
    assert client.post_form(f"/requests/{r.id}/reply", {"body": "hi"}).status_code == 404


def test_a_mentor_reads_an_open_request_but_not_its_screenshots(client, db, world, login, ask):
    r = ask()
    login(world.teacher)
    client.post_form(f"/requests/{r.id}/screenshots", {"screenshot": (io.BytesIO(png()), "a.png")})
    shot = db.session.scalar(db.select(RequestScreenshot))
    url = f"/requests/{r.id}/screenshots/{shot.id}"
    assert client.get(url).status_code == 200
    _login(client, login, world.mentor)
    page = client.get(f"/requests/{r.id}")
    assert page.status_code == 200 and url not in page.get_data(as_text=True)
    assert client.get(url).status_code == 404
    client.post_form(f"/requests/{r.id}/claim", page="/requests/")
    assert client.get(url).status_code == 200  # on the request now
    for other in (world.mentor2, world.teacher2, world.staff):
        _login(client, login, other)
        assert client.get(url).status_code == 404
    _login(client, login, world.advisor)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/requests/{r.id + 1}/screenshots/{shot.id}").status_code == 404


def test_a_screenshot_is_stored_without_its_metadata(client, db, world, login):
    login(world.teacher)
    _open(client, world, screenshot=(io.BytesIO(jpeg_with_exif()), "photo.jpg"))
    _open(client, world, summary="PNG", screenshot=(io.BytesIO(png(exif=True)), "s.png"))
    shots = db.session.scalars(db.select(RequestScreenshot).order_by(RequestScreenshot.id)).all()
    assert [s.content_type for s in shots] == ["image/jpeg", "image/png"]
    for shot in shots:
        assert b"Student Name" not in shot.data and b"SecretCam" not in shot.data
        with Image.open(io.BytesIO(shot.data)) as image:
            assert not image.getexif() and "exif" not in image.info
    assert (shots[0].width, shots[0].height) == (50, 20)


def test_a_fake_image_or_a_big_file_is_refused_clearly(client, db, world, login, ask):
    login(world.teacher)
    response = _open(
        client, world, screenshot=(io.BytesIO(b"\x89PNG\r\n\x1a\n not really"), "x.png")
    )
    assert response.status_code == 200
    assert "not a PNG or JPEG image" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 0
    fields = {**FORM, "skill_id": world.docs.id, "csrf_token": client.csrf_token("/requests/new")}
    response = client.post(
        "/requests/new",
        data=_multipart(fields, "big.jpg", b"\xff\xd8\xff" + b"0" * MAX_BYTES),  # just over 5 MB
        content_type="multipart/form-data; boundary=x",
    )
    assert "too big" in response.get_data(as_text=True)
    r = ask()
    body = b"--x\r\nContent-Disposition: form-data; name=screenshot; filename=h.png\r\n\r\n"
    response = client.post(  # raw bytes: the test client keeps them in memory
        f"/requests/{r.id}/screenshots",
        data=body + b"0" * (6 * 1024 * 1024) + b"\r\n--x--\r\n",
        content_type="multipart/form-data; boundary=x",
    )
    assert response.status_code == 413 and "at most 5 MB" in response.get_data(as_text=True)
    response = client.post_form(
        f"/requests/{r.id}/screenshots",
        {"screenshot": (io.BytesIO(b"GIF89a fake"), "x.gif")},
        follow_redirects=True,
    )
    assert "not a PNG or JPEG image" in _flash(response)
    assert db.session.scalar(db.select(db.func.count(RequestScreenshot.id))) == 0


def test_a_post_without_a_token_is_refused(client, db, world, login, ask):
    r = ask()
    login(world.mentor)
    client.post(f"/requests/{r.id}/claim")
    db.session.refresh(r)
    assert r.status is S.OPEN


@pytest.mark.parametrize(
    ("role", "url", "code"),
    [
        ("mentor", "/requests/new", 403),
        ("advisor", "/requests/new", 403),
        ("teacher", "/requests/report", 403),
        ("mentor", "/requests/settings", 403),
        ("staff", "/requests/new", 200),
        ("teacher", "/requests/", 200),
        ("mentor", "/requests/", 200),
        ("advisor", "/requests/report", 200),
        ("advisor", "/requests/settings", 200),
    ],
)
def test_pages_per_role(client, db, world, login, role, url, code):
    login(getattr(world, role))
    assert client.get(url).status_code == code


def test_the_advisor_sets_targets_and_topic_rules(client, db, world, login):
    login(world.advisor)
    client.post_form(
        "/requests/settings",
        {"first_response_hours": 3, "resolution_hours": 12, "it_email": "IT@District.example.org"},
    )
    settings = services.desk_settings()
    db.session.refresh(settings)
    assert (settings.first_response_hours, settings.it_email) == (3, "it@district.example.org")
    page = client.get(f"/skills/{world.docs.id}/edit").get_data(as_text=True)
    assert "Mentor level needed to claim" in page
    client.post_form(
        f"/requests/topics/{world.docs.id}", {"required_level": 2, "is_escalate_only": "y"}
    )
    db.session.refresh(world.docs)
    assert world.docs.required_level == 2 and world.docs.is_escalate_only


def test_the_book_a_session_link_carries_the_topic_and_description(client, db, world, login, ask):
    r = ask()
    login(world.teacher)
    page = client.get(f"/requests/{r.id}").get_data(as_text=True)
    assert (
        f"/find/?skill_id={world.docs.id}&amp;topic=My+projector" in page
        and "goal=The+laptop" in page
    )


def _count_statements(client, db, url):
    client.get(url)  # warm: school calendars may be cached between requests
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


# BEGIN, the signed-in user and the unread badge, then: the teacher's settings and one list; the
# mentor's settings with the schools and two lists; the advisor's three and the recently escalated.
@pytest.mark.parametrize(("role", "budget"), [("teacher", 5), ("mentor", 6), ("advisor", 8)])
def test_the_queue_loads_in_the_same_number_of_queries_for_5_or_50(
    client, db, world, login, ask, make_user, role, budget
):
    login(getattr(world, role))
    teachers = [make_user(Role.TEACHER, school=world.school) for _ in range(5)]

    def add(n):
        for i in range(n):
            r = ask(
                requester=world.teacher if role == "teacher" else teachers[i % 5],
                summary=f"Problem {i}",
                skill=[world.docs, world.video][i % 2],
            )
            if i % 3 == 0:
                services.claim_request(
                    r, world.mentor2 if i % 2 == 0 else world.expert, r.created_at
                )
        db.session.commit()

    add(5)
    few = _count_statements(client, db, "/requests/")
    add(45)
    many = _count_statements(client, db, "/requests/")
    assert few == many <= budget, (few, many)


def _rows(page: str) -> list[str]:
    """The problems listed, in order, as links to their requests."""
    return [
        html.unescape(text) for text in re.findall(r'<td><a href="/requests/\d+">([^<]+)</a>', page)
    ]


def _pager_links(page: str, rel: str) -> list[dict]:
    """The query of each rel=prev/next link on the page."""
    links = re.findall(rf'<a href="([^"]+)" rel="{rel}">', page)
    return [parse_qs(urlsplit(html.unescape(link)).query) for link in links]


def test_the_queue_shows_twenty_a_page_with_the_total_and_the_next_page(
    client, db, world, login, ask, clock
):
    for i in range(25):
        ask(summary=f"Problem {i:02}")
        clock.advance(minutes=1)
    login(world.mentor)
    first = client.get("/requests/").get_data(as_text=True)
    assert _rows(first) == [f"Problem {i:02}" for i in range(20)]  # oldest first, same rank
    assert "25 in all, 1–20 shown" in first and "Page 1 of 2" in first
    assert first.count('/claim" class="inline">') == 20
    assert _pager_links(first, "next") == [{"page": ["2"]}] and not _pager_links(first, "prev")

    second = client.get("/requests/?page=2").get_data(as_text=True)
    assert _rows(second) == [f"Problem {i:02}" for i in range(20, 25)]
    assert "25 in all, 21–25 shown" in second and "Page 2 of 2" in second
    assert _pager_links(second, "prev") == [{}] and not _pager_links(second, "next")


def test_a_page_past_the_end_says_so_and_odd_page_numbers_show_the_first(
    client, db, world, login, ask
):
    ask(summary="The only problem")
    login(world.mentor)
    past = client.get("/requests/?page=3").get_data(as_text=True)
    assert "This page is past the end of the list." in past and not _rows(past)
    assert 'href="/requests/">Back to the first page</a>' in past
    for odd in ("0", "-1", "two", "²", "99999999999999999999"):
        page = client.get(f"/requests/?page={odd}").get_data(as_text=True)
        assert _rows(page) == ["The only problem"], odd


def test_the_advisor_pages_each_list_on_its_own(client, db, world, login, ask, make_user):
    for i in range(22):
        r = ask(summary=f"Claimed {i:02}")
        services.claim_request(r, world.mentor if i % 2 else world.mentor2, r.created_at)
    for i in range(21):
        ask(summary=f"Open {i:02}")
    db.session.commit()
    login(world.advisor)
    page = client.get("/requests/?mine=2&page=2").get_data(as_text=True)
    assert _rows(page) == ["Claimed 20", "Claimed 21", "Open 20"]
    assert "22 in all, 21–22 shown" in page and "21 in all, 21–21 shown" in page
    assert "Maya C." in page or "Leo M." in page  # the mentor on a claimed request
    # Each list's pager keeps the other list's page.
    assert {"mine": ["2"]} in _pager_links(page, "prev")
    assert {"page": ["2"]} in _pager_links(page, "prev")


def test_a_teacher_pages_their_own_requests_newest_first(client, db, world, login, ask, clock):
    for i in range(21):
        ask(summary=f"Mine {i:02}")
        clock.advance(minutes=1)
    ask(requester=world.teacher2, summary="Someone else's")
    login(world.teacher)
    first = client.get("/requests/").get_data(as_text=True)
    assert _rows(first) == [f"Mine {i:02}" for i in range(20, 0, -1)]
    assert "21 in all, 1–20 shown" in first and _pager_links(first, "next") == [{"page": ["2"]}]
    second = client.get("/requests/?page=2").get_data(as_text=True)
    assert _rows(second) == ["Mine 00"] and "Someone else" not in first + second


def test_the_queue_says_how_long_each_request_has_waited_in_school_hours(
    client, db, world, login, ask, clock
):
    ask(summary="Waited an hour and a half")
    clock.advance(hours=1)
    ask(summary="Waited half an hour")
    clock.advance(minutes=30)
    login(world.mentor)
    page = client.get("/requests/").get_data(as_text=True)
    waited = re.findall(r'<td data-label="Waited">([^<]+)', page)
    assert waited == ["1.5 school hours", "0.5 school hours"]
    assert '<th scope="col">Waited</th>' in page
