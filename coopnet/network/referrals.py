"""Client requests: the public form, triage by the new-client coordinator, ranked
offers by the consultant-group coordinator, acceptance or decline by the offered
member, deadlines, and outside referrals when nobody can take the work.

Who commits: the caller (view, command or job); these functions add, flush and
queue notices for after the commit. Accepting and expiring use conditional
UPDATEs, so a late click and the sweep cannot both win."""

from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ServiceError, ValidationFailed
from coopnet.i18n import speaking
from coopnet.network import access, directory, notices
from coopnet.network.models import URGENCIES, ClientRequest, NetworkMember, NetworkSettings, Offer, RequestEvent
from coopnet.network.ranking import rank
from coopnet.platform.accounts import email_problem, name_problem
from coopnet.platform.addresses import normalise_email
from coopnet.platform.models import Tenant

MAX_NEED = 10_000
MAX_OFFER_DAYS = 30
MAX_REFERRALS = 10
OPEN_STATUSES = ("new", "triaged", "offered")


class OfferClosed(ServiceError):
    status, code = 409, "offer_closed"


def settings(session, network_id: int) -> NetworkSettings:
    found = session.get(NetworkSettings, network_id)
    return found or NetworkSettings(
        network_id=network_id, overhead_cents_per_hour=0, currency="USD", offer_hours=72, admission_by_rulebook=False
    )


def _event(session, request_id, kind, actor_id=None, member_id=None, note="", at=None):
    session.add(
        RequestEvent(
            request_id=request_id, kind=kind, actor_id=actor_id, member_id=member_id, note=note, at=at or utcnow()
        )
    )


def submit(session, network, values: dict, client_address: str, today: date | None = None) -> ClientRequest:
    """A client's request from the public form; every problem is reported at once."""
    today = today or date.today()
    problems = {}
    if values.get("website"):
        problems["website"] = gettext("Leave this field empty: it is there to catch automated spam.")
    organisation = (values.get("organisation") or "").strip()
    contact_name = (values.get("contact_name") or "").strip()
    email = normalise_email(values.get("email"))
    need = (values.get("need") or "").strip()
    ability = (values.get("ability_to_pay") or "").strip()
    if problem := name_problem(organisation, gettext("your organisation's name")):
        problems["organisation"] = problem
    if problem := name_problem(contact_name, gettext("a contact name")):
        problems["contact_name"] = problem
    if problem := email_problem(email):
        problems["email"] = problem
    if not need:
        problems["need"] = gettext("Tell us what you need.")
    elif len(need) > MAX_NEED:
        problems["need"] = gettext("At most %(max_need)s characters.", max_need=MAX_NEED)
    skills = [str(s).strip().lower() for s in values.get("skills") or []]
    if problem := directory.skills_problem(skills):
        problems["skills"] = problem
    if len(ability) > 200 or (ability and name_problem(ability, "ability to pay")):
        problems["ability_to_pay"] = gettext("One line of at most 200 characters.")
    deadline = values.get("deadline")
    if deadline is not None and deadline < today:
        problems["deadline"] = gettext("The deadline is in the past.")
    urgency = values.get("urgency") or "normal"
    if urgency not in URGENCIES:
        problems["urgency"] = gettext("Choose one of: %(values)s.", values=", ".join(URGENCIES))
    if problems:
        raise ValidationFailed(gettext("Some fields are missing or invalid."), problems)
    found = ClientRequest(
        network_id=network.id,
        organisation=organisation,
        contact_name=contact_name,
        email=email,
        need=need,
        skills=sorted(set(skills)),
        ability_to_pay=ability,
        deadline=deadline,
        urgency=urgency,
        status="new",
        client_address=(client_address or "")[:64],
    )
    session.add(found)
    session.flush()
    _event(session, found.id, "received", note=f"Request from {organisation}.")
    notices.client_confirmation(session, network, found)
    notices.to_coordinators(
        session,
        network,
        "new_client",
        lambda: (
            gettext("New client request from %(organisation)s", organisation=organisation),
            f"{organisation}: {need[:500]}",
        ),
    )
    return found


