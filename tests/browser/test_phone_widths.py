"""Every page each role can reach, on a phone and on a desktop, with a crowded district.

A district with long names and 50 rows in every list (people, skills, sessions, help requests,
tips, outbox, notifications). Each role signs in and walks every link it can see, one page per
kind of address (/sessions/7 and /sessions/8 are one kind), so a link added to the navigation or
to any page is covered without touching this file. Each page must not scroll sideways at 390 and
360 px, nothing on it may hide behind a sideways scroll bar, and axe must find no WCAG 2.1 A/AA
violation at 390 and at 1280 px.
"""

import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    AXE,
    OVERFLOW,
    ROOT,
    START,
    WCAG_TAGS,
    _describe,
    nav_link,
    open_context,
    start_live_server,
)

pytestmark = pytest.mark.browser

ROWS = 50
PASSWORD = "mentoring-demo-2026"
TEACHER = (
    "Maximiliana Alexandrova-Fitzgerald-Okonkwo",
    "maximiliana.alexandrova-fitzgerald-okonkwo",
)
MENTOR = (
    "Bartholomew Oluwaseun Vanderhoeven-Nakamura",
    "student.bartholomew.vanderhoeven-nakamura",
)
STAFF = ("Anastasiya Konstantinopolskaya-Worthington", "anastasiya.konstantinopolskaya-worthington")
ADVISOR = ("Guadalupe Fernández-Castellanos de la Vega", "guadalupe.fernandez-castellanos")
SIGN_INS = {"teacher": TEACHER, "mentor": MENTOR, "staff": STAFF, "advisor": ADVISOR}
PROBLEMS = [
    "The projector in the science wing shows no signal from my Chromebook",
    "Google Classroom will not let me return graded work to the third-period section",
    "Students cannot hear the audio when I share a YouTube video over Google Meet",
    "The interactive whiteboard pen stopped calibrating after the update",
    "My gradebook spreadsheet formulas broke when I copied them to the new semester tab",
]
TOPICS = [
    "Building a collaborative research-portfolio rubric in Google Classroom",
    "Editing the eighth-grade science fair video podcast in WeVideo",
    "Setting up shared Google Drive folders for every lab group",
]
SKILL = "Interactive whiteboard calibration and troubleshooting"
PHONES = (390, 360)
DESKTOP = 1280
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARTIFACTS = ROOT / "test-artifacts" / "screenshots" / "phone"
# Not pages: downloads, pictures, feeds and JSON.
NOT_PAGES = re.compile(r"\.ics$|/screenshots/|/calendar/feed/|/healthz|/static/|/suggest")


