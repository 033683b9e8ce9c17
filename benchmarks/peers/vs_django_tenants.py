"""coopnet beside django-tenants, on one PostgreSQL server, interleaved.

    .venv/bin/python benchmarks/peers/vs_django_tenants.py

Builds the peer in its own virtual environment (django-tenants 4, Django, psycopg 3
from the package index; not a dependency of coopnet) and a copy of djt_project/
whose tenant app has two migrations: 0001 runs coopnet's own rendered tenant DDL
(coopnet.platform.provisioning.tenant_ddl, without our alembic_version table: each
side keeps its own bookkeeping table), 0002 adds the column and index of the
rehearsal revision in tests/rehearsal.py. Both sides use our embedded PostgreSQL,
each in its own database. Prints, as peer / coopnet:

- provisioning one tenant (median of rounds) with 10 and with 1,000 tenants present:
  django-tenants `Client.save()` (row, schema, migrate) against coopnet's tenant row
  and its schema in one transaction, as signup does, two figures: warm (a spare
  schema taken from the pool and renamed, take_spare(); the pool is refilled between
  rounds, outside the timing) and cold (no spare: provision_schema() runs the DDL);
- one new migration over 100 and 1,000 schemas with 2 processes each, end to end:
  `manage.py migrate_schemas --executor=multiprocessing` against `coopnet db upgrade
  --workers 2` run from a copy of the package holding the new revision (as an
  operator runs it after deploying a release).

PEER_VENV=<folder> reuses a peer environment built by an earlier run; --provisioning-only
skips the migration figures."""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from coopnet import create_app  # noqa: E402
from coopnet.extensions import db  # noqa: E402
from coopnet.platform.migrate import tenant_head, upgrade_shared  # noqa: E402
from coopnet.platform.models import Tenant  # noqa: E402
from coopnet.platform.provisioning import provision_schema, tenant_ddl  # noqa: E402
from coopnet.platform.spares import keep_spares, take_spare  # noqa: E402
from tests.rehearsal import NEW_REVISION, PRIORITY_SQL, write_priority_revision  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/peers/vs_django_tenants.py"
PEER_PACKAGES = ["django-tenants==4.0.1", "Django>=5.2,<6", "psycopg[binary]>=3.2"]
INSTANCE = Path(os.environ.get("BENCH_INSTANCE") or tempfile.mkdtemp(prefix="coopnet-peer-"))
ROUNDS = 5
PER_ROUND = 10
MIGRATION_ROUNDS = 3


