"""The `coopnet` command: serve, worker, cron, db upgrade/revision, tenants ..., demo.

Commands own their unit of work: they call services and commit."""

import os
import signal
import subprocess
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from coopnet.platform.roles import KINDS


def _create_app():
    from coopnet import create_app
    from coopnet.config import ConfigError

    try:
        return create_app()
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def cli():
    """coopnet: host many co-ops, each in its own PostgreSQL schema."""


def register_commands(app):
    from coopnet.capabilities import capabilities

    for command in (db_group, tenants_group, worker_command, cron_command, serve_command, demo_command):
        app.cli.add_command(command)
    for capability in capabilities():
        group = capability.attribute("cli", "group")
        if group is not None:
            app.cli.add_command(group)


def _engine():
    from coopnet.extensions import db

    return db.engine


# --- db ---------------------------------------------------------------------


@click.group("db")
def db_group():
    """Database migrations (shared schema, then every tenant schema)."""


def run_upgrade(workers=4, quiet=False):
    from sqlalchemy import select

    from coopnet.extensions import db
    from coopnet.platform.migrate import upgrade_shared, upgrade_tenants
    from coopnet.platform.models import Tenant
    from coopnet.platform.spares import keep_spares

    engine = _engine()
    upgrade_shared(engine)
    schemas = [t.schema for t in db.session.scalars(select(Tenant).order_by(Tenant.id))]
    db.session.remove()
    if quiet:
        result = upgrade_tenants(engine, schemas, workers=workers)
    else:
        with click.progressbar(length=len(schemas), label="tenant schemas", show_pos=True) as bar:
            bar.update(0)
            result = upgrade_tenants(engine, schemas, workers=workers, on_done=lambda _: bar.update(1))
    # Spares made before this release are dropped and made again at the new head.
    return (*result, keep_spares(engine, current_app.config["TENANT_SPARE_SCHEMAS"], wait=True))


@db_group.command("upgrade")
@click.option("--workers", default=4, show_default=True, help="Tenant schemas migrated at once.")
@with_appcontext
def db_upgrade(workers):
    """Migrate the shared schema, then all tenant schemas in parallel. Safe to re-run."""
    pending, upgraded, failed, spares = run_upgrade(workers)
    click.echo(f"shared schema at head; {len(upgraded)} of {len(pending)} pending tenant schemas upgraded")
    click.echo(f"spare schemas: {spares.ready} ready at head ({spares.made} made, {spares.dropped} stale dropped)")
    for schema, error in sorted(failed.items()):
        click.echo(f"  FAILED {schema}: {error}", err=True)
    if failed:
        raise click.ClickException(
            f"{len(failed)} tenant schemas failed; fix the cause and run `coopnet db upgrade` again"
        )


@db_group.command("revision")
@click.option("--tenant", "tree", flag_value="tenant", help="A revision of the tenant schemas.")
@click.option("--shared", "tree", flag_value="shared", default=True, help="A revision of the shared schema (default).")
@click.option("-m", "--message", required=True)
@click.option("--capability", default=None, help="Keep the tenant revision in this capability's migrations/ folder.")
@click.option("--version-path", default=None, type=click.Path(file_okay=False), help="Write the file here instead.")
@with_appcontext
def db_revision(tree, message, capability, version_path):
    """Autogenerate a revision from the models (tenant: against a scratch schema at head)."""
    from coopnet.platform.revisions import new_revision

    path = _service(lambda: new_revision(tree, message, capability, version_path))
    click.echo(f"wrote {path}")


# --- tenants ----------------------------------------------------------------


@click.group("tenants")
def tenants_group():
    """Create, list, suspend, resume, delete, export and import tenants."""


def _service(call):
    from coopnet.errors import ServiceError

    try:
        return call()
    except ServiceError as error:
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(error.message + (f" ({details})" if details else "")) from error


@tenants_group.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--founder-email", required=True)
@click.option("--founder-name", default=None)
@click.option("--password", default=None, help="For a new founder account; prompted when missing.")
@click.option("--kind", type=click.Choice(KINDS), default="coop", show_default=True)
@with_appcontext
def tenants_create(slug, name, founder_email, founder_name, password, kind):
    """Create a tenant whose founder (new or existing account) is its admin."""
    from coopnet.extensions import db
    from coopnet.platform.accounts import find_account, hasher
    from coopnet.platform.tenants import signup

    account = find_account(db.session, founder_email)
    if account is None and password is None:
        password = click.prompt("Password for the new founder account", hide_input=True, confirmation_prompt=True)
    founder = {"name": founder_name or founder_email.split("@")[0], "email": founder_email, "password": password}
    tenant, _ = _service(
        lambda: signup(db.session, hasher(), name, slug, founder=founder, founder_account=account, kind=kind)
    )
    click.echo(f"created {tenant.slug} ({tenant.schema})")


@tenants_group.command("list")
@with_appcontext
def tenants_list():
    """Every tenant with its status and member count."""
    from sqlalchemy import func, select

    from coopnet.extensions import db
    from coopnet.platform.models import Membership, Tenant

    counts = dict(db.session.execute(select(Membership.tenant_id, func.count()).group_by(Membership.tenant_id)).all())
    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        members = counts.get(tenant.id, 0)
        click.echo(f"{tenant.slug:40} {tenant.kind:15} {tenant.status:10} {members:5} members  {tenant.name}")


