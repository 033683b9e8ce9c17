"""The platform's own Stripe webhook: deliveries signed with PLATFORM_STRIPE_WEBHOOK_SECRET,
recorded once in the shared event log under the platform's account, and what each
event does to a tenant's standing (in any order, and more than once).

Who commits: the webhook view and the event job."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.platform.billing import services, standing, stripe_events, stripe_gateway
from coopnet.platform.billing.models import PLATFORM_ACCOUNT, PlatformPayment, PlatformSubscription
from coopnet.platform.models import Tenant

HANDLED = (
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
)


def webhook_secret() -> str | None:
    return stripe_gateway.setting("PLATFORM_STRIPE_WEBHOOK_SECRET")


def subscription_for_customer(session, customer) -> PlatformSubscription | None:
    if not isinstance(customer, str):
        return None
    return session.scalar(select(PlatformSubscription).where(PlatformSubscription.stripe_customer_id == customer))


def receive(session, payload: bytes, signature: str | None, secret: str, enqueue) -> tuple[bool, str]:
    return stripe_events.receive(
        session,
        PLATFORM_ACCOUNT,
        payload,
        signature,
        secret,
        HANDLED,
        lambda customer: subscription_for_customer(session, customer) is not None,
        _("This event names a customer the platform does not have."),
        enqueue,
    )


def apply_event(session, event: dict, today: date) -> str:
    """What one of the platform's Stripe events does to the tenant it names."""
    kind, obj = event["type"], event["data"]["object"]
    found = subscription_for_customer(session, obj.get("customer"))
    if found is None:
        return "no tenant has this customer"
    tenant = session.get(Tenant, found.tenant_id)
    subscription = standing.row(session, found.tenant_id)  # locked: a request may be changing it
    if kind == "invoice.payment_succeeded":
        if _earlier(obj, subscription):
            # A subscription since replaced: the money counts, the standing is the current one's.
            services.record_payment(
                session, tenant.id, tenant.slug, subscription.plan, subscription.currency, obj, today
            )
            return "paid: an earlier subscription"
        services.record_invoice(session, tenant.id, tenant.slug, subscription, obj, today)
        return "paid"
    if kind == "invoice.payment_failed":
        if session.scalar(select(PlatformPayment.id).where(PlatformPayment.stripe_invoice_id == obj.get("id"))):
            return "already paid"
        if _earlier(obj, subscription):
            return "an earlier subscription"
        subscription.stripe_invoice_id = obj.get("id")
        standing.mark_unpaid(session, tenant, subscription, today, "payment_failed", _("the card was declined"))
        return f"unpaid: {subscription.standing}"
    if kind in ("customer.subscription.created", "customer.subscription.updated"):
        status = obj.get("status")
        if subscription.stripe_subscription_id is None and status in ("active", "trialing", "past_due", "incomplete"):
            subscription.stripe_subscription_id = obj["id"]
        if (
            obj["id"] == subscription.stripe_subscription_id
            and status in ("past_due", "unpaid")
            and not _paid_up(subscription, today)
        ):
            standing.mark_unpaid(session, tenant, subscription, today, "payment_failed")
        return f"subscription {status}"
    if kind == "customer.subscription.deleted":
        if obj["id"] != subscription.stripe_subscription_id:
            return "an earlier subscription ended"
        subscription.stripe_subscription_id = None
        if subscription.amount > 0 and not subscription.comped:
            standing.mark_unpaid(session, tenant, subscription, today, "subscription_ended")
        return "subscription ended"
    return "ignored"


def _paid_up(subscription, today: date) -> bool:
    """An invoice paid since covers today: a past_due about an earlier moment (Stripe
    retries deliveries for days, in any order) is stale."""
    return subscription.paid_through is not None and subscription.paid_through > today


def _earlier(invoice: dict, subscription) -> bool:
    """The invoice is of a subscription the tenant has since replaced."""
    of = services.invoice_subscription(invoice)
    return (
        of is not None and subscription.stripe_subscription_id is not None and of != subscription.stripe_subscription_id
    )
