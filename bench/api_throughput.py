"""Benchmark (b): requests per second of an authenticated API GET on a partner host
against plain Django serving the same view, both under gunicorn, loaded over loopback.

Run from the repository root:

    .venv/bin/python bench/api_throughput.py [--duration 5] [--rounds 8] [--workers 1]
                                             [--quick]

Two scratch databases: ``<DATABASE_URL's name>_api_throughput`` (migrated: public and
template schemas, one partner with an advisor and its token, one headquarters user with
its token) and ``..._api_throughput_plain``, a copy of it made before any server starts,
holding only its public schema. Two gunicorn servers (``config/gunicorn_conf.py``, the
same number of sync workers) serve ``GET /api/v1/me/``:

- tenant: the real settings (``config.settings.base``: django-tenants' database backend,
  the routing middleware); requests carry the partner's host and the advisor's token, so
  the middleware resolves the host (from its in-process table, revalidated every
  ``TENANT_ROUTING_REFRESH_SECONDS``, default 2 s) and the view runs in the partner's
  schema;
- plain: ``bench/settings_plain.py``: Django's own ``django.db.backends.postgresql``
  backend, no routing middleware, the same URLconf, views and authentication, on the
  plain database with the headquarters user's token.

The load generator is wrk when installed (Debian package ``wrk``), else a small
keep-alive generator in Python (one process per connection). Rounds alternate the sides
(tenant plain, plain tenant, ...); the figure judged is the ratio tenant/plain of the
requests per second of each round (median of the rounds, target >= 0.9). Before that,
the SQL statements of 20 warm requests per side are counted with Django's test client in
a process of that side's settings: the partner host must send no routing query (only the
``SET search_path`` beyond plain Django).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

PATH = "/api/v1/me/"
SLUG = "bench"


def prepare() -> dict[str, str]:
    """The partner, its advisor and a headquarters user, with their tokens."""
    from django.conf import settings
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from common.accounts.services import user_create
    from tenants.partners.services import partner_create

    # The partner's default language is English, like the plain side's, so that both
    # sides activate the same translation catalogue.
    partner = partner_create(
        slug=SLUG, name="Bench", country="US", tier="academy", default_locale="en"
    )
    connection.set_tenant(partner)
    advisor = user_create(
        username="bench-advisor", role="advisor", password="x", check_password=False
    )
    tenant_token = Token.objects.create(user=advisor).key
    connection.set_schema_to_public()
    hq = user_create(username="bench-hq", role="hq_analyst", password="x", check_password=False)
    plain_token = Token.objects.create(user=hq).key
    return {
        "tenant_host": f"{SLUG}.{settings.PLATFORM_DOMAIN}",
        "plain_host": settings.PLATFORM_DOMAIN,
        "tenant_token": tenant_token,
        "plain_token": plain_token,
    }


def count_statements(host: str, token: str, requests: int = 20) -> list[list[str]]:
    """The SQL statements of ``requests`` warm requests, with Django's test client in this
    process (whose settings are the side's own)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {token}")
    for _ in range(3):  # warm: host table loaded, search_path set, caches filled
        response = client.get(PATH)
        assert response.status_code == 200, response.content
    per_request = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PATH)
        assert response.status_code == 200, response.content
        per_request.append([q["sql"] for q in captured.captured_queries])
    return per_request


