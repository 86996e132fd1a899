"""Load and scale (issue 7, item 3; issue 14, item 1): seed a district, serve it with gunicorn,
drive it with wrk as a district uses it.

For each database (SQLite, then PostgreSQL): seed the district (or reuse it), start gunicorn with
2 sync workers on 127.0.0.1, sign in a pool of teachers, mentors and the advisor, then measure:

- real use (bench/mixes.py): find a mentor and tip search asked the same few questions on warm
  caches, asked many different questions (200 and 300 distinct), and the same while a second
  client writes at 1 and 2 writes a second (bench/writer.py); each interleaved with the floor
  page over several rounds; and a cold start (the first requests after gunicorn starts);
- every page in turn (full mode, or --pages): req/s, p50/p95/p99, errors, and the ratio of each
  endpoint's throughput to the two reference routes, booking under contention included.

Writes bench/RESULTS.md.

    make bench                                      # the full run, both databases
    .venv/bin/python -m bench.load --reuse          # the same, on databases already seeded
    .venv/bin/python -m bench.load --quick          # a small district, short rounds: a few minutes
    .venv/bin/python -m bench.load --quick --reuse --only sqlite
"""

import argparse
import itertools
import os
import platform
import random
import secrets
import shlex
import sqlite3
import subprocess
import sys
import time as clock
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import and_, create_engine, func, make_url, select, text
from sqlalchemy.orm import aliased

from bench import mixes, questions, seed_district
from bench.http import ROOT, USER_AGENT, VENV_BIN, Client, gunicorn, sign_in
from bench.tips_search import query_kinds
from bench.writer import Writer, WriterPlan
from bench.wrk import JUST_TAKEN, WRK, Endpoint, drive

DEFAULT_SQLITE_URL = f"sqlite:///{ROOT / 'bench' / '.data' / 'load.sqlite'}"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helpdesk_bench_load"
QUICK_SQLITE_URL = f"sqlite:///{ROOT / 'bench' / '.data' / 'load-quick.sqlite'}"
QUICK_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/helpdesk_bench_load_quick"
RESULTS = ROOT / "bench" / "RESULTS.md"
SESSION_MINUTES = 30
# Endpoints held to the target: at least 0.8 of the floor page, p95 under 25 ms.
TARGET_RATIO, TARGET_P95_MS = 0.8, 25.0
TARGETED = {"find a mentor", "tip search", "approval queue", "help-request queue", "my sessions"}
# Real use (issue 14): p95 limits by database, and the cold finder's server time.
REAL_USE_P95_MS = {"sqlite": 25.0, "postgresql": 35.0}
COLD_FINDER_SERVER_P95_MS = 40.0
WRITER_SLOTS, WRITER_MENTORS = 8, 4  # over the writer's 4 lanes


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
    real_use: list[mixes.MixResult] = field(default_factory=list)
    cold: list[mixes.ColdResult] = field(default_factory=list)
    writer_problems: list[str] = field(default_factory=list)


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
    # The writer's open slots (teacher, mentor id, skill id, start) and mentors taking days off
    writer_slots: list[tuple[str, int, int, datetime]]
    writer_mentors: list[str]
    lengths: list[int]
    school_ids: list[int]


