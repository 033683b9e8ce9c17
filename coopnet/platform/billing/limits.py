"""What an unpaid plan does to a tenant's pages and API: a banner on every page while it
is warned or limited, and once limited (past the grace period) every write refused with
402 plan_unpaid, except paying for the plan and Stripe's deliveries. Reading goes on."""

from flask import current_app, g, request
from flask_babel import gettext as _

from coopnet.errors import ServiceError
from coopnet.extensions import db
from coopnet.platform.billing import standing

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Paying, and the pages that let someone pay or leave, keep working.
OPEN_BLUEPRINTS = ("billing", "billing_api")


class PlanUnpaid(ServiceError):
    status, code = 402, "plan_unpaid"


def refuse_writes_when_limited():
    """Runs before every request (the tenant is resolved by then, membership not yet
    checked: an outsider is left to the 404 that follows)."""
    if request.method not in WRITES or g.get("tenant") is None or g.get("membership") is None:
        return
    if request.blueprint in OPEN_BLUEPRINTS:
        return
    if getattr(current_app.view_functions.get(request.endpoint), "public_in_tenant", False):
        return  # webhooks, receipts, invitations
    if getattr(g.tenant, "plan_standing", None) == "limited":
        raise PlanUnpaid(
            _(
                "%(name)s is read-only: its plan with the platform is unpaid. An admin can pay or change "
                "the plan on the Plan page; nothing has been deleted.",
                name=g.tenant.name,
            )
        )


def banner():
    """The notice every member of an unpaid tenant sees, or None. The standing came with
    the tenant; only an unpaid tenant's pages read the rest of its plan."""
    tenant = g.get("tenant")
    if tenant is None or g.get("membership") is None or getattr(tenant, "plan_standing", None) in (None, "good"):
        return None
    found = standing.peek(db.session, tenant.id)
    if found is None or found.standing == "good":
        return None
    return {"standing": found.standing, "grace_ends": standing.grace_ends(found), "reason": found.reason}


def install(blueprint):
    blueprint.before_app_request(refuse_writes_when_limited)
    blueprint.app_context_processor(lambda: {"platform_plan_notice": banner})
