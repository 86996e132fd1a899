"""The ZIP of a person's record: index.html to read, record.json and one CSV per kind for
programs, and the screenshots. No Flask here: the caller renders the HTML and loads images."""

import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from tempfile import SpooledTemporaryFile
from typing import IO

from helpdesk.records.kinds import PersonRecord
from helpdesk.spreadsheet import csv_bytes

IN_MEMORY_BYTES = 8 * 1024 * 1024  # larger archives spill to a temporary file


def _json_value(value: object) -> object:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def record_json(record: PersonRecord, generated_at: datetime) -> bytes:
    document = {
        "person_id": record.person.id,
        "generated_at": generated_at.isoformat(),
        "totals": {
            "sessions_completed": record.sessions_completed,
            "hours": record.hours,
            "kudos": record.kudos,
        },
        "sections": {s.key: s.as_dicts() for s in record.sections},
    }
    return json.dumps(document, default=_json_value, ensure_ascii=False, indent=2).encode()


def build_archive(
    record: PersonRecord,
    index_html: str,
    generated_at: datetime,
    load_screenshot: Callable[[int], bytes],
) -> IO[bytes]:
    """The ZIP, rewound and ready to send. Every name in it is one we made: no user text."""
    stamp = generated_at.timetuple()[:6]
    out = SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 (returned open, closed by the response)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes, compress: bool = True) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, data)

        add("index.html", index_html.encode())
        add("record.json", record_json(record, generated_at))
        for section in record.sections:
            add(f"{section.key}.csv", csv_bytes(section.columns, section.rows))
        for shot in record.screenshots:  # already compressed images: stored as they are
            add(shot.file_name, load_screenshot(shot.id), compress=False)
    out.seek(0)
    return out
