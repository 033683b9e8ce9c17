"""Membership figures for BENCHMARKS.md: the daily probation check over many co-ops of
50 people through the worker, and importing a 5,000-row register CSV.

    .venv/bin/python benchmarks/membership.py [check|import|all] [co-ops]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder. Prints each
figure with peak memory."""

import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST", "1024")

from rq import SimpleWorker  # noqa: E402
from rq.job import Job  # noqa: E402
from rq.registry import FinishedJobRegistry  # noqa: E402
from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.database import tenant_scope  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.accounts import hasher  # noqa: E402
from coopnet.platform.tenants import TenantRef, signup  # noqa: E402
from coopnet.tenants.governance import rulebook  # noqa: E402
from coopnet.tenants.membership import lifecycle, people  # noqa: E402
from coopnet.tenants.membership.jobs import check_probation  # noqa: E402
from coopnet.worker.queues import get_queue, redis_connection  # noqa: E402
from coopnet.worker.schedule import for_each_tenant  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-member-bench-"))


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app():
    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
    with app.app_context():
        run_upgrade(quiet=True)
    return app


def coop(slug):
    founder = {"name": "Founder", "email": f"founder@{slug}.example", "password": "bench-password-123"}
    tenant, account = signup(db.session, hasher(), slug.title(), slug, founder=founder)
    ref = TenantRef(tenant.id, tenant.slug, tenant.name, tenant.kind, tenant.status)
    founder_id = account.id
    with tenant_scope(db.session, slug):
        rulebook.adopt_preset(db.session, "quilted", founder_id)
        lifecycle.set_policy(db.session, {"probation_months": 6, "probation_hours": "520", "buy_in": "0.00"})
        db.session.commit()
    return ref, founder_id


def run_worker(app):
    """Drain the queue with one in-process worker; (wall seconds, {job kind: [seconds each]})."""
    queues = [get_queue(name) for name in app.config["RQ_QUEUES"]]
    start = time.perf_counter()
    SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)
    wall = time.perf_counter() - start
    kinds = {}
    for queue in queues:
        registry = FinishedJobRegistry(queue=queue)
        for job in Job.fetch_many(registry.get_job_ids(), connection=redis_connection(app)):
            if job is None or job.started_at is None:
                continue
            kind = (job.description or "").split(" for ")[0]
            kinds.setdefault(kind, []).append((job.ended_at - job.started_at).total_seconds())
        # The next phase counts only its own jobs. Jobs finished longer ago than their result
        # TTL (500 s) are gone already and not in the medians; their entries go with the key.
        redis_connection(app).delete(registry.key)
    return wall, kinds


def describe(kinds):
    return "; ".join(
        f"{kind.rsplit('.', 1)[-1]}: {len(times):,} jobs, median {statistics.median(times) * 1000:.1f} ms, "
        f"total {sum(times):.1f} s"
        for kind, times in sorted(kinds.items())
    )