def peer_venv():
    venv = Path(os.environ.get("PEER_VENV") or INSTANCE / "peer-venv")
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    versions = subprocess.run(
        [
            str(python),
            "-c",
            "import django, django_tenants, importlib.metadata as m; "
            "print(django.get_version(), m.version('django-tenants'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return python, versions


def ddl_without_alembic():
    statements = [s for s in tenant_ddl().split(";\n") if "alembic_version" not in s]
    return ";\n".join(s.rstrip(";") for s in statements) + ";"


def peer_project(python, db_url):
    project = INSTANCE / "djt_project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(Path(__file__).parent / "djt_project", project)
    migrations = project / "coopdata" / "migrations"
    (migrations / "0001_coopnet_tenant_schema.py").write_text(
        "from django.db import migrations\n\n"
        f"DDL = {ddl_without_alembic()!r}\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    initial = True\n"
        "    dependencies = []\n"
        "    operations = [migrations.RunSQL(DDL)]\n"
    )
    env = peer_env(db_url)
    subprocess.run([str(python), "manage.py", "makemigrations", "customers", "-v0"], cwd=project, env=env, check=True)
    subprocess.run([str(python), "manage.py", "migrate_schemas", "--shared", "-v0"], cwd=project, env=env, check=True)
    return project


def add_peer_priority_migration(project):
    (project / "coopdata" / "migrations" / "0002_priority.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        '    dependencies = [("coopdata", "0001_coopnet_tenant_schema")]\n'
        f"    operations = [migrations.RunSQL({';'.join(PRIORITY_SQL)!r})]\n"
    )


def peer_env(db_url):
    url = make_url(db_url)
    return dict(
        os.environ, PEER_DB_NAME=url.database, PEER_DB_HOST=url.query["host"], PEER_DB_USER=url.username or "postgres"
    )


def peer_provision(python, project, db_url, prefix, start, count):
    """ms a tenant; the first one in the process is a warm-up and left out."""
    out = subprocess.run(
        [str(python), "driver.py", "provision", prefix, str(start), str(count + 1)],
        cwd=project,
        env=peer_env(db_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])[1:]


def ours_provision(app, prefix, start, count, warm=False):
    """ms a tenant; the first one is a warm-up and left out. Warm: each takes a spare
    (the pool is filled first, untimed); cold: each runs the DDL."""
    times = []
    with app.app_context():
        if warm:
            assert keep_spares(db.engine, count + 1).ready == count + 1
        for i in range(start, start + count + 1):
            slug = f"{prefix}-{i:05d}"
            began = time.perf_counter()
            tenant = Tenant(slug=slug, name=slug)
            db.session.add(tenant)
            db.session.flush()
            if warm:
                assert take_spare(db.session.connection(), tenant.schema)
            else:
                provision_schema(db.session.connection(), tenant.schema)
            db.session.commit()
            times.append((time.perf_counter() - began) * 1000)
    return times[1:]


def drop_tenants(engine, registry_sql, schema_like):
    with engine.connect() as conn:
        schemas = [
            r[0] for r in conn.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (schema_like,))
        ]
    # A schema a transaction: dozens at 50 tables each take more locks than one may hold.
    for schema in schemas:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    with engine.begin() as conn:
        conn.exec_driver_sql(registry_sql)


def fill(app, python, project, db_url, target_count, ours_engine, peer_engine):
    with ours_engine.connect() as conn:
        have_ours = conn.exec_driver_sql("SELECT count(*) FROM tenants WHERE slug LIKE %s", ("base-%",)).scalar()
    with peer_engine.connect() as conn:
        have_peer = conn.exec_driver_sql(
            "SELECT count(*) FROM customers_client WHERE schema_name LIKE %s", ("base%",)
        ).scalar()
    if target_count > have_peer:
        peer_provision(python, project, db_url, "base", have_peer, target_count - have_peer - 1)
    if target_count > have_ours:
        ours_provision(app, "base", have_ours, target_count - have_ours - 1)


def provision_rounds(app, python, project, db_url, ours_engine, peer_engine, present):
    """Peer, ours warm, ours cold, in a rotating order each round. Returns (warm, cold) ratios."""
    peer, warm, cold = [], [], []
    for r in range(ROUNDS):
        steps = [
            lambda: peer.extend(peer_provision(python, project, db_url, "round", 0, PER_ROUND)),
            lambda: warm.extend(ours_provision(app, "roundw", 0, PER_ROUND, warm=True)),
            lambda: cold.extend(ours_provision(app, "roundc", 0, PER_ROUND)),
        ]
        for step in steps[r % 3 :] + steps[: r % 3]:
            step()
        drop_tenants(peer_engine, "DELETE FROM customers_client WHERE schema_name LIKE 'round%%'", "round%")
        drop_tenants(ours_engine, "DELETE FROM tenants WHERE slug LIKE 'round%%'", "t\\_round%")
    p, w, c = statistics.median(peer), statistics.median(warm), statistics.median(cold)
    print(
        f"provisioning one tenant, {present} present: django-tenants {p:.1f} ms; coopnet warm (spare) {w:.2f} ms "
        f"(p90 {statistics.quantiles(warm, n=10)[-1]:.2f}), cold (DDL) {c:.1f} ms; ratio warm {p / w:.1f}x, "
        f"cold {p / c:.1f}x  (n={len(peer)} each, {ROUNDS} interleaved rounds)",
        flush=True,
    )
    return p / w, p / c


def coopnet_release(app):
    """A copy of the package with the rehearsal revision in its tenant tree: what an operator deploys."""
    release = INSTANCE / "release"
    shutil.rmtree(release, ignore_errors=True)
    shutil.copytree(ROOT / "coopnet", release / "coopnet", ignore=shutil.ignore_patterns("__pycache__"))
    write_priority_revision(release / "coopnet" / "migrations" / "tenant" / "versions")
    return release


def reset_migration(engine, schema_like, bookkeeping_sql):
    with engine.connect() as conn:
        schemas = [
            r[0] for r in conn.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (schema_like,))
        ]
    for start in range(0, len(schemas), 100):
        with engine.begin() as conn:
            script = "".join(
                f'SET LOCAL search_path TO "{schema}"; DROP INDEX IF EXISTS ix_outbox_messages_priority; '
                f"ALTER TABLE outbox_messages DROP COLUMN IF EXISTS priority; {bookkeeping_sql};\n"
                for schema in schemas[start : start + 100]
            )
            with conn.connection.dbapi_connection.cursor() as cursor:
                cursor.execute(script + "SET LOCAL search_path TO DEFAULT")
    return len(schemas)


