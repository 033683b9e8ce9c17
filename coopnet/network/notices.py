"""Who hears what: mail from the network to clients, coordinators and members.

Every notice is a tenant job for the network (its outbox holds the mail), queued
after the commit, so the same call works from a network page and from a
platform route with no tenant bound."""

from sqlalchemy import or_, select

from coopnet.network.models import ClientRequest, Coordinator, NetworkMember, Offer
from coopnet.platform.models import Account, Membership, Tenant


def mail(session, network, to: str, subject: str, body: str) -> None:
    from coopnet.network.jobs import network_mail
    from coopnet.worker.queues import enqueue_after_commit

    enqueue_after_commit(session, network_mail, to, subject, body, tenant=network)


def _network(session, network_id: int):
    return session.get(Tenant, network_id)


def coordinator_emails(session, network_id: int, role: str | None) -> list[str]:
    admins = select(Membership.account_id).where(Membership.tenant_id == network_id, Membership.role == "admin")
    holders = select(Coordinator.account_id).where(Coordinator.network_id == network_id)
    if role:
        holders = holders.where(Coordinator.role == role)
    return list(
        session.scalars(
            select(Account.email).where(or_(Account.id.in_(admins), Account.id.in_(holders))).order_by(Account.id)
        )
    )


def member_emails(session, member: NetworkMember) -> list[str]:
    if member.account_id is not None:
        return list(session.scalars(select(Account.email).where(Account.id == member.account_id)))
    return list(
        session.scalars(
            select(Account.email)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == member.coop_id, Membership.role == "admin")
            .order_by(Account.id)
        )
    )


def to_coordinators(session, network, role: str | None, subject: str, body: str) -> None:
    for address in coordinator_emails(session, network.id, role):
        mail(session, network, address, subject, body)


def client_confirmation(session, network, request: ClientRequest) -> None:
    mail(
        session,
        network,
        request.email,
        f"{network.name} received your request",
        f"Dear {request.contact_name},\n\nThank you: {network.name} received the request from "
        f"{request.organisation} (number {request.id}). A coordinator will be in touch.\n",
    )


def offer_made(session, network, request: ClientRequest, offer: Offer, member: NetworkMember) -> None:
    body = (
        f"{network.name} offers you work for {request.organisation}.\n\nNeed: {request.need[:1000]}\n"
        f"Skills: {', '.join(request.skills) or '-'}\nAbility to pay: {request.ability_to_pay or '-'}\n\n"
        f"Accept or decline by {offer.respond_by:%Y-%m-%d %H:%M} UTC (offer {offer.id})."
    )
    for address in member_emails(session, member):
        mail(session, network, address, f"Work offered by {network.name}", body)


def placed(session, request: ClientRequest, offer: Offer) -> None:
    network = _network(session, request.network_id)
    member = session.get(NetworkMember, offer.member_id)
    name = session.scalar(select(Tenant.name).where(Tenant.id == member.coop_id)) if member.coop_id else None
    name = name or session.scalar(select(Account.name).where(Account.id == member.account_id))
    contacts = ", ".join(member_emails(session, member))
    mail(
        session,
        network,
        request.email,
        f"{network.name} found someone for your request",
        f"Dear {request.contact_name},\n\n{name} will take on your request and be in touch ({contacts}).\n",
    )
    to_coordinators(session, network, "consultant_group", f"{name} took the {request.organisation} request", "")


def declined(session, request: ClientRequest, offer: Offer) -> None:
    network = _network(session, request.network_id)
    to_coordinators(
        session,
        network,
        "consultant_group",
        f"An offer for {request.organisation} was declined",
        f"Reason: {offer.reason}\nOffer it to someone else or refer the client out.",
    )


def expired(session, request: ClientRequest) -> None:
    network = _network(session, request.network_id)
    to_coordinators(
        session,
        network,
        "consultant_group",
        f"An offer for {request.organisation} ran out",
        "Nobody answered by the deadline. Offer it again or refer the client out.",
    )


def outside_referrals(session, network, request: ClientRequest) -> None:
    lines = "\n".join(
        f"- {r['name']} ({r['contact']}){': ' + r['note'] if r['note'] else ''}" for r in request.outside_referrals
    )
    mail(
        session,
        network,
        request.email,
        f"Referrals from {network.name}",
        f"Dear {request.contact_name},\n\nNobody in {network.name} can take on your request just now. "
        f"These people may be able to help:\n\n{lines}\n",
    )
