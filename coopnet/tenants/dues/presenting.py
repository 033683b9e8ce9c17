"""What the pages and the API show of dues records: one place builds each shape."""

from flask import current_app

from coopnet.tenants.dues import register
from coopnet.tenants.dues.gateway import decrypt, mask
from coopnet.tenants.dues.money import decimal_string


def settings(found, tenant) -> dict:
    webhook = decrypt(found.stripe_webhook_secret)
    return {
        "connected": found.stripe_secret_key is not None,
        "stripe_secret_key": found.key_hint,
        "stripe_webhook_secret": mask(webhook) if webhook else None,
        "currency": found.currency,
        "grace_days": found.grace_days,
        "reminder_days": found.reminder_days,
        "lapse_suspends_votes": found.lapse_suspends_votes,
        "lapse_flags_services": found.lapse_flags_services,
        "support_queue": found.support_queue,
        "webhook_url": f"{current_app.config['BASE_URL']}/c/{tenant.slug}/stripe/webhook",
    }


def schedule(found, currency) -> dict:
    return {
        "period": found.period,
        "currency": currency,
        "tiers": {kind: decimal_string(cents) for kind, cents in found.tiers.items()},
        "sliding_scale": [
            {"income_up_to": decimal_string(b["income_up_to"]), "amount": decimal_string(b["amount"])}
            for b in found.bands
        ],
        "minimum": decimal_string(found.minimum),
    }


def payment(p) -> dict:
    return {
        "id": p.id,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "amount": decimal_string(p.amount),
        "currency": p.currency,
        "method": p.method,
        "status": p.status,
        "reference": p.reference,
        "received_on": p.received_on,
    }


def member(session, m, with_payments=True) -> dict:
    shape = {
        "id": m.id,
        "name": m.name,
        "email": m.email,
        "kind": m.kind,
        "votes": m.votes,
        "effective_votes": register.effective_votes(m),
        "plan": m.plan,
        "amount": decimal_string(m.amount),
        "currency": m.currency,
        "standing": m.standing,
        "paid_through": m.paid_through,
        "renews_on": m.renews_on,
        "grace_ends": m.grace_ends,
        "votes_suspended": m.votes_suspended,
        "services_flagged": m.services_flagged,
        "has_payment_method": m.has_payment_method,
        "payment_pending": register.pending_charge(session, m.id) is not None if with_payments else False,
    }
    if with_payments:
        shape["payments"] = [payment(p) for p in register.payments_of(session, m.id)]
    return shape


def ticket(t, answers=None) -> dict:
    shape = {
        "id": t.id,
        "subject": t.subject,
        "body": t.body,
        "author_name": t.author_name,
        "public": t.public,
        "status": t.status,
        "created_at": t.created_at,
    }
    if answers is not None:
        shape["answers"] = [
            {"id": a.id, "author_name": a.author_name, "body": a.body, "created_at": a.created_at} for a in answers
        ]
    return shape
