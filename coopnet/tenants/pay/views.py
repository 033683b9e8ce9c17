"""Pay pages: a week's timesheet quick to fill on a phone, and a member's capital statement with a chart."""

from datetime import date, timedelta

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.extensions import db
from coopnet.forms import committed, submit
from coopnet.i18n import day
from coopnet.platform.context import acts_as_officer, tenant_blueprint
from coopnet.tenants.pay import charts, surplus, timesheets
from coopnet.tenants.pay.forms import TimeForm

blueprint = tenant_blueprint("pay", __name__, template_folder="templates")


@blueprint.route("/time", methods=["GET", "POST"])
def timesheet():
    form = TimeForm()
    form.kind.choices = [(k.key, k.label) for k in timesheets.kinds(db.session)]
    values = {
        "worked_on": form.worked_on.data.isoformat() if form.worked_on.data else None,
        "minutes": form.minutes.data,
        "kind": form.kind.data,
        "billable": form.billable.data,
        "note": form.note.data or "",
    }
    result = submit(
        form, committed(timesheets.log_time, db.session, g.tenant, current_user.id, acts_as_officer(), values)
    )
    if result.ok:
        flash(
            _("Logged %(minutes)s minutes on %(day)s.", minutes=form.minutes.data, day=day(values["worked_on"])),
            "success",
        )
        return redirect(url_for("pay.timesheet"))
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    week = timesheets.entries(db.session, current_user.id, monday, monday + timedelta(days=6))
    db.session.commit()  # the default kinds of work, on a co-op's first visit
    page = render_template(
        "pay/timesheet.html", form=form, week=week, monday=monday, total=sum(e.minutes for e in week)
    )
    return page, result.status


@blueprint.get("/capital")
def capital():
    balance, entries = surplus.capital_account(db.session, current_user.id)
    return render_template("pay/capital.html", balance=balance, entries=entries, chart=charts.balance_svg(entries))
