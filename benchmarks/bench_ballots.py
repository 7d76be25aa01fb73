"""A budget round receiving 5,000 ballots in 10 minutes: latency, and no ballot lost or
counted twice (issue 9).

Against a real server: gunicorn (``--workers``, sync workers) with the app on PostgreSQL
(a throwaway cluster from ``scripts/with-postgres``; the benchmark starts it itself unless
``--database-url-from-env``). The database holds the demo city; the set-up adds the
voters (verified residents with postcodes in Demostad-Noord, bulk-created with the ORM
with API tokens: residents of the JSON API log in once and keep their token), outsiders
with postcodes elsewhere, and one published round per phase (€ 50.000, six projects, via
the services). The load generator (``benchmarks/ballots_load.py``) posts to
``/api/v1/participation/rounds/<id>/ballot/`` from threads on the same machine:

- **paced**: the ballots arrive as a Poisson stream of 5,000 in ``--duration`` seconds
  (600: the goal's 8.3 a second), open loop;
- **burst-N**: the same mix as fast as N clients can (``--burst-concurrency``, default 8
  and 32), for the headroom.

Both mixes hold 2% second ballots (half of them racing the first), 3% over-budget
ballots followed by a valid one, and 1% residents from outside the area. Afterwards the
database is checked against what the clients were told: one ballot for every 201 and
none without one, each with the choice that was accepted, no refused ballot stored, the
tally (the selector and a plain ``GROUP BY``) equal to the sum of the accepted choices,
and one audit entry per ballot.

Each phase reports requests, statuses per kind of attempt, throughput, latency (p50,
p95, p99, max; the paced phase also from the planned moment, and how late the client
sent), the CPU per request of the server, PostgreSQL and the client, and how busy the
machine was with other work.

Run: ``python -m benchmarks.bench_ballots`` (the full 10 minutes, then the bursts),
``--quick`` (500 ballots in 60 s), ``--duration 120`` (the 5,000 compressed). Results go
to ``benchmarks/results/ballots-<time>.json``; ``python -m benchmarks`` includes it.
``--database-url-from-env`` uses (and wipes) the database in WIJKBALANS_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from . import ballots_load, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BUDGET = "50000"
PROJECTS = (("Groene schoolpleinen", "20000"), ("Jongerenwerkplaats", "15000"),
            ("Straatverlichting", "12000"), ("Beweegroute voor ouderen", "10000"),
            ("Moestuin", "8000"), ("Repaircafé", "3000"))
PATH = "/api/v1/participation/rounds/{round}/ballot/"
SEED = 20261128


# -- in the Django child process --------------------------------------------------------

def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbalans.conf.settings")
    import django

    django.setup()


def child_setup(workdir: Path, voters: int, phases: list[str]) -> None:
    """Residents, tokens and one round per phase; writes ``setup.json``."""
    _django()
    import datetime as dt
    import secrets

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from wijkbalans.areas.models import Area, AreaSet
    from wijkbalans.demo.participation import demo_participation_ensure
    from wijkbalans.participation.models import AreaPostcode, ResidentProfile
    from wijkbalans.participation.services import budgets
    from wijkbalans.programmes.models import Activity, FundingSource

    demo_participation_ensure()  # the postcode table (a no-op once ``demo`` loads it)
    members = set(AreaSet.objects.get(slug="demostad-noord").members
                  .values_list("code", flat=True))
    primary, spans = {}, {}
    for postcode, buurt in (AreaPostcode.objects.order_by("postcode", "-addresses")
                            .values_list("postcode", "buurtcode")):
        primary.setdefault(postcode, buurt)
        spans.setdefault(postcode, set()).add(buurt)
    inside = sorted(p for p, b in spans.items() if b & members)
    outside = sorted(p for p, b in spans.items() if not b & members)
    areas = dict(Area.objects.filter(code__in=set(primary.values()))
                 .values_list("code", "pk"))
    outsiders = max(1, round(ballots_load.OUTSIDER_SHARE * voters))
    homes = [inside[i % len(inside)] for i in range(voters)] + \
        [outside[i % len(outside)] for i in range(outsiders)]
    User = get_user_model()
    verified = timezone.now() - dt.timedelta(days=30)
    unusable = make_password(None)  # they log in once for a token; no password needed
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"bench-{i:05d}", email=f"bench-{i:05d}@example.org",
                  password=unusable) for i in range(len(homes))], batch_size=2000)
        ResidentProfile.objects.bulk_create(
            [ResidentProfile(user=u, postcode=p, buurt_id=areas[primary[p]],
                             email_verified_at=verified) for u, p in zip(users, homes,
                                                                         strict=True)],
            batch_size=2000)
        tokens = Token.objects.bulk_create(
            [Token(key=secrets.token_hex(20), user=u) for u in users], batch_size=2000)
    bureau = User.objects.get(username="bureau")
    now = timezone.now()
    rounds = {}
    for phase in phases:
        budget_round = budgets.budget_round_create(
            acting_user=bureau, title=f"Benchmark {phase}", total_budget=BUDGET,
            opens=now - dt.timedelta(hours=1), closes=now + dt.timedelta(days=2), year=2027,
            programme=Activity.objects.get(code="nplv-noord"),
            source=FundingSource.objects.get(code="gemeente-wijkvernieuwing"),
            area_set_slug="demostad-noord")
        costs = {budgets.budget_project_add(acting_user=bureau, budget_round=budget_round,
                                            title=title, cost=cost).pk: float(cost)
                 for title, cost in PROJECTS}
        budgets.budget_round_publish(acting_user=bureau, budget_round=budget_round)
        rounds[phase] = {"id": budget_round.pk, "costs": costs}
    pairs = [[t.user_id, t.key] for t in tokens]
    (workdir / "setup.json").write_text(json.dumps({
        "voters": pairs[:voters], "outsiders": pairs[voters:], "rounds": rounds,
        "budget": float(BUDGET)}), encoding="utf-8")


def child_verify(workdir: Path, phase: str) -> None:
    """Compare the database with what the clients were told; prints one JSON object."""
    _django()
    from collections import Counter

    from django.db import connection

    from wijkbalans.accounts.models import AuditEntry
    from wijkbalans.participation import selectors
    from wijkbalans.participation.models import Ballot, BallotChoice, BudgetRound

    setup = json.loads((workdir / "setup.json").read_text(encoding="utf-8"))
    log = [json.loads(line) for line in (workdir / f"{phase}.jsonl").read_text(
        encoding="utf-8").splitlines()]
    round_id = setup["rounds"][phase]["id"]
    accepted = {}
    for row in log:
        if row["status"] == 201:
            accepted.setdefault(row["resident"], []).append(tuple(row["projects"]))
    stored = {}
    for ballot_id, resident in Ballot.objects.filter(round_id=round_id).values_list(
            "pk", "resident_id"):
        stored[resident] = ballot_id
    choices: dict[int, list[int]] = {}
    for ballot_id, project in BallotChoice.objects.filter(
            ballot__round_id=round_id).values_list("ballot_id", "project_id"):
        choices.setdefault(ballot_id, []).append(project)
    stored_choice = {r: tuple(sorted(choices.get(b, []))) for r, b in stored.items()}
    expected = Counter(p for picks in accepted.values() for pick in picks for p in pick)
    tally = selectors.budget_round_tally(
        budget_round=BudgetRound.objects.get(pk=round_id))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.project_id, COUNT(*) FROM participation_ballotchoice c JOIN "
            "participation_ballot b ON b.id = c.ballot_id WHERE b.round_id = %s "
            "GROUP BY c.project_id", [round_id])
        grouped = dict(cursor.fetchall())
    refused = {row["resident"] for row in log if row["kind"] == "outsider"}
    audit = AuditEntry.objects.filter(action="participation.ballot.cast",
                                      after__round=round_id).count()
    print(json.dumps({
        "ballots_stored": len(stored),
        "accepted_answers": sum(len(v) for v in accepted.values()),
        "residents_accepted_twice": sum(1 for v in accepted.values() if len(v) > 1),
        "lost (201 but not stored)": len(set(accepted) - set(stored)),
        "unconfirmed (stored without a 201)": len(set(stored) - set(accepted)),
        "stored choice differs from the accepted one": sum(
            1 for r, picks in accepted.items() if stored_choice.get(r) != picks[0]),
        "refused residents with a ballot": len(refused & set(stored)),
        "tally equals accepted choices": {
            str(k): v for k, v in expected.items()} == {
            str(r.project.pk): r.votes for r in tally.rows if r.votes},
        "group by equals accepted choices": dict(expected) == grouped,
        "tally": {str(r.project.pk): r.votes for r in tally.rows},
        "audit entries": audit,
    }))


# -- the orchestrator -------------------------------------------------------------------

def _say(message: str) -> None:
    print(f"bench_ballots: {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args, env, **kwargs):
    out = subprocess.run(args, env=env, cwd=ROOT, check=False, capture_output=True,
                         text=True, **kwargs)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args[:5]))} failed:\n{out.stderr[-3000:]}")
    return out


def _child(env, *args) -> str:
    return _run([sys.executable, "-m", "benchmarks.bench_ballots", "--child", *args],
                env).stdout


def _server(env, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wijkbalans.conf.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
         "--timeout", "120"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/participation/rounds/",
                                   timeout=10).read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _postgres_settings() -> dict[str, str]:
    """What makes commits durable (scripts/with-postgres turns it off, as for tests)."""
    import psycopg

    names = ("server_version", "fsync", "synchronous_commit", "full_page_writes",
             "shared_buffers", "max_connections")
    with psycopg.connect(os.environ["WIJKBALANS_DATABASE_URL"]) as conn:
        return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}


def _postmaster_pid() -> int | None:
    """The PostgreSQL server's main process (the parent of a backend), when local."""
    import psycopg

    try:
        with psycopg.connect(os.environ["WIJKBALANS_DATABASE_URL"]) as conn:
            backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        return int(ballots_load.proc_stat(backend)[1])
    except (OSError, psycopg.Error, IndexError, ValueError):
        return None


