"""Server-side latency of the monitor's pages, and throughput under 20 concurrent clients.

Two databases, each built in a temporary folder: the demo city, and a national import
(KWB 2024 for every area, the Leefbaarometer 2024 buurt scores with their polygons for all
12,147 scored buurten, RIVM 2020). For each: median and p95 over 200 requests of home,
profile and compare (Django's test client in-process: the time the server spends), then
requests per second with 20 concurrent clients against gunicorn on 127.0.0.1 (2 workers,
bounded: 400 requests). Goal (issue 3): no page over 300 ms p95 on the national data.

Run: ``python -m benchmarks.bench_pages`` (SQLite; PostgreSQL via scripts/with-postgres and
``--database-url-from-env``).
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("WIJKBALANS_SHARED_DATA", ROOT.parent / "shared" / "data"))
REQUESTS = 200
CONCURRENT_CLIENTS = 20
CONCURRENT_REQUESTS = 400

DEMO_PAGES = {
    "home": "/?indicator=werkzaam_pct",
    "profile (buurt)": "/gebied/BU99990000/",
    "profile (area set)": "/gebied/demostad-noord/",
    "compare": "/vergelijk/?gebied=BU99990000&gebied=demostad-noord&gebied=GM9999",
}
NATIONAL_PAGES = {
    "home (Amsterdam, 500 buurten)": "/?binnen=GM0363&indicator=lbm_afw",
    "home (Groningen)": "/?binnen=GM0014&indicator=ervaren_gezondheid_pct",
    "profile (buurt)": "/gebied/BU00140000/",
    "profile (gemeente)": "/gebied/GM0014/",
    "compare": "/vergelijk/?gebied=BU00140000&gebied=GM0014&gebied=GM0363",
    "indicator (all buurten)": "/indicator/lbm_afw/",
}

_CHILD = """
import json, os, statistics, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbalans.conf.settings")
import django
django.setup()
from django.test import Client
client = Client()
pages, n = json.loads(sys.argv[1]), int(sys.argv[2])
out = {}
for name, url in pages.items():
    assert client.get(url).status_code == 200, url  # warm-up, and a check
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    out[name] = {"median_ms": round(statistics.median(times), 1),
                 "p95_ms": round(times[int(0.95 * len(times)) - 1], 1)}
print(json.dumps(out))
"""


def _run(args, env):
    out = subprocess.run(args, env=env, cwd=ROOT, check=False, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{args[:4]} failed:\n{out.stderr[-3000:]}")
    return out


def _manage(env, *args):
    return _run([sys.executable, "-m", "wijkbalans.cli", *args], env)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _throughput(env, url: str) -> dict:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "wijkbalans.conf.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=10).read()
                break
            except OSError:
                time.sleep(0.3)

        def fetch(_):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=60) as r:
                r.read()
                return r.status

        start = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENT_CLIENTS) as pool:
            statuses = list(pool.map(fetch, range(CONCURRENT_REQUESTS)))
        seconds = time.perf_counter() - start
        return {"url": url, "requests": len(statuses),
                "ok": sum(1 for s in statuses if s == 200),
                "requests_per_second": round(len(statuses) / seconds, 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _database(env, workdir: Path, name: str) -> dict:
    env = dict(env)
    if not env.get("WIJKBALANS_DATABASE_URL", "").startswith("postgres"):
        env["WIJKBALANS_DATABASE_URL"] = f"sqlite:///{workdir / (name + '.sqlite3')}"
    else:
        from .bench_import import _RESET_PG

        _run([sys.executable, "-c", _RESET_PG], env)
    _manage(env, "migrate", "-v", "0")
    return env


def run(*, label: str = "sqlite", national: bool = True) -> dict:
    base = dict(os.environ, PYTHONPATH=str(ROOT / "src"),
                WIJKBALANS_ALLOWED_HOSTS="127.0.0.1,testserver")
    results = {"name": f"pages ({label})", "databases": {}}
    with tempfile.TemporaryDirectory(prefix="wijkbalans-pages-") as tmp:
        workdir = Path(tmp)
        env = _database(base, workdir, "demo")
        _manage(env, "demo")
        latency = json.loads(_run([sys.executable, "-c", _CHILD, json.dumps(DEMO_PAGES),
                                   str(REQUESTS)], env).stdout)
        results["databases"]["demo city"] = {
            "latency": latency, "throughput": _throughput(env, DEMO_PAGES["profile (buurt)"])}
        if national:
            env = _database(base, workdir, "national")
            start = time.perf_counter()
            kwb = DATA / "cbs-kwb/kwb-2024-nl-bevolking-statline.csv"
            _manage(env, "import", "kwb", str(kwb), "--year", "2024", "--no-progress")
            _manage(env, "import", "leefbaarometer", str(DATA / "leefbaarometer-2024/buurten"),
                    "--directory", "--with-geometry", "--no-progress")
            _manage(env, "import", "rivm",
                    str(DATA / "rivm-gezondheidsmonitor/RIVM_gezondheid2020_18plus.xlsx"),
                    "--no-progress")
            load_seconds = time.perf_counter() - start
            latency = json.loads(_run([sys.executable, "-c", _CHILD, json.dumps(NATIONAL_PAGES),
                                       str(REQUESTS)], env).stdout)
            results["databases"]["national"] = {
                "load_seconds": round(load_seconds, 1), "latency": latency,
                "throughput": _throughput(env, NATIONAL_PAGES["profile (buurt)"])}
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url-from-env", action="store_true")
    parser.add_argument("--demo-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.database_url_from_env:
        os.environ.pop("WIJKBALANS_DATABASE_URL", None)
    label = "postgresql" if args.database_url_from_env else "sqlite"
    print(json.dumps(run(label=label, national=not args.demo_only), indent=1))


if __name__ == "__main__":
    main()
