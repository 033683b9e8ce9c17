"""Operations that span the governance modules: opening a proposal also schedules its closing.

Who commits: the caller; these functions add, flush and queue work after the commit."""

from coopnet.tenants.governance import jobs, proposals


def open_proposal(session, tenant, author_id, category, title, body, closes_at, rulebook_change=None):
    proposal = proposals.open_proposal(
        session, tenant, author_id, category, title, body, closes_at, rulebook_change=rulebook_change
    )
    jobs.schedule_closing(session, tenant, proposal)
    return proposal
