"""Time pages beyond the week's timesheet: CSV import (preview, then confirm) and export.

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.errors import ServiceError, ValidationFailed
from coopnet.extensions import db
from coopnet.forms import apply_errors
from coopnet.platform.context import acts_as_officer
from coopnet.tenants.pay import time_csv
from coopnet.tenants.pay.forms import ConfirmTimeImportForm, TimeImportForm
from coopnet.tenants.pay.time_api import csv_response, whose_time
from coopnet.tenants.pay.views import blueprint

PREVIEW_ROWS = 500  # rows listed on the preview page (every problem is listed, however many)


@blueprint.route("/time/import", methods=["GET", "POST"])
def import_time():
    """Upload, then a preview of every row and its problems; nothing is written here."""
    form = TimeImportForm()
    if not form.validate_on_submit():
        return render_template("pay/time_import.html", form=form), 422 if form.is_submitted() else 200
    try:
        text = _read_upload(form.csv_file.data)
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
    today = date.today()
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(month=1, day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        raise ValidationFailed(_("Give dates such as 2026-03-01."), {"from": _("A date such as 2026-03-01.")}) from None
    account_id = whose_time(request.args.get("account_id", type=int))
    return csv_response(time_csv.export(db.session, g.tenant, start, end, account_id), start, end)


def _read_upload(upload) -> str:
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationFailed(_("Choose a file."), {"csv": _("Choose a CSV file to upload.")})
    raw = upload.read(time_csv.MAX_BYTES + 1)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            _("The file is not UTF-8 text."), {"csv": _("Save the file as CSV (UTF-8) and upload it again.")}
        ) from None
