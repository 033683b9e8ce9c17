"""Dues mail to members, held in the organisation's outbox and delivered after commit.

Written in the organisation's language (its default, else English): a member may
have no account here to say otherwise."""

from flask_babel import gettext as _

from coopnet.i18n import day, money, speaking
from coopnet.tenants.dues import links
from coopnet.tenants.outbox.mail import compose
from coopnet.terms import term


def renewal_reminder(session, tenant, member, make_pay_link=None):
    link = (make_pay_link or links.pay_link)(tenant, member.id)
    with speaking(tenant=tenant):
        subject = _("%(organisation)s: dues renew on %(day)s", organisation=tenant.name, day=day(member.renews_on))
        body = (
            _("Hello %(name)s,", name=member.name)
            + "\n\n"
            + _(
                "Your %(plan)s dues of %(amount)s to %(organisation)s renew on %(day)s.",
                plan=term(member.plan),
                amount=money(member.amount, member.currency),
                organisation=tenant.name,
                day=day(member.renews_on),
            )
            + "\n"
            + _("Pay or check your card here: %(link)s", link=link)
            + "\n"
        )
    compose(session, tenant, member.email, subject, body)


def _said(reason: str) -> str:
    """Our own reasons in the reader's language; Stripe's (already in its words) as they are."""
    ours = {
        "the card was declined": _("the card was declined"),
        "the card was declined again": _("the card was declined again"),
    }
    return ours.get(reason, reason)


def payment_failed(session, tenant, member, reason, make_pay_link=None):
    link = (make_pay_link or links.pay_link)(tenant, member.id)
    with speaking(tenant=tenant):
        subject = _("%(organisation)s: your dues payment did not go through", organisation=tenant.name)
        failed = _(
            "Your payment of %(amount)s to %(organisation)s failed.",
            amount=money(member.amount, member.currency),
            organisation=tenant.name,
        )
        if reason:
            failed += f" ({_said(reason)})"
        good_faith = (
            _("You remain a member in good faith until %(day)s; we will try again.", day=day(member.grace_ends))
            if member.grace_ends
            else _("You remain a member in good faith; we will try again.")
        )
        body = (
            _("Hello %(name)s,", name=member.name)
            + f"\n\n{failed} {good_faith}\n"
            + _("Update your card or pay here: %(link)s", link=link)
            + "\n"
        )
    compose(session, tenant, member.email, subject, body)


def receipt(session, tenant, member, payment, make_receipt_link=None):
    link = (make_receipt_link or links.receipt_link)(tenant, payment.id)
    with speaking(tenant=tenant):
        subject = _("%(organisation)s: receipt for your dues", organisation=tenant.name)
        body = (
            _("Hello %(name)s,", name=member.name)
            + "\n\n"
            + _(
                "Thank you: %(amount)s received (%(method)s) for %(start)s to %(end)s.",
                amount=money(payment.amount, payment.currency),
                method=term(payment.method),
                start=day(payment.period_start),
                end=day(payment.period_end),
            )
            + "\n"
            + _("Your receipt (PDF): %(link)s", link=link)
            + "\n"
        )
    compose(session, tenant, member.email, subject, body)
