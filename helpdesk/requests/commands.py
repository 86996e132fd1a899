"""flask backfill-resolve-times: the school-clock time of requests resolved before it was stored."""

import click

from helpdesk.formatting import plural
from helpdesk.requests.services import time_resolved_requests


@click.command("backfill-resolve-times")
def backfill_resolve_times() -> None:
    """Store how long each resolved help request took on the school clock; repeatable."""
    timed = time_resolved_requests()
    click.echo(f"{plural(timed, 'resolved request')} timed on the school clock.")