def plan(url: str, *, seed: int, slots: int, bookers: int) -> Plan:
    """Pick the people, pages and contended slots from the database, at the district's now."""
    from helpdesk import create_app
    from helpdesk.accounts.models import Role, User
    from helpdesk.availability.services import program_settings
    from helpdesk.bookings.models import HOLDING_STATUSES, Booking
    from helpdesk.extensions import db
    from helpdesk.finder.services import find_mentors
    from helpdesk.mentors.models import MentorProfile
    from helpdesk.schools.models import School
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
                profile = db.session.get(MentorProfile, match.mentor.id)
                if profile is None or not profile.offers_in_person:
                    continue  # the bench books in person
                slot = next((s for s in match.slots if s.start_at not in used_times), None)
                if slot is not None:
                    chosen.append((match.mentor.id, skill_id, slot.start_at))
                    used_times.add(slot.start_at)
                    break
            if len(chosen) == slots + WRITER_SLOTS:
                break
        if len(chosen) <= slots:
            raise RuntimeError("too few open slots to book: is the database seeded?")
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
        mentor_emails = dict(db.session.execute(select(User.id, User.email)).all())
        lengths = list(program_settings().lengths)
        school_ids = list(db.session.scalars(select(School.id).order_by(School.id)))
        db.session.remove()
        db.engine.dispose()
    contenders = rng.sample(free, bookers + WRITER_SLOTS)
    booked = {mentor_emails[m] for m, _, _ in chosen}
    return Plan(
        teachers=rng.sample(teachers, 24),
        mentors=rng.sample(mentors, 12),
        advisor=advisor,
        skill_ids=skill_ids,
        tip_ids=rng.sample(tip_ids, min(300, len(tip_ids))),
        slots=chosen[:slots],
        bookers=contenders[:bookers],
        writer_slots=[
            (teacher, *slot)
            for teacher, slot in zip(contenders[bookers:], chosen[slots:], strict=False)
        ],
        writer_mentors=rng.sample([m for m in mentors if m not in booked], WRITER_MENTORS),
        lengths=lengths,
        school_ids=school_ids,
    )


def repeated_finder_paths(skill_ids: list[int]) -> list[str]:
    """The few questions of issue 7's run: every topic × 8 start dates, 30 minutes, two weeks."""
    today = seed_district.NOW.date()
    return [
        "/find/?"
        + urlencode(
            {
                "skill_id": skill_id,
                "start": (today + timedelta(days=days)).isoformat(),
                "minutes": SESSION_MINUTES,
            }
        )
        for skill_id in skill_ids
        for days in range(0, 15, 2)
    ]


def repeated_tip_queries() -> list[str]:
    """bench/tips_search.py's queries (80 by kind), as issue 7's run asked them."""
    return [q for kind in query_kinds(random.Random(7)).values() for q in kind]


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

    finder_paths = repeated_finder_paths(the_plan.skill_ids)
    queries = repeated_tip_queries()
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
        Endpoint("program dashboard", [get("/dashboard/", advisor)]),
        Endpoint("help-request queue", mixed(["/requests/"], mentors)),
        Endpoint("my sessions", mixed(["/sessions/"], teachers + mentors)),
        Endpoint(
            "calendar feed", [get(c.feed_path, None) for c in teachers + mentors if c.feed_path]
        ),
        Endpoint("booking (POST, contended)", booking, mode="booking"),
    ]
    return [e for e in everything if only is None or e.name.split(" (")[0] in only]


def driver(port: int, args: argparse.Namespace) -> mixes.Drive:
    def run(endpoint: Endpoint, seconds: int) -> dict:
        booking = endpoint.mode == "booking"
        return drive(
            port,
            endpoint,
            threads=args.threads,
            connections=args.booking_connections if booking else args.connections,
            seconds=seconds,
        )

    return run


def measure(port: int, endpoint: Endpoint, args: argparse.Namespace) -> Result:
    run = driver(port, args)
    if args.warmup and endpoint.mode != "booking":
        run(endpoint, args.warmup)
    figures = run(endpoint, args.duration)
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


# Real use (issue 14) ------------------------------------------------------------------------------


def _get(path: str, client: Client) -> tuple[str, str, dict[str, str], None]:
    return ("GET", path, {"User-Agent": USER_AGENT, "Cookie": client.cookie}, None)


def _asked_by(paths: list[str], people: list[Client], rng: random.Random) -> Endpoint:
    """Each path once, each asked by one of the people, in a shuffled order taken in turn."""
    entries = [_get(path, people[i % len(people)]) for i, path in enumerate(paths)]
    rng.shuffle(entries)
    return Endpoint("", entries, order="cycle")