def statements_of(side: str, settings_module: str, url: str, host: str, token: str):
    """``count_statements`` run in a fresh process with the side's settings and database."""
    env = _server_env(settings_module, url, side)
    output = subprocess.run(
        [sys.executable, __file__, "--statements-of", host, token],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if output.returncode != 0:
        raise SystemExit(f"counting the {side} side's statements failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'", "?", sql)


def report_statements(statements: dict[str, list[list[str]]]) -> tuple[int, list[str]]:
    """Print the typical statements of each side; return the tenant side's count beyond
    plain and those of its extra statements that are not the ``SET search_path``."""

    def typical(side: str) -> list[str]:
        counts = [len(s) for s in statements[side]]
        mode = statistics.mode(counts)
        return next(s for s in statements[side] if len(s) == mode)

    tenant, plain = typical("tenant"), typical("plain")
    print("\nSQL statements per warm request (Django test client, 20 requests each):")
    for side, sample in (("tenant", tenant), ("plain", plain)):
        counts = [len(s) for s in statements[side]]
        print(f"  {side:<6} {len(sample)} statement(s) (min {min(counts)}, max {max(counts)})")
        for sql in sample:
            print(f"           {' '.join(sql.split())[:100]}")
    # Compare shapes: the two sides look up different token keys.
    plain_shapes = [_shape(sql) for sql in plain]
    extra = [sql for sql in tenant if _shape(sql) not in plain_shapes]
    print(f"  beyond plain on the partner host: {extra}")
    routing = [sql for sql in extra if not sql.upper().startswith("SET SEARCH_PATH")]
    refreshes = sum(len(s) > len(tenant) for s in statements["tenant"])
    if refreshes:
        print(
            f"  ({refreshes} request(s) also revalidated the host table, as they must "
            f"every TENANT_ROUTING_REFRESH_SECONDS)"
        )
    return len(tenant) - len(plain), routing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(settings_module: str, url: str, side: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        # Named connections, so that their server processes can be found (CPU accounting);
        # kept for the whole benchmark, so that each worker's backend stays the same.
        DATABASE_URL=f"{url}?application_name=bench_{side}",
        DB_CONN_MAX_AGE="3600",
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=os.pathsep.join([str(harness.ROOT), str(harness.ROOT / "platform")]),
        LOG_LEVEL="WARNING",
        DEBUG="0",
        # WhiteNoise warns when static files were not collected; irrelevant here.
        PYTHONWARNINGS="ignore::UserWarning",
    )
    return env


def start_server(
    settings_module: str, port: int, workers: int, url: str, side: str
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return subprocess.Popen(
        [
            str(gunicorn),
            "-c",
            "python:config.gunicorn_conf",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=harness.ROOT,
        env=_server_env(settings_module, url, side),
    )


def plain_database(url: str) -> str:
    """A copy of the benchmark database holding only its public schema (the headquarters
    user and token included), for the plain side."""
    from django.db import connections

    connections.close_all()
    plain = harness.with_database(url, harness.database_name(url) + "_plain")
    with harness._admin_connection(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{harness.database_name(plain)}" WITH (FORCE)')
        conn.execute(
            f'CREATE DATABASE "{harness.database_name(plain)}" '
            f'TEMPLATE "{harness.database_name(url)}"'
        )
    import psycopg

    with psycopg.connect(plain, autocommit=True) as conn:
        schemas = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('public', "
            "'information_schema') AND nspname NOT LIKE 'pg\\_%'"
        ).fetchall()
        for (schema,) in schemas:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    return plain


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of a process on this machine, or None if it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def server_cpu(server: subprocess.Popen, side: str) -> float | None:
    """CPU seconds used so far by a server's workers and their PostgreSQL backends (when
    the database runs on this machine), the work one request costs wherever it runs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [f"bench_{side}"]
        )
        pids = [row[0] for row in cursor.fetchall()] + _children(server.pid)
    values = [_cpu_seconds(pid) for pid in pids]
    return None if None in values else sum(values)


def get(port: int, host: str, token: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", PATH, headers={"Host": host, "Authorization": f"Token {token}"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_ready(port: int, host: str, token: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} exited with {server.returncode}")
        try:
            status = get(port, host, token)
        except OSError:
            time.sleep(0.2)
            continue
        if status != 200:
            raise SystemExit(f"GET {PATH} on {host} answered {status}, not 200")
        return
    raise SystemExit(f"gunicorn on port {port} did not answer within 60 s")


def run_wrk(
    port: int, host: str, token: str, duration: float, connections: int
) -> tuple[float, int]:
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration:g}s",
            "--timeout",
            "5s",
            "-H",
            f"Host: {host}",
            "-H",
            f"Authorization: Token {token}",
            f"http://127.0.0.1:{port}{PATH}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        raise SystemExit(f"{bad.group(1)} error responses during the run:\n{output}")
    timeouts = re.search(r"timeout (\d+)", output)
    if timeouts and int(timeouts.group(1)):
        raise SystemExit(f"timeouts during the run:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return rate, int(re.search(r"(\d+) requests in", output).group(1))


def _python_client(port, host, token, deadline, queue) -> None:
    done = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    headers = {"Host": host, "Authorization": f"Token {token}"}
    while time.monotonic() < deadline:
        # http.client reopens the connection when the server closed it (sync workers
        # answer "Connection: close"), and keeps it open otherwise.
        conn.request("GET", PATH, headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            queue.put(-1)
            return
        done += 1
    conn.close()
    queue.put(done)


def run_python(
    port: int, host: str, token: str, duration: float, connections: int
) -> tuple[float, int]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    started = time.monotonic()
    deadline = started + duration
    clients = [
        multiprocessing.Process(target=_python_client, args=(port, host, token, deadline, queue))
        for _ in range(connections)
    ]
    for client in clients:
        client.start()
    counts = [queue.get(timeout=duration + 30) for _ in clients]
    for client in clients:
        client.join()
    if min(counts) < 0:
        raise SystemExit("error responses during the run")
    return sum(counts) / (time.monotonic() - started), sum(counts)


def main() -> int:
    parser = harness.arguments(__doc__.split("\n")[0], quick="2 rounds of 2 s per side")
    parser.add_argument("--duration", type=float, default=5, help="seconds per run (5)")
    parser.add_argument("--rounds", type=int, default=8, help="alternated rounds (8)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers (1)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--loadgen", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds = min(args.duration, 2), min(args.rounds, 2)
    loadgen = args.loadgen
    if loadgen == "auto":
        loadgen = "wrk" if shutil.which("wrk") else "python"
    run_load = run_wrk if loadgen == "wrk" else run_python

    warnings.filterwarnings("ignore", category=UserWarning)  # WhiteNoise's, as above
    servers: list[subprocess.Popen] = []
    plain_url = None
    with harness.scratch_database("api_throughput", keep=args.keep) as url:
        try:
            ctx = prepare()
            from django.conf import settings

            harness.header("api_throughput")
            print(
                f"GET {PATH}, gunicorn {args.workers} sync worker(s) on each side, {loadgen} "
                f"with {args.connections} connections, {args.rounds} rounds x "
                f"{args.duration:g} s per side, TENANT_ROUTING_REFRESH_SECONDS="
                f"{settings.TENANT_ROUTING_REFRESH_SECONDS:g}"
            )
            plain_url = plain_database(url)
            sides = {
                "tenant": ("config.settings.base", url, ctx["tenant_host"], ctx["tenant_token"]),
                "plain": ("bench.settings_plain", plain_url, ctx["plain_host"], ctx["plain_token"]),
            }
            extra, routing = report_statements(
                {side: statements_of(side, *spec) for side, spec in sides.items()}
            )

            ports = {side: free_port() for side in sides}
            by_side = {}
            for side, (module, side_url, _host, _token) in sides.items():
                by_side[side] = start_server(module, ports[side], args.workers, side_url, side)
                servers.append(by_side[side])
            for side, (_module, _url, host, token) in sides.items():
                wait_ready(ports[side], host, token, by_side[side])
                run_load(ports[side], host, token, min(2.0, args.duration), args.connections)

            # Server CPU per request (gunicorn worker + its PostgreSQL backend), reported
            # beside the requests/s to tell where a difference comes from; not judged.
            cpu: dict[str, list[float]] = {"tenant": [], "plain": []}

            def measure(side: str) -> float:
                _module, _url, host, token = sides[side]
                before = server_cpu(by_side[side], side)
                rate, done = run_load(ports[side], host, token, args.duration, args.connections)
                after = server_cpu(by_side[side], side)
                if before is not None and after is not None and done:
                    cpu[side].append((after - before) / done * 1000)
                return rate

            print()
            rates = harness.alternate(
                {side: (lambda side=side: measure(side)) for side in sides},
                args.rounds,
                unit="requests/s",
            )
            print()
            harness.print_sides(rates, "requests/s")
            if all(len(values) == args.rounds for values in cpu.values()):
                harness.print_sides(
                    {f"{side} CPU": values for side, values in cpu.items()},
                    "ms server CPU per request",
                    digits=2,
                )
            ratio = harness.ratio_spread(rates["tenant"], rates["plain"])
            print(f"  tenant / plain requests/s, per round: {ratio.text('x', 3)}")
            harness.verdict(
                "requests/s, partner host / plain Django, median of round ratios",
                ratio.median,
                unit="x",
                at_least=0.9,
                digits=3,
                detail=f"(range {ratio.min:.3f}-{ratio.max:.3f})",
            )
            harness.verdict(
                f"routing queries per warm request on the partner host ({extra} extra "
                "statement(s) in all)",
                len(routing),
                unit="statements",
                at_most=0,
                digits=0,
            )
            return 0
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            for server in servers:
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
            if plain_url is not None and not args.keep:
                harness.drop_database(plain_url)


def statements_main(host: str, token: str) -> None:
    """Child mode of ``statements_of``: settings and database come from the environment."""
    import django

    warnings.filterwarnings("ignore", category=UserWarning)
    django.setup()
    print(json.dumps(count_statements(host, token)))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--statements-of"]:
        statements_main(*sys.argv[2:4])
    else:
        harness.run(main)
