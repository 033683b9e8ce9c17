"""Clients in the JSON API beyond listing and adding them: one client, changing its rate or
contact, and the report of subsidised work.

Its routes join the pay API blueprint (imported at the end of api.py)."""

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.i18n import today as local_today
from coopnet.platform.context import require_officer
from coopnet.tenants.pay import schemas, subsidised, timesheets
from coopnet.tenants.pay.api import ERRORS, _day, blueprint


@blueprint.route("/subsidised-work", methods=["GET"])
@blueprint.response(200, schemas.SubsidisedWorkOut)
@document_errors(blueprint, 401, 403, 404, 422)
def subsidised_work():
    """Value given at reduced rates from ``from`` to ``to`` (default: this year so far): per client,
    billable hours at the full $150 less the rate charged, and the total (officers)."""
    require_officer()
    today = local_today()
    return subsidised.report(db.session, _day("from", today.replace(month=1, day=1)), _day("to", today))


@blueprint.route("/clients/<id:client_id>", methods=["GET"])
@blueprint.response(200, schemas.ClientOut)
@document_errors(blueprint, 401, 404)
def get_client(client_id):
    """One client and its sliding-scale rate."""
    return timesheets.get_client(db.session, client_id)


@blueprint.route("/clients/<id:client_id>", methods=["PUT"])
@blueprint.arguments(schemas.ClientEditIn)
@blueprint.response(200, schemas.ClientOut)
@document_errors(blueprint, *ERRORS)
def edit_client(data, client_id):
    """Change a client's name, rate (0.00 to 150.00), email or payment days; the fields sent change,
    and invoices already made keep their rate (officers)."""
    require_officer()
    client = timesheets.update_client(db.session, client_id, data)
    db.session.commit()
    return client