def finder_questions(the_plan: Plan, count: int, seed: int) -> list[str]:
    return questions.finder_paths(
        random.Random(seed),
        count=count,
        today=seed_district.NOW.date(),
        skill_ids=the_plan.skill_ids,
        lengths=the_plan.lengths,
        school_ids=the_plan.school_ids,
    )


def tip_paths(seed: int) -> list[str]:
    kinds = questions.tip_queries(random.Random(seed))
    return ["/tips/?" + urlencode({"q": q}) for kind in kinds.values() for q in kind]


def real_use_mixes(the_plan: Plan, teachers: list[Client], args: argparse.Namespace) -> list:
    """The rows of the real-use table, in the order they run. Each distinct row asks questions
    of its own (another seed), so no row starts on caches an earlier row filled for it."""
    rng = random.Random(args.seed)
    count = args.finder_questions
    warm, fresh = "warm (warm-up first)", "empty for these questions at the start"
    finder = [
        mixes.Mix("find a mentor", f"{len(the_plan.skill_ids) * 8} repeated (issue 7)", warm,
                  _asked_by(repeated_finder_paths(the_plan.skill_ids), teachers, rng),
                  warm_up=True, target_ratio=TARGET_RATIO),
        mixes.Mix("find a mentor", f"{count} distinct", fresh,
                  _asked_by(finder_questions(the_plan, count, args.seed + 1), teachers, rng),
                  target_ratio=TARGET_RATIO),
        mixes.Mix("find a mentor", f"{count} distinct", fresh + "; every write renews them",
                  _asked_by(finder_questions(the_plan, count, args.seed + 2), teachers, rng),
                  write_rate=1),
        mixes.Mix("find a mentor", f"{count} distinct", fresh + "; every write renews them",
                  _asked_by(finder_questions(the_plan, count, args.seed + 3), teachers, rng),
                  write_rate=2, target_ratio=0.6),
    ]  # fmt: skip
    tips_count = sum(questions.TIP_KINDS.values())
    tips = [
        mixes.Mix("tip search", f"{len(repeated_tip_queries())} repeated (issue 7)", warm,
                  _asked_by(["/tips/?" + urlencode({"q": q}) for q in repeated_tip_queries()],
                            teachers, rng),
                  warm_up=True, target_ratio=TARGET_RATIO),
        mixes.Mix("tip search", f"{tips_count} distinct", fresh,
                  _asked_by(tip_paths(args.seed + 1), teachers, rng), target_ratio=TARGET_RATIO),
        mixes.Mix("tip search", f"{tips_count} distinct", fresh + " (writes leave them)",
                  _asked_by(tip_paths(args.seed + 2), teachers, rng), write_rate=1),
        mixes.Mix("tip search", f"{tips_count} distinct", fresh + " (writes leave them)",
                  _asked_by(tip_paths(args.seed + 3), teachers, rng), write_rate=2),
    ]  # fmt: skip
    return finder + tips


def run_real_use(
    port: int, the_plan: Plan, clients: dict[str, Client], args: argparse.Namespace
) -> tuple[list[mixes.MixResult], list[str]]:
    teachers = [clients[e] for e in the_plan.teachers]
    floor = Endpoint("floor page", [_get("/bench/floor", t) for t in teachers], order="cycle")
    writer = Writer(
        port,
        WriterPlan(
            slots=[(clients[t], m, k, at) for t, m, k, at in the_plan.writer_slots],
            advisor=clients[the_plan.advisor],
            mentors=[clients[e] for e in the_plan.writer_mentors],
            minutes=SESSION_MINUTES,
            day_off=seed_district.NOW.date() + timedelta(days=35),
        ),
    )
    results = []
    for mix in real_use_mixes(the_plan, teachers, args):
        print(f"  {mix.endpoint}, {mix.queries}, writes {mix.write_rate:g}/s", file=sys.stderr)
        result = mixes.run_mix(
            mix,
            floor,
            driver(port, args),
            rounds=args.rounds,
            seconds=args.round_seconds,
            warmup=args.warmup,
            writer=writer,
        )
        results.append(result)
        ratios = ", ".join(f"{r.ratio:.2f}" for r in result.rounds)
        writes = result.writes
        print(
            f"    {result.median(lambda r: r.endpoint.requests_per_s):,.0f} req/s, "
            f"p95 {result.median(lambda r: r.endpoint.p95_ms):.1f} ms, ratios {ratios}, "
            f"{result.errors} errors"
            + (f"; writes {writes.done} done, {writes.failures} failed" if writes else ""),
            file=sys.stderr,
        )
    writer.finish()
    return results, writer.problems


