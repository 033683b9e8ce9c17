"""Time pages beyond one's own week: CSV import (preview, then confirm) and export, officers
keeping anyone's timesheet, and correcting or removing an entry with the audit of each change.

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet import csv_files
from coopnet.errors import NotFound, ServiceError, ValidationFailed
from coopnet.extensions import db
from coopnet.forms import apply_errors, committed, problems, submit
from coopnet.i18n import today as local_today
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import adjustments, time_changes, time_csv, timesheets
from coopnet.tenants.pay.api import _id
from coopnet.tenants.pay.forms import ConfirmTimeImportForm, RemoveTimeForm, TimeCorrectionForm, TimeImportForm
from coopnet.tenants.pay.time_api import csv_response, whose_time
from coopnet.tenants.pay.views import blueprint, chosen, project_choices, time_page

PREVIEW_ROWS = 500  # rows listed on the preview page (every problem is listed, however many)


@blueprint.route("/time/import", methods=["GET", "POST"])
def import_time():
    """Upload, then a preview of every row and its problems; nothing is written here."""
    form = TimeImportForm()
    if not form.validate_on_submit():
        return render_template("pay/time_import.html", form=form), 422 if form.is_submitted() else 200
    try:
        text = csv_files.uploaded_text(form.csv_file.data)
    except ValidationFailed as error:
        apply_errors(form, error, {"csv": "csv_file"})
        return render_template("pay/time_import.html", form=form), 422
    return _preview(form, text)


def _preview(form, text):
    try:
        rows, problems = time_csv.check(db.session, g.tenant, current_user.id, acts_as_officer(), text)
    except ValidationFailed as error:  # not a time file at all: say so next to the upload
        db.session.rollback()
        apply_errors(form, error, {"csv": "csv_file"})
        return render_template("pay/time_import.html", form=form), 422
    db.session.rollback()  # the preview wrote nothing; end its transaction
    page = render_template(
        "pay/time_import_preview.html",
        rows=rows[:PREVIEW_ROWS],
        count=len(rows),
        problems=problems,
        confirm=ConfirmTimeImportForm(formdata=None, csv=text),
    )
    return page, 422 if problems else 200


@blueprint.post("/time/import/confirm")
def confirm_time_import():
    form = ConfirmTimeImportForm()
    if not form.validate_on_submit():
        return render_template("pay/time_import.html", form=TimeImportForm(formdata=None)), 422
    try:
        ids = time_csv.import_time(db.session, g.tenant, current_user.id, acts_as_officer(), form.csv.data)
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        # Something changed since the preview (time logged or a period locked meanwhile): preview again.
        return _preview(TimeImportForm(formdata=None), form.csv.data)
    flash(_("%(count)s time entries imported.", count=len(ids)), "success")
    return redirect(url_for("pay.timesheet"))


@blueprint.get("/time/export.csv")
def export_time():
    today = local_today()
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(month=1, day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise ValidationFailed(_("Give dates such as 2026-03-01."), {"from": _("A date such as 2026-03-01.")}) from None
    account_id = whose_time(_id("account_id"))
    return csv_response(time_csv.export(db.session, g.tenant, start, end, account_id), start, end)


@blueprint.get("/time/people")
def people_time():
    require_officer()
    today = local_today()
    minutes = timesheets.minutes_between(db.session, today.replace(month=1, day=1), today)
    return render_template("pay/people_time.html", names=adjustments.members(db.session, g.tenant), minutes=minutes)


@blueprint.route("/time/people/<id:account_id>", methods=["GET", "POST"])
def person_time(account_id):
    """An officer's view of someone's timesheet: enter time for them, correct it."""
    require_officer()
    names = adjustments.members(db.session, g.tenant)
    if account_id not in names:
        raise NotFound(_("No such member of this co-op."))
    return time_page(account_id, person=names[account_id])


@blueprint.route("/time/entries/<id:entry_id>", methods=["GET", "POST"])
def time_entry_page(entry_id):
    officer = acts_as_officer()
    entry = time_changes.get_entry(db.session, entry_id, current_user.id, officer)
    form = TimeCorrectionForm(obj=entry)
    form.kind.choices = [SelectChoice(k.key, k.label) for k in timesheets.kinds(db.session)]
    form.project_id.choices = project_choices(_("No project"))  # archived too: the entry may keep its own
    values = {
        "worked_on": form.worked_on.data.isoformat() if form.worked_on.data else None,
        "minutes": form.minutes.data,
        "kind": form.kind.data,
        "billable": form.billable.data,
        "note": form.note.data or "",
        "reason": form.reason.data or "",
    }
    if form.project_id.choices[1:]:
        values["project_id"] = chosen(form.project_id.data)
    result = submit(form, committed(time_changes.correct, db.session, entry_id, current_user.id, officer, values))
    back = _timesheet_of(entry.account_id)
    if result.ok:
        flash(_("The correction is saved."), "success")
        return redirect(back)
    page = render_template(
        "pay/time_entry.html",
        entry=entry,
        form=form,
        remove_form=RemoveTimeForm(formdata=None),
        changes=time_changes.changes(db.session, entry_id=entry_id),
        names=adjustments.members(db.session, g.tenant),
        back=back,
    )
    return page, result.status


@blueprint.post("/time/entries/<id:entry_id>/delete")
def remove_time_entry(entry_id):
    officer = acts_as_officer()
    entry = time_changes.get_entry(db.session, entry_id, current_user.id, officer)
    back = _timesheet_of(entry.account_id)
    form = RemoveTimeForm()
    reason = form.reason.data or ""
    result = submit(form, committed(time_changes.remove, db.session, entry_id, current_user.id, officer, reason))
    flash(_("The entry is removed.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(back if result.ok else url_for("pay.time_entry_page", entry_id=entry_id))


def _timesheet_of(account_id: int) -> str:
    if account_id == current_user.id:
        return url_for("pay.timesheet")
    return url_for("pay.person_time", account_id=account_id)
