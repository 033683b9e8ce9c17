"""Client pages: the clients and their sliding-scale rates (officers add and change them), and the
report of subsidised work (value given on the sliding scale).

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.forms import committed, submit
from coopnet.i18n import today as local_today
from coopnet.money import show
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import projects, subsidised, timesheets
from coopnet.tenants.pay.forms import ClientForm
from coopnet.tenants.pay.project_forms import ProjectForm
from coopnet.tenants.pay.views import blueprint


def _dates(today: date) -> tuple[date, date, dict]:
    """The period asked for in the query (default: this year so far), and problems by field."""
    found, problems = {}, {}
    for name, default in (("from", today.replace(month=1, day=1)), ("to", today)):
        try:
            found[name] = date.fromisoformat(request.args.get(name) or default.isoformat())
        except ValueError:
            found[name], problems[name] = default, _("A date such as 2026-03-01.")
    return found["from"], found["to"], problems


@blueprint.get("/subsidised-work")
def subsidised_work():
    require_officer()
    start, end, problems = _dates(local_today())
    report = None
    if not problems:
        try:
            report = subsidised.report(db.session, start, end)
        except ValidationFailed as error:
            problems = error.fields
    page = render_template("pay/subsidised.html", report=report, start=start, end=end, problems=problems)
    return page, 422 if problems else 200


def _sent(form) -> dict:
    values = {"name": form.name.data or "", "hourly_rate": form.hourly_rate.data or "", "email": form.email.data or ""}
    if form.payment_days.data is not None:
        values["payment_days"] = form.payment_days.data
    return values


@blueprint.route("/clients", methods=["GET", "POST"])
def client_list():
    """Every member sees the clients and their rates; officers add them."""
    officer = acts_as_officer()
    form = ClientForm()
    if form.is_submitted():
        require_officer()
    result = submit(form, committed(timesheets.create_client, db.session, _sent(form)))
    if result.ok:
        flash(_("%(name)s is a client now.", name=result.value.name), "success")
        return redirect(url_for("pay.client_list"))
    page = render_template("pay/clients.html", clients=timesheets.clients(db.session), form=form, officer=officer)
    return page, result.status


@blueprint.route("/clients/<id:client_id>", methods=["GET", "POST"])
def client_page(client_id):
    require_officer()
    client = timesheets.get_client(db.session, client_id)
    form = ClientForm(obj=client)
    if not form.is_submitted():
        form.hourly_rate.data = show(client.hourly_rate)
    result = submit(form, committed(timesheets.update_client, db.session, client_id, _sent(form)))
    if result.ok:
        flash(_("%(name)s is saved.", name=result.value.name), "success")
        return redirect(url_for("pay.client_list"))
    page = render_template(
        "pay/client.html",
        client=client,
        form=form,
        projects=projects.projects(db.session, client_id),
        project_form=ProjectForm(formdata=None),
    )
    return page, result.status
