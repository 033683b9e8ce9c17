"""Receiving Stripe's webhooks, for a dues-collecting tenant or the platform itself: the
signature checked with the receiver's secret, each event id recorded once in the shared
event log (so a replay has no second effect), the work handed to a job.

Who commits: the webhook view (the event row and the queued job go together)."""

from collections.abc import Callable

import stripe
from flask_babel import gettext as _
from sqlalchemy.dialects.postgresql import insert

from coopnet.errors import ServiceError
from coopnet.platform.billing import stripe_gateway
from coopnet.platform.billing.models import PLATFORM_ACCOUNT, StripeEvent

__all__ = ["PLATFORM_ACCOUNT", "BadWebhook", "customer_of", "receive"]


class BadWebhook(ServiceError):
    status, code = 400, "bad_webhook"


def customer_of(event: dict) -> str | None:
    """The customer an event is about; a Checkout session may create its customer and
    names what it pays for instead."""
    obj = (event.get("data") or {}).get("object") or {}
    if event.get("type", "").startswith("checkout."):
        return None
    return obj.get("customer") if isinstance(obj, dict) else None


def receive(
    session,
    account_id: int,
    payload: bytes,
    signature: str | None,
    secret: str,
    handled: tuple[str, ...],
    knows_customer: Callable[[str], bool],
    unknown_customer: str,
    enqueue: Callable[[int], object],
) -> tuple[bool, str]:
    """Verify and record one delivery for ``account_id`` (a tenant's id, or
    PLATFORM_ACCOUNT). Returns (new, event id); a replay is (False, id). Anything
    unsigned, stale, wrongly signed, of a type not handled, or naming a customer the
    receiver does not have (``unknown_customer`` says so) is refused, nothing stored."""
    try:
        event = stripe_gateway.verify(payload, signature, secret)
    except stripe.SignatureVerificationError as error:
        raise BadWebhook(
            _("The Stripe signature did not verify: %(value)s", value=error.user_message or error)
        ) from error
    except ValueError as error:
        raise BadWebhook(_("The body is not a Stripe event.")) from error
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not isinstance(event.get("data"), dict):
        raise BadWebhook(_("The body is not a Stripe event."))
    if event.get("type") not in handled:
        raise BadWebhook(
            _("Events of type %(value)s are not handled here.", value=repr(event.get("type"))),
            code="unhandled_event_type",
        )
    customer = customer_of(event)
    if customer is not None and not knows_customer(customer):
        raise BadWebhook(unknown_customer, code="unknown_customer")
    row = session.execute(
        insert(StripeEvent)
        .values(tenant_id=account_id, event_id=event["id"][:255], type=event["type"], payload=event)
        .on_conflict_do_nothing(constraint="uq_stripe_events_tenant_event")
        .returning(StripeEvent.id)
    ).scalar()
    if row is None:
        return False, event["id"]
    enqueue(row)
    return True, event["id"]
