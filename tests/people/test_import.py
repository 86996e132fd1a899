import io

from helpdesk.accounts.models import Role, User

HEADER = "email,name,role,school,grade\n"
GOOD_ROWS = [
    "maya.chen@school.example.org,Maya Chen,mentor,Lincoln High School,11",
    "jordan.ellis@school.example.org,Jordan Ellis,mentor,Lincoln High School,12",
    "helen.park@school.example.org,Helen Park,teacher,Maple Elementary School,",
    "robert.gaines@school.example.org,Robert Gaines,teacher,Lincoln High School,",
    "linda.alvarez@school.example.org,Linda Alvarez,teacher,Maple Elementary School,",
    "grace.okafor@school.example.org,Grace Okafor,staff,Lincoln High School,",
    "sam.reyes@school.example.org,Samuel Reyes,staff,Maple Elementary School,",
    "priya.n@school.example.org,Priya Natarajan,mentor,Lincoln High School,10",
]


def _csv(rows) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def _upload(client, data: bytes, filename: str = "people.csv"):
    return client.post_form(
        "/people/import",
        {"file": (io.BytesIO(data), filename)},
        page="/people/import",
        content_type="multipart/form-data",
    )


def _count_users(db) -> int:
    return db.session.scalar(db.select(db.func.count(User.id)))


def _schools(make_school):
    make_school("Lincoln High School")
    make_school("Maple Elementary School")


def test_good_csv_imports_everyone_and_sends_invitations(client, db, login_as, make_school, outbox):
    _schools(make_school)
    login_as(Role.ADVISOR)
    response = _upload(client, _csv(GOOD_ROWS))
    assert response.status_code == 302
    assert "Imported 8 people" in client.get("/people/").get_data(as_text=True)
    maya = db.session.scalar(db.select(User).where(User.email == "maya.chen@school.example.org"))
    assert maya.role is Role.MENTOR and maya.grade == 11 and maya.password_hash is None
    assert len(outbox()) == 8


def test_csv_with_two_bad_rows_among_ten_imports_nothing_and_names_both(
    client, db, login_as, make_school, outbox
):
    _schools(make_school)
    login_as(Role.ADVISOR)
    rows = GOOD_ROWS[:4] + ["not-an-email,Bad Email,teacher,Lincoln High School,"] + GOOD_ROWS[4:]
    rows.insert(7, "zoe@school.example.org,Zoe Adeyemi,pilot,Lincoln High School,")
    assert len(rows) == 10
    before = _count_users(db)

    page = _upload(client, _csv(rows)).get_data(as_text=True)
    assert "Nothing was imported: 2 rows need fixing" in page
    assert "Line 6: bad email address" in page
    assert "Line 9: unknown role" in page
    assert _count_users(db) == before
    assert outbox() == []


def test_every_kind_of_bad_row_is_reported(client, login_as, make_school):
    _schools(make_school)
    login_as(Role.ADVISOR)
    rows = [
        GOOD_ROWS[0],
        "maya.chen@school.example.org,Maya Again,mentor,Lincoln High School,11",
        "x@school.example.org,X,teacher,Atlantis Academy,",
        "y@school.example.org,Y Student,mentor,Lincoln High School,",
        "z@school.example.org,,teacher,Lincoln High School,",
    ]
    page = _upload(client, _csv(rows)).get_data(as_text=True)
    assert "Line 3: duplicate of line 2" in page
    assert "Line 4: unknown school" in page
    assert "Line 5: a mentor needs a grade" in page
    assert "Line 6: name is missing" in page


def test_importing_the_same_file_twice_creates_no_duplicates(
    client, db, login_as, make_school, outbox
):
    _schools(make_school)
    login_as(Role.ADVISOR)
    _upload(client, _csv(GOOD_ROWS))
    count = _count_users(db)
    _upload(client, _csv(GOOD_ROWS))
    assert _count_users(db) == count
    assert "Imported 0 people" in client.get("/people/").get_data(as_text=True)
    assert len(outbox()) == 8


def test_a_file_that_is_not_csv_text_is_refused(client, db, login_as, make_school):
    _schools(make_school)
    login_as(Role.ADVISOR)
    page = _upload(client, b"\xff\xfe\x00\x01binary", "people.csv").get_data(as_text=True)
    assert "not UTF-8" in page
    page = _upload(client, b"just,some,columns\n1,2,3\n").get_data(as_text=True)
    assert "Missing columns: email, name, role, school" in page
    page = _upload(client, _csv(GOOD_ROWS), "people.xlsx").get_data(as_text=True)
    assert "Choose a .csv file." in page


def test_cli_import_users_is_all_or_nothing(app, db, make_school, tmp_path):
    _schools(make_school)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([*GOOD_ROWS, "bad,Bad,teacher,Lincoln High School,"]))
    result = app.test_cli_runner().invoke(args=["import-users", str(bad)])
    assert result.exit_code != 0
    assert "Line 10: bad email address" in result.output
    assert _count_users(db) == 0

    good = tmp_path / "good.csv"
    good.write_bytes(_csv(GOOD_ROWS))
    result = app.test_cli_runner().invoke(args=["import-users", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 8 people" in result.output
    result = app.test_cli_runner().invoke(args=["import-users", str(good)])
    assert "Imported 0 people" in result.output and "8 people already had accounts" in result.output
    assert _count_users(db) == 8


def test_only_the_advisor_may_invite_or_import(client, login_as, make_school):
    login_as(Role.TEACHER)
    assert client.get("/people/").status_code == 403
    assert client.get("/people/import").status_code == 403
    assert _upload(client, _csv(GOOD_ROWS)).status_code == 403
