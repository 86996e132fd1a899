from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.accounts.models import Role
from helpdesk.bookings.models import Booking, BookingFormat, BookingStatus
from helpdesk.mentors import services as mentors
from helpdesk.mentors.models import MentorSkill, SkillLevel
from helpdesk.skills import services as skills
from helpdesk.skills.models import Skill


def test_renaming_a_skill_keeps_its_mentors(db, make_user):
    skill = skills.save_skill(name="Google Docs", description="", category="Docs")
    mentor = make_user(Role.MENTOR)
    mentors.update_profile(
        mentors.profile_for(mentor),
        bio="",
        story="",
        weekly_cap=None,
        offers_online=True,
        offers_in_person=True,
        skill_levels={skill.id: 2},
    )
    skills.save_skill(name="Google Docs & Slides", description="", category="Docs", skill=skill)
    db.session.commit()
    assert (
        db.session.scalar(db.select(MentorSkill.skill_id).where(MentorSkill.mentor_id == mentor.id))
        == skill.id
    )
    assert db.session.get(Skill, skill.id).name == "Google Docs & Slides"


def test_skill_names_are_unique_ignoring_case(db):
    skills.save_skill(name="iPad apps", description="", category="Devices")
    with pytest.raises(skills.SkillError, match="already a skill"):
        skills.save_skill(name="IPAD  apps", description="", category="Devices")


def test_merging_moves_mentors_and_sessions_and_keeps_the_higher_level(db, make_user):
    docs = skills.save_skill(name="Google Docs", description="", category="Docs")
    gdocs = skills.save_skill(name="GDocs", description="", category="Docs")
    both, only_source = make_user(Role.MENTOR), make_user(Role.MENTOR)
    mentors.update_profile(
        mentors.profile_for(both),
        bio="",
        story="",
        weekly_cap=None,
        offers_online=True,
        offers_in_person=True,
        skill_levels={docs.id: 1, gdocs.id: 3},
    )
    mentors.update_profile(
        mentors.profile_for(only_source),
        bio="",
        story="",
        weekly_cap=None,
        offers_online=True,
        offers_in_person=True,
        skill_levels={gdocs.id: 2},
    )
    teacher = make_user(Role.TEACHER)
    start = datetime(2026, 11, 2, 15, tzinfo=UTC)
    db.session.add(
        Booking(
            mentor_id=only_source.id,
            teacher_id=teacher.id,
            skill_id=gdocs.id,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            status=BookingStatus.APPROVED,
            topic="Sharing",
            learning_goal="Share a doc",
            format=BookingFormat.ONLINE,
        )
    )
    db.session.commit()
    skills.merge_skills(db.session.get(Skill, gdocs.id), db.session.get(Skill, docs.id))
    db.session.commit()
    levels = dict(
        db.session.execute(
            db.select(MentorSkill.mentor_id, MentorSkill.level).where(
                MentorSkill.skill_id == docs.id
            )
        ).all()
    )
    assert levels == {both.id: 3, only_source.id: 2}
    assert db.session.scalar(db.select(Booking.skill_id)) == docs.id
    assert db.session.get(Skill, gdocs.id) is None


def test_merge_page_flow(client, db, login_as):
    login_as(Role.ADVISOR)
    a = skills.save_skill(name="Chromebooks", description="", category="Devices")
    b = skills.save_skill(name="Chromebook", description="", category="Devices")
    db.session.commit()
    response = client.post_form(
        "/skills/merge",
        {"merge-source_id": b.id, "merge-target_id": a.id, "confirmed": "yes"},
        page="/skills/",
    )
    assert response.status_code == 302
    assert "Merged Chromebook into Chromebooks" in client.get("/skills/").get_data(as_text=True)
    same = client.post_form(
        "/skills/merge", {"merge-source_id": a.id, "merge-target_id": a.id}, page="/skills/"
    )
    assert same.status_code == 302
    assert "Choose two different skills" in client.get("/skills/").get_data(as_text=True)


def test_mentor_edits_only_their_own_profile_and_teachers_can_view_it(
    client, app, db, make_user, login
):
    skill = skills.save_skill(name="Video podcasts", description="", category="Video")
    db.session.commit()
    mentor = make_user(Role.MENTOR, full_name="Maya Chen", email="maya@school.example.org")
    other = make_user(Role.MENTOR, full_name="Leo Martins")
    login(mentor)
    response = client.post_form(
        "/mentors/me",
        {
            "bio": "Podcasts!",
            "story": "I started in 6th grade.",
            "offers_online": "y",
            f"skill_{skill.id}": SkillLevel.EXPERT.value,
        },
        page="/mentors/me",
    )
    assert response.status_code == 302
    assert client.get(f"/mentors/{other.id}").status_code == 404  # mentors see only their own
    client.post_form("/logout")

    teacher = make_user(Role.TEACHER)
    login(teacher)
    page = client.get(f"/mentors/{mentor.id}").get_data(as_text=True)
    assert "Maya C." in page and "Podcasts!" in page and "Expert" in page
    assert "maya@school.example.org" not in page and "Chen" not in page
    assert client.get("/mentors/me").status_code == 403
    assert client.get(f"/mentors/{teacher.id}").status_code == 404


def test_profile_must_offer_some_format(db, make_user):
    profile = mentors.profile_for(make_user(Role.MENTOR))
    with pytest.raises(mentors.ProfileError):
        mentors.update_profile(
            profile,
            bio="",
            story="",
            weekly_cap=None,
            offers_online=False,
            offers_in_person=False,
            skill_levels={},
        )


def test_skills_pages_are_advisor_only(client, login_as):
    login_as(Role.MENTOR)
    assert client.get("/skills/").status_code == 403
    assert client.post_form("/skills/", {"name": "x"}).status_code == 403


def test_merge_moves_tips_and_rename_refreshes_their_search_text(db, make_user):
    from helpdesk.tips import services as tips
    from helpdesk.tips.models import Device

    advisor = make_user(Role.ADVISOR)
    source = skills.save_skill(name="Chromebook tricks", description="", category="Devices")
    target = skills.save_skill(name="Chromebooks", description="", category="Devices")
    tip = tips.create_tip(
        author=advisor,
        title="Mirror your screen",
        body="Press the cast icon.",
        skills=[source],
        devices=[Device.ANY],
    )
    tips.submit_tip(tip, by=advisor)
    tips.publish_tip(tip, by=advisor)
    db.session.commit()

    skills.merge_skills(source, target)
    db.session.commit()
    assert [s.id for s in db.session.get(type(tip), tip.id).skills] == [target.id]

    skills.save_skill(
        name="Zebracorn devices",
        description="",
        category="Devices",
        skill=db.session.get(Skill, target.id),
    )
    db.session.commit()
    assert [t.id for t in tips.search_tips("zebracorn").tips] == [tip.id]
