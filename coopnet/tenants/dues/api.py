"""Dues in the JSON API: settings, schedule, register, payments, renewals, collected
totals and the support queue."""

from flask import g
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.database import utcnow
from coopnet.errors import Forbidden, NotFound
from coopnet.extensions import db
from coopnet.platform.context import has_role, tenant_api_blueprint, tenant_role
from coopnet.tenants.dues import billing, jobs, presenting, register, reports, schemas, support
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.money import decimal_string
from coopnet.worker.queues import enqueue_after_commit

blueprint = tenant_api_blueprint("dues_api", __name__, "An organisation's dues: register, schedule, Stripe, standing")

ERRORS = (400, 401, 403, 404, 409, 415, 422)


@blueprint.route("/dues/settings", methods=["GET"])
@blueprint.response(200, schemas.DuesSettingsOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def get_settings():
    """The dues settings; Stripe keys are shown masked, never in full."""
    return presenting.settings(dues_settings.effective(db.session), g.tenant)


@blueprint.route("/dues/settings", methods=["PUT"])
@blueprint.arguments(schemas.DuesSettingsIn)
@blueprint.response(200, schemas.DuesSettingsOut)
@document_errors(blueprint, *ERRORS, 503)
@tenant_role("admin")
def put_settings(data):
    """Connect Stripe (a new secret key is checked against Stripe first) and set grace,
    reminders, currency and what lapsing does."""
    found = dues_settings.save(db.session, data)
    db.session.commit()
    return presenting.settings(found, g.tenant)


@blueprint.route("/dues/schedule", methods=["GET"])
@blueprint.response(200, schemas.DuesScheduleOut)
@document_errors(blueprint, 401, 404)
def get_schedule():
    """The dues schedule: tiers by kind, the sliding scale, the minimum and the period."""
    found = dues_settings.schedule(db.session)
    if found is None:
        raise NotFound(_("No dues schedule has been set yet."))
    return presenting.schedule(found, dues_settings.effective(db.session).currency)


@blueprint.route("/dues/schedule", methods=["PUT"])
@blueprint.arguments(schemas.DuesScheduleIn)
@blueprint.response(200, schemas.DuesScheduleOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def put_schedule(data):
    """Set the schedule; no tier or band may be under the minimum."""
    found = dues_settings.save_schedule(
        db.session, data["period"], data["tiers"], data["sliding_scale"], data["minimum"]
    )
    db.session.commit()
    return presenting.schedule(found, dues_settings.effective(db.session).currency)


@blueprint.route("/dues/members", methods=["GET"])
@blueprint.arguments(schemas.DuesMemberQuery, location="query")
@blueprint.response(200, schemas.DuesMemberListOut)
@document_errors(blueprint, 401, 403, 404, 422)
@tenant_role("admin")
def list_members(query):
    """The register, optionally only members of one standing, with counts of each."""
    found = register.listing(db.session, query["standing"])
    return {
        "members": [presenting.member(db.session, m, with_payments=False) for m in found],
        "counts": register.counts(db.session),
    }


@blueprint.route("/dues/members", methods=["POST"])
@blueprint.arguments(schemas.DuesMemberIn)
@blueprint.response(201, schemas.DuesMemberCreatedOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def add_member(data):
    """Put a member organisation or individual on the register at the schedule's dues."""
    member = register.join(db.session, data, utcnow().date())
    db.session.commit()
    return {"id": member.id, "amount": decimal_string(member.amount), "currency": member.currency,
            "standing": member.standing}  # fmt: skip


def _visible_member(member_id):
    member = register.get(db.session, member_id)
    if not has_role("admin") and member.account_id != current_user.id:
        raise Forbidden(_("Only an officer or the member itself can see this."), code="role_required")
    return member


@blueprint.route("/dues/members/<id:member_id>", methods=["GET"])
@blueprint.response(200, schemas.DuesMemberOut)
@document_errors(blueprint, 401, 403, 404)
def get_member(member_id):
    """A member's standing, paid-through date, grace end and payments."""
    return presenting.member(db.session, _visible_member(member_id))


@blueprint.route("/dues/members/<id:member_id>/payment-method", methods=["POST"])
@blueprint.arguments(schemas.DuesPaymentMethodIn)
@blueprint.response(200, schemas.DuesMemberOut)
@document_errors(blueprint, *ERRORS, 402, 503)
def payment_method(data, member_id):
    """Attach a card from Stripe's hosted step as the member's default; a member whose
    dues are due is billed at once (by the worker)."""
    _visible_member(member_id)
    member = billing.add_payment_method(db.session, g.tenant, member_id, data["payment_method"])
    if member.renews_on <= utcnow().date():
        enqueue_after_commit(db.session, jobs.bill_member, member.id, tenant=g.tenant)
    db.session.commit()
    return presenting.member(db.session, member)


@blueprint.route("/dues/members/<id:member_id>/payments", methods=["POST"])
@blueprint.arguments(schemas.DuesManualPaymentIn)
@blueprint.response(201, schemas.DuesPaymentOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def record_payment(data, member_id):
    """An officer records a check or transfer; a period already paid is refused (409)."""
    payment = register.record_payment(db.session, g.tenant, member_id, data, current_user.id, utcnow().date())
    db.session.commit()
    return presenting.payment(payment)


@blueprint.route("/dues/renewals", methods=["POST"])
@blueprint.response(202, schemas.DuesJobOut)
@document_errors(blueprint, 401, 403, 404, 409, 415)
@tenant_role("admin")
def renewals():
    """Bill everyone due now (the hourly sweep's daily renewal does the same); follow the
    job at GET /api/v1/jobs/<job_id>."""
    dues_settings.require_connected(db.session)
    job_id = enqueue_after_commit(
        db.session, jobs.renewal_run, tenant=g.tenant, track=(current_user.id, g.tenant.id, "Dues renewal run")
    )
    db.session.commit()
    return {"job_id": job_id}


@blueprint.route("/dues/collected", methods=["GET"])
@blueprint.response(200, schemas.DuesCollectedOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def collected():
    """Dues collected by month (the last twelve) and by year, and members by standing."""
    currency = dues_settings.effective(db.session).currency
    by_month = reports.collected_by_month(db.session, utcnow().date())
    return {
        "currency": currency,
        "by_month": [{"month": m["month"], "amount": decimal_string(m["amount"])} for m in by_month],
        "by_year": [{"year": y["year"], "amount": decimal_string(y["amount"])} for y in reports.collected_by_year(db.session)],
        "counts": register.counts(db.session),
    }  # fmt: skip


@blueprint.route("/dues/support/tickets", methods=["GET"])
@blueprint.response(200, schemas.DuesTicketListOut)
@document_errors(blueprint, 401, 404)
def list_tickets():
    """The support queue, newest first (404 when the organisation has none)."""
    return {"tickets": [presenting.ticket(t) for t in support.tickets(db.session)]}


@blueprint.route("/dues/support/tickets", methods=["POST"])
@blueprint.arguments(schemas.DuesTicketIn)
@blueprint.response(201, schemas.DuesTicketOut)
@document_errors(blueprint, *ERRORS)
def file_ticket(data):
    """File a ticket; ``public`` ones can be read by anyone."""
    ticket = support.file_ticket(
        db.session, current_user.id, current_user.name, data["subject"], data["body"], data["public"]
    )
    db.session.commit()
    return presenting.ticket(ticket, [])


@blueprint.route("/dues/support/tickets/<id:ticket_id>", methods=["GET"])
@blueprint.response(200, schemas.DuesTicketOut)
@document_errors(blueprint, 401, 404)
def get_ticket(ticket_id):
    """A ticket and its answers."""
    ticket = support.get(db.session, ticket_id)
    return presenting.ticket(ticket, support.answers(db.session, ticket.id))


@blueprint.route("/dues/support/tickets/<id:ticket_id>/answers", methods=["POST"])
@blueprint.arguments(schemas.DuesAnswerIn)
@blueprint.response(201, schemas.DuesTicketOut)
@document_errors(blueprint, *ERRORS)
def answer_ticket(data, ticket_id):
    """Any member may answer a ticket."""
    support.answer(db.session, ticket_id, current_user.id, current_user.name, data["body"])
    db.session.commit()
    ticket = support.get(db.session, ticket_id)
    return presenting.ticket(ticket, support.answers(db.session, ticket.id))
