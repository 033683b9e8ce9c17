"""What the pages and the API show of a person in the register, and of the policy."""

from coopnet.errors import NotFound
from coopnet.platform.models import Account
from coopnet.tenants.membership import lifecycle


def person(session, account_id: int) -> dict:
    entry = lifecycle.record(session, account_id)
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("No such person in this co-op's register.")
    return {
        "account_id": account.id,
        "name": account.name,
        "email": account.email,
        "status": entry.status,
        "member_class": entry.member_class,
        "since": entry.since,
        "probation": lifecycle.probation(session, entry),
        "history": lifecycle.history(session, account_id),
    }


def policy_out(session) -> dict:
    rules = lifecycle.policy(session)
    return {
        "probation_months": rules.probation_months,
        "probation_hours": rules.probation_hours,
        "require": rules.require,
        "buy_in": rules.buy_in,
        "buy_in_instalments": rules.buy_in_instalments,
        "instalment": lifecycle.instalment(session),
        "entrance_fee": rules.entrance_fee,
        "currency": rules.currency,
    }
