"""Other words for the same thing, as the advisor lists them: one group per line.

Applied when searching (helpdesk/tips/query.py), so editing the list needs no reindex. The
starter list covers what teachers ask about most; the advisor adds the school's own words.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from helpdesk.extensions import db
from helpdesk.tips.index_models import SynonymGroup
from helpdesk.tips.library_cache import library_changed

MAX_GROUPS = 300
MAX_GROUP_CHARS = 400
MAX_ENTRY_CHARS = 40
_ENTRY = re.compile(r"^[^\W_]+(?:[ '’-][^\W_]+)*$")

STARTER_GROUPS = (
    "wifi, wi-fi, wireless, internet, network",
    "projector, display, screen, tv, board, smartboard, interactive whiteboard",
    "dictation, voice typing, speech to text, talk to text",
    "sound, audio, volume, speaker, speakers, hear",
    "microphone, mic",
    "students, kids, pupils",
    "password, passcode, login, sign in, log in",
    "locked out, can't sign in, forgot password",
    "auto-lock, screen timeout, sleep, turning off, lock screen",
    "cast, mirror, airplay, screen mirroring, share screen",
    "screen recording, record screen, screencast",
    "captions, subtitles, closed captions",
    "read aloud, text to speech, immersive reader",
    "photo, picture, image",
    "video, clip, movie",
    "slides, slideshow, presentation, deck",
    "spreadsheet, sheet, sheets",
    "doc, document, google doc",
    "quiz, test, assessment",
    "grade, mark, score",
    "printer, print, printing",
    "laptop, computer",
    "app, application",
    "delete, remove",
    "restore, recover, undo, get back",
    "share, send",
    "website, site, web page",
    "email, e-mail, gmail, mail",
    "video call, video meeting, meet, zoom, teams",
    "keyboard shortcut, shortcut, hotkey",
    "storage, space, memory",
)


class SynonymError(ValueError):
    """The list could not be saved; the message says which line and why."""


def synonym_groups() -> list[str]:
    """The groups in the advisor's order, each as written."""
    return list(db.session.scalars(select(SynonymGroup.words).order_by(SynonymGroup.position)))


def parse_groups(text: str) -> list[str]:
    """One group per line, words or phrases separated by commas; blank lines are skipped."""
    groups = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        entries = [" ".join(e.split()) for e in line.split(",")]
        entries = [e for e in entries if e]
        if not entries:
            continue
        for entry in entries:
            if len(entry) > MAX_ENTRY_CHARS:
                raise SynonymError(
                    f"Line {number}: “{entry[:20]}…” is longer than {MAX_ENTRY_CHARS} characters."
                )
            if not _ENTRY.match(entry):
                raise SynonymError(
                    f"Line {number}: “{entry}” may hold only letters, digits, spaces, "
                    "hyphens and apostrophes."
                )
        unique = list(dict.fromkeys(e.lower() for e in entries))
        if len(unique) < 2:
            raise SynonymError(f"Line {number}: a group needs at least two different words.")
        group = ", ".join(unique)
        if len(group) > MAX_GROUP_CHARS:
            raise SynonymError(
                f"Line {number}: a group may be at most {MAX_GROUP_CHARS} characters."
            )
        groups.append(group)
    if len(groups) > MAX_GROUPS:
        raise SynonymError(f"The list may hold at most {MAX_GROUPS} groups.")
    return groups


def save_synonyms(text: str) -> int:
    """Replace the list with the groups in `text`; returns how many groups were saved."""
    groups = parse_groups(text)
    db.session.execute(delete(SynonymGroup))
    db.session.add_all(SynonymGroup(position=n, words=g) for n, g in enumerate(groups))
    library_changed()
    db.session.flush()
    return len(groups)


def install_starter_groups() -> int:
    """The starter list, when the district has no list yet (a fresh install, the demo)."""
    if db.session.scalar(select(SynonymGroup.id).limit(1)) is not None:
        return 0
    db.session.add_all(SynonymGroup(position=n, words=g) for n, g in enumerate(STARTER_GROUPS))
    db.session.flush()
    return len(STARTER_GROUPS)
