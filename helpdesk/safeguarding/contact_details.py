"""Find contact details in text that crosses between adults and students: phone numbers (in
digits, spaced, spelled out or mixed), email addresses (plain or written "at … dot"),
social-media handles, links to social or messaging sites, and street addresses.

A student mentor must not hand an adult a private channel, nor an adult a student. Each
finding says what it is and what was found, so the refusal can say why. A link to any other
site (the district's own, a help article, a Meet link) is not a contact detail, and the digits
in it (a Meet code, an article number) do not count as a phone number. Pure: no Flask.

Tuned on tests/safeguarding/corpus.py: what must be refused and what must pass (times, dates,
rooms, periods, versions, spreadsheet formulas). Add a line there before changing a pattern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PHONE = "phone"
EMAIL = "email"
HANDLE = "handle"
SOCIAL_LINK = "social_link"
ADDRESS = "address"
PRIVATE_MESSAGE = "private_message"

# What each kind is called in a refusal, one and many.
KIND_NAMES = {
    PHONE: ("a phone number", "phone numbers"),
    EMAIL: ("an email address", "email addresses"),
    HANDLE: ("a social-media handle", "social-media handles"),
    SOCIAL_LINK: ("a link to a social or messaging site", "links to social or messaging sites"),
    ADDRESS: ("a street address", "street addresses"),
    PRIVATE_MESSAGE: ("an invitation to message privately", "invitations to message privately"),
}

# Sites where a link reaches a person, not a page: social networks, messengers, link-in-bio
# pages and games with private chat. Subdomains count (chat.whatsapp.com, m.facebook.com).
SOCIAL_SITES = _words(
    """
    instagram.com instagr.am tiktok.com snapchat.com snap.com facebook.com fb.com fb.me m.me
    messenger.com x.com twitter.com t.co discord.com discord.gg discordapp.com whatsapp.com
    wa.me telegram.org telegram.me t.me signal.org signal.me signal.group kik.com kik.me
    threads.net bsky.app mastodon.social reddit.com tumblr.com twitch.tv linkedin.com
    linktr.ee beacons.ai carrd.co vsco.co bereal.com groupme.com line.me wechat.com
    weixin.qq.com viber.com skype.com join.skype.com roblox.com steamcommunity.com
    pinterest.com onlyfans.com ask.fm tellonym.me ngl.link yubo.live wink.app
    """
)

# Names people use for those platforms in a sentence ("my snap is …", "DM me on insta").
PLATFORM_WORDS = (
    r"insta(?:gram)?|ig|snap(?:chat)?|tik\s?tok|discord|twitter|facebook|fb|messenger|"
    r"whats\s?app|telegram|signal|kik|bluesky|bsky|twitch|reddit|roblox|steam|"
    r"xbox|psn|wechat|groupme|skype|viber|vsco|bereal|linkedin|youtube|venmo|cash\s?app"
)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))

# ---------------------------------------------------------------------------- links

_URL = re.compile(
    r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`)\]]+"
    # a bare address with a path: instagram.com/maya, wa.me/1555…, district.org/helpdesk
    r"|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/[^\s<>\"'`)\]]*",
    re.IGNORECASE,
)
_BARE_SOCIAL = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9-]+\.)*(?:"
    + "|".join(re.escape(site) for site in sorted(SOCIAL_SITES, key=len, reverse=True))
    + r")(?![\w-])(?!\.[a-z])",
    re.IGNORECASE,
)
_CONTACT_SCHEME = re.compile(
    r"\b(mailto|tel|sms|callto|facetime|whatsapp|tg|sgnl|skype):\s*[^\s<>\"'`)\]]+", re.I
)

# ---------------------------------------------------------------------------- emails

_MAIL_PROVIDERS = (
    r"gmail|googlemail|yahoo|hotmail|outlook|icloud|aol|proton(?:mail)?|pm|live|msn|me|"
    r"mail|gmx|yandex|zoho|comcast|verizon|att|duck"
)
# After a plain " at ", only providers nobody signs in "at" in a sentence ("log in at Outlook").
_MAIL_PROVIDERS_AFTER_AT = r"gmail|googlemail|yahoo|hotmail|aol|protonmail|gmx|yandex"
_TLD = r"com|net|org|edu|gov|us|io|co|me|info|biz|uk|ca|app|dev|k12|ny"
_AT_WORD = r"(?:\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+|\s*@\s*)"
_DOT_TLD = (
    rf"(?:(?:\s*[\(\[\{{<]\s*dot\s*[\)\]\}}>]\s*|\s+dot\s+)(?:{_TLD})"
    rf"|\.(?:{_TLD})|\s*\.\s*(?:com|net|org|edu))\b"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_SPELLED_EMAILS = (
    # maya(at)gmail, maya [at] school, maya {at} x: a bracketed "at" is never prose
    re.compile(r"(?<![\w.+-])([\w.+-]+)\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*[\w-]+", re.I),
    # maya at gmail dot com, maya @ gmail . com, maya at gmail.com
    re.compile(rf"(?<![\w.+-])([\w.+-]+){_AT_WORD}[\w-]+{_DOT_TLD}", re.I),
    # maya at gmail, maya@gmail: a well-known provider needs no ".com"
    re.compile(rf"(?<![\w.+-])([\w.+-]+)\s+at\s+(?:{_MAIL_PROVIDERS_AFTER_AT})\b", re.I),
    re.compile(rf"(?<![\w.+-])([\w.+-]+)\s*@\s*(?:{_MAIL_PROVIDERS})\b", re.I),
)

# ---------------------------------------------------------------------------- handles

# Words that follow "@" in ordinary tips: a Docs @-mention, a Slack-style @here, CSS at-rules,
# a Java annotation. A handle is anything else.
_AT_WORDS_NOT_HANDLES = _words(
    """
    mention mentions mentioned mentioning here channel everyone all media import font-face
    page keyframes supports charset namespace override param return returns see deprecated
    """
)
_AT_HANDLE = re.compile(r"(?<![\w.@=/+-])@([a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)", re.I)
# "@gmail.com", "@district.example.org": a mail domain named, not a person.
_AT_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|us|k12)\b", re.I)
_SPREADSHEET_REF = re.compile(r"[a-z]{1,3}\d+(?::[a-z]{1,3}\d+)?", re.I)
# A handle has a letter in it and is at least two characters: "snap: 3 bars" names no one.
_HANDLE = r"@?(?=[\w.#]*[a-z])[a-z0-9_](?:[a-z0-9_.#]{0,30}[a-z0-9_])"
_ACCOUNT_WORDS = r"handle|username|user\s?name|name|id|tag|account|acct"
_PLATFORM_HANDLES = (
    # snap: maya.c · insta - maya · ig=maya
    re.compile(rf"\b(?:{PLATFORM_WORDS})\s*(?:[:=]|\s-|-(?=\s))\s*({_HANDLE})", re.I),
    # my snap is maya.c · my ig handle: maya_codes · my insta maya.codes
    re.compile(
        rf"\bmy\s+(?:{PLATFORM_WORDS})(?:\s+(?:{_ACCOUNT_WORDS}))?\s*(?:is|[:=-])?\s*({_HANDLE})",
        re.I,
    ),
    # snap username: maya · discord tag is maya
    re.compile(
        rf"\b(?:{PLATFORM_WORDS})\s+(?:{_ACCOUNT_WORDS})\s*(?:is|[:=-])?\s*({_HANDLE})", re.I
    ),
    # ig maya.codes · insta is maya_c · discord mayac99: a name with a dot, an underscore or
    # a digit after a platform is a handle, not a word ("Snap 2.0" and "YouTube 1080p" are not)
    re.compile(
        rf"\b(?:{PLATFORM_WORDS})\s*(?:is|=|@)?\s*(@?[a-z][a-z0-9_.]*[._\d][a-z0-9_.]*[a-z0-9_])",
        re.I,
    ),
)
_PLATFORM_INVITE = re.compile(
    # DM me on insta · message me on discord · add me on snap maya.c · follow us on tiktok
    rf"\b(?:dm|pm|message|msg|text|add|follow|find|hmu|hit\s+me\s+up|chat|talk|reach|contact|"
    rf"friend|ping)(?:\s+(?:me|us))?(?:\s+up)?\s+(?:on|at|via|through|over)\s+"
    rf"(?:my\s+)?(?:{PLATFORM_WORDS})\b(?:\s*(?::|@|-|at)?\s*({_HANDLE}))?",
    re.I,
)
_DISCORD_TAG = re.compile(r"\b[a-z0-9_.]{2,32}#\d{4}\b", re.I)
_PRIVATE_INVITE = re.compile(
    r"\b(?:dm|pm)s?\s+me\b|\bmy\s+dms\b|\bprivate(?:ly)?\s+messag\w*|\bmessage\s+me\s+privately"
    r"|\bhmu\b|\bhit\s+me\s+up\b|\bslide\s+into\s+my\b",
    re.I,
)

# ---------------------------------------------------------------------------- phones

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_UNIT = r"(?:\d+|(?<![a-z])(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|o)(?![a-z]))"
_SEP = r"[ \t\-.()\u00a0_/]*"
_PHONE_RUN = re.compile(rf"(?:\+\s*)?\(?{_UNIT}(?:{_SEP}{_UNIT})*", re.I)
# Spelled out, people pause with commas: "five five five, eight six seven, …". Lists of
# numbers in digits ("2024, 2025, 2026") are not read this way.
_SPELLED_RUN = re.compile(rf"{_UNIT}(?:(?:{_SEP}|,\s*){_UNIT})*", re.I)
_SPELLED_WORD = re.compile(r"[a-z]", re.I)
_UNITS = re.compile(rf"{_UNIT}|[./]", re.I)
_DATE = re.compile(r"^\(?(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}[-./]\d{1,2}[-./]\d{1,2})\)?$")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d$")
# A number named for what it is, not a phone: "asset tag 20231145", "rooms 214 215 216".
_NOT_A_PHONE_BEFORE = re.compile(
    r"\b(?:rooms?|rm|periods?|grades?|pages?|slides?|steps?|lines?|years?|model|version|"
    r"build|serial|s/n|sn|asset|tag|ticket|order|error|(?<!area\s)code|id|isbn|invoice|po|account|"
    r"item|part|sku|ext|extension|request)\s*(?:number|no\.?|#)?\s*(?:is|was|[:#])?\s*$",
    re.I,
)

# ---------------------------------------------------------------------------- addresses

_STREET_SURE = (
    r"street|st|avenue|ave|av|boulevard|blvd|road|rd|lane|ln|terrace|ter|parkway|pkwy|"
    r"highway|hwy|turnpike|tpke"
)
_STREET_PROPER = r"Drive|Dr|Way|Place|Pl|Court|Ct|Circle|Cir|Square|Sq|Trail|Trl|Route|Rte|Row"
_NOT_STREET_NAMES = _words(
    """
    google shared my hard flash usb thumb network team external disk c d e one the a your
    our this that
    """
)
_ADDRESS_SURE = re.compile(
    rf"\b\d{{1,6}}[a-z]?\s+((?:[a-z0-9][\w'.-]*\s+){{1,3}})(?:{_STREET_SURE})\b\.?"
    r"(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\.?\s*[\w-]+)?",
    re.I,
)
_ADDRESS_PROPER = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+((?:[A-Z][\w'.-]*\s+){{1,3}})(?:{_STREET_PROPER})\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[\w-]+)?"
)
_PO_BOX = re.compile(r"\bp\.?\s*o\.?\s*box\s+\d+", re.I)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def label(self) -> str:
        return KIND_NAMES[self.kind][0]

    def __str__(self) -> str:
        return f"{self.label} ({self.text})"


def find_contact_details(text: str) -> list[Finding]:
    """Every contact detail in the text, grouped by kind in KIND_NAMES order; [] if none."""
    text = _normalize(text)
    findings: list[Finding] = []

    def found(kind: str, what: str) -> None:
        what = " ".join(what.split()).strip(" .,;:")
        # "DM me" inside "DM me on insta maya_codes" is the same finding, said once.
        if what and not any(what.lower() in f.text.lower() for f in findings):
            findings.append(Finding(kind, what))

    for match in _CONTACT_SCHEME.finditer(text):
        found(EMAIL if match.group(1).lower() == "mailto" else PHONE, match.group(0))
    text = _CONTACT_SCHEME.sub(" ", text)
    # Links first: a social one is a finding; any other is set aside, so the digits in it
    # (a Meet code, a help article's number) are not read as a phone number.
    text = _URL.sub(lambda m: _set_aside_link(m.group(0), found), text)
    for match in _EMAIL.finditer(text):
        found(EMAIL, match.group(0))
    text = _EMAIL.sub(" ", text)
    for match in _BARE_SOCIAL.finditer(text):
        found(SOCIAL_LINK, match.group(0))
    for pattern in _SPELLED_EMAILS:
        for match in pattern.finditer(text):
            if match.group(1).lower() not in _PLAIN_WORDS:
                found(EMAIL, match.group(0))
    _find_handles(text, found)
    _find_phones(text, found)
    _find_addresses(text, found)
    order = list(KIND_NAMES)
    return sorted(findings, key=lambda f: order.index(f.kind))


def _normalize(text: str) -> str:
    """Fullwidth and other look-alike characters become plain ones; invisible ones go."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_DASHES)


