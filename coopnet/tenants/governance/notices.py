"""Mail members hear about decisions by: a proposal opened, a reminder, the outcome.

Each message goes through the tenant's outbox, so it is delivered after the
commit and never for a proposal that was rolled back."""

from flask import current_app
from sqlalchemy import select

from coopnet.platform.models import Account
from coopnet.tenants.outbox.mail import compose


def _recipients(session, account_ids):
    if not account_ids:
        return []
    return session.execute(select(Account.name, Account.email).where(Account.id.in_(account_ids))).all()


def _link(tenant, proposal):
    return f"{current_app.config['BASE_URL']}/c/{tenant.slug}/decisions/{proposal.id}"


def _send(session, tenant, account_ids, subject, body):
    for name, email in _recipients(session, account_ids):
        compose(session, tenant, to=email, subject=subject, body=f"Hello {name},\n\n{body}")


def proposal_opened(session, tenant, proposal, voters):
    closes = proposal.closes_at.strftime("%Y-%m-%d %H:%M %Z")
    _send(
        session,
        tenant,
        voters,
        f"[{tenant.name}] New proposal: {proposal.title}",
        f"A proposal in the {proposal.category} category is open until {closes}:\n\n"
        f"{proposal.title}\n\n{proposal.body}\n\nTake your position: {_link(tenant, proposal)}\n",
    )


def reminder(session, tenant, proposal, silent):
    closes = proposal.closes_at.strftime("%Y-%m-%d %H:%M %Z")
    _send(
        session,
        tenant,
        silent,
        f"[{tenant.name}] Closing soon: {proposal.title}",
        f'The proposal "{proposal.title}" closes at {closes} and you have not taken a position.\n\n'
        f"{_link(tenant, proposal)}\n",
    )


def proposal_closed(session, tenant, proposal, voters):
    tally = ", ".join(f"{count} {stance.replace('_', ' ')}" for stance, count in proposal.tally.items() if count)
    _send(
        session,
        tenant,
        voters,
        f"[{tenant.name}] {proposal.outcome.replace('_', ' ').capitalize()}: {proposal.title}",
        f'The proposal "{proposal.title}" closed: {proposal.outcome.replace("_", " ")} '
        f"({tally or 'no positions'}; {proposal.eligible} eligible).\n\n{_link(tenant, proposal)}\n",
    )
