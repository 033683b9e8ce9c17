"""Who may do what in a network: coordinator roles, and which members an account acts for.

A network's admins hold every coordinator role. An account acts for a member when
it is that consultant, or a member or admin of that member co-op."""

from flask_babel import gettext as _
from sqlalchemy import or_, select

from coopnet.errors import Forbidden, NotFound
from coopnet.network.models import COORDINATOR_LABELS, Coordinator, NetworkMember
from coopnet.platform.models import Account, Membership, Tenant


def coordinator_roles(session, network_id: int, account_id: int, is_admin: bool) -> set[str]:
    if is_admin:
        return set(COORDINATOR_LABELS)
    return set(
        session.scalars(
            select(Coordinator.role).where(Coordinator.network_id == network_id, Coordinator.account_id == account_id)
        )
    )


def require_coordinator(session, network_id: int, account_id: int, is_admin: bool, *roles: str) -> None:
    """Refuse (403) unless the account holds one of ``roles`` (any role when none are named)."""
    held = coordinator_roles(session, network_id, account_id, is_admin)
    if not held or (roles and not held & set(roles)):
        wanted = " or ".join(str(COORDINATOR_LABELS[r]).lower() for r in roles) if roles else _("network coordinator")
        raise Forbidden(_("Only the network's %(wanted)s can do this.", wanted=wanted), code="coordinator_required")


def acting_members(account_id: int, roles=("admin", "member")):
    """network_members ids the account acts for, as a subquery. A co-op that requires
    two-factor authentication is acted for only by people who have it on."""
    coops = (
        select(Membership.tenant_id)
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .join(Account, Account.id == Membership.account_id)
        .where(
            Membership.account_id == account_id,
            Membership.role.in_(roles),
            or_(~Tenant.require_two_factor, Account.totp_enabled_at.is_not(None)),
        )
    )
    return select(NetworkMember.id).where(or_(NetworkMember.account_id == account_id, NetworkMember.coop_id.in_(coops)))


def acts_for(session, account_id: int, member_id: int, roles=("admin", "member")) -> bool:
    return session.scalar(acting_members(account_id, roles).where(NetworkMember.id == member_id)) is not None


def require_network(tenant) -> None:
    """Network-only operations on a co-op's address answer as if nothing were there."""
    if tenant is None or tenant.kind != "network":
        raise NotFound(_("There is no network at this address."))


def tenant_admin_of(session, tenant_id: int, account_id: int) -> bool:
    return (
        session.scalar(
            select(Membership.id).where(
                Membership.tenant_id == tenant_id, Membership.account_id == account_id, Membership.role == "admin"
            )
        )
        is not None
    )


def network_of(session, network_id: int) -> Tenant:
    return session.get(Tenant, network_id)
