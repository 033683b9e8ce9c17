"""Register pages: the register, adding a person, the CSV import (preview, then confirm),
the probation policy, and each person's page where officers record status changes,
hours, buy-in payments and refunds, and members propose an exit.

Its routes join the membership pages blueprint (imported at the end of views.py)."""

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet import csv_files
from coopnet.errors import ServiceError, ValidationFailed
from coopnet.extensions import db
from coopnet.forms import apply_errors, committed, submit
from coopnet.platform.context import acts_as_officer, require_officer, tenant_role
from coopnet.tenants.membership import exits, lifecycle, people, presenting, probation, register_csv
from coopnet.tenants.membership.links import welcome_link
from coopnet.tenants.membership.register_forms import (
    STATUS_LABELS,
    ConfirmImportForm,
    EntranceFeeForm,
    ExitForm,
    HoursForm,
    ImportForm,
    PaymentForm,
    PersonForm,
    PolicyForm,
    RefundForm,
    StatusForm,
)
from coopnet.tenants.membership.views import blueprint

# Each form of the person page has its own prefix, so their fields never share an id or a value.
PERSON_FORMS = {
    "status_form": (StatusForm, "status"),
    "exit_form": (ExitForm, "exit"),
    "hours_form": (HoursForm, "hours"),
    "payment_form": (PaymentForm, "payment"),
    "refund_form": (RefundForm, "refund"),
    "fee_form": (EntranceFeeForm, "fee"),
}
PREVIEW_ROWS = 500  # rows listed on the preview page (every problem is listed, however many)


@blueprint.route("/register", methods=["GET"])
def register_page():
    people_rows = presenting.register(db.session)
    totals = {status: sum(1 for p in people_rows if p["status"] == status) for status in STATUS_LABELS}
    return render_template(
        "membership/register.html",
        people=people_rows,
        totals=totals,
        labels=STATUS_LABELS,
        policy=presenting.policy_out(db.session),
    )


@blueprint.route("/register/add", methods=["GET", "POST"])
@tenant_role("admin")
def add_person():
    form = PersonForm()
    action = committed(
        people.add_person,
        db.session,
        g.tenant,
        current_user.id,
        form.email.data,
        form.name.data,
        form.status.data,
        form.since.data,
        form.member_class.data,
        current_app.config["SECRET_KEY"],
        welcome_link,
    )
    result = submit(form, action, {"class": "member_class"})
    if result.ok:
        account, created = result.value
        flash(
            _("%(name)s is in the register; they were mailed a link to set a password.", name=account.name)
            if created
            else _("%(name)s is in the register.", name=account.name),
            "success",
        )
        return redirect(url_for("membership.person_page", account_id=account.id))
    return render_template("membership/add_person.html", form=form), result.status