def crowd() -> None:
    """Long names and 50 rows of everything, around the browser tests' Monday morning."""
    from helpdesk.accounts.models import Role, User
    from helpdesk.accounts.passwords import hash_password
    from helpdesk.availability.models import AvailabilityWindow
    from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
    from helpdesk.demo import DOMAIN
    from helpdesk.extensions import db
    from helpdesk.mail.models import MailStatus, OutboxMessage
    from helpdesk.mentors.models import MentorProfile, MentorSkill
    from helpdesk.notifications.models import Notification
    from helpdesk.requests.models import HelpRequest, RequestStatus, Urgency
    from helpdesk.schools.models import School
    from helpdesk.skills.models import Skill
    from helpdesk.tips.models import Device
    from helpdesk.tips.services import create_tip, publish_tip, submit_tip

    school = db.session.scalars(db.select(School).order_by(School.id)).first()
    password = hash_password(PASSWORD)

    def person(name: str, local: str, role: Role, grade: int | None = None) -> User:
        user = User(
            email=f"{local}@{DOMAIN}",
            full_name=name,
            role=role,
            school=school,
            grade=grade,
            password_hash=password,
        )
        db.session.add(user)
        return user

    teacher = person(*TEACHER, Role.TEACHER)
    mentor = person(*MENTOR, Role.MENTOR, grade=11)
    staff = person(*STAFF, Role.STAFF)
    advisor = person(*ADVISOR, Role.ADVISOR)
    for n in range(ROWS):
        role = (Role.TEACHER, Role.MENTOR, Role.STAFF)[n % 3]
        local = f"{TEACHER[1] if role is not Role.MENTOR else MENTOR[1]}.{n:02d}"
        grade = 9 + n % 4 if role is Role.MENTOR else None
        user = person(f"{(TEACHER, MENTOR, STAFF)[n % 3][0]} {n:02d}", local, role, grade)
        user.password_hash = None if n % 7 == 0 else password  # invited, not yet signed in
        user.is_active = n % 11 != 5
        if n == 1:
            free_mentor = user  # no sessions yet: the finder shows this one's times
    skills = [
        Skill(
            name=f"{SKILL} {n:02d}",
            category="Classroom devices and displays",
            description="Calibrate the pen, fix a frozen display, and project from any device "
            "in the building: Chromebooks, iPads, Windows laptops and the document camera.",
        )
        for n in range(ROWS)
    ]
    db.session.add_all(skills)
    db.session.flush()
    db.session.add(
        MentorProfile(
            user_id=mentor.id,
            bio="Grade 11, robotics team captain, and the person the library calls first when "
            "the 3D printer, the projector or the Chromebook cart misbehaves.",
            story="I started by fixing my grandmother's tablet; now I teach teachers.",
            skills=[
                MentorSkill(skill_id=skill.id, level=1 + n % 3) for n, skill in enumerate(skills)
            ],
        )
    )
    db.session.flush()
    db.session.add(
        MentorProfile(
            user_id=free_mentor.id,
            bio="Grade 10; fixes projectors between classes.",
            skills=[MentorSkill(skill_id=skill.id, level=3) for skill in skills],
        )
    )
    db.session.add(AvailabilityWindow(mentor_id=free_mentor.id, period_name="Period 4"))
    statuses = [BookingStatus.COMPLETED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED]
    for n in range(ROWS):
        starts = START + timedelta(days=n - 20, hours=2)
        past = n < 20
        status = (
            statuses[n % 3] if past else (BookingStatus.REQUESTED, BookingStatus.APPROVED)[n % 2]
        )
        online = n % 2 == 0
        db.session.add(
            Booking(
                mentor_id=mentor.id,
                teacher_id=teacher.id,
                skill_id=skills[n].id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
                status=status,
                topic=f"{TOPICS[n % 3]} ({n:02d})",
                learning_goal="Be able to do it myself, step by step, with my own class next week.",
                format=BookingFormat.ONLINE if online else BookingFormat.IN_PERSON,
                room="" if online else "Library makerspace, second floor, room 214B",
                meeting_url="https://meet.demo-district.example.org/abc-defg-hij-klmnopqrstu"
                if online
                else "",
                created_at=START - timedelta(days=3, hours=n),
            )
        )
    request_statuses = [RequestStatus.OPEN] * 3 + [RequestStatus.CLAIMED, RequestStatus.RESOLVED]
    for n in range(ROWS):
        status = request_statuses[n % 5]
        db.session.add(
            HelpRequest(
                requester_id=(teacher if n % 4 else staff).id,
                skill_id=skills[n % 10].id,
                mentor_id=mentor.id if status is not RequestStatus.OPEN else None,
                status=status,
                summary=f"{PROBLEMS[n % 5]} ({n:02d})",
                details="It worked on Friday. Since Monday the screen stays blue and says "
                "'No signal'; I tried another HDMI cable and restarting the Chromebook.",
                device="Chromebook (Lenovo 300e, second generation)",
                urgency=(Urgency.NOW, Urgency.WEEK)[n % 2],
                room="Science wing, room 2-117 (next to the greenhouse)",
                created_at=START - timedelta(days=n % 9, hours=n),
                claimed_at=START - timedelta(hours=n) if status is not RequestStatus.OPEN else None,
            )
        )
    for n in range(ROWS):
        tip = create_tip(
            author=advisor,
            title=f"{TOPICS[n % 3]}: a step-by-step guide for busy teachers ({n:02d})",
            body="1. Open **Google Classroom** and choose the class.\n"
            "2. Go to Classwork, then Create, then Assignment.\n"
            "3. Add the rubric: https://support.demo-district.example.org/classroom/"
            "rubrics-and-grading-categories-for-secondary-teachers\n",
            skills=[skills[n % 10]],
            devices=Device.CHROMEBOOK | Device.WINDOWS,
        )
        if n % 5:
            submit_tip(tip, by=advisor)
            if n % 5 != 1:
                publish_tip(tip, by=advisor)
    for n in range(ROWS):
        failed = n % 4 == 0
        db.session.add(
            OutboxMessage(
                to_address=f"{TEACHER[1]}.{n:02d}@{DOMAIN}",
                subject=f"Session requested: {TOPICS[n % 3]} with {MENTOR[0]}",
                body="A session was requested.\n\nOpen it: "
                "http://helpdesk.demo-district.example.org/sessions/123456789\n",
                status=MailStatus.FAILED if failed else MailStatus.QUEUED,
                attempts=5 if failed else 0,
                last_error="SMTPRecipientsRefused: 550 5.1.1 The email account that you tried to "
                "reach does not exist at mail.demo-district.example.org"
                if failed
                else None,
                created_at=START - timedelta(minutes=n),
            )
        )
    for user in (teacher, mentor, staff, advisor):
        for n in range(ROWS):
            db.session.add(
                Notification(
                    user_id=user.id,
                    message=f"{MENTOR[0]} asked about {TOPICS[n % 3]} ({n:02d})",
                    link="/requests/",
                    created_at=START - timedelta(hours=n),
                    read_at=START if n % 2 else None,
                )
            )


