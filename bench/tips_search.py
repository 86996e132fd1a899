"""Tip search speed: seed N realistic published tips into DATABASE_URL, time the search service.

    DATABASE_URL=sqlite:////tmp/tips-bench.db .venv/bin/python bench/tips_search.py
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/helpdesk_bench \
        .venv/bin/python bench/tips_search.py

Options: --tips N (default 100000), --runs R (passes over each kind's queries, default 20),
--reseed (wipe the tips first). The database is migrated first; seeding is skipped when it
already holds N published tips. Times are server time of services.search_tips (the service call:
search, ranking, highlighting and loading the page's tips), not the HTTP stack.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import flask_migrate  # noqa: E402
from sqlalchemy import delete, func, insert, select  # noqa: E402

from helpdesk import create_app  # noqa: E402
from helpdesk.accounts.models import Role, User  # noqa: E402
from helpdesk.extensions import db  # noqa: E402
from helpdesk.schools.models import School  # noqa: E402
from helpdesk.skills.models import Skill  # noqa: E402
from helpdesk.tips import ranking, services  # noqa: E402
from helpdesk.tips import search as tip_search  # noqa: E402
from helpdesk.tips.index import rebuild  # noqa: E402
from helpdesk.tips.models import Tip, TipStatus, tip_skill  # noqa: E402
from helpdesk.tips.query import build_query  # noqa: E402
from helpdesk.tips.search import Sort  # noqa: E402
from helpdesk.tips.synonyms import install_starter_groups, synonym_groups  # noqa: E402

APPS = """Google Docs|Google Slides|Google Sheets|Google Forms|Google Classroom|Google Drive|
Canvas|Schoology|Seesaw|Kahoot|Quizlet|Nearpod|Padlet|Flip|iMovie|Clips|GarageBand|Keynote|
Pages|Numbers|Word|PowerPoint|Excel|OneNote|Teams|Outlook|Zoom|Screencastify|WeVideo|Canva|
Book Creator|Desmos|Edpuzzle|Pear Deck|Jamboard|YouTube|Gmail|Calendar|Chrome|Safari""".replace(
    "\n", ""
).split("|")
DEVICES = [
    "iPad",
    "Chromebook",
    "Windows laptop",
    "Mac",
    "smartboard",
    "projector",
    "document camera",
]
ACTIONS = """share|trim|record|export|import|embed|duplicate|rename|organize|schedule|grade|comment on|
mirror|cast|print|download|upload|restore|archive|caption|narrate|crop|resize|translate|link|
present|publish|assign|collect|sort|filter|mute|pin|lock|unlock|sync|back up|convert|annotate|
highlight""".replace("\n", "").split("|")
OBJECTS = """document|slide deck|spreadsheet|quiz|rubric|video clip|audio track|screen recording|
photo|folder|assignment|announcement|gradebook|calendar invite|meeting link|template|worksheet|
playlist|poster|portfolio|podcast episode|timeline|chart|table|form response|survey|
discussion post|reading list|vocabulary set|lab report|storyboard|newsletter|seating chart|
class website|sign-up sheet|exit ticket|bookmark|shortcut|password|printer queue""".replace(
    "\n", ""
).split("|")
SETTINGS = """sharing settings|display settings|privacy menu|version history|the toolbar|the side panel|
the File menu|the Insert menu|the share button|quick settings|accessibility options|the three-dot
menu|the gear icon|the admin console|notification settings|the student view""".replace(
    "\n", " "
).split("|")
SENTENCES = [
    "Open {app} and go to {setting} to {action} the {obj}.",
    "To {action} a {obj} on a {device}, tap the {obj} and choose {setting}.",
    "If students cannot see the {obj}, check {setting} in {app}.",
    "Click the {obj}, then {action} it with the options under {setting}.",
    "On a {device}, {app} keeps the {obj} in {setting}; you can {action} it from there.",
    "A quick way to {action} every {obj} at once is the select-all box in {app}.",
    "Teachers often ask how to {action} the {obj} without losing comments.",
    "Before class, {action} the {obj} so it is ready on the {device}.",
    "The {obj} may look different on a {device}; {setting} fixes most of it.",
    "Use keyboard shortcuts in {app} to {action} faster.",
    "Students can {action} their own {obj} once you allow it in {setting}.",
    "Save a copy first, then {action} the {obj} and compare with version history.",
]
TITLES = [
    "How to {action} a {obj} in {app}",
    "{action} your {obj} on a {device}",
    "Quick fix: {obj} will not {action}",
    "{app}: {action} the {obj} for the whole class",
    "Getting a {obj} to {action} from {app}",
]
SYLLABLES = [c + v for c in "bdklmnrstvz" for v in "aeiou"]


def _rare_words(rng: random.Random, count: int) -> list[str]:
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return sorted(words)


def _tip(rng: random.Random, rare: list[str], weights: list[float]) -> tuple[str, str]:
    def fill(template: str) -> str:
        return template.format(
            app=rng.choice(APPS),
            device=rng.choice(DEVICES),
            action=rng.choice(ACTIONS),
            obj=rng.choice(OBJECTS),
            setting=rng.choice(SETTINGS),
        )

    title = fill(rng.choice(TITLES))
    title = title[0].upper() + title[1:]
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        sentences = [fill(rng.choice(SENTENCES)) for _ in range(rng.randint(2, 4))]
        # A few uncommon words per tip (names of projects, rooms, gadgets): a long tail.
        sentences.append(
            "Also useful: " + ", ".join(rng.choices(rare, weights, k=rng.randint(1, 3))) + "."
        )
        paragraphs.append(" ".join(sentences))
    steps = "\n".join(f"{n}. {fill(rng.choice(SENTENCES))}" for n in range(1, rng.randint(2, 5)))
    return title[:120], "\n\n".join(paragraphs) + "\n\n" + steps


def seed(count: int, reseed: bool) -> None:
    if reseed:
        rebuild(db.session.connection(), tips=[])  # empties the index before its tips go
        db.session.execute(delete(tip_skill))
        db.session.execute(delete(Tip))
        db.session.commit()
    have = db.session.scalar(select(func.count(Tip.id)).where(Tip.status == TipStatus.PUBLISHED))
    if have >= count:
        print(f"{have:,} published tips already there; not seeding")
        if tip_search.DatabaseIndex(db.session.connection()).document_count() != have:
            rebuild(db.session.connection())
            db.session.commit()
            print("indexed them")
        return
    rng = random.Random(20261122)
    school = db.session.scalar(select(School)) or School(name="Bench High", timezone="UTC")
    db.session.add(school)
    db.session.flush()
    mentors = []
    for n in range(20):
        email = f"bench.mentor{n}@bench.example.org"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(email=email, full_name=f"Bench Mentor{n}", role=Role.MENTOR,
                        school=school, grade=10)  # fmt: skip
            db.session.add(user)
        mentors.append(user)
    skills = []
    for name in APPS[:30]:
        skill = db.session.scalar(select(Skill).where(Skill.name == name))
        if skill is None:
            skill = Skill(name=name)
            db.session.add(skill)
        skills.append(skill)
    db.session.commit()
    rare = _rare_words(rng, 20_000)
    weights = [1 / (rank + 1) for rank in range(len(rare))]  # Zipf-like
    started = time.perf_counter()
    base = datetime(2024, 1, 1, tzinfo=UTC)
    next_id = (db.session.scalar(select(func.max(Tip.id))) or 0) + 1
    batch, links = [], []
    from helpdesk.tips.markdown import render_plain

    for n in range(count - have):
        title, body = _tip(rng, rare, weights)
        tip_skills = rng.sample(skills, rng.randint(1, 3))
        when = base + timedelta(minutes=n * 7)
        mentor = rng.choice(mentors)
        batch.append({
            "id": next_id, "title": title, "body": body, "body_text": render_plain(body),
            "tags_text": ", ".join(sorted(s.name for s in tip_skills)),
            "devices": rng.choice([1, 2, 4, 8, 16, 3, 12, 16]), "status": "published",
            "review_comment": "", "author_id": mentor.id, "mentor_id": mentor.id,
            "view_count": rng.randint(0, 500), "helpful_count": rng.randint(0, 40),
            "created_at": when, "updated_at": when, "published_at": when,
        })  # fmt: skip
        links += [{"tip_id": next_id, "skill_id": s.id} for s in tip_skills]
        next_id += 1
        if len(batch) == 5000:
            db.session.execute(insert(Tip), batch)
            db.session.execute(insert(tip_skill), links)
            batch, links = [], []
    if batch:
        db.session.execute(insert(Tip), batch)
        db.session.execute(insert(tip_skill), links)
    db.session.commit()
    print(f"seeded {count - have:,} tips in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    indexed = rebuild(db.session.connection())
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # As autovacuum would: statistics, and the visibility map that lets the postings'
        # index answer alone (index-only scans).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ("tip", "search_posting", "search_term", "search_word"):
                connection.execute(db.text(f"VACUUM ANALYZE {table}"))
    print(f"indexed {indexed:,} tips in {time.perf_counter() - started:.1f} s")


def _matches(word: str) -> int:
    return services.search_tips(word).total


def query_kinds(rng: random.Random) -> dict[str, list[str]]:
    rare = _rare_words(random.Random(20261122), 20_000)  # same list as the seed
    return {
        "common word": ["open", "settings", "class", "students", "menu", "copy", "tap", "click",
                        "share", "document", "video", "ipad"],
        "sentence": ["how do I share a document with my class",
                     "students cannot see the quiz on their chromebook",
                     "my video clip will not export from imovie",
                     "how can I print the seating chart",
                     "the projector shows nothing when I mirror my ipad",
                     "I want to schedule an announcement for monday",
                     "kids can't hear the audio track in the slide deck",
                     "where is version history in google docs",
                     "how do students upload a photo to the portfolio",
                     "grade the exit ticket in google forms"],
        "typo": ["chromebok", "spredsheet", "prsentation", "documnet", "anouncement",
                 "gradebok export", "screen recordng", "captoin video", "podcst episode",
                 "kahot quiz"],
        "rare word": [rare[i] for i in rng.sample(range(2000, 20_000), 8)],
        "two words": ["share document", "ipad video", "quiz grade", "chromebook cast",
                      "slide present", "printer queue", "caption video", "gradebook export"],
        "three words": ["share google document", "record screen chromebook",
                        "trim video clip", "export gradebook spreadsheet",
                        "mirror ipad projector", "schedule announcement classroom",
                        "rubric assignment canvas", "podcast audio garageband"],
        "phrase": ['"version history"', '"screen recording"', '"sharing settings"',
                   '"video clip"', '"three-dot menu"', '"exit ticket"', '"seating chart"',
                   '"class website"'],
        "prefix": ["chromeb", "presen", "spreadsh", "annot", "scre", "gradeb", "podc", "narr"],
        "no match": ["xylophonequartz", "zzzzqqq", "flibbertigibbet", "quokkaplasm",
                     "blorptastic", "snorfwax", "grimblewick", "tromboneflux"],
    }  # fmt: skip


def is_proven(query: str) -> bool:
    """Whether the ranking's bounds proved the first page exact within its bounded work."""
    connection = db.session.connection()
    return tip_search.search(connection, query, synonym_groups=synonym_groups()).is_exact


