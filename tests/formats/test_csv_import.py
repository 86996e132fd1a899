"""A people CSV that is too big, badly encoded, or holds what a spreadsheet or an email would
misread is refused with a message naming the line, and nothing is created or sent."""

import csv
import io

import pytest

from helpdesk.accounts.models import Role, User
from helpdesk.mail.models import OutboxMessage
from helpdesk.people.csv_import import MAX_COLUMNS, MAX_ROWS, CsvImportError, parse_people_csv

HEADER = "email,name,role,school,grade\n"
GOOD = "ana@school.example.org,Ana Núñez,teacher,Lincoln High School,\n"
SCHOOLS = {"Lincoln High School"}


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + GOOD + "".join(rows)).encode()


BAD_FILES = {
    "a cell over csv.field_size_limit": (
        _csv(
            f'bo@school.example.org,"{"x" * (csv.field_size_limit() + 1)}",teacher,Lincoln High School,\n'
        ),
        f"Line 3: a cell is longer than {csv.field_size_limit():,} characters.",
    ),
    "a long name under the csv limit": (
        _csv(f"bo@school.example.org,{'x' * 5000},teacher,Lincoln High School,\n"),
        "Line 3: name is longer than 1,000 characters",
    ),
    "a grade of 5000 digits": (
        _csv(f"bo@school.example.org,Bo Li,mentor,Lincoln High School,{'9' * 5000}\n"),
        "Line 3: grade is longer than 1,000 characters",
    ),
    "Windows-1252": (
        _csv("bo@school.example.org,Zoë Smith,teacher,Lincoln High School,\n")
        .decode()
        .encode("cp1252"),
        "not UTF-8",
    ),
    "UTF-16": (_csv().decode().encode("utf-16"), "not UTF-8"),
    "a NUL byte": (
        _csv("bo@school.example.org,Bo\x00Li,teacher,Lincoln High School,\n"),
        "not UTF-8",
    ),
    "a formula name": (
        _csv(
            'bo@school.example.org,"=HYPERLINK(""http://evil.example"",""Bo"")",teacher,Lincoln High School,\n'
        ),
        "Line 3: name starts with = like a spreadsheet formula; remove the =",
    ),
    "a plus name": (
        _csv("bo@school.example.org,+1 555 0100,teacher,Lincoln High School,\n"),
        "name starts with +",
    ),
    "an at name": (
        _csv("bo@school.example.org,@SUM(A1),teacher,Lincoln High School,\n"),
        "name starts with @",
    ),
    "a minus email": (
        _csv("-2+3@school.example.org,Bo Li,teacher,Lincoln High School,\n"),
        "email starts with -",
    ),
    "a formula after a tab": (
        _csv('bo@school.example.org,"\t=1+1",teacher,Lincoln High School,\n'),
        "name starts with =",
    ),
    "a line break in a name": (
        _csv('bo@school.example.org,"Bo\nBcc: x@example.org",teacher,Lincoln High School,\n'),
        "Line 4: keep the name on one line: remove the line break",
    ),
    "a control character in a name": (
        _csv("bo@school.example.org,Bo\x1b[31mLi,teacher,Lincoln High School,\n"),
        "Line 3: remove the hidden character U+001B from the name",
    ),
    "a direction override in a name": (
        _csv("bo@school.example.org,Bo \u202eiL,teacher,Lincoln High School,\n"),
        "remove the hidden character U+202E",
    ),
    "too many rows": (
        _csv(
            *[
                f"p{i}@school.example.org,P {i},teacher,Lincoln High School,\n"
                for i in range(MAX_ROWS)
            ]
        ),
        f"Too many rows; import at most {MAX_ROWS} at a time.",
    ),
    "too many columns": (
        _csv("bo@school.example.org,Bo Li,teacher,Lincoln High School,," + ",x" * 100_000 + "\n"),
        f"Line 3: more than {MAX_COLUMNS} columns; is this the right file?",
    ),
    "a header of a million columns": (
        ("x," * 500_000 + "\n").encode(),
        f"Line 1: more than {MAX_COLUMNS} columns",
    ),
    "more than 1 MB": (
        _csv(*[GOOD.replace("ana", f"a{i}") for i in range(20_000)]),
        "larger than 1 MB",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_with_the_line_and_the_reason(name):
    data, message = BAD_FILES[name]
    with pytest.raises(CsvImportError) as refused:
        parse_people_csv(data, SCHOOLS)
    assert message in str(refused.value)


def test_extra_empty_cells_and_unused_columns_are_fine():
    rows = parse_people_csv(
        _csv(
            "bo@school.example.org,Bo   Li,teacher,Lincoln High School,,,,\n",
            header="email,name,role,school,grade,notes\n",
        ),
        SCHOOLS,
    )
    assert [(r.email, r.name) for r in rows] == [
        ("ana@school.example.org", "Ana Núñez"),
        ("bo@school.example.org", "Bo Li"),
    ]


def _upload(client, data: bytes):
    return client.post_form(
        "/people/import",
        {"file": (io.BytesIO(data), "people.csv")},
        page="/people/import",
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("a cell over csv.field_size_limit", "Line 3: a cell is longer than"),
        ("a formula name", "like a spreadsheet formula"),
        ("a line break in a name", "keep the name on one line"),
        ("too many columns", "more than 20 columns"),
        ("UTF-16", "not UTF-8"),
    ],
)
def test_the_advisor_sees_why_and_nothing_changes(client, db, login_as, make_school, name, shown):
    make_school("Lincoln High School")
    login_as(Role.ADVISOR)
    users = db.session.scalar(db.select(db.func.count()).select_from(User))

    response = _upload(client, BAD_FILES[name][0])

    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == users
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_the_command_line_refuses_a_huge_file_too(app, db, make_school, tmp_path):
    make_school("Lincoln High School")
    big = tmp_path / "people.csv"
    big.write_bytes(BAD_FILES["more than 1 MB"][0])
    result = app.test_cli_runner().invoke(args=["import-users", str(big)])
    assert result.exit_code != 0
    assert "larger than 1 MB" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
