"""Tenancy figures for BENCHMARKS.md: provisioning, and the tenant page's throughput
against the same page without tenancy (benchmarks/bench_app.py).

    .venv/bin/python benchmarks/tenancy.py [provision|rps|all]

`db upgrade` is measured by benchmarks/upgrade.py, backend memory by
benchmarks/memory.py, django-tenants beside us by benchmarks/peers/.
Runs on a fresh embedded PostgreSQL in a temporary folder (or DATABASE_URL).
`rps` needs wrk (Debian package `wrk`). Prints each figure with peak memory."""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coopnet import create_app  # noqa: E402
from coopnet.database import schema_for  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.migrate import tenant_head, upgrade_shared  # noqa: E402
from coopnet.platform.provisioning import provision_schema  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-bench-"))


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_rss_mb():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def backend_memory(connection):
    """(private MB, peak RSS MB, CacheMemoryContext MB) of this connection's backend.
    Private memory leaves out shared buffers, which every backend maps."""
    pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    private = (
        sum(int(line.split()[1]) for line in rollup.splitlines() if line.startswith(("Private_Clean", "Private_Dirty")))
        / 1024
    )
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = next(int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM"))
    cache = connection.exec_driver_sql(
        "SELECT coalesce(sum(total_bytes), 0) FROM pg_backend_memory_contexts WHERE name = 'CacheMemoryContext'"
    ).scalar()
    return private, hwm, cache / 1024 / 1024


def make_app():
    # The signup figure makes 30 co-ops from one address: lift that limit here only.
    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DB_POOL_SIZE": 10, "SIGNUP_ADDRESS_LIMIT": "1000 per day"})
    with app.app_context():
        upgrade_shared(db.engine)
    return app


def register(app, slugs, owner_email="bench@coop.example"):
    """Tenant rows, schemas at head, one admin account with a token for all of them."""
    from coopnet.platform.accounts import create_account, find_account, issue_token
    from coopnet.platform.models import Membership, Tenant

    with app.app_context():
        hasher = app.extensions["coopnet.hasher"]
        account = find_account(db.session, owner_email) or create_account(
            db.session, hasher, "Bench", owner_email, "bench-password-123"
        )
        for i, slug in enumerate(slugs, 1):
            tenant = Tenant(slug=slug, name=slug.replace("-", " ").title())
            db.session.add(tenant)
            db.session.flush()
            db.session.add(Membership(tenant_id=tenant.id, account_id=account.id, role="admin"))
            provision_schema(db.session.connection(), schema_for(slug))
            if i % 10 == 0:  # each schema's DDL holds its locks until commit (lock table size)
                db.session.commit()
        db.session.commit()
        _, secret = issue_token(db.session, account, "bench")
        db.session.commit()
        return secret


def report(label, values_ms, extra=""):
    values = sorted(values_ms)
    p95 = values[int(len(values) * 0.95) - 1]
    print(f"{label}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, n={len(values)}{extra}")


def bench_provision(app, n=100):
    print(f"\n## Provisioning one tenant ({n} runs, {len(tenant_tables())} tables at revision {tenant_head()})")
    from coopnet.database import TenantModel

    with app.app_context():
        engine = db.engine
        script, create_all, signup_ms = [], [], []
        for i in range(n):
            schema = f"t_bench_provision_{i}"
            start = time.perf_counter()
            with engine.begin() as conn:
                provision_schema(conn, schema)
            script.append((time.perf_counter() - start) * 1000)
        with engine.connect() as conn:
            _, hwm, _ = backend_memory(conn)
        report("pre-rendered DDL script, one round trip", script, f"; peak RSS python {rss_mb():.0f} MB")
        for i in range(n):
            schema = f"t_bench_create_all_{i}"
            start = time.perf_counter()
            with engine.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
                TenantModel.metadata.create_all(
                    conn.execution_options(schema_translate_map={"tenant": schema}), checkfirst=True
                )
            create_all.append((time.perf_counter() - start) * 1000)
        report("metadata.create_all with existence checks (for comparison)", create_all)
        client = app.test_client()
        for i in range(min(n, 30)):
            body = {
                "name": f"Bench Coop {i}",
                "slug": f"bench-signup-{i}",
                "founder": {"name": "Founder", "email": f"founder{i}@bench.example", "password": "bench-password-123"},
            }
            start = time.perf_counter()
            response = client.post("/api/v1/signup", json=body)
            signup_ms.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 201, response.get_json()
        report(
            "whole signup over HTTP (argon2id at production cost, account, membership, schema)",
            signup_ms,
            f"; peak RSS python {rss_mb():.0f} MB, PostgreSQL backend peak {hwm:.0f} MB",
        )


def tenant_tables():
    from coopnet.database import TenantModel

    return TenantModel.metadata.sorted_tables


def seed_invitations(app, slugs, per_tenant=5):
    with app.app_context():
        with db.engine.begin() as conn:
            for slug in slugs:
                schema = schema_for(slug)
                conn.exec_driver_sql(
                    f'INSERT INTO "{schema}".invitations (email, role, token_hash, invited_by, created_at, expires_at) '
                    f"SELECT 'person' || g || '@{slug}.example', 'member', md5('{slug}' || g) || md5(g::text), 1, now(), now() + interval '7 days' "
                    f"FROM generate_series(1, {per_tenant}) g"
                )


def create_plain_table(app):
    from coopnet.database import TenantModel

    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS bench_plain CASCADE; CREATE SCHEMA bench_plain")
            TenantModel.metadata.create_all(conn.execution_options(schema_translate_map={"tenant": "bench_plain"}))
            conn.exec_driver_sql(
                "INSERT INTO bench_plain.invitations (email, role, token_hash, invited_by, created_at, expires_at) "
                "SELECT 'person' || g || '@plain.example', 'member', md5('plain' || g) || md5(g::text), 1, now(), now() + interval '7 days' "
                "FROM generate_series(1, 5) g"
            )


def wrk(url_paths, token, port, seconds=10, connections=8):
    script = INSTANCE / "wrk.lua"
    paths = ", ".join(f'"{p}"' for p in url_paths)
    script.write_text(
        textwrap.dedent(f"""
        local paths = {{{paths}}}
        math.randomseed(42)
        request = function()
          return wrk.format("GET", paths[math.random(#paths)], {{["Authorization"] = "Bearer {token}"}})
        end
        done = function(summary, latency, requests)
          io.write(string.format("RESULT %.1f %d %d\\n", summary.requests / (summary.duration / 1e6),
            summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout, summary.requests))
        end
    """)
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("RESULT")).split()
    return float(line[1]), int(line[2]), int(line[3])


def cpu_seconds(pids, reaped=False):
    """user+system CPU of these processes so far; with ``reaped``, also that of their
    children that have exited (PostgreSQL backends replaced during a run)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            if reaped:
                total += int(fields[13]) + int(fields[14])
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def children(pid):
    return [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]


def postgres_pids(app):
    """This instance's postmaster and its current children (read afresh each time)."""
    pgdata = str(INSTANCE / "pgdata")
    for pid in subprocess.run(["pgrep", "-f", pgdata], capture_output=True, text=True).stdout.split():
        if Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"postgres"):
            return [int(pid), *children(pid)]
    return []


