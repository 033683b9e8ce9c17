"""Who belongs to a network: invitations (a co-op or a consultant), acceptance,
leaving, and the coordinator roles.

Who commits: the caller (view, command or job); these functions add, flush and return."""

import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, or_, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from coopnet.network import access
from coopnet.network.models import COORDINATOR_LABELS, Coordinator, NetworkInvitation, NetworkMember, Offer
from coopnet.platform.accounts import email_problem, token_digest
from coopnet.platform.addresses import normalise_email
from coopnet.platform.models import Account, Membership, Tenant
from coopnet.platform.tenants import add_member


class LinkGone(ServiceError):
    status, code = 410, "invitation_expired"


class LinkRevoked(ServiceError):
    status, code = 410, "invitation_revoked"


def invite(
    session,
    network,
    inviter_id: int,
    is_admin: bool,
    coop: str | None = None,
    email: str | None = None,
    make_link: Callable[[str], str] | None = None,
    ttl: timedelta = timedelta(days=7),
):
    """The community coordinator invites a co-op (by its slug) or a consultant (by email).
    A person is mailed a single-use link (``make_link(token)``) that works whether or not
    they have an account yet; a co-op's admins are mailed to accept on its Network page."""
    access.require_coordinator(session, network.id, inviter_id, is_admin, "community")
    if bool(coop) == bool(email):
        raise ValidationFailed(
            _("Invite either a co-op or a person."), {"coop": _("Give a co-op's address or an email, not both.")}
        )
    token = None
    if coop:
        target = session.scalar(select(Tenant).where(Tenant.slug == coop, Tenant.status == "active"))
        if target is None or target.kind != "coop":
            raise ValidationFailed(
                _("There is no co-op at that address."), {"coop": _("No co-op called '%(coop)s'.", coop=coop)}
            )
        if _current_member(session, network.id, coop_id=target.id) is not None:
            raise Conflict(_("%(name)s is already a member of this network.", name=target.name), code="already_member")
        found = NetworkInvitation(network_id=network.id, coop_id=target.id, invited_by=inviter_id)
    else:
        address = normalise_email(email)
        if problem := email_problem(address):
            raise ValidationFailed(_("That email address is not valid."), {"email": problem})
        holder = session.scalar(select(Account.id).where(Account.email == address))
        if holder is not None and _current_member(session, network.id, account_id=holder) is not None:
            raise Conflict(_("That person is already a member of this network."), code="already_member")
        token = secrets.token_urlsafe(32)
        found = NetworkInvitation(
            network_id=network.id,
            email=address,
            invited_by=inviter_id,
            token_digest=token_digest(token),
            expires_at=utcnow() + ttl,
        )
    session.add(found)
    session.flush()
    from coopnet.network import notices

    notices.invitation(session, network, found, make_link(token) if token and make_link else None)
    return found


def revoke_invitation(session, network, actor_id: int, is_admin: bool, invitation_id: int) -> NetworkInvitation:
    """The community coordinator takes back an invitation nobody has used yet (one
    conditional UPDATE, so a revoke and an accept at once cannot both win)."""
    access.require_coordinator(session, network.id, actor_id, is_admin, "community")
    found = session.scalar(
        select(NetworkInvitation).where(
            NetworkInvitation.id == invitation_id, NetworkInvitation.network_id == network.id
        )
    )
    if found is None:
        raise NotFound(_("No such network invitation."))
    revoked = session.execute(
        update(NetworkInvitation)
        .where(NetworkInvitation.id == found.id, NetworkInvitation.status == "pending")
        .values(status="revoked")
        .returning(NetworkInvitation.id)
    ).scalar()
    if revoked is None:
        raise Conflict(_("Only an invitation nobody has accepted yet can be revoked."), code="invitation_not_pending")
    session.refresh(found)
    return found


def invitation_recipients(session, invitation: NetworkInvitation) -> list[Account]:
    """Who hears of a co-op's invitation: its admins."""
    return list(
        session.scalars(
            select(Account)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == invitation.coop_id, Membership.role == "admin")
            .order_by(Account.id)
        )
    )


