"""Benchmark: the advisor's dashboard and board report at district scale (issue 17, item 4).

Reuses the load bench's district (bench/load.py's databases: 1,000 mentors, 5,000 teachers,
200,000 sessions, 100,000 tips, 50,000 help requests; seed them with `bench.load` or
`bench.seed_district`) and asks the whole page through Flask's test client as the advisor:

- many distinct views: two terms (the fall term, over; the spring term, half gone) × every
  school and "all schools": 42 dashboards; each round asks every one-school view once and the
  all-schools views (the advisor's default, and the heaviest) ten times each, shuffled;
- writes alongside: between two views a help request is resolved (its school-clock time
  computed and stored) and a session completed, through the services, committed;
- interleaved with the floor page (bench/load.py's), floor, view, floor, view …, so the ratio
  compares like with like on a machine whose load changes;
- cold: the first views after the app starts (no compiled templates, empty caches).

Printed per database: server time (wall time of the in-process request, the database's work
included) p50 / p95 / max of the all-schools views, of the one-school views and of the floor page, SQL statements per view, and the
board report (HTML and PDF) for each term. The target: every view under 250 ms at the 95th
percentile on both databases; the dashboard keeps no cache, so this is its uncached cost.

    .venv/bin/python -m bench.dashboard                    # both databases, already seeded
    .venv/bin/python -m bench.dashboard --only sqlite --rounds 2
"""

import argparse
import os
import random
import statistics
import sys
import time as clock
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import make_url, select

from bench import seed_district
from bench.load import DEFAULT_POSTGRES_URL, DEFAULT_SQLITE_URL
from bench.statements import StatementCounter
from helpdesk import create_app
from helpdesk.accounts.models import Role, User
from helpdesk.bookings.models import Booking, BookingStatus
from helpdesk.clock import set_clock
from helpdesk.dashboard import services as dashboard
from helpdesk.dashboard.models import Term
from helpdesk.extensions import db
from helpdesk.requests import services as requests
from helpdesk.requests.models import HelpRequest, RequestStatus
from helpdesk.schools.models import School

TERMS = (
    ("Fall 2026", date(2026, 8, 31), date(2027, 1, 29)),
    ("Spring 2027", date(2027, 2, 1), date(2027, 6, 18)),
)
TARGET_P95_MS = 250.0
COLD_VIEWS = 3


@dataclass
class Figures:
    database: str
    all_ms: list[float] = field(default_factory=list)
    school_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    cold_ms: list[float] = field(default_factory=list)
    reports_ms: dict[str, float] = field(default_factory=dict)
    writes: int = 0
    load: float = 0.0

    def row(self) -> str:
        every, one, floor = _cut(self.all_ms), _cut(self.school_ms), _cut(self.floor_ms)
        met = "met" if max(every[1], one[1]) < TARGET_P95_MS else "**missed**"
        return (
            f"| {self.database} | {len(self.all_ms)} + {len(self.school_ms)} | "
            f"{every[0]:.0f} / {every[1]:.0f} / {every[2]:.0f} | "
            f"{one[0]:.0f} / {one[1]:.0f} / {one[2]:.0f} | {floor[0]:.1f} / {floor[1]:.1f} | "
            f"{statistics.median(self.all_ms) / statistics.median(self.floor_ms):.0f}× | "
            f"{min(self.statements)}–{max(self.statements)} | "
            f"{' / '.join(f'{ms:.0f}' for ms in self.cold_ms)} | "
            f"{', '.join(f'{k} {v:.0f}' for k, v in self.reports_ms.items())} | "
            f"{self.writes} | {self.load:.1f} | {met} |"
        )


