"""Certificates: issued from verified hours only, frozen as a snapshot, checked by a public code."""

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from helpdesk.accounts.models import User
from helpdesk.extensions import db
from helpdesk.hours.models import (
    COUNTED,
    REASON_MAX,
    Certificate,
    HoursEntry,
    Side,
)
from helpdesk.hours.services import HoursError, hours_settings, side_of

# Crockford's base32: no I, L, O or U, so a code read aloud or typed from paper survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 = 80 random bits
GROUP = 4
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def pretty_code(code: str) -> str:
    """ "7K3M-Q9TX-…": the code in groups of four, as printed."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize_code(typed: str) -> str | None:
    """The code as stored, from what a person typed (dashes, spaces, lower case, O for 0)."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_TYPO)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def public_name(full_name: str) -> str:
    """First name and last initial: all the public page says about who it is."""
    parts = full_name.split()
    if len(parts) > 1:
        return f"{parts[0]} {parts[-1][0]}."
    return parts[0] if parts else ""


def certifiable_entries(person: User, side: Side) -> list[HoursEntry]:
    """Verified (or adjusted) entries with minutes; for PD, only the kinds the district counts."""
    conditions = [
        HoursEntry.person_id == person.id,
        HoursEntry.side == side,
        HoursEntry.status.in_(COUNTED),
        HoursEntry.verified_minutes > 0,
    ]
    if side is Side.PD:
        conditions.append(HoursEntry.kind.in_(hours_settings().pd_kind_list))
    return list(
        db.session.scalars(
            select(HoursEntry).where(*conditions).order_by(HoursEntry.occurred_on, HoursEntry.id)
        )
    )


def issue_certificate(person: User, by: User, now: datetime) -> Certificate:
    """The advisor issues one: every verified entry so far, frozen with today's settings."""
    if not by.is_advisor:
        raise HoursError("Only the advisor issues certificates.")
    side = side_of(person)
    if side is None:
        raise HoursError("Only mentors and teachers earn hours.")
    settings = hours_settings()
    if side is Side.PD:
        if not settings.pd_designated:
            raise HoursError(
                "The district has not designated this program for CTLE hours (Hours settings)."
            )
        if not settings.sponsor_name.strip() or not settings.sponsor_number.strip():
            raise HoursError(
                "A CTLE certificate needs the sponsor's name and number (Hours settings)."
            )
    entries = certifiable_entries(person, side)
    if not entries:
        raise HoursError("There are no verified hours to certify yet.")
    minutes = sum(e.verified_minutes for e in entries)
    snapshot = {
        "participant": person.full_name,
        "school": person.school.name,
        "district": settings.district_name,
        "signer_name": settings.signer_name or by.full_name,
        "signer_title": settings.signer_title,
        "sponsor_name": settings.sponsor_name,
        "sponsor_number": settings.sponsor_number,
        "first_on": entries[0].occurred_on.isoformat(),
        "last_on": entries[-1].occurred_on.isoformat(),
        "entries": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "title": e.title,
                "description": e.description,
                "occurred_on": e.occurred_on.isoformat(),
                "minutes": e.verified_minutes,
            }
            for e in entries
        ],
    }
    certificate = Certificate(
        code=new_code(),
        person_id=person.id,
        side=side,
        minutes=minutes,
        snapshot=json.dumps(snapshot, ensure_ascii=False),
        issued_at=now,
        issued_by_id=by.id,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def revoke_certificate(certificate: Certificate, by: User, now: datetime, reason: str) -> None:
    if not by.is_advisor:
        raise HoursError("Only the advisor revokes certificates.")
    if certificate.is_revoked:
        raise HoursError("This certificate is already revoked.")
    reason = " ".join(reason.split())
    if not reason:
        raise HoursError("Say why the certificate is revoked.")
    certificate.revoked_at = now
    certificate.revoked_by_id = by.id
    certificate.revoke_reason = reason[:REASON_MAX]
    db.session.flush()


def certificates_of(person: User) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.person_id == person.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


@dataclass(frozen=True)
class PublicCheck:
    """What /verify/<code> may say: nothing more than this."""

    participant: str  # first name and last initial
    side: Side
    hours: float
    issued_at: datetime
    revoked_at: datetime | None
    timezone: str

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


def public_check(typed: str) -> PublicCheck | None:
    code = normalize_code(typed)
    if code is None:
        return None
    row = db.session.execute(
        select(Certificate, User.full_name)
        .join(User, User.id == Certificate.person_id)
        .where(Certificate.code == code)
    ).first()
    if row is None:
        return None
    certificate, full_name = row
    snapshot = json.loads(certificate.snapshot)
    return PublicCheck(
        participant=public_name(snapshot.get("participant") or full_name),
        side=certificate.side,
        hours=round(certificate.minutes / 60, 2),
        issued_at=certificate.issued_at,
        revoked_at=certificate.revoked_at,
        timezone=certificate.person.school.timezone,
    )


def snapshot_of(certificate: Certificate) -> dict:
    data = json.loads(certificate.snapshot)
    for entry in data["entries"]:
        entry["occurred_on"] = date.fromisoformat(entry["occurred_on"])
    data["first_on"] = date.fromisoformat(data["first_on"])
    data["last_on"] = date.fromisoformat(data["last_on"])
    return data
