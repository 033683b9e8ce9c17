"""Receiving Stripe's webhooks: the signature checked with the organisation's secret,
each event id recorded once in the shared event log, the work handed to a platform job.

Who commits: the webhook view (the event row and the queued job go together)."""

import stripe
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert

from coopnet.errors import ServiceError
from coopnet.tenants.dues import billing, gateway
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.models import StripeEvent

HANDLED = (
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "checkout.session.completed",
)


class BadWebhook(ServiceError):
    status, code = 400, "bad_webhook"


def webhook_secret(session) -> str | None:
    found = dues_settings.current(session)
    return gateway.decrypt(found.stripe_webhook_secret) if found else None


def receive(session, tenant, payload: bytes, signature: str | None, secret: str, enqueue) -> tuple[bool, str]:
    """Verify and record one delivery. Returns (new, event id); a replay is (False, id).
    Anything unsigned, stale, wrongly signed, of a type not handled, or naming a customer
    this organisation does not have, is refused with nothing stored."""
    try:
        event = gateway.verify(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise BadWebhook(
            _("The Stripe signature did not verify: %(value)s", value=error.user_message or error)
        ) from error
    except ValueError as error:
        raise BadWebhook(_("The body is not a Stripe event.")) from error
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("data"), dict):
        raise BadWebhook(_("The body is not a Stripe event."))
    if event.get("type") not in HANDLED:
        raise BadWebhook(
            _("Events of type %(value)s are not handled here.", value=repr(event.get("type"))),
            code="unhandled_event_type",
        )
    customer = billing.customer_of(event)
    if customer is not None and billing.member_for_customer(session, customer) is None:
        raise BadWebhook(_("This event names a customer this organisation does not have."), code="unknown_customer")
    row = session.execute(
        insert(StripeEvent)
        .values(tenant_id=tenant.id, event_id=event["id"][:255], type=event["type"], payload=event)
        .on_conflict_do_nothing(constraint="uq_stripe_events_tenant_event")
        .returning(StripeEvent.id)
    ).scalar()
    if row is None:
        return False, event["id"]
    enqueue(row)
    return True, event["id"]
