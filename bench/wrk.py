"""wrk, driven from Python: a generated Lua script sends a fixed list of requests and checks
every answer; the figures come back as one JSON line."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

WRK = shutil.which("wrk") or "/usr/bin/wrk"  # Debian: apt-get install wrk
JUST_TAKEN = "That time was just taken."

LUA = r"""
-- Written by bench/wrk.py. Requests are picked at random from a fixed list, or taken in turn
-- (each thread from its own place in the list, so every entry comes up before any repeats);
-- responses are checked (GET: 200 only; booking: 302, or 200 saying the time was just taken).
local entries = %(entries)s
local mode = "%(mode)s"
local order = "%(order)s"
local thread_count = %(threads)d
local next_index = 0
local threads = {}
local counter = 0
local formatted = {}
ok, taken, bad, statuses = 0, 0, 0, ""

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
  for i, e in ipairs(entries) do
    formatted[i] = wrk.format(e[1], e[2], e[3], e[4])
  end
  next_index = (id - 1) * math.floor(#formatted / thread_count)
end

function request()
  if order == "cycle" then
    next_index = next_index %% #formatted + 1
    return formatted[next_index]
  end
  return formatted[math.random(#formatted)]
end

function response(status, headers, body)
  if mode == "booking" then
    if status == 302 then
      ok = ok + 1
    elseif status == 200 and body and string.find(body, "%(just_taken)s", 1, true) then
      taken = taken + 1
    else
      bad = bad + 1
      if #statuses < 200 then statuses = statuses .. status .. " " end
    end
  elseif status == 200 then
    ok = ok + 1
  else
    bad = bad + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
end

function done(summary, latency, requests)
  local t_ok, t_taken, t_bad, t_statuses = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    t_ok = t_ok + thread:get("ok")
    t_taken = t_taken + thread:get("taken")
    t_bad = t_bad + thread:get("bad")
    t_statuses = t_statuses .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "socket_errors": %%d, "non_2xx_3xx": %%d, "ok": %%d, ' ..
    '"taken": %%d, "bad": %%d, "bad_statuses": "%%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    t_ok, t_taken, t_bad, t_statuses))
end
"""


@dataclass
class Endpoint:
    name: str
    entries: list[tuple[str, str, dict[str, str], str | None]]
    mode: str = "get"  # or "booking": a 200 saying the time was just taken is a right answer
    order: str = "random"  # or "cycle": every entry once before any repeats


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for these characters


def lua_script(endpoint: Endpoint, threads: int) -> str:
    rows = []
    for method, path, headers, body in endpoint.entries:
        header_table = ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()
        )
        rows.append(
            f"{{{_lua_string(method)}, {_lua_string(path)}, {{{header_table}}}, "
            f"{_lua_string(body) if body is not None else 'nil'}}}"
        )
    return LUA % {
        "entries": "{\n" + ",\n".join(rows) + "\n}",
        "mode": endpoint.mode,
        "order": endpoint.order,
        "threads": threads,
        "just_taken": JUST_TAKEN,
    }


def drive(port: int, endpoint: Endpoint, *, threads: int, connections: int, seconds: int) -> dict:
    """One wrk run; its figures as the script's done() wrote them."""
    with tempfile.NamedTemporaryFile("w", prefix="bench-", suffix=".lua", delete=False) as script:
        script.write(lua_script(endpoint, threads))
    try:
        completed = subprocess.run(  # noqa: S603 (our own argument list, no shell)
            [
                WRK,
                "--threads", str(threads),
                "--connections", str(connections),
                "--duration", f"{seconds}s",
                "--timeout", "30s",
                "--latency",
                "--script", script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next((x for x in completed.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{completed.stdout}\n{completed.stderr}")
    return json.loads(line.removeprefix("BENCHJSON "))
