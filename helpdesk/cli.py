"""flask --app wsgi <command>: the commands a person or cron runs."""

import signal
import threading
from pathlib import Path

import click
from flask import Flask, current_app

from helpdesk.access_log.models import AccessAction
from helpdesk.access_log.services import record_access
from helpdesk.accounts import services as accounts
from helpdesk.accounts import two_step_services
from helpdesk.accounts.models import Role
from helpdesk.accounts.passwords import PasswordRuleError
from helpdesk.extensions import db
from helpdesk.formatting import plural
from helpdesk.hours.commands import backfill_hours
from helpdesk.jobs import JobRun
from helpdesk.people.csv_import import CsvImportError
from helpdesk.people.services import import_people
from helpdesk.requests.commands import backfill_resolve_times
from helpdesk.schools.services import SchoolError, get_or_create_school


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_advisor)
    app.cli.add_command(import_users)
    app.cli.add_command(seed_demo)
    app.cli.add_command(send_reminders)
    app.cli.add_command(expire_requests)
    app.cli.add_command(close_waiting_requests)
    app.cli.add_command(desk_digest)
    app.cli.add_command(deliver_mail)
    app.cli.add_command(reindex_tips)
    app.cli.add_command(reset_two_step)
    app.cli.add_command(anonymize_graduates)
    app.cli.add_command(apply_retention)
    app.cli.add_command(purge_access_log)
    app.cli.add_command(backfill_hours)
    app.cli.add_command(backfill_resolve_times)


