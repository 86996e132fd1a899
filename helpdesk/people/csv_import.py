"""Reading a CSV of people to invite: every bad row is reported, with its line number."""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from helpdesk.accounts.models import Role

REQUIRED_COLUMNS = ("email", "name", "role", "school")
MAX_ROWS = 5000


@dataclass(frozen=True)
class PersonRow:
    line: int
    email: str
    name: str
    role: Role
    school: str
    grade: int | None


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


class CsvImportError(ValueError):
    """The file cannot be imported; `errors` names every bad row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvImportError(
            [RowError(1, "The file is not UTF-8 text (save it as CSV UTF-8).")]
        ) from exc


def parse_people_csv(data: bytes, known_schools: set[str]) -> list[PersonRow]:
    """Rows of a people CSV; CsvImportError listing every bad row if any is bad."""
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CsvImportError([RowError(1, f"Missing column(s): {', '.join(missing)}.")])
    reader.fieldnames = header

    rows: list[PersonRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    schools = {name.lower() for name in known_schools}
    for raw in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            errors.append(RowError(line, f"Too many rows; import at most {MAX_ROWS} at a time."))
            break
        values = {key: (value or "").strip() for key, value in raw.items() if key}
        if not any(values.values()):
            continue
        row, problems = _read_row(line, values, schools)
        email = values.get("email", "").lower()
        if email and email in first_line_of:
            problems.append(f"duplicate of line {first_line_of[email]} ({email})")
        elif email:
            first_line_of[email] = line
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
        elif row is not None:
            rows.append(row)
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([RowError(1, "The file has no people in it.")])
    return rows


def _read_row(
    line: int, values: dict[str, str], schools: set[str]
) -> tuple[PersonRow | None, list[str]]:
    problems: list[str] = []
    email = values.get("email", "")
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        problems.append(f"bad email address {email!r}" if email else "email is missing")
    name = " ".join(values.get("name", "").split())
    if not name:
        problems.append("name is missing")
    elif len(name) > 120:
        problems.append("name is longer than 120 characters")
    role_text = values.get("role", "").lower()
    role = Role(role_text) if role_text in {r.value for r in Role} else None
    if role is None:
        problems.append(f"unknown role {role_text!r} (use teacher, mentor, advisor or staff)")
    school = values.get("school", "")
    if school.lower() not in schools:
        problems.append(f"unknown school {school!r}" if school else "school is missing")
    grade: int | None = None
    grade_text = values.get("grade", "")
    if role is Role.MENTOR:
        if grade_text.isascii() and grade_text.isdigit() and 1 <= int(grade_text) <= 12:
            grade = int(grade_text)
        else:
            problems.append("a mentor needs a grade from 1 to 12")
    if problems or role is None:
        return None, problems
    return PersonRow(line, email, name, role, school, grade), problems
