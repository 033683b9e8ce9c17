"""Dues pages: the dashboard (standing, chart, register), a member with its payments and
receipts, CSV export, the member's pay link, the Stripe webhook, and the support queue."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.database import utcnow
from coopnet.errors import NotFound, ServiceError, api_error
from coopnet.extensions import csrf, db
from coopnet.forms import EmptyForm, committed, submit
from coopnet.platform.context import public_tenant_route, tenant_blueprint, tenant_role
from coopnet.tenants.dues import billing, jobs, links, register, reports, support, webhooks
from coopnet.tenants.dues import settings as dues_settings
from coopnet.tenants.dues.forms import AnswerForm, PaymentForm, TicketForm
from coopnet.tenants.dues.models import DuesPayment
from coopnet.worker.queues import enqueue_after_commit

blueprint = tenant_blueprint("dues", __name__, template_folder="templates")


@blueprint.route("/dues")
@tenant_role("admin")
def dashboard():
    config = dues_settings.effective(db.session)
    today = utcnow().date()
    by_month = reports.collected_by_month(db.session, today)
    members = register.listing(db.session, request.args.get("standing") or None)
    return render_template(
        "dues/dashboard.html",
        config=config,
        counts=register.counts(db.session),
        members=members,
        by_month=by_month,
        by_year=reports.collected_by_year(db.session),
        total=sum(m["amount"] for m in by_month),
        chart=reports.chart_svg(by_month, config.currency),
        schedule=dues_settings.schedule(db.session),
    )


@blueprint.route("/dues/members/<id:member_id>", methods=["GET", "POST"])
@tenant_role("admin")
def member_page(member_id):
    member = register.get(db.session, member_id)
    form = PaymentForm()
    values = {
        "amount": form.amount.data,
        "method": form.method.data,
        "reference": form.reference.data,
        "received_on": form.received_on.data,
    }
    result = submit(
        form,
        committed(register.record_payment, db.session, g.tenant, member.id, values, current_user.id, utcnow().date()),
    )
    if result.ok:
        flash(_("Payment recorded; a receipt is on its way."), "success")
        return redirect(url_for("dues.member_page", member_id=member.id))
    return (
        render_template(
            "dues/member.html",
            member=member,
            payments=register.payments_of(db.session, member.id),
            pending=register.pending_charge(db.session, member.id),
            form=form,
            votes=register.effective_votes(member),
        ),
        result.status,
    )


@blueprint.route("/dues/export.csv")
@tenant_role("admin")
def export_csv():
    return Response(
        reports.register_csv(db.session),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{g.tenant.slug}-dues-register.csv"'},
    )


@blueprint.route("/dues/payments/<id:payment_id>/receipt.pdf")
@tenant_role("admin")
def receipt(payment_id):
    return _receipt(db.session.get(DuesPayment, payment_id))


@blueprint.route("/dues/receipts/<token>")
@public_tenant_route
def receipt_by_link(token):
    payment_id = links.read("receipt", token, g.tenant.id) if g.tenant is not None else None
    if payment_id is None:
        _nothing_here(_("There is no such receipt."))
    return _receipt(db.session.get(DuesPayment, payment_id))


def _nothing_here(message):
    """A guessed or stale link, or a queue that is off, learns nothing about the organisation."""
    g.pop("tenant", None)
    raise NotFound(message)


def _receipt(payment):
    if payment is None:
        raise NotFound(_("There is no such receipt."))
    member = register.get(db.session, payment.member_id)
    return Response(
        reports.receipt_pdf(g.tenant.name, member, payment),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="receipt-{payment.id}.pdf"'},
    )


@blueprint.route("/dues/pay/<token>")
@public_tenant_route
def pay(token):
    """The pay link from a reminder: what is owed, and the hosted payment step."""
    member_id = links.read("pay", token, g.tenant.id) if g.tenant is not None else None
    if member_id is None:
        _nothing_here(_("This pay link does not work."))
    member = register.get(db.session, member_id)
    connected = (dues_settings.current(db.session) or dues_settings.defaults()).stripe_secret_key is not None
    return render_template(
        "dues/pay.html",
        member=member,
        connected=connected,
        pending=register.pending_charge(db.session, member.id),
        form=EmptyForm(),
        token=token,
    )


@blueprint.route("/dues/pay/<token>/checkout", methods=["POST"])
@public_tenant_route
def checkout(token):
    """From the pay link: on to Stripe's hosted payment page, back to the pay link after."""
    member_id = links.read("pay", token, g.tenant.id) if g.tenant is not None else None
    if member_id is None:
        _nothing_here(_("This pay link does not work."))
    form = EmptyForm()  # (its CSRF token was checked before the view, as for every form)
    back = links.pay_link(g.tenant, member_id)
    try:
        address = billing.start_checkout(db.session, g.tenant, member_id, f"{back}?paid=1", back)
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        member = register.get(db.session, member_id)
        return render_template(
            "dues/pay.html",
            member=member,
            connected=True,
            pending=register.pending_charge(db.session, member.id),
            problem=error.message,
            form=form,
            token=token,
        ), error.status
    return redirect(address, 303)


