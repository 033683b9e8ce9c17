"""`coopnet db upgrade` with one new tenant migration (the rehearsal revision in
tests/rehearsal.py: a column and an index), end to end and in-process, and how it
scales with the number of schemas.

    .venv/bin/python benchmarks/upgrade.py [cli|scale] [--sizes 1000,3000,10000]

cli:   1,000 schemas; `coopnet db upgrade --workers 2` run as an operator runs it
       after deploying a release that holds the new revision (a copy of the package
       with the revision added, on PYTHONPATH), then the same with nothing pending,
       then upgrade_tenants() in-process.
scale: upgrade_tenants() in-process, 2 workers, at each size; peak private memory
       of the worker backends, sampled every 100 ms; with DB_TENANTS_PER_CONNECTION
       recycling (default) and, at the sizes given by --without-recycling, without.

Runs on a fresh embedded PostgreSQL in a temporary folder (BENCH_INSTANCE to reuse one)."""

import argparse
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.backends import BackendMemory  # noqa: E402
from coopnet import create_app  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.migrate import tenant_head, upgrade_shared, upgrade_tenants  # noqa: E402
from coopnet.platform.models import Tenant  # noqa: E402
from coopnet.platform.provisioning import provision_schema  # noqa: E402
from tests.rehearsal import NEW_REVISION, tree_with_priority_column, write_priority_revision  # noqa: E402

INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-upgrade-"))


def command_line():
    return ".venv/bin/python benchmarks/upgrade.py " + " ".join(sys.argv[1:])


def _provision(url, schemas):
    engine = create_engine(url, pool_size=1, max_overflow=0)
    for first in range(0, len(schemas), 10):  # each schema's DDL holds its locks until commit
        with engine.begin() as conn:
            for schema in schemas[first : first + 10]:
                provision_schema(conn, schema)
    engine.dispose()


def grow_to(app, count, prefix="up"):
    """Tenant rows and schemas at head until ``count`` exist (schemas made in 2 processes)."""
    with app.app_context():
        have = db.session.query(Tenant).filter(Tenant.slug.like(f"{prefix}-%")).count()
        db.session.add_all(Tenant(slug=f"{prefix}-{i:05d}", name=f"{prefix} {i}") for i in range(have, count))
        db.session.commit()
        existing = set(
            db.session.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'")).scalars()
        )
        missing = [s for s in schemas_of(app, prefix)[:count] if s not in existing]
        url = db.engine.url.render_as_string(hide_password=False)
        db.session.remove()
        db.engine.dispose()  # forked children must not share the parent's connections
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_provision, args=(url, missing[i::2])) for i in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0


def schemas_of(app, prefix="up"):
    with app.app_context():
        return [t.schema for t in db.session.query(Tenant).filter(Tenant.slug.like(f"{prefix}-%")).order_by(Tenant.id)]


def reset(app, schemas):
    """Undo the rehearsal revision everywhere (back to the tenant head)."""
    with app.app_context():
        engine = db.engine
        for start in range(0, len(schemas), 200):
            with engine.begin() as conn:
                script = "".join(
                    f'SET LOCAL search_path TO "{s}"; DROP INDEX IF EXISTS ix_outbox_messages_priority; '
                    "ALTER TABLE outbox_messages DROP COLUMN IF EXISTS priority; "
                    f"UPDATE alembic_version SET version_num = '{tenant_head()}';\n"
                    for s in schemas[start : start + 200]
                )
                with conn.connection.dbapi_connection.cursor() as cursor:
                    cursor.execute(script + "SET LOCAL search_path TO DEFAULT")


