"""A person's record carries their pairings, progress and own closing reflection; anonymizing a
graduate empties their reflection and takes their name out of the pair's text."""

from helpdesk.pairings import services
from helpdesk.pairings.models import GoalStatus, PairingReflection
from helpdesk.people import anonymize
from helpdesk.records.collect import collect_record
from tests.bookings.conftest import NOW


def _closed_with_reflections(db, world, pair):
    pairing = pair(goals=("Make Maya's checklist our routine",))
    services.update_goal(pairing.goals[0], world.mentor, GoalStatus.MET, "Maya Chen did it", NOW)
    services.close_pairing(pairing, world.teacher, NOW)
    services.reflect(
        pairing, world.teacher, services.ReflectionInput(learned="Maya was patient"), NOW
    )
    services.reflect(
        pairing, world.mentor, services.ReflectionInput(learned="How teachers plan"), NOW
    )
    db.session.commit()
    return pairing


def test_the_record_holds_pairings_progress_and_own_reflection(db, world, pair, free):
    free()
    pairing = _closed_with_reflections(db, world, pair)
    record = collect_record(world.mentor)
    assert record.section("pairings").as_dicts()[0]["id"] == pairing.id
    assert record.section("pairing_progress").as_dicts()[0]["note"] == "Maya Chen did it"
    reflections = record.section("pairing_reflections").as_dicts()
    assert [r["learned"] for r in reflections] == ["How teachers plan"]  # not Helen's
    teacher = collect_record(world.teacher)
    assert teacher.section("free_periods").as_dicts() == [
        {"period": "Period 4", "day": "Mon"},
        {"period": "Period 4", "day": "Wed"},
    ]


def test_anonymizing_a_graduate_empties_their_reflection_and_their_name_in_the_pairs_text(
    db, world, pair
):
    pairing = _closed_with_reflections(db, world, pair)
    anonymize.anonymize_person(world.mentor, None, NOW)
    db.session.commit()
    db.session.expire_all()
    placeholder = f"Former mentor {world.mentor.id}"
    mine = db.session.scalar(
        db.select(PairingReflection).where(PairingReflection.author_id == world.mentor.id)
    )
    assert mine.learned == ""
    theirs = db.session.scalar(
        db.select(PairingReflection).where(PairingReflection.author_id == world.teacher.id)
    )
    assert theirs.learned == f"{placeholder} was patient"
    assert pairing.goals[0].text == f"Make {placeholder}'s checklist our routine"
    assert pairing.goals[0].updates[0].note == f"{placeholder} did it"
