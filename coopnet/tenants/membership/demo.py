"""Membership demo data from the stories: Quilted's and Design Action's registers, their
probation policies and progress, officers, Electric Embers' support rota and a GAIA Host
style accountability statement."""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from coopnet.database import tenant_scope
from coopnet.platform.models import Account
from coopnet.platform.tenants import get_tenant
from coopnet.tenants.membership import lifecycle, roles


def _account(session, email):
    return session.scalar(select(Account).where(Account.email == email))


def _enrol(session, tenant, admin_id, email, status, since, member_class="member"):
    lifecycle.enrol(
        session,
        tenant,
        _account(session, email),
        status,
        since,
        member_class,
        admin_id,
        "brought over from the co-op's spreadsheet",
    )


def _hours(session, tenant, account, admin_id, total, since):
    day, left = since, total
    while left > 0:
        if day.weekday() < 5:
            lifecycle.add_hours(session, tenant, account.id, day, min(8, left), admin_id)
            left -= min(8, left)
        day += timedelta(days=1)


def load(session):
    _quilted(session)
    _design_action(session)
    _electric_embers(session)


def _quilted(session):
    tenant = get_tenant(session, "quilted")
    erik, colin = _account(session, "erik@quilted.example"), _account(session, "colin@quilted.example")
    alex, kyle = _account(session, "alex@quilted.example"), _account(session, "kyle@quilted.example")
    today = date.today()
    with tenant_scope(session, "quilted"):
        lifecycle.set_policy(
            session,
            {
                "probation_months": 6,
                "probation_hours": "520",
                "require": "both",
                "buy_in": "5000.00",
                "buy_in_instalments": 10,
                "entrance_fee": "0.00",
            },
        )
        _enrol(session, tenant, erik.id, erik.email, "member", date(2011, 3, 1))
        _enrol(session, tenant, erik.id, colin.email, "member", date(2013, 9, 1))
        _enrol(session, tenant, erik.id, alex.email, "candidate", today - timedelta(days=120))
        _enrol(session, tenant, erik.id, kyle.email, "candidate", today - timedelta(days=230))
        _hours(session, tenant, alex, erik.id, 300, today - timedelta(days=118))
        for month in range(4):
            lifecycle.pay_buy_in(session, tenant, alex.id, "500.00", today - timedelta(days=110 - 30 * month), erik.id)
        for month in range(10):
            lifecycle.pay_buy_in(session, tenant, kyle.id, "500.00", today - timedelta(days=220 - 21 * month), erik.id)
        # Kyle has served seven months and reaches 520 hours: his admission vote opens.
        _hours(session, tenant, kyle, erik.id, 520, today - timedelta(days=200))
        roles.appoint(session, "bookkeeper", colin.id, date(today.year, 1, 1), date(today.year, 12, 31))
        roles.appoint(session, "coordinator", erik.id, date(today.year, 1, 1), date(today.year, 6, 30))
        session.commit()


def _design_action(session):
    tenant = get_tenant(session, "design-action")
    emails = [f"{who}@designaction.example" for who in ("coordinator", "prepress", "web", "print", "campaigns")]
    admin = _account(session, emails[0])
    with tenant_scope(session, "design-action"):
        lifecycle.set_policy(session, {"probation_months": 9, "probation_hours": None, "buy_in": "0.00"})
        for years, email in enumerate(emails):
            _enrol(session, tenant, admin.id, email, "member", date(2003 + 2 * years, 2, 1))
        _enrol(
            session,
            tenant,
            admin.id,
            "newdesigner@designaction.example",
            "candidate",
            date.today() - timedelta(days=200),
        )
        roles.appoint(session, "coordinator", admin.id, date(date.today().year, 1, 1))
        session.commit()


def _electric_embers(session):
    tenant = get_tenant(session, "electric-embers")
    people = [_account(session, f"{where}@electricembers.example") for where in ("oakland", "portland", "sf")]
    with tenant_scope(session, "electric-embers"):
        for since, person in zip((date(2004, 5, 1), date(2006, 1, 1), date(2010, 8, 1)), people, strict=True):
            _enrol(session, tenant, people[0].id, person.email, "member", since)
        monday = datetime.now(timezone.utc).replace(hour=9, minute=0, second=0, microsecond=0)
        monday += timedelta(days=(7 - monday.weekday()) % 7 or 7)
        roles.generate_rota(session, [p.id for p in people], monday, 28, 24)
        roles.file_statement(
            session,
            people[1].id,
            people[1].id,
            "missed deadline",
            "I missed the server migration window we agreed on; I have rescheduled it with the client.",
        )
        session.commit()
