"""Pay pages: a week's timesheet quick to fill on a phone, a member's capital statement with a chart,
and the officers' invoices and pay adjustments."""

from datetime import date, timedelta

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.i18n import day
from coopnet.i18n import today as local_today
from coopnet.platform.context import acts_as_officer, require_officer, tenant_blueprint
from coopnet.tenants.pay import adjustments, charts, invoices, payroll, projects, surplus, time_changes, timesheets
from coopnet.tenants.pay.forms import AdjustmentForm, InvoiceForm, PaidForm, TimeForm

blueprint = tenant_blueprint("pay", __name__, template_folder="templates")


@blueprint.route("/time", methods=["GET", "POST"])
def timesheet():
    return time_page(current_user.id)


def time_page(account_id: int, person: str | None = None):
    """A member's week of time (``?week=`` any day of it), with a form to log more and the changes
    made to their time; ``person`` names them when an officer keeps someone else's timesheet."""
    form = TimeForm()
    form.kind.choices = [SelectChoice(k.key, k.label) for k in timesheets.kinds(db.session)]
    form.project_id.choices = project_choices(_("No project"), active_only=True)
    values = {
        "worked_on": form.worked_on.data.isoformat() if form.worked_on.data else None,
        "minutes": form.minutes.data,
        "kind": form.kind.data,
        "billable": form.billable.data,
        "project_id": chosen(form.project_id.data),
        "note": form.note.data or "",
        "account_id": account_id,
    }
    result = submit(
        form, committed(timesheets.log_time, db.session, g.tenant, current_user.id, acts_as_officer(), values)
    )
    if result.ok:
        flash(
            _("Logged %(minutes)s minutes on %(day)s.", minutes=form.minutes.data, day=day(values["worked_on"])),
            "success",
        )
        return redirect(request.full_path)
    try:
        shown = date.fromisoformat(request.args.get("week") or "")
    except ValueError:
        shown = local_today()
    if not date.min + timedelta(days=14) <= shown <= date.max - timedelta(days=14):
        shown = local_today()  # the week's links to the weeks before and after stay in the calendar
    monday = shown - timedelta(days=shown.weekday())
    week = timesheets.entries(db.session, account_id, monday, monday + timedelta(days=6))
    db.session.commit()  # the default kinds of work, on a co-op's first visit
    page = render_template(
        "pay/timesheet.html",
        form=form,
        week=week,
        monday=monday,
        previous_week=monday - timedelta(days=7),
        next_week=monday + timedelta(days=7),
        total=sum(e.minutes for e in week),
        person=person,
        account_id=account_id,
        changes=time_changes.changes(db.session, account_id, limit=20),
        names=adjustments.members(db.session, g.tenant),
        officer=acts_as_officer(),
    )
    return page, result.status


@blueprint.get("/capital")
def capital():
    balance, entries = surplus.capital_account(db.session, current_user.id)
    return render_template(
        "pay/capital.html",
        balance=balance,
        entries=entries,
        chart=charts.balance_svg(entries),
        officer=acts_as_officer(),
    )


@blueprint.get("/capital/members")
def capital_members():
    """Every member's capital account and the collective reserve, with the latest year's
    hours and allocation (officers)."""
    require_officer()
    balances, reserve = surplus.capital_balances(db.session)
    names = adjustments.members(db.session, g.tenant)
    latest = surplus.latest_allocation(db.session)
    named = {**names, **{k: names.get(k, "?") for k in balances}}
    return render_template(
        "pay/capital_members.html",
        rows=sorted(((named[k], k, v) for k, v in balances.items()), key=lambda r: r[0].casefold()),
        reserve=reserve,
        total=sum(balances.values()) + reserve,
        latest=latest,
        chart=charts.hours_and_allocation_svg(latest.members, named) if latest else "",
    )


def _iso(value):
    return value.isoformat() if value else None


