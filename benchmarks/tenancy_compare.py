"""The tenant page against the plain page for several versions of the code at once:
one database, one gunicorn per version, rounds interleaved across all of them, so a
change is measured under the same load as the code before it.

    .venv/bin/python benchmarks/tenancy_compare.py DIR [DIR ...]

Each DIR holds a copy of the package (``coopnet/`` and ``benchmarks/``), e.g. made with
``mkdir /tmp/before && git archive <commit> coopnet benchmarks | tar -x -C /tmp/before``;
``.`` is the working copy. The database is built once by this working copy (1,000
tenants at its tenant head, as `tenancy.py rps` does); every version serves it. Prints,
for each version, requests a second and CPU a request (gunicorn + PostgreSQL) of the
plain page and of the tenant page over 10 and 1,000 tenants, and the ratios."""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import tenancy  # noqa: E402
from coopnet.extensions import db  # noqa: E402

ROUNDS, SECONDS = 5, 8


def start(tree, app, port):
    with app.app_context():
        env = dict(
            os.environ,
            DATABASE_URL=app.config["DATABASE_URL"],
            REDIS_URL=app.config["REDIS_URL"],
            COOPNET_INSTANCE=str(tenancy.INSTANCE),
            PYTHONPATH=str(tree),
        )
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", "4"]
    command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", "benchmarks.bench_app:app"]
    return subprocess.Popen(command, cwd=tree, env=env)


def wait_until_up(port, token):
    for _ in range(150):
        try:
            return tenancy.check_status(port, "/api/v1/plain/invitations", token)
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn on {port} did not start")


def main(trees):
    from coopnet.embedded import stop_redis

    print("reproduce with: .venv/bin/python benchmarks/tenancy_compare.py " + " ".join(sys.argv[1:]), flush=True)
    app = tenancy.make_app()
    small = [f"rps-{i:04d}" for i in range(10)]
    large = small + [f"rps-{i:04d}" for i in range(10, 1000)]
    token = tenancy.register(app, large, "rps@coop.example")
    tenancy.seed_invitations(app, large)
    tenancy.create_plain_table(app)
    cases = {
        "plain": ["/api/v1/plain/invitations"],
        "10 tenants": [f"/c/{s}/api/v1/invitations" for s in small],
        "1000 tenants": [f"/c/{s}/api/v1/invitations" for s in large],
    }
    servers = {tree: (8765 + i, start(Path(tree).resolve(), app, 8765 + i)) for i, tree in enumerate(trees)}
    runs = {(tree, label): [] for tree in trees for label in cases}
    try:
        for port, _ in servers.values():
            wait_until_up(port, token)
            tenancy.wrk(cases["1000 tenants"], token, port, seconds=5)  # warm every thread and tenant
        for r in range(ROUNDS):
            order = trees[r % len(trees) :] + trees[: r % len(trees)]
            for tree in order:
                port, server = servers[tree]
                web = [server.pid, *tenancy.children(server.pid)]
                for label, paths in cases.items():
                    checkouts = tenancy.checkouts_of(port, token)
                    before = tenancy.cpu_seconds(web), tenancy.cpu_seconds(tenancy.postgres_pids(app), reaped=True)
                    rate, errors, requests = tenancy.wrk(paths, token, port, SECONDS)
                    after = tenancy.cpu_seconds(web), tenancy.cpu_seconds(tenancy.postgres_pids(app), reaped=True)
                    cpu = ((after[0] - before[0]) / requests * 1000, (after[1] - before[1]) / requests * 1000)
                    new, all_ = (a - b for a, b in zip(tenancy.checkouts_of(port, token), checkouts, strict=True))
                    runs[(tree, label)].append((rate, errors, cpu, new / all_ * 100 if all_ else 0.0))
            print(f"round {r + 1} of {ROUNDS} done; load average {os.getloadavg()[0]:.1f}", flush=True)
        for tree in trees:
            print(f"\n{tree}:")
            rate, cost = {}, {}
            for label in cases:
                measured = runs[(tree, label)]
                rate[label] = statistics.median(m[0] for m in measured)
                web_ms = statistics.median(m[2][0] for m in measured)
                db_ms = statistics.median(m[2][1] for m in measured)
                cost[label] = web_ms + db_ms
                print(
                    f"  {label:>12}: {rate[label]:6.0f} req/s (rounds {', '.join(f'{m[0]:.0f}' for m in measured)}; "
                    f"errors {sum(m[1] for m in measured)}); CPU a request gunicorn {web_ms:.2f} + PostgreSQL {db_ms:.2f} ms; "
                    f"new to the connection {statistics.median(m[3] for m in measured):.1f}% of tenant checkouts"
                )
            print(
                f"  tenant / plain by req/s: 10 tenants {rate['10 tenants'] / rate['plain'] * 100:.0f}%, "
                f"1000 tenants {rate['1000 tenants'] / rate['plain'] * 100:.0f}%; by CPU: "
                f"{cost['plain'] / cost['10 tenants'] * 100:.0f}%, {cost['plain'] / cost['1000 tenants'] * 100:.0f}%; "
                f"1000 vs 10 by req/s {rate['1000 tenants'] / rate['10 tenants'] * 100:.0f}%, "
                f"by CPU {cost['10 tenants'] / cost['1000 tenants'] * 100:.0f}%"
            )
        peaks = []
        for _, server in servers.values():
            for pid in [server.pid, *tenancy.children(server.pid)]:
                status = Path(f"/proc/{pid}/status").read_text().splitlines()
                peaks.append(int(next(ln for ln in status if ln.startswith("VmHWM")).split()[1]) / 1024)
        print(
            f"\npeak RSS of this process {tenancy.rss_mb():.0f} MB; gunicorn processes "
            + ", ".join(f"{p:.0f}" for p in peaks)
            + " MB",
            flush=True,
        )
    finally:
        for _, server in servers.values():
            server.terminate()
            server.wait(timeout=20)
        with app.app_context():
            db.engine.dispose()
        stop_redis(app.instance_path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
