"""What typed text may hold, judged by the strictest format it reaches.

A topic becomes an email subject and an iCalendar SUMMARY; a room a LOCATION; a meeting link a
URI. A line break in a subject starts a new header; a CR in a URI makes the icalendar library
refuse the whole feed (it broke three people's feeds once, after passing a `urlsplit` check,
which drops CR/LF before parsing). So text is checked when it is typed (the `*_problem`
functions give the message to show, or None), and writers clean what is already stored
(`one_line`, `text_lines`, `web_link`) so no row written before these checks can break a page,
a feed or an email. Pure: no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

# Everything Unicode or a mail or calendar reader may take for the end of a line.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
# Explicit direction overrides and isolates reorder how the rest of a subject or a calendar
# title displays; nobody types them on purpose in a one-line field.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What a field of several lines keeps of the control characters: line ends and tabs.
MULTI_LINE_KEEPS = frozenset("\n\r\t")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MEETING_LINK_MAX = 500
# Characters a link has no business holding (RFC 3986 allows none of them unencoded); a
# backslash is read as "/" by browsers, which hides where a link really goes.
_LINK_FORBIDDEN = frozenset('"<>\\^`{|}')
_SPACES = re.compile(r"\s+")
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _is_hidden(ch: str) -> bool:
    """A control character (C0, DEL, C1) or a lone surrogate: invisible, and forbidden in text
    by iCalendar, email headers and XML alike."""
    return unicodedata.category(ch) in ("Cc", "Cs")


def describe(ch: str) -> str:
    """A hidden character named so a person can find it: "tab",
    "character U+202E (right-to-left override)"."""
    if ch == "\t":
        return "tab"
    name = unicodedata.name(ch, "")
    return f"character U+{ord(ch):04X}" + (f" ({name.lower()})" if name else "")


def single_line_problem(text: str, what: str = "this") -> str | None:
    """Why text cannot go in a one-line field (a name, topic, room, title), or None."""
    for ch in text:
        if ch in LINE_BREAKS:
            return f"Keep {what} on one line: remove the line break."
        if _is_hidden(ch) or ch in DIRECTION_CONTROLS:
            return (
                f"Remove the hidden {describe(ch)} from {what}; "
                "it often comes along with pasted text."
            )
    return None


def multi_line_problem(text: str, what: str = "this") -> str | None:
    """Why text cannot go in a field of several lines (notes, a goal, a message), or None.

    Line breaks and tabs are fine; other control characters are not.
    """
    for ch in text:
        if ch not in MULTI_LINE_KEEPS and _is_hidden(ch):
            return (
                f"Remove the hidden {describe(ch)} from {what}; "
                "it often comes along with pasted text."
            )
    return None


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would run the text as a formula (OWASP's CSV injection list)."""
    return text.startswith(FORMULA_STARTS)


def meeting_link_problem(url: str) -> str | None:
    """Why a meeting link cannot be used, or None: an http(s) address, on one line, no spaces.

    Every character is checked before the address is split: `urlsplit` silently drops tabs
    and line breaks, so a link can pass it and still break the calendar it is written to.
    """
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        return "Give the meeting link, starting with https://."
    if len(url) > MEETING_LINK_MAX:
        return f"A meeting link may be at most {MEETING_LINK_MAX} characters."
    for ch in url:
        if ch.isspace() or not ch.isprintable():
            return "A meeting link has no spaces, line breaks or hidden characters: copy it again."
        if ch in _LINK_FORBIDDEN:
            return f"A meeting link cannot contain {ch}: copy it again from your invitation."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it checks it: a port that is not a number raises)
    except ValueError:
        return "That meeting link is not a valid web address."
    if "@" in parts.netloc:
        return "A meeting link cannot hold a user name or password (an @ before the host)."
    if not _is_host(parts.hostname or ""):
        return "That meeting link is not a valid web address."
    return None


def _is_host(host: str) -> bool:
    if ":" in host:  # an IPv6 literal; urlsplit has checked the brackets
        return True
    if "." not in host.strip("."):
        return False
    try:
        host.encode("idna")
    except UnicodeError:
        return False
    return True


# ---------------------------------------------------------------- cleaning stored text


def text_lines(text: str) -> str:
    """Text with line ends as \\n and no hidden characters but tabs: safe for any writer."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or not _is_hidden(ch))


def one_line(text: str) -> str:
    """Text as one tidy line: line breaks and runs of spaces become one space, hidden
    characters and direction overrides go."""
    text = "".join(
        " " if ch in LINE_BREAKS or ch == "\t" else ch
        for ch in text
        if ch in LINE_BREAKS or ch == "\t" or not (_is_hidden(ch) or ch in DIRECTION_CONTROLS)
    )
    return _SPACES.sub(" ", text).strip()


def web_link(url: str) -> str:
    """A stored link fit to write as a URI: "" unless it is http(s) with a host; anything a URI
    may not hold (spaces, line breaks, quotes, non-ASCII) is percent-encoded."""
    url = "".join(ch for ch in url.strip() if unicodedata.category(ch) != "Cs")
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.strip():
        return ""
    return quote(url, safe=_URI_SAFE)


def clip(text: str, limit: int) -> str:
    """Text cut to at most `limit` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
