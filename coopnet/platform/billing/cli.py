"""`coopnet billing ...`: the operator's view of the platform's own billing (revenue by
month, every tenant's plan and standing) and comps. Operator output is in English."""

from datetime import date

import click
from flask.cli import with_appcontext

from coopnet.money import show


@click.group("billing")
def group():
    """The platform's plans: revenue, standings, comps."""


def _tenant(slug):
    from coopnet.extensions import db
    from coopnet.platform.tenants import get_tenant

    tenant = get_tenant(db.session, slug)
    if tenant is None:
        raise click.ClickException(f"no tenant {slug}")
    return tenant


@group.command("revenue")
@click.option("--months", default=12, show_default=True, type=click.IntRange(1, 120))
@with_appcontext
def revenue_command(months):
    """Money received by month (this month last), per currency."""
    from coopnet.database import utcnow
    from coopnet.extensions import db
    from coopnet.platform.billing import revenue

    rows = revenue.by_month(db.session, utcnow().date(), months)
    click.echo(f"{'month':8} {'currency':8} {'amount':>12} {'payments':>9} {'tenants':>8}")
    for row in rows:
        click.echo(
            f"{row['month']:8} {row['currency']:8} {show(row['amount']):>12} {row['payments']:>9} {row['tenants']:>8}"
        )
    for currency in sorted({row["currency"] for row in rows}):
        total = sum(row["amount"] for row in rows if row["currency"] == currency)
        click.echo(f"{'total':8} {currency:8} {show(total):>12}")


@group.command("list")
@with_appcontext
def list_command():
    """Every tenant's people, plan, standing and comp."""
    from coopnet.extensions import db
    from coopnet.platform.billing import revenue

    for row in revenue.tenants(db.session):
        notes = []
        if row["comped"]:
            notes.append(f"comped{' until ' + row['comped_until'].isoformat() if row['comped_until'] else ''}")
        if row["unpaid_since"]:
            notes.append(f"unpaid since {row['unpaid_since'].isoformat()}")
        click.echo(
            f"{row['slug']:40} {row['people']:5} people  {row['plan']:12} {show(row['amount']):>8} "
            f"{row['currency']}  {row['standing']:8} {', '.join(notes)}"
        )


@group.command("comp")
@click.argument("slug")
@click.option("--plan", "plan_code", default="cooperative", show_default=True, help="The plan given.")
@click.option("--reason", required=True, help="Why (kept with the comp).")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Last day (default: for good).")
@with_appcontext
def comp_command(slug, plan_code, reason, until):
    """Give a tenant a plan at no charge; its subscription, if any, is cancelled."""
    from coopnet.cli import _service
    from coopnet.database import utcnow
    from coopnet.extensions import db
    from coopnet.platform.billing import services

    tenant = _tenant(slug)
    until_day = until.date() if until else None
    if until_day is not None and until_day < date.today():
        raise click.ClickException("--until is in the past")
    _service(lambda: services.comp(db.session, tenant, plan_code, reason, until_day, utcnow()))
    db.session.commit()
    click.echo(f"comped {slug} on {plan_code}" + (f" until {until_day.isoformat()}" if until_day else ""))


@group.command("uncomp")
@click.argument("slug")
@with_appcontext
def uncomp_command(slug):
    """End a comp: the tenant is on the free plan (warned tomorrow if it has outgrown it)."""
    from coopnet.extensions import db
    from coopnet.platform.billing import services

    services.end_comp(db.session, _tenant(slug))
    db.session.commit()
    click.echo(f"{slug} is on the free plan")
