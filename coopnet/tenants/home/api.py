"""The tenant's own entry point in the JSON API."""

from flask import g

from coopnet.api import document_errors
from coopnet.links import external_url
from coopnet.platform.context import tenant_api_blueprint
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
