"""Issue 14: a search answered from the cache reads its stamps in one statement, as few as the
cheapest page (the signed-in user, the stamps, the unread count), and still misses no change."""

from datetime import date

import pytest

from helpdesk.availability.services import add_time_off
from helpdesk.extensions import db
from helpdesk.mentors.models import MentorSkill
from tests.bookings.test_finder_cache import FIND, LEO_AT_TEN, MAYA_AT_TEN

pytestmark = pytest.mark.usefixtures("as_migrated")
OTHER_DAY = FIND.replace("2026-11-04&end=2026-11-04", "2026-11-04&end=2026-11-05")


@pytest.fixture
def page(client, login, world):
    login(world.teacher2)
    skill_id = world.skill.id  # read here: the test's own objects expire at each commit

    def get(path: str = FIND) -> str:
        response = client.get(path.format(skill=skill_id))
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return get


def _stamp_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "change_stamp" in s]


def test_a_search_asked_again_costs_three_statements_one_for_all_its_stamps(page, count_queries):
    page()
    with count_queries() as again:
        assert MAYA_AT_TEN in page()
    assert len(again) == 3, [s[:60] for s in again]  # the user, every stamp, the unread count
    assert len(_stamp_reads(again)) == 1


def test_another_question_on_a_topic_already_asked_reads_its_stamps_once(page, count_queries):
    page()
    with count_queries() as other:
        assert MAYA_AT_TEN in page(OTHER_DAY)
    assert len(_stamp_reads(other)) == 1


def test_a_change_between_two_searches_shows_though_its_stamp_was_read_ahead(page, world):
    assert MAYA_AT_TEN in page()
    add_time_off(world.mentor, date(2026, 11, 4), date(2026, 11, 4))
    db.session.commit()
    assert MAYA_AT_TEN not in page() and LEO_AT_TEN in page()


def test_a_mentor_new_to_the_topic_shows_at_once_though_not_read_ahead(
    page, world, make_mentor, count_queries
):
    assert "Ada L." not in page()
    make_mentor("Ada Lovelace", world.school, {world.skill: 3}, "Period 4")
    db.session.commit()
    with count_queries() as statements:
        assert "Book Ada L. Wed, Nov 4, 2026 · Period 4 · 10:00–10:30 AM" in page()
    # the district's stamp moved (a new skill row), so the topic's mentors are read afresh
    assert any("mentor_skill" in s for s in statements)


def test_a_mentor_who_leaves_the_topic_goes_at_once(page, world):
    assert MAYA_AT_TEN in page()
    db.session.delete(db.session.get(MentorSkill, (world.mentor.id, world.skill.id)))
    db.session.commit()
    assert MAYA_AT_TEN not in page() and LEO_AT_TEN in page()
