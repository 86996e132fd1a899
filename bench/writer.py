"""A second client for bench/load.py that writes at a steady rate while the readers run.

Real people through the real forms, over HTTP: a teacher books a free slot, the advisor approves
it, the teacher cancels it (which frees the slot for the next round), a mentor adds a day off or
takes one back. One write every 1/rate seconds on a fixed schedule, spread over a few chains side by
side (open loop: a slow answer delays only its own chain; a write that starts more than 1/rate
seconds after its time counts as late).
Each write follows its redirect as a browser does, and counts as done only if the app said so:
the new session's page for a booking, a "success" flash for the others.
"""

import base64
import json
import re
import threading
import time as clock
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from bench.http import Browser, Client

BOOKING_PATH = re.compile(r"^/sessions/(\d+)$")
TIME_OFF_DELETE = re.compile(r"/availability/time-off/(\d+)/delete")
KINDS = ("book", "approve", "cancel", "availability")


@dataclass
class WriterPlan:
    """Who writes what: open slots (teacher, mentor, skill, start) for the booking cycle, the
    advisor, and mentors whose days off change."""

    slots: list[tuple[Client, int, int, datetime]]
    advisor: Client
    mentors: list[Client]
    minutes: int
    day_off: date  # the first of the days off the mentors take (one each)


@dataclass
class Tally:
    ok: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    failed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    late: int = 0
    seconds: float = 0.0  # how long the writer ran
    latencies_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(self.ok.values())

    @property
    def failures(self) -> int:
        return sum(self.failed.values())

    def add(self, other: "Tally") -> None:
        for kind in KINDS:
            self.ok[kind] += other.ok[kind]
            self.failed[kind] += other.failed[kind]
        self.late += other.late
        self.seconds += other.seconds
        self.latencies_ms += other.latencies_ms
        self.problems += other.problems


def flash_categories(cookie_value: str) -> list[str]:
    """The categories of the flashed messages in a Flask session cookie (read, not verified:
    the bench only wants to know what the app told the person)."""
    compressed = cookie_value.startswith(".")
    payload = cookie_value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    flashes = json.loads(raw).get("_flashes", [])
    return [entry[" t"][0] if isinstance(entry, dict) else entry[0] for entry in flashes]


