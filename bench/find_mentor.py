"""Benchmark: finding mentors for one skill over 14 days at district scale (issue 3, item 7).

Seeds (or, with --reuse, keeps) a SQLite file and a PostgreSQL database with the district of
bench/seed_district.py, then times find_mentors() inside an app context with a fresh database
session per call: server time, without HTTP or templates. The target is p95 under 50 ms, and
under 40 ms with --cold (issue 14). On a busy machine read the app CPU column as well.

    .venv/bin/python -m bench.find_mentor            # seed both databases, then time
    .venv/bin/python -m bench.find_mentor --reuse    # time what is already seeded
    .venv/bin/python -m bench.find_mentor --reuse --cold --profile   # where the time goes
    .venv/bin/python -m bench.find_mentor --reuse --page             # the whole page, 200 questions

Without a cache scope find_mentors computes everything afresh. With --cold each call takes the
finder page's cached path with every cache emptied first (what a search costs right after a
change); --profile writes pyinstrument's summary of the timed calls to bench/profiles/.

--page asks the load bench's 200 distinct questions (bench/questions.py) of the whole finder page
through Flask's test client, as signed-in teachers: each question once with every cache emptied
(cold), then again (warm). Figures that do not depend on the machine's load: SQL statements per
request, and CPU time: the app's (time.process_time around the request) and, on PostgreSQL, the
server's (the backend process's user + system time from /proc, summed over the run).
"""

import argparse
import os
import random
import statistics
import sys
import time as clock
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import event, make_url, select

from bench import seed_district
from bench.statements import StatementCounter
from helpdesk import create_app
from helpdesk.accounts.models import Role, User
from helpdesk.extensions import db
from helpdesk.finder import cache as finder_cache
from helpdesk.finder.services import PAGE_SIZE, find_mentors
from helpdesk.mentors.models import MentorSkill
from helpdesk.skills.models import Skill

DAYS = 14
SESSION_MINUTES = 30
WARM_UP = 20
PROFILES = Path(__file__).parent / "profiles"


@dataclass
class Result:
    database: str
    candidates: float
    matches: float
    timings_ms: list[float]
    cpu_ms: list[float]
    queries: float

    def percentile(self, p: int, cpu: bool = False) -> float:
        values = self.cpu_ms if cpu else self.timings_ms
        return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run(url: str, *, calls: int, seed: int, cold: bool = False, profile: bool = False) -> Result:
    """Time `calls` searches (after a warm-up) for random skills, teachers and start dates."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    rng = random.Random(seed)
    with app.app_context():
        skill_ids = list(db.session.scalars(select(Skill.id).order_by(Skill.id)))
        teacher_ids = list(
            db.session.scalars(select(User.id).where(User.role == Role.TEACHER).order_by(User.id))
        )
        candidates_by_skill = dict(
            db.session.execute(
                select(MentorSkill.skill_id, db.func.count())
                .join(User, User.id == MentorSkill.mentor_id)
                .where(User.is_active.is_(True))
                .group_by(MentorSkill.skill_id)
            ).all()
        )
        statements = 0

        def count(*_args) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine, "before_cursor_execute", count)
        today = seed_district.NOW.date()
        timings, cpu, matches, queries, candidates = [], [], [], [], []
        for number in range(WARM_UP + calls):
            skill_id = rng.choice(skill_ids)
            start = today + timedelta(days=rng.randint(0, DAYS))
            db.session.remove()
            # A GET request: on SQLite its transaction is a plain BEGIN, as in the finder's view.
            with app.test_request_context("/find/", method="GET"):
                # The signed-in teacher is loaded before the view runs, as Flask-Login does.
                teacher = db.session.get(User, rng.choice(teacher_ids))
                if cold:
                    finder_cache.cache.clear()
                statements = 0
                timed = profiler if profiler is not None and number >= WARM_UP else nullcontext()
                started, cpu_started = clock.perf_counter(), clock.thread_time()
                with timed:
                    found = _search(
                        cold,
                        skill_id=skill_id,
                        start=start,
                        end=start + timedelta(days=DAYS - 1),
                        session_minutes=SESSION_MINUTES,
                        now=seed_district.NOW,
                        teacher=teacher,
                        limit=PAGE_SIZE + 1,  # what the page asks for: one page of mentors
                    )
                elapsed = clock.perf_counter() - started
                cpu_used = clock.thread_time() - cpu_started
                db.session.rollback()
            if number >= WARM_UP:
                timings.append(elapsed * 1000)
                cpu.append(cpu_used * 1000)
                matches.append(len(found))
                queries.append(statements)
                candidates.append(candidates_by_skill.get(skill_id, 0))
        event.remove(db.engine, "before_cursor_execute", count)
        db.session.remove()
        db.engine.dispose()
    if profiler is not None:
        backend = make_url(url).get_backend_name()
        PROFILES.mkdir(exist_ok=True)
        path = PROFILES / f"find_mentor-{'cold' if cold else 'uncached'}-{backend}.txt"
        path.write_text(profiler.output_text(unicode=True, color=False, short_mode=False))
        print(f"profile written to {path}", file=sys.stderr)
    return Result(
        database=make_url(url).get_backend_name(),
        candidates=statistics.fmean(candidates),
        matches=statistics.fmean(matches),
        timings_ms=timings,
        cpu_ms=cpu,
        queries=statistics.fmean(queries),
    )


def _search(cold: bool, **question):
    """The uncached path, or (cold) the finder page's cached path with empty caches."""
    if not cold:
        return find_mentors(**question)
    scope = finder_cache.cache_scope(question["now"])
    return find_mentors(**question, scope=scope)