def run_cold(
    url: str, secret: str, the_plan: Plan, clients: dict[str, Client], args: argparse.Namespace
) -> list[mixes.ColdResult]:
    backend = make_url(url).get_backend_name()
    data = ROOT / "bench" / ".data"
    starts = itertools.count()

    @contextmanager
    def server():
        log = data / f"gunicorn-{backend}-cold-{next(starts)}.log"
        access = data / f"access-{backend}.log"
        with gunicorn(url, args.workers, log, secret=secret, access_log=access) as port:
            yield port, access

    teachers = [clients[e] for e in the_plan.teachers]
    n = args.cold_requests

    def batches(paths: list[str]):
        requests = [
            mixes.Request(p, teachers[i % len(teachers)].cookie) for i, p in enumerate(paths)
        ]
        for first in itertools.cycle(range(0, len(requests) - n + 1, n)):
            yield requests[first : first + n]

    floor = [mixes.Request("/bench/floor", teachers[i % len(teachers)].cookie) for i in range(n)]
    finder = finder_questions(the_plan, max(n * args.rounds, 200), args.seed + 4)
    results = []
    for name, paths, target in (
        ("find a mentor", finder, COLD_FINDER_SERVER_P95_MS),
        ("tip search", tip_paths(args.seed + 4), None),
    ):
        print(f"  cold start: {name}, {args.rounds} × {n} requests", file=sys.stderr)
        results.append(
            mixes.cold_start(name, batches(paths), floor, server, rounds=args.rounds,
                             connections=args.connections, target_server_p95_ms=target)
        )  # fmt: skip
    return results


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
    data = ROOT / "bench" / ".data"
    log = data / f"gunicorn-{backend}.log"
    for old in data.glob(f"gunicorn-{backend}-cold-*.log"):
        old.unlink()
    only = set(args.endpoints.split(",")) if args.endpoints else None
    secret = secrets.token_urlsafe(48)  # one for every server of this run: sessions carry over
    with gunicorn(url, args.workers, log, secret=secret) as port:
        print(f"  gunicorn on port {port}; signing in", file=sys.stderr)
        clients: dict[str, Client] = {}
        for email in the_plan.teachers + the_plan.mentors:
            clients[email] = sign_in(port, email, "person", feed=True)
        clients[the_plan.advisor] = sign_in(port, the_plan.advisor, "advisor")
        for email in the_plan.writer_mentors:
            clients.setdefault(email, sign_in(port, email, "mentor"))
        for email, *_ in the_plan.writer_slots:
            clients.setdefault(email, sign_in(port, email, "teacher"))
        if args.pages:
            for email in the_plan.bookers:
                clients.setdefault(email, sign_in(port, email, "teacher"))
        run.load_before = os.getloadavg()[0]
        if args.real_use:
            run.real_use, run.writer_problems = run_real_use(port, the_plan, clients, args)
        pages = endpoints(the_plan, clients, random.Random(args.seed), only) if args.pages else []
        for endpoint in pages:
            print(f"  {endpoint.name}: {args.duration:g} s", file=sys.stderr)
            result = measure(port, endpoint, args)
            run.results.append(result)
            print(
                f"    {result.requests_per_s:,.0f} req/s, p95 {result.p95_ms:.1f} ms, "
                f"{result.errors} errors {result.note}",
                file=sys.stderr,
            )
        run.load_after = os.getloadavg()[0]
    if args.real_use:
        run.cold = run_cold(url, secret, the_plan, clients, args)
    if any(r.name.startswith("booking") for r in run.results):
        run.double_bookings = double_bookings(
            url, [m for m, _, _ in the_plan.slots], the_plan.bookers
        )
    for server_log in [log, *data.glob(f"gunicorn-{backend}-cold-*.log")]:
        text_ = server_log.read_text()
        run.server_errors += text_.count("Traceback") + text_.count("Exception on ")
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
    full = (args.sessions, args.tips, args.requests) == (200_000, 100_000, 50_000)
    full = full and args.rounds >= 4 and args.round_seconds >= 5
    lines = [
        "# Load and scale (issue 7, item 3; issue 14, item 1)",
        "",
        f"Written by `bench/load.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in "
        f"{args.elapsed / 60:.1f} minutes. "
        "Command: `" + shlex.join(["python", "-m", "bench.load", *sys.argv[1:]]) + "`.",
        "",
    ]
    if not full or args.note:
        lines += [
            "> **" + (args.note or "Not the full run") + ".** "
            f"Scale: {args.sessions:,} sessions, {args.tips:,} tips, {args.requests:,} help requests; "
            f"{args.rounds} rounds of {args.round_seconds} s per real-use row. "
            + ("" if full else "Do not judge the targets on these figures."),
            "",
        ]
    lines += [
        "## Machine and settings",
        "",
        *[f"- {line}" for line in machine()],
        *[f"- {run.database}: {run.version}" for run in runs],
        f"- gunicorn: {args.workers} sync workers on 127.0.0.1, `HELPDESK_ENV=production` "
        "(Secure cookies, sent back by the bench over plain HTTP), memory rate-limit storage",
        f"- wrk: {args.threads} threads, {args.connections} connections; closed loop, so the tail "
        "is understated",
        f"- the app's clock runs from the district's now, {seed_district.NOW:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if any(run.real_use for run in runs):
        lines += real_use_notes(args)
    for run in runs:
        counts = ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in run.counts.items())
        lines += [
            f"## {run.version}",
            "",
            f"Rows: {counts}. Load average (1 min) {run.load_before:.1f} at the start, "
            f"{run.load_after:.1f} at the end. Server errors logged: {run.server_errors}.",
            "",
        ]
        if run.real_use:
            limit = REAL_USE_P95_MS[run.database]
            lines += [
                f"### Real use (p95 limit {limit:g} ms on {run.database})",
                "",
                mixes.mix_table(run.real_use, limit),
                "",
                "### Cold start",
                "",
                mixes.cold_table(run.cold),
                "",
            ]
            if run.writer_problems:
                lines += ["Writer problems: " + "; ".join(run.writer_problems), ""]
        if run.results:
            lines += [
                "### Every page in turn (issue 7)",
                "",
                (
                    f"Double bookings after the booking run: **{run.double_bookings}**."
                    if run.double_bookings is not None
                    else ""
                ),
                "",
                table(run),
                "",
            ]
    if args.pages:
        lines += pages_notes(args)
    return "\n".join(lines)


