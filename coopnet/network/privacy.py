"""What the network forgets of a person who deletes their account: their consultant
listings are withdrawn and emptied (the membership row stays, as left, so past
referrals and subcontracts stay readable to their parties), coordinator roles end, and
an admission they asked for is refused (a vote closing later admits nobody)."""

from sqlalchemy import delete, func, update

from coopnet.network.models import Coordinator, NetworkInvitation, NetworkMember


def forget_account(session, account_id: int) -> None:
    session.execute(
        update(NetworkMember)
        .where(NetworkMember.account_id == account_id)
        .values(
            left_at=func.coalesce(NetworkMember.left_at, func.now()),
            skills=[],
            tags=[],
            services="",
            region="",
            time_zone="",
            languages=[],
            rates="",
            public_fields=[],
            search=None,
            taking_work=False,
        )
    )
    session.execute(delete(Coordinator).where(Coordinator.account_id == account_id))
    session.execute(
        update(NetworkInvitation)
        .where(NetworkInvitation.accepted_by == account_id, NetworkInvitation.status == "proposed")
        .values(status="refused")
    )
