"""Where a tenant page's time goes, against the plain page: cProfile over the same
requests through Flask's test client (no HTTP server), with token auth.

    .venv/bin/python benchmarks/profile_page.py [--requests 3000] [--tenants 10] [--cpu]

Prints the time a request spends in each per-request step (the request-id, NUL and
JSON checks, security headers, the login loader, tenant resolution, binding) for the
tenant page and the plain page, then the functions that differ most. With --cpu, no
profiler: the CPU time a request costs (this process and PostgreSQL), the two pages in
alternating blocks; run it from two copies of the package to compare versions."""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_INSTANCE", tempfile.mkdtemp(prefix="coopnet-profile-"))
os.environ["COOPNET_INSTANCE"] = os.environ["BENCH_INSTANCE"]  # the app bench_app builds

from benchmarks import tenancy  # noqa: E402

STEPS = {
    "request id (logs._assign_request_id + _echo_request_id)": ["_assign_request_id", "_echo_request_id"],
    "NUL/JSON checks (inputs.*)": ["refuse_nul_in_path", "limit_json_body", "refuse_nul_bytes"],
    "security headers + Cache-Control": ["security_headers"],
    "login loader (token, user, tenant, role: one query)": ["load_account_from_token"],
    "tenant resolution and binding (_pull_tenant)": ["_pull_tenant"],
    "membership and kind check": ["_check_membership"],
    "the view (query + serialisation)": ["list_invitations", "plain_invitations"],
}


def profile(client, paths, token, n):
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(1)
    for path in paths:  # warm
        assert client.get(path, headers=headers).status_code == 200
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(n):
        client.get(rng.choice(paths), headers=headers)
    profiler.disable()
    return (time.perf_counter() - began) / n * 1000, pstats.Stats(profiler)


def per_call_ms(stats, names, n):
    total = 0.0
    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items():
        if function in names and ("coopnet" in filename or "benchmarks" in filename):
            total += cumulative
    return total / n * 1000


def cpu_a_request(app, client, cases, token, n, blocks=8):
    """CPU time a request without the profiler: this process (the app and the test
    client) and PostgreSQL, in blocks alternating between the cases, median of blocks.
    CPU time, not wall time, so it moves less with the machine's load."""
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(1)
    per_block = max(n // blocks, 1)
    spent = {label: [] for label in cases}
    for paths in cases.values():  # warm
        for path in paths:
            assert client.get(path, headers=headers).status_code == 200
    for _ in range(blocks):
        for label, paths in cases.items():
            app_before, db_before = time.process_time(), tenancy.cpu_seconds(tenancy.postgres_pids(app), reaped=True)
            for _ in range(per_block):
                client.get(rng.choice(paths), headers=headers)
            app_ms = (time.process_time() - app_before) / per_block * 1000
            db_ms = (tenancy.cpu_seconds(tenancy.postgres_pids(app), reaped=True) - db_before) / per_block * 1000
            spent[label].append((app_ms, db_ms))
    for label, values in spent.items():
        app_ms = statistics.median(v[0] for v in values)
        db_ms = statistics.median(v[1] for v in values)
        print(f"{label:>7}: CPU a request {app_ms:.3f} ms app + {db_ms:.3f} ms PostgreSQL = {app_ms + db_ms:.3f} ms")
    plain, tenant = (sum(statistics.median(v[i] for v in spent[k]) for i in (0, 1)) for k in ("plain", "tenant"))
    print(
        f"tenant page at {plain / tenant * 100:.0f}% of the plain page by CPU ({per_block} requests x {blocks} blocks each)"
    )
    print(f"peak RSS of this process {tenancy.rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="no profiler: CPU a request (this process + PostgreSQL), in alternating blocks",
    )
    args = parser.parse_args()
    print("reproduce with: .venv/bin/python benchmarks/profile_page.py " + " ".join(sys.argv[1:]))
    from benchmarks.bench_app import app
    from coopnet.extensions import db
    from coopnet.platform.migrate import upgrade_shared

    with app.app_context():
        upgrade_shared(db.engine)
    slugs = [f"prof-{i:04d}" for i in range(args.tenants)]
    token = tenancy.register(app, slugs, "profile@coop.example")
    tenancy.seed_invitations(app, slugs)
    tenancy.create_plain_table(app)
    client = app.test_client()
    cases = {"plain": ["/api/v1/plain/invitations"], "tenant": [f"/c/{s}/api/v1/invitations" for s in slugs]}
    if args.cpu:
        try:
            return cpu_a_request(app, client, cases, token, args.requests)
        finally:
            from coopnet.embedded import stop_redis

            stop_redis(app.instance_path)
    results = {}
    try:
        for label, paths in cases.items():
            results[label] = profile(client, paths, token, args.requests)
    finally:
        from coopnet.embedded import stop_redis

        stop_redis(app.instance_path)
    print(
        f"wall time a request under the profiler: plain {results['plain'][0]:.2f} ms, tenant {results['tenant'][0]:.2f} ms"
    )
    print(f"{'step':<58} {'plain':>8} {'tenant':>8}  (ms a request, under cProfile)")
    for step, names in STEPS.items():
        print(
            f"{step:<58} {per_call_ms(results['plain'][1], names, args.requests):8.3f} "
            f"{per_call_ms(results['tenant'][1], names, args.requests):8.3f}"
        )
    print("\nfunctions whose own time differs most (tenant - plain, ms a request):")
    own = {}
    for label, (_, stats) in results.items():
        for key, (_, _, tottime, _, _) in stats.stats.items():
            own.setdefault(key, {"plain": 0.0, "tenant": 0.0})[label] = tottime / args.requests * 1000
    for key, value in sorted(own.items(), key=lambda kv: -(kv[1]["tenant"] - kv[1]["plain"]))[:25]:
        print(f"{value['tenant'] - value['plain']:+.3f}  {Path(key[0]).name}:{key[1]} {key[2]}")


if __name__ == "__main__":
    main()
