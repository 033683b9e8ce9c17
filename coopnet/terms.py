"""The words for values the database keeps in English (a stance, an outcome, a status),
as a person reads them in their language: ``{{ value | term }}`` in templates."""

from flask_babel import lazy_gettext as _l

TERMS = {
    # governance: stances, methods, outcomes, statuses, categories, how a proposal closed
    "agree": _l("agree"),
    "abstain": _l("abstain"),
    "stand_aside": _l("stand aside"),
    "disagree": _l("disagree"),
    "block": _l("block"),
    "consensus": _l("consensus"),
    "formal_consensus": _l("formal consensus"),
    "majority": _l("majority"),
    "supermajority": _l("supermajority"),
    "passed": _l("passed"),
    "failed": _l("failed"),
    "blocked": _l("blocked"),
    "no_quorum": _l("no quorum"),
    "open": _l("open"),
    "closed": _l("closed"),
    "withdrawn": _l("withdrawn"),
    "draft": _l("draft"),
    "approved": _l("approved"),
    "done": _l("done"),
    "day-to-day": _l("day-to-day"),
    "spending": _l("spending"),
    "admission": _l("admission"),
    "hiring": _l("hiring"),
    "pay": _l("pay"),
    "rulebook": _l("rulebook"),
    "schedule": _l("on time"),
    "sweep": _l("on time"),
    "early": _l("early, everyone has spoken"),
    "author": _l("by its author"),
    "cast": _l("votes cast"),
    "eligible": _l("everyone eligible"),
    "weekly": _l("weekly"),
    "monthly": _l("monthly"),
    "dropped": _l("dropped"),
    # mail in an outbox
    "queued": _l("queued"),
    "sent": _l("sent"),
    "held": _l("held"),
    # network: requests, offers, subcontracts, hours, urgency, timeline
    "new": _l("new"),
    "triaged": _l("triaged"),
    "offered": _l("offered"),
    "placed": _l("placed"),
    "referred_out": _l("referred out"),
    "received": _l("received"),
    "question": _l("question"),
    "declined": _l("declined"),
    "invoiced": _l("invoiced"),
    "paid": _l("paid"),
    "submitted": _l("submitted"),
    "queried": _l("queried"),
    "low": _l("low"),
    "normal": _l("normal"),
    "urgent": _l("urgent"),
    "proposed": _l("proposed"),
    "refused": _l("refused"),
    # pay: kinds of work (a co-op's own kinds show as they are), capital account entries
    "client": _l("client"),
    "internal": _l("internal"),
    "buy_in": _l("buy-in"),
    "allocation": _l("allocation"),
    "payout": _l("payout"),
    "loss": _l("loss"),
    "redemption": _l("redemption"),
    "reserve": _l("reserve"),
    # pay: a surplus instalment (paid is above)
    "due": _l("due"),
    "overdue": _l("overdue"),
    # dues: standing, plans, kinds, methods, tickets
    "current": _l("current"),
    "grace": _l("grace"),
    "lapsed": _l("lapsed"),
    "annual": _l("annual"),
    "organization": _l("organisation"),
    "individual": _l("individual"),
    "card": _l("card"),
    "check": _l("check"),
    "transfer": _l("bank transfer"),
    "refunded": _l("refunded"),
    "answered": _l("answered"),
    "no_method": _l("no payment method"),
    # roles and membership
    "admin": _l("admin"),
    "member": _l("member"),
    "candidate": _l("candidate"),
    "applicant": _l("applicant"),
    "leave": _l("on leave"),
    "expelled": _l("expelled"),
    "pending": _l("pending"),
    "accepted": _l("accepted"),
    "expired": _l("expired"),
    "revoked": _l("revoked"),
}


def term(value) -> str:
    """The word for ``value`` in the current language; an unknown value as it is, '_' as spaces."""
    if value is None:
        return ""
    found = TERMS.get(str(value))
    return str(found) if found is not None else str(value).replace("_", " ")
