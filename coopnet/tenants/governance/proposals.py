"""Proposals and positions: opening, taking a position, closing by the rule in force.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return. Closing is idempotent: the proposal row
is locked, and a closed proposal is never closed again.
"""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from coopnet.platform.accounts import name_problem
from coopnet.platform.models import Account, Membership
from coopnet.tenants.governance import hooks, notices, rulebook
from coopnet.tenants.governance.models import Position, PositionChange, Proposal
from coopnet.tenants.governance.rules import STANCES, Rule, decide, stance_problem

MAX_BODY = 20_000
REMIND_BEFORE = timedelta(hours=24)


class ProposalClosed(ServiceError):
    status, code = 409, "proposal_closed"


def _eligible(tenant, rule: Rule):
    """The account ids who may take a position under ``rule``, as a subquery. Membership
    answers from its register when it is present (``hooks.voters``); otherwise by access
    role: members and admins, and candidates where the rule lets them vote."""
    if (asked := hooks.eligible(tenant, rule)) is not None:
        return asked
    roles = ("admin", "member", "candidate") if rule.candidates_vote else ("admin", "member")
    return select(Membership.account_id).where(Membership.tenant_id == tenant.id, Membership.role.in_(roles))


def eligible_voters(session, tenant, rule: Rule) -> list[int]:
    return list(session.scalars(_eligible(tenant, rule).order_by(Membership.account_id)))


def eligible_count(session, tenant, rule: Rule) -> int:
    return session.scalar(select(func.count()).select_from(_eligible(tenant, rule).subquery()))


def may_vote(session, tenant, rule: Rule, account_id: int) -> bool:
    return session.scalar(_eligible(tenant, rule).where(Membership.account_id == account_id)) is not None


