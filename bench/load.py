"""Load and scale (issue 7, item 3): seed a district, serve it with gunicorn, drive each page with wrk.

For each database (SQLite, then PostgreSQL): seed the district (or reuse it), start gunicorn with
2 sync workers on 127.0.0.1, sign in a pool of teachers, mentors and the advisor, then run wrk for
a fixed time per endpoint (4 connections, 8 for booking; 2 threads) and print requests per
second, p50/p95/p99, errors and the ratio of each endpoint's throughput to the two reference
routes. Writes the table to bench/RESULTS.md.

    make bench                                             # the full run, both databases
    .venv/bin/python -m bench.load --reuse                 # the same, on databases already seeded
    .venv/bin/python -m bench.load --duration 3 --sessions 20000 --tips 10000 --requests 5000
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import and_, create_engine, func, make_url, select, text
from sqlalchemy.orm import aliased

from bench import seed_district
from bench.tips_search import query_kinds

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT / 'bench' / '.data' / 'load.sqlite'}"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helpdesk_bench_load"
RESULTS = ROOT / "bench" / "RESULTS.md"
WRK = shutil.which("wrk") or "/usr/bin/wrk"  # Debian: apt-get install wrk
USER_AGENT = "helpdesk-bench/1"  # the same for sign-in and wrk: Flask-Login ties a session to it
JUST_TAKEN = "That time was just taken."
SESSION_MINUTES = 30
# Endpoints held to the target: at least 0.8 of the floor page, p95 under 25 ms.
TARGET_RATIO, TARGET_P95_MS = 0.8, 25.0
TARGETED = {"find a mentor", "tip search", "approval queue", "help-request queue", "my sessions"}

LUA = r"""
-- Written by bench/load.py. Requests are picked at random from a fixed list; responses are
-- checked (GET: 200 only; booking: 302, or 200 saying the time was just taken).
local entries = %(entries)s
local mode = "%(mode)s"
local threads = {}
local counter = 0
local formatted = {}
ok, taken, bad, statuses = 0, 0, 0, ""

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
  for i, e in ipairs(entries) do
    formatted[i] = wrk.format(e[1], e[2], e[3], e[4])
  end
end

