"""Subcontract pages for a co-op: offer one, and follow it (accept, hours, approve or query,
invoice, paid). The same services as the JSON API; only the two co-ops see a subcontract."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from coopnet.extensions import db
from coopnet.forms import EmptyForm, submit
from coopnet.network import presenting, subcontracts
from coopnet.network.views import blueprint, coop_only
from coopnet.platform.context import has_role


class SubcontractForm(FlaskForm):
    to = StringField(_l("Co-op (its address)"))
    scope = TextAreaField(_l("Scope of the work"))
    client = StringField(_l("Client (optional)"))
    rate = StringField(_l("Hourly rate"), description=_l('For example "95.00"; leave empty for a fixed price'))
    fixed_price = StringField(_l("Fixed price"), description=_l("Instead of an hourly rate"))
    hour_cap = StringField(_l("Hour cap"))
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on"), validators=[Optional()])


class HoursForm(FlaskForm):
    worked_on = DateField(_l("Day worked"), validators=[Optional()])
    hours = StringField(_l("Hours"))
    note = StringField(_l("Note"))


class QueryForm(FlaskForm):
    note = StringField(_l("What is unclear?"))


def _role():
    return g.membership.role


@blueprint.route("/subcontracts/new", methods=["GET", "POST"])
def offer_subcontract():
    coop_only()
    form = SubcontractForm()

    def offer():
        values = {f.name: f.data for f in form if f.name != "csrf_token"}
        values["rate"], values["fixed_price"] = values["rate"] or None, values["fixed_price"] or None
        found = subcontracts.offer(db.session, g.tenant, current_user.id, _role(), values)
        db.session.commit()
        return found

    result = submit(form, offer)
    if result.ok:
        flash(_("Subcontract offered; the other co-op's admins can accept it."), "success")
        return redirect(url_for("network.subcontract_page", subcontract_id=result.value.id))
    return render_template("network/subcontract_new.html", form=form), result.status


@blueprint.route("/subcontracts/<id:subcontract_id>", methods=["GET"])
def subcontract_page(subcontract_id):
    coop_only()
    found = subcontracts.visible(db.session, g.tenant.id, subcontract_id)
    return render_template(
        "network/subcontract.html",
        subcontract=presenting.subcontract(db.session, found),
        we_deliver=found.subcontractor_id == g.tenant.id,
        form=EmptyForm(),
        hours_form=HoursForm(),
        query_form=QueryForm(),
        timesheet_form=_timesheet_form() if found.subcontractor_id == g.tenant.id and has_role("admin") else None,
    )


class TimesheetForm(FlaskForm):
    client_id = SelectField(_l("The client in our timesheet that stands for this subcontract"), coerce=int)


def _timesheet_form():
    from coopnet.tenants.pay.timesheets import clients

    form = TimesheetForm()
    form.client_id.choices = [SelectChoice(c.id, c.name) for c in clients(db.session)]
    return form


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/from-timesheet", methods=["POST"])
def publish_from_timesheet(subcontract_id):
    form = _timesheet_form()
    args = (db.session, g.tenant, subcontract_id, _role(), form.client_id.data)
    action = _committed(subcontracts.publish_from_timesheet, *args)
    return _act(subcontract_id, form, action, _("The timesheet's new hours are submitted."))


def _act(subcontract_id, form, action, done):
    coop_only()
    result = submit(form, action)
    if result.ok:
        flash(done, "success")
    else:
        problems = [*form.form_errors, *(e for f in form for e in f.errors)]
        flash(" ".join(problems) or _("That did not work."), "error")
    return redirect(url_for("network.subcontract_page", subcontract_id=subcontract_id))


def _committed(fn, *args):
    def run():
        value = fn(*args)
        db.session.commit()
        return value

    return run


@blueprint.route("/subcontracts/<id:subcontract_id>/accept", methods=["POST"])
def accept_subcontract(subcontract_id):
    action = _committed(subcontracts.decide, db.session, g.tenant, subcontract_id, _role(), True)
    return _act(subcontract_id, EmptyForm(), action, _("Accepted."))


class DeclineForm(FlaskForm):
    reason = StringField(_l("Reason"))


@blueprint.route("/subcontracts/<id:subcontract_id>/decline", methods=["POST"])
def decline_subcontract(subcontract_id):
    form = DeclineForm()
    args = (db.session, g.tenant, subcontract_id, _role(), False, form.reason.data or "")
    return _act(subcontract_id, form, _committed(subcontracts.decide, *args), _("Declined."))


@blueprint.route("/subcontracts/<id:subcontract_id>/hours", methods=["POST"])
def log_hours(subcontract_id):
    form = HoursForm()
    args = (db.session, g.tenant, subcontract_id, current_user.id, _role())
    action = _committed(subcontracts.log_hours, *args, form.worked_on.data, form.hours.data, form.note.data or "")
    return _act(subcontract_id, form, action, _("Hours logged in our timesheet and submitted."))


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/<id:hours_id>/approve", methods=["POST"])
def approve_hours(subcontract_id, hours_id):
    args = (db.session, g.tenant, subcontract_id, hours_id, current_user.id, _role(), True)
    return _act(subcontract_id, EmptyForm(), _committed(subcontracts.decide_hours, *args), _("Hours approved."))


@blueprint.route("/subcontracts/<id:subcontract_id>/hours/<id:hours_id>/query", methods=["POST"])
def query_hours(subcontract_id, hours_id):
    form = QueryForm()
    args = (db.session, g.tenant, subcontract_id, hours_id, current_user.id, _role(), False, form.note.data or "")
    return _act(subcontract_id, form, _committed(subcontracts.decide_hours, *args), _("Hours queried."))


@blueprint.route("/subcontracts/<id:subcontract_id>/invoice", methods=["POST"])
def invoice(subcontract_id):
    action = _committed(subcontracts.invoice, db.session, g.tenant, subcontract_id, _role())
    return _act(subcontract_id, EmptyForm(), action, _("Invoiced."))


@blueprint.route("/subcontracts/<id:subcontract_id>/paid", methods=["POST"])
def mark_paid(subcontract_id):
    action = _committed(subcontracts.mark_paid, db.session, g.tenant, subcontract_id, _role())
    return _act(subcontract_id, EmptyForm(), action, _("Marked paid."))
