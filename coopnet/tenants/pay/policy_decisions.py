"""A change of pay policy as the co-op's decision: with a rulebook that has a ``pay``
category, proposing a policy opens a proposal there; when it passes, the policy takes
effect from its effective date (governance calls back through ``hooks.after_close``).

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from coopnet.database import utcnow
from coopnet.errors import Conflict, ServiceError
from coopnet.i18n import amount, day, number, speaking
from coopnet.tenants.governance import hooks, rulebook
from coopnet.tenants.governance import services as governance
from coopnet.tenants.pay import payroll
from coopnet.tenants.pay.models import PolicyProposal
from coopnet.terms import term

CATEGORY = "pay"


def decides_pay(session) -> bool:
    current = rulebook.current(session)
    return current is not None and CATEGORY in current.categories


def propose(session, tenant, by: int, terms: dict) -> PolicyProposal:
    """Check the policy as ``set_policy`` would (writing nothing), then put it to the vote."""
    if not decides_pay(session):
        raise Conflict(
            _("This co-op's rulebook has no pay category: admins set the policy directly."),
            code="no_pay_decisions",
        )
    savepoint = session.begin_nested()
    try:
        checked = payroll.set_policy(session, terms)
        with speaking(tenant=tenant):  # members read it on pages and in mail: the co-op's language
            title = _("Pay policy from %(day)s", day=day(checked.effective_from))
            summary = _describe(checked)
    finally:
        savepoint.rollback()
    window = rulebook.rule_for(rulebook.current(session), CATEGORY).window_days
    proposal = governance.open_proposal(
        session,
        tenant,
        by,
        CATEGORY,
        title,
        summary,
        utcnow() + timedelta(days=window),
    )
    decision = PolicyProposal(proposal_id=proposal.id, terms=_plain(terms), proposed_by=by, state="open")
    session.add(decision)
    session.flush()
    return decision


def _plain(terms: dict) -> dict:
    return {key: value for key, value in terms.items() if value is not None}


def _describe(policy) -> str:
    rates = ", ".join(
        _("%(kind)s %(amount)s an hour", kind=term(key), amount=amount(value))
        for key, value in sorted(policy.rates.items())
    )
    lines = [_("Scheme: %(scheme)s; rates: %(rates)s.", scheme=term(policy.scheme), rates=rates)]
    if policy.kind_multipliers:
        multiples = ", ".join(f"{term(kind)} x{number(value)}" for kind, value in policy.kind_multipliers.items())
        lines.append(_("Multiples by kind of work: %(multiples)s.", multiples=multiples))
    if policy.member_fee:
        lines.append(_("Monthly member fee: %(amount)s.", amount=amount(policy.member_fee)))
    lines.append(_("In force from %(day)s if the co-op agrees.", day=day(policy.effective_from)))
    return "\n".join(lines)


def listing(session) -> list[PolicyProposal]:
    return session.scalars(select(PolicyProposal).order_by(PolicyProposal.id.desc())).all()


@hooks.after_close
def adopt_when_passed(session, tenant, proposal):
    """A passed pay decision sets the policy from its date; one that can no longer take
    effect (its day is now in a finalised period, or another version starts that day)
    is kept as not applied, with the reason."""
    if proposal.category != CATEGORY:
        return
    decision = session.scalar(select(PolicyProposal).where(PolicyProposal.proposal_id == proposal.id))
    if decision is None or decision.state != "open":
        return
    if proposal.outcome != "passed":
        decision.state = "not_agreed"
        session.flush()
        return
    savepoint = session.begin_nested()
    try:
        policy = payroll.set_policy(session, decision.terms, proposal_id=proposal.id)
    except ServiceError as error:
        savepoint.rollback()
        decision.state, decision.problem = "not_applied", error.message
    else:
        savepoint.commit()
        decision.state, decision.policy_id = "adopted", policy.id
    session.flush()