def _cut(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    p95 = statistics.quantiles(ordered, n=100, method="inclusive")[94]
    return statistics.median(ordered), p95, ordered[-1]


def _terms() -> list[int]:
    """The two terms, added once (the seeded district has none)."""
    ids = []
    for name, starts_on, ends_on in TERMS:
        term = db.session.scalar(select(Term).where(Term.name == name))
        ids.append((term or dashboard.add_term(name, starts_on, ends_on)).id)
    db.session.commit()
    return ids


def _write(rng: random.Random, advisor_id: int, now) -> None:
    """What the district does meanwhile: a help request resolved, a session completed."""
    advisor = db.session.get(User, advisor_id)
    open_ids = db.session.scalars(
        select(HelpRequest.id)
        .where(HelpRequest.status.in_((RequestStatus.CLAIMED, RequestStatus.WAITING)))
        .limit(50)
    ).all()
    if open_ids:
        help_request = db.session.get(HelpRequest, rng.choice(open_ids))
        requests.resolve_request(help_request, advisor, now, "Fixed at the desk", minutes=15)
    booking = db.session.scalar(
        select(Booking)
        .where(Booking.status == BookingStatus.APPROVED, Booking.ends_at < now)
        .limit(1)
    )
    if booking is not None:
        booking.status = BookingStatus.COMPLETED
    db.session.commit()


def run(url: str, *, rounds: int, seed: int) -> Figures:
    set_clock(lambda: seed_district.NOW)
    backend = make_url(url).get_backend_name()
    figures = Figures(backend)
    rng = random.Random(seed)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BENCH_ROUTES": True})
    with app.app_context():
        term_ids = _terms()
        school_ids = [0, *db.session.scalars(select(School.id).order_by(School.id))]
        advisor_id, version = db.session.execute(
            select(User.id, User.session_version).where(User.role == Role.ADVISOR).limit(1)
        ).one()
        db.session.remove()
        engine = db.engine
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"{advisor_id}:{version}"
        session["_fresh"] = True
    views = [f"/dashboard/?term={t}&school={s}" for t in term_ids for s in school_ids]
    asked = views + [f"/dashboard/?term={t}&school=0" for t in term_ids] * 9
    statements = StatementCounter(engine).attach()

    def timed(path: str) -> float:
        statements.reset()
        started = clock.perf_counter()
        response = client.get(path)
        elapsed = (clock.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return elapsed

    for path in rng.sample(views, COLD_VIEWS):  # the first views after the app starts
        figures.cold_ms.append(timed(path))
    for _ in range(rounds):
        for path in rng.sample(asked, len(asked)):
            figures.floor_ms.append(timed("/bench/floor"))
            (figures.all_ms if path.endswith("school=0") else figures.school_ms).append(timed(path))
            figures.statements.append(statements.count)
            with app.app_context():
                _write(rng, advisor_id, seed_district.NOW + timedelta(minutes=figures.writes))
                figures.writes += 1
    for term_id, (name, *_) in zip(term_ids, TERMS, strict=True):
        figures.reports_ms[f"{name} HTML"] = timed(f"/dashboard/report?term={term_id}")
        figures.reports_ms[f"{name} PDF"] = timed(f"/dashboard/report.pdf?term={term_id}")
    statements.detach()
    figures.load = os.getloadavg()[0]
    with app.app_context():
        db.engine.dispose()
    set_clock(None)
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default=DEFAULT_SQLITE_URL)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one database only")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the 42 views (see above)")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    urls = [args.sqlite, args.postgres]
    if args.only:
        urls = [u for u in urls if make_url(u).get_backend_name() == args.only]
    results = []
    for url in urls:
        if not seed_district.database_exists(url):
            sys.exit(f"{make_url(url).render_as_string()} is not seeded: run bench.load first")
        print(f"timing the dashboard on {make_url(url).render_as_string()}", file=sys.stderr)
        results.append(run(url, rounds=args.rounds, seed=args.seed))
    print(
        f"The dashboard at district scale: 42 views (2 terms × 20 schools and all; the all-schools "
        f"ones ten times a round), "
        f"{args.rounds} rounds interleaved with the floor page, a write between views; now "
        f"{seed_district.NOW:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs\n"
    )
    print(
        "| database | views (all + one school) | all schools p50 / p95 / max ms | one school "
        "p50 / p95 / max ms | floor p50 / p95 ms | all schools ÷ floor (p50) | statements per view | cold: first views ms | board report ms | writes "
        "| load avg | target (p95 < 250 ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|")
    for figures in results:
        print(figures.row())


if __name__ == "__main__":
    main()
