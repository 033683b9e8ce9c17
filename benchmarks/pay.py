"""Pay figures for BENCHMARKS.md: one co-op of 50 members with 1,000,000 time entries;
a monthly pay run, the year-end split (with its instalment schedule), the year's net surplus
from the books, a member's capital statement, and a 5,000-row time CSV
import (its preview, and the import itself).

    .venv/bin/python benchmarks/pay.py [entries]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder. Prints each
figure with peak memory."""

import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST", "1024")

from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.database import tenant_scope  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.accounts import hasher  # noqa: E402
from coopnet.platform.tenants import signup  # noqa: E402
from coopnet.tenants.pay import net_surplus, payroll, surplus, time_csv, timesheets  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-pay-bench-"))
MEMBERS = 50
YEAR = 2025


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(call, rounds=5):
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = call()
        timings.append((time.perf_counter() - start) * 1000)
        db.session.rollback()
    return statistics.median(timings), max(timings), result


def main(entries):
    from coopnet.embedded import stop_redis

    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
    print(f"coopnet pay benchmarks; {os.cpu_count()} CPUs; instance {INSTANCE}")
    try:
        with app.app_context():
            run_upgrade(quiet=True)
            founder = {"name": "Founder", "email": "founder@pay.example", "password": "bench-password-123"}
            _, account = signup(db.session, hasher(), "Pay Coop", "pay-coop", founder=founder)
            founder_id = account.id
            db.session.execute(
                text(
                    "INSERT INTO accounts (email, name, password_hash, created_at, session_generation) "
                    "SELECT 'm' || g || '@pay.example', 'Member ' || g, '!', now(), 0 FROM generate_series(1, :n) g"
                ),
                {"n": MEMBERS - 1},
            )
            db.session.commit()
            ids = [
                founder_id,
                *db.session.execute(text("SELECT id FROM accounts WHERE email LIKE 'm%@pay.example'")).scalars(),
            ]
            with tenant_scope(db.session, "pay-coop"):
                timesheets.ensure_kinds(db.session)
                payroll.set_policy(db.session, {"effective_from": f"{YEAR}-01-01", "rates": {"member": "25.00"}})
                surplus.set_policy(db.session, {"reserve_share": "0.25", "cash_share": "0.20"})
                db.session.commit()
            start = time.perf_counter()
            db.session.execute(
                text(
                    "INSERT INTO t_pay_coop.time_entries (account_id, worked_on, minutes, kind, billable, note, "
                    "entered_by, created_at) SELECT (:ids)[1 + g % :m], CAST(:start AS date) + (g % 365), 15 + g % 60, "
                    "CASE WHEN g % 4 = 0 THEN 'internal' ELSE 'client' END, g % 4 <> 0, '', :f, now() "
                    "FROM generate_series(1, :n) g"
                ),
                {"ids": ids, "m": MEMBERS, "start": date(YEAR, 1, 1), "f": founder_id, "n": entries},
            )
            db.session.commit()
            db.session.execute(text("ANALYZE t_pay_coop.time_entries"))
            db.session.commit()
            print(
                f"\n## One co-op, {MEMBERS} members, {entries:,} time entries over {YEAR} (inserted in "
                f"{time.perf_counter() - start:.1f} s)"
            )
            tenant = db.session.execute(text("SELECT * FROM tenants WHERE slug = 'pay-coop'")).one()
            with tenant_scope(db.session, "pay-coop"):
                median, worst, run = timed(
                    lambda: payroll.start_run(db.session, tenant, founder_id, date(YEAR, 3, 1), date(YEAR, 3, 31))
                )
                print(
                    f"monthly pay run (March, {sum(line.minutes for line in run.lines) // 60:,} hours, "
                    f"{len(run.lines)} lines): median {median:.0f} ms, max {worst:.0f} ms"
                )
                median, worst, split = timed(lambda: surplus.allocate(db.session, founder_id, YEAR, "250000.00"))
                print(
                    f"year-end split of 250000.00 over {len(split.members)} members: median {median:.0f} ms, "
                    f"max {worst:.0f} ms"
                )
                surplus.allocate(db.session, founder_id, YEAR, "250000.00")
                db.session.commit()
                median, worst, books = timed(lambda: net_surplus.compute(db.session, YEAR), rounds=10)
                print(
                    f"the year's net surplus from the books (income {books.income / 100:.2f}, pay "
                    f"{books.pay / 100:.2f}): median {median:.1f} ms, max {worst:.1f} ms"
                )
                median, worst, (balance, rows) = timed(lambda: surplus.capital_account(db.session, ids[7]), rounds=20)
                print(
                    f"a member's capital statement ({len(rows)} entries, balance {balance / 100:.2f}): "
                    f"median {median:.1f} ms, max {worst:.1f} ms"
                )
                first = date(YEAR + 1, 1, 1).toordinal()
                csv_text = "email,worked_on,minutes,kind,billable,note\n" + "".join(  # the founder's own time
                    f",{date.fromordinal(first + i % 365).isoformat()},30,internal,no,row {i}\n" for i in range(5000)
                )
                median, worst, found = timed(
                    lambda: time_csv.preview(db.session, tenant, founder_id, True, csv_text), rounds=3
                )
                print(
                    f"time CSV import preview, 5,000 rows ({len(found['problems'])} with problems): "
                    f"median {median:.0f} ms, max {worst:.0f} ms"
                )
                median, worst, imported = timed(
                    lambda: time_csv.import_time(db.session, tenant, founder_id, True, csv_text), rounds=3
                )
                print(f"time CSV import, {len(imported):,} rows written: median {median:.0f} ms, max {worst:.0f} ms")
            print(f"peak RSS python {rss_mb():.0f} MB")
            print(f"  reproduce: .venv/bin/python benchmarks/pay.py {entries}")
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