def _current_member(session, network_id, coop_id=None, account_id=None):
    query = select(NetworkMember).where(NetworkMember.network_id == network_id, NetworkMember.left_at.is_(None))
    if coop_id is not None:
        return session.scalar(query.where(NetworkMember.coop_id == coop_id))
    return session.scalar(query.where(NetworkMember.account_id == account_id))


def visible_invitation(session, invitation_id: int, account: Account) -> NetworkInvitation:
    """The invitation, if this account is its party: an admin or member of the invited
    co-op, or the verified owner of the invited address. Anyone else: 404."""
    found = session.get(NetworkInvitation, invitation_id)
    if found is not None:
        if found.email is not None:
            if account.email_verified and normalise_email(account.email) == found.email:
                return found
        elif access.tenant_admin_of(session, found.coop_id, account.id) or session.scalar(
            select(Membership.id).where(Membership.tenant_id == found.coop_id, Membership.account_id == account.id)
        ):
            return found
    raise NotFound(_("No such network invitation."))


def accept(session, invitation_id: int, account: Account) -> NetworkInvitation:
    """The invited co-op's admin or the invited consultant joins the network, or, when
    the network's rulebook decides admissions, asks to: the network then votes."""
    found = visible_invitation(session, invitation_id, account)
    if found.coop_id is not None and not access.tenant_admin_of(session, found.coop_id, account.id):
        raise Forbidden(_("Only the co-op's admins can accept this invitation."), code="role_required")
    _require_unexpired(found)
    return _take(session, found, account)


def _require_unexpired(found: NetworkInvitation) -> None:
    if found.status == "pending" and found.expires_at is not None and found.expires_at <= utcnow():
        raise LinkGone(_("This invitation has expired. Ask the network for a new one."))


def invitation_by_link(session, network_id: int, token: str, lock: bool = False) -> NetworkInvitation:
    """The network's email invitation a mailed link names, if it can still be used
    (``lock``: held until commit, so two uses of one link at once take turns)."""
    found = None
    if token and len(token) <= 100:
        query = select(NetworkInvitation).where(
            NetworkInvitation.token_digest == token_digest(token), NetworkInvitation.network_id == network_id
        )
        found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(
            _("This invitation link is not valid. Ask the network for a new one."), code="invitation_not_found"
        )
    if found.status == "revoked":
        raise LinkRevoked(_("This invitation was taken back. Ask the network for a new one."))
    if found.status != "pending":
        raise Conflict(_("This invitation has already been accepted."), code="invitation_used")
    _require_unexpired(found)
    return found


def accept_by_link(session, network_id: int, token: str, account: Account) -> NetworkInvitation:
    """The person a link was mailed to joins with it: their account's address must be the
    invited one (a forwarded link is refused and stays usable by the right person)."""
    found = invitation_by_link(session, network_id, token)
    if normalise_email(account.email) != found.email:
        raise Forbidden(
            _(
                "This invitation was sent to %(email)s, and you are logged in as %(email2)s.",
                email=found.email,
                email2=account.email,
            ),
            code="invitation_for_another_address",
        )
    if not account.email_verified:
        raise Forbidden(
            _("Confirm that %(email)s is yours first, from your account page.", email=account.email),
            code="email_unverified",
        )
    return _take(session, found, account)


def _take(session, found: NetworkInvitation, account: Account) -> NetworkInvitation:
    """Claim a pending invitation (one conditional UPDATE, so two clicks cannot both win):
    joined at once, or proposed to the network's vote when its settings say so."""
    from coopnet.network import admission

    by_rulebook = admission.decided_by_rulebook(session, found.network_id)
    active_party = or_(
        NetworkInvitation.coop_id.is_(None),
        exists().where(Tenant.id == NetworkInvitation.coop_id, Tenant.status == "active"),
    )
    claimed = session.execute(
        update(NetworkInvitation)
        .where(NetworkInvitation.id == found.id, NetworkInvitation.status == "pending", active_party)
        .values(status="proposed" if by_rulebook else "accepted", accepted_at=utcnow(), accepted_by=account.id)
        .returning(NetworkInvitation.id)
    ).scalar()
    if claimed is None:
        session.refresh(found)
        if found.status == "revoked":
            raise LinkRevoked(_("This invitation was taken back. Ask the network for a new one."))
        if found.status == "pending":  # still pending: the co-op is not active
            raise Conflict(_("A suspended co-op cannot join a network."), code="tenant_suspended")
        raise Conflict(_("This invitation has already been accepted."), code="invitation_used")
    session.refresh(found)
    if by_rulebook:
        admission.put_to_the_vote(session, found)
    else:
        join_network(session, found)
    return found


