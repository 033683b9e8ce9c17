"""The dashboard page of a tenant."""

from collections import Counter

from flask import g, render_template

from coopnet.extensions import db
from coopnet.platform import tenants
from coopnet.platform.context import tenant_blueprint
from coopnet.platform.roles import LABELS, ROLES

blueprint = tenant_blueprint("home", __name__, template_folder="templates")


@blueprint.get("/")
def dashboard():
    counts = Counter(membership.role for _, membership in tenants.members_of(db.session, g.tenant))
    return render_template("home/dashboard.html", counts=counts, roles=ROLES, labels=LABELS)
