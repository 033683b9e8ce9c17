"""The co-op's own pages under /c/<slug>/ (and <slug>.<PLATFORM_DOMAIN>/)."""
from flask import g, render_template

from coopnet.extensions import db
from coopnet.platform import tenants
from coopnet.platform.context import tenant_blueprint
from coopnet.tenants.membership import views as membership_views
from coopnet.tenants.outbox import views as outbox_views

blueprint = tenant_blueprint("tenant", __name__)


@blueprint.get("/")
def dashboard():
    rows = tenants.members_of(db.session, g.tenant)
    counts = {}
    for _, membership in rows:
        counts[membership.role] = counts.get(membership.role, 0) + 1
    return render_template("tenants/dashboard.html", counts=counts, total=len(rows))


membership_views.register(blueprint)
outbox_views.register(blueprint)
