"""Deleting an account at its owner's request.

The row stays, because co-op records (proposals, positions, time entries, minutes)
point at it, but everything that identified the person goes: the name becomes
"Former member", the address a placeholder no mail reaches, secrets and sessions
end, and the account leaves every co-op. A capability that keeps personal data in
the shared schema forgets it in its ``privacy.forget_account(session, account_id)``.
Who commits: the caller."""

from sqlalchemy import delete, func, select, update

from coopnet.capabilities import capabilities
from coopnet.database import utcnow
from coopnet.errors import Conflict, ValidationFailed
from coopnet.platform.accounts import check_password
from coopnet.platform.models import Account, AccountLink, ApiToken, Membership, RecoveryCode, Tenant
from coopnet.platform.sessions import end_all_sessions

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
    if not check_password(hasher, account, password):
        raise ValidationFailed("That is not your current password.", {"password": "That is not your current password."})
    sole = only_admin_of(session, account)
    if sole:
        raise Conflict(
            f"You are the only admin of {', '.join(sole)}. Make someone else an admin there first.",
            code="last_admin",
        )
    now = utcnow()
    end_all_sessions(session, account)
    session.execute(delete(Membership).where(Membership.account_id == account.id))
    session.execute(delete(AccountLink).where(AccountLink.account_id == account.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    session.execute(
        update(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )
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
