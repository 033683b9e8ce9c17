"""The platform plan in the JSON API: a tenant's admins see it, choose a plan and add a
card (under /c/<slug>/api/v1); Stripe's deliveries for the platform's own account."""

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import api_blueprint, document_errors
from coopnet.database import utcnow
from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.platform.billing import events, jobs, presenting, schemas, services
from coopnet.platform.context import tenant_api_blueprint, tenant_role
from coopnet.worker.queues import enqueue_after_commit

blueprint = tenant_api_blueprint("billing_api", __name__, "This space's plan with the platform and paying for it")
platform_blueprint = api_blueprint(
    "billing_platform_api", __name__, "/api/v1", "The platform's own Stripe webhook (plans of every space)"
)


@blueprint.route("/billing", methods=["GET"])
@blueprint.response(200, schemas.BillingOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def get_billing():
    """The plan, the people it covers, standing (good, warned with the last day writes
    work, limited to reading), the plans to choose from and the payments made."""
    return presenting.overview(services.overview(db.session, g.tenant, utcnow().date()))


@blueprint.route("/billing/plan", methods=["PUT"])
@blueprint.arguments(schemas.PlanChoiceIn)
@blueprint.response(200, schemas.BillingOut)
@document_errors(blueprint, 400, 401, 402, 403, 404, 409, 415, 422, 503)
@tenant_role("admin")
def put_plan(data):
    """Choose a plan. A paid plan needs a card first (409 payment_method_required) and is
    charged at once; a declined first payment leaves the plan chosen and the space warned."""
    services.choose_plan(db.session, g.tenant, data["plan"], utcnow().date())
    db.session.commit()
    return presenting.overview(services.overview(db.session, g.tenant, utcnow().date()))


@blueprint.route("/billing/payment-method", methods=["POST"])
@blueprint.arguments(schemas.PaymentMethodIn)
@blueprint.response(200, schemas.BillingOut)
@document_errors(blueprint, 400, 401, 402, 403, 404, 409, 415, 422, 503)
@tenant_role("admin")
def payment_method(data):
    """Attach a card (a pm_… from Stripe's hosted step) for the plan; an unpaid invoice
    is paid with it at once."""
    services.add_payment_method(db.session, g.tenant, data["payment_method"], utcnow().date(), current_user.email)
    db.session.commit()
    return presenting.overview(services.overview(db.session, g.tenant, utcnow().date()))


@platform_blueprint.route("/billing/stripe-webhook", methods=["POST"])
@platform_blueprint.response(200, schemas.WebhookOut)
@document_errors(platform_blueprint, 400, 404, 415)
def stripe_webhook():
    """Stripe's deliveries for the platform's own account, signed with
    PLATFORM_STRIPE_WEBHOOK_SECRET: each event recorded once, applied by a job."""
    secret = events.webhook_secret()
    if not secret:
        raise NotFound(_("The platform's Stripe webhook is not set up."))
    new, event_id = events.receive(
        db.session,
        request.get_data(),
        request.headers.get("Stripe-Signature"),
        secret,
        lambda row: enqueue_after_commit(db.session, jobs.process_platform_event, row),
    )
    db.session.commit()
    return {"received": True, "id": event_id, "duplicate": not new}
