"""The safeguarding settings (district domains, allowed meeting hosts) and the checks that
read them: contact details in text between adults and students, and meeting links."""

from flask import current_app
from sqlalchemy.exc import IntegrityError

from helpdesk.extensions import db
from helpdesk.safeguarding.contact_details import KIND_NAMES, Finding, find_contact_details
from helpdesk.safeguarding.meeting_links import (
    DEFAULT_MEETING_HOSTS,
    host_problem,
    meeting_host_problem,
    normalize_host,
)
from helpdesk.safeguarding.models import SafeguardingSettings
from helpdesk.settings_row import settings_row

MAX_HOSTS = 50


class SafeguardingError(ValueError):
    """A safeguarding rule was broken; the message is safe to show."""


def default_district_domains() -> list[str]:
    """DISTRICT_DOMAIN from the configuration (comma-separated), as host names."""
    raw = current_app.config.get("DISTRICT_DOMAIN") or ""
    return [h for h in (normalize_host(p) for p in raw.split(",")) if h]


def safeguarding_settings() -> SafeguardingSettings:
    """The one settings row, created with the configured defaults the first time."""
    return settings_row(
        SafeguardingSettings,
        district_domains="\n".join(default_district_domains()),
        meeting_hosts="\n".join(DEFAULT_MEETING_HOSTS),
    )
    try:
        with db.session.begin_nested():
            settings = SafeguardingSettings(
                id=1,
                district_domains="\n".join(default_district_domains()),
                meeting_hosts="\n".join(DEFAULT_MEETING_HOSTS),
            )
            db.session.add(settings)
    except IntegrityError:  # another request created it first
        settings = db.session.get(SafeguardingSettings, 1, populate_existing=True)
    return settings


def parse_hosts(text: str, what: str) -> list[str]:
    """Host names from text, one per line (commas too); raises SafeguardingError on a bad one."""
    hosts = [normalize_host(h) for h in text.replace(",", "\n").splitlines()]
    hosts = list(dict.fromkeys(h for h in hosts if h))
    if len(hosts) > MAX_HOSTS:
        raise SafeguardingError(f"Give at most {MAX_HOSTS} {what}.")
    for host in hosts:
        problem = host_problem(host)
        if problem:
            raise SafeguardingError(problem)
    return hosts


def update_safeguarding_settings(*, district_domains: str, meeting_hosts: str) -> None:
    """The advisor changes the district's domains and the allowed meeting hosts."""
    domains = parse_hosts(district_domains, "district domains")
    hosts = parse_hosts(meeting_hosts, "meeting hosts")
    if not domains and not hosts:
        raise SafeguardingError(
            "Allow at least one place to meet online: the district's domain or a meeting host."
        )
    settings = safeguarding_settings()
    settings.district_domains = "\n".join(domains)
    settings.meeting_hosts = "\n".join(hosts)
    db.session.flush()


def meeting_link_refusal(url: str) -> str | None:
    """Why a session cannot meet at this link, or None (see meeting_links)."""
    return meeting_host_problem(url, safeguarding_settings().allowed_meeting_hosts)


def contact_details_refusal(text: str, where: str) -> str | None:
    """The message refusing text that holds contact details, or None.

    where: the place, in the plural, e.g. "profile stories", "messages".
    """
    findings = find_contact_details(text or "")
    return refusal_message(findings, where) if findings else None


def refusal_message(findings: list[Finding], where: str) -> str:
    kinds = list(dict.fromkeys(f.kind for f in findings))
    shown = [next(f for f in findings if f.kind == kind) for kind in kinds]
    return (
        f"For everyone's safety, Helpdesk doesn't allow "
        f"{_and_list([KIND_NAMES[k][1] for k in kinds])} in {where}. "
        f"Found: {_and_list([str(f) for f in shown])}. "
        "Talk through the help desk and your sessions instead, where the advisor can see."
    )


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def or_list(items: list[str]) -> str:
    """Items joined as "a, b or c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