def _set_aside_link(link: str, found) -> str:
    if is_social_host(host_of(link)):
        found(SOCIAL_LINK, link)
    return " "


def host_of(link: str) -> str:
    """The lower-case host of a link, with or without its scheme; "" if it has none."""
    if "://" not in link:
        link = "https://" + link
    try:
        return (urlsplit(link).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def is_on_hosts(host: str, hosts: Iterable[str]) -> bool:
    """The host is one of the hosts or a subdomain of one (a dot before it, not a suffix)."""
    return any(host == h or host.endswith("." + h) for h in hosts)


def is_social_host(host: str) -> bool:
    return bool(host) and is_on_hosts(host, SOCIAL_SITES)


def _find_handles(text: str, found) -> None:
    for match in _AT_HANDLE.finditer(_AT_DOMAIN.sub(" ", text)):
        name = match.group(1).rstrip(".")
        if name.lower() in _AT_WORDS_NOT_HANDLES or _SPREADSHEET_REF.fullmatch(name):
            continue
        found(HANDLE, "@" + name)
    for pattern in _PLATFORM_HANDLES:
        for match in pattern.finditer(text):
            if match.group(1).lstrip("@").lower() not in _PLAIN_WORDS:
                found(HANDLE, match.group(0))
    for match in _PLATFORM_INVITE.finditer(text):
        handle = match.group(1)
        if handle and handle.lstrip("@").lower() not in _PLAIN_WORDS:
            found(HANDLE, match.group(0))
        else:
            found(PRIVATE_MESSAGE, text[match.start() : match.start(1) if handle else match.end()])
    for match in _DISCORD_TAG.finditer(text):
        found(HANDLE, match.group(0))
    for match in _PRIVATE_INVITE.finditer(text):
        found(PRIVATE_MESSAGE, match.group(0))


# Words that are prose, not a handle or a mailbox: "my snap is a mess", "look at Gmail".
_PLAIN_WORDS = _words(
    """
    a an the and or to of in on for with is it its this that not no yes me my you your we
    our us they them he she his her be can will would could should do does did was were are
    am has have had if so but at by from as up out into about all any just only sign signed
    log logged look looking click open go find check meet find here there camera grid filter
    filters shot shots chat app apps account accounts feature server servers video videos
    page story stories post posts link links screen screenshot
    """
)


def _find_phones(text: str, found) -> None:
    spelled = [m for m in _SPELLED_RUN.finditer(text) if _SPELLED_WORD.search(m.group(0))]
    for match in [*_PHONE_RUN.finditer(text), *spelled]:
        run = match.group(0).strip(" \t-._/,")
        if run.startswith("(") and ")" not in run:
            run = run[1:]
        if _phone_digits(run) is None:
            continue
        if _NOT_A_PHONE_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        found(PHONE, run)


def _phone_digits(run: str) -> str | None:
    """The digits of a run shaped like a phone number, or None.

    Seven to fifteen digits (E.164 allows fifteen) in groups a phone number has: single digits
    (spaced or spelled out) run together; a one-digit group only leads (a country code), so
    a version like 120.0.6099.109 is not a phone; nor is a date, a year range or a decimal.
    """
    if _DATE.match(run) or _YEAR_RANGE.match(run):
        return None
    tokens = _UNITS.findall(run)
    # "o" and "oh" are zeros only among other digits: "oh, 555 …" is prose.
    while tokens and tokens[0].lower() in ("o", "oh", ".", "/"):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in ("o", "oh", ".", "/"):
        tokens.pop()
    groups: list[str] = []
    previous_single = dotted = False
    for token in tokens:
        if token in "./":  # noqa: S105 (a separator, not a password)
            previous_single = False
            dotted = dotted or token == "."  # noqa: S105
            continue
        digit = _DIGIT_WORDS.get(token.lower(), token)
        if len(digit) == 1 and previous_single:
            groups[-1] += digit
        else:
            groups.append(digit)
        previous_single = len(digit) == 1
    digits = "".join(groups)
    if not 7 <= len(digits) <= 15:
        return None
    if any(len(g) == 1 for g in groups[1:]):
        return None
    if len(groups) > 1 and max(map(len, groups)) <= 2:
        return None  # a list of small numbers, "10 20 30 40"
    if dotted and (len(groups) < 3 or len(groups[-1]) < 4):
        return None  # 3.14159, 192.168.100.200: decimals and addresses, not 555.867.5309
    return digits


_NOT_STREET_WORDS = _PLAIN_WORDS | {"easy", "simple", "quick", "more", "new", "best", "few"}


def _find_addresses(text: str, found) -> None:
    for pattern in (_ADDRESS_SURE, _ADDRESS_PROPER):
        for match in pattern.finditer(text):
            words = [w.lower() for w in match.group(1).split()]
            if words[-1] in _NOT_STREET_NAMES or any(w in _NOT_STREET_WORDS for w in words):
                continue
            found(ADDRESS, match.group(0))
    for match in _PO_BOX.finditer(text):
        found(ADDRESS, match.group(0))
