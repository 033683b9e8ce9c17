"""The daily probation check: candidates who have now served their months get their admission vote."""

from flask import g
from sqlalchemy import select

from coopnet.extensions import db
from coopnet.tenants.membership import lifecycle
from coopnet.tenants.membership.models import MemberRecord
from coopnet.worker.queues import tenant_job


@tenant_job()
def check_probation():
    """Open the admission proposal of every candidate who meets the policy today (once each)."""
    candidates = db.session.scalars(
        select(MemberRecord.account_id).where(
            MemberRecord.status == "candidate", MemberRecord.admission_proposal_id.is_(None)
        )
    ).all()
    opened = [
        pid for account_id in candidates if (pid := lifecycle.consider_admission(db.session, g.tenant, account_id))
    ]
    return len(opened)
