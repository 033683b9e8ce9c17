"""The outbox in the JSON API (admins)."""

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.platform.context import tenant_api_blueprint, tenant_role
from coopnet.tenants.outbox.schemas import OutboxOut
from coopnet.tenants.outbox.services import list_messages

blueprint = tenant_api_blueprint("outbox_api", __name__, "Mail a co-op sent or holds")


@blueprint.route("/outbox", methods=["GET"])
@blueprint.response(200, OutboxOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def outbox():
    """Mail the co-op sent or holds (admins)."""
    return {"messages": list_messages(db.session)}
