"""The app as gunicorn serves it in benchmarks/tenancy.py, plus two baseline pages.

`/api/v1/plain/invitations` is the tenant page's twin without tenancy: the same ORM query,
the same response schema and the same token auth, on the session's own connection
(the one the login query already began), but on a table mapped to a fixed schema
`bench_plain`: no slug to resolve, no membership to check, no schema to translate.

`/api/v1/plain-second-engine/invitations` is the baseline used up to issue 13: it ran the
query on a second `Engine`, so each request checked out a second pooled connection
with its own pre-ping. It made the tenant page look better than it is; it is kept
only to report the old figure next to the fair one.

Both are under /api/v1 (they were under /plain before): a token is accepted on API paths only."""

from flask_login import login_required
from sqlalchemy import MetaData, event, select
from sqlalchemy.orm import DeclarativeBase

from coopnet import create_app
from coopnet.api import api_blueprint
from coopnet.database import NAMING_CONVENTION
from coopnet.extensions import db
from coopnet.pool import SERVED, wanted_schema
from coopnet.tenants.membership.models import Invitation
from coopnet.tenants.membership.schemas import InvitationListOut

PLAIN_SCHEMA = "bench_plain"


class PlainBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PlainInvitation(PlainBase):
    """The invitations table, at a fixed schema: what a single-tenant app would map."""

    __table__ = Invitation.__table__.to_metadata(PlainBase.metadata, schema=PLAIN_SCHEMA)


plain = api_blueprint("plain", __name__, "/api/v1/plain", "benchmark baseline")
second_engine = api_blueprint("plain_second_engine", __name__, "/api/v1/plain-second-engine", "old benchmark baseline")


@plain.route("/invitations", methods=["GET"])
@plain.response(200, InvitationListOut)
@login_required
def plain_invitations():
    rows = db.session.scalars(select(PlainInvitation).order_by(PlainInvitation.created_at.desc())).all()
    return {"invitations": rows}


@second_engine.route("/invitations", methods=["GET"])
@second_engine.response(200, InvitationListOut)
@login_required
def plain_invitations_second_engine():
    engine = db.engine.execution_options(schema_translate_map={"tenant": PLAIN_SCHEMA})
    rows = db.session.scalars(
        select(Invitation).order_by(Invitation.created_at.desc()), bind_arguments={"bind": engine}
    ).all()
    return {"invitations": rows}


@plain.route("/checkouts", methods=["GET"])
def checkouts():
    """How often a tenant request's connection had served that tenant before."""
    return dict(CHECKOUTS)


CHECKOUTS = {"served before": 0, "new to the connection": 0}


def count_checkouts(dbapi_connection, record, proxy):
    wanted = wanted_schema.get()
    if wanted is not None:
        CHECKOUTS["served before" if wanted in record.info.get(SERVED, ()) else "new to the connection"] += 1


app = create_app()
app.extensions["coopnet.api"].register_blueprint(plain)
app.extensions["coopnet.api"].register_blueprint(second_engine)
with app.app_context():
    event.listen(db.engine, "checkout", count_checkouts)