def _phase(name: str, setup: dict, meter: ballots_load.CpuMeter, port: int, workdir: Path, *,
           duration: float, concurrency: int, seed: int) -> dict:
    spec = setup["rounds"][name]
    costs = {int(k): v for k, v in spec["costs"].items()}
    attempts = ballots_load.plan(
        voters=[tuple(v) for v in setup["voters"]],
        outsiders=[tuple(v) for v in setup["outsiders"]], costs=costs,
        budget=setup["budget"], duration=duration, seed=seed)
    path = PATH.format(round=spec["id"])
    load_before = os.getloadavg()
    meter.start()
    if not concurrency:
        results, seconds = ballots_load.send_paced(attempts, host="127.0.0.1", port=port,
                                                   path=path)
    else:
        results, seconds = ballots_load.send_burst(attempts, host="127.0.0.1", port=port,
                                                   path=path, concurrency=concurrency)
    cpu = meter.stop(len(results), seconds)
    with (workdir / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
        for result in results:
            attempt = attempts[result.index]
            handle.write(json.dumps({"resident": attempt.resident, "kind": attempt.kind,
                                     "projects": list(attempt.projects),
                                     "status": result.status}) + "\n")
    statuses: dict[str, int] = {}
    by_kind: dict[str, dict[str, int]] = {}
    for result in results:
        kind = attempts[result.index].kind
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
        by_kind.setdefault(kind, {}).setdefault(str(result.status), 0)
        by_kind[kind][str(result.status)] += 1
    answered = [r for r in results if r.status]
    out = {
        "requests": len(results), "seconds": round(seconds, 1),
        "requests_per_second": round(len(results) / seconds, 2),
        "accepted_per_second": round(statuses.get("201", 0) / seconds, 2),
        "statuses": statuses, "by_kind": by_kind,
        "errors": [r.error for r in results if r.error][:10],
        "latency_all": ballots_load.latency_summary([r.latency_ms for r in answered]),
        "latency_accepted": ballots_load.latency_summary(
            [r.latency_ms for r in answered if r.status == 201]),
        "cpu": cpu,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    if not concurrency:
        out["planned_seconds"] = duration
        out["sent_late"] = ballots_load.latency_summary([r.late_ms for r in results])
        out["latency_from_planned_moment"] = ballots_load.latency_summary(
            [r.latency_ms + r.late_ms for r in answered])
    else:
        out["concurrency"] = concurrency
    return out


def measure(*, voters: int, duration: float, burst_concurrency: list[int], workers: int,
            paced: bool = True, burst: bool = True) -> dict:
    """Set up, serve, load and check; needs WIJKBALANS_DATABASE_URL (PostgreSQL)."""
    url = os.environ.get("WIJKBALANS_DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise RuntimeError("the ballot benchmark runs on PostgreSQL: use "
                           "scripts/with-postgres, or run it without "
                           "--database-url-from-env")
    from .bench_import import _RESET_PG

    results = {"name": "ballots (postgresql)", "machine": machine.notes(),
               "voters": voters, "workers": workers, "worker_class": "sync",
               "postgresql_settings": _postgres_settings()}
    with tempfile.TemporaryDirectory(prefix="wijkbalans-ballots-") as tmp:
        workdir = Path(tmp)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), WIJKBALANS_VAR_DIR=tmp,
                   WIJKBALANS_ALLOWED_HOSTS="127.0.0.1",
                   # The clients come from their own addresses, in X-Forwarded-For as a
                   # proxy would add them: the per-address rate limit stays on.
                   WIJKBALANS_BEHIND_HTTPS_PROXY="1")
        started = time.perf_counter()
        _say(f"setting up the demo city and {voters} voters")
        _run([sys.executable, "-c", _RESET_PG], env)
        _run([sys.executable, "-m", "wijkbalans.cli", "migrate", "-v", "0"], env)
        _run([sys.executable, "-m", "wijkbalans.cli", "demo"], env)
        phases = [("paced", duration, 0)] if paced else []
        phases += [(f"burst-{c}", 0.0, c) for c in burst_concurrency] if burst else []
        _child(env, "setup", str(workdir), str(voters), *[name for name, _, _ in phases])
        results["setup_seconds"] = round(time.perf_counter() - started, 1)
        setup = json.loads((workdir / "setup.json").read_text(encoding="utf-8"))
        port = _free_port()
        server = _server(env, port, workers)
        meter = ballots_load.CpuMeter(server.pid, _postmaster_pid())
        try:
            for _n in range(4 * workers):  # warm every worker: imports, connections
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/participation/"
                                       f"rounds/{setup['rounds'][phases[0][0]]['id']}/",
                                       timeout=30).read()
            for name, seconds, clients in phases:
                _say(f"{name}: sending" + (f" over {seconds:.0f} s" if seconds else ""))
                results[name] = _phase(name, setup, meter, port, workdir,
                                       duration=seconds, concurrency=clients, seed=SEED)
        finally:
            server.terminate()
            server.wait(timeout=60)
        for name, _, _ in phases:
            _say(f"{name}: checking the database")
            results[name]["check"] = json.loads(_child(env, "verify", str(workdir), name))
    return results


