"""Dues through Stripe: a member's card, the renewal run (one claimed charge a member a
period, then a subscription made with the period's idempotency key), retries of failed
payments, and what each Stripe event does to the register.

Who commits: the caller, except ``bill`` and ``renew_all``, which commit each claim
before calling Stripe so that a run killed at any point bills nobody twice."""

import time
from datetime import date, datetime, timedelta

import stripe
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.errors import Conflict, ServiceError, ValidationFailed
from coopnet.platform.billing.models import StripeEvent
from coopnet.tenants.dues import gateway, register
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.models import DuesCharge, DuesMember, DuesPayment

RETRY_AFTER = (timedelta(days=1), timedelta(days=3), timedelta(days=5))
UNREACHABLE_RETRY = timedelta(hours=1)
INTERVAL = {"annual": "year", "monthly": "month"}


class CardDeclined(ServiceError):
    status, code = 402, "card_declined"


def add_payment_method(session, tenant, member_id: int, payment_method: str) -> DuesMember:
    """Attach a card (a pm_… from Stripe's hosted step) as the member's default."""
    member = register.get(session, member_id)
    if not isinstance(payment_method, str) or not payment_method.startswith("pm_") or len(payment_method) > 255:
        raise ValidationFailed(
            gettext("That is not a Stripe payment method."),
            {"payment_method": gettext("Send the pm_… id from Stripe.")},
        )
    _, key = dues_settings.require_connected(session)
    api = gateway.client(key)
    try:
        customer = gateway.ensure_customer(api, tenant.id, member)
        gateway.attach_payment_method(api, customer, payment_method)
    except stripe.CardError as error:
        raise CardDeclined(
            gettext("The card was declined: %(value)s.", value=error.user_message or gettext("ask the bank")),
            {"payment_method": gettext("The card was declined.")},
        ) from error
    except stripe.InvalidRequestError as error:
        raise ValidationFailed(
            gettext("Stripe refused this payment method."),
            {"payment_method": error.user_message or gettext("Not usable.")},
        ) from error
    except (stripe.APIConnectionError, stripe.APIError) as error:
        raise _unreachable() from error
    member.stripe_customer_id = customer
    member.has_payment_method = True
    session.flush()
    return member


def _unreachable() -> gateway.StripeUnavailable:
    return gateway.StripeUnavailable(gettext("Stripe could not be reached; nothing was changed. Try again."))


def start_checkout(session, tenant, member_id: int, success_url: str, cancel_url: str) -> str:
    """The address of Stripe's hosted payment page for the member's current period. Where
    Stripe has no Checkout (localstripe) it is refused: attach a card through the API."""
    member = register.get(session, member_id)
    if member.stripe_subscription_id:
        raise Conflict(gettext("This member already pays by card."), code="already_subscribed")
    _, key = dues_settings.require_connected(session)
    api = gateway.client(key)
    try:
        customer = gateway.ensure_customer(api, tenant.id, member)
        plan = gateway.ensure_plan(api, member.amount, member.currency, INTERVAL[member.plan])
        page = gateway.checkout(
            api,
            customer,
            plan,
            member.id,
            gateway.dues_key(tenant.id, member.id, member.renews_on),
            success_url,
            cancel_url,
        )
    except (stripe.InvalidRequestError, stripe.APIError, stripe.APIConnectionError) as error:
        if isinstance(error, stripe.InvalidRequestError) or error.http_status == 404:  # no Checkout (localstripe)
            raise Conflict(
                gettext("Stripe's payment page is not available here; attach a card through the API instead."),
                code="checkout_unavailable",
            ) from error
        raise _unreachable() from error
    member.stripe_customer_id = customer
    session.flush()
    return page.url


def due_member_ids(session, today: date, after_id: int = 0) -> list[int]:
    """Members whose next period has started and who have a card on file, by id."""
    return list(
        session.scalars(
            select(DuesMember.id)
            .where(DuesMember.renews_on <= today, DuesMember.has_payment_method.is_(True), DuesMember.id > after_id)
            .order_by(DuesMember.id)
        )
    )


def claim(session, tenant, member: DuesMember) -> DuesCharge:
    """The charge for the member's current period, inserted once (a second run finds it)."""
    key = gateway.dues_key(tenant.id, member.id, member.renews_on)
    session.execute(
        insert(DuesCharge)
        .values(
            member_id=member.id,
            period_start=member.renews_on,
            amount=member.amount,
            currency=member.currency,
            idempotency_key=key,
            status="pending",
            attempts=0,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["member_id", "period_start"])
    )
    return session.scalar(
        select(DuesCharge).where(DuesCharge.member_id == member.id, DuesCharge.period_start == member.renews_on)
    )


