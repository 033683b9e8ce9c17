"""Dues figures for BENCHMARKS.md: a renewal run billing many members through the worker
against localstripe (killed halfway with SIGKILL and run again: nobody billed twice), and
the webhook endpoint's accepted events per second with signature checks.

    .venv/bin/python benchmarks/dues.py [members] [webhook events]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder and a localstripe on a
loopback port (its save-to-disk switched off, as in the tests). Prints each figure with
peak memory."""

import json
import multiprocessing
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST", "1024")

import stripe  # noqa: E402
from rq import SimpleWorker  # noqa: E402
from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.database import tenant_scope, utcnow  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.accounts import hasher  # noqa: E402
from coopnet.platform.tenants import TenantRef, signup  # noqa: E402
from coopnet.tenants.dues import jobs, register  # noqa: E402
from coopnet.tenants.dues import settings as dues_settings  # noqa: E402
from coopnet.worker.queues import enqueue_for_tenant, get_queue, redis_connection  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-dues-bench-"))
KEY = "sk_test_benchmarkmayfirst"
WEBHOOK_SECRET = "whsec_benchmarksecret"
LOCALSTRIPE = (
    "import sys, localstripe.resources as r; r.Store.dump_to_disk = lambda self: None; "
    "sys.argv = ['localstripe', '--from-scratch', '--port', sys.argv[1]]; "
    "from localstripe.server import start; start()"
)


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start_localstripe():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", LOCALSTRIPE, str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/js.stripe.com/v3/", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("localstripe did not start")


def setup(app, base, members):
    api = stripe.StripeClient(KEY, base_addresses={"api": base}, max_network_retries=2)

    def customer(i):
        cus = api.v1.customers.create(params={"email": f"m{i}@orgs.example", "name": f"Member {i}"})
        pm = api.v1.payment_methods.create(
            params={
                "type": "card",
                "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
            }
        )
        api.v1.payment_methods.attach(pm.id, params={"customer": cus.id})
        api.v1.customers.update(cus.id, params={"invoice_settings": {"default_payment_method": pm.id}})
        return cus.id

    with app.app_context():
        founder = {"name": "Coordinator", "email": "coordinator@mayfirst.example", "password": "bench-password-123"}
        tenant, _ = signup(db.session, hasher(), "May First", "may-first", founder=founder, kind="membership_org")
        ref = TenantRef(tenant.id, tenant.slug, tenant.name, tenant.kind, tenant.status)
        db.session.commit()
        with tenant_scope(db.session, "may-first"):
            dues_settings.save(db.session, {"stripe_secret_key": KEY, "stripe_webhook_secret": WEBHOOK_SECRET})
            dues_settings.save_schedule(
                db.session,
                "annual",
                {"organization": "250.00", "individual": "50.00"},
                [{"income_up_to": "50000.00", "amount": "100.00"}, {"income_up_to": None, "amount": "250.00"}],
                "25.00",
            )
            with ThreadPoolExecutor(8) as pool:
                customers = list(pool.map(customer, range(members)))
            today = utcnow().date()
            for i, customer_id in enumerate(customers):
                member = register.join(
                    db.session,
                    {"name": f"Member {i}", "email": f"m{i}@orgs.example", "kind": ("organization", "individual")[i % 2],
                     "declared_income": f"{(i % 9) * 20000}.00", "renews_on": today},
                    today,
                )  # fmt: skip
                member.stripe_customer_id, member.has_payment_method = customer_id, True
            db.session.commit()
    return ref, api


def submitted(app):
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM t_may_first.dues_charges WHERE status <> 'pending'")).scalar()


def worker_until_killed(app):
    with app.app_context():
        db.engine.dispose(close=False)
        SimpleWorker([get_queue("default", app)], connection=redis_connection(app)).work(burst=True)


