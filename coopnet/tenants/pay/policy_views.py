"""The pay policy page: the version in force and every version, and a change to it, set
directly by admins or, when the rulebook decides pay, proposed to the co-op.

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.extensions import db
from coopnet.forms import committed, submit
from coopnet.i18n import day
from coopnet.i18n import today as local_today
from coopnet.money import show
from coopnet.platform.context import has_role, require_role
from coopnet.tenants.pay import payroll, policy_decisions
from coopnet.tenants.pay.forms import PayPolicyForm
from coopnet.tenants.pay.views import blueprint


@blueprint.route("/pay-policy", methods=["GET", "POST"])
def pay_policy():
    """Who may change it is the API's rule: any member proposes when the rulebook has a pay
    category (the co-op decides); otherwise admins set it directly."""
    governed = policy_decisions.decides_pay(db.session)
    needed = "member" if governed else "admin"
    versions = payroll.policies(db.session)
    current = payroll.in_force(versions, local_today())
    form = PayPolicyForm()
    if form.is_submitted():
        require_role(needed)
    elif current is not None:
        _fill(form, current)
    terms, field_map = _terms(form)
    if governed:
        action = committed(policy_decisions.propose, db.session, g.tenant, current_user.id, terms)
    else:
        action = committed(payroll.set_policy, db.session, terms)
    result = submit(form, action, field_map)
    if result.ok:
        if governed:
            flash(_("Proposed: the co-op decides it in the pay category; it takes effect if it passes."), "success")
        else:
            flash(_("The pay policy from %(day)s is set.", day=day(result.value.effective_from)), "success")
        return redirect(url_for("pay.pay_policy"))
    page = render_template(
        "pay/pay_policy.html",
        versions=versions,
        current=current,
        proposals=policy_decisions.listing(db.session),
        governed=governed,
        can_change=has_role(needed),
        form=form,
    )
    return page, result.status


def _fill(form, policy) -> None:
    """Start a change from the rules in force (all but the day it starts)."""
    form.scheme.data = policy.scheme
    for rate_class, cents in policy.rates.items():
        getattr(form, f"rate_{rate_class}").data = show(cents)
    form.kind_multipliers.data = ", ".join(f"{kind} = {value}" for kind, value in policy.kind_multipliers.items())
    form.base_hours.data, form.yearly_hours.data = policy.base_hours, policy.yearly_hours
    form.leave_weeks.data = policy.leave_weeks or None
    form.monthly_salary.data = show(policy.monthly_salary) if policy.monthly_salary is not None else ""
    form.member_fee.data = show(policy.member_fee) if policy.member_fee else ""


def _terms(form) -> tuple[dict, dict]:
    """The form as the pay-policies JSON body, and where each of the service's field errors goes."""
    field_map = {"rates": "rate_member"}
    rates = {}
    for rate_class in payroll.RATE_CLASSES:
        typed = (getattr(form, f"rate_{rate_class}").data or "").strip()
        field_map[f"rates.{rate_class}"] = f"rate_{rate_class}"
        if typed:
            rates[rate_class] = typed
    multipliers = {}
    for part in (form.kind_multipliers.data or "").replace("\n", ",").split(","):
        if part.strip():
            kind, _sep, multiple = part.partition("=")
            kind = kind.strip() or part.strip()
            multipliers[kind] = multiple.strip()  # "design" without "= 2" is refused by the service
            field_map[f"kind_multipliers.{kind}"] = "kind_multipliers"
    terms = {
        "effective_from": form.effective_from.data.isoformat() if form.effective_from.data else None,
        "scheme": form.scheme.data or "hourly",
        "rates": rates,
        "kind_multipliers": multipliers,
        "base_hours": form.base_hours.data,
        "monthly_salary": (form.monthly_salary.data or "").strip() or None,
        "yearly_hours": form.yearly_hours.data,
        "leave_weeks": form.leave_weeks.data,
        "member_fee": (form.member_fee.data or "").strip() or None,
    }
    return terms, field_map
