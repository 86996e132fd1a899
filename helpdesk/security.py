"""Response headers (HSTS in production, no-store on pages) and where a login may send you next."""

from urllib.parse import urlsplit

from flask import Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if hsts := current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        response.headers.setdefault("Strict-Transport-Security", hsts)
    # Pages hold a person's sessions, requests and forms' tokens: no shared or back-button
    # cache keeps them. Static files and the calendar feed set their own.
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next_path(target: str | None) -> str | None:
    """A path on this site to go to after login, or None for anything else."""
    if not target:
        return None
    # Browsers drop tabs and newlines inside URLs and treat "\" as "/".
    if any(ch in target for ch in "\t\r\n\\") or any(ord(ch) < 32 for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
