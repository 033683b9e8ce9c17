"""Flask-Login loaders: the session cookie, or `Authorization: Bearer <token>`.

On a tenant request (/c/<slug>/...) the loader also reads the tenant and the
account's role there in the same query; the tenant context picks that up."""

import functools
from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import BigInteger, Integer, String, bindparam, exists, select

from coopnet.database import prefer_connection_for
from coopnet.errors import Forbidden, is_api_request
from coopnet.extensions import db, login_manager
from coopnet.platform.accounts import account_for_token
from coopnet.platform.models import Account, AccountSession
from coopnet.platform.sessions import live_claims, touch
from coopnet.platform.tenants import tenant_refs, with_tenant


def _tenant_slug():
    slug = (request.view_args or {}).get("slug")
    return slug if isinstance(slug, str) else None


def _login_query_for_tenant():
    """(extension, parameters) of the login query: on a tenant request it also reads the
    tenant and the role there. Also says which tenant the request is for before its
    first query checks out a connection (the pool prefers one that served it)."""
    slug = _tenant_slug()
    prefer_connection_for(slug)
    return (with_tenant, {"tenant_slug": slug}) if slug else (None, {})


def _remember_tenant(row):
    slug = _tenant_slug()
    if slug and row is not None:
        g.tenant_resolution = (slug, tenant_refs(row))


@functools.cache
def _session_statement(extend=None):
    # Built once per shape, like the token's (accounts._token_statement).
    statement = select(Account).where(
        Account.id == bindparam("account_id", type_=BigInteger),
        Account.session_generation == bindparam("generation", type_=Integer),
        exists().where(
            AccountSession.session_id == bindparam("session_id", type_=String),
            AccountSession.account_id == Account.id,
            AccountSession.ended_at.is_(None),
        ),
    )
    return extend(statement) if extend else statement


@login_manager.user_loader
def load_account(account_id):
    try:
        account_id = int(account_id)
    except (TypeError, ValueError):
        return None
    claims = live_claims()
    if claims is None:
        return None
    extend, params = _login_query_for_tenant()
    params.update(account_id=account_id, generation=claims.generation, session_id=claims.session_id)
    row = db.session.execute(_session_statement(extend), params).first()
    if row is None:
        return None
    _remember_tenant(row)
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
    extend, params = _login_query_for_tenant()
    row = account_for_token(db.session, secret.strip(), extend, params)
    _remember_tenant(row)
    if row is None:
        return None
    _check_token_scope(read_only=row[3], tenant_id=row[4], row=row)
    g.authenticated_by_token = True
    return row[0]


def _check_token_scope(read_only, tenant_id, row):
    if read_only and request.method not in ("GET", "HEAD", "OPTIONS"):
        raise Forbidden(_("This API token can only read."), code="token_read_only")
    if tenant_id is not None:
        tenant = tenant_refs(row)[0] if _tenant_slug() else None
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
