"""Pages for a client's projects (on the client's page), the co-op's expenses, and the net
surplus figure the surplus page shows (officers).

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.days import year_from_text
from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.i18n import today
from coopnet.platform.context import acts_as_officer, require_officer
from coopnet.tenants.pay import expenses, net_surplus, projects
from coopnet.tenants.pay.project_forms import ExpenseForm, ProjectEditForm, ProjectForm
from coopnet.tenants.pay.views import blueprint


@blueprint.post("/clients/<id:client_id>/projects")
def add_project(client_id):
    require_officer()
    form = ProjectForm()
    result = submit(form, committed(projects.create_project, db.session, client_id, {"name": form.name.data or ""}))
    if result.ok:
        flash(_("%(name)s is a project now.", name=result.value.name), "success")
    else:
        flash(problems(form), "error")
    return redirect(url_for("pay.client_page", client_id=client_id, _anchor="projects"))


@blueprint.post("/clients/<id:client_id>/projects/<id:project_id>")
def edit_project(client_id, project_id):
    """Rename a project, or archive it or bring it back (the button sends ``archived``)."""
    require_officer()
    form = ProjectEditForm()
    values = {}
    if form.name.data:
        values["name"] = form.name.data
    if form.archived.data in ("yes", "no"):
        values["archived"] = form.archived.data == "yes"
    result = submit(form, committed(projects.update_project, db.session, client_id, project_id, values))
    if result.ok:
        flash(_("%(name)s is saved.", name=result.value.name), "success")
    else:
        flash(problems(form), "error")
    return redirect(url_for("pay.client_page", client_id=client_id, _anchor="projects"))


def _fiscal_year() -> int:
    """The fiscal year asked for (``?fiscal_year=``), else the one today is in."""
    return year_from_text(request.args.get("fiscal_year")) or expenses.fiscal_year_of(db.session, today())


@blueprint.route("/expenses", methods=["GET", "POST"])
def expense_list():
    """The co-op's expenses of a fiscal year and their total, open to every member as the books
    are; officers enter and remove them."""
    if request.method == "POST":
        require_officer()
    year = _fiscal_year()
    form = ExpenseForm()
    values = {
        "spent_on": form.spent_on.data.isoformat() if form.spent_on.data else None,
        "amount": (form.amount.data or "").strip(),
        "description": form.description.data or "",
        "category": form.category.data or "",
    }
    result = submit(form, committed(expenses.record, db.session, current_user.id, values))
    if result.ok:
        flash(_("The expense is recorded."), "success")
        year = expenses.fiscal_year_of(db.session, result.value.spent_on)
        return redirect(url_for("pay.expense_list", fiscal_year=year))
    total, found = expenses.listing(db.session, year)
    page = render_template(
        "pay/expenses.html",
        form=form,
        remove_form=EmptyForm(),
        expenses=found,
        total=total,
        fiscal_year=year,
        net=net_surplus.compute(db.session, year),
        officer=acts_as_officer(),
    )
    return page, result.status


@blueprint.post("/expenses/<id:expense_id>/remove")
def remove_expense(expense_id):
    require_officer()
    form = EmptyForm()
    result = submit(form, committed(expenses.remove, db.session, expense_id))
    flash(_("The expense is removed.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("pay.expense_list", fiscal_year=_fiscal_year()))
