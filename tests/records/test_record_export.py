"""A person's whole record: the page, the ZIP (every kind, for a demo mentor), who may have it."""

import csv
import io
import json
import sqlite3
import zipfile
from datetime import UTC, datetime

import pytest
from PIL import Image

from helpdesk.access_log.models import AccessLogEntry
from helpdesk.accounts.models import Role, User
from helpdesk.demo import seed
from helpdesk.extensions import db as _db
from helpdesk.records.kinds import KINDS, NOT_EXPORTED, tables_exported
from helpdesk.requests import services as requests
from helpdesk.requests.models import HelpRequest

MONDAY = datetime(2026, 11, 16, 13, 0, tzinfo=UTC)
# What the issue lists, as the ZIP's files: each must hold at least one row for the demo mentor.
ISSUE_KINDS = (
    "profile",
    "skills",
    "availability",
    "sessions",
    "session_notes",
    "reflections",
    "tips",
    "help_requests",
    "help_request_messages",
    "screenshots",
    "hours",
    "kudos",
    "notifications",
    "access_log",
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _user(name: str) -> User:
    return _db.session.scalar(_db.select(User).where(User.full_name == name))


@pytest.fixture
def demo(db, clock):
    """The demo district on a Monday; the teacher who asked Priya for help sends the screenshot
    Priya asked for."""
    clock.now = MONDAY
    seed()
    priya = _user("Priya Natarajan")
    asked = db.session.scalar(
        db.select(HelpRequest).where(
            HelpRequest.mentor_id == priya.id, HelpRequest.summary.like("Can't share%")
        )
    )
    requests.add_screenshot(asked, asked.requester, png())
    db.session.commit()
    return priya


def _zip(response) -> zipfile.ZipFile:
    with response:  # closes the archive's spooled file, as a WSGI server does
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert response.mimetype == "application/zip"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=helpdesk-")
        return zipfile.ZipFile(io.BytesIO(response.get_data()))


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_zip_of_a_demo_mentor_holds_every_kind_and_the_export_is_logged(client, login_as, demo):
    advisor = login_as(Role.ADVISOR, full_name="Ms Advisor")
    page = client.get(f"/records/{demo.id}")
    assert page.status_code == 200
    assert "Download everything (ZIP)" in page.get_data(as_text=True)

    archive = _zip(client.post_form(f"/records/{demo.id}/export"))

    names = set(archive.namelist())
    assert {"index.html", "record.json"} <= names
    assert {f"{key}.csv" for key, *_ in KINDS} <= names
    for kind in ISSUE_KINDS:
        assert _csv(archive, f"{kind}.csv"), f"{kind}.csv is empty"
    shots = [n for n in names if n.startswith("screenshots/")]
    assert len(shots) == 1 and archive.read(shots[0]).startswith(b"\x89PNG")
    assert _csv(archive, "screenshots.csv")[0]["file"] == shots[0]
    assert any(r["kudos"] for r in _csv(archive, "kudos.csv"))
    assert _csv(archive, "profile.csv")[0]["email"] == demo.email
    logged = [(r["action"], r["actor_id"]) for r in _csv(archive, "access_log.csv")]
    assert logged[0][0] == "profile.viewed"  # the demo's history
    assert logged[-1] == ("record.viewed", str(advisor.id))

    document = json.loads(archive.read("record.json"))
    assert document["person_id"] == demo.id
    assert document["totals"]["hours"] > 0
    assert set(document["sections"]) == {key for key, *_ in KINDS}

    index = archive.read("index.html").decode()
    assert "Priya Natarajan" in index
    assert 'src="http' not in index and 'href="http' not in index  # nothing from another host
    assert '<img src="screenshots/' in index

    entries = _db.session.scalars(
        _db.select(AccessLogEntry).where(
            AccessLogEntry.subject_id == demo.id, AccessLogEntry.actor_id == advisor.id
        )
    ).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("record.viewed", advisor.id),
        ("record.exported", advisor.id),
    ]
    assert "Priya" not in entries[1].detail and "screenshot" in entries[1].detail


def test_every_table_that_points_at_a_person_is_exported_or_excused(app):
    """A new table referring to a person (directly or through another such table) must be added
    to the record, or to NOT_EXPORTED with the reason."""
    about_people = {"user_account"}
    grew = True
    while grew:
        grew = False
        for table in _db.metadata.sorted_tables:
            refers = {fk.column.table.name for fk in table.foreign_keys}
            if table.name not in about_people and refers & about_people:
                about_people.add(table.name)
                grew = True
    covered = tables_exported() | set(NOT_EXPORTED)
    assert about_people - covered == set()
    assert "access_log_entry" in tables_exported()  # plain ids, no foreign key: listed by hand
    assert set(NOT_EXPORTED) <= about_people  # no stale excuses


