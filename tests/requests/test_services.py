"""Help-request rules through the services: every step, the refusals, cron commands, grouping."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpdesk.calendar import services as calendar
from helpdesk.notifications.models import Notification
from helpdesk.requests import jobs, lists, services
from helpdesk.requests.lifecycle import TRANSITIONS, RequestError, transition
from helpdesk.requests.models import HelpRequest, RequestStatus, Urgency
from helpdesk.tips.models import Tip, TipStatus
from tests.requests.conftest import IT_EMAIL

S = RequestStatus
TZ = ZoneInfo("America/New_York")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def test_a_request_opens_with_history_and_tells_the_desk(db, world, ask, outbox):
    r = ask(urgency=Urgency.NOW, around="Period 4")
    assert r.status is S.OPEN and r.mentor_id is None
    assert [(e.from_status, e.to_status) for e in r.events] == [(None, "open")]
    told = {n.user_id for n in db.session.scalars(db.select(Notification))}
    # the advisor and the mentors with Docs; not the Video expert, not the teacher
    assert told == {world.advisor.id, world.mentor.id, world.mentor2.id}
    assert {m.to_address for m in outbox()} == {
        world.advisor.email,
        world.mentor.email,
        world.mentor2.email,
    }
    body = outbox(world.mentor.email)[0].body
    assert "Helen Park, Lincoln High School" in body and world.teacher.email not in body


def test_only_teachers_and_staff_ask(db, world, ask):
    assert ask(requester=world.staff).requester_id == world.staff.id
    with pytest.raises(RequestError, match="Teachers and staff"):
        ask(requester=world.mentor)


def test_the_same_form_twice_makes_one_request(db, world, ask):
    first = ask(request_key="k1")
    again = ask(request_key="k1")
    assert first.id == again.id
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 1


def test_claim_answer_wait_reply_resolve_close_reopen(db, world, ask, clock):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    assert r.status is S.CLAIMED and r.mentor_id == world.mentor.id
    clock.advance(minutes=20)
    services.post_message(r, world.mentor, "Is the HDMI cable in?", clock.now)
    assert r.first_response_at == clock.now
    services.mark_waiting(r, world.mentor, clock.now)
    assert r.status is S.WAITING and r.waiting_since_at == clock.now
    clock.advance(minutes=5)
    services.post_message(r, world.teacher, "Yes, it is.", clock.now)
    assert r.status is S.CLAIMED and r.waiting_since_at is None
    assert r.first_response_at == clock.now - timedelta(minutes=5)  # the first answer only
    services.resolve_request(r, world.mentor, clock.now)
    assert r.status is S.RESOLVED and r.resolved_by_id == world.mentor.id
    services.close_request(r, world.teacher)
    assert r.status is S.CLOSED
    services.reopen_request(r, world.teacher, "It is back.")
    assert r.status is S.CLAIMED and r.mentor_id == world.mentor.id and r.resolved_at is None
    db.session.commit()
    assert [e.to_status for e in r.events] == [
        "open", "claimed", "waiting", "claimed", "resolved", "closed", "claimed"
    ]  # fmt: skip
    assert all(e.at is not None for e in r.events)


def test_reopening_without_an_active_mentor_goes_back_to_the_queue(db, world, ask, clock):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.resolve_request(r, world.mentor, clock.now)
    world.mentor.is_active = False
    services.reopen_request(r, world.teacher, "Still broken")
    assert r.status is S.OPEN and r.mentor_id is None
    with pytest.raises(RequestError, match="still wrong"):
        services.close_request(r, world.teacher)
        services.reopen_request(r, world.teacher, " ")


def test_the_transition_table_refuses_every_other_step(db, world, ask):
    r = ask()
    for from_status in S:
        for to_status in S:
            if to_status in TRANSITIONS[from_status]:
                continue
            r.status = from_status
            with pytest.raises(RequestError, match="cannot become"):
                transition(r, to_status, world.advisor)


def test_a_stale_status_loses_the_compare_and_swap(db, world, ask, clock):
    r = ask()
    assert r.status is S.OPEN  # what this request believes...
    db.session.execute(  # ...while another one claims it behind its back
        db.update(HelpRequest)
        .where(HelpRequest.id == r.id)
        .values(status=S.CLAIMED, mentor_id=world.mentor2.id)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(RequestError, match="Another mentor just claimed"):
        services.claim_request(r, world.mentor, clock.now)
    assert r.mentor_id == world.mentor2.id


def test_who_may_do_what(db, world, ask, clock):
    r = ask()
    with pytest.raises(RequestError):
        services.mark_waiting(r, world.mentor, clock.now)  # not claimed by them
    with pytest.raises(RequestError):
        services.post_message(r, world.mentor, "hi", clock.now)  # claim first
    services.claim_request(r, world.mentor, clock.now)
    with pytest.raises(RequestError):
        services.resolve_request(r, world.mentor2, clock.now)
    with pytest.raises(RequestError):
        services.post_message(r, world.teacher2, "me too", clock.now)
    with pytest.raises(RequestError):
        services.reopen_request(r, world.teacher, "why")  # not finished
    with pytest.raises(RequestError, match="5,000"):
        services.post_message(r, world.mentor, "x" * 5001, clock.now)
    services.post_message(r, world.advisor, "The advisor reads every thread.", clock.now)
    services.release_request(r, world.mentor)
    assert r.status is S.OPEN and r.mentor_id is None


def test_claiming_needs_the_topic_level(db, world, ask, clock):
    r = ask(skill=world.video)
    with pytest.raises(RequestError, match="expert level"):
        services.claim_request(r, world.mentor, clock.now)  # can help only
    with pytest.raises(RequestError, match="expert level"):
        services.claim_request(r, world.mentor2, clock.now)  # no Video at all
    services.claim_request(r, world.expert, clock.now)
    assert r.mentor_id == world.expert.id


def test_an_escalate_only_topic_cannot_be_claimed_and_is_not_sent_to_students(
    db, world, ask, clock, outbox
):
    r = ask(skill=world.passwords, summary="Student cannot sign in")
    assert r.status is S.OPEN  # no IT address yet: it waits for the advisor
    assert {m.to_address for m in outbox()} == {world.advisor.email}
    with pytest.raises(RequestError, match="adult IT only"):
        services.claim_request(r, world.mentor, clock.now)
    assert not r.can_view(world.mentor)
    with pytest.raises(RequestError, match="IT address"):
        services.escalate_request(r, world.advisor, clock.now, "")


def test_escalation_emails_district_it_with_the_details(db, world, ask, clock, outbox, it_address):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.escalate_request(r, world.mentor, clock.now, "The projector bulb is dead.")
    db.session.commit()
    assert r.status is S.ESCALATED and r.escalated_at == clock.now
    mail = outbox(IT_EMAIL)
    assert len(mail) == 1
    body = mail[0].body
    assert world.teacher.email in body and "Helen Park" in body
    assert "The laptop shows the picture" in body and "bulb is dead" in body
    assert world.mentor.email not in body and "Maya" not in body
    queue = lists.queue_for(world.mentor2, clock.now)
    assert r.id not in [i.request.id for i in queue.open.items + queue.mine.items]
    with pytest.raises(RequestError):
        services.claim_request(r, world.mentor2, clock.now)


def test_an_escalate_only_topic_goes_straight_to_it_when_the_address_is_set(
    db, world, ask, outbox, it_address
):
    r = ask(skill=world.passwords, summary="Reset a student's password")
    assert r.status is S.ESCALATED
    assert [e.to_status for e in r.events] == ["open", "escalated"]
    assert len(outbox(IT_EMAIL)) == 1
    assert not outbox(world.mentor.email)


def test_self_served_requests_are_born_closed_and_counted(db, world, clock, published_tip):
    tip = published_tip()
    r = services.self_serve(
        world.teacher, services.NewRequest(skill_id=world.docs.id, summary="Mirror"), tip, clock.now
    )
    assert (
        r.status is S.SELF_SERVED and r.self_served_tip_id == tip.id and r.outcome == "self_served"
    )
    draft = Tip(title="x", body="x", status=TipStatus.DRAFT, author_id=world.advisor.id)
    with pytest.raises(RequestError, match="not in the library"):
        services.self_serve(
            world.teacher,
            services.NewRequest(skill_id=world.docs.id, summary="y"),
            draft,
            clock.now,
        )


def test_an_open_request_can_be_closed_by_a_tip(db, world, ask, published_tip):
    tip = published_tip()
    r = ask()
    services.self_serve_existing(r, world.teacher, tip)
    assert r.status is S.SELF_SERVED
    services.reopen_request(r, world.teacher, "It did not work after all")
    assert r.status is S.OPEN and r.self_served_tip_id is None


def test_the_advisor_turns_a_resolved_request_into_a_draft_tip_once(db, world, ask, clock):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.post_message(r, world.mentor, "Press Windows+P and choose Duplicate.", clock.now)
    services.resolve_request(r, world.mentor, clock.now)
    tip = services.seed_tip(r, world.advisor)
    assert tip.status is TipStatus.DRAFT and tip.title == r.summary
    assert "Windows+P" in tip.body and world.docs in tip.skills
    assert r.draft_tip_id == tip.id
    with pytest.raises(RequestError, match="once"):
        services.seed_tip(r, world.advisor)


def test_the_mentor_turns_a_resolved_request_into_a_draft_tip(db, world, ask, clock):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.resolve_request(r, world.mentor, clock.now)
    tip = services.seed_tip(r, world.mentor)
    assert tip.author_id == world.mentor.id


def test_requests_waiting_five_school_days_close_by_themselves(db, world, ask, clock):
    calendar.add_closure(world.school, date(2026, 11, 9), "Staff day")
    clock.now = local(date(2026, 11, 2), 10)  # Monday
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.mark_waiting(r, world.mentor, clock.now)
    other = ask(summary="Another")
    services.claim_request(other, world.mentor2, clock.now)
    db.session.commit()
    clock.now = local(date(2026, 11, 10), 16)  # Tue-Fri, Tue 10 not over yet (Mon 9 closed): 4
    assert jobs.close_waiting_requests(clock.now).done == 0
    clock.now = local(date(2026, 11, 11), 7)  # five whole school days have passed
    assert jobs.close_waiting_requests(clock.now).done == 1
    db.session.commit()
    assert r.status is S.CLOSED and other.status is S.CLAIMED
    assert jobs.close_waiting_requests(clock.now).done == 0  # safe to repeat
    assert r.events[-1].reason.startswith("No answer") and r.events[-1].actor_id is None


def test_new_request_emails_are_grouped_per_quarter_hour(db, world, ask, clock, outbox):
    ask(summary="First")
    assert len(outbox(world.mentor.email)) == 1
    clock.advance(minutes=5)
    ask(summary="Second")
    clock.advance(minutes=5)
    ask(summary="Third")
    assert len(outbox(world.mentor.email)) == 1  # in-app only for now
    unread = db.session.scalar(
        db.select(db.func.count(Notification.id)).where(Notification.user_id == world.mentor.id)
    )
    assert unread == 3
    clock.advance(minutes=4)  # 14 minutes after the first email
    assert jobs.send_grouped_emails(clock.now).done == 0
    clock.advance(minutes=1)
    assert jobs.send_grouped_emails(clock.now).done == 3  # advisor and both Docs mentors
    db.session.commit()
    mail = outbox(world.mentor.email)
    assert len(mail) == 2 and mail[1].subject == "2 new help requests"
    assert "Second" in mail[1].body and "Third" in mail[1].body
    assert jobs.send_grouped_emails(clock.now).done == 0  # safe to repeat
    clock.advance(minutes=1)
    ask(summary="Fourth")  # within 15 minutes of the digest: held back again
    assert len(outbox(world.mentor.email)) == 2
    clock.advance(minutes=15)
    ask(summary="Fifth")  # the quarter hour is over: this one carries Fourth too
    mail = outbox(world.mentor.email)
    assert len(mail) == 3 and "Fourth" in mail[2].body and "Fifth" in mail[2].body


def test_held_back_requests_already_claimed_are_not_emailed(db, world, ask, clock, outbox):
    ask(summary="First")
    clock.advance(minutes=1)
    second = ask(summary="Second")
    services.claim_request(second, world.mentor2, clock.now)
    clock.advance(minutes=20)
    jobs.send_grouped_emails(clock.now)
    assert len(outbox(world.mentor.email)) == 1


def test_answers_and_resolution_notify_the_other_side(db, world, ask, clock, outbox):
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    services.post_message(r, world.mentor, "Try Windows+P.", clock.now)
    services.post_message(r, world.teacher, "That worked!", clock.now)
    services.resolve_request(r, world.mentor, clock.now)
    db.session.commit()
    to_teacher = [m.subject for m in outbox(world.teacher.email)]
    assert to_teacher == [f"New answer: {r.summary}", f"Resolved: {r.summary}"]
    teacher_mail = " ".join(m.body for m in outbox(world.teacher.email))
    assert "Maya C." in teacher_mail and "Maya Chen" not in teacher_mail
    assert world.mentor.email not in teacher_mail
    assert f"New answer: {r.summary}" in [m.subject for m in outbox(world.mentor.email)]


def test_overdue_counts_school_hours_only(db, world, ask, clock):
    calendar.add_closure(world.school, date(2026, 11, 9), "Staff day")
    services.update_desk_settings(first_response_hours=4, resolution_hours=14, it_email="")
    clock.now = local(date(2026, 11, 6), 14)  # Friday afternoon: one school hour left
    r = ask()
    clock.now = local(date(2026, 11, 9), 14)  # the holiday Monday
    assert lists.is_overdue(r, clock.now) is None
    clock.now = local(date(2026, 11, 10), 10)  # Tuesday: 1 + 2 school hours
    assert lists.is_overdue(r, clock.now) is None
    clock.now = local(date(2026, 11, 10), 11, 30)  # 1 + 3.5
    assert lists.is_overdue(r, clock.now) is not None
    services.claim_request(r, world.mentor, clock.now)
    services.post_message(r, world.mentor, "On it", clock.now)
    assert lists.is_overdue(r, clock.now) is None  # answered; resolution target is 14 h


def test_desk_settings_and_topic_rules_are_checked(db, world):
    with pytest.raises(RequestError):
        services.update_desk_settings(first_response_hours=8, resolution_hours=4, it_email="")
    with pytest.raises(RequestError):
        services.set_topic_rules(world.docs, required_level=7, is_escalate_only=False)


def test_merging_skills_moves_help_requests(db, world, ask):
    from helpdesk.skills.services import merge_skills

    r = ask(skill=world.video)
    merge_skills(world.video, world.docs)
    db.session.commit()
    db.session.refresh(r)
    assert r.skill_id == world.docs.id


def test_the_open_list_puts_skills_first_then_overdue_then_urgent(db, world, ask, clock):
    monday, tuesday = date(2026, 11, 2), date(2026, 11, 3)

    def opened(at: datetime, skill, urgency: Urgency, summary: str) -> HelpRequest:
        clock.now = at
        return ask(skill=skill, urgency=urgency, summary=summary)

    overdue = opened(local(monday, 8), world.docs, Urgency.WHENEVER, "docs, overdue")
    answered = opened(local(monday, 8), world.docs, Urgency.WEEK, "docs, answered")
    services.claim_request(answered, world.mentor, clock.now)
    services.post_message(answered, world.mentor, "Try this first.", clock.now)
    services.release_request(answered, world.mentor)  # answered: only the 14 h target applies
    video_overdue = opened(local(monday, 8), world.video, Urgency.NOW, "video, overdue")
    week = opened(local(tuesday, 9), world.docs, Urgency.WEEK, "docs, this week")
    now = opened(local(tuesday, 9, 30), world.docs, Urgency.NOW, "docs, blocking")
    video_now = opened(local(tuesday, 9, 45), world.video, Urgency.NOW, "video, blocking")
    opened(local(tuesday, 9, 50), world.passwords, Urgency.NOW, "adult IT only")
    db.session.commit()
    clock.now = local(tuesday, 10)  # Monday's requests have waited 9 school hours

    def shown(user) -> list[str]:
        return [i.request.summary for i in lists.queue_for(user, clock.now).open.items]

    # Leo (Docs) sees his topic first; Ana (Video expert) hers; the advisor has no skills.
    assert shown(world.mentor2) == [
        r.summary for r in (overdue, now, answered, week, video_overdue, video_now)
    ]
    assert shown(world.expert) == [
        r.summary for r in (video_overdue, video_now, overdue, now, answered, week)
    ]
    assert shown(world.advisor) == [
        r.summary for r in (video_overdue, overdue, now, video_now, answered, week)
    ]
    items = {i.request.summary: i for i in lists.queue_for(world.mentor2, clock.now).open.items}
    assert items["docs, overdue"].overdue == "No answer within 4 school hours"
    assert (
        items["docs, answered"].overdue is None and items["docs, answered"].school_hours_waited == 9
    )
    assert items["docs, overdue"].request.matches_skills and items["docs, overdue"].can_claim
    maya = {i.request.summary: i for i in lists.queue_for(world.mentor, clock.now).open.items}
    assert not maya["video, blocking"].request.matches_skills  # she can help; it needs an expert
    assert lists.is_overdue(overdue, clock.now) == items["docs, overdue"].overdue
    it_only = lists.queue_for(world.advisor, clock.now).escalate_only
    assert [i.request.summary for i in it_only.items] == ["adult IT only"] and it_only.total == 1


def test_resolving_stores_the_time_it_took_on_the_school_clock(db, world, ask, clock):
    calendar.add_closure(world.school, date(2026, 11, 9), "Staff day")
    clock.now = local(date(2026, 11, 6), 14)  # Friday afternoon: one school hour left
    r = ask()
    services.claim_request(r, world.mentor, clock.now)
    clock.now = local(date(2026, 11, 10), 10)  # the weekend and the holiday Monday skipped
    services.resolve_request(r, world.mentor, clock.now)
    db.session.commit()
    assert r.school_seconds_to_resolve == 3 * 3600  # 1 h Friday + 2 h Tuesday
    services.reopen_request(r, world.teacher, "It is back.")
    db.session.commit()
    assert r.school_seconds_to_resolve is None  # no longer resolved: nothing to count


def test_backfill_times_requests_resolved_before_the_time_was_stored(app, db, world, ask, clock):
    clock.now = local(date(2026, 11, 10), 9)
    resolved, still_open = ask(), ask(summary="Printer jam")
    services.claim_request(resolved, world.mentor, clock.now)
    clock.advance(minutes=90)
    services.resolve_request(resolved, world.mentor, clock.now)
    resolved.school_seconds_to_resolve = None  # as an upgraded database has it
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["backfill-resolve-times"])
    assert result.exit_code == 0 and "1 resolved request timed" in result.output
    db.session.expire_all()
    assert resolved.school_seconds_to_resolve == 90 * 60
    assert still_open.school_seconds_to_resolve is None
    again = app.test_cli_runner().invoke(args=["backfill-resolve-times"])
    assert "0 resolved requests timed" in again.output