def coop_is_active(session, coop_id: int) -> bool:
    """A suspended co-op joins no network (admission asks this when a vote closes)."""
    return session.scalar(select(Tenant.status).where(Tenant.id == coop_id)) == "active"


def join_network(session, found: NetworkInvitation) -> NetworkMember:
    """The invited party becomes a member (again, if it had left)."""
    query = select(NetworkMember).where(NetworkMember.network_id == found.network_id)
    if found.coop_id is not None:
        member = session.scalar(query.where(NetworkMember.coop_id == found.coop_id))
        party = {"coop_id": found.coop_id}
    else:
        member = session.scalar(query.where(NetworkMember.account_id == found.accepted_by))
        party = {"account_id": found.accepted_by}
    if member is None:
        member = NetworkMember(network_id=found.network_id, **party)
        session.add(member)
    else:
        member.left_at = None
    if found.coop_id is None:
        # A consultant signs in to the network's own space as a member.
        add_member(session, session.get(Tenant, found.network_id), session.get(Account, found.accepted_by), "member")
    session.flush()
    return member


def member_of_invitation(session, found: NetworkInvitation) -> NetworkMember | None:
    query = select(NetworkMember).where(NetworkMember.network_id == found.network_id)
    if found.coop_id is not None:
        return session.scalar(query.where(NetworkMember.coop_id == found.coop_id))
    return session.scalar(query.where(NetworkMember.account_id == found.accepted_by))


def member_for_party(session, member_id: int, account_id: int) -> NetworkMember:
    """A membership the account acts for (the consultant, or its co-op's admin or member); else 404."""
    if not access.acts_for(session, account_id, member_id, roles=("admin", "member")):
        raise NotFound(_("No such network membership."))
    return session.get(NetworkMember, member_id)


def require_party_admin(session, member: NetworkMember, account_id: int) -> None:
    if member.coop_id is not None and not access.tenant_admin_of(session, member.coop_id, account_id):
        raise Forbidden(_("Only the co-op's admins can change its network membership."), code="role_required")


def leave(session, member_id: int, account_id: int) -> NetworkMember:
    """The co-op's admin or the consultant leaves; open offers to it are withdrawn.
    Past referrals and subcontracts stay readable to their parties."""
    member = member_for_party(session, member_id, account_id)
    require_party_admin(session, member, account_id)
    if member.left_at is not None:
        raise Conflict(_("Already left this network."), code="already_left")
    member.left_at = utcnow()
    session.execute(
        update(Offer)
        .where(Offer.member_id == member.id, Offer.status == "open")
        .values(status="withdrawn", responded_at=utcnow(), reason="The member left the network.")
    )
    if member.account_id is not None:
        # A consultant who leaves ends what joining gave them: the network's space (unless
        # they are one of its admins) and any coordinator role, which reads clients' contacts.
        session.execute(
            delete(Coordinator).where(
                Coordinator.network_id == member.network_id, Coordinator.account_id == member.account_id
            )
        )
        session.execute(
            delete(Membership).where(
                Membership.tenant_id == member.network_id,
                Membership.account_id == member.account_id,
                Membership.role != "admin",
            )
        )
    session.flush()
    return member


def my_memberships(session, account_id: int):
    """(member, network, party name) for every network the account acts in."""
    party_name = select(Tenant.name).where(Tenant.id == NetworkMember.coop_id).scalar_subquery()
    network = Tenant.__table__.alias("network")
    return session.execute(
        select(NetworkMember, network.c.slug, network.c.name, party_name)
        .join(network, network.c.id == NetworkMember.network_id)
        .where(NetworkMember.id.in_(access.acting_members(account_id)))
        .order_by(network.c.name, NetworkMember.id)
    ).all()


