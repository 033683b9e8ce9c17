"""The one place that talks to Stripe: a client per organisation (its own keys, the
STRIPE_API_BASE setting for localstripe), keys encrypted at rest, and every call that
creates something carrying an idempotency key derived from what it is for."""

import json
import os

import stripe
from flask import current_app
from flask_babel import gettext as _

from coopnet import sealed
from coopnet.errors import ServiceError


class StripeUnavailable(ServiceError):
    status, code = 503, "stripe_unavailable"


def _setting(name):
    return current_app.config.get(name) or os.environ.get(name)


def encrypt(value: str) -> bytes:
    return sealed.seal("dues", value)


def decrypt(token: bytes | None) -> str | None:
    return sealed.unseal("dues", token)


def mask(key: str) -> str:
    """Shown as sk_test_…abcd or whsec_…abcd: enough to recognise a key, never enough to use it."""
    parts = key.split("_")
    prefix = "_".join(parts[:2]) + "_" if len(parts) > 2 and parts[1] in ("test", "live") else parts[0] + "_"
    return f"{prefix}…{key[-4:]}"


def client(secret_key: str) -> stripe.StripeClient:
    base = _setting("STRIPE_API_BASE")
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": base} if base else None,
        max_network_retries=0,
        http_client=stripe.new_default_http_client(timeout=float(_setting("STRIPE_TIMEOUT") or 20)),
    )


def check_key(secret_key: str) -> None:
    """Ask Stripe whether the key works (a balance read changes nothing)."""
    try:
        client(secret_key).v1.balance.retrieve()
    except stripe.AuthenticationError as error:
        raise ServiceError(
            _("Stripe did not accept this secret key."),
            {"stripe_secret_key": _("Stripe did not accept this key; copy the secret key (sk_…) again.")},
            code="stripe_key_refused",
        ) from error
    except stripe.PermissionError as error:
        raise ServiceError(
            _("This key may not read the account."),
            {"stripe_secret_key": _("This restricted key may not read the balance.")},
            code="stripe_key_refused",
        ) from error
    except (stripe.APIConnectionError, stripe.APIError) as error:
        raise StripeUnavailable(_("Stripe could not be reached; nothing was saved. Try again shortly.")) from error


def dues_key(tenant_id: int, member_id: int, period_start) -> str:
    return f"dues-{tenant_id}-{member_id}-{period_start.isoformat()}"


def ensure_customer(api, tenant_id, member) -> str:
    if member.stripe_customer_id:
        return member.stripe_customer_id
    customer = api.v1.customers.create(
        params={
            "email": member.email,
            "name": member.name,
            "metadata": {"coopnet_tenant": str(tenant_id), "coopnet_member": str(member.id)},
        },
        options={"idempotency_key": f"customer-{tenant_id}-{member.id}"},
    )
    return customer.id


def attach_payment_method(api, customer_id: str, payment_method: str) -> None:
    api.v1.payment_methods.attach(payment_method, params={"customer": customer_id})
    api.v1.customers.update(customer_id, params={"invoice_settings": {"default_payment_method": payment_method}})


def ensure_plan(api, amount: int, currency: str, interval: str) -> str:
    """Plans are named by what they charge, so every member on the same dues shares one."""
    plan_id = f"coopnet-dues-{interval}-{currency}-{amount}"
    try:
        api.v1.plans.retrieve(plan_id)
    except stripe.InvalidRequestError:
        product = api.v1.products.create(
            params={"name": f"Dues ({interval})"}, options={"idempotency_key": f"product-{plan_id}"}
        )
        try:
            api.v1.plans.create(
                params={
                    "id": plan_id,
                    "amount": amount,
                    "currency": currency,
                    "interval": interval,
                    "product": product.id,
                },
                options={"idempotency_key": f"plan-{plan_id}"},
            )
        except stripe.InvalidRequestError:
            pass  # created meanwhile by another run
    return plan_id


def find_subscription(api, customer_id: str, key: str):
    """A subscription made earlier for this period (a run killed after Stripe answered)."""
    for subscription in api.v1.subscriptions.list(params={"customer": customer_id, "limit": 100}).data:
        metadata = subscription.metadata.to_dict() if subscription.metadata else {}
        if metadata.get("dues_key") == key:
            return subscription
    return None


def subscribe(api, customer_id: str, plan_id: str, key: str, metadata: dict):
    return api.v1.subscriptions.create(
        params={"customer": customer_id, "items": [{"plan": plan_id}], "metadata": {"dues_key": key, **metadata}},
        options={"idempotency_key": key},
    )


def retry_invoice(api, invoice_id: str, attempt: int):
    return api.v1.invoices.pay(invoice_id, options={"idempotency_key": f"{invoice_id}-retry-{attempt}"})


def refund(api, invoice: dict, key: str) -> None:
    intent = invoice.get("payment_intent")
    if intent:
        api.v1.refunds.create(params={"payment_intent": intent}, options={"idempotency_key": key})


def verify(payload: bytes, signature: str | None, secret: str, tolerance: int = 300) -> dict:
    """The event, once its Stripe-Signature is checked; SignatureVerificationError otherwise."""
    stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, secret, tolerance)
    return json.loads(payload)
