"""Governance demo data from the guide's stories: each co-op's rulebook, open and
decided proposals, a weekly meeting and approved minutes."""

from datetime import date, timedelta

from sqlalchemy import select

from coopnet.database import tenant_scope, utcnow
from coopnet.platform.models import Account
from coopnet.platform.tenants import get_tenant
from coopnet.tenants.governance import jobs, minutes, proposals, rulebook

RULEBOOKS = {
    "quilted": "quilted",
    "design-action": "design-action",
    "electric-embers": "electric-embers",
    "tech-underground": "majority",
    "may-first": "majority",
}


def _id(session, email):
    return session.scalar(select(Account.id).where(Account.email == email))


def _decided(session, tenant, author, category, title, body, stances, days_ago):
    """A proposal opened ``days_ago`` and closed by its schedule, with these positions."""
    opened = utcnow() - timedelta(days=days_ago)
    proposal = proposals.open_proposal(
        session, tenant, author, category, title, body, opened + timedelta(days=5), now=opened
    )
    for account_id, stance in stances:
        proposals.take_position(session, tenant, proposal.id, account_id, stance, None, now=opened)
    return proposals.close(session, tenant, proposal.id, "schedule")


def _open(session, tenant, author, category, title, body, stances, days=4):
    proposal = proposals.open_proposal(session, tenant, author, category, title, body, utcnow() + timedelta(days=days))
    for account_id, stance in stances:
        proposals.take_position(session, tenant, proposal.id, account_id, stance, None)
    jobs.schedule_closing(session, tenant, proposal)
    return proposal


def load(session):
    for slug, preset in RULEBOOKS.items():
        tenant = get_tenant(session, slug)
        admin = next(m.account_id for m in tenant.memberships if m.role == "admin")
        with tenant_scope(session, slug):
            rulebook.adopt_preset(session, preset, admin)
            session.commit()
    _quilted(session)
    _design_action(session)


def _quilted(session):
    tenant = get_tenant(session, "quilted")
    erik, colin = _id(session, "erik@quilted.example"), _id(session, "colin@quilted.example")
    with tenant_scope(session, "quilted"):
        _decided(
            session,
            tenant,
            erik,
            "admission",
            "Candidates become members after six months and 520 hours",
            "Plus a $5,000 capital contribution, which may be paid in instalments.",
            [(erik, "agree"), (colin, "stand_aside")],
            days_ago=40,
        )
        _open(
            session,
            tenant,
            erik,
            "pay",
            "Equal pay: $25 an hour for members and candidates, $15 for trainees",
            "For all work, client and internal alike.",
            [(erik, "agree")],
        )
        session.commit()


def _design_action(session):
    tenant = get_tenant(session, "design-action")
    people = [
        _id(session, f"{who}@designaction.example") for who in ("coordinator", "prepress", "web", "print", "campaigns")
    ]
    with tenant_scope(session, "design-action"):
        surplus = _decided(
            session,
            tenant,
            people[0],
            "day-to-day",
            "Keep 25% of this year's surplus in the co-op",
            "The other 75% is shared by hours worked, paid in instalments.",
            [
                (people[0], "agree"),
                (people[1], "agree"),
                (people[2], "agree"),
                (people[3], "agree"),
                (people[4], "disagree"),
            ],
            days_ago=20,
        )
        _open(
            session,
            tenant,
            people[0],
            "hiring",
            "Hire a second prepress specialist",
            "Hiring is decided by consensus.",
            [(people[0], "agree"), (people[1], "agree")],
            days=10,
        )
        weekly = minutes.create_meeting(
            session,
            people[0],
            "Weekly production meeting",
            utcnow().replace(hour=16, minute=0, second=0, microsecond=0) + timedelta(days=(1 - utcnow().weekday()) % 7),
            recurrence="weekly",
            location="Oakland studio",
            agenda=[
                {"title": "Who takes which project this week"},
                {"title": "Year-end surplus", "proposal_id": surplus.id},
            ],
        )
        drafted = minutes.draft(
            session,
            people[0],
            {
                "held_on": date.today() - timedelta(days=6),
                "attendees": people,
                "issues": "Project load for the week; the year-end surplus split.",
                "decisions": [{"text": "Keep 25% of the surplus in the co-op", "proposal_id": surplus.id}],
                "actions": [
                    {
                        "assignee_id": people[1],
                        "what": "Send the prepress job ad to the network",
                        "due_on": (date.today() + timedelta(days=7)).isoformat(),
                    }
                ],
            },
            meeting_id=weekly.id,
        )
        minutes.approve(session, tenant, drafted.id, tally={"agree": 5}, may_record_votes=True)
        session.commit()
