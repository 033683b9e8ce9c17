"""The network's overhead share of each hour billed on referred work, and its ledger.

Who commits: the caller; these functions add, flush and return."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.network import access, money
from coopnet.network.models import ClientRequest, FeeEntry, NetworkSettings


def update_settings(session, network, actor_id: int, is_admin: bool, values: dict) -> NetworkSettings:
    """Admins and the records keeper set the overhead per hour, the default offer window and
    whether the network's rulebook decides admissions."""
    access.require_coordinator(session, network.id, actor_id, is_admin, "records_keeper")
    problems, changes = {}, {}
    if values.get("overhead_per_hour") is not None:
        cents = money.to_cents(values["overhead_per_hour"], "overhead_per_hour", problems)
        if cents is not None and cents > 100_000:
            problems["overhead_per_hour"] = _("At most 1000.00 an hour.")
        changes["overhead_cents_per_hour"] = cents
    if values.get("offer_hours") is not None:
        hours = values["offer_hours"]
        if not isinstance(hours, int) or not 1 <= hours <= 24 * 30:
            problems["offer_hours"] = _("Between 1 and 720 hours.")
        changes["offer_hours"] = hours
    if values.get("currency") is not None:
        currency = str(values["currency"]).upper()
        if len(currency) != 3 or not currency.isalpha():
            problems["currency"] = _("A three-letter currency code such as USD.")
        changes["currency"] = currency
    if values.get("admission") is not None:
        if values["admission"] not in ("invitation", "rulebook"):
            problems["admission"] = _("Choose invitation or rulebook.")
        elif values["admission"] == "rulebook":
            # The network's own schema is the one bound: its rulebook must have the category.
            from coopnet.network import admission

            if not admission.rulebook_decides_admission(session):
                problems["admission"] = _("The network's rulebook has no admission category.")
        changes["admission_by_rulebook"] = values["admission"] == "rulebook"
    if problems:
        raise ValidationFailed(_("Some settings are invalid."), problems)
    found = session.get(NetworkSettings, network.id)
    if found is None:
        found = NetworkSettings(
            network_id=network.id,
            overhead_cents_per_hour=0,
            currency="USD",
            offer_hours=72,
            admission_by_rulebook=False,
        )
    for name, value in changes.items():
        setattr(found, name, value)
    session.add(found)
    session.flush()
    return found


def report_hours(session, request_id: int, account_id: int, hours, worked_on: date | None) -> FeeEntry:
    """The placed provider reports hours billed to the client; the network's share is owed on them."""
    request = session.scalar(
        select(ClientRequest).where(
            ClientRequest.id == request_id,
            ClientRequest.placed_member_id.in_(access.acting_members(account_id)),
        )
    )
    if request is None:
        raise NotFound(_("No such placed request of yours."))
    problems = {}
    parsed = money.to_hours(hours, "hours", problems)
    if worked_on is None:
        problems["worked_on"] = _("Give the date the hours were worked.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    rate = session.get(NetworkSettings, request.network_id)
    per_hour = rate.overhead_cents_per_hour if rate else 0
    entry = FeeEntry(
        network_id=request.network_id,
        request_id=request.id,
        member_id=request.placed_member_id,
        worked_on=worked_on,
        hours=parsed,
        overhead_cents_per_hour=per_hour,
        amount_cents=money.share(parsed, per_hour),
        reported_by=account_id,
    )
    session.add(entry)
    session.flush()
    return entry


def ledger(session, network_id: int, member_id: int | None = None):
    query = select(FeeEntry).where(FeeEntry.network_id == network_id)
    if member_id is not None:
        query = query.where(FeeEntry.member_id == member_id)
    entries = session.scalars(query.order_by(FeeEntry.worked_on, FeeEntry.id)).all()
    owed = sum(e.amount_cents for e in entries if e.settled_at is None)
    settled = sum(e.amount_cents for e in entries if e.settled_at is not None)
    return entries, {"owed_cents": owed, "settled_cents": settled, "total_cents": owed + settled}


def settle(session, network, fee_id: int, actor_id: int, is_admin: bool) -> FeeEntry:
    access.require_coordinator(session, network.id, actor_id, is_admin, "records_keeper")
    entry = session.scalar(
        select(FeeEntry).where(FeeEntry.id == fee_id, FeeEntry.network_id == network.id).with_for_update()
    )
    if entry is None:
        raise NotFound(_("No such fee entry."))
    if entry.settled_at is not None:
        raise Conflict(_("Already settled."), code="already_settled")
    entry.settled_at = utcnow()
    session.flush()
    return entry


def hours_by_member(session, network_id: int):
    return session.execute(
        select(FeeEntry.member_id, func.sum(FeeEntry.hours), func.sum(FeeEntry.amount_cents))
        .where(FeeEntry.network_id == network_id)
        .group_by(FeeEntry.member_id)
    ).all()
