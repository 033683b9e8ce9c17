"""Network records as the API and pages show them, and the network's reports."""

from decimal import Decimal

from sqlalchemy import case, func, select

from coopnet.network import directory, money, referrals, subcontracts
from coopnet.network.models import ClientRequest, NetworkMember, Offer
from coopnet.platform.models import Tenant


def member_name(session, member_id: int | None) -> str | None:
    if member_id is None:
        return None
    query, _ = directory.select_members_any()
    found = directory.rows(session, query.where(NetworkMember.id == member_id))
    return found[0][1] if found else None


def request(session, found: ClientRequest, sees_contact: bool, member_ids=None) -> dict:
    """A request as its reader may see it: coordinators (``member_ids`` None) all of it; a
    member it was offered to the request itself and their own offers and steps, and only
    once it is placed with them, whom it went to, the outside referrals and every step."""
    passed_by = member_ids is not None and found.placed_member_id not in member_ids
    client = {"organisation": found.organisation}
    if sees_contact:
        client.update(contact_name=found.contact_name, email=found.email)
    offers = [
        o for o in referrals.offers_of_request(session, found.id) if member_ids is None or o.member_id in member_ids
    ]
    return {
        "id": found.id,
        "status": found.status,
        "need": found.need,
        "skills": list(found.skills or []),
        "ability_to_pay": found.ability_to_pay,
        "deadline": found.deadline,
        "urgency": found.urgency,
        "created_at": found.created_at,
        "first_response_at": found.first_response_at,
        "client": client,
        "placed_with": None if passed_by else member_name(session, found.placed_member_id),
        "outside_referrals": [] if passed_by else list(found.outside_referrals or []),
        "offers": [
            {
                "id": o.id,
                "member": member_name(session, o.member_id),
                "status": o.status,
                "respond_by": o.respond_by,
                "reason": o.reason,
            }
            for o in offers
        ],
        "timeline": referrals.timeline(session, found.id, member_ids, only_theirs=passed_by),
    }


def offer(session, found: Offer, request_row: ClientRequest, network: Tenant) -> dict:
    sees_contact = found.status == "accepted" and request_row.placed_member_id == found.member_id
    return {
        "id": found.id,
        "status": found.status,
        "respond_by": found.respond_by,
        "reason": found.reason,
        "network": network.slug,
        "request": request(session, request_row, sees_contact, {found.member_id}),
    }


def settings(found) -> dict:
    return {
        "overhead_per_hour": money.cents_text(found.overhead_cents_per_hour),
        "currency": found.currency,
        "offer_hours": found.offer_hours,
        "admission": "rulebook" if found.admission_by_rulebook else "invitation",
    }


def fee(entry) -> dict:
    return {
        "id": entry.id,
        "request_id": entry.request_id,
        "member_id": entry.member_id,
        "worked_on": entry.worked_on,
        "hours": money.hours_text(entry.hours),
        "overhead_per_hour": money.cents_text(entry.overhead_cents_per_hour),
        "amount": money.cents_text(entry.amount_cents),
        "settled": entry.settled_at is not None,
    }


def ledger(entries, totals, currency) -> dict:
    return {
        "fees": [fee(e) for e in entries],
        "owed": money.cents_text(totals["owed_cents"]),
        "settled": money.cents_text(totals["settled_cents"]),
        "total": money.cents_text(totals["total_cents"]),
        "currency": currency,
    }


def subcontract(session, found, with_hours: bool = True) -> dict:
    slugs = dict(
        session.execute(
            select(Tenant.id, Tenant.slug).where(Tenant.id.in_((found.contractor_id, found.subcontractor_id)))
        ).all()
    )
    hours = subcontracts.hours_of(session, found.id) if with_hours else []
    approved = sum((h.hours for h in hours if h.status == "approved"), Decimal(0))
    return {
        "id": found.id,
        "status": found.status,
        "contractor": slugs.get(found.contractor_id),
        "subcontractor": slugs.get(found.subcontractor_id),
        "scope": found.scope,
        "client": found.client,
        "rate": money.cents_text(found.rate_cents),
        "fixed_price": money.cents_text(found.fixed_price_cents),
        "currency": found.currency,
        "hour_cap": money.hours_text(found.hour_cap),
        "hours_counted": money.hours_text(subcontracts.counted_hours(session, found.id)),
        "hours_approved": money.hours_text(approved),
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "invoice": money.cents_text(found.invoice_cents),
        "request_id": found.request_id,
        "hours": [
            {
                "id": h.id,
                "worked_on": h.worked_on,
                "hours": money.hours_text(h.hours),
                "note": h.note,
                "status": h.status,
                "query_note": h.query_note,
            }
            for h in hours
        ],
    }


def report(session, network_id: int) -> dict:
    """Requests a month, time to first response, the share placed, and work offered and accepted per member."""
    month = func.to_char(func.date_trunc("month", ClientRequest.created_at), "YYYY-MM")
    by_month = session.execute(
        select(month, func.count()).where(ClientRequest.network_id == network_id).group_by(month).order_by(month)
    ).all()
    median = session.scalar(
        select(
            func.percentile_cont(0.5).within_group(
                func.extract("epoch", ClientRequest.first_response_at - ClientRequest.created_at) / 3600
            )
        ).where(ClientRequest.network_id == network_id, ClientRequest.first_response_at.is_not(None))
    )
    decided = session.execute(
        select(
            func.count().filter(ClientRequest.status == "placed"),
            func.count().filter(ClientRequest.status.in_(("placed", "referred_out", "closed"))),
        ).where(ClientRequest.network_id == network_id)
    ).one()
    share = Decimal(decided[0]) / Decimal(decided[1]) if decided[1] else Decimal(0)
    per_member = session.execute(
        select(Offer.member_id, func.count(), func.sum(case((Offer.status == "accepted", 1), else_=0)))
        .join(ClientRequest, ClientRequest.id == Offer.request_id)
        .where(ClientRequest.network_id == network_id)
        .group_by(Offer.member_id)
    ).all()
    query, _ = directory.select_members(network_id)
    ids = [row[0] for row in per_member]
    names = {m.id: name for m, name, *_ in directory.rows(session, query.where(NetworkMember.id.in_(ids)))}
    return {
        "requests_by_month": [{"month": m, "requests": n} for m, n in by_month],
        "median_hours_to_first_response": None if median is None else f"{Decimal(str(median)):.1f}",
        "share_placed": f"{share:.2f}",
        "by_member": sorted(
            ({"member": names.get(mid, "?"), "offered": n, "accepted": int(a or 0)} for mid, n, a in per_member),
            key=lambda row: row["member"].lower(),
        ),
    }
