"""Two-step sign-in's arithmetic: TOTP codes (RFC 6238), recovery codes, the QR code, and the
secret's encryption. No Flask here: the caller passes the key material and the time.

The secret is encrypted with Fernet under a key derived from SECRET_KEY, so a copy of the
database alone gives nobody the codes. Rotating SECRET_KEY makes stored secrets unreadable:
those people sign in with a recovery code (hashed without the key) and set two-step up again.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1  # steps either side of now: a phone clock 30 s off, or a code typed as it turned
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i to misread
RECOVERY_LENGTH = 10  # about 50 bits each
TOTP_CODE = re.compile(rf"[0-9]{{{DIGITS}}}")


def _fernet(key_material: str) -> Fernet:
    derived = hmac.new(key_material.encode(), b"helpdesk two-step secret", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def new_secret() -> str:
    """A random base32 secret of 160 bits, as RFC 4226 recommends."""
    return pyotp.random_base32(32)


def encrypt_secret(secret: str, key_material: str) -> str:
    return _fernet(key_material).encrypt(secret.encode()).decode()


def decrypt_secret(token: str, key_material: str) -> str | None:
    """The secret, or None when it was encrypted under another SECRET_KEY."""
    try:
        return _fernet(key_material).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_svg(uri: str, title: str) -> str:
    """The QR code as inline SVG (no style attributes, so the page's CSP allows it)."""
    return segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )


def step_at(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def normalize_code(code: str) -> str:
    """What the person typed, without spaces or dashes, lower-case."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is, within WINDOW steps of now; None if none matches."""
    code = normalize_code(code)
    if not TOTP_CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = step_at(now)
    found = None
    for step in range(now_step - WINDOW, now_step + WINDOW + 1):
        # Every candidate is compared, so the time taken says nothing about which matched.
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator app shows at `now` (for tests and the demo)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step_at(now))


def new_recovery_codes() -> list[str]:
    """Ten one-time codes, written as two groups of five ("k7m2q-x9c4h")."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str) -> str:
    """SHA-256 of the code as typed in any spacing or case; 50 random bits need no slow hash."""
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    normalized = normalize_code(code)
    return len(normalized) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in normalized)
