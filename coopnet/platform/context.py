"""Tenant request context: resolve /c/<slug>, bind the session, check membership and role."""

from functools import wraps

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from coopnet import capabilities
from coopnet.api import api_blueprint
from coopnet.database import bind_tenant
from coopnet.errors import Forbidden, NotFound, is_api_request
from coopnet.extensions import db
from coopnet.platform.roles import at_least
from coopnet.platform.tenants import resolve


def attach_tenant_context(blueprint):
    """Every route of ``blueprint`` (prefixed /c/<slug>) runs inside that tenant."""
    blueprint.url_value_preprocessor(_pull_tenant)
    blueprint.url_defaults(_push_slug)
    blueprint.before_request(_check_membership)
    return blueprint


def tenant_blueprint(name, import_name, **kwargs):
    """A capability's pages, under /c/<slug>/."""
    return attach_tenant_context(Blueprint(name, import_name, url_prefix="/c/<slug>", **kwargs))


def tenant_api_blueprint(name, import_name, description):
    """A capability's JSON API, under /c/<slug>/api/v1, with its own OpenAPI tag."""
    return attach_tenant_context(api_blueprint(name, import_name, "/c/<slug>/api/v1", description))


def _pull_tenant(endpoint, values):
    slug = values.get("slug")
    # Load the user while the slug is still in request.view_args (``values`` is that
    # dict): the loader then reads tenant and role in the same query.
    account_id = current_user.id if current_user.is_authenticated else None
    values.pop("slug", None)
    resolved = g.pop("tenant_resolution", None)
    if resolved is not None and resolved[0] == slug:
        tenant, membership = resolved[1]
    else:
        tenant, membership = resolve(db.session, slug, account_id) if slug else (None, None)
    if tenant is not None and tenant.is_suspended and membership is None:
        tenant = None  # a stranger learns nothing of a suspended co-op, not even its name
    if tenant is None:
        _answer_stranger(endpoint, slug)
        g.tenant, g.membership = None, None  # a public route answers "no such link" itself
        return
    if tenant.is_suspended:
        raise Forbidden(
            _("%(name)s is suspended. Its members can contact the platform operator.", name=tenant.name),
            code="tenant_suspended",
        )
    g.tenant, g.membership = tenant, membership
    bind_tenant(db.session, tenant.slug)


def _answer_stranger(endpoint, slug):
    """What anyone not in a co-op gets, whether or not it exists: a log-in for a
    visitor, "no co-op here" for a logged-in outsider. Public routes go on."""
    if getattr(current_app.view_functions.get(endpoint), "public_in_tenant", False):
        return
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401, _("Log in or send an API token."))
        abort(redirect(url_for("platform.login", next=request.full_path.rstrip("?"))))
    raise NotFound(_("There is no co-op at '%(slug)s'.", slug=slug))


def _push_slug(endpoint, values):
    if "slug" not in values and getattr(g, "tenant", None) is not None:
        values["slug"] = g.tenant.slug


def public_tenant_route(view):
    """Reachable without membership (the page where an invitation is accepted)."""
    view.public_in_tenant = True
    return view


def _check_membership():
    if g.tenant is None:
        return None  # only a public route gets here without a tenant
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "public_in_tenant", False):
        _check_kind()
        return None
    if not current_user.is_authenticated:
        if is_api_request():
            abort(401, _("Log in or send an API token."))
        return redirect(url_for("platform.login", next=request.full_path.rstrip("?")))
    if g.membership is None:
        # A member of another co-op learns nothing, not even that this one exists.
        slug = g.pop("tenant").slug
        raise NotFound(_("There is no co-op at '%(slug)s'.", slug=slug))
    # After who is asking: a page the kind does not show would tell a stranger the co-op exists.
    _check_kind()
    if g.tenant.require_two_factor and not current_user.two_factor_enabled:
        return _ask_for_two_factor()
    return None


def _ask_for_two_factor():
    """The co-op requires two-factor authentication and this member has not turned it on."""
    message = _("%(name)s requires two-factor authentication. Turn it on for your account first.", name=g.tenant.name)
    if is_api_request():
        raise Forbidden(message, code="two_factor_required")
    flash(message, "info")
    return redirect(url_for("account.two_factor_page"))


def _check_kind():
    """A capability the tenant's kind does not show answers 404 (a network has no dues page)."""
    capability = capabilities.capability_of_blueprint(request.blueprint)
    if capability is not None and not capability.shown_for(g.tenant.kind):
        raise NotFound(_("This page is not part of this kind of space."))


ROLE_REQUIRED = {
    "admin": _l("Only the co-op's admins can do this."),
    "member": _l("Only the co-op's members can do this."),
    "candidate": _l("Only the co-op's members and candidates can do this."),
}


def require_role(minimum):
    if not has_role(minimum):
        raise Forbidden(str(ROLE_REQUIRED[minimum]), code="role_required")


def tenant_role(minimum):
    """The view needs at least this role in the current tenant."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require_role(minimum)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def has_role(minimum):
    membership = getattr(g, "membership", None)
    return membership is not None and at_least(membership.role, minimum)


def acts_as_officer() -> bool:
    """An admin, or a current officer (coordinator, secretary, bookkeeper ...) of the co-op."""
    # Officer terms are the membership capability's; imported here, not at the top, because
    # every capability's views import this module.
    from coopnet.tenants.membership.roles import is_officer

    return has_role("admin") or is_officer(db.session, current_user.id)


def require_officer():
    if not acts_as_officer():
        raise Forbidden(_("Only the co-op's officers and admins can do this."), code="officer_required")