def project_choices(none: str, active_only: bool = False) -> list[SelectChoice]:
    """Projects as "Client: project" choices, after ``none`` (the empty choice)."""
    found = projects.projects(db.session, active_only=active_only)
    return [SelectChoice("", none)] + [SelectChoice(str(p.id), f"{p.client.name}: {p.name}") for p in found]


def chosen(value) -> int | str | None:
    """A project chosen in a form: its id, None for none, or what was sent when it is no id at
    all, so the service refuses it by name instead of the entry being written without one."""
    if not value:
        return None
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else value


@blueprint.route("/invoices", methods=["GET", "POST"])
def invoice_list():
    require_officer()
    form = InvoiceForm()
    form.client_id.choices = [SelectChoice(c.id, c.name) for c in timesheets.clients(db.session)]
    form.project_id.choices = project_choices(_("All of the client's time"))
    values = {
        "client_id": form.client_id.data,
        "project_id": chosen(form.project_id.data),
        "period_start": _iso(form.period_start.data),
        "period_end": _iso(form.period_end.data),
        "due_on": _iso(form.due_on.data),
    }
    result = submit(form, committed(invoices.create, db.session, current_user.id, values))
    if result.ok:
        flash(_("Invoice %(number)s drafted.", number=result.value.number), "success")
        return redirect(url_for("pay.invoice_page", invoice_id=result.value.id))
    found = invoices.listing(db.session)
    page = render_template(
        "pay/invoices.html", form=form, invoices=found, overdue={i.id for i in found if invoices.is_overdue(i)}
    )
    return page, result.status


@blueprint.get("/invoices/<id:invoice_id>")
def invoice_page(invoice_id):
    require_officer()
    invoice = invoices.get(db.session, invoice_id)
    return render_template(
        "pay/invoice.html",
        invoice=invoice,
        overdue=invoices.is_overdue(invoice),
        send_form=EmptyForm(),
        paid_form=PaidForm(),
    )


@blueprint.post("/invoices/<id:invoice_id>/send")
def send_invoice(invoice_id):
    require_officer()
    form = EmptyForm()
    result = submit(form, committed(invoices.send, db.session, g.tenant, invoice_id, current_user.id))
    flash(_("Sent to the client.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("pay.invoice_page", invoice_id=invoice_id))


@blueprint.post("/invoices/<id:invoice_id>/paid")
def invoice_paid(invoice_id):
    require_officer()
    form = PaidForm()
    paid_on = _iso(form.paid_on.data)
    result = submit(form, committed(invoices.mark_paid, db.session, invoice_id, current_user.id, paid_on))
    flash(_("Marked paid.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("pay.invoice_page", invoice_id=invoice_id))


@blueprint.route("/pay-adjustments", methods=["GET", "POST"])
def adjustment_list():
    require_officer()
    form = AdjustmentForm()
    people = adjustments.members(db.session, g.tenant)
    form.account_id.choices = [SelectChoice(a, n) for a, n in people.items()]
    finals = [r for r in payroll.runs(db.session) if r.status == "final"]
    form.corrects_run_id.choices = [SelectChoice(r.id, f"{day(r.period_start)} - {day(r.period_end)}") for r in finals]
    values = {
        "account_id": form.account_id.data,
        "corrects_run_id": form.corrects_run_id.data,
        "amount": form.amount.data,
        "reason": form.reason.data,
    }
    result = submit(form, committed(adjustments.record, db.session, g.tenant, current_user.id, values))
    if result.ok:
        flash(_("Adjustment recorded: the next pay run pays it."), "success")
        return redirect(url_for("pay.adjustment_list"))
    page = render_template("pay/adjustments.html", form=form, adjustments=adjustments.listing(db.session), names=people)
    return page, result.status


from coopnet.tenants.pay import (  # noqa: E402, F401  (their routes join this blueprint)
    client_views,
    policy_views,
    project_views,
    run_views,
    salary_views,
    surplus_views,
    time_views,
)
