"""The load generator of the ballot benchmark: the standard library only, no Django.

:func:`plan` turns residents and a round's projects into the attempts to send, seeded:

- every voter casts one valid ballot (projects drawn by popularity, within the budget);
- 2% of the voters cast a second ballot: half at the same moment as the first (a race
  that the database's unique constraint decides), half up to a minute later;
- 3% first try a ballot over the budget (refused, 400) and a few seconds later a valid one;
- outsiders (1% as many as voters, postcodes outside the area) try once (refused, 403).

Arrival times are a Poisson process conditioned on its count: the voters' moments are
uniform order statistics over ``duration`` seconds (``duration`` 0: all at once, for the
burst). :func:`send_paced` sends each attempt at its moment, open loop (a late reply does
not delay the next arrival, so slowness shows as latency instead of hiding as fewer
requests); :func:`send_burst` sends them in the same order as fast as ``concurrency``
clients can. Each attempt opens its own connection (``Connection: close``), carries the
resident's API token and a client address of its own in ``X-Forwarded-For``.

:class:`CpuMeter` reads from ``/proc`` (Linux) the CPU that the web server, PostgreSQL,
the load generator and the whole machine used during a phase: on a shared machine, the
rest is other people's work, and it is reported with the figures.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

DUPLICATE_SHARE = 0.02
OVER_BUDGET_SHARE = 0.03
OUTSIDER_SHARE = 0.01
TIMEOUT = 60.0


@dataclass(frozen=True)
class Attempt:
    resident: int            # the resident's user id
    token: str
    ip: str
    projects: tuple[int, ...]
    kind: str                # valid | duplicate | over_budget | outsider
    at: float                # seconds after the start


@dataclass(frozen=True)
class Result:
    index: int
    status: int              # HTTP status; 0 when no answer came (error says why)
    latency_ms: float        # from sending to the whole answer
    late_ms: float           # how much later than planned it was sent (paced)
    error: str = ""


def _choice(rng: random.Random, costs: dict[int, float], weights: dict[int, float],
            budget: float) -> tuple[int, ...]:
    while True:
        chosen = tuple(sorted(p for p in costs if rng.random() < weights[p]))
        if chosen and sum(costs[p] for p in chosen) <= budget:
            return chosen


def _over_budget(rng: random.Random, costs: dict[int, float], budget: float) -> tuple[int, ...]:
    projects = list(costs)
    while True:
        chosen = tuple(sorted(rng.sample(projects, rng.randint(3, len(projects)))))
        if sum(costs[p] for p in chosen) > budget:
            return chosen


def plan(*, voters: list[tuple[int, str]], outsiders: list[tuple[int, str]],
         costs: dict[int, float], budget: float, duration: float, seed: int) -> list[Attempt]:
    """The attempts, in order of their moment. ``voters`` and ``outsiders`` are (user id,
    token); ``costs`` maps project id to cost."""
    rng = random.Random(seed)  # noqa: S311 -- a reproducible load plan, not a secret
    ordered = sorted(costs)
    # Popularity falls with the position on the ballot, so the tally has a clear order.
    weights = {p: 0.65 - 0.08 * i for i, p in enumerate(ordered)}
    gaps = [rng.expovariate(1.0) for _ in range(len(voters) + 1)]
    total, moments, running = sum(gaps), [], 0.0
    for gap in gaps[:-1]:
        running += gap
        moments.append(duration * running / total)

    def ip(n: int) -> str:
        return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"

    attempts = []
    n = len(voters)
    duplicates = set(rng.sample(range(n), round(DUPLICATE_SHARE * n)))
    over = set(rng.sample(range(n), round(OVER_BUDGET_SHARE * n)))
    for i, ((user, token), at) in enumerate(zip(voters, moments, strict=True)):
        attempts.append(Attempt(user, token, ip(user), _choice(rng, costs, weights, budget),
                                "valid", at))
        if i in duplicates:
            later = 0.0 if i % 2 == 0 else rng.uniform(1.0, 60.0)
            attempts.append(Attempt(user, token, ip(user),
                                    _choice(rng, costs, weights, budget), "duplicate",
                                    min(duration, at + later) if duration else at))
        if i in over:
            earlier = rng.uniform(2.0, 20.0) if duration else 0.0
            attempts.append(Attempt(user, token, ip(user), _over_budget(rng, costs, budget),
                                    "over_budget", max(0.0, at - earlier)))
    for user, token in outsiders:
        attempts.append(Attempt(user, token, ip(user), _choice(rng, costs, weights, budget),
                                "outsider", rng.uniform(0, duration)))
    # A stable order: by moment; in a burst (all at 0) the voters' order, with each
    # over-budget try and racing duplicate right after the ballot it belongs to.
    return sorted(attempts, key=lambda a: a.at)


def _send(host: str, port: int, path: str, attempt: Attempt) -> tuple[int, float, str]:
    body = json.dumps({"projects": list(attempt.projects)}).encode()
    headers = {"Authorization": f"Token {attempt.token}", "Content-Type": "application/json",
               "Accept": "application/json", "Accept-Language": "en",
               "X-Forwarded-For": attempt.ip, "Connection": "close"}
    start = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return 0, (time.perf_counter() - start) * 1000, f"{type(error).__name__}: {error}"
    finally:
        connection.close()
    latency = (time.perf_counter() - start) * 1000
    note = "" if status in (201, 400, 403, 409) else text[:300].decode(errors="replace")
    return status, latency, note


def send_paced(attempts: list[Attempt], *, host: str, port: int, path: str,
               clients: int = 64) -> tuple[list[Result], float]:
    """Send each attempt at its moment (open loop); ``clients`` threads send at once at
    most. Returns the results (in attempt order) and the wall time in seconds."""
    results: list[Result | None] = [None] * len(attempts)
    pool = ThreadPoolExecutor(clients)
    start = time.perf_counter()

    def fire(index: int) -> None:
        attempt = attempts[index]
        late = (time.perf_counter() - start - attempt.at) * 1000
        status, latency, error = _send(host, port, path, attempt)
        results[index] = Result(index, status, latency, max(0.0, late), error)

    for index, attempt in enumerate(attempts):
        wait = attempt.at - (time.perf_counter() - start)
        if wait > 0:
            time.sleep(wait)
        pool.submit(fire, index)
    pool.shutdown(wait=True)
    return [r for r in results if r is not None], time.perf_counter() - start


def send_burst(attempts: list[Attempt], *, host: str, port: int, path: str,
               concurrency: int) -> tuple[list[Result], float]:
    """Send all attempts in order, as fast as ``concurrency`` clients can."""
    results: list[Result | None] = [None] * len(attempts)
    lock = threading.Lock()
    position = iter(range(len(attempts)))
    start = time.perf_counter()

    def client() -> None:
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            attempt = attempts[index]
            status, latency, error = _send(host, port, path,
                                           attempt)
            results[index] = Result(index, status, latency, 0.0, error)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None], time.perf_counter() - start


def proc_stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process, its children that ended, and those that
    run (gunicorn's workers; PostgreSQL's backends)."""
    tick = os.sysconf("SC_CLK_TCK")
    try:
        fields = proc_stat(pid)
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return float("nan")
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    for child in children:
        try:
            total += sum(int(v) for v in proc_stat(int(child))[11:13])
        except OSError:
            continue
    return total / tick


