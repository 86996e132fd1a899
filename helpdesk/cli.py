"""flask --app wsgi <command>: the commands a person or cron runs."""

from pathlib import Path

import click
from flask import Flask, current_app

from helpdesk.accounts import services as accounts
from helpdesk.accounts.models import Role
from helpdesk.accounts.passwords import PasswordRuleError
from helpdesk.extensions import db
from helpdesk.people.csv_import import CsvImportError
from helpdesk.people.services import import_people
from helpdesk.schools.services import SchoolError, get_or_create_school


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_advisor)
    app.cli.add_command(import_users)
    app.cli.add_command(seed_demo)
    app.cli.add_command(send_reminders)
    app.cli.add_command(expire_requests)
    app.cli.add_command(close_waiting_requests)
    app.cli.add_command(desk_digest)


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
        raise click.ClickException(f"Nothing imported: {len(exc.errors)} bad row(s).") from exc
    db.session.commit()
    click.echo(
        f"Imported {len(summary.created)} people and sent invitations; "
        f"{summary.already_present} already had accounts."
    )


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo district (safe to run again: it changes nothing the second time)."""
    from helpdesk.demo import seed

    created = seed()
    db.session.commit()
    click.echo(f"Demo district ready ({created} new records).")


@click.command("send-reminders")
def send_reminders() -> None:
    """For cron: expire undecided requests, remind tomorrow's sessions, tell the advisor what waits.

    Safe to run as often as you like: nothing is ever sent twice.
    """
    from helpdesk.bookings import services as bookings
    from helpdesk.clock import utcnow

    now = utcnow()
    expired = bookings.expire_stale_requests(now)
    reminded = bookings.send_reminders(now)
    digest = bookings.send_advisor_digest(now)
    db.session.commit()
    click.echo(
        f"Expired {expired} request(s); sent {reminded} reminder(s); advisor digest {'sent' if digest else 'not needed'}."
    )


@click.command("expire-requests")
def expire_requests() -> None:
    """Expire requests not decided before their start minus the minimum notice."""
    from helpdesk.bookings import services as bookings
    from helpdesk.clock import utcnow

    expired = bookings.expire_stale_requests(utcnow())
    db.session.commit()
    click.echo(f"Expired {expired} request(s).")


@click.command("close-waiting-requests")
def close_waiting_requests() -> None:
    """For cron: close help requests waiting 5 school days for the requester; safe to repeat."""
    from helpdesk.clock import utcnow
    from helpdesk.requests import services as requests

    closed = requests.close_waiting_requests(utcnow())
    db.session.commit()
    click.echo(f"Closed {closed} help request(s) with no answer.")


@click.command("desk-digest")
def desk_digest() -> None:
    """For cron: send new-request emails held back by the quarter-hour rule; safe to repeat."""
    from helpdesk.clock import utcnow
    from helpdesk.requests import services as requests

    sent = requests.send_grouped_emails(utcnow())
    db.session.commit()
    click.echo(f"Sent {sent} grouped help-request email(s).")
