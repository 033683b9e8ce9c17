"""A tenant's plan with the platform: choosing one, paying for it by card through the
platform's own Stripe account (PLATFORM_STRIPE_SECRET_KEY), and the operator's comp.
Every Stripe call that creates something carries a key made from the tenant and its
count of changes or attempts, so a retried request never subscribes or charges twice.

Who commits: the view, command or job that calls these; they flush and return."""

from datetime import date, datetime, timezone

import stripe
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.errors import Conflict, ServiceError, ValidationFailed
from coopnet.platform.billing import plans, standing, stripe_gateway
from coopnet.platform.billing.models import PlatformPayment, PlatformSubscription


class CardDeclined(ServiceError):
    status, code = 402, "card_declined"


def secret_key() -> str | None:
    return stripe_gateway.setting("PLATFORM_STRIPE_SECRET_KEY")


def platform_api():
    key = secret_key()
    if not key:
        raise Conflict(
            _("The platform's billing is not set up yet, so paid plans cannot be chosen."),
            code="billing_not_configured",
        )
    return stripe_gateway.client(key)


def _unreachable(error):
    return stripe_gateway.StripeUnavailable(_("Stripe could not be reached; nothing was changed. Try again shortly."))


def overview(session, tenant, today: date) -> dict:
    """What the tenant's admins see: plan, people, standing, the plans it may choose, payments."""
    found = standing.peek(session, tenant.id)
    count = standing.people(session, tenant.id)
    plan = plans.get(found.plan if found else "free") or plans.FREE
    payments = list(
        session.scalars(
            select(PlatformPayment)
            .where(PlatformPayment.tenant_id == tenant.id)
            .order_by(PlatformPayment.paid_on.desc(), PlatformPayment.id.desc())
            .limit(24)
        )
    )
    return {
        "plan": plan,
        "amount": found.amount if found else 0,
        "currency": found.currency if found else plan.currency,
        "people": count,
        "standing": found.standing if found else "good",
        "reason": found.reason if found else None,
        "unpaid_since": found.unpaid_since if found else None,
        "grace_ends": standing.grace_ends(found),
        "paid_through": found.paid_through if found else None,
        "has_payment_method": bool(found and found.has_payment_method),
        "last_error": found.last_error if found else None,
        "comped": bool(found and found.comped),
        "comped_until": found.comped_until if found else None,
        "plans": [(p, p.covers(count)) for p in plans.PLANS],
        "payments": payments,
        "billing_configured": bool(secret_key()),
    }


def add_payment_method(
    session, tenant, payment_method: str, today: date, email: str | None = None
) -> PlatformSubscription:
    """Attach a card (a pm_… from Stripe's hosted step) as the tenant's default; an
    invoice left unpaid is paid with it at once."""
    if not isinstance(payment_method, str) or not payment_method.startswith("pm_") or len(payment_method) > 255:
        raise ValidationFailed(
            _("That is not a Stripe payment method."), {"payment_method": _("Send the pm_… id from Stripe.")}
        )
    api = platform_api()
    subscription = standing.row(session, tenant.id)
    try:
        customer = stripe_gateway.ensure_customer(
            api,
            subscription.stripe_customer_id,
            email,
            tenant.name,
            {"coopnet_tenant": str(tenant.id), "coopnet_slug": tenant.slug},
            f"platform-customer-{tenant.id}",
        )
        stripe_gateway.attach_payment_method(api, customer, payment_method)
    except stripe.CardError as error:
        raise CardDeclined(
            _("The card was declined: %(value)s.", value=error.user_message or _("ask the bank")),
            {"payment_method": _("The card was declined.")},
        ) from error
    except stripe.InvalidRequestError as error:
        raise ValidationFailed(
            _("Stripe refused this payment method."),
            {"payment_method": error.user_message or _("Not usable.")},
        ) from error
    except (stripe.APIConnectionError, stripe.APIError) as error:
        raise _unreachable(error) from error
    subscription.stripe_customer_id = customer
    subscription.has_payment_method = True
    subscription.updated_at = utcnow()
    if subscription.stripe_invoice_id and subscription.standing != "good":
        _pay_open_invoice(session, tenant, subscription, api, today)
    session.flush()
    return subscription


