"""HTTP for the load bench: signed-in clients, and the app under gunicorn as production runs it."""

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time as clock
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench import seed_district

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ACCESS_FORMAT = "%(U)s %(q)s %(s)s %(D)s"  # path, query, status, server time in µs
USER_AGENT = "helpdesk-bench/1"  # the same for sign-in and wrk: Flask-Login ties a session to it


@dataclass
class Client:
    """A signed-in browser, as far as the bench needs one: its cookie and a CSRF token."""

    email: str
    role: str
    cookie: str = ""
    csrf: str = ""
    feed_path: str = ""


class Browser:
    """Plain http.client with a cookie jar of one host; production cookies are Secure, and
    ordinary clients would not send them back over the bench's plain HTTP."""

    def __init__(self, port: int, cookie: str = ""):
        """cookie: a Cookie header to start from (a signed-in person's, from sign_in)."""
        self.port = port
        self.cookies: dict[str, str] = {}
        for pair in filter(None, cookie.split("; ")):
            name, _, value = pair.partition("=")
            self.cookies[name] = value

    def request(
        self, method: str, path: str, form: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"User-Agent": USER_AGENT, "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for raw in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = raw.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, dict(response.headers), response.read().decode()
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def _csrf(page: str) -> str:
    for tag in re.findall(r"<input[^>]*>", page):
        if 'name="csrf_token"' in tag:
            return re.search(r'value="([^"]+)"', tag).group(1)
    raise RuntimeError("no CSRF token on the page")


def sign_in(port: int, email: str, role: str, *, feed: bool = False) -> Client:
    """Sign in as a person would; keep the session cookie and a CSRF token for later POSTs."""
    browser = Browser(port)
    status, _, page = browser.request("GET", "/login")
    form = {"csrf_token": _csrf(page), "email": email, "password": seed_district.BENCH_PASSWORD}
    status, headers, _ = browser.request("POST", "/login", form | {"next": ""})
    if status != 302:
        raise RuntimeError(f"sign-in as {email} answered {status}")
    status, _, page = browser.request("GET", "/sessions/calendar-link")
    if status != 200:
        raise RuntimeError(f"{email}: /sessions/calendar-link answered {status} after sign-in")
    client = Client(email, role, csrf=_csrf(page))
    if feed:
        status, _, page = browser.request(
            "POST", "/sessions/calendar-link", {"csrf_token": client.csrf}
        )
        found = re.search(r"https?://[^/\"<\s]+(/calendar/feed/[^\"<\s]+\.ics)", page)
        if status != 200 or not found:
            raise RuntimeError(f"{email}: no calendar feed link ({status})")
        client.feed_path = found.group(1)
    client.cookie = browser.cookie_header()
    return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    url: str, workers: int, log: Path, *, secret: str = "", access_log: Path | None = None
):
    """The app under gunicorn (sync workers) on a free local port, as production runs it.

    One secret for several servers keeps the sessions signed in across a restart. With
    access_log, gunicorn writes each request's path, query, status and server time (µs)."""
    port = free_port()
    env = os.environ | {
        "HELPDESK_ENV": "production",
        "SECRET_KEY": secret or secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "TRUSTED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": "https://127.0.0.1",  # production refuses to start without an https one
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": "",
        # The bench signs the advisor in with a password; two-step sign-in is tested elsewhere.
        "ADVISOR_MFA_REQUIRED": "0",
    }
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers", str(workers),
        "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--error-logfile", str(log),
        "--log-level", "warning",
        "bench.wsgi_bench:app",
    ]  # fmt: skip
    if access_log is not None:
        access_log.write_text("")
        command[-1:-1] = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    # Our own argument list, no shell.
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = clock.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
            with contextlib.suppress(OSError):
                status, _, _ = Browser(port).request("GET", "/healthz")
                if status == 200:
                    break
            if clock.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz; see {log}")
            clock.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
