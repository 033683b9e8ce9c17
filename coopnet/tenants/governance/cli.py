"""`coopnet governance ...`: operator checks of a co-op's legal record."""

import click
from flask.cli import with_appcontext


@click.group("governance")
def group():
    """A co-op's decisions and minutes."""


@group.command("verify")
@click.argument("slug")
@with_appcontext
def verify(slug):
    """Check the chain of approved minutes of SLUG; exit status 1 names the first altered record."""
    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.tenants import get_tenant
    from coopnet.tenants.governance.minutes import verify as check

    if get_tenant(db.session, slug) is None:
        raise click.ClickException(f"No co-op at '{slug}'.")
    with tenant_scope(db.session, slug):
        result = check(db.session)
        db.session.rollback()
    if result["ok"]:
        click.echo(f"{slug}: {result['records']} approved records, chain intact")
        return
    click.echo(f"{slug}: ALTERED: minutes {result['first_altered']} no longer match the approved record", err=True)
    raise SystemExit(1)
