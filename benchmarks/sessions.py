"""Log-in and session-check cost for BENCHMARKS.md: what a cookie session costs a request.

    .venv/bin/python benchmarks/sessions.py [requests, default 3000]

Runs on a fresh embedded PostgreSQL and Redis in a temporary folder, through Flask's
test client (no HTTP server), one co-op, with 20,000 other sessions on record (ended or
live) so the check reads a table of realistic size. Prints, interleaved in rounds:
  - log-in (POST /api/v1/session) at the production password-hash cost;
  - a cookie-session request to the account API and to the co-op's dashboard;
  - the same two requests with an API token, which skips the session check,
so the session check's share of a request can be read off. Each figure is a median with
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


def timed(client, path, count, headers=None):
    timings = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(timings)


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
            table = other_sessions(account.id)
        print(
            f"coopnet session benchmark; PostgreSQL {version}; {os.cpu_count()} CPUs; session check reads "
            f"{table} ({OTHER_SESSIONS:,} other rows); argon2 time cost {app.config['ARGON2_TIME_COST']}, "
            f"memory {app.config['ARGON2_MEMORY_COST']} KiB"
        )
        cookie, token = app.test_client(), app.test_client()
        bearer = {"Authorization": f"Bearer {secret}"}
        figures = {key: [] for key in ("login", "cookie_api", "token_api", "cookie_page", "token_page")}
        per_round = requests // ROUNDS
        for _ in range(ROUNDS):
            logins = []
            for _ in range(5):
                start = time.perf_counter()
                response = cookie.post("/api/v1/session", json={"email": "bench@bench.example", "password": PASSWORD})
                logins.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.get_data(as_text=True)
            figures["login"].append(statistics.median(logins))
            figures["cookie_api"].append(timed(cookie, "/api/v1/account", per_round))
            figures["token_api"].append(timed(token, "/api/v1/account", per_round, bearer))
            figures["cookie_page"].append(timed(cookie, "/c/bench/", per_round))
            figures["token_page"].append(timed(token, "/c/bench/api/v1/outbox", per_round, bearer))
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
        print(f"peak RSS python {rss_mb():.0f} MB; {requests:,} requests of each kind in {ROUNDS} interleaved rounds")
        print(COMMAND.format(requests))
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
