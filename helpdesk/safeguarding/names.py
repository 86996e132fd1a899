"""Take people's names out of text that is about to be shared more widely: a draft tip made
from a session or a help request is read by the whole district, so the teacher and the mentor
become "the teacher" and "the mentor" before anyone edits it.

Full names first, then last names (with a title: "Ms. Rivera"), then first names, each matched
whole-word and in any case, possessives included ("Maya's" becomes "the mentor's"). A first
name that is also an everyday word ("Will", "May", "Grace") is matched only when capitalized,
so "it will work" stays as it was. Pure: no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


TITLES = r"(?:mr|mrs|ms|mx|miss|dr|prof|coach|mister)\.?\s+"
APOSTROPHES = "'\u2019"
# Names that are also ordinary words; only their capitalized form is taken for a name.
EVERYDAY_WORDS = _words(
    """
    will may june april august grace bill mark rose summer hope joy faith pat art sky river
    dawn rich frank chase hunter page reed sage max lane ray wade drew jack penny ivy holly
    jean rob sue don gay gene guy hazel iris jay jewel kit lily melody miles pearl rusty
    violet autumn brook cliff dale dean glen heath herb joy cole major faith royal king
    young brown white black green gray grey long short small price rice hill park wood
    """
)


@dataclass(frozen=True)
class Person:
    full_name: str
    stands_for: str  # "the teacher", "the mentor"


def remove_names(text: str, people: Iterable[Person]) -> str:
    """The text with each person's names replaced by what they stand for."""
    replacements: list[tuple[str, str]] = []
    for person in people:
        parts = [p for p in re.split(r"\s+", person.full_name.strip()) if p]
        if not parts:
            continue
        names = [" ".join(parts)]
        if len(parts) > 1:
            names += [f"{parts[0]} {parts[-1]}", parts[-1], parts[0]]
        else:
            names += [parts[0]]
        replacements += [(name, person.stands_for) for name in names]
    # Longest first, so "Maya Chen" goes before "Maya" and no half-name is left behind.
    for name, stands_for in sorted(
        dict.fromkeys(replacements), key=lambda pair: len(pair[0]), reverse=True
    ):
        text = _replace(text, name, stands_for)
    return text


def _replace(text: str, name: str, stands_for: str) -> str:
    if len(name) < 2:
        return text
    words = r"\s+".join(re.escape(w) for w in name.split())
    # After a title ("Ms. Park") any case is a name; alone, "park" may be a word.
    if name.lower() in EVERYDAY_WORDS:
        bare = re.escape(name[0].upper()) + words[1:]
    else:
        bare = f"(?i:{words})"
    pattern = re.compile(
        rf"(?<![\w{APOSTROPHES}-])(?:(?i:{TITLES}{words})|{bare})"
        rf"(?P<s>[{APOSTROPHES}]s?)?(?![\w-])"
    )

    def substitute(match: re.Match) -> str:
        possessive = match.group("s")
        replacement = stands_for + ("'s" if possessive else "")
        if _starts_sentence(text, match.start()):
            replacement = replacement[0].upper() + replacement[1:]
        return replacement

    return pattern.sub(substitute, text)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(' \t"“(*_')
    return not before or before[-1] in ".!?\n#-"
