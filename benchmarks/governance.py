"""Governance figures for BENCHMARKS.md: a tally over 10,000 positions, closing 10,000 due
proposals over 1,000 co-ops through the worker, verifying a chain of 10,000 approved minutes.

    .venv/bin/python benchmarks/governance.py [tally|close|verify|all] [co-ops for close, default 1000]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder. Prints each figure
with peak memory."""

import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST", "1024")

from rq import SimpleWorker  # noqa: E402
from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.database import tenant_scope, utcnow  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.accounts import hasher  # noqa: E402
from coopnet.platform.tenants import TenantRef, get_tenant, signup  # noqa: E402
from coopnet.tenants.governance import jobs, minutes, proposals, rulebook  # noqa: E402
from coopnet.tenants.governance.models import ApprovedRecord, Minutes  # noqa: E402
from coopnet.tenants.governance.rules import decide  # noqa: E402
from coopnet.worker.queues import get_queue, redis_connection  # noqa: E402
from coopnet.worker.schedule import for_each_tenant  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-gov-bench-"))
COMMAND = "  reproduce: .venv/bin/python benchmarks/governance.py {}"


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_app():
    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
    with app.app_context():
        run_upgrade(quiet=True)
    return app


def coop(slug, preset="majority"):
    founder = {"name": "Founder", "email": f"founder@{slug}.example", "password": "bench-password-123"}
    tenant, account = signup(db.session, hasher(), slug.title(), slug, founder=founder)
    ref = TenantRef(tenant.id, tenant.slug, tenant.name, tenant.kind, tenant.status)
    founder_ref = SimpleNamespace(id=account.id)
    with tenant_scope(db.session, slug):
        rulebook.adopt_preset(db.session, preset, founder_ref.id)
        db.session.commit()
    return ref, founder_ref


def bench_tally(app, voters=10_000, rounds=20):
    print(f"\n## Tally of one proposal with {voters:,} positions ({rounds} rounds)")
    with app.app_context():
        tenant, founder = coop("tally-coop")
        db.session.execute(
            text(
                "INSERT INTO accounts (email, name, password_hash, created_at, session_generation) "
                "SELECT 'voter' || g || '@bench.example', 'Voter ' || g, 'x', now(), 0 FROM generate_series(1, :n) g"
            ),
            {"n": voters - 1},
        )
        db.session.execute(
            text(
                "INSERT INTO memberships (tenant_id, account_id, role, created_at) "
                "SELECT :t, id, 'member', now() FROM accounts WHERE email LIKE 'voter%@bench.example'"
            ),
            {"t": tenant.id},
        )
        db.session.commit()
        with tenant_scope(db.session, "tally-coop"):
            proposal = proposals.open_proposal(
                db.session, tenant, founder.id, "day-to-day", "Big vote", "", utcnow() + timedelta(days=3)
            )
            db.session.execute(
                text(
                    "INSERT INTO t_tally_coop.positions (proposal_id, account_id, stance, updated_at) "
                    "SELECT :p, account_id, (ARRAY['agree','agree','disagree','abstain'])[1 + account_id % 4], now() "
                    "FROM memberships WHERE tenant_id = :t"
                ),
                {"p": proposal.id, "t": tenant.id},
            )
            db.session.commit()
            timings = []
            for _ in range(rounds):
                start = time.perf_counter()
                rule = proposals.rule_of(db.session, proposal)
                eligible = proposals.eligible_count(db.session, tenant, rule)
                tally = proposals.tally_of(db.session, tenant, proposal, rule)
                outcome = decide(rule, tally, eligible)
                timings.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
    print(
        f"rule + eligible voters + tally + outcome: median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms ({sum(tally.values()):,} positions, {eligible:,} eligible, {outcome}); "
        f"peak RSS python {rss_mb():.0f} MB"
    )
    print(COMMAND.format("tally"))


