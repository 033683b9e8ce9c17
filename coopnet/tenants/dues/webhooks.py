"""Receiving Stripe's webhooks for one organisation: its own webhook secret, its own
members as the only customers it knows; the checking and recording are shared with
platform billing (coopnet.platform.billing.stripe_events).

Who commits: the webhook view (the event row and the queued job go together)."""

from flask_babel import gettext as _

from coopnet.platform.billing import stripe_events
from coopnet.platform.billing.stripe_events import BadWebhook  # noqa: F401
from coopnet.tenants.dues import billing, gateway
from coopnet.tenants.dues import settings as dues_settings

HANDLED = (
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "checkout.session.completed",
)


def webhook_secret(session) -> str | None:
    found = dues_settings.current(session)
    return gateway.decrypt(found.stripe_webhook_secret) if found else None


def receive(session, tenant, payload: bytes, signature: str | None, secret: str, enqueue) -> tuple[bool, str]:
    """Verify and record one delivery. Returns (new, event id); a replay is (False, id).
    Anything unsigned, stale, wrongly signed, of a type not handled, or naming a customer
    this organisation does not have, is refused with nothing stored."""
    return stripe_events.receive(
        session,
        tenant.id,
        payload,
        signature,
        secret,
        HANDLED,
        lambda customer: billing.member_for_customer(session, customer) is not None,
        _("This event names a customer this organisation does not have."),
        enqueue,
    )
