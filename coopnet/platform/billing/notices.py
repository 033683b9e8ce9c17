"""Mail to a tenant's admins about its plan: a payment is missing (with the day writes
stop), and writes have stopped. Platform mail, each admin in their own language."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.i18n import day, money, speaking_to
from coopnet.platform.mail import compose_platform
from coopnet.platform.models import Account, Membership


def billing_link(slug: str) -> str:
    return f"{current_app.config['BASE_URL']}/c/{slug}/billing"


def admins(session, tenant_id: int) -> list[Account]:
    return list(
        session.scalars(
            select(Account)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == tenant_id, Membership.role == "admin", Account.deleted_at.is_(None))
            .order_by(Account.id)
        )
    )


def why(reason: str | None) -> str:
    if reason == "over_plan":
        return _("It has more people than its plan covers.")
    if reason == "subscription_ended":
        return _("Its subscription ended without being paid.")
    return _("The last payment for its plan did not go through.")


def warned(session, tenant, subscription, grace_ends) -> None:
    for admin in admins(session, tenant.id):
        with speaking_to(admin):
            subject = _("%(name)s: the platform plan is unpaid", name=tenant.name)
            body = (
                why(subscription.reason)
                + "\n\n"
                + _(
                    "%(name)s's plan (%(amount)s a month) needs paying by %(day)s. After that day its pages and API "
                    "only read: nothing new can be written until the plan is paid. Nothing is deleted.",
                    name=tenant.name,
                    amount=money(subscription.amount, subscription.currency),
                    day=day(grace_ends),
                )
                + "\n"
                + _("Change the plan or pay here: %(link)s", link=billing_link(tenant.slug))
                + "\n"
            )
        compose_platform(session, admin.email, subject, body)


def limited(session, tenant, subscription) -> None:
    for admin in admins(session, tenant.id):
        with speaking_to(admin):
            subject = _("%(name)s is read-only until its plan is paid", name=tenant.name)
            body = (
                why(subscription.reason)
                + "\n\n"
                + _(
                    "%(name)s's pages and API now only read. Everything is kept; writing works again as soon "
                    "as the plan is paid or changed.",
                    name=tenant.name,
                )
                + "\n"
                + _("Change the plan or pay here: %(link)s", link=billing_link(tenant.slug))
                + "\n"
            )
        compose_platform(session, admin.email, subject, body)