def bench_close(app, coops=1000, per_coop=10):
    print(f"\n## Closing {coops * per_coop:,} due proposals over {coops:,} co-ops through one worker")
    with app.app_context():
        start = time.perf_counter()
        for i in range(coops):
            tenant, founder = coop(f"close-{i:04d}")
            schema = tenant.schema
            db.session.execute(
                text(
                    f'INSERT INTO "{schema}".proposals (category, title, body, author_id, rulebook_version, opened_at, '
                    "closes_at, status) SELECT 'day-to-day', 'Due ' || g, '', :a, 1, now() - interval '2 days', "
                    "now() - interval '1 minute', 'open' FROM generate_series(1, :n) g"
                ),
                {"a": founder.id, "n": per_coop},
            )
            db.session.execute(
                text(
                    f'INSERT INTO "{schema}".positions (proposal_id, account_id, stance, updated_at) '
                    f"SELECT id, :a, 'agree', now() FROM \"{schema}\".proposals"
                ),
                {"a": founder.id},
            )
            db.session.commit()
        print(f"set up {coops:,} co-ops in {time.perf_counter() - start:.1f} s")
        queues = [get_queue(name) for name in app.config["RQ_QUEUES"]]
        for_each_tenant(jobs.sweep)
        start = time.perf_counter()
        SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)
        elapsed = time.perf_counter() - start
        closed = 0
        for i in (0, coops // 2, coops - 1):
            with tenant_scope(db.session, f"close-{i:04d}"):
                closed += len(proposals.listing(db.session)) - len(proposals.due(db.session))
                db.session.rollback()
    print(
        f"sweep through one in-process worker: {coops * per_coop:,} proposals in {elapsed:.1f} s = "
        f"{coops * per_coop / elapsed:,.0f} proposals/s ({coops / elapsed:,.0f} co-ops/s); spot check closed "
        f"{closed} of {3 * per_coop}; peak RSS python {rss_mb():.0f} MB"
    )
    print(COMMAND.format(f"close {coops}"))


def bench_verify(app, records=10_000, rounds=5):
    print(f"\n## Verifying a chain of {records:,} approved minutes ({rounds} rounds)")
    with app.app_context():
        _, founder = coop("chain-coop", "electric-embers")
        with tenant_scope(db.session, "chain-coop"):
            previous = minutes.GENESIS
            day = date(2000, 1, 1)
            for i in range(records):
                row = Minutes(
                    held_on=day + timedelta(days=i),
                    attendees=[founder.id],
                    issues=f"Meeting {i}",
                    decisions=[{"text": f"Decision {i}"}],
                    written_by=founder.id,
                    status="approved",
                    approved_at=utcnow(),
                )
                db.session.add(row)
                db.session.flush()
                content = minutes.canonical(row)
                digest = minutes.chain_hash(previous, content)
                db.session.add(ApprovedRecord(minutes_id=row.id, content=content, previous_hash=previous, hash=digest))
                previous = digest
                if i % 1000 == 999:
                    db.session.commit()
            db.session.commit()
            timings = []
            for _ in range(rounds):
                db.session.expunge_all()
                start = time.perf_counter()
                result = minutes.verify(db.session)
                timings.append((time.perf_counter() - start) * 1000)
                db.session.rollback()
    print(
        f"verify: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms "
        f"({result['records']:,} records, ok={result['ok']}); peak RSS python {rss_mb():.0f} MB"
    )
    print(COMMAND.format("verify"))


def main(which, coops=1000):
    from coopnet.embedded import stop_redis

    app = make_app()
    with app.app_context():
        version = db.session.execute(text("SHOW server_version")).scalar()
        get_tenant(db.session, "none")
    print(f"coopnet governance benchmarks; PostgreSQL {version}; {os.cpu_count()} CPUs; instance {INSTANCE}")
    try:
        if which in ("tally", "all"):
            bench_tally(app)
        if which in ("verify", "all"):
            bench_verify(app)
        if which in ("close", "all"):
            bench_close(app, coops)
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "all", int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
