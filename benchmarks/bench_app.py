"""The app as gunicorn serves it in benchmarks/tenancy.py, plus one baseline page.

`/plain/invitations` is the tenant page's twin without tenancy: the same query,
the same response schema and the same token auth, but on a table in the shared
schema, with no slug to resolve, no membership to check, no schema to bind."""

from flask_login import login_required
from sqlalchemy import select

from coopnet import create_app
from coopnet.api import api_blueprint
from coopnet.extensions import db
from coopnet.tenants.membership.models import Invitation
from coopnet.tenants.membership.schemas import InvitationListOut

plain = api_blueprint("plain", __name__, "/plain", "benchmark baseline")


@plain.route("/invitations", methods=["GET"])
@plain.response(200, InvitationListOut)
@login_required
def plain_invitations():
    engine = db.engine.execution_options(schema_translate_map={"tenant": "bench_plain"})
    rows = db.session.scalars(
        select(Invitation).order_by(Invitation.created_at.desc()), bind_arguments={"bind": engine}
    ).all()
    return {"invitations": rows}


app = create_app()
app.extensions["coopnet.api"].register_blueprint(plain)
