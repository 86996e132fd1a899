"""The finder's "Times I'm free": only slots inside the teacher's free periods, and a cached
card is never shown for another set of free periods."""

import html
import re

FIND = "/find/?skill_id={skill}&start=2026-11-02&end=2026-11-13&minutes=30"


def _slot_times(page: str) -> list[str]:
    return re.findall(r'datetime="([^"]+)"', html.unescape(page))


def test_times_im_free_keeps_only_slots_in_the_teachers_free_periods(
    client, db, world, free, sign_in, as_migrated
):
    free(choices=((2, "Period 4"),))  # Wednesdays only
    sign_in(world.teacher)
    url = FIND.format(skill=world.skill.id)
    every = client.get(url).get_data(as_text=True)
    only_free = client.get(url + "&free_only=y").get_data(as_text=True)
    assert "Times I'm free" in every
    all_times, free_times = _slot_times(every), _slot_times(only_free)
    assert free_times and set(free_times) < set(all_times)
    # Wed 4 and Wed 11 Nov only (the slot picker shows each mentor's days).
    assert {t[:10] for t in free_times} <= {"2026-11-04", "2026-11-11"}

    # Change the free periods: the same question shows other slots (no stale card).
    free(choices=((0, "Period 4"),))
    mondays = _slot_times(client.get(url + "&free_only=y").get_data(as_text=True))
    assert mondays and {t[:10] for t in mondays} <= {"2026-11-02", "2026-11-09"}


def test_without_free_periods_the_filter_says_how_to_set_them(
    client, db, world, sign_in, as_migrated
):
    sign_in(world.teacher)
    page = html.unescape(
        client.get(FIND.format(skill=world.skill.id) + "&free_only=y").get_data(as_text=True)
    )
    assert "You have not set your free periods yet." in page


def test_the_advisor_is_not_offered_the_filter(client, db, world, sign_in, as_migrated):
    sign_in(world.advisor)
    page = client.get(FIND.format(skill=world.skill.id) + "&free_only=y").get_data(as_text=True)
    assert "Times I'm free" not in page
    assert _slot_times(page)  # the filter is ignored: every slot


def test_a_card_cut_to_other_free_periods_is_not_served_from_the_cache(
    client, db, world, free, sign_in, as_migrated
):
    """Same first slot, same number of slots, other days: only the free periods in the card's
    key tell the two apart."""
    url = f"/find/?skill_id={world.skill.id}&start=2026-11-09&end=2026-11-13&minutes=30&free_only=y"
    free(choices=((0, "Period 4"), (2, "Period 4")))
    sign_in(world.teacher)
    first = {t[:10] for t in _slot_times(client.get(url).get_data(as_text=True))}
    assert first == {"2026-11-09", "2026-11-11"}
    free(choices=((0, "Period 4"), (3, "Period 4")))
    second = {t[:10] for t in _slot_times(client.get(url).get_data(as_text=True))}
    assert second == {"2026-11-09", "2026-11-12"}