def check_status(port, path, token):
    import json
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, path
        return json.loads(response.read())


def checkouts_of(port, token):
    """(tenant checkouts new to their connection, all tenant checkouts) so far in one server."""
    counts = check_status(port, "/api/v1/plain/checkouts", token)
    return counts["new to the connection"], counts["new to the connection"] + counts["served before"]


def bench_rps(app, port=8765, seconds=8, rounds=5):
    print(
        f"\n## Requests per second under gunicorn on loopback (1 gthread worker, wrk 1 thread 8 connections, {seconds} s x {rounds} interleaved rounds, median)"
    )
    small = [f"rps-{i:04d}" for i in range(10)]
    large = small + [f"rps-{i:04d}" for i in range(10, 1000)]
    token = register(app, large, "rps@coop.example")
    seed_invitations(app, large)
    create_plain_table(app)
    with app.app_context():
        env = dict(
            os.environ,
            DATABASE_URL=app.config["DATABASE_URL"],
            REDIS_URL=app.config["REDIS_URL"],
            COOPNET_INSTANCE=str(INSTANCE),
            PYTHONPATH=str(ROOT),
        )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-k",
            "gthread",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.bench_app:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                check_status(port, "/api/v1/plain/invitations", token)
                break
            except Exception:
                time.sleep(0.2)
        check_status(port, f"/c/{small[0]}/api/v1/invitations", token)
        wrk([f"/c/{s}/api/v1/invitations" for s in large], token, port, seconds=5)  # warm every worker and tenant
        cases = {
            "plain": ["/api/v1/plain/invitations"],
            "plain, old": ["/api/v1/plain-second-engine/invitations"],
            "10 tenants": [f"/c/{s}/api/v1/invitations" for s in small],
            "1000 tenants": [f"/c/{s}/api/v1/invitations" for s in large],
        }
        runs = {label: [] for label in cases}
        cpu = {label: [] for label in cases}
        new_to_connection = {label: [0, 0] for label in cases}
        web = [server.pid, *children(server.pid)]
        for _ in range(rounds):  # interleaved, so drift on a shared machine hits every case alike
            for label, paths in cases.items():
                seen = checkouts_of(port, token)
                before = cpu_seconds(web), cpu_seconds(postgres_pids(app), reaped=True)
                result = wrk(paths, token, port, seconds)
                after = cpu_seconds(web), cpu_seconds(postgres_pids(app), reaped=True)
                now = checkouts_of(port, token)
                new_to_connection[label][0] += now[0] - seen[0]
                new_to_connection[label][1] += now[1] - seen[1]
                runs[label].append(result)
                cpu[label].append(
                    ((after[0] - before[0]) / result[2] * 1000, (after[1] - before[1]) / result[2] * 1000)
                )
        results, cost = {}, {}
        for label, measured in runs.items():
            errors = sum(r[1] for r in measured)
            results[label] = statistics.median(r[0] for r in measured)
            web_ms = statistics.median(c[0] for c in cpu[label])
            db_ms = statistics.median(c[1] for c in cpu[label])
            cost[label] = web_ms + db_ms
            print(
                f"{label:>13}: {results[label]:7.0f} req/s (rounds: {', '.join(f'{r[0]:.0f}' for r in measured)}; errors {errors}); "
                f"CPU a request: gunicorn {web_ms:.2f} ms + PostgreSQL {db_ms:.2f} ms"
                + (
                    f"; {new_to_connection[label][0] / new_to_connection[label][1] * 100:.1f}% of checkouts met a tenant new to their connection"
                    if new_to_connection[label][1]
                    else ""
                )
            )
        print(
            f"old baseline (second engine) against the fair one: {results['plain, old'] / results['plain'] * 100:.0f}% by req/s, "
            f"{cost['plain'] / cost['plain, old'] * 100:.0f}% by CPU"
        )
        print(
            f"by CPU a request (steadier on a shared machine): tenant page at {cost['plain'] / cost['10 tenants'] * 100:.0f}% "
            f"(10 tenants) and {cost['plain'] / cost['1000 tenants'] * 100:.0f}% (1000 tenants) of the plain page's throughput; "
            f"1000 vs 10 tenants {cost['10 tenants'] / cost['1000 tenants'] * 100:.0f}%"
        )
        print(
            f"tenant page / plain page: 10 tenants {results['10 tenants'] / results['plain'] * 100:.0f}%, "
            f"1000 tenants {results['1000 tenants'] / results['plain'] * 100:.0f}%; "
            f"1000 vs 10 tenants {results['1000 tenants'] / results['10 tenants'] * 100:.0f}%"
        )
        rss = []
        for pid in subprocess.run(
            ["pgrep", "-f", "benchmarks.bench_app:app"], capture_output=True, text=True
        ).stdout.split():
            try:
                rss.append(
                    int(
                        next(
                            ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("VmHWM")
                        ).split()[1]
                    )
                    / 1024
                )
            except (OSError, IndexError):
                pass
        with app.app_context(), db.engine.connect() as conn:
            backends = (
                conn.exec_driver_sql(
                    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                )
                .scalars()
                .all()
            )
        hwm = []
        for pid in backends:
            try:
                hwm.append(
                    int(
                        next(
                            ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines() if ln.startswith("VmHWM")
                        ).split()[1]
                    )
                    / 1024
                )
            except (OSError, IndexError):
                pass
        print(
            f"peak memory: gunicorn processes {', '.join(f'{r:.0f}' for r in rss)} MB; "
            f"PostgreSQL backends serving them {', '.join(f'{h:.0f}' for h in sorted(hwm))} MB"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


def main(which):
    from coopnet.embedded import stop_redis

    print(f"reproduce with: .venv/bin/python benchmarks/tenancy.py {which}")
    app = make_app()
    print(f"coopnet tenancy benchmarks; PostgreSQL {app_version(app)}; {os.cpu_count()} CPUs; instance {INSTANCE}")
    try:
        if which in ("provision", "all"):
            bench_provision(app)
        if which in ("rps", "all"):
            bench_rps(app)
    finally:
        stop_redis(app.instance_path)


def app_version(app):
    with app.app_context(), db.engine.connect() as conn:
        return conn.exec_driver_sql("SHOW server_version").scalar()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all")
