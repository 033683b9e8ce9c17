"""The tenant's own entry point in the JSON API."""

from flask import g

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.links import external_url
from coopnet.platform.context import require_role, tenant_api_blueprint
from coopnet.platform.language import (
    LanguageIn,
    LanguageOut,
    TimeZoneIn,
    TimeZoneOut,
    set_tenant_locale,
    set_tenant_time_zone,
)
from coopnet.tenants.home.schemas import TenantInfoOut

blueprint = tenant_api_blueprint("home_api", __name__, "A co-op, network or organisation, and your role in it")


def tenant_info(tenant, role):
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "kind": tenant.kind,
        "role": role,
        "url": external_url("home.dashboard", slug=tenant.slug),
    }


@blueprint.route("/", methods=["GET"])
@blueprint.response(200, TenantInfoOut)
@document_errors(blueprint, 401, 403, 404)
def tenant():
    """This tenant and your role in it."""
    return tenant_info(g.tenant, g.membership.role)


@blueprint.route("/language", methods=["GET"])
@blueprint.response(200, LanguageOut)
@document_errors(blueprint, 401, 403, 404)
def coop_language():
    """The co-op's default language for people who chose none (null: each person's browser)."""
    return {"locale": g.tenant.locale}


@blueprint.route("/language", methods=["PUT"])
@blueprint.arguments(LanguageIn)
@blueprint.response(200, LanguageOut)
@document_errors(blueprint, 400, 401, 403, 404, 415, 422)
def set_coop_language(data):
    """Set the co-op's default language: en, es, ru, or null (admins)."""
    require_role("admin")
    locale = set_tenant_locale(db.session, g.tenant.id, data["locale"])
    db.session.commit()
    return {"locale": locale}


@blueprint.route("/time-zone", methods=["GET"])
@blueprint.response(200, TimeZoneOut)
@document_errors(blueprint, 401, 403, 404)
def coop_time_zone():
    """The time zone the co-op's pages show times in (null: UTC)."""
    return {"time_zone": g.tenant.time_zone}


@blueprint.route("/time-zone", methods=["PUT"])
@blueprint.arguments(TimeZoneIn)
@blueprint.response(200, TimeZoneOut)
@document_errors(blueprint, 400, 401, 403, 404, 415, 422)
def set_coop_time_zone(data):
    """Set the co-op's time zone: an IANA name such as America/Los_Angeles, or null for UTC (admins)."""
    require_role("admin")
    time_zone = set_tenant_time_zone(db.session, g.tenant.id, data["time_zone"])
    db.session.commit()
    return {"time_zone": time_zone}