@click.command("create-advisor")
@click.argument("email")
@click.option("--school", required=True, help="School name; created if it does not exist.")
@click.option("--name", default="Program Advisor", show_default=True, help="Full name.")
@click.option("--timezone", default=None, help="Time zone of a new school (default from config).")
@click.password_option(help="The advisor's password (asked for when not given).")
def create_advisor(email: str, school: str, name: str, timezone: str | None, password: str) -> None:
    """Create the club advisor account (admin powers)."""
    try:
        school_row = get_or_create_school(
            school, timezone or current_app.config["DEFAULT_TIMEZONE"]
        )
        user = accounts.create_user(
            email=email, full_name=name, role=Role.ADVISOR, school=school_row
        )
        accounts.set_password(user, password)
    except (accounts.AccountError, PasswordRuleError, SchoolError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Advisor {user.email} created at {school_row.name}.")


@click.command("reset-two-step")
@click.argument("email")
def reset_two_step(email: str) -> None:
    """Turn off someone's two-step sign-in (the advisor who lost phone and recovery codes)."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    try:
        two_step_services.reset(user, by=None)
    except two_step_services.TwoStepError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Two-step sign-in is off for {user.email}; they were told by email.")


@click.command("import-users")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_users(csv_file: Path) -> None:
    """Import people from a CSV (email, name, role, school, grade); all or nothing."""
    try:
        summary = import_people(csv_file.read_bytes())
    except CsvImportError as exc:
        db.session.rollback()
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"Nothing imported: {plural(len(exc.errors), 'bad row')}."
        ) from exc
    record_access(  # by the operator, at the command line: no account, no address
        AccessAction.PEOPLE_IMPORTED,
        actor_id=None,
        detail=f"created: {len(summary.created)}, already present: {summary.already_present}",
    )
    db.session.commit()
    click.echo(
        f"Imported {plural(len(summary.created), 'person', 'people')} and queued their "
        f"invitations; {plural(summary.already_present, 'person', 'people')} already had "
        f"{'an account' if summary.already_present == 1 else 'accounts'}."
    )


@click.command("reindex-tips")
def reindex_tips() -> None:
    """Rebuild the tip search index with the library's current average lengths (weekly cron)."""
    from helpdesk.tips.index import rebuild
    from helpdesk.tips.library_cache import library_changed

    count = rebuild(db.session.connection())
    library_changed()
    db.session.commit()
    click.echo(f"Indexed {plural(count, 'published tip')}.")


@click.command("anonymize-graduates")
@click.option("--class-of", "class_of", type=int, required=True, help="The graduation year.")
@click.option("--dry-run", is_flag=True, help="Only count what would change.")
def anonymize_graduates(class_of: int, dry_run: bool) -> None:
    """Replace a class's names and emails by placeholders; their tips and hours stay."""
    from helpdesk.clock import utcnow
    from helpdesk.people import anonymize

    try:
        if dry_run:
            counts = anonymize.preview(class_of, utcnow())
        else:
            counts = anonymize.anonymize_class(class_of, None, utcnow())
    except anonymize.AnonymizeError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    if dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing has changed.")
    else:
        db.session.commit()
    for line in anonymize.describe(counts, class_of, done=not dry_run):
        click.echo(line)


@click.command("apply-retention")
@click.option("--dry-run", is_flag=True, help="Only count what would go.")
def apply_retention(dry_run: bool) -> None:
    """For cron (daily): delete old help-request screenshots, blank old sent mail bodies."""
    from helpdesk.clock import utcnow
    from helpdesk.retention import apply_retention as apply

    days = current_app.config["SCREENSHOT_RETENTION_DAYS"]
    mail_days = current_app.config["MAIL_BODY_RETENTION_DAYS"]
    counts = apply(utcnow(), days, mail_days, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would go" if dry_run else "removed"
    click.echo(
        f"Screenshots older than {plural(days, 'day')}: {counts.screenshots} {verb}. "
        f"Bodies of mail sent over {plural(mail_days, 'day')} ago: {counts.mail_bodies} {verb}."
    )


@click.command("purge-access-log")
def purge_access_log() -> None:
    """Remove access-log entries older than ACCESS_LOG_RETENTION_DAYS (daily cron; safe to rerun)."""
    from helpdesk.access_log.services import purge_expired
    from helpdesk.clock import utcnow

    days = current_app.config["ACCESS_LOG_RETENTION_DAYS"]
    removed = purge_expired(utcnow(), days)
    db.session.commit()
    click.echo(
        f"Removed {plural(removed, 'access-log entry', 'access-log entries')} older than {plural(days, 'day')}."
    )


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo district (safe to run again: it changes nothing the second time)."""
    from helpdesk.demo import seed

    created = seed()
    db.session.commit()
    click.echo(f"Demo district ready ({created} new records).")


def _report(run: JobRun, what: str) -> str:
    """One line per pass; a pass with failed items exits non-zero so cron mails the operator."""
    line = f"{what}: {run.done}"
    if run.failed:
        line += f" ({run.failed} failed; the next run tries them again)"
    return line


def _finish(*runs: JobRun) -> None:
    if any(run.failed for run in runs):
        raise SystemExit(1)


@click.command("send-reminders")
def send_reminders() -> None:
    """For cron: expire undecided requests, remind tomorrow's sessions, tell the advisor what waits.

    Each item commits its mark with its email, so a run that fails part-way, then runs again,
    sends everything exactly once.
    """
    from helpdesk.bookings import jobs
    from helpdesk.clock import utcnow

    now = utcnow()
    expired = jobs.expire_stale_requests(now)
    reminded = jobs.send_reminders(now)
    digest = jobs.send_advisor_digest(now)
    click.echo(_report(expired, "Expired requests"))
    click.echo(_report(reminded, "Reminders sent"))
    click.echo(_report(digest, "Advisor digests sent"))
    _finish(expired, reminded, digest)


@click.command("expire-requests")
def expire_requests() -> None:
    """Expire requests not decided before their start minus the minimum notice."""
    from helpdesk.bookings import jobs
    from helpdesk.clock import utcnow

    run = jobs.expire_stale_requests(utcnow())
    click.echo(_report(run, "Expired requests"))
    _finish(run)


@click.command("close-waiting-requests")
def close_waiting_requests() -> None:
    """For cron: close help requests waiting 5 school days for the requester; safe to repeat."""
    from helpdesk.clock import utcnow
    from helpdesk.requests import jobs

    run = jobs.close_waiting_requests(utcnow())
    click.echo(_report(run, "Help requests closed with no answer"))
    _finish(run)


@click.command("desk-digest")
def desk_digest() -> None:
    """For cron: send new-request emails held back by the quarter-hour rule; safe to repeat."""
    from helpdesk.clock import utcnow
    from helpdesk.requests import jobs

    run = jobs.send_grouped_emails(utcnow())
    click.echo(_report(run, "Grouped help-request emails"))
    _finish(run)


@click.command("deliver-mail")
@click.option("--forever", is_flag=True, help="Keep running, polling every MAIL_POLL_SECONDS.")
def deliver_mail(forever: bool) -> None:
    """Send the outbox's due mail over SMTP (one pass for cron, or --forever as a service)."""
    from helpdesk.clock import utcnow
    from helpdesk.mail import delivery
    from helpdesk.mail.models import MailStatus
    from helpdesk.mail.services import status_counts

    config = current_app.config
    if not config["MAIL_SERVER"]:
        waiting = status_counts()[MailStatus.QUEUED]
        stay = "stays" if waiting == 1 else "stay"
        message = f"MAIL_SERVER is not set: {plural(waiting, 'message')} {stay} in the outbox."
        if forever:
            raise click.ClickException(message)
        click.echo(message)
        return
    settings = delivery.SmtpSettings.from_config(config)
    policy = delivery.RetryPolicy(batch=config["MAIL_BATCH_SIZE"])
    if not forever:
        report = delivery.deliver_due(settings, utcnow, policy)
        click.echo(
            f"Sent {report.sent}; {report.retrying} will be retried; {report.failed} failed."
        )
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Delivering mail via {settings.host}:{settings.port}; stop with SIGTERM.")
    delivery.deliver_forever(settings, utcnow, stop, config["MAIL_POLL_SECONDS"], policy)
    click.echo("Stopped.")