@pytest.fixture(scope="module")
def crowded(playwright_browser, tmp_path_factory):
    server, stop = start_live_server(tmp_path_factory, "phone", crowd)
    yield server
    stop()


@pytest.fixture
def phone_page(playwright_browser, crowded):
    """A page of a fresh context on the crowded district, closed after the test."""
    contexts = []

    def open_page(**options) -> Page:
        context = open_context(playwright_browser, crowded.url, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def sign_in_as(page: Page, role: str) -> Page:
    name, local = SIGN_INS[role]
    page.goto("/login")
    page.get_by_label("Email").fill(f"{local}@demo-district.example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("details[data-menu]")).to_have_count(1)
    return page


def kind_of(url: str) -> str:
    """One page per kind of address: numbers in the path and query values do not count."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def links_on(page: Page, origin: str) -> list[str]:
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')]"
        ".filter(a => !a.hasAttribute('download')).map(a => a.href.split('#')[0])"
    )
    return [href for href in hrefs if href.startswith(origin) and not NOT_PAGES.search(href)]


def axe_problems(page: Page, where: str) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return [f"axe at {where}:\n{_describe(result['violations'])}"] if result["violations"] else []


def at_width(page: Page, width: int) -> None:
    """Resize, then wait until the menu has settled for that width (open only when wide)."""
    page.set_viewport_size({"width": width, "height": 900 if width == DESKTOP else 844})
    page.wait_for_function(
        "(wide) => { const m = document.querySelector('details[data-menu]');"
        " return !m || m.open === wide; }",
        arg=width >= 768,
    )


def check_widths(page: Page, label: str, shot: str) -> list[str]:
    """axe at 1280 and 390 px, sideways overflow at 390 and 360; a screenshot of each width."""
    problems = []
    at_width(page, DESKTOP)
    problems += axe_problems(page, f"{DESKTOP}px")
    page.screenshot(path=f"{shot}-{DESKTOP}.png")
    for width in PHONES:
        at_width(page, width)
        problems += [f"{width}px: {p}" for p in page.evaluate(OVERFLOW)]
        if width == PHONES[0]:
            problems += axe_problems(page, f"{width}px")
            page.screenshot(path=f"{shot}-{width}.png", full_page=True)
    return [f"{label}: {p}" for p in problems]


def walk(page: Page, origin: str, role: str) -> tuple[list[str], list[str]]:
    """Visit every kind of page reachable by links from home; return the kinds and problems."""
    queue, seen, problems = [origin + "/"], set(), []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    while queue:
        url = queue.pop(0)
        if kind_of(url) in seen:
            continue
        seen.add(kind_of(url))
        response = page.goto(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        if response.status >= 400:
            problems.append(f"{url}: answered {response.status}")
            continue
        name = re.sub(r"[^a-z0-9]+", "-", kind_of(url).lower()).strip("-") or "home"
        problems += check_widths(page, url.removeprefix(origin), str(ARTIFACTS / f"{role}-{name}"))
        queue += [href for href in links_on(page, origin) if kind_of(href) not in seen]
    return sorted(seen), problems


@pytest.mark.parametrize("role", ["teacher", "mentor", "staff", "advisor"])
def test_every_page_fits_a_phone_and_passes_axe(phone_page, crowded, role):
    page = sign_in_as(phone_page(), role)
    kinds, problems = walk(page, crowded.url, role)
    # The walk found the role's whole navigation and the pages behind a list's rows.
    assert {"/", "/tips/", "/tips/<n>", "/requests/", "/requests/<n>"} <= set(kinds), kinds
    if role != "staff":
        assert "/sessions/<n>" in kinds, kinds
    assert not problems, "\n".join(problems)


def test_search_results_fit_a_phone(phone_page, crowded):
    """The pages behind a form: the finder's results and a tip search."""
    page = sign_in_as(phone_page(), "teacher")
    nav_link(page, "Find a mentor").click()
    page.get_by_label("Topic").select_option(label=f"{SKILL} 00")
    page.get_by_role("button", name="Find mentors").click()
    expect(page.get_by_text(MENTOR[0].split()[0]).first).to_be_visible()
    problems = check_widths(page, "finder results", str(ARTIFACTS / "teacher-finder-results"))
    nav_link(page, "Tip library").click()
    page.get_by_role("searchbox", name="Search tips").fill("classroom rubric")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("link", name=re.compile("research-portfolio rubric")).first
    ).to_be_visible()
    problems += check_widths(page, "tip search", str(ARTIFACTS / "teacher-tip-search"))
    assert not problems, "\n".join(problems)


def test_phone_menu_opens_and_closes_and_marks_the_page(phone_page):
    page = sign_in_as(phone_page(viewport={"width": 390, "height": 844}), "advisor")
    menu_button = page.locator("summary.menu-button")
    people = page.get_by_role("link", name="People", exact=True)
    expect(menu_button).to_be_visible()
    expect(people).to_be_hidden()
    nav_link(page, "People").click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    expect(people).to_be_hidden()  # a new page starts with the menu closed
    menu_button.click()
    page.locator("details[data-nav-group] > summary", has_text="People").click()
    expect(people).to_have_attribute("aria-current", "page")
    assert page.evaluate(OVERFLOW) == []
    assert axe_problems(page, "390px with the menu open") == []
    page.keyboard.press("Escape")  # the open group first, then the menu
    page.keyboard.press("Escape")
    expect(people).to_be_hidden()
    expect(menu_button).to_be_focused()
    expect(page.locator("details[data-menu]")).not_to_have_attribute("open", "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    page.screenshot(path=str(SCREENSHOTS / "advisor-home-phone.png"))


def test_desktop_groups_work_with_the_keyboard(phone_page):
    page = sign_in_as(phone_page(), "advisor")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    skills = page.get_by_role("link", name="Skills", exact=True)
    expect(skills).to_be_hidden()
    page.locator("summary", has_text="People").focus()
    page.keyboard.press("Enter")
    expect(skills).to_be_visible()
    page.keyboard.press("Escape")
    expect(skills).to_be_hidden()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(skills).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Skills", level=1)).to_be_visible()
    current = page.get_by_role("link", name="Skills", exact=True, include_hidden=True)
    expect(current).to_have_attribute("aria-current", "page")
    expect(page.locator("details[data-nav-group] > summary.current")).to_have_text("People")


def test_the_menu_works_without_javascript(phone_page):
    for width in (390, DESKTOP):
        page = sign_in_as(
            phone_page(java_script_enabled=False, viewport={"width": width, "height": 844}),
            "mentor",
        )
        # The menu's link, not the one on the mentor's home page; found hidden or not, so
        # "hidden" means the closed menu hides it, not that nothing matched.
        availability = page.get_by_role("banner").get_by_role(
            "link", name="Availability", exact=True, include_hidden=True
        )
        if width < 768:
            expect(availability).to_be_hidden()
            page.locator("summary.menu-button").click()
        # Availability sits in the mentor's "Me" group, a <details> that opens without script too.
        page.locator("details[data-nav-group] > summary").filter(
            has_text=re.compile(r"^Me$")
        ).click()
        availability.click()
        expect(page.get_by_role("heading", name="When I can help", level=1)).to_be_visible()


def test_help_desk_queue_keeps_claim_on_a_phone(phone_page):
    page = sign_in_as(phone_page(viewport={"width": 390, "height": 844}), "mentor")
    page.goto("/requests/")
    claim = page.get_by_role("button", name=re.compile(r"^Claim ")).first
    claim.scroll_into_view_if_needed()
    box = claim.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Cards to the eye, still a table to a screen reader: named by its caption, with headers.
    table = page.get_by_role("table", name=re.compile("Your skills first"))
    expect(table.get_by_role("columnheader", name="Urgency", include_hidden=True)).to_have_count(1)
    claims = page.get_by_role("button", name=re.compile(r"^Claim "))
    expect(table.get_by_role("row").filter(has=claims)).to_have_count(20)  # one page's worth
    expect(table.get_by_role("cell", name="Blocking my class now").first).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The open requests at the top of the screen, a Claim button in sight.
    page.evaluate("document.getElementById('open').scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -12)")
    expect(claim).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "help-desk-queue-phone.png"))
