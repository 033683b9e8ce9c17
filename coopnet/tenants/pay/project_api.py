"""Projects, expenses and the computed net surplus in the JSON API.

Its routes join the pay API blueprint (imported at the end of api.py)."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.days import year_from_text
from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.platform.context import require_officer
from coopnet.tenants.pay import expenses, net_surplus, project_schemas, projects, timesheets
from coopnet.tenants.pay.api import ERRORS, blueprint


def _year(required: bool) -> int | None:
    """``fiscal_year`` from the query, such as 2026."""
    value = request.args.get("fiscal_year")
    if value is None and not required:
        return None
    year = year_from_text(value)
    if year is not None:
        return year
    raise ValidationFailed(_("Which fiscal year?"), {"fiscal_year": _("A year such as 2026.")})


@blueprint.route("/clients/<id:client_id>/projects", methods=["GET"])
@blueprint.response(200, project_schemas.ProjectListOut)
@document_errors(blueprint, 401, 404)
def list_projects(client_id):
    """A client's projects, archived ones too."""
    timesheets.get_client(db.session, client_id)
    return {"projects": projects.projects(db.session, client_id)}


@blueprint.route("/clients/<id:client_id>/projects", methods=["POST"])
@blueprint.arguments(project_schemas.ProjectIn)
@blueprint.response(201, project_schemas.ProjectOut)
@document_errors(blueprint, *ERRORS)
def add_project(data, client_id):
    """Add a project for a client; its name is the client's only one of that name (officers)."""
    require_officer()
    project = projects.create_project(db.session, client_id, data)
    db.session.commit()
    return project


@blueprint.route("/clients/<id:client_id>/projects/<id:project_id>", methods=["PATCH"])
@blueprint.arguments(project_schemas.ProjectEditIn)
@blueprint.response(200, project_schemas.ProjectOut)
@document_errors(blueprint, *ERRORS)
def edit_project(data, client_id, project_id):
    """Rename a project, or archive it (it then takes no new time) or bring it back (officers)."""
    require_officer()
    project = projects.update_project(db.session, client_id, project_id, data)
    db.session.commit()
    return project


@blueprint.route("/expenses", methods=["GET"])
@blueprint.response(200, project_schemas.ExpenseListOut)
@document_errors(blueprint, 401, 404, 422)
def list_expenses():
    """The co-op's expenses, the latest first: a fiscal year's (``fiscal_year=2026``) or every one."""
    year = _year(required=False)
    total, found = expenses.listing(db.session, year)
    return {"fiscal_year": year, "total": total, "expenses": found}


@blueprint.route("/expenses", methods=["POST"])
@blueprint.arguments(project_schemas.ExpenseIn)
@blueprint.response(201, project_schemas.ExpenseOut)
@document_errors(blueprint, *ERRORS)
def record_expense(data):
    """Record an expense: the amount above 0.00 as a string; 409 once its year's surplus is split (officers)."""
    require_officer()
    expense = expenses.record(db.session, current_user.id, data)
    db.session.commit()
    return expense


@blueprint.route("/expenses/<id:expense_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404, 409)
def remove_expense(expense_id):
    """Remove an expense entered by mistake; 409 once its year's surplus is split (officers)."""
    require_officer()
    expenses.remove(db.session, expense_id)
    db.session.commit()


@blueprint.route("/surplus-allocations/net", methods=["GET"])
@blueprint.response(200, project_schemas.NetSurplusOut)
@document_errors(blueprint, 401, 404, 422)
def net_surplus_of_year():
    """A fiscal year's net surplus from the books (``fiscal_year=2026``): invoices paid in it, less
    the gross pay of final pay runs ending in it, less its expenses."""
    return net_surplus.as_json(net_surplus.compute(db.session, _year(required=True)))
