import pytest
from argon2 import PasswordHasher

from config import Config
from helpdesk.accounts.passwords import PasswordRuleError, check_password_rules


def test_production_hashing_meets_owasp_minimum_for_argon2id():
    assert Config.PASSWORD_HASH_MEMORY_KIB >= 19 * 1024
    assert Config.PASSWORD_HASH_TIME_COST >= 2
    hashed = PasswordHasher(
        time_cost=Config.PASSWORD_HASH_TIME_COST,
        memory_cost=Config.PASSWORD_HASH_MEMORY_KIB,
        parallelism=Config.PASSWORD_HASH_PARALLELISM,
    ).hash("a passphrase")
    assert hashed.startswith("$argon2id$")
    assert "m=19456,t=2" in hashed


def test_stored_hash_is_argon2id(make_user):
    assert make_user().password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "ÜberSicher-Пароль-密码",
        "12345678abcdefgh",
        "a" * 200,
        "🔑🔑🔑🔑🔑🔑🔑🔑",
    ],
)
def test_long_and_unicode_passwords_are_accepted(password):
    check_password_rules(password)


@pytest.mark.parametrize("password", ["1234567", "password", "qwertyuiop", "Football", "12345678"])
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(PasswordRuleError):
        check_password_rules(password)
