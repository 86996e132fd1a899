"""flask backfill-hours: ledger entries for what happened before the ledger existed."""

import click

from helpdesk.extensions import db
from helpdesk.hours.services import backfill


@click.command("backfill-hours")
def backfill_hours() -> None:
    """Make ledger entries for completed sessions and resolved help requests; repeatable."""
    created = backfill()
    db.session.commit()
    click.echo(f"{created} ledger {'entry' if created == 1 else 'entries'} added.")
