"""Mail members hear about decisions by: a proposal opened, a reminder, the outcome.

Each message goes through the tenant's outbox, so it is delivered after the
commit and never for a proposal that was rolled back. Each is written in its
reader's language (their own choice, else the co-op's)."""

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.i18n import moment, speaking
from coopnet.platform.models import Account
from coopnet.tenants.outbox.mail import compose
from coopnet.terms import term


def _recipients(session, account_ids):
    if not account_ids:
        return []
    return session.execute(select(Account).where(Account.id.in_(account_ids))).scalars().all()


def _link(tenant, proposal):
    return f"{current_app.config['BASE_URL']}/c/{tenant.slug}/decisions/{proposal.id}"


def _send(session, tenant, account_ids, write):
    """``write()`` returns (subject, body) in the language in force when it is called."""
    for account in _recipients(session, account_ids):
        with speaking(account, tenant):
            subject, body = write()
            greeting = _("Hello %(name)s,", name=account.name)
        compose(session, tenant, to=account.email, subject=subject, body=f"{greeting}\n\n{body}")


def proposal_opened(session, tenant, proposal, voters):
    def write():
        return (
            _("[%(coop)s] New proposal: %(title)s", coop=tenant.name, title=proposal.title),
            _(
                "A proposal in the %(category)s category is open until %(closes)s UTC:",
                category=term(proposal.category),
                closes=moment(proposal.closes_at),
            )
            + f"\n\n{proposal.title}\n\n{proposal.body}\n\n"
            + _("Take your position: %(link)s", link=_link(tenant, proposal))
            + "\n",
        )

    _send(session, tenant, voters, write)


def reminder(session, tenant, proposal, silent):
    def write():
        return (
            _("[%(coop)s] Closing soon: %(title)s", coop=tenant.name, title=proposal.title),
            _(
                'The proposal "%(title)s" closes at %(closes)s UTC and you have not taken a position.',
                title=proposal.title,
                closes=moment(proposal.closes_at),
            )
            + f"\n\n{_link(tenant, proposal)}\n",
        )

    _send(session, tenant, silent, write)


def proposal_closed(session, tenant, proposal, voters):
    def write():
        tally = ", ".join(f"{count} {term(stance)}" for stance, count in proposal.tally.items() if count)
        outcome = term(proposal.outcome)
        return (
            f"[{tenant.name}] {outcome.capitalize()}: {proposal.title}",
            _(
                'The proposal "%(title)s" closed: %(outcome)s (%(tally)s; %(eligible)s eligible).',
                title=proposal.title,
                outcome=outcome,
                tally=tally or _("no positions"),
                eligible=proposal.eligible,
            )
            + f"\n\n{_link(tenant, proposal)}\n",
        )

    _send(session, tenant, voters, write)
