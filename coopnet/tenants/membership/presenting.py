"""What the pages and the API show of a person in the register, and of the policy."""

from flask_babel import gettext as _

from coopnet.errors import NotFound
from coopnet.platform.models import Account
from coopnet.tenants.membership import exits, lifecycle, probation


def person(session, account_id: int) -> dict:
    entry = lifecycle.record(session, account_id)
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_("No such person in this co-op's register."))
    return {
        "account_id": account.id,
        "name": account.name,
        "email": account.email,
        "status": entry.status,
        "member_class": entry.member_class,
        "since": entry.since,
        "probation": probation.probation(session, entry),
        "history": lifecycle.history(session, account_id),
        "exit": exits.settlement(session, account_id),
        "entrance_fee": {"owed": entry.entrance_fee_owed, "deferred": entry.entrance_fee_deferred},
    }


def register(session) -> list[dict]:
    """Everyone in the register with their probation progress (a few queries in all)."""
    rows = lifecycle.register(session)
    progress = probation.progress_of_all(session, [entry for entry, _account in rows])
    return [
        {
            "account_id": account.id,
            "name": account.name,
            "email": account.email,
            "status": entry.status,
            "member_class": entry.member_class,
            "since": entry.since,
            "probation": progress[entry.account_id],
        }
        for entry, account in rows
    ]


def policy_out(session) -> dict:
    rules = lifecycle.policy(session)
    return {
        "probation_months": rules.probation_months,
        "probation_hours": rules.probation_hours,
        "require": rules.require,
        "buy_in": rules.buy_in,
        "buy_in_instalments": rules.buy_in_instalments,
        "instalment": probation.instalment(session),
        "entrance_fee": rules.entrance_fee,
        "currency": rules.currency,
    }
