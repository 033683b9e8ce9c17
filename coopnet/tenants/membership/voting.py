"""Who votes, from the register: governance asks here (``hooks.voters``) for every tally,
quorum and ballot."""

from sqlalchemy import and_, or_, select

from coopnet.platform.models import Membership
from coopnet.tenants.governance import hooks
from coopnet.tenants.membership.models import MemberRecord


def voting_statuses(rule) -> tuple[str, ...]:
    """Members vote; candidates where the rule lets them; people on leave as the rule says;
    applicants and people who have left never."""
    return ("member",) + (("candidate",) if rule.candidates_vote else ()) + (("leave",) if rule.leave_votes else ())


@hooks.voters
def voters(tenant, rule):
    """The account ids who may take a position under ``rule``: by register status, for
    everyone with access to the co-op. Someone with access who is not in the register yet
    (a co-op that has not brought its register over) votes by their access role, as before."""
    roles = ("admin", "member", "candidate") if rule.candidates_vote else ("admin", "member")
    return (
        select(Membership.account_id)
        .outerjoin(MemberRecord, MemberRecord.account_id == Membership.account_id)
        .where(
            Membership.tenant_id == tenant.id,
            or_(
                MemberRecord.status.in_(voting_statuses(rule)),
                and_(MemberRecord.account_id.is_(None), Membership.role.in_(roles)),
            ),
        )
    )