def _pay_open_invoice(session, tenant, subscription, api, today):
    subscription.attempts += 1
    declined = None
    try:
        invoice = stripe_gateway.retry_invoice(api, subscription.stripe_invoice_id, subscription.attempts)
        if invoice.status != "paid":
            declined = _("the card was declined")
    except stripe.CardError as error:
        declined = error.user_message or _("the card was declined")
    except stripe.InvalidRequestError as error:  # paid or voided meanwhile: its event says which
        subscription.last_error = str(error.user_message or error)[:300]
        return
    except (stripe.APIConnectionError, stripe.APIError) as error:
        # The card is attached at Stripe already: keep it (and the customer) rather than
        # roll the request back and make a second customer on the next try. Stripe
        # retries the open invoice itself; its event records the payment.
        subscription.last_error = f"Stripe unreachable while paying the open invoice: {error}"[:300]
        return
    if declined:
        subscription.last_error = str(declined)[:300]
        return
    record_invoice(session, tenant.id, tenant.slug, subscription, invoice.to_dict(), today)


def choose_plan(session, tenant, code, today: date) -> PlatformSubscription:
    """Move the tenant to plan ``code``. The free plan cancels any subscription; a paid
    plan needs a card and subscribes (or moves the subscription to the new price). A
    first payment that is declined leaves the plan chosen and the tenant warned."""
    plan = plans.get(code)
    if plan is None:
        raise ValidationFailed(
            _("There is no such plan."),
            {"plan": _("Choose one of: %(values)s.", values=", ".join(p.code for p in plans.PLANS))},
        )
    subscription = standing.row(session, tenant.id)
    if subscription.comped:
        raise Conflict(_("The platform gives this space its plan; ask the operator to change it."), code="comped")
    count = standing.people(session, tenant.id)
    if not plan.covers(count):
        raise Conflict(
            _("This plan covers %(most)s people and this space has %(count)s.", most=plan.people, count=count),
            {"plan": _("Choose a larger plan.")},
            code="plan_too_small",
        )
    if subscription.plan == plan.code and (subscription.standing == "good" or not plan.paid):
        if subscription.reason == "over_plan":
            standing.mark_paid(subscription)
        return subscription
    if not plan.paid:
        _cancel(subscription)
        subscription.plan, subscription.amount, subscription.currency = plan.code, 0, plan.currency
        subscription.changes += 1
        standing.mark_paid(subscription)
        session.flush()
        return subscription
    api = platform_api()
    if not subscription.has_payment_method or not subscription.stripe_customer_id:
        raise Conflict(
            _("Add a card before choosing a paid plan."),
            {"payment_method": _("Add a card first.")},
            code="payment_method_required",
        )
    if subscription.plan == plan.code and subscription.stripe_invoice_id:
        _pay_open_invoice(session, tenant, subscription, api, today)  # the same plan, unpaid: pay it now
        session.flush()
        return subscription
    try:
        plan_id = stripe_gateway.ensure_plan(
            api, plan.stripe_plan_id, f"coopnet {plan.code}", plan.amount, plan.currency, "month"
        )
        if subscription.stripe_subscription_id:
            _move(api, subscription.stripe_subscription_id, plan_id)
            found = None
        else:
            key = f"platform-{tenant.id}-change-{subscription.changes + 1}-{plan.code}"
            found = stripe_gateway.find_subscription(
                api, subscription.stripe_customer_id, "coopnet_key", key
            ) or stripe_gateway.subscribe(
                api,
                subscription.stripe_customer_id,
                plan_id,
                key,
                {"coopnet_key": key, "coopnet_tenant": str(tenant.id), "coopnet_plan": plan.code},
            )
        invoice = _latest_invoice(api, found) if found is not None else None
    except stripe.CardError as error:
        raise CardDeclined(_("The card was declined: %(value)s.", value=error.user_message or _("ask the bank"))) from (
            error
        )
    except (stripe.APIConnectionError, stripe.APIError) as error:
        raise _unreachable(error) from error
    subscription.plan, subscription.amount, subscription.currency = plan.code, plan.amount, plan.currency
    subscription.changes += 1
    subscription.updated_at = utcnow()
    if found is not None:
        subscription.stripe_subscription_id = found.id
        if found.status in ("incomplete", "past_due", "unpaid"):
            subscription.stripe_invoice_id = invoice.get("id") if invoice else None
            standing.mark_unpaid(session, tenant, subscription, today, "payment_failed", _("the card was declined"))
        elif invoice is not None:
            record_invoice(session, tenant.id, tenant.slug, subscription, invoice, today)
    if subscription.reason == "over_plan":
        standing.mark_paid(subscription)  # the new plan covers everyone
    session.flush()
    return subscription


def _move(api, subscription_id, plan_id):
    """The subscription's one item moves to the new price; Stripe prorates the change
    onto the next invoice."""
    current = api.v1.subscriptions.retrieve(subscription_id)
    item = current["items"]["data"][0]["id"]
    api.v1.subscriptions.update(subscription_id, params={"items": [{"id": item, "plan": plan_id}]})


