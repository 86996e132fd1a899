"""Signed, expiring, single-use links for invitations and password resets.

A link names one person: it carries the user's id and a fingerprint of their email and random
security stamp. The stamp is drawn when the account is made and drawn again when a password is
set, the email changes or the account is deactivated, so a used link stops working, and a link
issued for a row that was rolled back or deleted never opens an account that reuses its id.
"""

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from helpdesk.clock import utcnow

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"  # noqa: S105 (a link purpose, not a secret)


class LinkError(ValueError):
    """A link that is expired, used or tampered with; the message is safe to show."""


class _ClockSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=f"helpdesk-{purpose}", signer=_ClockSigner
    )


def _fingerprint(user) -> str:
    material = f"{user.security_stamp}\x1f{user.email}\x1f{user.password_hash or ''}"
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def make_link_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "fp": _fingerprint(user)})


def read_link_token(token: str, purpose: str, max_age: timedelta, load_user) -> object:
    """The user a valid token names; LinkError when expired, used or forged."""
    try:
        payload = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as exc:
        raise LinkError("This link has expired. Ask for a new one.") from exc
    except BadSignature as exc:
        raise LinkError("This link is not valid.") from exc
    user = load_user(payload.get("user")) if isinstance(payload, dict) else None
    if user is None or not user.is_active:
        raise LinkError("This link is not valid.")
    if not hmac.compare_digest(str(payload.get("fp", "")), _fingerprint(user)):
        raise LinkError("This link has already been used. Ask for a new one.")
    return user
