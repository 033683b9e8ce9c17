"""Deleting an account at its owner's request.

The row stays, because co-op records (proposals, positions, time entries, minutes)
point at it and show it as "Former member"; the account's name, address, password,
authenticator secret, sessions, tokens and links go, and it leaves every co-op (its
access rows). A capability that keeps personal data of its own in the shared schema
forgets it in its ``privacy.forget_account(session, account_id)``; in each co-op, a job
after the commit runs each capability's ``privacy.leave_coop(session, tenant,
account_id)`` (the register records a withdrawal, with what the co-op owes back).

Not wiped: what co-ops wrote down themselves (a dues register's contact, the text of
mail already sent, an invitation addressed to the old address). Who commits: the caller."""

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from coopnet.capabilities import capabilities
from coopnet.database import utcnow
from coopnet.errors import Conflict
from coopnet.platform.accounts import require_password, revoke_all_tokens
from coopnet.platform.jobs import leave_after_deletion
from coopnet.platform.models import Account, AccountLink, AccountSession, Membership, PlatformMail, RecoveryCode, Tenant
from coopnet.platform.sessions import end_all_sessions
from coopnet.worker.queues import enqueue_after_commit

FORMER_MEMBER = "Former member"


def only_admin_of(session, account: Account) -> list[str]:
    """Names of the co-ops where this account is the one admin."""
    admins = (
        select(Membership.tenant_id)
        .where(Membership.role == "admin")
        .group_by(Membership.tenant_id)
        .having(func.count() == 1)
    )
    return session.scalars(
        select(Tenant.name)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(Membership.account_id == account.id, Membership.role == "admin", Tenant.id.in_(admins))
        .order_by(Tenant.name)
    ).all()


def delete_account(session, hasher, account: Account, password: str) -> None:
    require_password(hasher, account, password)
    # Lock the co-ops this account administers: two admins of one co-op deleting their
    # accounts at once wait for each other, and the second sees it would be the last.
    session.execute(
        select(Tenant.id)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(Membership.account_id == account.id, Membership.role == "admin")
        .order_by(Tenant.id)
        .with_for_update(of=Tenant)
    )
    sole = only_admin_of(session, account)
    if sole:
        raise Conflict(
            _("You are the only admin of %(names)s. Make someone else an admin there first.", names=", ".join(sole)),
            code="last_admin",
        )
    now = utcnow()
    end_all_sessions(session, account)
    for tenant in session.scalars(
        select(Tenant).join(Membership, Membership.tenant_id == Tenant.id).where(Membership.account_id == account.id)
    ):
        enqueue_after_commit(session, leave_after_deletion, account.id, tenant=tenant)
    session.execute(delete(Membership).where(Membership.account_id == account.id))
    session.execute(delete(AccountLink).where(AccountLink.account_id == account.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    revoke_all_tokens(session, account)
    session.execute(delete(AccountSession).where(AccountSession.account_id == account.id))
    session.execute(delete(PlatformMail).where(PlatformMail.to_address == account.email))
    for capability in capabilities():
        forget = capability.attribute("privacy", "forget_account")
        if forget is not None:
            forget(session, account.id)
    account.name = FORMER_MEMBER
    account.email = f"deleted-{account.id}@deleted.invalid"
    account.password_hash = "!deleted"  # matches no password
    account.email_verified_at = None
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
    account.deleted_at = now
    session.flush()