@dataclass
class PageResult:
    database: str
    questions: int
    cold_statements: list[int]
    warm_statements: list[int]
    cold_cpu_ms: list[float]
    warm_cpu_ms: list[float]
    server_cpu_ms: dict[str, float]  # PostgreSQL backend CPU per request, by pass
    floor_statements: list[int]
    floor_cpu_ms: list[float]

    def row(self, which: str) -> str:
        statements = getattr(self, f"{which}_statements")
        cpu = getattr(self, f"{which}_cpu_ms")
        server = self.server_cpu_ms.get(which)
        spread = Counter(statements).most_common(3)
        over_floor = statistics.fmean(cpu) / statistics.fmean(self.floor_cpu_ms)
        return (
            f"| {self.database} | {_PASSES[which]} | {statistics.fmean(statements):.1f} "
            f"| {', '.join(f'{n} ({k}×)' for n, k in spread)} "
            f"| {_cut(cpu, 50):.1f} / {_cut(cpu, 95):.1f} / {_cut(cpu, 99):.1f} "
            f"| {over_floor:.2f} | {'–' if server is None else f'{server:.2f}'} |"
        )


_PASSES = {
    "cold": "find a mentor, every cache emptied",
    "warm": "find a mentor, asked again",
    "floor": "floor page (bench/load.py's)",
}