def _ok(check: dict) -> bool:
    return (check["lost (201 but not stored)"] == 0
            and check["unconfirmed (stored without a 201)"] == 0
            and check["residents_accepted_twice"] == 0
            and check["stored choice differs from the accepted one"] == 0
            and check["refused residents with a ballot"] == 0
            and check["tally equals accepted choices"]
            and check["group by equals accepted choices"]
            and check["audit entries"] == check["ballots_stored"])


def _save(results: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    for name in results:
        if isinstance(results[name], dict) and "check" in results[name]:
            results[name]["no_ballot_lost_or_counted_twice"] = _ok(results[name]["check"])
    path = RESULTS / f"ballots-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return path


def _options(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="500 ballots in 60 s, then the burst (a smoke test)")
    parser.add_argument("--ballots", type=int, default=5000, help="voters (default 5000)")
    parser.add_argument("--duration", type=float, default=600.0,
                        help="seconds over which the paced ballots arrive (default 600)")
    parser.add_argument("--burst-concurrency", type=int, nargs="+", default=[8, 32],
                        help="clients of each burst (default: one burst with 8, one with "
                        "32)")
    parser.add_argument("--workers", type=int, default=5,
                        help="gunicorn sync workers (default 5: 2 x cores + 1)")
    parser.add_argument("--no-paced", action="store_true")
    parser.add_argument("--no-burst", action="store_true")
    parser.add_argument("--database-url-from-env", action="store_true",
                        help="use WIJKBALANS_DATABASE_URL; else start a throwaway cluster")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.ballots, args.duration = 500, 60.0
    return args


def run(argv: list[str] | None = None, *, show_progress: bool = False) -> dict:
    """For ``python -m benchmarks``: the full benchmark on a throwaway PostgreSQL cluster."""
    out = subprocess.run([str(ROOT / "scripts" / "with-postgres"), sys.executable, "-m",
                          "benchmarks.bench_ballots", "--database-url-from-env",
                          *(argv or [])], stdout=subprocess.PIPE,
                         stderr=None if show_progress else subprocess.PIPE, text=True,
                         cwd=ROOT, check=False)
    if out.returncode != 0:
        return {"name": "ballots (postgresql)", "error": (out.stderr or "")[-3000:]
                or f"exit status {out.returncode}"}
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> None:
    args = _options(argv)
    if args.child:
        kind, workdir, *rest = args.child
        if kind == "setup":
            child_setup(Path(workdir), int(rest[0]), rest[1:])
        else:
            child_verify(Path(workdir), rest[0])
        return
    if not args.database_url_from_env:
        result = run(list(argv if argv is not None else sys.argv[1:]), show_progress=True)
        print(json.dumps(result, indent=1))
        return
    results = measure(voters=args.ballots, duration=args.duration,
                      burst_concurrency=args.burst_concurrency, workers=args.workers,
                      paced=not args.no_paced, burst=not args.no_burst)
    results["saved_to"] = str(_save(results).relative_to(ROOT))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
