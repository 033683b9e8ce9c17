"""What the operator reads: the platform's revenue by month, and every tenant's plan and standing."""

from datetime import date

from sqlalchemy import func, select

from coopnet.platform.billing.models import PlatformPayment, PlatformSubscription
from coopnet.platform.models import Membership, Tenant


def first_of_month(day: date, back: int = 0) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def by_month(session, today: date, months: int = 12) -> list[dict]:
    """Money received in each of the last ``months`` months (this one included), per
    currency, with how many payments and tenants; months with nothing show zero."""
    since = first_of_month(today, months - 1)
    month = func.date_trunc("month", PlatformPayment.paid_on)
    rows = session.execute(
        select(
            month.label("month"),
            PlatformPayment.currency,
            func.sum(PlatformPayment.amount),
            func.count(),
            func.count(func.distinct(PlatformPayment.tenant_slug)),
        )
        .where(PlatformPayment.paid_on >= since)
        .group_by(month, PlatformPayment.currency)
    ).all()
    found = {(r[0].date(), r[1]): (int(r[2]), r[3], r[4]) for r in rows}
    currencies = sorted({currency for _, currency in found} or {"usd"})
    result = []
    for back in range(months - 1, -1, -1):
        start = first_of_month(today, back)
        for currency in currencies:
            amount, payments, tenants = found.get((start, currency), (0, 0, 0))
            result.append(
                {"month": start.strftime("%Y-%m"), "currency": currency, "amount": amount,
                 "payments": payments, "tenants": tenants}
            )  # fmt: skip
    return result


def tenants(session) -> list[dict]:
    """Every tenant with its people, plan and standing (no row: free and good)."""
    people = dict(session.execute(select(Membership.tenant_id, func.count()).group_by(Membership.tenant_id)).all())
    rows = session.execute(
        select(Tenant, PlatformSubscription)
        .outerjoin(PlatformSubscription, PlatformSubscription.tenant_id == Tenant.id)
        .order_by(Tenant.slug)
    ).all()
    return [
        {
            "slug": tenant.slug,
            "status": tenant.status,
            "people": people.get(tenant.id, 0),
            "plan": found.plan if found else "free",
            "amount": found.amount if found else 0,
            "currency": found.currency if found else "usd",
            "standing": found.standing if found else "good",
            "unpaid_since": found.unpaid_since if found else None,
            "comped": bool(found and found.comped),
            "comped_until": found.comped_until if found else None,
        }
        for tenant, found in rows
    ]
