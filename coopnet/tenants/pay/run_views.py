"""Pay run pages: the runs and their totals, starting one for a period, reviewing each member's
line with the hours behind it, and finalising it (which locks the period).

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.i18n import day
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import adjustments, payroll
from coopnet.tenants.pay.forms import PayRunForm
from coopnet.tenants.pay.views import blueprint


@blueprint.route("/pay-runs", methods=["GET", "POST"])
def pay_run_list():
    """Every member sees the runs and their totals; officers start one for a period."""
    officer = acts_as_officer()
    form = PayRunForm()
    if form.is_submitted():
        require_officer()
    start = form.period_start.data.isoformat() if form.period_start.data else None
    end = form.period_end.data.isoformat() if form.period_end.data else None
    result = submit(form, committed(payroll.start_run, db.session, g.tenant, current_user.id, start, end))
    if result.ok:
        flash(
            _(
                "Pay for %(start)s to %(end)s is computed: review it, then finalise it.",
                start=day(result.value.period_start),
                end=day(result.value.period_end),
            ),
            "success",
        )
        return redirect(url_for("pay.pay_run_page", run_id=result.value.id))
    page = render_template("pay/pay_runs.html", runs=payroll.runs(db.session), form=form, officer=officer)
    return page, result.status


@blueprint.get("/pay-runs/<id:run_id>")
def pay_run_page(run_id):
    """A run's lines with the hours and rates behind each (officers, as in the API)."""
    require_officer()
    return render_template(
        "pay/pay_run.html",
        run=payroll.get_run(db.session, run_id),
        names=adjustments.members(db.session, g.tenant),
        finalise_form=EmptyForm(),
    )


@blueprint.post("/pay-runs/<id:run_id>/finalise")
def finalise_pay_run(run_id):
    require_officer()
    form = EmptyForm()
    result = submit(form, committed(payroll.finalise, db.session, g.tenant, run_id))
    flash(
        _("The pay run is final: its period is locked.") if result.ok else problems(form),
        "success" if result.ok else "error",
    )
    return redirect(url_for("pay.pay_run_page", run_id=run_id))
