"""The outbox page: mail the co-op sent or holds (admins only)."""

from flask import render_template

from coopnet.extensions import db
from coopnet.platform.context import tenant_blueprint, tenant_role
from coopnet.tenants.outbox.services import list_messages

blueprint = tenant_blueprint("outbox", __name__, template_folder="templates")


@blueprint.get("/outbox")
@tenant_role("admin")
def outbox():
    return render_template("outbox/outbox.html", messages=list_messages(db.session))
