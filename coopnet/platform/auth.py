"""Flask-Login loaders: the session cookie, or `Authorization: Bearer <token>`.

On a tenant request (/c/<slug>/...) the loader also reads the tenant and the
account's role there in the same query; the tenant context picks that up."""

import functools
from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select, text

from coopnet.database import prefer_connection_for
from coopnet.errors import Forbidden, is_api_request
from coopnet.extensions import db, login_manager
from coopnet.platform.accounts import TOKEN_COLUMNS, TOKEN_FIELDS, account_for_token
from coopnet.platform.models import Account
from coopnet.platform.sessions import live_claims, touch
from coopnet.platform.tenants import SLUG_RE, TENANT_COLUMNS, tenant_refs


def _tenant_slug():
    """The co-op in the address, if it could be one: anything else (a NUL, upper case, 300
    characters) names no co-op, and is never sent to the database."""
    slug = (request.view_args or {}).get("slug")
    return slug if isinstance(slug, str) and SLUG_RE.fullmatch(slug) else None


def _login_params():
    """The tenant slug the login query binds (None off a tenant's pages, and then the
    tenant columns come back empty). Also says which tenant the request is for before
    its first query checks out a connection (the pool gives it the tenant's home)."""
    slug = _tenant_slug()
    prefer_connection_for(slug)
    return {"tenant_slug": slug}


def _remember_tenant(row, params):
    slug = params["tenant_slug"]
    if slug and row is not None:
        g.tenant_resolution = (slug, tenant_refs(row))


# The login functions' tenant fields, in the order of TENANT_COLUMNS.
TENANT_FIELDS = (
    "l.tenant_id, l.tenant_slug, l.tenant_name, l.tenant_kind, l.tenant_status, l.tenant_locale, "
    "l.tenant_require_two_factor, l.tenant_time_zone, l.plan_standing, l.member_role"
)


def _login_statement(call, out, columns):
    """select(Account, *columns) over one of the login functions (shared revision s0009),
    whose plan PostgreSQL keeps per connection. The account's columns are named one by
    one in the model's order, so each is read by its own name whatever the table's order."""
    account = ", ".join(f"(l.account).{column.name}" for column in Account.__table__.columns)
    login = text(f"SELECT {account}, {out} FROM {call} AS l").columns(
        *Account.__table__.columns, *(column.expression for column in columns)
    )
    return select(Account, *columns).from_statement(login)


@functools.cache
def _token_statement():
    # Built once, like the session's: a request only binds values.
    return _login_statement(
        "public.login_by_token(:token_hash, :tenant_slug)",
        f"{TOKEN_FIELDS}, {TENANT_FIELDS}",
        (*TOKEN_COLUMNS, *TENANT_COLUMNS),
    )


@functools.cache
def _session_statement():
    return _login_statement(
        "public.login_by_session(:account_id, :generation, :session_id, :tenant_slug)", TENANT_FIELDS, TENANT_COLUMNS
    )


@login_manager.user_loader
def load_account(account_id):
    try:
        account_id = int(account_id)
    except (TypeError, ValueError):
        return None
    claims = live_claims()
    if claims is None:
        return None
    params = _login_params()
    params.update(account_id=account_id, generation=claims.generation, session_id=claims.session_id)
    row = db.session.execute(_session_statement(), params).first()
    if row is None:
        return None
    _remember_tenant(row, params)
    touch(claims)
    return row[0]


@login_manager.request_loader
def load_account_from_token(request):
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    if not is_api_request():  # a token is for the JSON API; the pages take a logged-in person only
        return None
    params = _login_params()
    row = account_for_token(db.session, secret.strip(), _token_statement(), params)
    _remember_tenant(row, params)
    if row is None:
        return None
    _check_token_scope(read_only=row[3], tenant_id=row[4], row=row)
    g.authenticated_by_token = True
    return row[0]


def _check_token_scope(read_only, tenant_id, row):
    if read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
        raise Forbidden(_("This API token can only read."), code="token_read_only")
    if tenant_id is not None:
        tenant = tenant_refs(row)[0]  # None off a co-op's pages: the login row's tenant columns are empty
        if tenant is None or tenant.id != tenant_id:
            raise Forbidden(_("This API token works in one co-op's API only."), code="token_scope")


def refuse_tokens(view):
    """Only a person who logged in may do this: a leaked token must not mint
    more tokens or found co-ops in its owner's name."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and g.get("authenticated_by_token"):
            raise Forbidden(_("An API token cannot do this; log in with your password."), code="token_not_allowed")
        return view(*args, **kwargs)

    return wrapped


def configure(manager):
    manager.login_view = "platform.login"
    manager.login_message = _l("Log in to see that page.")
    manager.localize_callback = str  # the session stores text, not a lazy string
    manager.login_message_category = "info"


@login_manager.unauthorized_handler
def unauthorized():
    if is_api_request():
        abort(401, _("Log in or send an API token."))
    return redirect(url_for("platform.login", next=request.full_path.rstrip("?")))
