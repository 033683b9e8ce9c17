"""Dues' side of Stripe: each organisation's own keys (encrypted at rest, checked when
saved, never shown back in full), its members as customers, and plans and
subscriptions keyed by tenant, member and period. The calls themselves are the ones
platform billing makes too (coopnet.platform.billing.stripe_gateway)."""

from functools import wraps

import stripe
from flask_babel import gettext as _

from coopnet import sealed
from coopnet.errors import Conflict, ServiceError
from coopnet.platform.billing import stripe_gateway
from coopnet.platform.billing.stripe_gateway import (  # noqa: F401  (dues calls them through this module)
    StripeUnavailable,
    client,
    refund,
    retry_invoice,
    verify,
)


def key_checked(call):
    """A key that worked when saved may be rolled or revoked at Stripe since: that is the
    organisation's to fix (409 stripe_key_refused), never a 500, and the key is not shown."""

    @wraps(call)
    def checked(*args, **kwargs):
        try:
            return call(*args, **kwargs)
        except (stripe.AuthenticationError, stripe.PermissionError) as error:
            raise Conflict(_("Stripe did not accept this secret key."), code="stripe_key_refused") from error

    return checked


attach_payment_method = key_checked(stripe_gateway.attach_payment_method)


def encrypt(value: str) -> bytes:
    return sealed.seal("dues", value)


def decrypt(token: bytes | None) -> str | None:
    return sealed.unseal("dues", token)


def mask(key: str) -> str:
    """Shown as sk_test_…abcd or whsec_…abcd: enough to recognise a key, never enough to use it."""
    parts = key.split("_")
    prefix = "_".join(parts[:2]) + "_" if len(parts) > 2 and parts[1] in ("test", "live") else parts[0] + "_"
    return f"{prefix}…{key[-4:]}"


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


@key_checked
def ensure_customer(api, tenant_id, member) -> str:
    return stripe_gateway.ensure_customer(
        api,
        member.stripe_customer_id,
        member.email,
        member.name,
        {"coopnet_tenant": str(tenant_id), "coopnet_member": str(member.id)},
        f"customer-{tenant_id}-{member.id}",
    )


@key_checked
def ensure_plan(api, amount: int, currency: str, interval: str) -> str:
    """Plans are named by what they charge, so every member on the same dues shares one."""
    plan_id = f"coopnet-dues-{interval}-{currency}-{amount}"
    return stripe_gateway.ensure_plan(api, plan_id, f"Dues ({interval})", amount, currency, interval)


def find_subscription(api, customer_id: str, key: str):
    """A subscription made earlier for this period (a run killed after Stripe answered)."""
    return stripe_gateway.find_subscription(api, customer_id, "dues_key", key)


def subscribe(api, customer_id: str, plan_id: str, key: str, metadata: dict):
    return stripe_gateway.subscribe(api, customer_id, plan_id, key, {"dues_key": key, **metadata})


@key_checked
def checkout(api, customer_id: str, plan_id: str, member_id: int, key: str, success_url: str, cancel_url: str):
    """Stripe's hosted payment page (Checkout) for a member's first period: the member
    enters a card there and Stripe makes the subscription, which the
    checkout.session.completed event then names (client_reference_id: the member)."""
    return api.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(member_id),
            "line_items": [{"price": plan_id, "quantity": 1}],
            "subscription_data": {"metadata": {"dues_key": key, "coopnet_member": str(member_id)}},
            "success_url": success_url,
            "cancel_url": cancel_url,
        },
        options={"idempotency_key": f"checkout-{key}"},
    )