def overlap(query: str, page: int = 20) -> float:
    """Share of the app's first page that an exact ranking of the whole library also puts on
    its first page (every matching tip scored, no early stop)."""
    shown = [t.id for t in services.search_tips(query, per_page=page).tips]
    connection = db.session.connection()
    built = build_query(query, tip_search.DatabaseIndex(connection), synonym_groups())
    if built.is_empty:
        return 1.0
    index = tip_search.DatabaseIndex(connection, phrases=built.phrases)
    exact = ranking.exhaustive(built.concepts, built.idf, index.all_weights(sorted(built.idf)))
    best = {tip_id for tip_id, _ in exact[:page]}
    if not best:
        return 1.0 if not shown else 0.0
    return len(best & set(shown)) / len(best)


def measure(runs: int) -> None:
    rng = random.Random(7)
    kinds = query_kinds(rng)
    for queries in kinds.values():  # warm caches once
        for q in queries:
            services.search_tips(q)
    db.session.rollback()
    dialect = db.engine.dialect.name
    total_tips = db.session.scalar(
        select(func.count(Tip.id)).where(Tip.status == TipStatus.PUBLISHED)
    )
    print(f"\n{dialect}: {total_tips:,} published tips; {runs} runs per query; ms of server time")
    print(
        f"{'kind':<13} {'matches':>14} {'overlap':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}"
    )
    everything: list[float] = []
    for kind, queries in kinds.items():
        times = []
        for _ in range(runs):
            for q in queries:
                started = time.perf_counter()
                services.search_tips(q, sort=Sort.RELEVANCE)
                times.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
        everything += times
        matches = [_matches(q) for q in queries]
        agreement = statistics.mean(overlap(q) for q in queries)
        proven = sum(is_proven(q) for q in queries)
        db.session.rollback()
        _print_row(kind, f"{min(matches)}–{max(matches)}", f"{agreement:.3f}",
                   f"{proven}/{len(queries)}", times)  # fmt: skip
    _print_row("all", "", "", "", everything)


def _print_row(kind: str, matches: str, agreement: str, proven: str, times: list[float]) -> None:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    print(
        f"{kind:<13} {matches:>14} {agreement:>8} {proven:>7} {cuts[49]:>7.2f} {cuts[94]:>7.2f}"
        f" {cuts[98]:>7.2f} {max(times):>7.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tips", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Set DATABASE_URL to the database to fill (it gets up to --tips tips).")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        install_starter_groups()
        db.session.commit()
        seed(args.tips, args.reseed)
        measure(args.runs)


if __name__ == "__main__":
    main()