@tenants_group.command("suspend")
@click.argument("slug")
@with_appcontext
def tenants_suspend(slug):
    """Block a tenant's pages, API and jobs (data is kept)."""
    from coopnet.extensions import db
    from coopnet.platform.tenants import set_status

    _service(lambda: set_status(db.session, slug, "suspended"))
    click.echo(f"suspended {slug}")


@tenants_group.command("resume")
@click.argument("slug")
@with_appcontext
def tenants_resume(slug):
    """Lift a suspension."""
    from coopnet.extensions import db
    from coopnet.platform.tenants import set_status

    _service(lambda: set_status(db.session, slug, "active"))
    click.echo(f"resumed {slug}")


@tenants_group.command("delete")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def tenants_delete(slug, yes):
    """Drop a tenant's schema and registry row. Export it first."""
    from coopnet.extensions import db
    from coopnet.platform.tenants import delete_tenant

    if not yes:
        click.confirm(f"Delete {slug} and all its data for good?", abort=True)
    _service(lambda: delete_tenant(db.session, slug))
    click.echo(f"deleted {slug}")


@tenants_group.command("export")
@click.argument("slug")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def tenants_export(slug, path):
    """Write a self-contained dump of one tenant (gzip JSON) to PATH."""
    from coopnet.extensions import db
    from coopnet.platform.transfer import export_tenant, write_export

    data = _service(lambda: export_tenant(db.session, slug))
    db.session.rollback()
    write_export(data, path)
    rows = sum(1 for payload in data["tables"].values() if payload)
    click.echo(
        f"exported {slug} at revision {data['revision']} ({len(data['tables'])} tables, {rows} with rows) to {path}"
    )


@tenants_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.argument("slug")
@click.option("--name", default=None, help="Name of the restored co-op (default: the exported name).")
@click.option(
    "--relink-members", is_flag=True, help="Give accounts here with the exported members' emails their roles."
)
@with_appcontext
def tenants_import(path, slug, name, relink_members):
    """Restore an export under a new SLUG."""
    from coopnet.extensions import db
    from coopnet.platform.transfer import import_tenant, read_export

    data = _service(lambda: read_export(path))
    tenant, relinked = _service(lambda: import_tenant(db.session, data, slug, name, relink_members))
    members = len(data.get("members", []))
    if relink_members:
        click.echo(f"imported {tenant.slug}; {relinked} of {members} members re-linked by email")
    else:
        click.echo(f"imported {tenant.slug}; {members} members not re-linked (--relink-members, or invite them)")


# --- worker, serve, demo ----------------------------------------------------


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not move jobs queued for later (enqueue_at, retries) when due.")
@with_appcontext
def worker_command(burst, no_scheduler):
    """Run an RQ worker on REDIS_URL, with RQ's scheduler for jobs queued for later."""
    from rq import Worker

    from coopnet.extensions import db
    from coopnet.worker.queues import get_queue, redis_connection

    # RQ forks a work-horse per job: the child must open its own database
    # connections, never use ones it inherited from the parent.
    engine = db.engine
    os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
    queues = [get_queue(name) for name in current_app.config["RQ_QUEUES"]]
    Worker(queues, connection=redis_connection()).work(burst=burst, with_scheduler=not no_scheduler)


@click.command("cron")
@with_appcontext
def cron_command():
    """Enqueue every capability's periodic jobs on time (run one per deployment)."""
    from coopnet.worker.schedule import build_cron

    scheduler = build_cron(current_app._get_current_object())
    for job in scheduler.get_jobs():
        click.echo(f"every {job.interval or job.cron}: {job.args[0]} {job.args[1]}")
    scheduler.start()


def _start_beside(app, *command):
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"], REDIS_URL=app.config["REDIS_URL"])
    return subprocess.Popen([sys.executable, "-m", "coopnet", *command], env=env)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--demo", is_flag=True, help="Load the demo co-ops first (once).")
@click.option("--no-worker", is_flag=True, help="Do not start a worker and the cron scheduler beside the web app.")
@with_appcontext
def serve_command(host, port, demo, no_worker):
    """Migrate, then run the web app with a worker and the cron scheduler beside it (laptops, trials)."""
    app = current_app._get_current_object()
    if not os.environ.get("BASE_URL"):
        app.config["BASE_URL"] = f"http://{host}:{port}"
    run_upgrade(quiet=True)
    if demo:
        from coopnet.demo import DEMO_LOGIN, load_demo

        created = load_demo()
        click.echo("demo data loaded" if created else "demo data already present")
        click.echo(f"demo login: {DEMO_LOGIN[0]} / {DEMO_LOGIN[1]}")
    helpers = [] if no_worker else [_start_beside(app, "worker"), _start_beside(app, "cron")]
    click.echo(f"coopnet is running: open http://{host}:{port}/")
    # systemd and `kill` send SIGTERM: leave through `finally` so the helpers and Redis stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            helper.wait(timeout=10)
        if app.config["EMBEDDED_REDIS"]:
            from coopnet.embedded import stop_redis

            stop_redis(app.instance_path)


@click.command("demo")
@with_appcontext
def demo_command():
    """Load demo co-ops from the guide's stories (idempotent)."""
    from coopnet.demo import DEMO_LOGIN, load_demo

    run_upgrade(quiet=True)
    created = load_demo()
    click.echo("demo data loaded" if created else "demo data already present")
    click.echo(f"demo login: {DEMO_LOGIN[0]} / {DEMO_LOGIN[1]}")
