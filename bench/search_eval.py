"""Tip search relevance: seed a labelled tip library, run teachers' queries, score the ranking.

    DATABASE_URL=sqlite:////tmp/eval.sqlite .venv/bin/python bench/search_eval.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/search_eval \
        .venv/bin/python bench/search_eval.py --show-misses

The database is migrated, its tips are deleted and the library in bench/search_eval/tips.json is
seeded; so it refuses any database whose name lacks "eval", except a SQLite file under /tmp.
Each query in bench/search_eval/queries.json goes through services.search_tips as typed; a query
scores a hit at 5 when one of its answers is among the first 5 tips, and a reciprocal rank of
1/rank of its first answer in the first 10 (0 when none is). Printed per kind and overall.
"""

import argparse
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import delete, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from helpdesk import create_app  # noqa: E402
from helpdesk.accounts.models import Role, User  # noqa: E402
from helpdesk.extensions import db  # noqa: E402
from helpdesk.schools.models import School  # noqa: E402
from helpdesk.skills.models import Skill  # noqa: E402
from helpdesk.tips import services  # noqa: E402
from helpdesk.tips.index import rebuild  # noqa: E402
from helpdesk.tips.markdown import render_plain  # noqa: E402
from helpdesk.tips.models import Device, Tip, TipEvent, TipStatus, TipVote, tip_skill  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "search_eval"
KINDS = ("question", "sentence", "typo", "synonym", "keyword")
HIT_AT = 5
MRR_AT = 10
# Fixed publication times, a day apart in file order: the same rows on every run.
PUBLISHED_FROM = datetime(2026, 9, 1, 15, 0, tzinfo=UTC)
MENTOR_EMAIL = "eval.mentor@eval.example.org"


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    query: Query
    titles: tuple[str, ...]  # the first MRR_AT results, best first

    @property
    def rank(self) -> int | None:
        """1-based rank of the first right tip among the results, or None."""
        return next((n for n, t in enumerate(self.titles, 1) if t in self.query.answers), None)

    @property
    def is_hit(self) -> bool:
        return self.rank is not None and self.rank <= HIT_AT

    @property
    def reciprocal_rank(self) -> float:
        return 1 / self.rank if self.rank is not None else 0.0


def load_tips() -> list[dict]:
    """The library: title, skills (names), devices (Device slugs) and a Markdown body each."""
    return json.loads((CORPUS / "tips.json").read_text(encoding="utf-8"))


def load_queries() -> list[Query]:
    """The labelled queries, in file order; answers are tip titles."""
    rows = json.loads((CORPUS / "queries.json").read_text(encoding="utf-8"))
    return [Query(r["query"], r["kind"], tuple(r["answers"])) for r in rows]


def _devices(slugs: list[str]) -> int:
    bits = 0
    for slug in slugs:
        device = Device.from_slug(slug)
        if device is None:
            raise ValueError(f"unknown device {slug!r}")
        bits |= device
    return int(bits)


def seed_library(session: Session) -> int:
    """Add the library's tips, published and credited to one mentor; flushes, returns how many."""
    school = session.scalar(select(School).order_by(School.id)) or School(
        name="Eval High", timezone="America/New_York"
    )
    session.add(school)
    mentor = session.scalar(select(User).where(User.email == MENTOR_EMAIL))
    if mentor is None:
        mentor = User(email=MENTOR_EMAIL, full_name="Eval Mentor", role=Role.MENTOR,
                      school=school, grade=11)  # fmt: skip
        session.add(mentor)
    skills = {s.name: s for s in session.scalars(select(Skill))}
    session.flush()
    tips = load_tips()
    for index, row in enumerate(tips):
        for name in row["skills"]:
            if name not in skills:
                skills[name] = Skill(name=name)
                session.add(skills[name])
        published_at = PUBLISHED_FROM + timedelta(days=index)
        tip = Tip(
            title=row["title"],
            body=row["body"],
            body_text=render_plain(row["body"]),
            tags_text=", ".join(row["skills"]),
            devices=_devices(row["devices"]),
            status=TipStatus.PUBLISHED,
            author_id=mentor.id,
            mentor_id=mentor.id,
            created_at=published_at,
            updated_at=published_at,
            published_at=published_at,
        )
        tip.skills = [skills[name] for name in row["skills"]]
        session.add(tip)
    session.flush()
    return len(tips)


def wipe_tips(session: Session) -> None:
    """Delete every tip with its votes, history and skill links (help requests keep a NULL)."""
    for table in (tip_skill, TipVote.__table__, TipEvent.__table__, Tip.__table__):
        session.execute(delete(table))
    session.flush()


def check_url(url: str) -> None:
    """Refuse a database that might hold real data: this script deletes every tip."""
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() == "sqlite":
        # A scratch file the runner is told to fill, not a temporary file it creates.
        if name.startswith("/tmp/") or "eval" in Path(name).name:  # noqa: S108
            return
    elif "eval" in name:
        return
    sys.exit(f"Refusing {parsed.render_as_string(hide_password=True)}: it deletes every tip, "
             "so use a database whose name contains 'eval' or a SQLite file under /tmp.")  # fmt: skip


def evaluate(queries: list[Query]) -> list[Outcome]:
    """Run each query through the search service as typed, keeping the first MRR_AT titles."""
    outcomes = []
    for query in queries:
        page = services.search_tips(query.text, per_page=MRR_AT)
        outcomes.append(Outcome(query, tuple(tip.title for tip in page.tips[:MRR_AT])))
        db.session.rollback()
    return outcomes


def report(outcomes: list[Outcome], *, show_misses: bool = False) -> str:
    groups = [(kind, [o for o in outcomes if o.query.kind == kind]) for kind in KINDS]
    groups.append(("overall", outcomes))
    lines = [f"{'kind':<10} {'queries':>7} {'hit@5':>7} {'MRR@10':>7}"]
    for kind, group in groups:
        if not group:
            continue
        hits = sum(o.is_hit for o in group) / len(group)
        mrr = sum(o.reciprocal_rank for o in group) / len(group)
        lines.append(f"{kind:<10} {len(group):>7} {hits:>7.3f} {mrr:>7.3f}")
    if show_misses:
        misses = [o for o in outcomes if not o.is_hit]
        lines.append(f"\n{len(misses)} queries without a right tip in the first {HIT_AT}:")
        for o in misses:
            rank = f"rank {o.rank}" if o.rank else f"not in the first {MRR_AT}"
            lines.append(f"\n[{o.query.kind}] {o.query.text!r} ({rank})")
            lines.append(f"  wanted: {' | '.join(o.query.answers)}")
            for n, title in enumerate(o.titles[:HIT_AT], 1):
                lines.append(f"  {n}. {title}")
            if not o.titles:
                lines.append("  (no results)")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true",
                        help="print each query that missed, with its first 5 titles")  # fmt: skip
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to the database to fill (its tips are deleted first).")
    check_url(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        wipe_tips(db.session)
        rebuild(db.session.connection())
        count = seed_library(db.session)
        # The rows above were indexed as they went in; a rebuild weighs them with the library's
        # true average length, as `flask tips reindex` would.
        rebuild(db.session.connection())
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(db.text("ANALYZE tip"))
            db.session.commit()
        queries = load_queries()
        print(f"{db.engine.dialect.name}: {count} tips, {len(queries)} queries")
        print(report(evaluate(queries), show_misses=args.show_misses))


if __name__ == "__main__":
    main()