class Lane:
    """One chain of writes (book, approve, cancel, day off) over its own slots and mentors, on
    its own thread; it keeps its place between runs."""

    def __init__(self, port: int, plan: WriterPlan):
        self.port = port
        self.plan = plan
        self.step = 0  # index into KINDS
        self.slot = 0
        self.booking_id: int | None = None
        self.days_off: dict[int, int] = {}  # mentor index -> time-off id
        self.mentor = 0
        self.total = Tally()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tally = Tally()

    # Running -----------------------------------------------------------------------------------

    def start(self, began: float, interval: float, late_after: float) -> None:
        """Write at began, began + interval, ... (monotonic clock) until stopped; a write that
        starts more than late_after seconds after its time counts as late."""
        self._stop.clear()
        self._tally = Tally()
        self._thread = threading.Thread(
            target=self._run, args=(began, interval, late_after), daemon=True
        )
        self._thread.start()

    def signal_stop(self) -> None:
        """No write starts after this; one under way finishes (stop() waits for it)."""
        self._stop.set()

    def stop(self) -> Tally:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.total.add(self._tally)
        return self._tally

    def _run(self, began: float, interval: float, late_after: float) -> None:
        n = 0
        while not self._stop.is_set():
            due = began + n * interval
            wait = due - clock.monotonic()
            if wait > 0 and self._stop.wait(wait):
                break
            if clock.monotonic() - due > late_after:
                self._tally.late += 1
            started = clock.perf_counter()
            kind = KINDS[self.step]
            try:
                ok = self._write(kind)
            except Exception as exc:  # noqa: BLE001 (a broken write is a figure, not a crash)
                ok = False
                self._note(f"{kind}: {exc!r}")
            self._tally.latencies_ms.append((clock.perf_counter() - started) * 1000)
            (self._tally.ok if ok else self._tally.failed)[kind] += 1
            n += 1

    def finish(self) -> None:
        """Cancel a booking left waiting and take back the days off, outside any measurement."""
        while self.booking_id is not None:
            self._write(KINDS[self.step])
        for index in list(self.days_off):
            self.mentor = index
            self._availability()

    def _note(self, problem: str) -> None:
        if len(self._tally.problems) < 5:
            self._tally.problems.append(problem)

    # The writes --------------------------------------------------------------------------------

    def _write(self, kind: str) -> bool:
        if kind == "book":
            ok = self._book()
            self.step = 1 if ok else 0  # a refused booking: the next slot, still a booking
            return ok
        if kind == "approve":
            ok = self._post(self.plan.advisor, f"/sessions/{self.booking_id}/approve", {})
            self.step = 2
            return ok
        if kind == "cancel":
            ok = self._post(
                self._teacher(),
                f"/sessions/{self.booking_id}/cancel",
                {"reason": "Something came up; I will book another time."},
            )
            self.booking_id = None
            self.slot += 1
            self.step = 3
            return ok
        ok = self._availability()
        self.mentor = (self.mentor + 1) % len(self.plan.mentors)
        self.step = 0
        return ok

    def _teacher(self) -> Client:
        return self.plan.slots[self.slot % len(self.plan.slots)][0]

    def _book(self) -> bool:
        teacher, mentor_id, skill_id, starts_at = self.plan.slots[self.slot % len(self.plan.slots)]
        path = "/sessions/new?" + urlencode(
            {
                "mentor": mentor_id,
                "skill": skill_id,
                "start": starts_at.isoformat(),
                "minutes": self.plan.minutes,
            }
        )
        form = {
            "request_key": "",
            "topic": "Sharing a Google Doc with my class",
            "learning_goal": "Share a document so every student can edit it.",
            "format": "in_person",
            "room": "Room 214",
            "agrees_to_norms": "y",
        }
        browser = self._browser(teacher)
        status, headers, _ = browser.request("POST", path, form | {"csrf_token": teacher.csrf})
        found = BOOKING_PATH.match(urlsplit(headers.get("Location", "")).path)
        if status != 302 or not found:
            self._note(f"book: {status} for {path}")
            self.slot += 1
            return False
        browser.request("GET", urlsplit(headers["Location"]).path)
        self.booking_id = int(found.group(1))
        return True

    def _availability(self) -> bool:
        """A day off added, or the one added before taken back."""
        index = self.mentor
        mentor = self.plan.mentors[index]
        if index in self.days_off:
            path = f"/availability/time-off/{self.days_off.pop(index)}/delete"
            return self._post(mentor, path, {})
        day = (self.plan.day_off + timedelta(days=index)).isoformat()
        form = {"off-starts_on": day, "off-ends_on": day, "off-note": "Field trip",
                "off-submit": "Add time off"}  # fmt: skip
        browser = self._browser(mentor)
        status, headers, _ = browser.request(
            "POST", "/availability/windows", form | {"csrf_token": mentor.csrf}
        )
        if status != 302:
            self._note(f"day off: {status}")
            return False
        _, _, page = browser.request("GET", urlsplit(headers["Location"]).path)
        ids = [int(i) for i in TIME_OFF_DELETE.findall(page)]
        if ids:
            self.days_off[index] = max(ids)
        return True

    def _post(self, client: Client, path: str, form: dict) -> bool:
        browser = self._browser(client)
        status, headers, _ = browser.request("POST", path, form | {"csrf_token": client.csrf})
        session = browser.cookies.get("session", "")
        categories = flash_categories(session) if session else []
        if status != 302 or "success" not in categories:
            self._note(f"{path}: {status} {categories}")
            return False
        browser.request("GET", urlsplit(headers["Location"]).path)
        return True

    def _browser(self, client: Client) -> Browser:
        """A browser holding the person's cookie as it was after sign-in (each write's flash is
        read from its own answer)."""
        return Browser(self.port, client.cookie)


class Writer:
    """Writes at a steady rate through `lanes` chains side by side, so one slow answer delays
    only its own chain: write k is due at start + k/rate and goes to lane k mod lanes."""

    def __init__(self, port: int, plan: WriterPlan, lanes: int = 4):
        self.lanes = [
            Lane(
                port,
                WriterPlan(
                    slots=plan.slots[i::lanes],
                    advisor=plan.advisor,
                    mentors=plan.mentors[i::lanes],
                    minutes=plan.minutes,
                    day_off=plan.day_off + timedelta(days=i * 7),
                ),
            )
            for i in range(lanes)
        ]
        self.total = Tally()
        self._began = 0.0

    def start(self, rate: float) -> None:
        # The first write half an interval in: n seconds hold n writes, not n + 1.
        self._began = clock.monotonic()
        first = self._began + 0.5 / rate
        for i, lane in enumerate(self.lanes):
            lane.start(first + i / rate, len(self.lanes) / rate, 1 / rate)

    def stop(self) -> Tally:
        seconds = clock.monotonic() - self._began
        for lane in self.lanes:  # all at once, before waiting for any write under way
            lane.signal_stop()
        tally = Tally()
        for lane in self.lanes:
            tally.add(lane.stop())
        tally.seconds = seconds
        return tally

    def finish(self) -> None:
        for lane in self.lanes:
            lane.finish()

    @property
    def problems(self) -> list[str]:
        return [p for lane in self.lanes for p in lane.total.problems][:10]
