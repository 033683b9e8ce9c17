"""Pay in the JSON API: time, clients and invoices, pay policies, runs and their adjustments,
the surplus and capital accounts."""

from datetime import date, timedelta

from flask import Response, g, request
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.errors import NotFound, ValidationFailed
from coopnet.extensions import db
from coopnet.i18n import today
from coopnet.money import cents
from coopnet.platform.context import acts_as_officer, require_officer, tenant_api_blueprint, tenant_role
from coopnet.tenants.governance.proposals import names
from coopnet.tenants.pay import (
    adjustments,
    instalments,
    invoices,
    net_surplus,
    payroll,
    policy_decisions,
    schemas,
    surplus,
    timesheets,
)
from coopnet.tenants.pay.invoice_pdf import invoice_pdf
from coopnet.tenants.pay.notice_pdf import notice_pdf

blueprint = tenant_api_blueprint("pay_api", __name__, "Time, pay runs, the year-end surplus and capital accounts")

ERRORS = (400, 401, 403, 404, 409, 415, 422)


def _day(name, default):
    value = request.args.get(name)
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Give dates such as 2026-03-01."), {name: _("A date such as 2026-03-01.")}) from None


def _id(name) -> int | None:
    """An id from the query (``account_id=12``), or None when not given; anything that names no row is a 422."""
    value = request.args.get(name)
    if value is None:
        return None
    if value.isascii() and value.isdigit() and timesheets.is_row_id(int(value)):
        return int(value)
    raise ValidationFailed(_("Some fields are missing or invalid."), {name: _("An id such as 12.")})


@blueprint.route("/time-entries", methods=["POST"])
@blueprint.arguments(schemas.TimeEntryIn)
@blueprint.response(201, schemas.TimeEntryOut)
@document_errors(blueprint, *ERRORS)
def log_time(data):
    """Log time; ``account_id`` other than your own only for officers and admins (403)."""
    entry = timesheets.log_time(db.session, g.tenant, current_user.id, acts_as_officer(), data)
    db.session.commit()
    return entry


@blueprint.route("/time-entries", methods=["GET"])
@blueprint.response(200, schemas.TimeEntryListOut)
@document_errors(blueprint, 400, 401, 403, 404, 422)
def list_time():
    """Your time between ``from`` and ``to`` (default: this week); officers may pass ``account_id``."""
    now = today()
    start, end = _day("from", now - timedelta(days=now.weekday())), _day("to", now)
    account_id = _id("account_id") or current_user.id
    if account_id != current_user.id:
        require_officer()
    entries = timesheets.entries(db.session, account_id, start, end)
    return {"entries": entries, "total_minutes": sum(e.minutes for e in entries)}


@blueprint.route("/work-kinds", methods=["GET"])
@blueprint.response(200, schemas.WorkKindListOut)
@document_errors(blueprint, 401, 404)
def list_kinds():
    """The co-op's kinds of work (client and internal, and its own)."""
    return {"kinds": timesheets.kinds(db.session)}


@blueprint.route("/work-kinds", methods=["POST"])
@blueprint.arguments(schemas.WorkKindIn)
@blueprint.response(201, schemas.WorkKindOut)
@document_errors(blueprint, *ERRORS)
def add_kind(data):
    """Add a kind of work, such as web development (officers)."""
    require_officer()
    kind = timesheets.add_kind(db.session, data["key"], data["label"])
    db.session.commit()
    return kind


@blueprint.route("/clients", methods=["GET"])
@blueprint.response(200, schemas.ClientListOut)
@document_errors(blueprint, 401, 404)
def list_clients():
    """Clients and their sliding-scale rates."""
    return {"clients": timesheets.clients(db.session)}


@blueprint.route("/clients", methods=["POST"])
@blueprint.arguments(schemas.ClientIn)
@blueprint.response(201, schemas.ClientOut)
@document_errors(blueprint, *ERRORS)
def add_client(data):
    """Add a client at a rate from 0.00 to 150.00 an hour (officers)."""
    require_officer()
    client = timesheets.add_client(
        db.session,
        data["name"],
        cents(data["hourly_rate"], "hourly_rate"),
        email=data["email"],
        payment_days=data["payment_days"],
    )
    db.session.commit()
    return client


@blueprint.route("/pay-policies", methods=["GET"])
@blueprint.response(200, schemas.PayPolicyListOut)
@document_errors(blueprint, 401, 404)
def list_pay_policies():
    """Every version of the pay policy, each in force from its date to the next."""
    return {"versions": payroll.policies(db.session)}


