"""What a co-op's register does when one of its people deletes their coopnet account."""

from coopnet.tenants.membership.lifecycle import record_departure


def leave_coop(session, tenant, account_id: int) -> None:
    record_departure(session, tenant, account_id, "Deleted their coopnet account.")
