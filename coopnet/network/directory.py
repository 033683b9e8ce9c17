"""The skills directory: each member's listing, what it publishes, and the public search.

Search runs in PostgreSQL (a GIN index on skills, full-text search over the
published fields only), never as a Python loop over members.

Who commits: the caller; these functions flush and return."""

from datetime import date
from zoneinfo import available_timezones

from flask_babel import gettext as _
from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from coopnet.errors import ValidationFailed
from coopnet.network.models import LISTING_FIELDS, NetworkMember
from coopnet.platform.accounts import has_control_characters
from coopnet.platform.models import Account, Tenant

# The shared vocabulary members and clients choose skills from; tags are free.
SKILLS = (
    "accessibility",
    "bookkeeping",
    "branding",
    "civicrm",
    "copywriting",
    "crm",
    "data-analysis",
    "database",
    "design",
    "drupal",
    "email-hosting",
    "hardware-repair",
    "hosting",
    "javascript",
    "mobile-apps",
    "networking",
    "photography",
    "php",
    "print-design",
    "project-management",
    "python",
    "security",
    "seo",
    "sysadmin",
    "tech-support",
    "training",
    "translation",
    "video",
    "web-development",
    "wordpress",
)
MAX_ITEMS = 30
PAGE_SIZE = 50
_ZONES = None


def skills_problem(skills) -> str | None:
    if not isinstance(skills, list) or len(skills) > MAX_ITEMS:
        return _("Give at most %(max_items)s skills.", max_items=MAX_ITEMS)
    unknown = [s for s in skills if s not in SKILLS]
    if unknown:
        return _("Not in the network's skills vocabulary: %(values)s.", values=", ".join(map(str, unknown[:5])))
    return None


def clean_skills(skills) -> list[str]:
    cleaned = [str(s).strip().lower() for s in (skills or [])]
    if problem := skills_problem(cleaned):
        raise ValidationFailed(_("Some skills are not in the vocabulary."), {"skills": problem})
    return sorted(set(cleaned))


def _words(values, field, problems, limit=60):
    if not isinstance(values, list) or len(values) > MAX_ITEMS:
        problems[field] = _("Give at most %(max_items)s entries.", max_items=MAX_ITEMS)
        return []
    cleaned = sorted({str(v).strip().lower() for v in values if str(v).strip()})
    if any(len(v) > limit or has_control_characters(v) for v in cleaned):
        problems[field] = _("Each entry is one line of at most %(limit)s characters.", limit=limit)
    return cleaned


def _zone_ok(zone):
    global _ZONES
    if _ZONES is None:
        _ZONES = available_timezones()
    return zone == "" or zone in _ZONES


def update_listing(session, member: NetworkMember, values: dict) -> NetworkMember:
    """Change the fields given in ``values``; every problem is reported at once and nothing is saved."""
    problems = {}
    changes = {}
    if "skills" in values:
        cleaned = [str(s).strip().lower() for s in values["skills"] or []]
        if problem := skills_problem(cleaned):
            problems["skills"] = problem
        changes["skills"] = sorted(set(cleaned))
    for field in ("tags", "languages"):
        if field in values:
            changes[field] = _words(values[field] or [], field, problems)
    for field, limit in (("services", 5000), ("rates", 2000), ("region", 100), ("time_zone", 64)):
        if field in values:
            text = (values[field] or "").strip()
            if len(text) > limit:
                problems[field] = _("At most %(limit)s characters.", limit=limit)
            changes[field] = text
    if "region" in changes and has_control_characters(changes["region"]):
        problems["region"] = _("One line, without control characters.")
    if "time_zone" in changes and not _zone_ok(changes["time_zone"]):
        problems["time_zone"] = _("Use a time zone name such as America/Chicago.")
    if "taking_work" in values:
        changes["taking_work"] = bool(values["taking_work"])
    if "full_until" in values:
        changes["full_until"] = values["full_until"]
    if "public_fields" in values:
        public = values["public_fields"] or []
        unknown = [f for f in public if f not in LISTING_FIELDS]
        if unknown:
            problems["public_fields"] = _("Choose among: %(values)s.", values=", ".join(LISTING_FIELDS))
        changes["public_fields"] = sorted(set(public) - set(unknown))
    if problems:
        raise ValidationFailed(_("Some listing fields are invalid."), problems)
    for field, value in changes.items():
        setattr(member, field, value)
    member.search = func.to_tsvector("simple", _published_text(member))
    session.flush()
    return member