def bench_check(app, coops=1000, people_each=50):
    print(f"\n## Daily probation check over {coops:,} co-ops of {people_each} people, one in-process worker")
    with app.app_context():
        start = time.perf_counter()
        schemas = []
        for i in range(coops):
            tenant, founder = coop(f"check-{i:04d}")
            schema = tenant.schema
            schemas.append(schema)
            # 40 members and 10 candidates, each candidate with hours; one candidate a co-op meets the policy.
            db.session.execute(
                text(
                    "INSERT INTO accounts (email, name, password_hash, created_at, session_generation) "
                    "SELECT :p || g || '@bench.example', 'Person ' || g, '!', now(), 0 FROM generate_series(1, :n) g"
                ),
                {"p": f"c{i}-", "n": people_each},
            )
            db.session.execute(
                text(
                    f'INSERT INTO "{schema}".member_records (account_id, status, since, class, candidate_since, '
                    "entrance_fee_owed, entrance_fee_deferred) SELECT id, CASE WHEN row_number() OVER (ORDER BY id) <= 10 "
                    "THEN 'candidate' ELSE 'member' END, current_date - 200, 'member', current_date - 200, 0, false "
                    "FROM accounts WHERE email LIKE :like"
                ),
                {"like": f"c{i}-%@bench.example"},
            )
            db.session.execute(
                text(
                    "INSERT INTO memberships (tenant_id, account_id, role, created_at) SELECT :t, a.id, "
                    f"CASE r.status WHEN 'member' THEN 'member' ELSE 'candidate' END, now() FROM accounts a "
                    f'JOIN "{schema}".member_records r ON r.account_id = a.id'
                ),
                {"t": tenant.id},
            )
            db.session.execute(
                text(
                    f'INSERT INTO "{schema}".hours_entries (account_id, worked_on, hours, entered_by, created_at) '
                    "SELECT r.account_id, current_date - d, CASE WHEN r.account_id = (SELECT min(account_id) FROM "
                    f"\"{schema}\".member_records WHERE status = 'candidate') THEN 6 ELSE 4 END, :f, now() "
                    f"FROM \"{schema}\".member_records r, generate_series(1, 90) d WHERE r.status = 'candidate'"
                ),
                {"f": founder},
            )
            db.session.commit()
        print(f"set up in {time.perf_counter() - start:.1f} s")
        run_worker(app)  # whatever set-up (or an earlier benchmark) queued, so it is not counted below

        def set_hours(hours):
            for schema in schemas:
                db.session.execute(text(f'UPDATE "{schema}".membership_policy SET probation_hours = :h'), {"h": hours})
            db.session.commit()

        # First nobody is ready (the policy asks 1,000 hours): the check alone, one query a co-op.
        set_hours(1000)
        for_each_tenant(check_probation)
        quiet, quiet_kinds = run_worker(app)
        print(
            f"nobody ready: {coops:,} co-ops ({coops * people_each:,} people) checked in {quiet:.1f} s through the "
            f"worker, {quiet / coops * 1000:.1f} ms a co-op ({describe(quiet_kinds)})",
            flush=True,
        )
        # Then one candidate a co-op has served 6 months and 540 hours: the vote opens and the
        # ~50 people who may vote are mailed (a delivery job each).
        set_hours(520)
        for_each_tenant(check_probation)
        busy, busy_kinds = run_worker(app)
        with tenant_scope(db.session, "check-0000"):
            opened = db.session.execute(
                text("SELECT count(*) FROM t_check_0000.proposals WHERE category = 'admission'")
            ).scalar()
            db.session.rollback()
    print(
        f"one ready a co-op: {busy:.1f} s through the worker, {busy / coops * 1000:.1f} ms a co-op with the vote "
        f"opened and its mail delivered ({describe(busy_kinds)}; admission proposals opened in the first co-op: "
        f"{opened}); peak RSS python {rss_mb():.0f} MB"
    )
    print(f"  reproduce: .venv/bin/python benchmarks/membership.py check {coops}")


def bench_import(app, rows=5000):
    print(f"\n## Importing a {rows:,}-row register CSV (preview, then the import, one transaction)")
    lines = ["email,name,status,since,class"]
    for i in range(rows):
        since = date(2010, 1, 1) + timedelta(days=i % 5000)
        lines.append(f"person{i}@import.example,Person {i},{'member' if i % 5 else 'candidate'},{since},member")
    csv = "\n".join(lines) + "\n"
    with app.app_context():
        tenant, founder = coop("import-coop")
        with tenant_scope(db.session, "import-coop"):
            tracemalloc.start()
            start = time.perf_counter()
            from coopnet.tenants.membership import register_csv

            found = register_csv.preview(db.session, tenant, csv)
            preview_s = time.perf_counter() - start
            start = time.perf_counter()
            imported = people.import_register(db.session, tenant, founder, csv, "bench-secret" * 4, lambda t: f"/w/{t}")
            db.session.commit()
            import_s = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
            tracemalloc.stop()
    print(
        f"preview {preview_s:.1f} s ({len(found['problems'])} problems); import {import_s:.1f} s for {imported:,} people "
        f"(accounts created, each mailed a set-password link); Python heap peak {peak:.0f} MB, peak RSS {rss_mb():.0f} MB"
    )
    print("  reproduce: .venv/bin/python benchmarks/membership.py import")


def main(which, coops):
    from coopnet.embedded import stop_redis

    app = make_app()
    print(f"coopnet membership benchmarks; {os.cpu_count()} CPUs; instance {INSTANCE}")
    try:
        if which in ("import", "all"):
            bench_import(app)
        if which in ("check", "all"):
            bench_check(app, coops)
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all", int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
