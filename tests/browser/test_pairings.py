"""Pairings in a real browser: the advisor pairs a teacher with a mentor from the ranked
suggestions, with goals; the teacher agrees the norms, records progress and ends the pairing;
both write closing reflections and each then reads the other's. Every page is axe clean and
does not scroll sideways at 1280 and 390 px. Its own server: this test writes."""

import pytest
from playwright.sync_api import expect

from helpdesk.demo import MENTORS
from tests.browser.conftest import start_live_server

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
OVERFLOW = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
# The narrowest value of a label/value list: a long label once squeezed it to a letter a line.
NARROWEST_VALUE = (
    "() => Math.min(Infinity, ...[...document.querySelectorAll('main dl dd')]"
    ".map(d => d.getBoundingClientRect().width))"
)


@pytest.fixture(scope="module")
def pairing_server(playwright_browser, tmp_path_factory):
    server, stop = start_live_server(tmp_path_factory, "pairings")
    yield server
    stop()


@pytest.fixture
def open_page(playwright_browser, pairing_server):
    from tests.browser.conftest import open_context

    contexts = []

    def make(**options):
        context = open_context(playwright_browser, pairing_server.url, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _check(page, check_page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, f"pairings-{name}-{width}")
        assert not page.evaluate(OVERFLOW), f"{name} scrolls sideways at {width} px"
        assert page.evaluate(NARROWEST_VALUE) >= 120, f"{name}: a value is squeezed at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _login_of(display_name: str) -> str:
    """A demo mentor's login from the name the app shows ("Maya C." -> student.maya.chen)."""
    first, initial = display_name.rstrip(".").split()
    full = next(m[0] for m in MENTORS if m[0].startswith(first + " " + initial))
    return "student." + full.lower().replace(" ", ".")


def test_advisor_pairs_from_suggestions_then_goals_progress_and_closing(
    open_page, sign_in, check_page
):
    advisor = sign_in(open_page(), "advisor")
    advisor.goto("/pairings/")
    _check(advisor, check_page, "index-advisor")
    advisor.get_by_role("link", name="Pair a mentor with a teacher").click()
    advisor.get_by_label("Teacher").select_option(label="Angela Moretti (Lincoln High School)")
    advisor.get_by_role("button", name="Show suggestions").click()
    suggestions = advisor.get_by_role("group", name="Suggested mentors, best first")
    expect(suggestions).to_be_visible()
    first = suggestions.get_by_role("radio").first
    expect(first).to_be_checked()
    # The reasons are the radio's description, read with it.
    why = advisor.locator(f"#{first.get_attribute('aria-describedby')}")
    expect(why).to_contain_text("current pairing")
    mentor_name = first.locator("xpath=..").inner_text().split("(")[0].strip()
    advisor.get_by_label("Learning goal 1").fill("Post a weekly class newsletter")
    advisor.get_by_label("Learning goal 2 (optional)").fill("Share photos safely with families")
    _check(advisor, check_page, "suggestions")
    advisor.get_by_role("button", name="Pair them").click()
    expect(advisor.locator(".flash-success")).to_contain_text(f"Paired {mentor_name}")
    url = advisor.url
    _check(advisor, check_page, "pairing-new")

    teacher = sign_in(open_page(), "Angela Moretti")
    teacher.goto(url)
    weekly = teacher.get_by_role("link", name="Book weekly sessions")
    assert weekly.get_attribute("href").startswith("/series/new?mentor=")
    teacher.get_by_role("button", name="I agree to these norms").click()
    expect(teacher.locator(".flash-success")).to_contain_text("agreed to the norms")
    goal = teacher.locator(".goal").first
    goal.get_by_text("Update progress").click()
    goal.get_by_label("Met").check()
    goal.get_by_label("Short note (optional)").fill("First newsletter went out Friday")
    goal.get_by_role("button", name="Save progress").click()
    expect(teacher.locator(".goal").first).to_contain_text("Met — First newsletter went out Friday")
    _check(teacher, check_page, "pairing-progress")

    teacher.get_by_role("button", name="End the pairing").click()
    teacher.get_by_label("What have you learned?").fill("Newsletters in Docs with images")
    teacher.get_by_label("How have you applied it?").fill("Every Friday to families")
    teacher.get_by_role("button", name="Save my reflection").click()
    expect(teacher.get_by_text("once they have written theirs")).to_be_visible()
    _check(teacher, check_page, "reflection-teacher")

    mentor = sign_in(open_page(), _login_of(mentor_name))
    mentor.goto(url)
    expect(mentor.get_by_text("Newsletters in Docs with images")).to_have_count(0)
    mentor.get_by_label("What do you think about reverse mentoring?").fill(
        "Teaching a teacher made me explain things better"
    )
    mentor.get_by_role("button", name="Save my reflection").click()
    expect(mentor.get_by_text("Newsletters in Docs with images")).to_be_visible()
    _check(mentor, check_page, "reflections-both")

    teacher.reload()
    expect(teacher.get_by_text("Teaching a teacher made me explain things better")).to_be_visible()
    advisor.goto("/pairings/health")
    expect(advisor.get_by_role("link", name=f"{mentor_name} & Angela Moretti")).to_be_visible()
    _check(advisor, check_page, "health")


def test_a_teacher_sets_free_periods_and_asks_for_a_regular_mentor(open_page, sign_in, check_page):
    teacher = sign_in(open_page(), "Karen Lindqvist")
    teacher.goto("/pairings/free-periods")
    boxes = teacher.get_by_role("checkbox")
    boxes.nth(0).check()
    boxes.nth(3).check()
    _check(teacher, check_page, "free-periods")
    teacher.get_by_role("button", name="Save my free periods").click()
    expect(teacher.locator(".flash-success")).to_contain_text("Saved: 2 free periods.")
    teacher.goto("/pairings/request")
    teacher.get_by_label("What would you like to learn?").fill(
        "I'd like a regular mentor for Google Classroom"
    )
    _check(teacher, check_page, "request")
    teacher.get_by_role("button", name="Send my request").click()
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("would like a regular mentor")
    _check(teacher, check_page, "request-sent")