def _cut(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run_page(url: str, *, seed: int, questions_seed: int, profile: bool = False) -> PageResult:
    """The finder page for 200 distinct questions, each cold (every cache emptied), then warm."""
    from bench import questions
    from helpdesk.availability.services import program_settings
    from helpdesk.clock import set_clock
    from helpdesk.schools.models import School

    set_clock(lambda: seed_district.NOW)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BENCH_ROUTES": True})
    backend = make_url(url).get_backend_name()
    rng = random.Random(seed)
    backends: set[int] = set()  # PostgreSQL server processes serving this app
    with app.app_context():
        if backend == "postgresql":

            @event.listens_for(db.engine, "connect")
            def _remember_backend(dbapi_connection, _record) -> None:
                with dbapi_connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    backends.add(cursor.fetchone()[0])

        skill_ids = list(db.session.scalars(select(Skill.id).order_by(Skill.id)))
        school_ids = list(db.session.scalars(select(School.id).order_by(School.id)))
        lengths = program_settings().lengths
        teachers = rng.sample(
            list(
                db.session.execute(
                    select(User.id, User.session_version)
                    .where(User.role == Role.TEACHER, User.is_active.is_(True))
                    .order_by(User.id)
                )
            ),
            24,
        )
        db.session.remove()
        engine = db.engine
    paths = questions.finder_paths(
        random.Random(questions_seed),
        count=200,
        today=seed_district.NOW.date(),
        skill_ids=skill_ids,
        lengths=lengths,
        school_ids=school_ids,
    )
    clients = []
    for teacher_id, version in teachers:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = f"{teacher_id}:{version}"  # as Flask-Login keeps it
            session["_fresh"] = True
        clients.append(client)
    statements = StatementCounter(engine).attach()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
    figures: dict[str, tuple[list[int], list[float]]] = {
        "cold": ([], []),
        "warm": ([], []),
        "floor": ([], []),
    }
    server_used = dict.fromkeys(figures, 0.0)
    # Warm-up: the templates compiled and a connection open before anything is counted.
    clients[0].get(paths[0])
    clients[0].get("/bench/floor")
    # Each question three times in a row, so the machine's load weighs alike on all three: with
    # every cache emptied, again (what the first left in the caches), and the floor page.
    for number, path in enumerate(paths):
        client = clients[number % len(clients)]
        for which in figures:
            if which == "cold":
                for cache in _all_caches():
                    cache.clear()
            statements.reset()
            timed = profiler if profiler is not None and which == "cold" else nullcontext()
            server_started = _backend_cpu_ms(backends)
            cpu_started = clock.process_time()
            with timed:
                response = client.get("/bench/floor" if which == "floor" else path)
            cpu_used = clock.process_time() - cpu_started
            server_used[which] += _backend_cpu_ms(backends) - server_started
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
            figures[which][0].append(statements.count)
            figures[which][1].append(cpu_used * 1000)
    server_cpu = {k: v / len(paths) for k, v in server_used.items()} if backends else {}
    statements.detach()
    with app.app_context():
        db.engine.dispose()
    set_clock(None)
    if profiler is not None:
        PROFILES.mkdir(exist_ok=True)
        path = PROFILES / f"find_page-cold-{backend}.txt"
        path.write_text(profiler.output_text(unicode=True, color=False, short_mode=False))
        print(f"profile written to {path}", file=sys.stderr)
    return PageResult(
        backend,
        len(paths),
        figures["cold"][0],
        figures["warm"][0],
        figures["cold"][1],
        figures["warm"][1],
        server_cpu,
        figures["floor"][0],
        figures["floor"][1],
    )


def _all_caches():
    from helpdesk.stamped_cache import _caches

    return list(_caches)


def _backend_cpu_ms(pids: set[int]) -> float:
    """User + system CPU of these PostgreSQL backends so far (same machine), in ms."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total * 1000 / ticks


def page_table(results: list[PageResult]) -> str:
    lines = [
        "| database | page, caches | statements per request (mean) | most common | "
        "app CPU p50 / p95 / p99 ms | app CPU ÷ floor's (means) "
        "| PostgreSQL server CPU per request, ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines += [r.row("cold"), r.row("warm"), r.row("floor")]
    return "\n".join(lines)


def table(results: list[Result]) -> str:
    lines = [
        "| database | mentors with the skill (avg) | matches (avg) | p50 ms | p95 ms | p99 ms "
        "| queries per call | app CPU p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.candidates:.0f} | {r.matches:.0f} | {r.percentile(50):.1f} "
            f"| {r.percentile(95):.1f} | {r.percentile(99):.1f} | {r.queries:.0f} "
            f"| {r.percentile(50, cpu=True):.1f} / {r.percentile(95, cpu=True):.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep databases already seeded")
    parser.add_argument("--calls", type=int, default=300, help="timed calls per database")
    parser.add_argument("--seed", type=int, default=7, help="random seed for the searches")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--sqlite", default=seed_district.DEFAULT_SQLITE_URL)
    parser.add_argument("--postgres", default=seed_district.DEFAULT_POSTGRES_URL)
    parser.add_argument("--cold", action="store_true", help="the page's path, caches emptied")
    parser.add_argument("--profile", action="store_true", help="write a pyinstrument profile")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--page", action="store_true", help="the whole page, 200 questions")
    parser.add_argument("--questions-seed", type=int, default=11)
    args = parser.parse_args(argv)

    urls = [args.sqlite, args.postgres]
    if args.only:
        urls = [u for u in urls if make_url(u).get_backend_name() == args.only]
    results = []
    for url in urls:
        name = make_url(url).render_as_string()
        if args.reuse and seed_district.database_exists(url):
            print(f"reusing {name}", file=sys.stderr)
        else:
            print(f"seeding {name}", file=sys.stderr)
            seed_district.seed(url, sessions=args.sessions)
        if args.page:
            print(f"asking the finder page 200 questions on {name}", file=sys.stderr)
            results.append(
                run_page(
                    url, seed=args.seed, questions_seed=args.questions_seed, profile=args.profile
                )
            )
            continue
        print(f"timing {args.calls} calls on {name}", file=sys.stderr)
        results.append(
            run(url, calls=args.calls, seed=args.seed, cold=args.cold, profile=args.profile)
        )
    if args.page:
        print(
            f"the finder page: 200 distinct questions (seed {args.questions_seed}) by 24 "
            f"teachers, each cold (every cache emptied) then warm; now "
            f"{seed_district.NOW:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f} at the end"
        )
        print(page_table(results))
        return
    print(
        f"find_mentors: one skill, {DAYS} days, {SESSION_MINUTES}-minute sessions, "
        f"{'cold cache' if args.cold else 'uncached'}, "
        f"now {seed_district.NOW:%Y-%m-%d %H:%M} UTC, {args.calls} calls after {WARM_UP} warm-up; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    )
    print(table(results))


if __name__ == "__main__":
    main()
