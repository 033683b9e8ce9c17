"""The salary year page: running balances of hours and leave, leave taken, closing a year.

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet.days import year_from_text
from coopnet.errors import ServiceError
from coopnet.extensions import db
from coopnet.forms import committed, problems, submit
from coopnet.i18n import today
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import adjustments, salary
from coopnet.tenants.pay.forms import CloseYearForm, LeaveForm
from coopnet.tenants.pay.salary_api import balances_for_viewer
from coopnet.tenants.pay.views import blueprint


def _year() -> int:
    return year_from_text(request.args.get("year")) or today().year


@blueprint.route("/salary", methods=["GET", "POST"])
def salary_page():
    year = _year()
    officer = acts_as_officer()
    form = LeaveForm()
    names = adjustments.members(db.session, g.tenant)
    mine = {current_user.id: names.get(current_user.id, "")}
    form.account_id.choices = [SelectChoice(a, n) for a, n in (names if officer else mine).items()]
    values = {
        "account_id": form.account_id.data or current_user.id,
        "taken_on": form.taken_on.data.isoformat() if form.taken_on.data else None,
        "minutes": form.minutes.data,
        "note": form.note.data or "",
    }
    result = submit(form, committed(salary.record_leave, db.session, g.tenant, current_user.id, officer, values))
    if result.ok:
        flash(_("Leave recorded."), "success")
        return redirect(url_for("pay.salary_page", year=year))
    try:
        found, problem = balances_for_viewer(year, None), None
    except ServiceError as error:
        db.session.rollback()
        found, problem = None, error.message
    page = render_template(
        "pay/salary.html",
        year=year,
        found=found,
        problem=problem,
        form=form,
        officer=officer,
        close_form=CloseYearForm(formdata=None),
        closed=salary.year_ends(db.session, year) if officer else [],
        names=names,
        over=today() > (found["to"] if found else date.max),
    )
    return page, result.status


@blueprint.post("/salary/close")
def close_salary_year():
    require_officer()
    year = _year()
    form = CloseYearForm()
    action = committed(
        salary.close_year,
        db.session,
        g.tenant,
        current_user.id,
        year,
        form.shortfall.data,
        form.surplus_hours.data,
    )
    result = submit(form, action)
    flash(
        _("The salary year %(year)s is closed.", year=year) if result.ok else problems(form),
        "success" if result.ok else "error",
    )
    return redirect(url_for("pay.salary_page", year=year))