def _published_text(member: NetworkMember) -> str:
    public = set(member.public_fields or [])
    parts = []
    for field in ("skills", "tags", "languages"):
        if field in public:
            parts.extend(getattr(member, field) or [])
    for field in ("services", "region", "time_zone", "rates"):
        if field in public:
            parts.append(getattr(member, field) or "")
    return " ".join(parts)


def availability(member, today: date | None = None) -> dict:
    today = today or date.today()
    full_until = member.full_until
    taking = bool(member.taking_work) and (full_until is None or full_until <= today)
    return {"taking_work": taking, "full_until": full_until.isoformat() if full_until else None}


def present(member, name: str, kind: str, party: str | int, sees_all: bool) -> dict:
    """A listing as ``sees_all`` (coordinators, the member itself) or the public sees it."""
    public = set(member.public_fields or [])
    shown = {
        "id": member.id,
        "name": name,
        "kind": kind,
        "party": party,
        "public_fields": list(member.public_fields or []),
        "member_since": member.joined_at,
        "left_at": member.left_at,
    }
    fields = {
        "skills": list(member.skills or []),
        "tags": list(member.tags or []),
        "services": member.services,
        "region": member.region,
        "time_zone": member.time_zone,
        "languages": list(member.languages or []),
        "availability": availability(member),
        "rates": member.rates,
    }
    for field, value in fields.items():
        if sees_all or field in public:
            shown[field] = value
    return shown


def _with_party(query, coop):
    return query.outerjoin(coop, coop.c.id == NetworkMember.coop_id).outerjoin(
        Account, Account.id == NetworkMember.account_id
    )


def rows(session, query):
    """(member, name, kind, party) for a query of NetworkMember with the party joined."""
    return [
        (member, name, "coop" if slug else "consultant", slug or account_id)
        for member, name, slug, account_id in session.execute(query).all()
    ]


def select_members_any():
    """NetworkMember with its party's name, co-op slug and consultant account, in any network."""
    coop = Tenant.__table__.alias("coop")
    query = select(NetworkMember, func.coalesce(coop.c.name, Account.name), coop.c.slug, NetworkMember.account_id)
    return _with_party(query, coop), coop


def select_members(network_id: int):
    query, coop = select_members_any()
    return query.where(NetworkMember.network_id == network_id), coop


def get_member(session, network_id: int, member_id: int):
    query, _coop = select_members(network_id)
    found = rows(session, query.where(NetworkMember.id == member_id))
    return found[0] if found else None


def search(session, network_id: int, q: str = "", skill: str = "", region: str = "", page: int = 1):
    """A page of current members matching, by published fields only; (rows, total)."""
    query, coop = select_members(network_id)
    query = query.where(NetworkMember.left_at.is_(None))
    published = NetworkMember.public_fields
    if q.strip():
        query = query.where(NetworkMember.search.op("@@")(func.plainto_tsquery("simple", q.strip())))
    if skill.strip():
        query = query.where(
            and_(
                published.contains(["skills"]),
                NetworkMember.skills.op("@>")(cast([skill.strip().lower()], ARRAY(String))),
            )
        )
    if region.strip():
        pattern = region.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(and_(published.contains(["region"]), NetworkMember.region.ilike(pattern)))
    total = session.scalar(select(func.count()).select_from(query.with_only_columns(NetworkMember.id).subquery()))
    ordered = query.order_by(func.lower(func.coalesce(coop.c.name, Account.name)), NetworkMember.id)
    page = max(1, page)
    return rows(session, ordered.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)), total


def sees_all(session, member: NetworkMember, account_id: int | None, is_coordinator: bool) -> bool:
    from coopnet.network.access import acts_for

    if is_coordinator:
        return True
    return account_id is not None and acts_for(session, account_id, member.id, roles=("admin", "member"))
