"""Log-in and session-check cost for BENCHMARKS.md: what a cookie session costs a request.

    .venv/bin/python benchmarks/sessions.py [requests, default 3000]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder, through Flask's
test client (no HTTP server), one co-op, with 20,000 other sessions on record (ended or
live) so the check reads a table of realistic size. Prints, interleaved in rounds:
  - log-in (POST /api/v1/session) at the production password-hash cost;
  - a cookie-session request to the account API and to the co-op's dashboard;
  - the same two requests with an API token, which skips the session check,
so the session check's share of a request can be read off. The four requests take
turns one by one, so a busy moment of the machine weighs on all alike. Each figure is a median with
its spread over rounds, and peak memory."""

import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.cli import run_upgrade  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.accounts import hasher, issue_token  # noqa: E402
from coopnet.platform.tenants import signup  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-session-bench-"))
COMMAND = "  reproduce: .venv/bin/python benchmarks/sessions.py {}"
PASSWORD = "bench-password-123"
OTHER_SESSIONS = 20_000
ROUNDS = 5
PER_ROUND = 400


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def session_table():
    """The table the session check reads, whichever this version of the code has."""
    names = set(
        db.session.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        ).scalars()
    )
    return next(name for name in ("account_sessions", "ended_sessions") if name in names)


def other_sessions(account_id):
    """Fill the session table with other people's sessions, as a busy platform has."""
    table = session_table()
    if table == "ended_sessions":
        statement = (
            "INSERT INTO ended_sessions (session_id, account_id, ended_at) "
            "SELECT 'bench' || g, :account, now() FROM generate_series(1, :n) g"
        )
    else:
        statement = (
            "INSERT INTO account_sessions (session_id, account_id, started_at, seen_at, user_agent, address) "
            "SELECT 'bench' || g, :account, now(), now(), 'bench', '127.0.0.1' FROM generate_series(1, :n) g"
        )
    db.session.execute(text(statement), {"account": account_id, "n": OTHER_SESSIONS})
    db.session.commit()
    return table


def timed(requests):
    """Time each of ``requests`` (client, path, headers) in turn, again and again, so a
    busy moment of the machine falls on all of them alike; ms medians in order."""
    timings = [[] for _ in requests]
    for _ in range(PER_ROUND):
        for index, (client, path, headers) in enumerate(requests):
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            timings[index].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    return [statistics.median(values) for values in timings]


CHECKS = {
    "no session check (id only)": "SELECT * FROM accounts WHERE id = :id",
    "before: generation + anti-join on ended sessions": (
        "SELECT * FROM accounts WHERE id = :id AND session_generation = :generation "
        "AND NOT EXISTS (SELECT 1 FROM bench_ended_sessions WHERE session_id = :session_id)"
    ),
    "now: generation + live session record": (
        "SELECT * FROM accounts WHERE id = :id AND session_generation = :generation "
        "AND EXISTS (SELECT 1 FROM account_sessions WHERE session_id = :session_id "
        "AND account_id = accounts.id AND ended_at IS NULL)"
    ),
}


def bench_check(account_id, session_id, count=5000):
    """The login query's session check alone, the old form and the new one taking turns
    on one connection, each against 20,000 other rows."""
    db.session.execute(
        text(
            "CREATE TEMP TABLE bench_ended_sessions (session_id varchar(32) PRIMARY KEY, account_id bigint, "
            "ended_at timestamptz)"
        )
    )
    db.session.execute(
        text("INSERT INTO bench_ended_sessions SELECT 'ended' || g, :account, now() FROM generate_series(1, :n) g"),
        {"account": account_id, "n": OTHER_SESSIONS},
    )
    db.session.execute(text("ANALYZE bench_ended_sessions"))
    db.session.execute(text("ANALYZE account_sessions"))
    params = {"id": account_id, "generation": 0, "session_id": session_id}
    statements = {label: text(sql) for label, sql in CHECKS.items()}
    timings = {label: [] for label in CHECKS}
    for _ in range(count):
        for label, statement in statements.items():
            start = time.perf_counter()
            row = db.session.execute(statement, params).first()
            timings[label].append((time.perf_counter() - start) * 1_000_000)
            assert row is not None, label
    for label, values in timings.items():
        print(f"session check, {label}: median {statistics.median(values):.0f} µs ({count:,} queries)")
    db.session.rollback()


def main(requests=3000):
    from coopnet.embedded import stop_redis

    app = create_app({"INSTANCE_PATH": str(INSTANCE), "DATABASE_URL": None, "REDIS_URL": None})
    try:
        with app.app_context():
            run_upgrade(quiet=True)
            version = db.session.execute(text("SHOW server_version")).scalar()
            founder = {"name": "Bench", "email": "bench@bench.example", "password": PASSWORD}
            _, account = signup(db.session, hasher(), "Bench", "bench", founder=founder, founder_verified=True)
            _, secret = issue_token(db.session, account, "bench")
            db.session.commit()
            account_id = account.id
            table = other_sessions(account_id)
        print(
            f"coopnet session benchmark; PostgreSQL {version}; {os.cpu_count()} CPUs; session check reads "
            f"{table} ({OTHER_SESSIONS:,} other rows); argon2 time cost {app.config['ARGON2_TIME_COST']}, "
            f"memory {app.config['ARGON2_MEMORY_COST']} KiB"
        )
        cookie, token = app.test_client(), app.test_client()
        bearer = {"Authorization": f"Bearer {secret}"}
        figures = {key: [] for key in ("login", "cookie_api", "token_api", "cookie_page", "token_page")}
        global PER_ROUND
        PER_ROUND = requests // ROUNDS
        for _ in range(ROUNDS):
            logins = []
            for _ in range(5):
                start = time.perf_counter()
                response = cookie.post("/api/v1/session", json={"email": "bench@bench.example", "password": PASSWORD})
                logins.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.get_data(as_text=True)
            figures["login"].append(statistics.median(logins))
            medians = timed(
                [
                    (cookie, "/api/v1/account", None),
                    (token, "/api/v1/account", bearer),
                    (cookie, "/c/bench/", None),
                    (token, "/c/bench/api/v1/outbox", bearer),
                ]
            )
            for key, median in zip(("cookie_api", "token_api", "cookie_page", "token_page"), medians, strict=True):
                figures[key].append(median)
        labels = {
            "login": "log-in, POST /api/v1/session",
            "cookie_api": "GET /api/v1/account, cookie session",
            "token_api": "GET /api/v1/account, API token",
            "cookie_page": "GET /c/bench/ (dashboard page), cookie session",
            "token_page": "GET /c/bench/api/v1/outbox, API token (tenant resolution, no session check)",
        }
        for key, label in labels.items():
            values = figures[key]
            print(f"{label}: median {statistics.median(values):.2f} ms (rounds {min(values):.2f}-{max(values):.2f})")
        with app.app_context():
            live = db.session.execute(
                text("SELECT session_id FROM account_sessions WHERE account_id = :a AND ended_at IS NULL LIMIT 1"),
                {"a": account_id},
            ).scalar()
            if live and table == "account_sessions":
                bench_check(account_id, live)
        print(f"peak RSS python {rss_mb():.0f} MB; {requests:,} requests of each kind in {ROUNDS} interleaved rounds")
        print(COMMAND.format(requests))
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