def real_use_notes(args: argparse.Namespace) -> list[str]:
    kinds = questions.tip_queries(random.Random(args.seed + 1))
    examples = "; ".join(
        f"{kind} {len(qs)} (e.g. “{qs[0]}”, “{qs[1]}”)" for kind, qs in kinds.items()
    )
    return [
        "## How the real-use rows are measured",
        "",
        f"- Each row: floor, endpoint, floor, endpoint, …, floor; {args.rounds} rounds of "
        f"{args.round_seconds} s runs. A round's ratio is the endpoint's req/s over the mean of "
        "the floor runs on either side; the table gives the median ratio and the range over the "
        "rounds, the median of the rounds' req/s and percentiles, and the 1-minute load average "
        "at the start of each round (lowest–highest). Errors: any answer but 200, and socket "
        "errors.",
        "- Questions are taken in turn from a shuffled list (every one before any repeats), each "
        "asked by one of 24 signed-in teachers. Each distinct row asks questions of its own, so "
        "its caches start empty for them (apart from what the questions share, such as a "
        "topic's mentors) and fill as the row runs; the repeated rows are issue 7's lists after "
        f"{args.warmup} s of warm-up.",
        f"- Find a mentor, distinct: {args.finder_questions} different (topic, first day in "
        "the next three weeks, range of 1 day, a week, two weeks or four weeks, session length, "
        "sometimes one school, sometimes online only) questions.",
        f"- Tip search, distinct: {sum(questions.TIP_KINDS.values())} different queries from the "
        f"seeded tips' words (bench/questions.py): {examples}.",
        "- Writer (bench/writer.py): while the endpoint runs (not the floor), a second client "
        "writes on a fixed schedule of 1 or 2 writes a second, in turn: a teacher books an open "
        "slot, the advisor approves it, the teacher cancels it, a mentor adds a day off or takes "
        "it back; real forms over HTTP, each following its redirect as a browser does. Done = "
        "the app confirmed it; late = started more than one interval after its time. Every "
        "write renews the stamps of the people it touches (its mentor's and teacher's: README, "
        '"Caches"), so the finder\'s entries for everyone else stay.',
        "- Targets (issue 14): find a mentor, 200 distinct, ≥ 0.8 of the floor; with 2 writes a "
        "second, ≥ 0.6; tip search, 300 distinct, ≥ 0.8; p95 under 25 ms on SQLite and 35 ms on "
        "PostgreSQL in each; the cold finder's server p95 under 40 ms. The repeated rows keep "
        "issue 7's ≥ 0.8.",
        f"- Cold start: for each endpoint and round, a new gunicorn (both workers' caches empty; "
        f"the database's and the OS's caches stay warm), its first {args.cold_requests} requests "
        f"(distinct questions) from {args.connections} clients at once, then as many floor-page "
        "requests; server time from gunicorn's access log (`%(D)s`), client time as the bench "
        "measured it. The ratio is the endpoint's req/s over those floor requests'.",
        "",
    ]


