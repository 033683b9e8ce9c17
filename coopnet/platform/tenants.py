"""The tenant registry: signup, slugs, suspension, deletion, memberships.

Who commits: signup, set_status and delete_tenant own their transaction (schema
DDL and registry rows succeed or fail together) and commit; the other functions
flush and leave the commit to the caller."""

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from psycopg import errors as pg_errors
from sqlalchemy import and_, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day
from coopnet.platform.accounts import account_problems, create_account, name_problem
from coopnet.platform.billing.models import PlatformSubscription
from coopnet.platform.models import Account, Membership, ReleasedSlug, Tenant, TenantFacts
from coopnet.platform.provisioning import drop_schema, provision_schema
from coopnet.platform.roles import KIND_LABELS, KINDS, role_problem
from coopnet.platform.spares import take_spare

SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]")
RESERVED_SLUGS = frozenset(
    [
        "www",
        "api",
        "admin",
        "static",
        "c",
        "app",
        "mail",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "assets",
        "cdn",
        "media",
        "docs",
        "help",
        "support",
        "status",
        "blog",
        "news",
        "login",
        "logout",
        "signup",
        "register",
        "account",
        "accounts",
        "auth",
        "oauth",
        "billing",
        "stripe",
        "webhooks",
        "dev",
        "staging",
        "test",
        "demo",
        "root",
        "system",
        "platform",
        "coopnet",
        "tenant",
        "tenants",
        "public",
        "network",
        "networks",
        "about",
    ]
)


def slug_problem(slug):
    if not slug:
        return _("Choose an address for your co-op.")
    if len(slug) < 3 or len(slug) > 40:
        return _("The address has 3 to 40 characters.")
    if not SLUG_RE.fullmatch(slug):
        return _("Use lower-case letters, digits and '-' only, not starting or ending with '-'.")
    if "--" in slug:
        return _("Use single dashes between words.")
    if slug in RESERVED_SLUGS:
        return _("'%(slug)s' is reserved; choose another address.", slug=slug)
    return None


@dataclass(frozen=True)
class TenantRef(TenantFacts):
    """What a request needs of its tenant, read once per request."""

    id: int
    slug: str
    name: str
    kind: str
    status: str
    locale: str | None = None
    require_two_factor: bool = False
    time_zone: str | None = None
    # Its standing with the platform's billing: None (no plan row: free, good), 'good',
    # 'warned' or 'limited'; read with the tenant so pages and writes need no query of their own.
    plan_standing: str | None = None


@dataclass(frozen=True)
class RoleRef:
    role: str


# A tenant request's login row ends with these (coopnet.platform.auth); the login functions
# of shared revision s0009 return them in this order, so a change here is a change there.
TENANT_COLUMNS = (
    Tenant.id,
    Tenant.slug,
    Tenant.name,
    Tenant.kind,
    Tenant.status,
    Tenant.locale,
    Tenant.require_two_factor,
    Tenant.time_zone,
    PlatformSubscription.standing,
    Membership.role,
)


def _refs(row):
    if row is None or row[0] is None:
        return None, None
    *tenant, role = row
    return TenantRef(*tenant), (RoleRef(role) if role else None)


def resolve(session, slug, account_id=None):
    """(tenant, membership or None) for a request, in one query."""
    account_id = account_id if account_id is not None else -1
    row = session.execute(
        select(*TENANT_COLUMNS)
        .select_from(Tenant)
        .outerjoin(PlatformSubscription, PlatformSubscription.tenant_id == Tenant.id)
        .outerjoin(Membership, and_(Membership.tenant_id == Tenant.id, Membership.account_id == account_id))
        .where(Tenant.slug == slug)
    ).first()
    return _refs(row)


def tenant_refs(row):
    """The (tenant, membership) at the end of a login row (coopnet.platform.auth), whose
    last columns are TENANT_COLUMNS: the login functions of shared revision s0009 return
    them in this order."""
    return _refs(tuple(row)[-len(TENANT_COLUMNS) :])


def get_tenant(session, slug):
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def require_tenant(session, slug):
    tenant = get_tenant(session, slug)
    if tenant is None:
        raise NotFound(_("No co-op at '%(slug)s'.", slug=slug))
    return tenant


def kind_problem(kind):
    if kind not in KINDS:
        return _("Choose one of: %(kinds)s.", kinds=", ".join(f"{k} ({KIND_LABELS[k]})" for k in KINDS))
    return None


