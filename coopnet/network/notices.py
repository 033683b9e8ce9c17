"""Who hears what: mail from the network to clients, coordinators and members.

Every notice is a tenant job for the network (its outbox holds the mail), queued
after the commit, so the same call works from a network page and from a
platform route with no tenant bound. Mail to a person with an account is written
in their own language, else the network's (``to_readers``); mail to a client, who
has no account, in the network's."""

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import or_, select

from coopnet.i18n import moment, speaking
from coopnet.network.models import ClientRequest, Coordinator, NetworkMember, Offer
from coopnet.platform.models import Account, Membership, Tenant


def mail(session, network, to: str, subject: str, body: str) -> None:
    from coopnet.network.jobs import network_mail
    from coopnet.worker.queues import enqueue_after_commit

    enqueue_after_commit(session, network_mail, to, subject, body, tenant=network)


def _network(session, network_id: int):
    return session.get(Tenant, network_id)


Writer = Callable[[], tuple[str, str]]  # () -> (subject, body), in the language in force


def to_readers(session, network, readers: list[Account], write: Writer) -> None:
    """Mail each reader what ``write`` composes, in the reader's language (else the network's)."""
    for reader in readers:
        with speaking(reader, network):
            subject, body = write()
        mail(session, network, reader.email, subject, body)


def coordinators(session, network_id: int, role: str | None) -> list[Account]:
    """The network's admins and the holders of ``role`` (any coordinator role when None)."""
    admins = select(Membership.account_id).where(Membership.tenant_id == network_id, Membership.role == "admin")
    holders = select(Coordinator.account_id).where(Coordinator.network_id == network_id)
    if role:
        holders = holders.where(Coordinator.role == role)
    return list(
        session.scalars(
            select(Account).where(or_(Account.id.in_(admins), Account.id.in_(holders))).order_by(Account.id)
        )
    )


def member_contacts(session, member: NetworkMember) -> list[Account]:
    """Who speaks for a network member: the consultant, or the member co-op's admins."""
    if member.account_id is not None:
        return list(session.scalars(select(Account).where(Account.id == member.account_id)))
    return list(
        session.scalars(
            select(Account)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == member.coop_id, Membership.role == "admin")
            .order_by(Account.id)
        )
    )


def to_coordinators(session, network, role: str | None, write: Writer) -> None:
    to_readers(session, network, coordinators(session, network.id, role), write)


def client_confirmation(session, network, request: ClientRequest) -> None:
    with speaking(tenant=network):
        subject = _("%(network)s received your request", network=network.name)
        body = (
            _("Dear %(name)s,", name=request.contact_name)
            + "\n\n"
            + _(
                "Thank you: %(network)s received the request from %(organisation)s (number %(id)s). "
                "A coordinator will be in touch.",
                network=network.name,
                organisation=request.organisation,
                id=request.id,
            )
            + "\n"
        )
    mail(session, network, request.email, subject, body)


def offer_made(session, network, request: ClientRequest, offer: Offer, member: NetworkMember) -> None:
    def write():
        subject = _("Work offered by %(network)s", network=network.name)
        body = (
            _(
                "%(network)s offers you work for %(organisation)s.",
                network=network.name,
                organisation=request.organisation,
            )
            + "\n\n"
            + _("Need: %(need)s", need=request.need[:1000])
            + "\n"
            + _("Skills: %(skills)s", skills=", ".join(request.skills) or "-")
            + "\n"
            + _("Ability to pay: %(pay)s", pay=request.ability_to_pay or "-")
            + "\n\n"
            + _(
                "Accept or decline by %(when)s UTC (offer %(id)s).",
                when=moment(offer.respond_by),
                id=offer.id,
            )
        )
        return subject, body

    to_readers(session, network, member_contacts(session, member), write)


def placed(session, request: ClientRequest, offer: Offer) -> None:
    network = _network(session, request.network_id)
    member = session.get(NetworkMember, offer.member_id)
    name = session.scalar(select(Tenant.name).where(Tenant.id == member.coop_id)) if member.coop_id else None
    name = name or session.scalar(select(Account.name).where(Account.id == member.account_id))
    contacts = ", ".join(contact.email for contact in member_contacts(session, member))
    with speaking(tenant=network):
        subject = _("%(network)s found someone for your request", network=network.name)
        body = (
            _("Dear %(name)s,", name=request.contact_name)
            + "\n\n"
            + _("%(member)s will take on your request and be in touch (%(contacts)s).", member=name, contacts=contacts)
            + "\n"
        )
    mail(session, network, request.email, subject, body)
    to_coordinators(
        session,
        network,
        "consultant_group",
        lambda: (_("%(member)s took the %(organisation)s request", member=name, organisation=request.organisation), ""),
    )


def declined(session, request: ClientRequest, offer: Offer) -> None:
    network = _network(session, request.network_id)

    def write():
        subject = _("An offer for %(organisation)s was declined", organisation=request.organisation)
        body = (
            _("Reason: %(reason)s", reason=offer.reason) + "\n" + _("Offer it to someone else or refer the client out.")
        )
        return subject, body

    to_coordinators(session, network, "consultant_group", write)


def expired(session, request: ClientRequest) -> None:
    network = _network(session, request.network_id)
    to_coordinators(
        session,
        network,
        "consultant_group",
        lambda: (
            _("An offer for %(organisation)s ran out", organisation=request.organisation),
            _("Nobody answered by the deadline. Offer it again or refer the client out."),
        ),
    )


def outside_referrals(session, network, request: ClientRequest) -> None:
    lines = "\n".join(
        f"- {r['name']} ({r['contact']}){': ' + r['note'] if r['note'] else ''}" for r in request.outside_referrals
    )
    with speaking(tenant=network):
        subject = _("Referrals from %(network)s", network=network.name)
        body = (
            _("Dear %(name)s,", name=request.contact_name)
            + "\n\n"
            + _(
                "Nobody in %(network)s can take on your request just now. These people may be able to help:",
                network=network.name,
            )
            + f"\n\n{lines}\n"
        )
    mail(session, network, request.email, subject, body)


def invitation(session, network, found, link: str | None) -> None:
    """A co-op's admins hear of an invitation (accepted on the co-op's Network page); a
    person gets the single-use link, in their own language if they have an account."""
    from coopnet.links import external_url
    from coopnet.network.members import invitation_recipients

    if found.coop_id is not None:
        coop = session.get(Tenant, found.coop_id)
        page = external_url("network.home", slug=coop.slug)

        def write():
            subject = _("%(network)s invites you to join the network", network=network.name)
            body = _(
                "%(network)s invites %(coop)s to join the network. An admin of %(coop)s accepts on its Network page:",
                network=network.name,
                coop=coop.name,
            )
            return subject, f"{body}\n{page}\n"

        to_readers(session, network, invitation_recipients(session, found), write)
        return
    holder = session.scalar(select(Account).where(Account.email == found.email))
    with speaking(holder, network):
        subject = _("%(network)s invites you to join the network", network=network.name)
        body = _(
            "%(network)s invites you to join as an independent consultant. Accept here "
            "(the link works once; with no account yet, you create one on the way):",
            network=network.name,
        )
    mail(session, network, found.email, subject, f"{body}\n{link or ''}\n")
