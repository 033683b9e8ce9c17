"""Year-end surplus pages: the surplus policy (admins change it), each year's split, and
running a split for a fiscal year (admins, as in the API).

Its routes join the pay pages blueprint (imported at the end of views.py)."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.forms import committed, problems, submit
from coopnet.i18n import today
from coopnet.platform.context import acts_as_officer, has_role, require_officer, require_role
from coopnet.tenants.pay import adjustments, instalments, net_surplus, surplus
from coopnet.tenants.pay.forms import AllocationForm, InstalmentPaidForm, SurplusPolicyForm
from coopnet.tenants.pay.net_surplus import allocate as allocate_net_or_given
from coopnet.tenants.pay.views import blueprint

FUND_ROWS = (1, 2, 3)


@blueprint.route("/surplus", methods=["GET", "POST"])
def surplus_page():
    """The policy and the splits; a POST here changes the policy."""
    form = SurplusPolicyForm()
    found = surplus.policy(db.session)
    if form.is_submitted():
        require_role("admin")
    elif found is not None:
        _fill(form, surplus.policy_out(found))
    values, field_map = _policy_values(form)
    result = submit(form, committed(surplus.set_policy, db.session, values), field_map)
    if result.ok:
        flash(_("The surplus policy is saved."), "success")
        return redirect(url_for("pay.surplus_page"))
    return _page(form, AllocationForm(formdata=None, prefix="split", fiscal_year=today().year - 1), result.status)


@blueprint.post("/surplus/split")
def split_surplus():
    require_role("admin")
    form = AllocationForm(prefix="split")
    year, amount = form.fiscal_year.data, form.surplus.data or ""  # no amount: the year's net from the books
    action = committed(allocate_net_or_given, db.session, current_user.id, year, amount)
    result = submit(form, action)
    if result.ok:
        flash(_("The %(year)s surplus is split.", year=result.value.fiscal_year), "success")
        return redirect(url_for("pay.allocation_page", allocation_id=result.value.id))
    policy_form = SurplusPolicyForm(formdata=None)
    found = surplus.policy(db.session)
    if found is not None:
        _fill(policy_form, surplus.policy_out(found))
    return _page(policy_form, form, result.status)


@blueprint.get("/surplus/<id:allocation_id>")
def allocation_page(allocation_id):
    return render_template(
        "pay/allocation.html",
        allocation=surplus.get_allocation(db.session, allocation_id),
        instalments=instalments.listing(db.session, allocation_id),
        status=instalments.status,
        paid_form=InstalmentPaidForm(formdata=None, paid_on=today()),
        names=adjustments.members(db.session, g.tenant),
        officer=acts_as_officer(),
    )


@blueprint.post("/surplus/<id:allocation_id>/instalments/<id:instalment_id>/paid")
def instalment_paid(allocation_id, instalment_id):
    """Record one instalment of a member's cash part paid (officers)."""
    require_officer()
    surplus.get_allocation(db.session, allocation_id)  # 404 for a split that is not there
    form = InstalmentPaidForm()
    paid_on = form.paid_on.data.isoformat() if form.paid_on.data else ""
    action = committed(instalments.record_paid, db.session, current_user.id, allocation_id, instalment_id, paid_on)
    if submit(form, action).ok:
        flash(_("The instalment is recorded paid."), "success")
    else:
        flash(problems(form), "error")
    return redirect(url_for("pay.allocation_page", allocation_id=allocation_id, _anchor="instalments"))


def _page(policy_form, split_form, status):
    found = surplus.policy(db.session)
    page = render_template(
        "pay/surplus.html",
        policy=surplus.policy_out(found) if found is not None else None,
        allocations=surplus.allocations(db.session),
        policy_form=policy_form,
        split_form=split_form,
        admin=has_role("admin"),
        net=_net_for_page(split_form.fiscal_year.data),
    )
    return page, status


def _fill(form, shown: dict) -> None:
    form.reserve_share.data, form.cash_share.data = shown["reserve_share"], shown["cash_share"]
    form.basis.data, form.cash_instalments.data = shown["basis"], shown["cash_instalments"]
    form.instalment_months.data = shown["instalment_months"]
    form.fiscal_year_start.data = shown["fiscal_year_start"]
    for row, fund in zip(FUND_ROWS, shown["funds"], strict=False):
        getattr(form, f"fund_name_{row}").data, getattr(form, f"fund_share_{row}").data = fund["name"], fund["share"]


def _policy_values(form) -> tuple[dict, dict]:
    """The form as the surplus-policy JSON body, and where each of the service's field errors goes."""
    funds, field_map = [], {"funds": "fund_name_1"}
    for row in FUND_ROWS:
        name = (getattr(form, f"fund_name_{row}").data or "").strip()
        fund_share = (getattr(form, f"fund_share_{row}").data or "").strip()
        if name or fund_share:
            field_map[f"funds.{len(funds)}.name"] = f"fund_name_{row}"
            field_map[f"funds.{len(funds)}.share"] = f"fund_share_{row}"
            funds.append({"name": name, "share": fund_share})
    values = {
        "reserve_share": (form.reserve_share.data or "").strip() or "0",
        "funds": funds,
        "basis": form.basis.data or "hours",
        "cash_share": (form.cash_share.data or "").strip(),
        "cash_instalments": 1 if form.cash_instalments.data is None else form.cash_instalments.data,
        "instalment_months": 1 if form.instalment_months.data is None else form.instalment_months.data,
        "fiscal_year_start": (form.fiscal_year_start.data or "").strip() or "01-01",
    }
    return values, field_map


def _net_for_page(year) -> net_surplus.NetSurplus | None:
    """The surplus page's figure from the books for ``year`` (None for no year, or one out of range)."""
    try:
        return net_surplus.compute(db.session, year) if year is not None else None
    except ValidationFailed:
        return None
