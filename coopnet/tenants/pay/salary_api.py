"""The salary year in the JSON API: running balances of hours and leave, leave taken, and
closing a year as the co-op decided.

Its routes join the pay API blueprint (imported at the end of api.py)."""

from datetime import date

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.days import year_from_text
from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.i18n import today
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import salary, time_schemas
from coopnet.tenants.pay.api import ERRORS, _day, _id, blueprint
from coopnet.tenants.pay.time_api import whose_time


def _year() -> int:
    value = request.args.get("year")
    year = today().year if value is None else year_from_text(value)
    if year is None:
        raise ValidationFailed(_("Which year?"), {"year": _("A year such as 2026.")})
    return year


def balances_for_viewer(year: int, on: date | None) -> dict:
    """Officers see everyone's balance; a member sees their own."""
    found = salary.balances(db.session, g.tenant, year, on)
    if not acts_as_officer():
        found["members"] = [row for row in found["members"] if row["account_id"] == current_user.id]
    return found


@blueprint.route("/salary-balances", methods=["GET"])
@blueprint.response(200, time_schemas.SalaryBalancesOut)
@document_errors(blueprint, 401, 404, 409, 422)
def salary_balances():
    """Hours over or under the salary's yearly commitment so far (``on``, default today) in the
    fiscal ``year`` (default this one), with leave taken and left: your own, or everyone's for
    officers. 409 ``no_salary_policy`` when the co-op is not on a salary."""
    return balances_for_viewer(_year(), _day("on", None))


@blueprint.route("/leave", methods=["GET"])
@blueprint.response(200, time_schemas.LeaveListOut)
@document_errors(blueprint, 401, 403, 404, 422)
def list_leave():
    """Paid leave taken in the fiscal ``year``: your own, or for officers anyone's or everyone's."""
    start, end = salary.year_bounds(db.session, salary.a_year(_year()))
    account_id = whose_time(_id("account_id"))
    return {"leave": salary.leave_taken(db.session, start, end, account_id)}


@blueprint.route("/leave", methods=["POST"])
@blueprint.arguments(time_schemas.LeaveIn)
@blueprint.response(201, time_schemas.LeaveOut)
@document_errors(blueprint, *ERRORS)
def record_leave(data):
    """Record paid leave taken on a day; ``account_id`` other than your own only for officers."""
    leave = salary.record_leave(db.session, g.tenant, current_user.id, acts_as_officer(), data)
    db.session.commit()
    return leave


@blueprint.route("/salary-year-ends", methods=["GET"])
@blueprint.response(200, time_schemas.SalaryYearEndListOut)
@document_errors(blueprint, 401, 403, 404, 422)
def list_year_ends():
    """How a closed salary ``year`` was settled, member by member (officers)."""
    require_officer()
    year = _year()
    return {"year": year, "members": salary.year_ends(db.session, year)}


@blueprint.route("/salary-year-ends", methods=["POST"])
@blueprint.arguments(time_schemas.SalaryYearEndIn)
@blueprint.response(201, time_schemas.SalaryYearEndListOut)
@document_errors(blueprint, *ERRORS)
def close_salary_year(data):
    """Close a salary year once it is over, as the co-op decided: a shortfall ``repay`` (owed at the
    salary's hourly value) or ``carry`` (hours owed next year); surplus hours ``carry`` or ``drop``
    (officers). 409 ``year_not_over``, ``year_closed``."""
    require_officer()
    closed = salary.close_year(
        db.session, g.tenant, current_user.id, data["year"], data["shortfall"], data["surplus_hours"]
    )
    db.session.commit()
    return {"year": data["year"], "members": closed}
