"""Real-use mixes for bench/load.py (issue 14, item 1): many different questions, with and without
a client writing at a steady rate, and a cold start; each interleaved with the floor page.

A mixed row runs floor, endpoint, floor, endpoint, ..., floor for `rounds` rounds; a round's ratio
is the endpoint's req/s over the mean of the floor runs on either side of it, so a machine that
slows down during the row slows both. The writer (bench/writer.py) runs only while the endpoint
does: the floor runs are the machine's unloaded pace, so the ratio counts the writes' own cost.

The cold start restarts gunicorn for each endpoint and round, sends the first `count` requests
(distinct questions) from `connections` clients at once, then the same number of floor-page
requests; gunicorn's access log gives each request's server time.
"""

import math
import os
import statistics
import time as clock
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path

from bench.http import Browser
from bench.writer import Tally, Writer
from bench.wrk import Endpoint


@dataclass
class Phase:
    """One wrk run's figures."""

    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    requests: int
    seconds: float
    statuses: str = ""

    @classmethod
    def of(cls, figures: dict) -> "Phase":
        seconds = figures["duration_us"] / 1e6
        return cls(
            requests_per_s=figures["requests"] / seconds if seconds else 0.0,
            p50_ms=figures["p50_us"] / 1000,
            p95_ms=figures["p95_us"] / 1000,
            p99_ms=figures["p99_us"] / 1000,
            errors=figures["socket_errors"] + figures["bad"],
            requests=figures["requests"],
            seconds=seconds,
            statuses=figures.get("bad_statuses", ""),
        )


@dataclass
class Round:
    floor_before: Phase
    endpoint: Phase
    floor_after: Phase
    load: float  # 1-minute load average as the round began
    writes: Tally | None = None

    @property
    def ratio(self) -> float:
        floor = (self.floor_before.requests_per_s + self.floor_after.requests_per_s) / 2
        return self.endpoint.requests_per_s / floor if floor else 0.0


@dataclass
class Mix:
    endpoint: str  # "find a mentor", "tip search"
    queries: str  # what is asked, e.g. "200 distinct"
    caches: str  # how warm the caches are
    requests: Endpoint
    warm_up: bool = False
    write_rate: float = 0.0
    target_ratio: float | None = None


@dataclass
class MixResult:
    mix: Mix
    rounds: list[Round] = field(default_factory=list)

    def median(self, pick: Callable[[Round], float]) -> float:
        return statistics.median(pick(r) for r in self.rounds)

    @property
    def errors(self) -> int:
        return sum(r.endpoint.errors for r in self.rounds)

    @property
    def writes(self) -> Tally | None:
        if not self.mix.write_rate:
            return None
        total = Tally()
        for r in self.rounds:
            if r.writes is not None:
                total.add(r.writes)
        return total

    def target(self, p95_limit_ms: float) -> str:
        if self.mix.target_ratio is None:
            return "–"
        writes = self.writes
        met = (
            self.median(lambda r: r.ratio) >= self.mix.target_ratio
            and self.median(lambda r: r.endpoint.p95_ms) < p95_limit_ms
            and not self.errors
            and (writes is None or not writes.failures)
        )
        return ("met" if met else "**missed**") + f" (≥ {self.mix.target_ratio:g})"


Drive = Callable[[Endpoint, int], dict]  # (requests, seconds) -> wrk's figures


def run_mix(
    mix: Mix,
    floor: Endpoint,
    drive: Drive,
    *,
    rounds: int,
    seconds: int,
    warmup: int,
    writer: Writer | None,
) -> MixResult:
    result = MixResult(mix)
    if mix.warm_up and warmup:
        drive(mix.requests, warmup)
    before = Phase.of(drive(floor, seconds))
    for _ in range(rounds):
        load = os.getloadavg()[0]
        if mix.write_rate and writer is not None:
            writer.start(mix.write_rate)
        try:
            endpoint = Phase.of(drive(mix.requests, seconds))
        finally:
            writes = writer.stop() if mix.write_rate and writer is not None else None
        after = Phase.of(drive(floor, seconds))
        result.rounds.append(Round(before, endpoint, after, load, writes))
        before = after
    return result


# Cold start --------------------------------------------------------------------------------------


@dataclass
class Request:
    path: str
    cookie: str


@dataclass
class ColdRound:
    endpoint_ms: list[float]
    endpoint_server_ms: list[float]
    floor_ms: list[float]
    endpoint_rps: float
    floor_rps: float
    errors: int
    load: float

    @property
    def ratio(self) -> float:
        return self.endpoint_rps / self.floor_rps if self.floor_rps else 0.0


@dataclass
class ColdResult:
    endpoint: str
    count: int
    rounds: list[ColdRound] = field(default_factory=list)
    target_server_p95_ms: float | None = None

    def all(self, pick: Callable[[ColdRound], list[float]]) -> list[float]:
        return [x for r in self.rounds for x in pick(r)]

    def target(self) -> str:
        if self.target_server_p95_ms is None:
            return "–"
        server = self.all(lambda r: r.endpoint_server_ms)
        met = bool(server) and percentile(server, 95) < self.target_server_p95_ms
        met = met and not sum(r.errors for r in self.rounds)
        return (
            "met" if met else "**missed**"
        ) + f" (server p95 < {self.target_server_p95_ms:g} ms)"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, as wrk reports them."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def _send_all(
    port: int, requests: list[Request], connections: int
) -> tuple[list[float], float, int]:
    """Every request once, from `connections` clients at once: (latencies in ms, req/s, errors)."""

    def one(request: Request) -> tuple[float, int]:
        browser = Browser(port, request.cookie)
        started = clock.perf_counter()
        status, _, _ = browser.request("GET", request.path)
        return (clock.perf_counter() - started) * 1000, status

    began = clock.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        answers = list(pool.map(one, requests))
    elapsed = clock.perf_counter() - began
    return [ms for ms, _ in answers], len(requests) / elapsed, sum(s != 200 for _, s in answers)