def pending_invitations_for_coop(session, coop_id: int):
    network = Tenant.__table__.alias("network")
    return session.execute(
        select(NetworkInvitation, network.c.name)
        .join(network, network.c.id == NetworkInvitation.network_id)
        .where(NetworkInvitation.coop_id == coop_id, NetworkInvitation.status == "pending")
        .order_by(NetworkInvitation.id)
    ).all()


def invitations(session, network_id: int) -> list[NetworkInvitation]:
    return session.scalars(
        select(NetworkInvitation).where(NetworkInvitation.network_id == network_id).order_by(NetworkInvitation.id)
    ).all()


def assign_coordinator(session, network, actor_id: int, is_admin: bool, account_id: int, role: str) -> Coordinator:
    """Network admins give a person of the network one of the coordinator roles."""
    if not is_admin:
        raise Forbidden(_("Only the network's admins assign coordinator roles."), code="role_required")
    if role not in COORDINATOR_LABELS:
        raise ValidationFailed(
            _("Unknown coordinator role."),
            {"role": _("Choose one of: %(values)s.", values=", ".join(COORDINATOR_LABELS))},
        )
    if (
        session.scalar(
            select(Membership.id).where(Membership.tenant_id == network.id, Membership.account_id == account_id)
        )
        is None
    ):
        raise ValidationFailed(
            _("Not a person of this network."), {"account_id": _("Invite them to the network first.")}
        )
    found = session.scalar(
        select(Coordinator).where(
            Coordinator.network_id == network.id, Coordinator.account_id == account_id, Coordinator.role == role
        )
    )
    if found is None:
        found = Coordinator(network_id=network.id, account_id=account_id, role=role)
        session.add(found)
        session.flush()
    return found


def remove_coordinator(session, network, is_admin: bool, coordinator_id: int) -> None:
    if not is_admin:
        raise Forbidden(_("Only the network's admins assign coordinator roles."), code="role_required")
    found = session.scalar(
        select(Coordinator).where(Coordinator.id == coordinator_id, Coordinator.network_id == network.id)
    )
    if found is None:
        raise NotFound(_("No such coordinator role."))
    session.delete(found)
    session.flush()


def coordinators(session, network_id: int):
    return session.execute(
        select(Coordinator, Account.name)
        .join(Account, Account.id == Coordinator.account_id)
        .where(Coordinator.network_id == network_id)
        .order_by(Coordinator.role, Account.name)
    ).all()


def roster(session, network_id: int, include_left: bool = False):
    """(member, name, kind, party) for the network's members, by name."""
    from coopnet.network import directory

    query, coop = directory.select_members(network_id)
    if not include_left:
        query = query.where(NetworkMember.left_at.is_(None))
    name = func.lower(func.coalesce(coop.c.name, Account.name))
    return directory.rows(session, query.order_by(NetworkMember.left_at.is_not(None), name, NetworkMember.id))


def people(session, network_id: int):
    """(account id, name) of everyone with access to the network's own space."""
    return session.execute(
        select(Account.id, Account.name)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == network_id)
        .order_by(Account.name, Account.id)
    ).all()


def sign_up_and_join(
    session, hasher, network_id: int, token: str, name: str, password: str
) -> tuple[Account, NetworkInvitation]:
    """Someone invited by email who has no account yet: following the mailed link proves
    the address, so the new account is verified, then takes the invitation."""
    from coopnet.platform.accounts import create_account, find_account

    found = invitation_by_link(session, network_id, token, lock=True)
    if find_account(session, found.email) is not None:
        raise Conflict(
            _("There is already an account for %(email)s. Log in to accept.", email=found.email),
            code="account_exists",
        )
    account = create_account(session, hasher, name, found.email, password, verified=True)
    session.flush()
    return account, accept_by_link(session, network_id, token, account)
