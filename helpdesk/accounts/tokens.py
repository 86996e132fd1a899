"""Signed, expiring, single-use links for invitations and password resets.

A link carries a fingerprint of the user's current password hash; setting a
password changes the hash, so a used link stops working without storing it.
"""

import hashlib
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
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


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
    if payload.get("fp") != _fingerprint(user):
        raise LinkError("This link has already been used. Ask for a new one.")
    return user