function request()
  return formatted[math.random(#formatted)]
end

function response(status, headers, body)
  if mode == "booking" then
    if status == 302 then
      ok = ok + 1
    elseif status == 200 and body and string.find(body, "%(just_taken)s", 1, true) then
      taken = taken + 1
    else
      bad = bad + 1
      if #statuses < 200 then statuses = statuses .. status .. " " end
    end
  elseif status == 200 then
    ok = ok + 1
  else
    bad = bad + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
end

function done(summary, latency, requests)
  local t_ok, t_taken, t_bad, t_statuses = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok")
    t_taken = t_taken + thread:get("taken")
    t_bad = t_bad + thread:get("bad")
    t_statuses = t_statuses .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "socket_errors": %%d, "non_2xx_3xx": %%d, "ok": %%d, ' ..
    '"taken": %%d, "bad": %%d, "bad_statuses": "%%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    t_ok, t_taken, t_bad, t_statuses))
end
"""


@dataclass
class Client:
    """A signed-in browser, as far as the bench needs one: its cookie and a CSRF token."""

    email: str
    role: str
    cookie: str = ""
    csrf: str = ""
    feed_path: str = ""


@dataclass
class Endpoint:
    name: str
    entries: list[tuple[str, str, dict[str, str], str | None]]
    mode: str = "get"


@dataclass
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    note: str = ""
    ratio_bare: float = 0.0
    ratio_floor: float = 0.0
    target: str = "–"


@dataclass
class Run:
    database: str
    version: str
    counts: dict[str, int]
    results: list[Result] = field(default_factory=list)
    double_bookings: int | None = None
    server_errors: int = 0
    load_before: float = 0.0
    load_after: float = 0.0


# HTTP --------------------------------------------------------------------------------------------


class Browser:
    """Plain http.client with a cookie jar of one host; production cookies are Secure, and
    ordinary clients would not send them back over the bench's plain HTTP."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str, workers: int, log: Path):
    """The app under gunicorn (sync workers) on a free local port, as production runs it."""
    port = _free_port()
    env = os.environ | {
        "HELPDESK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "TRUSTED_HOSTS": "127.0.0.1,localhost",
        "BASE_URL": "https://127.0.0.1",  # production refuses to start without an https one
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SERVER": "",
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


# What to ask for ---------------------------------------------------------------------------------


@dataclass
class Plan:
    """Who signs in and what they ask for; chosen from the seeded rows before the run."""

    teachers: list[str]
    mentors: list[str]
    advisor: str
    skill_ids: list[int]
    tip_ids: list[int]
    # (mentor id, skill id, start) of the open slots the booking run fights over
    slots: list[tuple[int, int, datetime]]
    bookers: list[str]


def plan(url: str, *, seed: int, slots: int, bookers: int) -> Plan:
    """Pick the people, pages and contended slots from the database, at the district's now."""
    from helpdesk import create_app
    from helpdesk.accounts.models import Role, User
    from helpdesk.bookings.models import HOLDING_STATUSES, Booking
    from helpdesk.extensions import db
    from helpdesk.finder.services import find_mentors
    from helpdesk.skills.models import Skill
    from helpdesk.tips.models import Tip, TipStatus

    rng = random.Random(seed)
    now = seed_district.NOW
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():

        def emails(role: Role) -> list[str]:
            return list(
                db.session.scalars(
                    select(User.email)
                    .where(User.role == role, User.is_active.is_(True))
                    .order_by(User.id)
                )
            )

        teachers, mentors = emails(Role.TEACHER), emails(Role.MENTOR)
        advisor = emails(Role.ADVISOR)[0]
        skill_ids = list(db.session.scalars(select(Skill.id).order_by(Skill.id)))
        tip_ids = list(
            db.session.scalars(
                select(Tip.id).where(Tip.status == TipStatus.PUBLISHED).order_by(Tip.id)
            )
        )
        # Open slots of different mentors at different times, 2 to 9 days ahead: a teacher who
        # wins one can still want another, so every refusal is "That time was just taken."
        chosen: list[tuple[int, int, datetime]] = []
        used_times: set[datetime] = set()
        for skill_id in rng.sample(skill_ids, len(skill_ids)):
            start = now.date() + timedelta(days=2)
            matches = find_mentors(
                skill_id=skill_id,
                start=start,
                end=start + timedelta(days=7),
                session_minutes=SESSION_MINUTES,
                now=now,
            )
            for match in matches:
                if match.mentor.id in {m for m, _, _ in chosen}:
                    continue
                slot = next((s for s in match.slots if s.start_at not in used_times), None)
                if slot is not None:
                    chosen.append((match.mentor.id, skill_id, slot.start_at))
                    used_times.add(slot.start_at)
                    break
            if len(chosen) == slots:
                break
        if not chosen:
            raise RuntimeError("no open slot to book: is the database seeded?")
        # Teachers free at every contended time, so only the slot itself can refuse them.
        first = min(at for _, _, at in chosen)
        last = max(at for _, _, at in chosen) + timedelta(minutes=SESSION_MINUTES)
        busy = set(
            db.session.scalars(
                select(User.email)
                .join(Booking, Booking.teacher_id == User.id)
                .where(
                    Booking.status.in_(HOLDING_STATUSES),
                    Booking.starts_at < last,
                    Booking.ends_at > first,
                )
            )
        )
        free = [e for e in teachers if e not in busy]
        db.session.remove()
        db.engine.dispose()
    return Plan(
        teachers=rng.sample(teachers, 24),
        mentors=rng.sample(mentors, 12),
        advisor=advisor,
        skill_ids=skill_ids,
        tip_ids=rng.sample(tip_ids, min(300, len(tip_ids))),
        slots=chosen,
        bookers=rng.sample(free, bookers),
    )


def endpoints(
    the_plan: Plan, clients: dict[str, Client], rng: random.Random, only: set[str] | None
) -> list[Endpoint]:
    teachers = [clients[e] for e in the_plan.teachers]
    mentors = [clients[e] for e in the_plan.mentors]
    advisor = clients[the_plan.advisor]

    def get(path: str, client: Client | None) -> tuple[str, str, dict[str, str], None]:
        headers = {"User-Agent": USER_AGENT}
        if client is not None:
            headers["Cookie"] = client.cookie
        return ("GET", path, headers, None)

    def mixed(paths: list[str], people: list[Client], count: int = 400) -> list:
        return [get(rng.choice(paths), rng.choice(people)) for _ in range(count)]

    today = seed_district.NOW.date()
    finder_paths = [
        "/find/?"
        + urlencode(
            {
                "skill_id": skill_id,
                "start": (today + timedelta(days=days)).isoformat(),
                "minutes": SESSION_MINUTES,
            }
        )
        for skill_id in the_plan.skill_ids
        for days in range(0, 15, 2)
    ]
    queries = [q for kind in query_kinds(random.Random(7)).values() for q in kind]
    booking = []
    for email in the_plan.bookers:
        client = clients[email]
        for mentor_id, skill_id, starts_at in the_plan.slots:
            path = "/sessions/new?" + urlencode(
                {
                    "mentor": mentor_id,
                    "skill": skill_id,
                    "start": starts_at.isoformat(),
                    "minutes": SESSION_MINUTES,
                }
            )
            body = urlencode(
                {
                    "csrf_token": client.csrf,
                    "request_key": "",
                    "topic": "Sharing a Google Doc with my class",
                    "learning_goal": "Share a document so every student can edit it.",
                    "format": "in_person",
                    "room": "Room 214",
                    "agrees_to_norms": "y",
                }
            )
            headers = {
                "User-Agent": USER_AGENT,
                "Cookie": client.cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            booking.append(("POST", path, headers, body))
    everything = [
        Endpoint("bare route", [get("/bench/bare", None)]),
        Endpoint("floor page", mixed(["/bench/floor"], teachers)),
        Endpoint("find a mentor", mixed(finder_paths, teachers)),
        Endpoint("tip search", mixed(["/tips/?" + urlencode({"q": q}) for q in queries], teachers)),
        Endpoint("tip page", mixed([f"/tips/{i}" for i in the_plan.tip_ids], teachers)),
        Endpoint("approval queue", [get("/sessions/queue", advisor)]),
        Endpoint("help-request queue", mixed(["/requests/"], mentors)),
        Endpoint("my sessions", mixed(["/sessions/"], teachers + mentors)),
        Endpoint(
            "calendar feed", [get(c.feed_path, None) for c in teachers + mentors if c.feed_path]
        ),
        Endpoint("booking (POST, contended)", booking, mode="booking"),
    ]
    return [e for e in everything if only is None or e.name.split(" (")[0] in only]


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for these characters


def lua_script(endpoint: Endpoint) -> str:
    rows = []
    for method, path, headers, body in endpoint.entries:
        header_table = ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()
        )
        rows.append(
            f"{{{_lua_string(method)}, {_lua_string(path)}, {{{header_table}}}, "
            f"{_lua_string(body) if body is not None else 'nil'}}}"
        )
    return LUA % {
        "entries": "{\n" + ",\n".join(rows) + "\n}",
        "mode": endpoint.mode,
        "just_taken": JUST_TAKEN,
    }


def drive(port: int, endpoint: Endpoint, args: argparse.Namespace, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(endpoint))
    try:
        completed = subprocess.run(  # noqa: S603 (our own argument list, no shell)
            [
                WRK,
                "--threads", str(args.threads),
                "--connections", str(
                    args.booking_connections if endpoint.mode == "booking" else args.connections
                ),
                "--duration", f"{seconds}s",
                "--timeout", "30s",
                "--latency",
                "--script", script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(line.removeprefix("BENCHJSON "))


def measure(port: int, endpoint: Endpoint, args: argparse.Namespace) -> Result:
    if args.warmup and endpoint.mode != "booking":
        drive(port, endpoint, args, args.warmup)
    figures = drive(port, endpoint, args, args.duration)
    seconds = figures["duration_us"] / 1e6
    errors = figures["socket_errors"] + figures["bad"]
    note = ""
    if endpoint.mode == "booking":
        note = f"{figures['ok']} won, {figures['taken']} told the time was just taken"
    if not figures["requests"]:
        note = f"no response completed within {args.duration} s"
    if figures["bad"]:
        statuses = sorted(set(figures["bad_statuses"].split()))
        note = (note + "; " if note else "") + f"unexpected statuses: {' '.join(statuses)}"
    return Result(
        name=endpoint.name,
        requests_per_s=figures["requests"] / seconds if seconds else 0.0,
        p50_ms=figures["p50_us"] / 1000,
        p95_ms=figures["p95_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=errors,
        requests=figures["requests"],
        note=note,
    )


# Checks ------------------------------------------------------------------------------------------


def double_bookings(url: str, mentor_ids: list[int], teacher_emails: list[str]) -> int:
    """Pairs of holding sessions that overlap for one mentor, or for one teacher, among those
    the booking run touched. The database's guard should make this 0."""
    from helpdesk.accounts.models import User
    from helpdesk.bookings.models import HOLDING_STATUSES, Booking

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            teacher_ids = list(
                connection.scalars(select(User.id).where(User.email.in_(teacher_emails)))
            )
            total = 0
            for column, ids in (("mentor_id", mentor_ids), ("teacher_id", teacher_ids)):
                a, b = aliased(Booking), aliased(Booking)
                total += connection.scalar(
                    select(func.count())
                    .select_from(a)
                    .join(
                        b,
                        and_(
                            getattr(a, column) == getattr(b, column),
                            a.id < b.id,
                            a.starts_at < b.ends_at,
                            b.starts_at < a.ends_at,
                        ),
                    )
                    .where(
                        getattr(a, column).in_(ids),
                        a.status.in_(HOLDING_STATUSES),
                        b.status.in_(HOLDING_STATUSES),
                    )
                )
            return total
    finally:
        engine.dispose()


def database_version(url: str) -> str:
    if make_url(url).get_backend_name() == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return "PostgreSQL " + connection.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    tables = ["school", "user_account", "booking", "tip", "help_request"]
    try:
        with engine.connect() as connection:
            counts = {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}  # noqa: S608 (fixed names)
            counts["requested sessions"] = connection.scalar(
                text("SELECT count(*) FROM booking WHERE status = 'requested'")
            )
            counts["active help requests"] = connection.scalar(
                text(
                    "SELECT count(*) FROM help_request "
                    "WHERE status IN ('open', 'claimed', 'waiting')"
                )
            )
            return counts
    finally:
        engine.dispose()


# Running -----------------------------------------------------------------------------------------


def run_database(url: str, args: argparse.Namespace) -> Run:
    name = make_url(url).render_as_string()
    backend = make_url(url).get_backend_name()
    if args.reuse and seed_district.database_exists(url):
        print(f"reusing {name}", file=sys.stderr)
        if (
            backend == "postgresql"
        ):  # the last run's writes, tidied as autovacuum would between runs
            seed_district.vacuum(url)
    else:
        print(f"seeding {name}", file=sys.stderr)
        started = clock.perf_counter()
        seed_district.seed(
            url,
            schools=args.schools,
            mentors=args.mentors,
            teachers=args.teachers,
            sessions=args.sessions,
            tips=args.tips,
            help_requests=args.requests,
        )
        print(f"  seeded in {clock.perf_counter() - started:.0f} s", file=sys.stderr)
    run = Run(backend, database_version(url), row_counts(url))
    the_plan = plan(url, seed=args.seed, slots=args.slots, bookers=args.bookers)
    log = ROOT / "bench" / ".data" / f"gunicorn-{backend}.log"
    only = set(args.endpoints.split(",")) if args.endpoints else None
    with gunicorn(url, args.workers, log) as port:
        print(f"  gunicorn on port {port}; signing in", file=sys.stderr)
        clients: dict[str, Client] = {}
        for email in the_plan.teachers + the_plan.mentors:
            clients[email] = sign_in(port, email, "person", feed=True)
        clients[the_plan.advisor] = sign_in(port, the_plan.advisor, "advisor")
        for email in the_plan.bookers:
            clients.setdefault(email, sign_in(port, email, "teacher"))
        run.load_before = os.getloadavg()[0]
        for endpoint in endpoints(the_plan, clients, random.Random(args.seed), only):
            print(f"  {endpoint.name}: {args.duration:g} s", file=sys.stderr)
            result = measure(port, endpoint, args)
            run.results.append(result)
            print(
                f"    {result.requests_per_s:,.0f} req/s, p95 {result.p95_ms:.1f} ms, "
                f"{result.errors} errors {result.note}",
                file=sys.stderr,
            )
        run.load_after = os.getloadavg()[0]
    if any(r.name.startswith("booking") for r in run.results):
        run.double_bookings = double_bookings(
            url, [m for m, _, _ in the_plan.slots], the_plan.bookers
        )
    log_text = log.read_text()
    run.server_errors = log_text.count("Traceback") + log_text.count("Exception on ")
    score(run)
    return run


def score(run: Run) -> None:
    by_name = {r.name: r for r in run.results}
    bare, floor = by_name.get("bare route"), by_name.get("floor page")
    for r in run.results:
        if bare and bare.requests_per_s:
            r.ratio_bare = r.requests_per_s / bare.requests_per_s
        if floor and floor.requests_per_s:
            r.ratio_floor = r.requests_per_s / floor.requests_per_s
        if r.name in TARGETED and floor:
            met = r.ratio_floor >= TARGET_RATIO and r.p95_ms < TARGET_P95_MS and not r.errors
            r.target = "met" if met else "**missed**"
        elif r.name.startswith("booking"):
            met = r.errors == 0 and run.double_bookings == 0
            r.target = "met" if met else "**missed**"


def table(run: Run) -> str:
    lines = [
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | ÷ bare | ÷ floor | target | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in run.results:
        lines.append(
            f"| {r.name} | {r.requests_per_s:,.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} "
            f"| {r.p99_ms:.1f} | {r.errors} | {r.ratio_bare:.2f} | {r.ratio_floor:.2f} "
            f"| {r.target} | {r.note} |"
        )
    return "\n".join(lines)


def _command_version(*command: str) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError:
        return "not installed"
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else ""


def machine() -> list[str]:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")),
        "0",
    )  # fmt: skip
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return [
        f"{os.cpu_count()} CPUs ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB memory, "
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, {_command_version(str(VENV_BIN / 'gunicorn'), '--version')}, "
        f"{_command_version(WRK, '--version').split(' Copyright')[0]}",
    ]


def report(runs: list[Run], args: argparse.Namespace) -> str:
    full = (args.sessions, args.tips, args.requests, args.duration) == (
        200_000,
        100_000,
        50_000,
        10,
    )
    lines = [
        "# Load and scale (issue 7, item 3)",
        "",
        f"Written by `bench/load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        "Command: `" + " ".join(["python -m bench.load", *sys.argv[1:]]) + "`.",
        "",
    ]
    if not full or args.note:
        lines += [
            "> **" + (args.note or "Not the full run") + ".** "
            f"Scale: {args.sessions:,} sessions, {args.tips:,} tips, {args.requests:,} help requests; "
            f"{args.duration:g} s per endpoint. Do not judge the targets on these figures.",
            "",
        ]
    lines += [
        "## Machine and settings",
        "",
        *[f"- {line}" for line in machine()],
        *[f"- {run.database}: {run.version}" for run in runs],
        f"- gunicorn: {args.workers} sync workers on 127.0.0.1, `HELPDESK_ENV=production` "
        "(Secure cookies, sent back by the bench over plain HTTP), memory rate-limit storage",
        f"- wrk: {args.threads} threads, {args.connections} connections ({args.booking_connections}"
        f" for booking), {args.duration:g} s per endpoint after {args.warmup:g} s of warm-up (none "
        "for booking); closed loop, so the tail is understated",
        f"- the app's clock runs from the district's now, {seed_district.NOW:%Y-%m-%d %H:%M} UTC",
        "- targets: find a mentor, tip search, both queues and my sessions at ≥ 0.8 of the floor "
        "page's req/s with p95 < 25 ms; booking with 0 errors and 0 double bookings",
        "",
    ]
    for run in runs:
        counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in run.counts.items())
        lines += [
            f"## {run.version}",
            "",
            f"Rows: {counts}. Load average (1 min) {run.load_before:.1f} at the start, "
            f"{run.load_after:.1f} at the end. Server errors logged: {run.server_errors}. "
            + (
                f"Double bookings after the booking run: **{run.double_bookings}**."
                if run.double_bookings is not None
                else ""
            ),
            "",
            table(run),
            "",
        ]
    lines += [
        "## What each endpoint does",
        "",
        "- bare route: `GET /bench/bare`, a constant string, not signed in.",
        "- floor page: `GET /bench/floor` signed in as a teacher: the 20 newest published tips "
        "(one query on the `(status, published_at)` index) in the base layout.",
        "- find a mentor: `GET /find/` as 24 teachers, 25 topics × 8 start dates over the next two "
        "weeks, 30-minute sessions, 14 days.",
        "- tip search: `GET /tips/?q=` with bench/tips_search.py's 56 queries (common, rare, "
        "two and three words, phrases, prefixes, no match), ranked by relevance.",
        "- tip page: `GET /tips/<id>`, 300 published tips; the bench's session cookie never "
        "changes, so every request counts as a first view and updates the tip's view count.",
        "- approval queue: `GET /sessions/queue` as the advisor (every requested session).",
        "- help-request queue: `GET /requests/` as 12 mentors.",
        "- my sessions: `GET /sessions/` as the 24 teachers and 12 mentors.",
        "- calendar feed: `GET /calendar/feed/<token>.ics` for those 36 people, no cookie.",
        f"- booking: `POST /sessions/new` by {args.bookers} teachers (free at those times) for "
        f"{args.slots} open slots of different mentors at different times: each answer must be "
        f"302 (won) or 200 with “{JUST_TAKEN}”; afterwards SQL counts overlapping holding "
        "sessions of those mentors and teachers.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep databases already seeded")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--sqlite", default=DEFAULT_SQLITE_URL)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=1, help="seconds before each endpoint")
    # Two per worker: each worker always has the next request waiting (the same req/s as 8 gave)
    # without timing a queue of four; booking keeps 8, for contention.
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--booking-connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--endpoints", help="comma-separated names, e.g. 'bare route,tip search'")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--teachers", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--tips", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50_000, help="help requests")
    parser.add_argument("--slots", type=int, default=6, help="contended slots in the booking run")
    parser.add_argument("--bookers", type=int, default=32, help="teachers contending for them")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--note", default="", help="a line to put above the tables")
    args = parser.parse_args(argv)

    if not Path(WRK).exists():
        sys.exit("wrk is missing: apt-get install wrk")
    started = clock.perf_counter()
    urls = [args.sqlite, args.postgres]
    if args.only:
        urls = [u for u in urls if make_url(u).get_backend_name() == args.only]
    runs = [run_database(url, args) for url in urls]
    for run in runs:
        print(f"\n{run.version}")
        print(table(run))
    args.results.write_text(report(runs, args))
    print(f"\nwrote {args.results} in {clock.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
