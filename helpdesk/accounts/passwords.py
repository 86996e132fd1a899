"""Password hashing (Argon2id) and the password rules."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_PASSWORD_COUNT = 10_000


class PasswordRuleError(ValueError):
    """A password that breaks a rule; the message is safe to show."""


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"][:COMMON_PASSWORD_COUNT])


def check_password_rules(password: str) -> None:
    """At least 8 characters, any Unicode, not a common password; no composition rules."""
    if len(password) < MIN_LENGTH:
        raise PasswordRuleError(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise PasswordRuleError(f"Use at most {MAX_LENGTH} characters.")
    if password.lower() in _common_passwords():
        raise PasswordRuleError("That password is one of the most common; choose another.")


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_KIB"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing hash never matches."""
    if not password_hash:
        _hasher().hash(password)  # same work as a real check, so timing tells nothing
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
