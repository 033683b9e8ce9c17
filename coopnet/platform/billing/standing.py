"""A tenant's standing with the platform: good; warned (its plan is unpaid and the grace
period runs: a banner on its pages and a mail to its admins); limited (unpaid past the
grace period: its pages and API read but refuse writes). Nothing is deleted for not
paying, and a comped tenant is never warned.

Who commits: the caller (the daily job, a view, the webhook job)."""

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.platform.billing import notices, plans
from coopnet.platform.billing.models import PlatformSubscription
from coopnet.platform.billing.stripe_gateway import setting
from coopnet.platform.models import Membership, Tenant

GRACE_DAYS = 14


def grace_days() -> int:
    return int(setting("PLATFORM_BILLING_GRACE_DAYS") or GRACE_DAYS)


def grace_ends(subscription) -> date | None:
    """The last day an unpaid tenant can still write."""
    if subscription is None or subscription.unpaid_since is None:
        return None
    return subscription.unpaid_since + timedelta(days=grace_days())


def peek(session, tenant_id: int) -> PlatformSubscription | None:
    """The tenant's row, or None (free plan, good standing); never writes."""
    return session.get(PlatformSubscription, tenant_id)


def row(session, tenant_id: int) -> PlatformSubscription:
    """The tenant's row, locked for this transaction; made on first use."""
    session.execute(insert(PlatformSubscription).values(tenant_id=tenant_id).on_conflict_do_nothing())
    return session.scalar(
        select(PlatformSubscription)
        .where(PlatformSubscription.tenant_id == tenant_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def people(session, tenant_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Membership).where(Membership.tenant_id == tenant_id))


def is_limited(session, tenant_id: int) -> bool:
    return session.scalar(select(PlatformSubscription.standing).where(PlatformSubscription.tenant_id == tenant_id)) == (
        "limited"
    )


def mark_unpaid(session, tenant, subscription, today: date, reason: str, error: str | None = None) -> bool:
    """Start the grace period (and mail the admins) unless it runs already. True when it starts."""
    if error is not None:
        subscription.last_error = error[:300]
    if subscription.comped:
        return False
    if subscription.standing != "good":
        subscription.reason = reason  # the latest cause; the grace period runs on
        return False
    subscription.standing, subscription.reason, subscription.unpaid_since = "warned", reason, today
    subscription.warned_at, subscription.updated_at = utcnow(), utcnow()
    notices.warned(session, tenant, subscription, grace_ends(subscription))
    return True


def mark_paid(subscription, through: date | None = None) -> None:
    subscription.standing, subscription.reason, subscription.unpaid_since = "good", None, None
    subscription.warned_at = subscription.limited_at = None
    paid_through(subscription, through)


def paid_through(subscription, through: date | None) -> None:
    """A payment went through: no invoice is left open, and it is paid up to ``through``."""
    subscription.stripe_invoice_id, subscription.last_error = None, None
    if through is not None and (subscription.paid_through is None or through > subscription.paid_through):
        subscription.paid_through = through
    subscription.updated_at = utcnow()


def limit_if_overdue(session, tenant, subscription, today: date) -> bool:
    if subscription.standing != "warned" or subscription.comped or today <= grace_ends(subscription):
        return False
    subscription.standing, subscription.limited_at, subscription.updated_at = "limited", utcnow(), utcnow()
    notices.limited(session, tenant, subscription)
    return True


def sweep(session, today: date) -> dict:
    """The daily pass over every active tenant: comps that ended, tenants grown past
    their plan (warned) or back within it, grace periods run out (limited)."""
    outcome = {"comps_ended": 0, "over_plan": 0, "within_plan": 0, "limited": 0}
    for subscription in session.scalars(
        select(PlatformSubscription).where(
            PlatformSubscription.comped.is_(True), PlatformSubscription.comped_until < today
        )
    ):
        subscription.comped, subscription.comped_until = False, None
        subscription.plan, subscription.amount = plans.FREE.code, 0
        subscription.updated_at = utcnow()
        outcome["comps_ended"] += 1
    session.flush()
    counted = select(Membership.tenant_id, func.count().label("people")).group_by(Membership.tenant_id).subquery()
    rows = session.execute(
        select(Tenant, counted.c.people, PlatformSubscription)
        .join(counted, counted.c.tenant_id == Tenant.id)
        .outerjoin(PlatformSubscription, PlatformSubscription.tenant_id == Tenant.id)
        .where(
            Tenant.status == "active",
            (counted.c.people > plans.FREE_PEOPLE) | (PlatformSubscription.reason == "over_plan"),
        )
        .order_by(Tenant.id)
    ).all()
    for tenant, count, subscription in rows:
        plan = plans.get(subscription.plan if subscription else plans.FREE.code) or plans.FREE
        if plan.covers(count):
            if subscription is not None and subscription.reason == "over_plan":
                mark_paid(subscription)
                outcome["within_plan"] += 1
        elif subscription is None or (not subscription.comped and subscription.standing == "good"):
            outcome["over_plan"] += mark_unpaid(session, tenant, row(session, tenant.id), today, "over_plan")
    for tenant, subscription in session.execute(
        select(Tenant, PlatformSubscription)
        .join(PlatformSubscription, PlatformSubscription.tenant_id == Tenant.id)
        .where(Tenant.status == "active", PlatformSubscription.standing == "warned")
        .order_by(Tenant.id)
    ).all():
        outcome["limited"] += limit_if_overdue(session, tenant, subscription, today)
    session.flush()
    return outcome