def test_text_in_the_record_is_escaped_and_csv_cells_cannot_run_formulas(
    client, login_as, make_user, db
):
    login_as(Role.ADVISOR)
    mentor = make_user(Role.MENTOR, full_name='=HYPERLINK("http://x") <script>alert(1)</script>')
    archive = _zip(client.post_form(f"/records/{mentor.id}/export", page=f"/records/{mentor.id}"))
    index = archive.read("index.html").decode()
    assert "<script>alert(1)</script>" not in index
    assert "&lt;script&gt;" in index
    row = _csv(archive, "profile.csv")[0]
    assert row["full_name"].startswith("'=HYPERLINK")
    json_name = json.loads(archive.read("record.json"))["sections"]["profile"][0]["full_name"]
    assert json_name.startswith("=HYPERLINK")  # JSON is data for programs: kept as typed
    assert all(not name.startswith(("/", "..")) and ".." not in name for name in archive.namelist())


def test_secret_links_in_copied_email_are_removed(client, login_as, make_user, db):
    from helpdesk.accounts.services import send_invitation

    login_as(Role.ADVISOR)
    mentor = make_user(Role.MENTOR, password=None)
    send_invitation(mentor)
    db.session.commit()
    archive = _zip(client.post_form(f"/records/{mentor.id}/export", page=f"/records/{mentor.id}"))
    body = _csv(archive, "email.csv")[0]["body"]
    assert "/invitation/[link removed]" in body


def test_a_teachers_record_can_be_exported_too(client, login_as, make_user, db):
    login_as(Role.ADVISOR)
    teacher = make_user(Role.TEACHER)
    archive = _zip(client.post_form(f"/records/{teacher.id}/export", page=f"/records/{teacher.id}"))
    assert _csv(archive, "profile.csv")[0]["role"] == "teacher"
    assert _csv(archive, "sessions.csv") == []


@pytest.mark.parametrize("role", [Role.MENTOR, Role.TEACHER, Role.STAFF])
def test_only_the_advisor_sees_or_exports_a_record(client, login_as, make_user, db, role):
    someone = make_user(Role.MENTOR)
    me = login_as(role)
    for user_id in (someone.id, me.id):
        assert client.get(f"/records/{user_id}").status_code == 403
        response = client.post_form(f"/records/{user_id}/export")
        assert response.status_code == 403
    assert not db.session.scalars(db.select(AccessLogEntry)).all()


def test_signed_out_people_are_sent_to_sign_in(client, make_user, db):
    mentor = make_user(Role.MENTOR)
    assert client.get(f"/records/{mentor.id}").status_code == 302


def test_an_unknown_id_is_404_and_logs_nothing(client, login_as, db):
    login_as(Role.ADVISOR)
    assert client.get("/records/999999").status_code == 404
    assert client.post_form("/records/999999/export").status_code == 404
    assert client.get("/records/99999999999999999999").status_code == 404
    assert not db.session.scalars(db.select(AccessLogEntry)).all()


def test_an_export_without_the_form_token_is_refused(client, login_as, make_user, db):
    login_as(Role.ADVISOR)
    mentor = make_user(Role.MENTOR)
    assert client.post(f"/records/{mentor.id}/export").status_code == 400
    assert not db.session.scalars(db.select(AccessLogEntry)).all()


def test_the_people_page_links_to_each_record(client, login_as, make_user, db):
    login_as(Role.ADVISOR)
    mentor = make_user(Role.MENTOR)
    assert f'href="/records/{mentor.id}"' in client.get("/people/").get_data(as_text=True)


def test_the_record_page_reads_a_bounded_number_of_queries(client, login_as, demo, count_queries):
    login_as(Role.ADVISOR)
    with count_queries() as statements:
        assert client.get(f"/records/{demo.id}").status_code == 200
    # 30, one for the workshops kind, four for the pairing sections (pairings, their goals,
    # goal progress, closing reflections) of someone with a pairing (the demo's Priya has one),
    # and three for the hours ledger (entries, their history, certificates).
    assert len(statements) <= 38, "\n".join(statements)


def test_building_the_zip_leaves_others_free_to_write(client, login_as, demo, db, monkeypatch):
    """On SQLite a POST takes the write lock at BEGIN; the export reads without it."""
    from helpdesk.records import views

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers never block writers")
    login_as(Role.ADVISOR)
    load = views._screenshot_data
    others_could_write = []

    def load_while_someone_writes(screenshot_id: int) -> bytes:
        other = db.engine.raw_connection()  # another worker's connection
        try:
            cursor = other.cursor()
            cursor.execute("PRAGMA busy_timeout = 0")
            try:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("ROLLBACK")
                others_could_write.append(True)
            except sqlite3.OperationalError:  # database is locked
                others_could_write.append(False)
            cursor.execute("PRAGMA busy_timeout = 5000")
        finally:
            other.close()
        return load(screenshot_id)

    monkeypatch.setattr(views, "_screenshot_data", load_while_someone_writes)
    _zip(client.post_form(f"/records/{demo.id}/export"))
    assert others_could_write == [True]
