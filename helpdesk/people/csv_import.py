"""Reading a CSV of people to invite: every bad row is reported, with its line number.

Whatever the file holds, the answer is a list of rows or a CsvImportError a person can act on:
a cell past the csv module's size limit, a file of a million columns, a name with a line break
(it would reach email greetings and calendar invitations) or one a spreadsheet would run as a
formula are refused like a bad email address.
"""

import csv
import io
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from helpdesk.accounts.models import Role
from helpdesk.plain_text import looks_like_formula, single_line_problem

REQUIRED_COLUMNS = ("email", "name", "role", "school")
MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 20
MAX_CELL = 1000  # far more than any name, email or school needs
NOT_UTF8 = "The file is not UTF-8 text (save it as CSV UTF-8)."


@dataclass(frozen=True)
class PersonRow:
    line: int
    email: str
    name: str
    role: Role
    school: str
    grade: int | None
    class_of: int | None = None


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
    if len(data) > MAX_FILE_BYTES:
        raise CsvImportError([RowError(1, "The file is larger than 1 MB; split it in two.")])
    if b"\x00" in data:  # PostgreSQL cannot store NUL; a UTF-16 file is full of them
        raise CsvImportError([RowError(1, NOT_UTF8)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvImportError([RowError(1, NOT_UTF8)]) from exc


def _records(text: str):
    """(line number, cells) for each record; a CsvImportError for what the csv module refuses."""
    reader = csv.reader(io.StringIO(text, newline=""))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            if "field larger than field limit" in str(exc):
                reason = f"a cell is longer than {csv.field_size_limit():,} characters"
            else:
                reason = "this line is not valid CSV"
            raise CsvImportError([RowError(line, f"{reason}.")]) from exc
        if len(cells) > MAX_COLUMNS and any(cell.strip() for cell in cells[MAX_COLUMNS:]):
            raise CsvImportError(
                [
                    RowError(
                        reader.line_num, f"more than {MAX_COLUMNS} columns; is this the right file?"
                    )
                ]
            )
        yield reader.line_num, cells


def parse_people_csv(data: bytes, known_schools: set[str]) -> list[PersonRow]:
    """Rows of a people CSV; CsvImportError listing every bad row if any is bad."""
    records = _records(_decode(data))
    _, first = next(records, (1, []))
    header = [name.strip().lower() for name in first[:MAX_COLUMNS]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise CsvImportError(
            [
                RowError(
                    1,
                    f"Missing {'column' if len(missing) == 1 else 'columns'}: {', '.join(missing)}.",
                )
            ]
        )

    rows: list[PersonRow] = []
    errors: list[RowError] = []
    first_line_of: dict[str, int] = {}
    schools = {name.lower() for name in known_schools}
    for line, cells in records:
        if line > MAX_ROWS + 1:
            errors.append(RowError(line, f"Too many rows; import at most {MAX_ROWS} at a time."))
            break
        values: dict[str, str] = {}
        for key, value in zip(header, cells, strict=False):
            if key and key not in values:
                values[key] = value.strip()
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
    for column in (*REQUIRED_COLUMNS, "grade", "class_of"):
        value = values.get(column, "")
        if len(value) > MAX_CELL:
            problems.append(f"{column} is longer than {MAX_CELL:,} characters")
            return None, problems
    for column in ("email", "name", "school"):
        value = values.get(column, "")
        if looks_like_formula(value):
            problems.append(
                f"{column} starts with {value[0]} like a spreadsheet formula; remove the {value[0]}"
            )
            return None, problems
        problem = single_line_problem(value, f"the {column}")
        if problem:
            problems.append(problem[0].lower() + problem[1:].rstrip("."))
            return None, problems
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
    class_of = _class_of(values.get("class_of", ""), role, problems)
    if problems or role is None:
        return None, problems
    return PersonRow(line, email, name, role, school, grade, class_of), problems


def _class_of(text: str, role: Role | None, problems: list[str]) -> int | None:
    """The optional graduation year; only students have one."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
        problems.append(f"class_of {text!r} is not a year like 2027")
        return None
    return int(text) if role is Role.MENTOR else None
