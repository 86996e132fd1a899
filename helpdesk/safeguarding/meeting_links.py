"""Which hosts an online session's meeting link may point to: the district's own domains and
the video services it supervises (Google Meet, Teams, Zoom by default).

The host is read from the parsed address and compared whole, or as a subdomain after a dot:
`zoom.us.evil.com` and `evil.com/zoom.us` are other hosts. Only https, no user name or
password before the host, no port but 443, and no internationalized (punycode) host, whose
letters can imitate an allowed one. Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from helpdesk.plain_text import meeting_link_problem

DEFAULT_MEETING_HOSTS = ("meet.google.com", "teams.microsoft.com", "zoom.us")


def normalize_host(host: str) -> str:
    """A host as typed in the settings, compared as the browser would: lower case, no dots
    around it; the host of a whole link pasted (with its https://). "evil.com/zoom.us" stays
    as it is, for host_problem to refuse."""
    host = host.strip().lower()
    if "://" in host:
        try:
            host = urlsplit(host).hostname or ""
        except ValueError:
            return host
    return host.rstrip("/").strip(".")


def host_problem(host: str) -> str | None:
    """Why a host cannot be allowed in the settings, or None."""
    if not host or "." not in host:
        return f"“{host}” is not a host name: give one like meet.google.com."
    if not host.isascii() or host.startswith("xn--") or ".xn--" in host:
        return f"“{host}” is an internationalized name; give the plain ASCII host."
    if not all(part and part.replace("-", "").isalnum() for part in host.split(".")):
        return f"“{host}” is not a host name: only letters, digits, hyphens and dots."
    return None


def meeting_host_problem(url: str, allowed_hosts: Iterable[str]) -> str | None:
    """Why a meeting link cannot be used for a session, or None: it must be a well-formed
    https link (meeting_link_problem) on one of the allowed hosts or a subdomain of one."""
    problem = meeting_link_problem(url)
    if problem:
        return problem
    hosts = sorted({normalize_host(h) for h in allowed_hosts if normalize_host(h)})
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme.lower() != "https":
        return "Use the https:// link your meeting service gives you."
    if parts.port not in (None, 443):
        return "A meeting link does not name a port: copy the link again from your invitation."
    if not host.isascii() or host.startswith("xn--") or ".xn--" in host:
        return "That meeting link's host is not one the district allows."
    if not any(host == h or host.endswith("." + h) for h in hosts):
        return (
            "Sessions meet only on services the district supervises: use a link on "
            + _or_list(hosts)
            + "."
        )
    return None


def _or_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items) or "an allowed host"
    return ", ".join(items[:-1]) + " or " + items[-1]