def renewal_run(app, tenant, members):
    print(f"\n## Renewal run billing {members:,} members through the worker against localstripe")
    with app.app_context():
        enqueue_for_tenant(tenant, jobs.renewal_run)
    start = time.perf_counter()
    child = multiprocessing.get_context("fork").Process(target=worker_until_killed, args=(app,))
    child.start()
    while submitted(app) < members // 2 and child.is_alive():
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    killed_at, first = time.perf_counter() - start, submitted(app)
    print(f"  first worker killed (SIGKILL) after {killed_at:.1f} s with {first:,} members billed")
    tracemalloc.start()
    with app.app_context():
        get_queue("default", app).empty()
        enqueue_for_tenant(tenant, jobs.renewal_run)
        again = time.perf_counter()
        SimpleWorker([get_queue("default", app)], connection=redis_connection(app)).work(burst=True)
        second = time.perf_counter() - again
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    total = submitted(app)
    print(f"  second worker billed the other {total - first:,} in {second:.1f} s")
    print(
        f"  {members:,} members in {killed_at + second:.1f} s: {members / (killed_at + second):.0f} members/s "
        f"(first worker {first / killed_at:.0f}/s, second {max(total - first, 1) / second:.0f}/s); "
        f"peak traced memory {peak:.1f} MB, max RSS {rss_mb():.0f} MB"
    )


def billed_twice(app, api):
    with app.app_context(), db.engine.connect() as conn:
        customers = set(conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalars())
        charges = conn.execute(text("SELECT count(*), count(DISTINCT member_id) FROM t_may_first.dues_charges")).one()
    per_customer = Counter(
        s.customer for s in api.v1.subscriptions.list(params={"limit": 100}).auto_paging_iter()
        if s.customer in customers
    )  # fmt: skip
    twice = sum(1 for n in per_customer.values() if n > 1)
    print(
        f"  subscriptions on localstripe: {sum(per_customer.values()):,} for {len(per_customer):,} customers; "
        f"billed twice: {twice}; charges {charges[0]:,} for {charges[1]:,} members"
    )


def webhooks(app, events):
    from tests.tenants.dues.conftest import sign

    print(f"\n## Webhook endpoint: {events:,} signed invoice.payment_succeeded events, one client")
    with app.app_context(), db.engine.connect() as conn:
        customers = list(conn.execute(text("SELECT stripe_customer_id FROM t_may_first.dues_members")).scalars())
    client = app.test_client()
    bodies = []
    for i in range(events):
        body = json.dumps({
            "id": f"evt_bench_{i}", "type": "invoice.payment_succeeded", "created": int(time.time()),
            "data": {"object": {"id": f"in_bench_{i}", "customer": customers[i % len(customers)],
                                "amount_paid": 25000, "currency": "usd"}},
        }).encode()  # fmt: skip
        bodies.append(body)
    tracemalloc.start()
    start = time.perf_counter()
    statuses = Counter()
    for body in bodies:
        response = client.post(
            "/c/may-first/stripe/webhook",
            data=body,
            headers={"Stripe-Signature": sign(body, WEBHOOK_SECRET), "Content-Type": "application/json"},
        )
        statuses[response.status_code] += 1
    elapsed = time.perf_counter() - start
    replay = client.post(
        "/c/may-first/stripe/webhook",
        data=bodies[0],
        headers={"Stripe-Signature": sign(bodies[0], WEBHOOK_SECRET), "Content-Type": "application/json"},
    ).get_json()
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    print(
        f"  {events / elapsed:.0f} events/s accepted ({dict(statuses)} in {elapsed:.1f} s; each verified, "
        f"recorded once and a platform job queued); a replay answers duplicate={replay['duplicate']}; "
        f"peak traced memory {peak:.1f} MB, max RSS {rss_mb():.0f} MB"
    )


def main():
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    process, base = start_localstripe()
    try:
        app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
        app.config["STRIPE_API_BASE"] = base
        with app.app_context():
            run_upgrade(quiet=True)
        start = time.perf_counter()
        tenant, api = setup(app, base, members)
        print(f"set up {members:,} members with cards on localstripe in {time.perf_counter() - start:.1f} s")
        renewal_run(app, tenant, members)
        billed_twice(app, api)
        webhooks(app, events)
        print(f"  reproduce: .venv/bin/python benchmarks/dues.py {members} {events}")
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
