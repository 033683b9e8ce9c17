"""The outbox page: mail the co-op sent or holds (admins only)."""
from flask import render_template

from coopnet.extensions import db
from coopnet.platform.context import tenant_role
from coopnet.tenants.outbox.services import list_messages


def register(blueprint):
    @blueprint.get("/outbox")
    @tenant_role("admin")
    def outbox():
        return render_template("tenants/outbox.html", messages=list_messages(db.session))
