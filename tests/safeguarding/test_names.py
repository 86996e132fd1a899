"""People's names leave a draft tip: full, first and last, any case, possessives, titles."""

import pytest

from helpdesk.safeguarding.names import Person, remove_names

PEOPLE = [Person("Maya Chen", "the mentor"), Person("Helen Park", "the teacher")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maya Chen helped Helen Park.", "The mentor helped the teacher."),
        ("maya showed ms. park the menu", "The mentor showed the teacher the menu"),
        ("Ms. Park's projector; MAYA's fix", "The teacher's projector; the mentor's fix"),
        ("Helen\u2019s class. Chen said hi.", "The teacher's class. The mentor said hi."),
        ("Mayan art in Parkside", "Mayan art in Parkside"),
        ("Go to the park at noon.", "Go to the park at noon."),  # "Park" is an everyday word
        ("- Park asked: is Mr. Park in?", "- The teacher asked: is the teacher in?"),
    ],
)
def test_names_become_roles(text, expected):
    assert remove_names(text, PEOPLE) == expected


def test_an_everyday_first_name_is_taken_only_when_capitalized():
    people = [Person("Will Grace", "the mentor")]
    assert remove_names("It will work, Will said.", people) == "It will work, the mentor said."


def test_an_empty_or_one_letter_name_removes_nothing():
    assert remove_names("A quick tip", [Person("", "the mentor"), Person("A", "x")]) == (
        "A quick tip"
    )
