"""The numbers the program reports: by topic and month, how requests ended, median first answer."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from helpdesk.requests import services

TZ = ZoneInfo("America/New_York")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def test_report_numbers(db, world, ask, clock, published_tip, it_address, client, login):
    tip = published_tip()
    # October: two Docs requests answered after 1 and 3 school hours, both resolved by students
    clock.now = local(date(2026, 10, 14), 9)
    a = ask(summary="A")
    b = ask(summary="B")
    clock.now = local(date(2026, 10, 14), 10)
    services.claim_request(a, world.mentor, clock.now)
    services.post_message(a, world.mentor, "Answer", clock.now)
    services.resolve_request(a, world.mentor, clock.now)
    clock.now = local(date(2026, 10, 14), 12)
    services.claim_request(b, world.mentor2, clock.now)
    services.post_message(b, world.mentor2, "Answer", clock.now)
    services.resolve_request(b, world.mentor2, clock.now)
    # November: a Video request escalated, one self-served with a tip, one still open
    clock.now = local(date(2026, 11, 3), 9)
    c = ask(skill=world.video, summary="C")
    services.escalate_request(c, world.advisor, clock.now, "Broken camera")
    services.self_serve(
        world.teacher, services.NewRequest(skill_id=world.docs.id, summary="D"), tip, clock.now
    )
    # Friday 14:00 to Monday 9:00: one school hour then one more, 2 hours
    clock.now = local(date(2026, 11, 6), 14)
    e = ask(summary="E")
    clock.now = local(date(2026, 11, 9), 9)
    services.post_message(e, world.advisor, "Looking", clock.now)
    db.session.commit()

    report = services.program_report(clock.now, TZ)
    assert report.months == ["2026-10", "2026-11"]
    assert report.by_topic == {
        "Google Docs": {"2026-10": 2, "2026-11": 2},
        "Video editing": {"2026-11": 1},
    }
    assert report.outcomes == {"students": 2, "escalated": 1, "self_served": 1}
    assert (report.share("students"), report.share("escalated"), report.share("self_served")) == (
        50,
        25,
        25,
    )
    assert report.median_first_response_hours == 2.0  # of 1, 3 and 2 school hours
    assert report.answered == 3

    login(world.advisor)
    page = client.get("/requests/report").get_data(as_text=True)
    assert (
        "2 (50%)" in page
        and "2 school hours" in page
        and '<th scope="row">Video editing</th>' in page
    )


def test_an_empty_report(db, world, clock):
    report = services.program_report(clock.now, TZ)
    assert report.finished == 0 and report.median_first_response_hours is None
    assert report.share("students") == 0