def get(session, network_id: int, request_id: int, lock: bool = False) -> ClientRequest:
    query = select(ClientRequest).where(ClientRequest.id == request_id, ClientRequest.network_id == network_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(gettext("No such request in this network."))
    return found


def listing(session, network_id: int, status: str | None = None) -> list[ClientRequest]:
    query = select(ClientRequest).where(ClientRequest.network_id == network_id)
    if status:
        query = query.where(ClientRequest.status == status)
    return session.scalars(query.order_by(ClientRequest.created_at.desc(), ClientRequest.id.desc()).limit(500)).all()


def view_of(session, network, request_id: int, account_id: int, is_admin: bool):
    """(request, sees_contact, member ids the viewer acts for or None for a coordinator).
    Coordinators see every request; a member sees one offered to it, and the client's
    contact only once it is placed with them. Anyone else: 404."""
    found = get(session, network.id, request_id)
    if access.coordinator_roles(session, network.id, account_id, is_admin):
        return found, True, None
    mine = set(
        session.scalars(
            select(Offer.member_id).where(
                Offer.request_id == found.id, Offer.member_id.in_(access.acting_members(account_id))
            )
        )
    )
    if not mine:
        raise NotFound(gettext("No such request in this network."))
    return found, found.placed_member_id in mine, mine


def timeline(session, request_id: int, member_ids=None, only_theirs: bool = False) -> list[dict]:
    """Every step (``member_ids`` None); the steps naming those members and the request's
    own; with ``only_theirs``, the steps naming them alone."""
    query = select(RequestEvent).where(RequestEvent.request_id == request_id)
    if member_ids is not None and only_theirs:
        query = query.where(RequestEvent.member_id.in_(member_ids))
    elif member_ids is not None:
        query = query.where((RequestEvent.member_id.is_(None)) | RequestEvent.member_id.in_(member_ids))
    events = session.scalars(query.order_by(RequestEvent.at, RequestEvent.id)).all()
    names = _member_names(session, {e.member_id for e in events if e.member_id})
    return [
        {"at": e.at, "kind": e.kind, "note": e.note, "member": names.get(e.member_id), "actor_id": e.actor_id}
        for e in events
    ]


def _member_names(session, ids) -> dict[int, str]:
    if not ids:
        return {}
    query, _ = directory.select_members_any()
    return {m.id: name for m, name, *_ in directory.rows(session, query.where(NetworkMember.id.in_(ids)))}


def _first_response(found: ClientRequest, now):
    if found.first_response_at is None:
        found.first_response_at = now


def triage(session, network, request_id: int, actor_id: int, is_admin: bool, note: str = "") -> ClientRequest:
    """The new-client coordinator passes a new request on to the consultant group."""
    access.require_coordinator(session, network.id, actor_id, is_admin, "new_client")
    found = get(session, network.id, request_id, lock=True)
    if found.status != "new":
        raise Conflict(
            gettext("This request is already %(value)s.", value=found.status.replace("_", " ")), code="request_not_new"
        )
    now = utcnow()
    found.status = "triaged"
    _first_response(found, now)
    _event(session, found.id, "triaged", actor_id, note=(note or "").strip()[:2000], at=now)
    notices.to_coordinators(
        session,
        network,
        "consultant_group",
        lambda: (
            gettext("Request from %(organisation)s is ready to offer", organisation=found.organisation),
            gettext(
                "The new-client coordinator passed on the request from %(organisation)s.",
                organisation=found.organisation,
            ),
        ),
    )
    session.flush()
    return found


def ask_client(session, network, request_id: int, actor_id: int, is_admin: bool, question: str) -> ClientRequest:
    access.require_coordinator(session, network.id, actor_id, is_admin, "new_client")
    found = get(session, network.id, request_id, lock=True)
    question = (question or "").strip()
    if not question or len(question) > 5000:
        raise ValidationFailed(
            gettext("Write the question."), {"question": gettext("Write a question of at most 5000 characters.")}
        )
    if found.status not in OPEN_STATUSES:
        raise Conflict(gettext("This request is closed."), code="request_closed")
    now = utcnow()
    _first_response(found, now)
    _event(session, found.id, "question", actor_id, note=question, at=now)
    with speaking(tenant=network):  # the client has no account: the network's language
        subject = gettext("A question about your request to %(network)s", network=network.name)
    notices.mail(session, network, found.email, subject, question)
    session.flush()
    return found


def matches(session, network, request_id: int, actor_id: int, is_admin: bool, limit: int = 20):
    access.require_coordinator(session, network.id, actor_id, is_admin, "consultant_group", "new_client")
    found = get(session, network.id, request_id)
    return rank(session, network.id, found.id, found.skills, limit)


def _target_member(session, network_id: int, to: dict) -> NetworkMember:
    query = select(NetworkMember).where(NetworkMember.network_id == network_id, NetworkMember.left_at.is_(None))
    coop, account_id = (to or {}).get("coop"), (to or {}).get("account_id")
    if bool(coop) == (account_id is not None):
        raise ValidationFailed(
            gettext("Offer to one member."), {"to": gettext('Give {"coop": "<slug>"} or {"account_id": n}.')}
        )
    if coop:
        found = session.scalar(query.join(Tenant, Tenant.id == NetworkMember.coop_id).where(Tenant.slug == coop))
    else:
        found = session.scalar(query.where(NetworkMember.account_id == account_id))
    if found is None:
        raise ValidationFailed(
            gettext("Not a member of this network."), {"to": gettext("Offer work to a current member.")}
        )
    return found


def offer(session, network, request_id: int, actor_id: int, is_admin: bool, to: dict, respond_by=None) -> Offer:
    """Offer the request to one member, with a deadline; the worker closes it at the deadline."""
    access.require_coordinator(session, network.id, actor_id, is_admin, "consultant_group")
    found = get(session, network.id, request_id, lock=True)
    if found.status == "new":
        raise Conflict(
            gettext("The new-client coordinator passes a request on before it is offered."), code="request_not_triaged"
        )
    if found.status not in OPEN_STATUSES:
        raise Conflict(
            gettext("This request is already %(value)s.", value=found.status.replace("_", " ")), code="request_closed"
        )
    member = _target_member(session, network.id, to)
    now = utcnow()
    respond_by = respond_by or now + timedelta(hours=settings(session, network.id).offer_hours)
    if respond_by <= now:
        raise ValidationFailed(
            gettext("The deadline has passed."), {"respond_by": gettext("Give a time in the future.")}
        )
    if respond_by > now + timedelta(days=MAX_OFFER_DAYS):
        raise ValidationFailed(
            gettext("Too far away."),
            {"respond_by": gettext("At most %(max_offer_days)s days from now.", max_offer_days=MAX_OFFER_DAYS)},
        )
    earlier = session.scalar(
        select(Offer.status).where(
            Offer.request_id == found.id, Offer.member_id == member.id, Offer.status.in_(("open", "declined"))
        )
    )
    if earlier is not None:
        raise Conflict(
            gettext("This member has already %(value)s.", value="an open offer" if earlier == "open" else "declined"),
            code="already_offered",
        )
    made = Offer(request_id=found.id, member_id=member.id, offered_by=actor_id, respond_by=respond_by, status="open")
    session.add(made)
    member.last_offered_at = now
    found.status = "offered"
    _first_response(found, now)
    session.flush()
    _event(session, found.id, "offered", actor_id, member.id, f"Respond by {respond_by:%Y-%m-%d %H:%M} UTC.", at=now)
    notices.offer_made(session, network, found, made, member)
    from coopnet.network import jobs

    jobs.schedule_expiry(session, made)
    session.flush()
    return made


def visible_offer(session, offer_id: int, account_id: int) -> Offer:
    found = session.scalar(
        select(Offer).where(Offer.id == offer_id, Offer.member_id.in_(access.acting_members(account_id)))
    )
    if found is None:
        raise NotFound(gettext("No such offer."))
    return found


def accept(session, offer_id: int, account_id: int, now: datetime | None = None) -> Offer:
    """The offered member takes the work and becomes the client's provider."""
    now = now or utcnow()
    found = visible_offer(session, offer_id, account_id)
    request = session.scalar(select(ClientRequest).where(ClientRequest.id == found.request_id).with_for_update())
    if found.status != "open":
        raise OfferClosed(gettext("This offer is %(status)s.", status=found.status))
    if found.respond_by <= now:
        raise OfferClosed(gettext("The deadline to respond to this offer has passed."), code="offer_expired")
    if request.status not in OPEN_STATUSES:
        raise OfferClosed(gettext("This request is already %(value)s.", value=request.status.replace("_", " ")))
    taken = session.execute(
        update(Offer)
        .where(Offer.id == found.id, Offer.status == "open", Offer.respond_by > now)
        .values(status="accepted", responded_at=now, responded_by=account_id)
        .returning(Offer.id)
    ).scalar()
    if taken is None:
        raise OfferClosed(gettext("This offer is no longer open."))
    session.execute(
        update(Offer)
        .where(Offer.request_id == request.id, Offer.status == "open", Offer.id != found.id)
        .values(status="withdrawn", responded_at=now, reason="Another member took the work.")
    )
    request.status = "placed"
    request.placed_member_id = found.member_id
    _event(session, request.id, "placed", account_id, found.member_id, at=now)
    session.flush()
    session.refresh(found)
    notices.placed(session, request, found)
    return found


def decline(session, offer_id: int, account_id: int, reason: str, now: datetime | None = None) -> Offer:
    now = now or utcnow()
    found = visible_offer(session, offer_id, account_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ValidationFailed(gettext("Say why."), {"reason": gettext("Give a reason (at most 2000 characters).")})
    request = session.scalar(select(ClientRequest).where(ClientRequest.id == found.request_id).with_for_update())
    if found.status != "open":
        raise OfferClosed(gettext("This offer is %(status)s.", status=found.status))
    found.status, found.reason, found.responded_at, found.responded_by = "declined", reason, now, account_id
    _reopen_if_unoffered(session, request)
    _event(session, request.id, "declined", account_id, found.member_id, reason, at=now)
    session.flush()
    notices.declined(session, request, found)
    return found


def _reopen_if_unoffered(session, request: ClientRequest) -> None:
    session.flush()
    still_open = session.scalar(select(Offer.id).where(Offer.request_id == request.id, Offer.status == "open").limit(1))
    if still_open is None and request.status == "offered":
        request.status = "triaged"


def expire(session, offer_id: int, now: datetime | None = None) -> bool:
    """Close one offer whose deadline has passed; idempotent (the job and the sweep may both run)."""
    now = now or utcnow()
    expired = session.execute(
        update(Offer)
        .where(Offer.id == offer_id, Offer.status == "open", Offer.respond_by <= now)
        .values(status="expired", responded_at=now)
        .returning(Offer.request_id, Offer.member_id)
    ).first()
    if expired is None:
        return False
    request = session.scalar(select(ClientRequest).where(ClientRequest.id == expired.request_id).with_for_update())
    _reopen_if_unoffered(session, request)
    _event(session, request.id, "expired", member_id=expired.member_id, note="No answer by the deadline.", at=now)
    session.flush()
    notices.expired(session, request)
    return True


def due_offers(session, now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    return list(
        session.scalars(select(Offer.id).where(Offer.status == "open", Offer.respond_by <= now).order_by(Offer.id))
    )


def refer_out(session, network, request_id: int, actor_id: int, is_admin: bool, referrals) -> ClientRequest:
    """Nobody in the network can take it: the client gets outside referrals by email."""
    access.require_coordinator(session, network.id, actor_id, is_admin, "consultant_group", "new_client")
    found = get(session, network.id, request_id, lock=True)
    if found.status not in OPEN_STATUSES:
        raise Conflict(
            gettext("This request is already %(value)s.", value=found.status.replace("_", " ")), code="request_closed"
        )
    problems, cleaned = {}, []
    if not isinstance(referrals, list) or not referrals or len(referrals) > MAX_REFERRALS:
        problems["referrals"] = gettext("Give 1 to %(max_referrals)s outside referrals.", max_referrals=MAX_REFERRALS)
    for i, item in enumerate(referrals if isinstance(referrals, list) else []):
        name, contact = (item.get("name") or "").strip(), (item.get("contact") or "").strip()
        note = (item.get("note") or "").strip()
        if name_problem(name, "a name") or name_problem(contact, "a contact", 300) or len(note) > 2000:
            problems[f"referrals.{i}"] = gettext(
                "Each referral needs a one-line name and contact; a note of at most 2000 characters."
            )
        cleaned.append({"name": name, "contact": contact, "note": note})
    if problems:
        raise ValidationFailed(gettext("Some referrals are missing or invalid."), problems)
    now = utcnow()
    session.execute(
        update(Offer)
        .where(Offer.request_id == found.id, Offer.status == "open")
        .values(status="withdrawn", responded_at=now, reason="Referred outside the network.")
    )
    found.status = "referred_out"
    found.outside_referrals = cleaned
    _first_response(found, now)
    _event(session, found.id, "referred_out", actor_id, note=", ".join(r["name"] for r in cleaned), at=now)
    notices.outside_referrals(session, network, found)
    session.flush()
    return found


def close(session, network, request_id: int, actor_id: int, is_admin: bool, reason: str) -> ClientRequest:
    access.require_coordinator(session, network.id, actor_id, is_admin)
    found = get(session, network.id, request_id, lock=True)
    if found.status not in OPEN_STATUSES:
        raise Conflict(
            gettext("This request is already %(value)s.", value=found.status.replace("_", " ")), code="request_closed"
        )
    now = utcnow()
    session.execute(
        update(Offer)
        .where(Offer.request_id == found.id, Offer.status == "open")
        .values(status="withdrawn", responded_at=now, reason="The request was closed.")
    )
    found.status = "closed"
    _event(session, found.id, "closed", actor_id, note=(reason or "").strip()[:2000], at=now)
    session.flush()
    return found


def offers_for(session, account_id: int, status: str | None = None):
    """(offer, request, network) for every offer made to a member the account acts for."""
    query = (
        select(Offer, ClientRequest, Tenant)
        .join(ClientRequest, ClientRequest.id == Offer.request_id)
        .join(Tenant, Tenant.id == ClientRequest.network_id)
        .where(Offer.member_id.in_(access.acting_members(account_id)))
    )
    if status:
        query = query.where(Offer.status == status)
    return session.execute(query.order_by(Offer.created_at.desc(), Offer.id.desc()).limit(200)).all()


def offers_of_request(session, request_id: int):
    return session.scalars(select(Offer).where(Offer.request_id == request_id).order_by(Offer.id)).all()
