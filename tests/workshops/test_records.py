"""A person's record lists the workshops they ran or had a place at."""

from helpdesk.records.collect import collect_record
from helpdesk.workshops import services
from tests.bookings.conftest import NOW


def test_the_record_lists_hosted_and_attended_workshops(db, world, open_workshop):
    workshop = open_workshop(seats=1)
    services.sign_up(workshop, world.teacher, NOW)
    services.sign_up(workshop, world.teacher2, NOW)
    db.session.commit()
    mentor_rows = collect_record(world.mentor).section("workshops").as_dicts()
    assert [(r["id"], r["role"]) for r in mentor_rows] == [(workshop.id, "mentor")]
    teacher_rows = collect_record(world.teacher2).section("workshops").as_dicts()
    assert [(r["title"], r["place"]) for r in teacher_rows] == [
        ("Google Docs for feedback", "waitlisted")
    ]
    assert collect_record(world.advisor).section("workshops").rows == []