def _latest_invoice(api, subscription) -> dict | None:
    latest = subscription.latest_invoice
    if latest is None:
        return None
    if isinstance(latest, str):
        latest = api.v1.invoices.retrieve(latest)
    return latest.to_dict()


def _cancel(subscription):
    if not subscription.stripe_subscription_id:
        return
    try:
        platform_api().v1.subscriptions.cancel(subscription.stripe_subscription_id)
    except stripe.InvalidRequestError:
        pass  # canceled already
    except (stripe.APIConnectionError, stripe.APIError) as error:
        raise _unreachable(error) from error
    subscription.stripe_subscription_id = None
    subscription.stripe_invoice_id = None


def utc_day(stamp) -> date | None:
    """The UTC day of a Unix time Stripe sent, or None when it is not a plausible one."""
    if not isinstance(stamp, int) or isinstance(stamp, bool) or not 0 < stamp < 2**37:
        return None
    return datetime.fromtimestamp(stamp, tz=timezone.utc).date()


def invoice_period_end(invoice: dict) -> date | None:
    lines = ((invoice.get("lines") or {}).get("data")) or []
    return utc_day(((lines[0] or {}).get("period") or {}).get("end") if lines else None)


def invoice_subscription(invoice: dict) -> str | None:
    if invoice.get("subscription"):
        return invoice["subscription"]
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription")


def record_payment(session, tenant_id, tenant_slug, plan: str, currency: str, invoice: dict, today: date) -> bool:
    """A paid invoice counted once in revenue (by its id). True when it is new."""
    amount = int(invoice.get("amount_paid") or 0)
    if amount <= 0 or not invoice.get("id"):
        return False
    inserted = session.execute(
        insert(PlatformPayment)
        .values(
            tenant_id=tenant_id,
            tenant_slug=tenant_slug,
            plan=plan,
            amount=amount,
            currency=str(invoice.get("currency") or currency)[:3],
            stripe_invoice_id=str(invoice["id"])[:64],
            paid_on=paid_on(invoice) or today,
        )
        .on_conflict_do_nothing(index_elements=["stripe_invoice_id"])
        .returning(PlatformPayment.id)
    ).scalar()
    return inserted is not None


def paid_on(invoice: dict) -> date | None:
    """The day (UTC) Stripe says the invoice was paid, so revenue falls in the month it was
    paid even when its event is applied after midnight at a month's end."""
    return utc_day((invoice.get("status_transitions") or {}).get("paid_at"))


def record_invoice(session, tenant_id, tenant_slug, subscription, invoice: dict, today: date) -> bool:
    """A paid invoice of the tenant's current subscription: counted, and the tenant paid up,
    unless it is warned for having more people than its plan covers: paying that plan does
    not cover them, so the warning and its grace period run on (a larger plan, or fewer
    people at the daily sweep, end it)."""
    new = record_payment(session, tenant_id, tenant_slug, subscription.plan, subscription.currency, invoice, today)
    if subscription.reason == "over_plan":
        standing.paid_through(subscription, invoice_period_end(invoice))
    else:
        standing.mark_paid(subscription, invoice_period_end(invoice))
    return new


def comp(session, tenant, code, reason: str, until: date | None, now: datetime) -> PlatformSubscription:
    """The operator gives a tenant a plan for nothing (until a day, or for good): any
    subscription is cancelled and the tenant is in good standing."""
    plan = plans.get(code)
    if plan is None:
        raise ValidationFailed(_("There is no such plan."), {"plan": ", ".join(p.code for p in plans.PLANS)})
    if not reason or not reason.strip():
        raise ValidationFailed(_("Say why."), {"reason": _("Say why this space is comped.")})
    subscription = standing.row(session, tenant.id)
    _cancel(subscription)
    subscription.plan, subscription.amount, subscription.currency = plan.code, 0, plan.currency
    subscription.comped, subscription.comp_reason = True, reason.strip()[:300]
    subscription.comped_at, subscription.comped_until = now, until
    standing.mark_paid(subscription)
    session.flush()
    return subscription


def end_comp(session, tenant) -> PlatformSubscription:
    """Back to the free plan; the daily sweep warns a tenant the free plan does not cover."""
    subscription = standing.row(session, tenant.id)
    subscription.comped, subscription.comped_until = False, None
    subscription.plan, subscription.amount = plans.FREE.code, 0
    subscription.updated_at = utcnow()
    session.flush()
    return subscription