def release_with_rehearsal_revision(folder):
    """A copy of the package with the rehearsal revision in its tenant tree: what an
    operator has after deploying a release that adds one tenant migration."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "coopnet", folder / "coopnet", ignore=shutil.ignore_patterns("__pycache__"))
    write_priority_revision(folder / "coopnet" / "migrations" / "tenant" / "versions")
    return folder


def cli_env(app, release):
    with app.app_context():
        return dict(
            os.environ,
            PYTHONPATH=str(release),
            DATABASE_URL=app.config["DATABASE_URL"],
            REDIS_URL=app.config["REDIS_URL"],
            COOPNET_INSTANCE=str(INSTANCE),
        )


def run_cli(app, release, workers=2):
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "coopnet", "db", "upgrade", "--workers", str(workers)],
        cwd=release,
        env=cli_env(app, release),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.perf_counter() - began, out.strip().splitlines()[-1]


def in_process(app, schemas, script, tenants_per_connection=None):
    with app.app_context():
        engine = db.engine
        own = None
        with engine.connect() as conn:
            own = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with BackendMemory(engine, own) as memory:
            began = time.perf_counter()
            _, upgraded, failed = upgrade_tenants(
                engine, schemas, workers=2, script=script, tenants_per_connection=tenants_per_connection
            )
            elapsed = time.perf_counter() - began
    assert not failed and len(upgraded) == len(schemas), failed
    return elapsed, memory.peak, len(memory.pids)


def bench_cli(app, n=1000):
    print(f"\n## `coopnet db upgrade --workers 2`: the rehearsal revision over {n} schemas", flush=True)
    release = release_with_rehearsal_revision(INSTANCE / "release")  # before the schemas: the tree may move
    grow_to(app, n)
    schemas = schemas_of(app)[:n]
    elapsed, last = run_cli(app, release)
    print(f"end to end (start-up, shared schema, {n} tenant schemas): {elapsed:.1f} s; it said: {last}")
    elapsed, last = run_cli(app, release)
    print(f"again with nothing pending: {elapsed:.1f} s; it said: {last}")
    with app.app_context():
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import coopnet.cli"], cwd=release, env=cli_env(app, release), check=True)
    print(f"(of which importing the command: {time.perf_counter() - began:.1f} s)")
    reset(app, schemas)
    script = tree_with_priority_column(INSTANCE / "tenant-migrations")
    elapsed, peak, backends = in_process(app, schemas, script)
    print(
        f"in-process upgrade_tenants(): {elapsed:.1f} s ({elapsed / n * 1000:.2f} ms a schema); "
        f"{backends} backends (workers and the version query), largest {peak:.1f} MB own memory; "
        f"peak RSS python {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB",
        flush=True,
    )
    reset(app, schemas)


def bench_scale(app, sizes, without_recycling):
    print(
        f"\n## upgrade_tenants() in-process, 2 workers, revision {NEW_REVISION} over "
        f"{', '.join(map(str, sizes))} schemas",
        flush=True,
    )
    script = tree_with_priority_column(INSTANCE / "tenant-migrations")
    with app.app_context():
        limit = app.config["DB_TENANTS_PER_CONNECTION"]
    rows = []
    for n in sizes:
        began = time.perf_counter()
        grow_to(app, n)
        print(f"{n} schemas present (made in {time.perf_counter() - began:.0f} s)", flush=True)
        schemas = schemas_of(app)[:n]
        cases = [(f"recycled every {limit} schemas", None)]
        if n in without_recycling:
            cases.append(("never recycled (before issue 13)", 10**9))
        for label, per_connection in cases:
            elapsed, peak, backends = in_process(app, schemas, script, per_connection)
            rows.append((n, label, elapsed, peak, backends))
            print(
                f"{n:>6} schemas, {label}: {elapsed:.1f} s, {elapsed / n * 1000:.2f} ms a schema; "
                f"{backends} backends (workers and the version query), largest {peak:.1f} MB own memory",
                flush=True,
            )
            reset(app, schemas)
    return rows


def main():
    from coopnet.embedded import stop_redis

    parser = argparse.ArgumentParser()
    parser.add_argument("which", nargs="?", default="cli", choices=["cli", "scale"])
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--without-recycling", default="", help="sizes also measured with recycling off")
    args = parser.parse_args()
    print(f"reproduce with: {command_line()}")
    app = create_app({"INSTANCE_PATH": str(INSTANCE)})
    with app.app_context():
        upgrade_shared(db.engine)
        with db.engine.connect() as conn:
            version = conn.exec_driver_sql("SHOW server_version").scalar()
    print(f"PostgreSQL {version}; {os.cpu_count()} CPUs; instance {INSTANCE}; tenant head {tenant_head()}")
    try:
        if args.which == "cli":
            bench_cli(app)
        else:
            sizes = [int(s) for s in args.sizes.split(",")]
            without = {int(s) for s in args.without_recycling.split(",") if s}
            bench_scale(app, sizes, without)
    finally:
        stop_redis(app.instance_path)


if __name__ == "__main__":
    main()