def tenant_problems(name, slug, kind):
    problems = {
        "name": name_problem(name, _("your co-op's name")),
        "slug": slug_problem(slug),
        "kind": kind_problem(kind),
    }
    return {key: value for key, value in problems.items() if value}


SLUG_QUARANTINE = timedelta(days=30)


def check_slug_free(session, slug, now=None):
    """A slug is free when no co-op has it and no co-op gave it up in the last 30 days."""
    if get_tenant(session, slug) is not None:
        raise Conflict(
            _("That address is taken."),
            {"slug": _("'%(slug)s' is taken; choose another address.", slug=slug)},
            code="slug_taken",
        )
    released = session.get(ReleasedSlug, slug)
    if released is not None and released.released_at > (now or utcnow()) - SLUG_QUARANTINE:
        free_from = day(released.released_at + SLUG_QUARANTINE)
        raise Conflict(
            _("That address is taken."),
            {
                "slug": _(
                    "'%(slug)s' belonged to a co-op that was deleted; it can be used again from %(date)s.",
                    slug=slug,
                    date=free_from,
                )
            },
            code="slug_taken",
        )


def signup(session, hasher, name, slug, founder=None, founder_account=None, kind="coop", founder_verified=False):
    """Create a tenant, its schema at head, the founder's account and admin membership.

    One transaction: on any failure nothing is left (no schema, account or row).
    ``founder`` is {name, email, password} for a new account; ``founder_account``
    an existing one (a logged-in person founding another co-op). ``founder_verified``:
    the new founder has proved they read mail at their address."""
    name, slug = (name or "").strip(), (slug or "").strip()
    problems = tenant_problems(name, slug, kind)
    if founder_account is None:
        founder = founder or {}
        problems.update(
            account_problems(founder.get("name"), founder.get("email"), founder.get("password"), "founder.")
        )
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    check_slug_free(session, slug)
    try:
        account = founder_account or create_account(
            session,
            hasher,
            founder.get("name"),
            founder.get("email"),
            founder.get("password"),
            prefix="founder.",
            verified=founder_verified,
        )
        tenant = Tenant(name=name, slug=slug, kind=kind)
        session.add(tenant)
        session.flush()
        session.add(Membership(tenant_id=tenant.id, account_id=account.id, role="admin"))
        # A spare schema made ahead at the head is renamed (a millisecond); with none free, the DDL.
        if not take_spare(session.connection(), tenant.schema):
            provision_schema(session.connection(), tenant.schema)
        session.flush()
        session.commit()
    except Conflict:
        session.rollback()
        raise
    except (IntegrityError, DBAPIError) as exc:
        session.rollback()
        if isinstance(getattr(exc, "orig", None), (pg_errors.UniqueViolation, pg_errors.DuplicateSchema)):
            raise Conflict(
                _("That address or email was taken a moment ago."),
                {"slug": _("'%(slug)s' is taken.", slug=slug)},
                code="slug_taken",
            ) from exc
        raise
    except Exception:
        session.rollback()
        raise
    return tenant, account


def set_status(session, slug, status):
    tenant = require_tenant(session, slug)
    tenant.status = status
    tenant.suspended_at = utcnow() if status == "suspended" else None
    session.commit()
    return tenant


def delete_tenant(session, slug):
    """Drop the schema and the registry row (memberships go with it) in one transaction;
    the slug is held for SLUG_QUARANTINE."""
    tenant = require_tenant(session, slug)
    drop_schema(session.connection(), tenant.schema)
    session.delete(tenant)
    session.merge(ReleasedSlug(slug=slug, released_at=utcnow()))
    session.commit()


def membership_of(session, tenant, account):
    if account is None or not getattr(account, "id", None):
        return None
    return session.scalar(
        select(Membership).where(Membership.tenant_id == tenant.id, Membership.account_id == account.id)
    )


def add_member(session, tenant, account, role):
    if problem := role_problem(role):
        raise ValidationFailed(_("Unknown role."), {"role": problem})
    membership = membership_of(session, tenant, account)
    if membership is None:
        membership = Membership(tenant_id=tenant.id, account_id=account.id, role=role)
        session.add(membership)
        session.flush()
    return membership


def members_of(session, tenant):
    """(account, membership) pairs of one tenant, always filtered by that tenant."""
    rows = session.execute(
        select(Account, Membership)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id)
        .order_by(Account.name)
    )
    return rows.all()


def tenants_of(session, account):
    rows = session.execute(
        select(Tenant, Membership.role)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(Membership.account_id == account.id)
        .order_by(Tenant.name)
    )
    return rows.all()
