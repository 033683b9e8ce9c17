"""The Stripe calls dues and the platform's own billing share: a client for a secret key
(the STRIPE_API_BASE setting points it at localstripe), customers, cards, plans named by
what they charge, subscriptions found again by the idempotency key they were made with,
and the webhook signature check. Every call that creates something carries an
idempotency key derived from what it is for."""

import json
import os

import stripe
from flask import current_app

from coopnet.errors import ServiceError


class StripeUnavailable(ServiceError):
    status, code = 503, "stripe_unavailable"


def setting(name):
    return current_app.config.get(name) or os.environ.get(name)


def client(secret_key: str) -> stripe.StripeClient:
    base = setting("STRIPE_API_BASE")
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": base} if base else None,
        max_network_retries=0,
        http_client=stripe.new_default_http_client(timeout=float(setting("STRIPE_TIMEOUT") or 20)),
    )


def ensure_customer(api, existing: str | None, email: str | None, name: str, metadata: dict, key: str) -> str:
    if existing:
        return existing
    params = {"name": name, "metadata": metadata} | ({"email": email} if email else {})
    customer = api.v1.customers.create(params=params, options={"idempotency_key": key})
    return customer.id


def attach_payment_method(api, customer_id: str, payment_method: str) -> None:
    api.v1.payment_methods.attach(payment_method, params={"customer": customer_id})
    api.v1.customers.update(customer_id, params={"invoice_settings": {"default_payment_method": payment_method}})


def ensure_plan(api, plan_id: str, product_name: str, amount: int, currency: str, interval: str) -> str:
    """The plan ``plan_id`` (made once; Stripe keeps it), named by what it charges."""
    try:
        api.v1.plans.retrieve(plan_id)
    except stripe.InvalidRequestError:
        product = api.v1.products.create(
            params={"name": product_name}, options={"idempotency_key": f"product-{plan_id}"}
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


def find_subscription(api, customer_id: str, field: str, key: str):
    """A subscription made earlier with this key in its metadata ``field`` (a run
    killed after Stripe answered, before the answer was stored)."""
    for subscription in api.v1.subscriptions.list(params={"customer": customer_id, "limit": 100}).data:
        metadata = subscription.metadata.to_dict() if subscription.metadata else {}
        if metadata.get(field) == key:
            return subscription
    return None


def subscribe(api, customer_id: str, plan_id: str, key: str, metadata: dict):
    return api.v1.subscriptions.create(
        params={"customer": customer_id, "items": [{"plan": plan_id}], "metadata": metadata},
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