def _busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores), from /proc/stat."""
    try:
        user, nice, system, idle, iowait, irq, softirq, steal = map(
            int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9])
    except (OSError, ValueError):
        return float("nan")
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used between start and stop by the web server, PostgreSQL, this process (the
    load generator) and the whole machine; what is left is other people's work."""

    def __init__(self, server_pid: int, postgres_pid: int | None):
        self.pids = {"server": server_pid, "postgres": postgres_pid}

    def _read(self) -> dict[str, float]:
        out = {name: _cpu_seconds(pid) if pid else float("nan")
               for name, pid in self.pids.items()}
        return out | {"client": time.process_time(), "machine": _busy_seconds()}

    def start(self) -> None:
        self.began = self._read()

    def stop(self, requests: int, seconds: float) -> dict[str, float]:
        end = self._read()
        used = {k: end[k] - self.began[k] for k in end}
        ours = used["server"] + used["postgres"] + used["client"]
        return {**{f"{k}_ms_per_request": round(1000 * used[k] / requests, 1)
                   for k in ("server", "postgres", "client")},
                "machine_busy_cores": round(used["machine"] / seconds, 2),
                "others_busy_cores": round((used["machine"] - ours) / seconds, 2)}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(ordered),
            "p50_ms": round(percentile(ordered, 50), 1),
            "p95_ms": round(percentile(ordered, 95), 1),
            "p99_ms": round(percentile(ordered, 99), 1),
            "max_ms": round(ordered[-1], 1) if ordered else float("nan")}
