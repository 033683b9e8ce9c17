"""Subcontracts between co-ops in the JSON API, under /c/<co-op>/api/v1: both parties
see the subcontract, its hours and status; any other co-op gets a 404."""

from flask import g
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.network import presenting, schemas, subcontracts
from coopnet.network.api import ERRORS, blueprint, serves


def _role():
    return g.membership.role


@blueprint.route("/subcontracts", methods=["GET"])
@blueprint.response(200, schemas.SubcontractListOut)
@document_errors(blueprint, 401, 404)
@serves("coop")
def list_subcontracts():
    """Subcontracts this co-op gave or took, newest first."""
    found = subcontracts.listing(db.session, g.tenant.id)
    return {"subcontracts": [presenting.subcontract(db.session, s) for s in found]}


@blueprint.route("/subcontracts", methods=["POST"])
@blueprint.arguments(schemas.SubcontractIn)
@blueprint.response(201, schemas.SubcontractOut)
@document_errors(blueprint, *ERRORS)
@serves("coop")
def offer_subcontract(data):
    """Offer another co-op a subcontract: scope, client, hourly rate or fixed price, hour cap, dates (admins)."""
    found = subcontracts.offer(db.session, g.tenant, current_user.id, _role(), data)
    db.session.commit()
    return presenting.subcontract(db.session, found)


@blueprint.route("/subcontracts/<id:subcontract_id>", methods=["GET"])
@blueprint.response(200, schemas.SubcontractOut)
@document_errors(blueprint, 401, 404)
@serves("coop")
def get_subcontract(subcontract_id):
    """A subcontract with its published hours; only its two co-ops can see it."""
    return presenting.subcontract(db.session, subcontracts.visible(db.session, g.tenant.id, subcontract_id))


def _decide(subcontract_id, accept, reason=""):
    found = subcontracts.decide(db.session, g.tenant, subcontract_id, _role(), accept, reason)
    db.session.commit()
    return presenting.subcontract(db.session, found)


@blueprint.route("/subcontracts/<id:subcontract_id>/accept", methods=["POST"])
@blueprint.response(200, schemas.SubcontractOut)
@document_errors(blueprint, 401, 403, 404, 409, 415)
@serves("coop")
def accept_subcontract(subcontract_id):
    """The subcontracted co-op's admins accept."""
    return _decide(subcontract_id, True)


@blueprint.route("/subcontracts/<id:subcontract_id>/decline", methods=["POST"])
@blueprint.arguments(schemas.ReasonIn)
@blueprint.response(200, schemas.SubcontractOut)
@document_errors(blueprint, *ERRORS)
@serves("coop")
def decline_subcontract(data, subcontract_id):
    """The subcontracted co-op's admins decline, with a reason."""
    return _decide(subcontract_id, False, data["reason"])


@blueprint.route("/subcontracts/<id:subcontract_id>/hours", methods=["POST"])
@blueprint.arguments(schemas.SubcontractHoursIn)
@blueprint.response(201, schemas.SubcontractHoursOut)
@document_errors(blueprint, *ERRORS)
@serves("coop")
def log_hours(data, subcontract_id):
    """A member of the subcontracted co-op logs time in its own timesheet and submits it into the
    shared subcontract; refused over the hour cap."""
    entry = subcontracts.log_hours(
        db.session,
        g.tenant,
        subcontract_id,
        current_user.id,
        _role(),
        data["worked_on"],
        data["hours"],
        data["note"],
    )
    db.session.commit()
    return _hours(entry)


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/from-timesheet", methods=["POST"])
@blueprint.arguments(schemas.TimesheetPublishIn)
@blueprint.response(201, schemas.SubcontractHoursListOut)
@document_errors(blueprint, *ERRORS)
@serves("coop")
def publish_from_timesheet(data, subcontract_id):
    """The subcontracted co-op's admin publishes the time its members logged in its own pay
    timesheet for one of its clients, within the subcontract's dates: per person and day,
    only what was not published before; all within the hour cap or nothing (422 over_cap)."""
    rows = subcontracts.publish_from_timesheet(db.session, g.tenant, subcontract_id, _role(), data["client_id"])
    db.session.commit()
    return {"hours": [_hours(row) for row in rows]}


def _hours(entry):
    return {
        "id": entry.id,
        "worked_on": entry.worked_on,
        "hours": f"{entry.hours:.2f}",
        "note": entry.note,
        "status": entry.status,
        "query_note": entry.query_note,
    }


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/<id:hours_id>/approve", methods=["POST"])
@blueprint.response(200, schemas.SubcontractHoursOut)
@document_errors(blueprint, 401, 403, 404, 409, 415)
@serves("coop")
def approve_hours(subcontract_id, hours_id):
    """The contracting co-op approves submitted hours."""
    entry = subcontracts.decide_hours(db.session, g.tenant, subcontract_id, hours_id, current_user.id, _role(), True)
    db.session.commit()
    return _hours(entry)


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/<id:hours_id>/query", methods=["POST"])
@blueprint.arguments(schemas.NoteIn)
@blueprint.response(200, schemas.SubcontractHoursOut)
@document_errors(blueprint, *ERRORS)
@serves("coop")
def query_hours(data, subcontract_id, hours_id):
    """The contracting co-op queries submitted hours, saying what is unclear."""
    entry = subcontracts.decide_hours(
        db.session, g.tenant, subcontract_id, hours_id, current_user.id, _role(), False, data["note"]
    )
    db.session.commit()
    return _hours(entry)


@blueprint.route("/subcontracts/<id:subcontract_id>/invoice", methods=["POST"])
@blueprint.response(200, schemas.SubcontractOut)
@document_errors(blueprint, 401, 403, 404, 409, 415)
@serves("coop")
def invoice_subcontract(subcontract_id):
    """The subcontracted co-op invoices the approved hours at the rate (or the fixed price)."""
    found = subcontracts.invoice(db.session, g.tenant, subcontract_id, _role())
    db.session.commit()
    return presenting.subcontract(db.session, found)


@blueprint.route("/subcontracts/<id:subcontract_id>/paid", methods=["POST"])
@blueprint.response(200, schemas.SubcontractOut)
@document_errors(blueprint, 401, 403, 404, 409, 415)
@serves("coop")
def mark_paid(subcontract_id):
    """The contracting co-op marks the invoice paid."""
    found = subcontracts.mark_paid(db.session, g.tenant, subcontract_id, _role())
    db.session.commit()
    return presenting.subcontract(db.session, found)


@blueprint.route("/subcontracts/<id:subcontract_id>/timesheet", methods=["GET"])
@blueprint.response(200, schemas.TimesheetOut)
@document_errors(blueprint, 401, 403, 404)
@serves("coop")
def timesheet(subcontract_id):
    """The subcontracted co-op's own timesheet entries for it, as kept in its own schema."""
    found = subcontracts.visible(db.session, g.tenant.id, subcontract_id)
    subcontracts.require_subcontractor(found, g.tenant.id, "read its timesheet")
    return {"entries": [_hours_entry(e) for e in subcontracts.my_timesheet(db.session, found.id)]}


def _hours_entry(entry):
    return {
        "id": entry.id,
        "worked_on": entry.worked_on,
        "hours": f"{entry.hours:.2f}",
        "note": entry.note,
        "status": entry.status,
        "query_note": "",
    }
