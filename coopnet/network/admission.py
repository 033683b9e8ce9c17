"""Joining by the network's rulebook: when the network's admins chose it (its rulebook
has an admission category), accepting an invitation opens an admission proposal in the
network's own schema, and the vote's outcome admits or refuses the co-op or consultant.

The accepting request binds no network schema: it marks the shared invitation
``proposed`` and queues a tenant job inside the network that opens the proposal.
Governance calls ``decide`` when the proposal closes, inside the network.

Who commits: the caller (view, job, or governance's closing); these functions flush."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.errors import Conflict
from coopnet.i18n import speaking
from coopnet.network.models import NetworkInvitation, NetworkSettings
from coopnet.platform.models import Account, Tenant
from coopnet.tenants.governance import hooks, rulebook
from coopnet.tenants.governance import services as governance

CATEGORY = "admission"


def decided_by_rulebook(session, network_id: int) -> bool:
    found = session.get(NetworkSettings, network_id)
    return bool(found and found.admission_by_rulebook)


def rulebook_decides_admission(session) -> bool:
    """Inside the network: its rulebook in force has an admission category."""
    current = rulebook.current(session)
    return current is not None and CATEGORY in current.categories


def require_admission_category(session) -> None:
    if not rulebook_decides_admission(session):
        raise Conflict(
            _("The network's rulebook has no admission category; adopt or change the rulebook first."),
            code="no_admission_decisions",
        )


def put_to_the_vote(session, invitation: NetworkInvitation) -> None:
    """After the commit, open the admission proposal inside the network."""
    from coopnet.network.jobs import open_admission
    from coopnet.worker.queues import enqueue_after_commit

    network = session.get(Tenant, invitation.network_id)
    enqueue_after_commit(session, open_admission, invitation.id, tenant=network)


def _party_name(session, invitation: NetworkInvitation) -> str:
    if invitation.coop_id is not None:
        return session.get(Tenant, invitation.coop_id).name
    return session.get(Account, invitation.accepted_by).name


def open_proposal(session, network, invitation_id: int):
    """Inside the network: the proposal to admit the invited party. When the rulebook
    lost its admission category meanwhile, the coordinator's invitation stands: they join."""
    from coopnet.network import members

    invitation = session.scalar(
        select(NetworkInvitation)
        .where(NetworkInvitation.id == invitation_id, NetworkInvitation.network_id == network.id)
        .with_for_update()
    )
    if invitation is None or invitation.status != "proposed" or invitation.proposal_id is not None:
        return None
    if not rulebook_decides_admission(session):
        invitation.status = "accepted"
        members.join_network(session, invitation)
        return None
    name = _party_name(session, invitation)
    window = rulebook.rule_for(rulebook.current(session), CATEGORY).window_days
    with speaking(tenant=network):
        title = _("Admit %(name)s to the network", name=name)
        body = _(
            "%(name)s accepted the network's invitation. If this passes, they join %(network)s.",
            name=name,
            network=network.name,
        )
    author = invitation.invited_by or invitation.accepted_by
    proposal = governance.open_proposal(
        session, network, author, CATEGORY, title, body, utcnow() + timedelta(days=window)
    )
    invitation.proposal_id = proposal.id
    session.flush()
    return proposal


@hooks.after_close
def decide(session, tenant, proposal):
    """A passed admission proposal makes the party a member; otherwise, or if the co-op was
    suspended while the network voted, the invitation is refused."""
    if tenant.kind != "network" or proposal.category != CATEGORY:
        return
    from coopnet.network import members

    invitation = session.scalar(
        select(NetworkInvitation).where(
            NetworkInvitation.network_id == tenant.id,
            NetworkInvitation.proposal_id == proposal.id,
            NetworkInvitation.status == "proposed",
        )
    )
    if invitation is None:
        return
    if proposal.outcome == "passed" and (
        invitation.coop_id is None or members.coop_is_active(session, invitation.coop_id)
    ):
        invitation.status = "accepted"
        members.join_network(session, invitation)
    else:
        invitation.status = "refused"
    session.flush()
