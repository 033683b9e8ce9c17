"""Network figures for BENCHMARKS.md: ranking the matches for one client request against a
network of 10,000 members, and the public directory search page at that size.

    .venv/bin/python benchmarks/network.py [members, default 10000] [rounds, default 50]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder. Members are
consultants with 2 to 5 skills each from the shared vocabulary, a region, availability
and a date last offered work, inserted in SQL. Prints each figure with peak memory."""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARGON2_TIME_COST", "1")
os.environ.setdefault("ARGON2_MEMORY_COST", "1024")

from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.network import directory, referrals  # noqa: E402
from coopnet.platform.accounts import hasher  # noqa: E402
from coopnet.platform.tenants import signup  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-net-bench-"))
COMMAND = "  reproduce: .venv/bin/python benchmarks/network.py {} {}"
REGIONS = ["Oakland", "Seattle", "Portland", "Chicago", "Minneapolis", "Brooklyn", "Austin", "Toronto"]


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(timings):
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def populate(members):
    founder = {"name": "Coordinator", "email": "clients@bench-network.example", "password": "bench-password-123"}
    network, _ = signup(db.session, hasher(), "Bench Network", "bench-network", founder=founder, kind="network")
    db.session.execute(
        text(
            "INSERT INTO accounts (email, name, password_hash, created_at, session_generation) "
            "SELECT 'consultant' || g || '@bench.example', 'Consultant ' || g, 'x', now(), 0 "
            "FROM generate_series(1, :n) g"
        ),
        {"n": members},
    )
    db.session.execute(
        text(
            """
            INSERT INTO network_members (network_id, account_id, joined_at, skills, tags, services, region,
                time_zone, languages, taking_work, rates, public_fields, last_offered_at)
            SELECT :network, a.id, now(),
                   ARRAY(SELECT s FROM unnest(CAST(:vocabulary AS varchar[])) s
                         ORDER BY md5(s || a.id) LIMIT 2 + a.id % 4),
                   '{}', 'Consulting for movements', (CAST(:regions AS varchar[]))[1 + a.id % 8],
                   'America/Chicago', '{english}', a.id % 5 <> 0, 'sliding scale',
                   '{skills,region,services,availability}',
                   CASE WHEN a.id % 3 = 0 THEN NULL ELSE now() - (a.id % 90) * interval '1 day' END
            FROM accounts a WHERE a.email LIKE 'consultant%@bench.example'
            """
        ),
        {"network": network.id, "vocabulary": list(directory.SKILLS), "regions": REGIONS},
    )
    db.session.execute(
        text(
            "UPDATE network_members SET search = to_tsvector('simple', array_to_string(skills, ' ') || ' ' "
            "|| services || ' ' || region) WHERE network_id = :network"
        ),
        {"network": network.id},
    )
    db.session.commit()
    db.session.execute(text("ANALYZE network_members"))
    db.session.commit()
    request = referrals.submit(
        db.session,
        network,
        {
            "organisation": "Tenants Union",
            "contact_name": "Rosa",
            "email": "rosa@tenants.example",
            "need": "A Drupal site with CiviCRM.",
            "skills": ["drupal", "civicrm", "accessibility"],
        },
        "bench",
    )
    db.session.commit()
    return network.id, request.id


def bench_rank(app, network_id, request_id, members, rounds):
    print(f"\n## Ranking the matches for one request, {members:,} members ({rounds} rounds)")
    with app.app_context():
        skills = ["drupal", "civicrm", "accessibility"]
        referrals.rank(db.session, network_id, request_id, skills)  # warm
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            found = referrals.rank(db.session, network_id, request_id, skills, limit=20)
            timings.append((time.perf_counter() - start) * 1000)
        candidates = db.session.execute(
            text("SELECT count(*) FROM network_members WHERE network_id = :n AND skills && CAST(:s AS varchar[])"),
            {"n": network_id, "s": skills},
        ).scalar()
    print(f"rank: {figures(timings)} ({candidates:,} members match a skill; top score {found[0]['score']})")
    print(f"peak RSS python {rss_mb():.0f} MB")
    print(COMMAND.format(members, rounds))
    return statistics.median(timings)


def bench_directory(app, members, rounds):
    print(f"\n## The public directory search page, {members:,} members ({rounds} rounds each)")
    client = app.test_client()
    results = {}
    for label, query in (
        ("skill", "skill=drupal"),
        ("skill and region", "skill=drupal&region=Oak"),
        ("words", "q=civicrm"),
        ("no filter, page 100", "page=100"),
    ):
        client.get(f"/c/bench-network/directory?{query}")  # warm
        timings = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(f"/c/bench-network/directory?{query}")
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[label] = statistics.median(timings)
        print(f"{label} (/directory?{query}): {figures(timings)}")
    print(f"peak RSS python {rss_mb():.0f} MB")
    return results


def main(members=10_000, rounds=50):
    from coopnet.embedded import stop_redis

    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
    with app.app_context():
        run_upgrade(quiet=True)
        version = db.session.execute(text("SHOW server_version")).scalar()
    print(f"coopnet network benchmarks; PostgreSQL {version}; {os.cpu_count()} CPUs; instance {INSTANCE}")
    try:
        with app.app_context():
            started = time.perf_counter()
            network_id, request_id = populate(members)
            print(f"populated {members:,} members in {time.perf_counter() - started:.1f} s")
        bench_rank(app, network_id, request_id, members, rounds)
        bench_directory(app, members, rounds)
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 50)
