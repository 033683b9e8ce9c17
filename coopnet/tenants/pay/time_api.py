"""Time in the JSON API beyond logging it: CSV import (preview first) and export, corrections
by the member or an officer, and the audit of who changed what.

Its routes join the pay API blueprint (imported at the end of api.py)."""

from datetime import date

from flask import Response, g
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.i18n import today as local_today
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import schemas, time_changes, time_csv, time_schemas
from coopnet.tenants.pay.api import ERRORS, _day, _id, blueprint


@blueprint.route("/time-entries/import", methods=["POST"])
@blueprint.arguments(time_schemas.TimeImportIn)
@blueprint.response(200, time_schemas.TimeImportOut)
@document_errors(blueprint, *ERRORS)
def import_time(data):
    """Time from CSV: ``preview`` names every bad row and writes nothing; an import writes every
    row or, if any row is bad, none (422 naming each line). Rows for someone else (an ``email``
    column) only from officers and admins."""
    officer = acts_as_officer()
    if data["preview"]:
        found = time_csv.preview(db.session, g.tenant, current_user.id, officer, data["csv"])
        db.session.rollback()
        return {**found, "imported": 0}
    ids = time_csv.import_time(db.session, g.tenant, current_user.id, officer, data["csv"])
    db.session.commit()
    return {"rows": len(ids), "imported": len(ids), "problems": {}}


@blueprint.route("/time-entries/export.csv", methods=["GET"])
@blueprint.response(200, description="Time as CSV, in the import's columns", content_type="text/csv")
@document_errors(blueprint, 401, 403, 404, 422)
def export_time():
    """Time from ``from`` to ``to`` (default: this year so far) as CSV: your own, or for officers
    everyone's (or one person's with ``account_id``)."""
    today = local_today()
    start, end = _day("from", today.replace(month=1, day=1)), _day("to", today)
    account_id = whose_time(_id("account_id"))
    return csv_response(time_csv.export(db.session, g.tenant, start, end, account_id), start, end)


@blueprint.route("/time-entries/<id:entry_id>", methods=["GET"])
@blueprint.response(200, schemas.TimeEntryOut)
@document_errors(blueprint, 401, 403, 404)
def get_time_entry(entry_id):
    """One entry: its member's own, or any for officers."""
    return time_changes.get_entry(db.session, entry_id, current_user.id, acts_as_officer())


@blueprint.route("/time-entries/<id:entry_id>", methods=["PUT"])
@blueprint.arguments(time_schemas.TimeEntryEditIn)
@blueprint.response(200, schemas.TimeEntryOut)
@document_errors(blueprint, *ERRORS)
def correct_time_entry(data, entry_id):
    """Correct an entry (the fields sent change): your own, or anyone's for officers; the change is
    kept with who, when, why and the entry before and after. 409 in a locked period or once invoiced."""
    entry = time_changes.correct(db.session, entry_id, current_user.id, acts_as_officer(), data)
    db.session.commit()
    return entry


@blueprint.route("/time-entries/<id:entry_id>", methods=["DELETE"])
@blueprint.arguments(time_schemas.TimeEntryRemoveIn, location="query")
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404, 409, 422)
def remove_time_entry(data, entry_id):
    """Remove an entry logged by mistake (``reason`` optional); the audit keeps what it was."""
    time_changes.remove(db.session, entry_id, current_user.id, acts_as_officer(), data["reason"])
    db.session.commit()


@blueprint.route("/time-entry-changes", methods=["GET"])
@blueprint.response(200, time_schemas.TimeEntryChangeListOut)
@document_errors(blueprint, 401, 403, 404)
def list_time_changes():
    """Who entered, changed or removed time, when, and before and after, newest first: your own
    time's, or for officers anyone's (``account_id``) or everyone's; ``entry_id`` narrows to one entry."""
    account_id = whose_time(_id("account_id"))
    entry_id = _id("entry_id")
    return {"changes": time_changes.changes(db.session, account_id, entry_id)}


def whose_time(asked: int | None) -> int | None:
    """The account whose time to show: a member's own; an officer's choice, or everyone's (None)."""
    if acts_as_officer():
        return asked
    if asked not in (None, current_user.id):
        require_officer()
    return current_user.id


def csv_response(text: str, start: date, end: date) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="time-{start.isoformat()}-{end.isoformat()}.csv"'},
    )
