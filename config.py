"""Settings for each environment. Secrets come from the environment; production fails fast."""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"  # noqa: S105 (a known, refused value)


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting from the environment: 1/true/yes or 0/false/no; unset keeps the default."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1 or 0, not {value!r}.")


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'helpdesk.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # How long a SQLite writer waits for the write lock before the request answers 503.
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "5000"))
    # Compile every template when the web app starts (each gunicorn worker; not for `flask`
    # commands), not on the first request that needs it: the first people after a deploy would
    # otherwise wait for it.
    COMPILE_TEMPLATES_AT_START = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False

    # A post larger than this answers 413; one screenshot (5 MB) plus its form fits.
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Argon2id at OWASP's minimum or above: 19 MiB, 2 passes, 1 lane.
    PASSWORD_HASH_TIME_COST = 2
    PASSWORD_HASH_MEMORY_KIB = 19 * 1024
    PASSWORD_HASH_PARALLELISM = 1

    INVITATION_MAX_AGE = timedelta(days=7)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    # Counted in the database (accounts/throttle.py), so they hold across workers.
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes"  # failed sign-ins per account
    LOGIN_CLIENT_FAILURE_LIMIT = "20 per 15 minutes"  # per client address, any accounts
    RESET_REQUEST_LIMIT = "3 per hour"  # reset requests per email address
    RESET_REQUEST_CLIENT_LIMIT = "10 per hour"  # per client address
    # Two-step sign-in (a code from an authenticator app) is compulsory for the advisor; anyone
    # may turn it on. The half-signed-in state between password and code lasts this long.
    ADVISOR_MFA_REQUIRED = _flag("ADVISOR_MFA_REQUIRED", False)
    TWO_STEP_PENDING_MAX_AGE = timedelta(minutes=5)
    TWO_STEP_ISSUER = "Helpdesk"  # the account's name in the authenticator app
    # Flask-Limiter: a coarse per-client guard on those two forms, before any database work.
    SIGN_IN_FLOOD_LIMIT = "120 per minute"

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis down: count in this worker's memory and log a warning, instead of answering 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # An unreachable Redis costs a request one second, not the client's patience.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    RATELIMIT_HEADERS_ENABLED = False

    # Reverse proxies in front that set X-Forwarded-For and -Proto (nginx, Caddy). Behind one,
    # 0 would make every sign-in come from the proxy's address: one client for the limits.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    STRICT_TRANSPORT_SECURITY: str | None = None

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Helpdesk <helpdesk@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds per SMTP operation
    MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "5"))  # deliver-mail --forever
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "50"))  # claimed in one pass

    # `flask apply-retention`: help-request screenshots and the bodies of sent mail are kept
    # this many days, then removed (helpdesk/retention.py).
    SCREENSHOT_RETENTION_DAYS = int(os.environ.get("SCREENSHOT_RETENTION_DAYS", "365"))
    MAIL_BODY_RETENTION_DAYS = int(os.environ.get("MAIL_BODY_RETENTION_DAYS", "90"))

    # Links in email sent outside a request (CLI, cron) start with this.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    DEFAULT_TIMEZONE = os.environ.get("DEFAULT_TIMEZONE", "America/New_York")
    # The district's own domain(s), comma-separated: the first default of the hosts online
    # sessions may meet on (the advisor edits the list under Settings → Safeguarding).
    DISTRICT_DOMAIN = os.environ.get("DISTRICT_DOMAIN", "")

    # The access log (who opened or exported a person's record). Three years by default: a
    # student mentor's high-school years in the program, so a parent asking at the end still sees
    # who looked at the start. FERPA wants the record of disclosures kept as long as the records
    # it is about: set it to the district's records schedule (`flask purge-access-log` applies it).
    ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "1096"))
    # The privacy page (/privacy): who a parent asks for a copy of their child's record, and the
    # district's Parents' Bill of Rights (NY Education Law 2-d); https only.
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
    PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
    PARENTS_BILL_OF_RIGHTS_URL = os.environ.get("PARENTS_BILL_OF_RIGHTS_URL", "")


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-that-is-long-enough-for-tests"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = ""
    ADVISOR_MFA_REQUIRED = False  # a test turns it on
    DISTRICT_DOMAIN = "district.example.org"
    # Cheap hashing keeps the suite fast; production parameters are tested separately.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 8


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # Flask answers 400 to any other Host header (and so builds no link to another host).
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    BASE_URL = os.environ.get("BASE_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))  # the documented TLS proxy
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    ADVISOR_MFA_REQUIRED = _flag("ADVISOR_MFA_REQUIRED", True)
    COMPILE_TEMPLATES_AT_START = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


class ConfigError(RuntimeError):
    """The app was asked to start with settings it must refuse."""


def check_production(settings: dict) -> None:
    """Refuse to run production half-configured: a weak secret, debug on, no Host check, or
    links in email that would not start with https:// on a host the app answers to."""
    key = settings.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError("Set SECRET_KEY to a random value of at least 32 characters.")
    if settings.get("DEBUG"):
        raise ConfigError("Debug mode must be off in production.")
    hosts = settings.get("TRUSTED_HOSTS") or []
    if not hosts:
        raise ConfigError(
            "Set TRUSTED_HOSTS to the host names Helpdesk answers to, comma-separated "
            "(e.g. helpdesk.district.example.org)."
        )
    base = urlsplit(settings.get("BASE_URL") or "")
    if base.scheme != "https" or not base.hostname:
        raise ConfigError(
            "Set BASE_URL to the https:// address people open "
            "(e.g. https://helpdesk.district.example.org); links in email start with it."
        )
    if not host_is_trusted(base.hostname, hosts):
        raise ConfigError("BASE_URL's host must be one of TRUSTED_HOSTS.")


def check_privacy_settings(settings: dict) -> None:
    """Refuse settings that would put a broken promise on the privacy page, in every environment."""
    days = settings.get("ACCESS_LOG_RETENTION_DAYS")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 36_500:
        raise ConfigError("ACCESS_LOG_RETENTION_DAYS must be a whole number of days, 1 to 36500.")
    url = settings.get("PARENTS_BILL_OF_RIGHTS_URL") or ""
    if url and not _is_https_url(url):
        raise ConfigError(
            "PARENTS_BILL_OF_RIGHTS_URL must be an https:// address "
            "(e.g. https://www.district.example.org/parents-bill-of-rights)."
        )
    email = settings.get("PRIVACY_CONTACT_EMAIL") or ""
    if email and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", email):
        raise ConfigError("PRIVACY_CONTACT_EMAIL must be one email address.")
    contact = settings.get("PRIVACY_CONTACT") or ""
    if len(contact) > 300 or any(ord(c) < 32 for c in contact):
        raise ConfigError("PRIVACY_CONTACT must be one line of at most 300 characters.")


def _is_https_url(url: str) -> bool:
    if len(url) > 500 or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return False  # urlsplit would quietly drop a CR/LF or tab
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not parts.username


def default_environment(command: str | None, host: str | None) -> str:
    """The settings when HELPDESK_ENV is unset: development, but only from the `flask` command
    and, for `flask run`, only on a loopback address. A server anyone else can reach (gunicorn,
    `flask run --host 0.0.0.0`) must name its environment: development's public SECRET_KEY
    would let anyone sign their own session cookie."""
    if command is None:
        raise ConfigError(
            "Set HELPDESK_ENV=production (with SECRET_KEY, TRUSTED_HOSTS and an https BASE_URL), "
            "or HELPDESK_ENV=development to serve the development settings on purpose."
        )
    if command == "run" and not _is_loopback(host or "127.0.0.1"):
        raise ConfigError(
            f"flask run --host {host} serves other machines: set HELPDESK_ENV "
            "(production with its settings, or development on purpose)."
        )
    return "development"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