def bill(session, tenant, member_id: int, api=None, plans=None) -> str:
    """Bill one member's current period; returns what happened. Safe to run again."""
    member = session.get(DuesMember, member_id)
    if member is None or not member.has_payment_method or not member.stripe_customer_id:
        return "skipped"
    started = session.scalar(
        select(DuesCharge.id).where(DuesCharge.member_id == member.id, DuesCharge.period_start == member.renews_on)
    )
    if started is None and member.stripe_subscription_id:
        return "subscribed"  # its subscription renews at Stripe; the invoice's event records the payment
    charge = claim(session, tenant, member)
    session.commit()
    if charge.status != "pending":
        return "already"
    if api is None:
        _, key = dues_settings.require_connected(session)
        api = gateway.client(key)
    try:
        subscription = gateway.find_subscription(api, member.stripe_customer_id, charge.idempotency_key)
        if subscription is None:
            what = (member.amount, member.currency, INTERVAL[member.plan])
            plans = {} if plans is None else plans  # one look-up a plan a run, not a member
            if what not in plans:
                plans[what] = gateway.ensure_plan(api, *what)
            plan = plans[what]
            subscription = gateway.subscribe(
                api,
                member.stripe_customer_id,
                plan,
                charge.idempotency_key,
                {"coopnet_tenant": str(tenant.id), "coopnet_member": str(member.id)},
            )
    except (stripe.APIConnectionError, stripe.APIError) as error:
        charge.last_error = f"Stripe unreachable: {error}"[:500]
        session.commit()
        raise
    except stripe.StripeError as error:
        # Stripe refused this member's request (a customer deleted at Stripe, an amount it
        # will not take): recorded on the charge, which stays pending for the next run, and
        # the run goes on to everyone else.
        charge.last_error = f"Stripe refused: {error.user_message or error}"[:500]
        session.commit()
        return "refused"
    charge.status = "submitted"
    charge.attempts += 1
    charge.stripe_subscription_id = subscription.id
    charge.stripe_invoice_id = subscription.latest_invoice if isinstance(subscription.latest_invoice, str) else None
    member.stripe_subscription_id = subscription.id
    if subscription.status == "incomplete":
        # The first payment was declined as the subscription was made; the
        # invoice.payment_failed event, if Stripe sends one, then changes nothing.
        now = utcnow()
        register.payment_failed(
            session, tenant, member, charge, now.date(), "the card was declined", _next_retry(charge.attempts, now)
        )
        session.commit()
        return "declined"
    session.commit()
    return "billed"


def renew_all(session, tenant, today: date, progress=None, after_id: int = 0, budget: float | None = None) -> dict:
    """The renewal run: bill everyone due (after ``after_id``). Restartable: each claim is
    committed first. With a ``budget`` in seconds it stops when that is spent and says
    where to go on from ("more", "last_id"), so no job outlives the worker's timeout."""
    ids = due_member_ids(session, today, after_id)
    _, key = dues_settings.require_connected(session)
    api = gateway.client(key)
    outcome = {"billed": 0, "declined": 0, "already": 0, "subscribed": 0, "skipped": 0, "refused": 0, "more": False}
    plans = {}
    started = time.monotonic()
    for done, member_id in enumerate(ids, 1):
        outcome[bill(session, tenant, member_id, api, plans)] += 1
        outcome["last_id"] = member_id
        if progress is not None and (done % 50 == 0 or done == len(ids)):
            progress(done, len(ids))
        if budget is not None and time.monotonic() - started > budget and done < len(ids):
            outcome["more"] = True
            break
    return outcome


def retry_failed(session, tenant, now: datetime) -> int:
    """Charge again the failed invoices whose retry time has come."""
    charges = list(
        session.scalars(
            select(DuesCharge).where(
                DuesCharge.status == "failed",
                DuesCharge.next_attempt_at <= now,
                DuesCharge.stripe_invoice_id.is_not(None),
            )
        )
    )
    if not charges:
        return 0
    _, key = dues_settings.require_connected(session)
    api = gateway.client(key)
    for charge in charges:
        charge.attempts += 1
        charge.next_attempt_at = None
        charge.status = "submitted"
        session.commit()  # the attempt is counted before Stripe is asked
        declined = None
        try:
            invoice = gateway.retry_invoice(api, charge.stripe_invoice_id, charge.attempts)
            if invoice.status != "paid":
                declined = "the card was declined again"
        except stripe.CardError as error:
            declined = str(error.user_message or error)
        except stripe.InvalidRequestError as error:  # paid or voided meanwhile: its event tells us
            charge.last_error = str(error)[:500]
        except (stripe.APIConnectionError, stripe.APIError) as error:
            # No answer: the attempt is put back, to be asked again with the same key (so a
            # request Stripe did receive is not charged twice), and the job fails.
            charge.status, charge.attempts = "failed", charge.attempts - 1
            charge.next_attempt_at = now + UNREACHABLE_RETRY
            charge.last_error = f"Stripe unreachable: {error}"[:500]
            session.commit()
            raise
        if declined:
            member = session.get(DuesMember, charge.member_id)
            register.payment_failed(
                session, tenant, member, charge, now.date(), declined, _next_retry(charge.attempts, now)
            )
        session.commit()
    return len(charges)


def _next_retry(attempts, now):
    return now + RETRY_AFTER[attempts - 1] if 0 < attempts <= len(RETRY_AFTER) else None