def pages_notes(args: argparse.Namespace) -> list[str]:
    return [
        "## What each page in turn does (issue 7)",
        "",
        f"- {args.duration} s per endpoint after {args.warmup} s of warm-up (none for booking), "
        f"{args.connections} connections ({args.booking_connections} for booking); targets: find "
        "a mentor, tip search, both queues and my sessions at ≥ 0.8 of the floor page's req/s "
        "with p95 < 25 ms; booking with 0 errors and 0 double bookings.",
        "- bare route: `GET /bench/bare`, a constant string, not signed in.",
        "- floor page: `GET /bench/floor` signed in as a teacher: the 20 newest published tips "
        "(one query on the `(status, published_at)` index) in the base layout.",
        "- find a mentor: `GET /find/` as 24 teachers, 25 topics × 8 start dates over the next two "
        "weeks, 30-minute sessions, 14 days.",
        f"- tip search: `GET /tips/?q=` with bench/tips_search.py's {len(repeated_tip_queries())} "
        "queries (common, rare, two and three words, phrases, prefixes, no match), ranked by "
        "relevance.",
        "- tip page: `GET /tips/<id>`, 300 published tips; the bench's session cookie never "
        "changes, so every request counts as a first view and updates the tip's view count.",
        "- approval queue: `GET /sessions/queue` as the advisor (every requested session).",
        "- program dashboard: `GET /dashboard/` as the advisor: seven charts over the last 12 "
        "weeks (no reporting term in the bench district), every figure one SQL statement.",
        "- help-request queue: `GET /requests/` as 12 mentors.",
        "- my sessions: `GET /sessions/` as the 24 teachers and 12 mentors.",
        "- calendar feed: `GET /calendar/feed/<token>.ics` for those 36 people, no cookie.",
        f"- booking: `POST /sessions/new` by {args.bookers} teachers (free at those times) for "
        f"{args.slots} open slots of different mentors at different times: each answer must be "
        f"302 (won) or 200 with “{JUST_TAKEN}”; afterwards SQL counts overlapping holding "
        "sessions of those mentors and teachers.",
        "",
    ]