def migration_rounds(app, python, project, db_url, ours_engine, peer_engine, release, count):
    peer_cmd = [str(python), "manage.py", "migrate_schemas", "--executor=multiprocessing", "-v0"]
    ours_cmd = [sys.executable, "-m", "coopnet", "db", "upgrade", "--workers", "2"]
    with app.app_context():
        ours_env = dict(
            os.environ,
            # The same work as the peer's command: no spare schemas to replace after the release.
            TENANT_SPARE_SCHEMAS="0",
            PYTHONPATH=str(release),
            DATABASE_URL=app.config["DATABASE_URL"],
            REDIS_URL=app.config["REDIS_URL"],
            COOPNET_INSTANCE=str(INSTANCE),
        )
    peer, ours = [], []

    def run_peer():
        began = time.perf_counter()
        subprocess.run(peer_cmd, cwd=project, env=peer_env(db_url), check=True, capture_output=True)
        peer.append(time.perf_counter() - began)

    def run_ours():
        began = time.perf_counter()
        done = subprocess.run(ours_cmd, cwd=release, env=ours_env, capture_output=True, text=True)
        ours.append(time.perf_counter() - began)
        assert done.returncode == 0 and f"{count} of {count} pending" in done.stdout, done.stdout + done.stderr[-3000:]

    for r in range(MIGRATION_ROUNDS):
        for step in (run_peer, run_ours) if r % 2 == 0 else (run_ours, run_peer):
            step()
        reset_migration(
            peer_engine, "base%", "DELETE FROM django_migrations WHERE app = 'coopdata' AND name = '0002_priority'"
        )
        reset_migration(ours_engine, "t\\_base\\_%", f"UPDATE alembic_version SET version_num = '{tenant_head()}'")
    p, o = statistics.median(peer), statistics.median(ours)
    print(
        f"one new migration over {count} schemas, 2 processes, end to end: django-tenants {p:.1f} s "
        f"(rounds {', '.join(f'{x:.1f}' for x in peer)}), coopnet {o:.1f} s (rounds {', '.join(f'{x:.1f}' for x in ours)}); "
        f"ratio {p / o:.1f}x",
        flush=True,
    )
    return p / o


def main(migrations=True):
    from coopnet.embedded import stop_redis

    print(f"reproduce with: {COMMAND}{'' if migrations else ' --provisioning-only'}", flush=True)
    app = create_app({"INSTANCE_PATH": str(INSTANCE)})
    with app.app_context():
        upgrade_shared(db.engine)
        ours_engine = db.engine
        url = app.config["DATABASE_URL"]
    with ours_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS peer")
        conn.exec_driver_sql("CREATE DATABASE peer")
    peer_url = make_url(url).set(database="peer")
    peer_engine = create_engine(peer_url)
    peer_url_text = peer_url.render_as_string(hide_password=False)
    started = time.perf_counter()
    python, versions = peer_venv()
    print(
        f"peer: Django {versions[0]}, django-tenants {versions[1]} (environment ready in {time.perf_counter() - started:.0f} s)"
    )
    project = peer_project(python, peer_url_text)
    with ours_engine.connect() as conn:
        print(
            f"PostgreSQL {conn.exec_driver_sql('SHOW server_version').scalar()}, {os.cpu_count()} CPUs; instance {INSTANCE}"
        )
    print(
        f"tenant schema: {len([s for s in tenant_ddl().split(';') if 'CREATE TABLE' in s]) - 1} tables at revision {tenant_head()}"
    )
    ratios = {}
    try:
        # Copied before any schema is made: the tree in the working copy may gain revisions meanwhile.
        release = coopnet_release(app)
        fill(app, python, project, peer_url_text, 10, ours_engine, peer_engine)
        warm, cold = provision_rounds(app, python, project, peer_url_text, ours_engine, peer_engine, 10)
        ratios["provision 10 warm"], ratios["provision 10 cold"] = warm, cold
        if migrations:
            fill(app, python, project, peer_url_text, 100, ours_engine, peer_engine)
            add_peer_priority_migration(project)
            ratios["migrate 100"] = migration_rounds(
                app, python, project, peer_url_text, ours_engine, peer_engine, release, 100
            )
            (project / "coopdata" / "migrations" / "0002_priority.py").unlink()
            shutil.rmtree(project / "coopdata" / "migrations" / "__pycache__", ignore_errors=True)
        fill(app, python, project, peer_url_text, 1000, ours_engine, peer_engine)
        warm, cold = provision_rounds(app, python, project, peer_url_text, ours_engine, peer_engine, 1000)
        ratios["provision 1000 warm"], ratios["provision 1000 cold"] = warm, cold
        if migrations:
            add_peer_priority_migration(project)
            ratios["migrate 1000"] = migration_rounds(
                app, python, project, peer_url_text, ours_engine, peer_engine, release, 1000
            )
        print("ratios peer / coopnet: " + ", ".join(f"{k} {v:.1f}x" for k, v in ratios.items()))
        print(f"peak RSS of this process {__import__('resource').getrusage(0).ru_maxrss / 1024:.0f} MB")
    finally:
        peer_engine.dispose()
        stop_redis(app.instance_path)


if __name__ == "__main__":
    assert NEW_REVISION
    main(migrations="--provisioning-only" not in sys.argv[1:])
