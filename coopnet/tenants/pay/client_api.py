"""Clients in the JSON API beyond listing and adding them: the report of subsidised work.

Its routes join the pay API blueprint (imported at the end of api.py)."""

from datetime import date

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.platform.context import require_officer
from coopnet.tenants.pay import schemas, subsidised
from coopnet.tenants.pay.api import _day, blueprint


@blueprint.route("/subsidised-work", methods=["GET"])
@blueprint.response(200, schemas.SubsidisedWorkOut)
@document_errors(blueprint, 401, 403, 404, 422)
def subsidised_work():
    """Value given at reduced rates from ``from`` to ``to`` (default: this year so far): per client,
    billable hours at the full $150 less the rate charged, and the total (officers)."""
    require_officer()
    today = date.today()
    return subsidised.report(db.session, _day("from", today.replace(month=1, day=1)), _day("to", today))