@blueprint.route("/stripe/webhook", methods=["POST"])
@public_tenant_route
@csrf.exempt
def stripe_webhook():
    """Stripe's deliveries for this organisation (signed with its webhook secret)."""
    secret = webhooks.webhook_secret(db.session) if g.tenant is not None else None
    if secret is None:
        return api_error(404, "not_found", _("No Stripe webhook is set up here."))
    try:
        new, event_id = webhooks.receive(
            db.session,
            g.tenant,
            request.get_data(),
            request.headers.get("Stripe-Signature"),
            secret,
            lambda row: enqueue_after_commit(db.session, jobs.process_stripe_event, row),
        )
    except ServiceError as error:
        db.session.rollback()
        return api_error(error.status, error.code, error.message)
    db.session.commit()
    return {"received": True, "id": event_id, "duplicate": not new}


@blueprint.route("/support", methods=["GET", "POST"])
def support_queue():
    if not dues_settings.effective(db.session).support_queue:
        return render_template("dues/support_off.html")
    form = TicketForm()
    result = submit(
        form,
        committed(
            lambda: support.file_ticket(
                db.session, current_user.id, current_user.name, form.subject.data, form.body.data, form.public.data
            )
        ),
    )
    if result.ok:
        flash(_("Your ticket is in the queue."), "success")
        return redirect(url_for("dues.ticket_page", ticket_id=result.value.id))
    return render_template("dues/support.html", tickets=support.tickets(db.session), form=form), result.status


@blueprint.route("/support/<id:ticket_id>", methods=["GET", "POST"])
def ticket_page(ticket_id):
    ticket = support.get(db.session, ticket_id)
    form = AnswerForm()
    result = submit(
        form, committed(support.answer, db.session, ticket.id, current_user.id, current_user.name, form.body.data)
    )
    if result.ok:
        return redirect(url_for("dues.ticket_page", ticket_id=ticket.id))
    return (
        render_template("dues/ticket.html", ticket=ticket, answers=support.answers(db.session, ticket.id), form=form),
        result.status,
    )


@blueprint.route("/support/public")
@public_tenant_route
def public_queue():
    if g.tenant is None or not dues_settings.effective(db.session).support_queue:
        _nothing_here(_("There is no such support queue."))
    return render_template("dues/public.html", tickets=support.tickets(db.session, public_only=True))


@blueprint.route("/support/public/<id:ticket_id>")
@public_tenant_route
def public_ticket(ticket_id):
    if g.tenant is None:
        _nothing_here(_("There is no such ticket."))
    try:
        ticket = support.get(db.session, ticket_id, public_only=True)
    except NotFound:
        _nothing_here(_("There is no such ticket."))
    return render_template(
        "dues/ticket.html", ticket=ticket, answers=support.answers(db.session, ticket.id), form=None, public=True
    )
