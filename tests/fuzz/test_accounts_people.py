"""Fuzzing sign-in, password links, password change, invitations and the CSV import."""

import io

from hypothesis import example, given
from hypothesis import strategies as st

from helpdesk.accounts import tokens
from helpdesk.accounts.models import Role, User
from tests.conftest import PASSWORD
from tests.fuzz.conftest import (
    FUZZ,
    LONG,
    form_data,
    nasty_text,
    numbers,
    optional,
    some_text,
)

EMAILS = ["maya@students.example.org", "nobody@example.org", "MAYA@students.example.org "]
PASSWORDS = [PASSWORD, "a new passphrase of words", "password", "short", "x" * 257]


@FUZZ
@given(
    data=form_data(
        email=optional(some_text(EMAILS)),
        password=optional(some_text(PASSWORDS)),
        remember=optional(st.sampled_from(["y", "", "\x00"])),
        next=optional(some_text(["/sessions/", "//evil.example", "https://evil.example/"])),
    )
)
def test_login(fuzz, world, data):
    outcome = fuzz.submit("/login", data, must_report=False)
    if outcome.status != 302:
        assert outcome.has_message, outcome.html[:1500]
    else:  # signed in (no message needed): sign out again for the next example
        fuzz.client.post_form("/logout", {})


@FUZZ
@given(data=form_data(email=optional(some_text(EMAILS))))
def test_forgot_password(fuzz, world, data):
    fuzz.submit("/forgot-password", data)


def _new_password_data():
    password = some_text(PASSWORDS, max_size=300)
    return st.one_of(
        form_data(password=optional(password), confirm=optional(password)),
        password.map(lambda p: {"password": p, "confirm": p}),
    )


@FUZZ
@given(data=_new_password_data(), purpose=st.sampled_from([tokens.INVITATION, "reset"]))
def test_invitation_and_reset_links(fuzz, world, make_user, data, purpose):
    user = make_user(Role.TEACHER, password=None if purpose == tokens.INVITATION else PASSWORD)
    token = tokens.make_link_token(
        user, tokens.INVITATION if purpose == tokens.INVITATION else tokens.PASSWORD_RESET
    )
    path = f"/invitation/{token}" if purpose == tokens.INVITATION else f"/reset-password/{token}"
    fuzz.token = fuzz.client.csrf_token(path)
    fuzz.submit(path, data)


@FUZZ
@given(token=nasty_text(), data=_new_password_data())
def test_links_with_made_up_tokens(fuzz, world, token, data):
    fuzz.submit("/reset-password/x" + token.replace("/", "_"), data)


@FUZZ
@given(
    data=_new_password_data(),
    current=optional(some_text([PASSWORD, "wrong password"], max_size=300)),
)
def test_change_password(fuzz, world, data, current):
    fuzz.sign_in(world.teacher)
    if current is not None:
        data = {**data, "current_password": current}
    outcome = fuzz.submit("/account/password", data)
    if outcome.changed:  # put the known password back for the next example
        from helpdesk.accounts.services import set_password

        teacher = fuzz.db.session.get(User, world.teacher.id)
        set_password(teacher, PASSWORD)
        fuzz.db.session.commit()


@FUZZ
@given(
    data=form_data(
        email=optional(some_text(["new.person@school.example.org", "maya@students.example.org"])),
        full_name=optional(some_text(["New Person"], max_size=200)),
        role=optional(some_text([r.value for r in Role])),
        school_id=optional(numbers),
        grade=optional(numbers),
    )
)
def test_people_invite(fuzz, world, data):
    fuzz.sign_in(world.advisor)
    if data.get("school_id") == "1":
        data["school_id"] = str(world.school.id)
    fuzz.submit("/people/invite", data)


CSV_ROWS = st.lists(
    st.tuples(
        some_text(["ana.lopez@school.example.org", "bad-email", ""]),
        nasty_text(),
        some_text(["mentor", "teacher", "advisor", "janitor"]),
        some_text(["Lincoln High School", "Nowhere High"]),
        st.one_of(numbers, st.just("")),
    ),
    max_size=4,
)


@FUZZ
@given(
    header=st.sampled_from(["email,name,role,school,grade", "email,name", "", "\x00email,name"]),
    rows=CSV_ROWS,
    raw=st.one_of(st.none(), st.binary(max_size=200), st.just(b"\xff\xfe\x00junk")),
    filename=st.sampled_from(["people.csv", "people.txt", "people.CSV", ""]),
)
@example(
    header="email,name,role,school,grade",
    rows=[("ana.lopez@school.example.org", "Ana\x00Lopez", "mentor", "Lincoln High School", "11")],
    raw=None,
    filename="people.csv",
)
@example(
    header="email,name,role,school,grade",
    rows=[("ana.lopez@school.example.org", "Ana Lopez", "mentor", "Lincoln High School", "²")],
    raw=None,
    filename="people.csv",
)
def test_people_csv_import(fuzz, world, header, rows, raw, filename):
    fuzz.sign_in(world.advisor)
    if raw is None:
        lines = [header] + [",".join(f'"{v.replace(chr(34), "")}"' for v in row) for row in rows]
        raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    fuzz.submit("/people/import", {"file": (io.BytesIO(raw), filename)})


def test_people_csv_import_of_a_large_name(fuzz, world):
    fuzz.sign_in(world.advisor)
    body = f"email,name,role,school,grade\nbig@school.example.org,{LONG},teacher,Lincoln High School,\n"
    fuzz.submit("/people/import", {"file": (io.BytesIO(body.encode()), "people.csv")})


def test_a_nul_character_is_refused_with_a_message(fuzz, world):
    fuzz.sign_in(world.advisor)
    outcome = fuzz.submit("/skills/", {"name": "Slides\x00", "category": "", "description": ""})
    assert outcome.status == 400
    assert "NUL character" in outcome.html