@blueprint.route("/pay-policies", methods=["POST"])
@blueprint.arguments(schemas.PayPolicyIn)
@blueprint.response(201, schemas.PayPolicyOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def add_pay_policy(data):
    """A new version of the pay rules from a date (admins, carrying out a pay decision)."""
    policy = payroll.set_policy(db.session, data)
    db.session.commit()
    return policy


@blueprint.route("/pay-runs", methods=["GET"])
@blueprint.response(200, schemas.PayRunListOut)
@document_errors(blueprint, 401, 404)
def list_pay_runs():
    """Every pay run, the latest period first: its state and totals (each member's line is
    for officers, on the run itself)."""
    return {"pay_runs": payroll.runs(db.session)}


@blueprint.route("/pay-runs", methods=["POST"])
@blueprint.arguments(schemas.PayRunIn)
@blueprint.response(201, schemas.PayRunOut)
@document_errors(blueprint, *ERRORS)
def start_pay_run(data):
    """Compute each member's pay for a period, for review (officers); 409 for a finalised period."""
    require_officer()
    run = payroll.start_run(db.session, g.tenant, current_user.id, data["period_start"], data["period_end"])
    db.session.commit()
    return run


@blueprint.route("/pay-runs/<id:run_id>", methods=["GET"])
@blueprint.response(200, schemas.PayRunOut)
@document_errors(blueprint, 401, 403, 404)
def get_pay_run(run_id):
    """A pay run with the hours and rates behind each line (officers)."""
    require_officer()
    return payroll.get_run(db.session, run_id)


@blueprint.route("/pay-runs/<id:run_id>/finalise", methods=["POST"])
@blueprint.response(200, schemas.PayRunOut)
@document_errors(blueprint, *ERRORS)
def finalise_pay_run(run_id):
    """Finalise: the period's time is locked and the run is never edited again (officers)."""
    require_officer()
    run = payroll.finalise(db.session, g.tenant, run_id)
    db.session.commit()
    return run


@blueprint.route("/pay-runs/<id:run_id>/export.csv", methods=["GET"])
@blueprint.response(200, description="The run for the payroll provider", content_type="text/csv")
@document_errors(blueprint, 401, 403, 404)
def export_pay_run(run_id):
    """The run as CSV for the payroll provider (officers)."""
    require_officer()
    run = payroll.get_run(db.session, run_id)
    return Response(
        payroll.run_csv(run, names(db.session, g.tenant, [line.account_id for line in run.lines])), mimetype="text/csv"
    )


@blueprint.route("/surplus-policy", methods=["GET"])
@blueprint.response(200, schemas.SurplusPolicyOut)
@document_errors(blueprint, 401, 404)
def get_surplus_policy():
    """How the year-end surplus is split."""
    found = surplus.policy(db.session)
    if found is None:
        raise NotFound(_("No surplus policy yet."), code="no_surplus_policy")
    return surplus.policy_out(found)


@blueprint.route("/surplus-policy", methods=["PUT"])
@blueprint.arguments(schemas.SurplusPolicyIn)
@blueprint.response(200, schemas.SurplusPolicyOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def put_surplus_policy(data):
    """The reserve share, named funds, the basis (hours or pay) and the cash share (admins)."""
    found = surplus.set_policy(db.session, data)
    db.session.commit()
    return surplus.policy_out(found)


@blueprint.route("/surplus-allocations", methods=["GET"])
@blueprint.response(200, schemas.AllocationListOut)
@document_errors(blueprint, 401, 404)
def list_allocations():
    """Every year's split, the latest year first."""
    return {"allocations": surplus.allocations(db.session)}


@blueprint.route("/surplus-allocations", methods=["POST"])
@blueprint.arguments(schemas.AllocationIn)
@blueprint.response(201, schemas.AllocationOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def allocate(data):
    """Split a fiscal year's surplus: reserve, funds, and members by hours; sums exactly (admins).
    Without ``surplus``, the year's computed net surplus (422 when it is not above zero)."""
    allocation = net_surplus.allocate(db.session, current_user.id, data["fiscal_year"], data["surplus"])
    db.session.commit()
    return allocation


@blueprint.route("/surplus-allocations/<id:allocation_id>", methods=["GET"])
@blueprint.response(200, schemas.AllocationOut)
@document_errors(blueprint, 401, 404)
def get_allocation(allocation_id):
    """One year's split."""
    return surplus.get_allocation(db.session, allocation_id)


@blueprint.route("/surplus-allocations/<id:allocation_id>/instalments", methods=["GET"])
@blueprint.response(200, schemas.InstalmentListOut)
@document_errors(blueprint, 401, 404, 422)
def list_allocation_instalments(allocation_id):
    """The dated instalments of a split's cash parts; ``status`` filters: due, overdue or paid."""
    surplus.get_allocation(db.session, allocation_id)
    return {"instalments": instalments.listing(db.session, allocation_id, request.args.get("status"))}


@blueprint.route("/surplus-instalments", methods=["GET"])
@blueprint.response(200, schemas.InstalmentListOut)
@document_errors(blueprint, 401, 403, 404, 422)
def list_instalments():
    """Every split's instalments by due date, such as ``status=overdue``: what the co-op owes (officers)."""
    require_officer()
    return {"instalments": instalments.listing(db.session, None, request.args.get("status"))}


@blueprint.route("/surplus-allocations/<id:allocation_id>/instalments/<id:instalment_id>/payment", methods=["PUT"])
@blueprint.arguments(schemas.InstalmentPaidIn)
@blueprint.response(200, schemas.InstalmentOut)
@document_errors(blueprint, *ERRORS)
def record_instalment_paid(data, allocation_id, instalment_id):
    """Record an instalment paid on a day (officers); 409 ``already_paid``."""
    require_officer()
    found = instalments.record_paid(db.session, current_user.id, allocation_id, instalment_id, data["paid_on"])
    db.session.commit()
    return found


@blueprint.route("/surplus-allocations/<id:allocation_id>/instalments/<id:instalment_id>/payment", methods=["DELETE"])
@blueprint.response(200, schemas.InstalmentOut)
@document_errors(blueprint, 401, 403, 404, 409)
def undo_instalment_paid(allocation_id, instalment_id):
    """Take back a payment recorded by mistake (officers); 409 ``not_paid``."""
    require_officer()
    found = instalments.undo_paid(db.session, allocation_id, instalment_id)
    db.session.commit()
    return found


@blueprint.route("/surplus-allocations/<id:allocation_id>/notices/<id:account_id>", methods=["GET"])
@blueprint.response(200, description="The member's written notice of allocation as PDF", content_type="application/pdf")
@document_errors(blueprint, 401, 403, 404)
def allocation_notice(allocation_id, account_id):
    """A member's written notice of allocation (PDF): their share, the cash part and the part
    retained in their capital account (the member themself, officers and admins)."""
    if account_id != current_user.id:
        require_officer()
    allocation, line = surplus.allocation_line(db.session, allocation_id, account_id)
    schedule = [i for i in instalments.listing(db.session, allocation_id) if i.account_id == account_id]
    member = adjustments.members(db.session, g.tenant).get(account_id, "")
    pdf = notice_pdf(g.tenant.name, allocation, line, member, schedule, today())
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="notice-{allocation.fiscal_year}-{account_id}.pdf"'},
    )


@blueprint.route("/capital-accounts/<id:account_id>", methods=["GET"])
@blueprint.response(200, schemas.CapitalAccountOut)
@document_errors(blueprint, 401, 403, 404)
def capital_account(account_id):
    """A member's capital account: the member themself, officers and admins."""
    if account_id != current_user.id:
        require_officer()
    balance, entries = surplus.capital_account(db.session, account_id, _day("on", None))
    return {"account_id": account_id, "balance": balance, "entries": entries}


@blueprint.route("/capital-accounts/<id:account_id>/entries", methods=["POST"])
@blueprint.arguments(schemas.CapitalEntryIn)
@blueprint.response(201, schemas.CapitalEntryOut)
@document_errors(blueprint, *ERRORS)
def record_capital(data, account_id):
    """Record a buy-in, payout, allocated loss or redemption (officers)."""
    require_officer()
    entry = surplus.record_capital(db.session, account_id, data["kind"], data["amount"], data["entry_on"], data["note"])
    db.session.commit()
    return entry


@blueprint.route("/invoices", methods=["GET"])
@blueprint.response(200, schemas.InvoiceListOut)
@document_errors(blueprint, 401, 403, 404, 422)
def list_invoices():
    """Invoices, newest first; ``status`` filters: draft, sent, paid or overdue (officers)."""
    require_officer()
    return {"invoices": invoices.listing(db.session, request.args.get("status"))}


@blueprint.route("/invoices", methods=["POST"])
@blueprint.arguments(schemas.InvoiceIn)
@blueprint.response(201, schemas.InvoiceOut)
@document_errors(blueprint, *ERRORS)
def create_invoice(data):
    """Invoice a client's billable time of a period at the client's rate, as a draft (officers)."""
    require_officer()
    invoice = invoices.create(db.session, current_user.id, data)
    db.session.commit()
    return invoice


@blueprint.route("/invoices/<id:invoice_id>", methods=["GET"])
@blueprint.response(200, schemas.InvoiceOut)
@document_errors(blueprint, 401, 403, 404)
def get_invoice(invoice_id):
    """An invoice with its lines; ``overdue`` once sent and past its due date (officers)."""
    require_officer()
    return invoices.get(db.session, invoice_id)


@blueprint.route("/invoices/<id:invoice_id>/send", methods=["POST"])
@blueprint.response(200, schemas.InvoiceOut)
@document_errors(blueprint, *ERRORS)
def send_invoice(invoice_id):
    """Mark a draft sent and mail it to the client through the co-op's outbox (officers)."""
    require_officer()
    invoice = invoices.send(db.session, g.tenant, invoice_id, current_user.id)
    db.session.commit()
    return invoice


@blueprint.route("/invoices/<id:invoice_id>/paid", methods=["POST"])
@blueprint.arguments(schemas.InvoicePaidIn)
@blueprint.response(200, schemas.InvoiceOut)
@document_errors(blueprint, *ERRORS)
def mark_invoice_paid(data, invoice_id):
    """Record the client's payment of a sent invoice on ``paid_on`` (default today) (officers)."""
    require_officer()
    invoice = invoices.mark_paid(db.session, invoice_id, current_user.id, data["paid_on"])
    db.session.commit()
    return invoice


@blueprint.route("/invoices/<id:invoice_id>/invoice.pdf", methods=["GET"])
@blueprint.response(200, description="The invoice as PDF", content_type="application/pdf")
@document_errors(blueprint, 401, 403, 404)
def invoice_as_pdf(invoice_id):
    """The invoice as a PDF (officers)."""
    require_officer()
    invoice = invoices.get(db.session, invoice_id)
    return Response(
        invoice_pdf(g.tenant.name, invoice, invoices.is_overdue(invoice)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="invoice-{invoice.number}.pdf"'},
    )


@blueprint.route("/pay-adjustments", methods=["GET"])
@blueprint.response(200, schemas.AdjustmentListOut)
@document_errors(blueprint, 401, 403, 404)
def list_adjustments():
    """Corrections to finalised pay, who recorded them, when and why, and the run paying each (officers)."""
    require_officer()
    return {"adjustments": adjustments.listing(db.session, _id("account_id"))}


@blueprint.route("/pay-adjustments", methods=["POST"])
@blueprint.arguments(schemas.AdjustmentIn)
@blueprint.response(201, schemas.AdjustmentOut)
@document_errors(blueprint, *ERRORS)
def record_adjustment(data):
    """Correct a finalised run: the amount is paid (or taken back) in the next run (officers)."""
    require_officer()
    adjustment = adjustments.record(db.session, g.tenant, current_user.id, data)
    db.session.commit()
    return adjustment


@blueprint.route("/pay-policy-proposals", methods=["GET"])
@blueprint.response(200, schemas.PolicyProposalListOut)
@document_errors(blueprint, 401, 404)
def list_policy_proposals():
    """Pay policies put to the co-op, and whether each was adopted."""
    return {"proposals": policy_decisions.listing(db.session)}


@blueprint.route("/pay-policy-proposals", methods=["POST"])
@blueprint.arguments(schemas.PayPolicyIn)
@blueprint.response(201, schemas.PolicyProposalOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def propose_pay_policy(data):
    """Propose a pay policy as a decision in the rulebook's pay category; it takes effect from its
    date when the proposal passes (409 ``no_pay_decisions`` when the rulebook has no such category)."""
    decision = policy_decisions.propose(db.session, g.tenant, current_user.id, data)
    db.session.commit()
    return decision


from coopnet.tenants.pay import client_api, project_api, salary_api, time_api  # noqa: E402, F401  (their routes join this blueprint)