QUICK = {  # a small district (seeded once, then reused with --reuse) and short rounds
    "sessions": 20_000, "tips": 10_000, "requests": 5_000,
    "rounds": 3, "round_seconds": 2, "cold_requests": 30, "pages": False,
    "sqlite": QUICK_SQLITE_URL, "postgres": QUICK_POSTGRES_URL,
}  # fmt: skip
FULL = {
    "sessions": 200_000, "tips": 100_000, "requests": 50_000,
    "rounds": 4, "round_seconds": 5, "cold_requests": 60, "pages": True,
    "sqlite": DEFAULT_SQLITE_URL, "postgres": DEFAULT_POSTGRES_URL,
}  # fmt: skip


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small district and short rounds (its own databases): a few minutes",
    )
    parser.add_argument("--reuse", action="store_true", help="keep databases already seeded")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--sqlite")
    parser.add_argument("--postgres")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per real-use row (≥ 3)")
    parser.add_argument("--round-seconds", type=int, help="seconds of each run in a round")
    parser.add_argument("--cold-requests", type=int, help="first requests timed per cold start")
    parser.add_argument(
        "--finder-questions",
        type=int,
        default=200,
        help="distinct find-a-mentor questions per real-use row",
    )
    parser.add_argument(
        "--pages",
        action=argparse.BooleanOptionalAction,
        help="also every page in turn (issue 7's table; on in full mode)",
    )
    parser.add_argument(
        "--real-use",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the real-use mixes and the cold start (on by default)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page (--pages)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up where warm")
    # Two per worker: each worker always has the next request waiting (the same req/s as 8 gave)
    # without timing a queue of four; booking keeps 8, for contention.
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--booking-connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--endpoints", help="comma-separated pages, e.g. 'bare route,tip search'")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--teachers", type=int, default=5000)
    parser.add_argument("--sessions", type=int)
    parser.add_argument("--tips", type=int)
    parser.add_argument("--requests", type=int, help="help requests")
    parser.add_argument("--slots", type=int, default=6, help="contended slots in the booking run")
    parser.add_argument("--bookers", type=int, default=32, help="teachers contending for them")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--note", default="", help="a line to put above the tables")
    args = parser.parse_args(argv)
    for name, value in (QUICK if args.quick else FULL).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.real_use and args.rounds < 3:
        parser.error("--rounds: at least 3")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if not Path(WRK).exists():
        sys.exit("wrk is missing: apt-get install wrk")
    started = clock.perf_counter()
    urls = [args.sqlite, args.postgres]
    if args.only:
        urls = [u for u in urls if make_url(u).get_backend_name() == args.only]
    runs = [run_database(url, args) for url in urls]
    args.elapsed = clock.perf_counter() - started
    for run in runs:
        print(f"\n{run.version}")
        if run.real_use:
            print(mixes.mix_table(run.real_use, REAL_USE_P95_MS[run.database]))
            print(mixes.cold_table(run.cold))
        if run.results:
            print(table(run))
    args.results.write_text(report(runs, args))
    print(f"\nwrote {args.results} in {args.elapsed:.0f} s")


if __name__ == "__main__":
    main()