@blueprint.route("/register/import", methods=["GET", "POST"])
@tenant_role("admin")
def import_register():
    """Upload, then a preview of every row and its problems; nothing is written here."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("membership/import.html", form=form), 422 if form.is_submitted() else 200
    try:
        text = csv_files.uploaded_text(form.csv_file.data)
    except ValidationFailed as error:
        apply_errors(form, error, {"csv": "csv_file"})
        return render_template("membership/import.html", form=form), 422
    return _preview(form, text)


def _preview(form, text):
    try:
        rows, problems = register_csv.preview_rows(db.session, g.tenant, text)
    except ValidationFailed as error:  # not a register file at all: say so next to the upload
        db.session.rollback()
        apply_errors(form, error, {"csv": "csv_file"})
        return render_template("membership/import.html", form=form), 422
    db.session.rollback()  # the preview wrote nothing; end its transaction
    page = render_template(
        "membership/import_preview.html",
        rows=rows[:PREVIEW_ROWS],
        count=len(rows),
        problems=problems,
        confirm=ConfirmImportForm(formdata=None, csv=text),
        labels=STATUS_LABELS,
    )
    return page, 422 if problems else 200


@blueprint.post("/register/import/confirm")
@tenant_role("admin")
def confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return render_template("membership/import.html", form=ImportForm(formdata=None)), 422
    try:
        count = people.import_register(
            db.session, g.tenant, current_user.id, form.csv.data, current_app.config["SECRET_KEY"], welcome_link
        )
        db.session.commit()
    except ServiceError:
        db.session.rollback()
        # Something changed since the preview (someone was added meanwhile): preview again.
        return _preview(ImportForm(formdata=None), form.csv.data)
    flash(_("%(count)s people are in the register now.", count=count), "success")
    return redirect(url_for("membership.register_page"))


@blueprint.route("/register/policy", methods=["GET", "POST"])
@tenant_role("admin")
def policy_page():
    current = presenting.policy_out(db.session)
    form = PolicyForm(data=current)  # a submitted form's own values take precedence

    def save():
        lifecycle.set_policy(
            db.session,
            {
                "probation_months": form.probation_months.data,
                "probation_hours": (form.probation_hours.data or "").strip() or None,
                "require": form.require.data,
                "buy_in": (form.buy_in.data or "").strip() or "0.00",
                "buy_in_instalments": form.buy_in_instalments.data if form.buy_in_instalments.data is not None else 1,
                "entrance_fee": (form.entrance_fee.data or "").strip() or "0.00",
                "currency": (form.currency.data or "").strip() or "USD",
            },
        )
        db.session.commit()

    result = submit(form, save)
    if result.ok:
        flash(_("The probation policy is saved."), "success")
        return redirect(url_for("membership.register_page"))
    return render_template("membership/policy.html", form=form), result.status


# --- a person's page -----------------------------------------------------------------


def _person_page(account_id, status=200, **submitted):
    shown = presenting.person(db.session, account_id)
    forms = {
        name: submitted.get(name) or form_class(formdata=None, prefix=prefix)
        for name, (form_class, prefix) in PERSON_FORMS.items()
    }
    allowed = sorted(lifecycle.TRANSITIONS[shown["status"]] - {"member"} - set(lifecycle.EXIT_STATUSES))
    if shown["status"] == "leave":
        allowed = sorted(set(allowed) | {"member"})  # back from leave
    forms["status_form"].status.choices = [SelectChoice(s, STATUS_LABELS[s]) for s in allowed]
    names = people.names(db.session, g.tenant, [c.changed_by for c in shown["history"] if c.changed_by])
    page = render_template(
        "membership/person.html",
        person=shown,
        labels=STATUS_LABELS,
        names=names,
        hours=probation.hours_entries(db.session, account_id),
        payments=probation.payments(db.session, account_id),
        open_exit=exits.open_exit(db.session, account_id),
        policy=presenting.policy_out(db.session),
        is_officer=acts_as_officer(),
        is_self=account_id == current_user.id,
        **forms,
    )
    return page, status


@blueprint.get("/register/<id:account_id>")
def person_page(account_id):
    return _person_page(account_id)


def _person_action(account_id, name, action, done):
    form_class, prefix = PERSON_FORMS[name]
    form = form_class(prefix=prefix)
    result = submit(form, action(form))
    if result.ok:
        flash(done, "success")
        return redirect(url_for("membership.person_page", account_id=account_id))
    return _person_page(account_id, result.status, **{name: form})


@blueprint.post("/register/<id:account_id>/status")
@tenant_role("admin")
def change_status(account_id):
    def action(form):
        return committed(
            lifecycle.change_status,
            db.session,
            g.tenant,
            account_id,
            form.status.data,
            form.on.data,
            current_user.id,
            form.reason.data,
        )

    return _person_action(account_id, "status_form", action, _("The status is changed and the reason kept."))


@blueprint.post("/register/<id:account_id>/exit")
def propose_exit(account_id):
    def action(form):
        return committed(
            exits.propose_exit,
            db.session,
            g.tenant,
            account_id,
            form.status.data,
            form.reason.data,
            current_user.id,
            g.membership.role,
        )

    return _person_action(account_id, "exit_form", action, _("The proposal is open; members have been told."))


@blueprint.post("/register/<id:account_id>/hours")
def add_hours(account_id):
    require_officer()

    def action(form):
        return committed(
            probation.add_hours, db.session, g.tenant, account_id, form.worked_on.data, form.hours.data, current_user.id
        )

    return _person_action(account_id, "hours_form", action, _("The hours are recorded."))


@blueprint.post("/register/<id:account_id>/payments")
def pay_buy_in(account_id):
    require_officer()

    def action(form):
        return committed(
            probation.pay_buy_in,
            db.session,
            g.tenant,
            account_id,
            form.amount.data,
            form.paid_on.data,
            current_user.id,
            form.note.data,
        )

    return _person_action(account_id, "payment_form", action, _("The payment is recorded."))


@blueprint.post("/register/<id:account_id>/entrance-fee")
def defer_entrance_fee(account_id):
    require_officer()

    def action(form):
        return committed(probation.defer_entrance_fee, db.session, account_id, form.deferred.data, current_user.id)

    return _person_action(account_id, "fee_form", action, _("The entrance fee is recorded."))


@blueprint.post("/register/<id:account_id>/refund")
def refund(account_id):
    require_officer()

    def action(form):
        return committed(
            exits.refund_at_exit, db.session, account_id, current_user.id, form.paid_on.data, form.amount.data
        )

    return _person_action(account_id, "refund_form", action, _("The refund is recorded."))