def server_times(access_log: Path, paths: list[str]) -> list[float]:
    """Server time (ms) of each of these requests, from gunicorn's access log (ACCESS_FORMAT)."""
    wanted = set(paths)
    found = []
    for line in access_log.read_text().splitlines():
        path, query, _status, micros = line.rsplit(" ", 3)
        if (f"{path}?{query}" if query else path) in wanted:
            found.append(int(micros) / 1000)
    return found


def cold_start(
    endpoint: str,
    batches: Iterator[list[Request]],
    floor: list[Request],
    server: Callable[[], AbstractContextManager[tuple[int, Path]]],
    *,
    rounds: int,
    connections: int,
    target_server_p95_ms: float | None = None,
) -> ColdResult:
    """For each round: a new gunicorn (empty caches in both workers), its first requests (one
    batch of distinct questions), then as many floor-page requests."""
    result = ColdResult(endpoint, 0, target_server_p95_ms=target_server_p95_ms)
    for _ in range(rounds):
        batch = next(batches)
        result.count += len(batch)
        with server() as (port, access_log):
            load = os.getloadavg()[0]
            latencies, rps, errors = _send_all(port, batch, connections)
            floor_latencies, floor_rps, floor_errors = _send_all(
                port, floor[: len(batch)], connections
            )
        result.rounds.append(
            ColdRound(
                endpoint_ms=latencies,
                endpoint_server_ms=server_times(access_log, [r.path for r in batch]),
                floor_ms=floor_latencies,
                endpoint_rps=rps,
                floor_rps=floor_rps,
                errors=errors + floor_errors,
                load=load,
            )
        )
    return result


# Tables ------------------------------------------------------------------------------------------


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f}–{max(values):.{digits}f}"


def mix_table(results: list[MixResult], p95_limit_ms: float) -> str:
    lines = [
        "| endpoint | queries | caches | writer | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| ÷ floor (median, range) | floor req/s | load avg "
        "| writes: rate, done / failed / late, p50 | target |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---|---:|---|---|---|",
    ]
    for r in results:
        writes = r.writes
        done = "–"
        if writes is not None:
            rate = (writes.done + writes.failures) / writes.seconds if writes.seconds else 0.0
            write_p50 = percentile(writes.latencies_ms, 50) if writes.latencies_ms else 0.0
            done = (
                f"{rate:.1f}/s: {writes.done} / {writes.failures} / {writes.late}, "
                f"p50 {write_p50:.0f} ms"
            )
        ratios = [x.ratio for x in r.rounds]
        floors = [x.floor_before.requests_per_s for x in r.rounds] + [
            r.rounds[-1].floor_after.requests_per_s
        ]
        lines.append(
            f"| {r.mix.endpoint} | {r.mix.queries} | {r.mix.caches} "
            f"| {f'{r.mix.write_rate:g} write/s' if r.mix.write_rate else 'none'} "
            f"| {r.median(lambda x: x.endpoint.requests_per_s):,.0f} "
            f"| {r.median(lambda x: x.endpoint.p50_ms):.1f} "
            f"| {r.median(lambda x: x.endpoint.p95_ms):.1f} "
            f"| {r.median(lambda x: x.endpoint.p99_ms):.1f} | {r.errors} "
            f"| {statistics.median(ratios):.2f} ({_spread(ratios)}) "
            f"| {statistics.median(floors):,.0f} | {_spread([x.load for x in r.rounds], 1)} "
            f"| {done} | {r.target(p95_limit_ms)} |"
        )
    return "\n".join(lines)


def cold_table(results: list[ColdResult]) -> str:
    lines = [
        "| endpoint | requests | req/s | client p50 / p95 / p99 / max ms "
        "| server p50 / p95 / p99 / max ms "
        "| errors | ÷ floor (median, range) | floor p50 / p95 ms | load avg | target |",
        "|---|---:|---:|---|---|---:|---|---|---|---|",
    ]
    for r in results:
        client = r.all(lambda x: x.endpoint_ms)
        server = r.all(lambda x: x.endpoint_server_ms) or [0.0]
        floor = r.all(lambda x: x.floor_ms)
        ratios = [x.ratio for x in r.rounds]

        def cuts(values: list[float]) -> str:
            return " / ".join(f"{percentile(values, p):.1f}" for p in (50, 95, 99, 100))

        lines.append(
            f"| {r.endpoint} | {r.count} | "
            f"{statistics.median(x.endpoint_rps for x in r.rounds):,.0f} | {cuts(client)} "
            f"| {cuts(server)} | {sum(x.errors for x in r.rounds)} "
            f"| {statistics.median(ratios):.2f} ({_spread(ratios)}) "
            f"| {percentile(floor, 50):.1f} / {percentile(floor, 95):.1f} "
            f"| {_spread([x.load for x in r.rounds], 1)} | {r.target()} |"
        )
    return "\n".join(lines)
