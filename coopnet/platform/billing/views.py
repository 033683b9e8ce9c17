"""The plan page: a tenant's admins see the plan, its people and standing, the payments
made, choose another plan and add a card; it also installs the unpaid-plan banner and
the read-only limit on every tenant page (coopnet.platform.billing.limits)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.database import utcnow
from coopnet.errors import ServiceError
from coopnet.extensions import db
from coopnet.forms import committed, problems, submit
from coopnet.platform.billing import limits, services
from coopnet.platform.billing.forms import CardForm, PlanForm
from coopnet.platform.context import tenant_blueprint, tenant_role

blueprint = tenant_blueprint("billing", __name__, template_folder="templates")
limits.install(blueprint)


@blueprint.route("/billing", methods=["GET"])
@tenant_role("admin")
def plan_page():
    return _render(PlanForm(), CardForm())


@blueprint.route("/billing/plan", methods=["POST"])
@tenant_role("admin")
def choose_plan():
    form = PlanForm()
    if not form.validate_on_submit():
        return _render(form, CardForm(formdata=None), error=problems(form)), 422
    try:
        chosen = services.choose_plan(db.session, g.tenant, form.plan.data, utcnow().date())
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        return _render(form, CardForm(formdata=None), error=error.message), error.status
    if chosen.standing == "good":
        flash(_("The plan is changed."), "success")
    else:
        flash(_("The plan is changed, but its payment did not go through. Add another card."), "info")
    return redirect(url_for("billing.plan_page"))


@blueprint.route("/billing/payment-method", methods=["POST"])
@tenant_role("admin")
def add_card():
    form = CardForm()
    result = submit(
        form,
        committed(
            services.add_payment_method,
            db.session,
            g.tenant,
            (form.payment_method.data or "").strip(),
            utcnow().date(),
            current_user.email,
        ),
    )
    if not result.ok:
        return _render(PlanForm(formdata=None), form), result.status
    flash(_("The card is saved for the plan."), "success")
    return redirect(url_for("billing.plan_page"))


def _render(plan_form, card_form, error=None):
    return render_template(
        "billing/plan.html",
        seen=services.overview(db.session, g.tenant, utcnow().date()),
        plan_form=plan_form,
        card_form=card_form,
        error=error,
    )