def member_for_customer(session, customer_id) -> DuesMember | None:
    if not isinstance(customer_id, str):
        return None
    return session.scalar(select(DuesMember).where(DuesMember.stripe_customer_id == customer_id))


def apply_event(session, tenant, event: dict, now: datetime) -> str:
    """What one Stripe event does; safe in any order and more than once."""
    kind = event["type"]
    obj = event["data"]["object"]
    if kind == "checkout.session.completed":
        return _checkout_completed(session, obj)
    member = member_for_customer(session, obj.get("customer"))
    if member is None:
        return "no member has this customer"
    today = now.date()
    if kind == "invoice.payment_succeeded":
        return _invoice_paid(session, tenant, member, obj, today)
    if kind == "invoice.payment_failed":
        if session.scalar(select(DuesPayment.id).where(DuesPayment.stripe_invoice_id == obj.get("id"))):
            return "already paid"
        charge = _charge_for_invoice(session, member, obj)
        attempts = charge.attempts if charge is not None else 1
        reason = ((obj.get("last_finalization_error") or {}) or {}).get("message") or "the card was declined"
        register.payment_failed(session, tenant, member, charge, today, reason, _next_retry(max(attempts, 1), now))
        return "grace"
    if kind in ("customer.subscription.created", "customer.subscription.updated"):
        if _subscription_ended(session, tenant, obj["id"]):
            return "subscription ended already"  # a late event must not bring it back
        if obj.get("status") in ("active", "trialing", "past_due", "incomplete", "unpaid"):
            member.stripe_subscription_id = obj["id"]
        elif member.stripe_subscription_id == obj["id"]:  # canceled, incomplete_expired
            member.stripe_subscription_id = None
        return f"subscription {obj.get('status')}"
    if kind == "customer.subscription.deleted":
        if member.stripe_subscription_id == obj["id"]:
            member.stripe_subscription_id = None
        return "subscription ended"
    return "ignored"


def _subscription_ended(session, tenant, subscription_id: str) -> bool:
    """Has Stripe told this tenant that the subscription was deleted (in any order)?"""
    deleted = select(StripeEvent.id).where(
        StripeEvent.tenant_id == tenant.id,
        StripeEvent.type == "customer.subscription.deleted",
        StripeEvent.payload["data"]["object"]["id"].as_string() == subscription_id,
    )
    return session.scalar(deleted.limit(1)) is not None


def _charge_for_invoice(session, member, invoice) -> DuesCharge | None:
    charge = session.scalar(select(DuesCharge).where(DuesCharge.stripe_invoice_id == invoice.get("id")))
    if charge is None and invoice.get("subscription"):
        charge = session.scalar(
            select(DuesCharge).where(
                DuesCharge.member_id == member.id,
                DuesCharge.stripe_subscription_id == invoice["subscription"],
                DuesCharge.status != "paid",
            )
        )
    if charge is None:
        charge = session.scalar(
            select(DuesCharge).where(DuesCharge.member_id == member.id, DuesCharge.period_start == member.renews_on)
        )
    if charge is not None and charge.stripe_invoice_id is None:
        charge.stripe_invoice_id = invoice.get("id")
    return charge


def _invoice_paid(session, tenant, member, invoice, today) -> str:
    if session.scalar(select(DuesPayment.id).where(DuesPayment.stripe_invoice_id == invoice["id"])):
        return "already recorded"
    charge = _charge_for_invoice(session, member, invoice)
    start = charge.period_start if charge is not None else member.renews_on
    amount = int(invoice.get("amount_paid") or invoice.get("total") or 0)
    if amount <= 0:
        return "nothing paid"
    payment = DuesPayment(
        member_id=member.id,
        period_start=start,
        period_end=register.period_end(member, start),
        amount=amount,
        currency=(invoice.get("currency") or member.currency)[:3],
        method="card",
        stripe_invoice_id=invoice["id"],
        received_on=today,
    )
    if register.payment_for(session, member.id, start) is not None:
        # Paid twice for one period (a check arrived too): refund the card, count it once.
        payment.status = "refunded"
        session.add(payment)
        session.flush()
        _, key = dues_settings.require_connected(session)
        gateway.refund(gateway.client(key), invoice, f"refund-{invoice['id']}")
        if charge is not None:
            charge.status = "paid"
        return "refunded: period already paid"
    if invoice.get("subscription") and member.stripe_subscription_id is None:
        member.stripe_subscription_id = invoice["subscription"]
    session.add(payment)
    session.flush()
    register.paid_for(session, tenant, member, payment, today)
    return "paid"


def _checkout_completed(session, obj) -> str:
    reference = obj.get("client_reference_id")
    digits = str(reference or "")
    member = session.get(DuesMember, int(digits)) if digits.isdigit() and len(digits) < 19 else None
    if member is None:
        return "no member for this checkout"
    if obj.get("customer") and not member.stripe_customer_id:
        member.stripe_customer_id = obj["customer"]
    if obj.get("subscription"):
        member.stripe_subscription_id = obj["subscription"]
    member.has_payment_method = True
    return "checkout completed"