def get(session, proposal_id: int, lock: bool = False) -> Proposal:
    query = select(Proposal).where(Proposal.id == proposal_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(_("No such proposal."))
    return found


def rule_of(session, proposal: Proposal) -> Rule:
    """The rule the proposal is decided by: its category under the version it was opened with."""
    return rulebook.rule_for(rulebook.version(session, proposal.rulebook_version), proposal.category)


def open_proposal(
    session,
    tenant,
    author_id: int,
    category: str,
    title: str,
    body: str,
    closes_at: datetime,
    rulebook_change=None,
    now: datetime | None = None,
) -> Proposal:
    """Open a proposal in a category of the rulebook in force; members hear of it by mail."""
    now = now or utcnow()
    current = rulebook.require_current(session)
    title, body = (title or "").strip(), (body or "").strip()
    problems = {}
    if category not in current.categories:
        problems["category"] = _(
            "Choose one of this co-op's categories: %(values)s.", values=", ".join(current.categories)
        )
    if problem := name_problem(title, _("a title")):
        problems["title"] = problem
    if len(body) > MAX_BODY:
        problems["body"] = _("The text has at most %(max_body)s characters.", max_body=MAX_BODY)
    if closes_at is None:
        problems["closes_at"] = _("Choose when the vote closes.")
    elif closes_at.tzinfo is None:
        problems["closes_at"] = _("Give the closing time with its offset, such as 2026-12-01T17:00:00+00:00.")
    elif closes_at <= now:
        problems["closes_at"] = _("The closing time has passed; choose a time ahead.")
    elif "category" not in problems:
        window = rulebook.rule_for(current, category).window_days
        if closes_at > now + timedelta(days=window):
            problems["closes_at"] = _(
                "This category's voting window is %(window)s days; close it by then.", window=window
            )
    change = None
    if category == "rulebook" and "category" not in problems:
        categories = (rulebook_change or {}).get("categories") if isinstance(rulebook_change, dict) else None
        try:
            change = {"categories": rulebook.checked_categories(categories)}
        except ValidationFailed as error:
            problems.update(error.fields)
    elif rulebook_change is not None:
        problems["rulebook_change"] = _("Only a proposal in the rulebook category changes the rulebook.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    proposal = Proposal(
        category=category,
        title=title,
        body=body,
        author_id=author_id,
        rulebook_version=current.version,
        opened_at=now,
        closes_at=closes_at,
        status="open",
        rulebook_change=change,
    )
    session.add(proposal)
    session.flush()
    notices.proposal_opened(session, tenant, proposal, eligible_voters(session, tenant, rule_of(session, proposal)))
    return proposal


def take_position(
    session,
    tenant,
    proposal_id: int,
    account_id: int,
    stance: str,
    reason: str | None,
    now: datetime | None = None,
) -> Position:
    """Take or change a position. The proposal row is locked, so a position and the
    closing never interleave, and two positions sent at once leave exactly one."""
    now = now or utcnow()
    proposal = get(session, proposal_id, lock=True)
    if proposal.status != "open" or proposal.closes_at <= now:
        raise ProposalClosed(
            _("This proposal is withdrawn.") if proposal.status == "withdrawn" else _("This proposal is closed.")
        )
    rule = rule_of(session, proposal)
    if not may_vote(session, tenant, rule, account_id):
        raise Forbidden(
            _("Only members who may vote on this kind of decision can take a position."), code="not_eligible"
        )
    reason = (reason or "").strip() or None
    if problem := stance_problem(rule, stance, reason):
        raise ValidationFailed(problem[1], {problem[0]: problem[1]})
    if reason and len(reason) > MAX_BODY:
        raise ValidationFailed(
            _("The reason is too long."), {"reason": _("At most %(max_body)s characters.", max_body=MAX_BODY)}
        )
    values = {"stance": stance, "reason": reason, "updated_at": now}
    session.execute(
        insert(Position)
        .values(proposal_id=proposal.id, account_id=account_id, **values)
        .on_conflict_do_update(constraint="uq_positions_proposal_account", set_=values)
    )
    session.add(
        PositionChange(proposal_id=proposal.id, account_id=account_id, stance=stance, reason=reason, taken_at=now)
    )
    session.flush()
    return session.scalar(
        select(Position)
        .where(Position.proposal_id == proposal.id, Position.account_id == account_id)
        .execution_options(populate_existing=True)
    )


def tally_of(session, tenant, proposal: Proposal, rule: Rule) -> dict[str, int]:
    """Counts of the current positions of eligible voters, every stance present (one query)."""
    rows = session.execute(
        select(Position.stance, func.count())
        .where(Position.proposal_id == proposal.id, Position.account_id.in_(_eligible(tenant, rule)))
        .group_by(Position.stance)
    )
    return {**dict.fromkeys(STANCES, 0), **dict(rows.all())}


def close(session, tenant, proposal_id: int, how: str, by: int | None = None, now: datetime | None = None) -> Proposal:
    """Close a proposal and store its outcome by the rule it was opened under.

    ``how`` is "schedule" or "sweep" (only once its closing time has come) or
    "early" (the author or an admin, once every eligible member has spoken). A
    closed proposal is returned unchanged: a second job, a page view or a race
    never changes a result."""
    now = now or utcnow()
    proposal = get(session, proposal_id, lock=True)
    if proposal.status != "open":
        return proposal
    rule = rule_of(session, proposal)
    if how != "early" and proposal.closes_at > now:
        return proposal
    tally, eligible = tally_of(session, tenant, proposal, rule), eligible_count(session, tenant, rule)
    if how == "early" and sum(tally.values()) < eligible:
        raise Conflict(
            _(
                "%(silent)s of %(eligible)s eligible members have not taken a position yet.",
                silent=eligible - sum(tally.values()),
                eligible=eligible,
            ),
            code="not_everyone_spoke",
        )
    proposal.tally, proposal.eligible = tally, eligible
    proposal.outcome = decide(rule, tally, eligible)
    proposal.status, proposal.closed_at, proposal.closed_by = "closed", now, how
    session.flush()
    if proposal.outcome == "passed" and proposal.rulebook_change:
        rulebook.adopt_change(
            session, proposal.rulebook_change["categories"], proposal.author_id, proposal.id, proposal.rulebook_version
        )
    hooks.closed(session, tenant, proposal)
    notices.proposal_closed(session, tenant, proposal, eligible_voters(session, tenant, rule))
    return proposal


def close_early(session, tenant, proposal_id: int, account_id: int, is_admin: bool) -> Proposal:
    proposal = get(session, proposal_id)
    if proposal.author_id != account_id and not is_admin:
        raise Forbidden(_("Only the author or an admin can close a proposal early."), code="role_required")
    if proposal.status != "open":
        raise ProposalClosed(_("This proposal is already closed."))
    return close(session, tenant, proposal_id, "early", by=account_id)


def withdraw(session, proposal_id: int, account_id: int) -> Proposal:
    proposal = get(session, proposal_id, lock=True)
    if proposal.author_id != account_id:
        raise Forbidden(_("Only the author can withdraw a proposal."), code="role_required")
    if proposal.status != "open":
        raise ProposalClosed(_("Only an open proposal can be withdrawn."))
    proposal.status, proposal.closed_at, proposal.closed_by = "withdrawn", utcnow(), "author"
    session.flush()
    return proposal


def due(session, now: datetime | None = None) -> list[int]:
    """Ids of open proposals whose closing time has come."""
    query = select(Proposal.id).where(Proposal.status == "open", Proposal.closes_at <= (now or utcnow()))
    return list(session.scalars(query.order_by(Proposal.id)))


def remind_silent(session, tenant, proposal_id: int, now: datetime | None = None) -> int:
    """Mail eligible members who have not spoken, once, in the last 24 hours. Returns how many."""
    now = now or utcnow()
    proposal = get(session, proposal_id, lock=True)
    if proposal.status != "open" or proposal.reminded_at is not None or proposal.closes_at - now > REMIND_BEFORE:
        return 0
    voters = eligible_voters(session, tenant, rule_of(session, proposal))
    spoken = set(session.scalars(select(Position.account_id).where(Position.proposal_id == proposal.id)))
    silent = [account_id for account_id in voters if account_id not in spoken]
    notices.reminder(session, tenant, proposal, silent)
    proposal.reminded_at = now
    session.flush()
    return len(silent)


def needing_reminder(session, now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    query = select(Proposal.id).where(
        Proposal.status == "open", Proposal.reminded_at.is_(None), Proposal.closes_at <= now + REMIND_BEFORE
    )
    return list(session.scalars(query))


def listing(session, limit: int = 200) -> list[Proposal]:
    """Open proposals first (closing soonest first), then the rest, newest first."""
    opened = select(Proposal).where(Proposal.status == "open").order_by(Proposal.closes_at, Proposal.id)
    ended = select(Proposal).where(Proposal.status != "open").order_by(Proposal.id.desc())
    return [*session.scalars(opened.limit(limit)), *session.scalars(ended.limit(limit))]


def spoken_counts(session, proposal_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Position.proposal_id, func.count())
        .where(Position.proposal_id.in_(proposal_ids))
        .group_by(Position.proposal_id)
    )
    return dict(rows.all())


def history(session, proposal_id: int) -> list[PositionChange]:
    return session.scalars(
        select(PositionChange).where(PositionChange.proposal_id == proposal_id).order_by(PositionChange.id)
    ).all()


def names(session, tenant, account_ids) -> dict[int, str]:
    """Names of this co-op's people only: an id typed into minutes never reveals who
    holds it in another co-op."""
    ids = list(set(account_ids))
    if not ids:
        return {}
    query = (
        select(Account.id, Account.name)
        .join(Membership, Membership.account_id == Account.id)
        .where(Account.id.in_(ids), Membership.tenant_id == tenant.id)
    )
    return dict(session.execute(query).all())
