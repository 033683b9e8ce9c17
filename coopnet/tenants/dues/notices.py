"""Dues mail to members, held in the organisation's outbox and delivered after commit."""

from coopnet.tenants.dues import links
from coopnet.tenants.dues.money import shown
from coopnet.tenants.outbox.mail import compose


def renewal_reminder(session, tenant, member, make_pay_link=None):
    link = (make_pay_link or links.pay_link)(tenant, member.id)
    compose(
        session,
        tenant,
        member.email,
        f"{tenant.name}: dues renew on {member.renews_on.isoformat()}",
        f"Hello {member.name},\n\nYour {member.plan} dues of {shown(member.amount, member.currency)} to "
        f"{tenant.name} renew on {member.renews_on.isoformat()}.\nPay or check your card here: {link}\n",
    )


def payment_failed(session, tenant, member, reason, make_pay_link=None):
    link = (make_pay_link or links.pay_link)(tenant, member.id)
    ends = f" until {member.grace_ends.isoformat()}" if member.grace_ends else ""
    compose(
        session,
        tenant,
        member.email,
        f"{tenant.name}: your dues payment did not go through",
        f"Hello {member.name},\n\nYour payment of {shown(member.amount, member.currency)} to {tenant.name} "
        f"failed{f' ({reason})' if reason else ''}. You remain a member in good faith{ends}; we will try again.\n"
        f"Update your card or pay here: {link}\n",
    )


def receipt(session, tenant, member, payment, make_receipt_link=None):
    link = (make_receipt_link or links.receipt_link)(tenant, payment.id)
    compose(
        session,
        tenant,
        member.email,
        f"{tenant.name}: receipt for your dues",
        f"Hello {member.name},\n\nThank you: {shown(payment.amount, payment.currency)} received "
        f"({payment.method}) for {payment.period_start.isoformat()} to {payment.period_end.isoformat()}.\n"
        f"Your receipt (PDF): {link}\n",
    )
