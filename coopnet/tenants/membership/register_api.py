"""The register in the JSON API: policy, people, status, hours, buy-in, exits.

Its routes join the membership API blueprint (imported at the end of api.py)."""

from flask import Response, current_app, g
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.platform.context import require_officer, tenant_role
from coopnet.tenants.membership import exits, lifecycle, people, presenting, probation, register_csv
from coopnet.tenants.membership import register_schemas as schemas
from coopnet.tenants.membership.api import blueprint
from coopnet.tenants.membership.links import welcome_link
from coopnet.tenants.membership.presenting import person, policy_out

ERRORS = (400, 401, 403, 404, 409, 415, 422)


@blueprint.route("/membership-policy", methods=["GET"])
@blueprint.response(200, schemas.PolicyOut)
@document_errors(blueprint, 401, 404)
def get_policy():
    """The co-op's probation and buy-in policy."""
    return policy_out(db.session)


@blueprint.route("/membership-policy", methods=["PUT"])
@blueprint.arguments(schemas.PolicyIn)
@blueprint.response(200, schemas.PolicyOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def put_policy(data):
    """Set probation months and/or hours, the buy-in and its instalments, the entrance fee (admins)."""
    lifecycle.set_policy(db.session, data)
    db.session.commit()
    return policy_out(db.session)


@blueprint.route("/members", methods=["POST"])
@blueprint.arguments(schemas.PersonIn)
@blueprint.response(201, schemas.PersonOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def add_member(data):
    """Enter a person in the register with the status they have had since a date (admins).
    Someone with no account gets one without a password, and a mail to set it."""
    account, _ = people.add_person(
        db.session,
        g.tenant,
        current_user.id,
        data["email"],
        data["name"],
        data["status"],
        data["since"],
        data["member_class"],
        current_app.config["SECRET_KEY"],
        welcome_link,
    )
    db.session.commit()
    return person(db.session, account.id)


@blueprint.route("/members/import", methods=["POST"])
@blueprint.arguments(schemas.ImportIn)
@blueprint.response(200, schemas.ImportOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def import_members(data):
    """Bring in a register from CSV: ``preview`` names every bad row and writes nothing;
    an import writes every row or, if any row is bad, none (422 naming each line)."""
    if data["preview"]:
        found = register_csv.preview(db.session, g.tenant, data["csv"])
        db.session.rollback()
        return {**found, "imported": 0}
    imported = people.import_register(
        db.session, g.tenant, current_user.id, data["csv"], current_app.config["SECRET_KEY"], welcome_link
    )
    db.session.commit()
    return {"rows": imported, "imported": imported, "problems": {}}


@blueprint.route("/members/export.csv", methods=["GET"])
@document_errors(blueprint, 401, 403, 404)
@blueprint.response(200, description="The register as CSV", content_type="text/csv")
def export_members():
    """The register as CSV: email, name, status, since, class."""
    return Response(register_csv.export(db.session), mimetype="text/csv")


@blueprint.route("/register", methods=["GET"])
@blueprint.response(200, schemas.RegisterOut)
@document_errors(blueprint, 401, 404)
def get_register():
    """Everyone in the register: status, since when, class and probation progress."""
    return {"people": presenting.register(db.session)}


@blueprint.route("/members/<id:account_id>", methods=["GET"])
@blueprint.response(200, schemas.PersonOut)
@document_errors(blueprint, 401, 404)
def get_member(account_id):
    """A person's status, class, since when, probation progress and status history."""
    return person(db.session, account_id)


@blueprint.route("/members/<id:account_id>/status", methods=["POST"])
@blueprint.arguments(schemas.StatusIn)
@blueprint.response(200, schemas.PersonOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def change_status(data, account_id):
    """Move a person to another status (leave, withdrawn ...), audited. A candidate becomes
    a member only through a passed admission proposal (409 here)."""
    lifecycle.change_status(
        db.session, g.tenant, account_id, data["status"], data["on"], current_user.id, data["reason"]
    )
    db.session.commit()
    return person(db.session, account_id)


@blueprint.route("/members/<id:account_id>/hours", methods=["POST"])
@blueprint.arguments(schemas.HoursIn)
@blueprint.response(201, schemas.HoursOut)
@document_errors(blueprint, *ERRORS)
def add_hours(data, account_id):
    """Hours a candidate worked on a day (officers). Meeting the policy opens the admission proposal."""
    require_officer()
    entry = probation.add_hours(db.session, g.tenant, account_id, data["worked_on"], data["hours"], current_user.id)
    db.session.commit()
    return entry


@blueprint.route("/members/<id:account_id>/payments", methods=["POST"])
@blueprint.arguments(schemas.PaymentIn)
@blueprint.response(201, schemas.PaymentOut)
@document_errors(blueprint, *ERRORS)
def pay_buy_in(data, account_id):
    """A buy-in instalment paid (officers); never more than is owed."""
    require_officer()
    payment = probation.pay_buy_in(
        db.session, g.tenant, account_id, data["amount"], data["paid_on"], current_user.id, data["note"]
    )
    db.session.commit()
    return payment


@blueprint.route("/members/<id:account_id>/entrance-fee", methods=["PUT"])
@blueprint.arguments(schemas.EntranceFeeIn)
@blueprint.response(200, schemas.PersonOut)
@document_errors(blueprint, *ERRORS)
def defer_entrance_fee(data, account_id):
    """Defer the entrance fee a person owes, or end the deferral (officers)."""
    require_officer()
    probation.defer_entrance_fee(db.session, account_id, data["deferred"], current_user.id)
    db.session.commit()
    return person(db.session, account_id)


@blueprint.route("/members/<id:account_id>/hours", methods=["GET"])
@blueprint.response(200, schemas.HoursListOut)
@document_errors(blueprint, 401, 404)
def list_hours(account_id):
    """The hours entered for a person, latest first."""
    lifecycle.record(db.session, account_id)
    return {"hours": probation.hours_entries(db.session, account_id)}


@blueprint.route("/members/<id:account_id>/payments", methods=["GET"])
@blueprint.response(200, schemas.PaymentListOut)
@document_errors(blueprint, 401, 404)
def list_payments(account_id):
    """A person's buy-in payments, and refunds at exit (negative)."""
    lifecycle.record(db.session, account_id)
    return {"payments": probation.payments(db.session, account_id)}


@blueprint.route("/members/<id:account_id>/exit", methods=["POST"])
@blueprint.arguments(schemas.ExitIn)
@blueprint.response(201, schemas.ExitOut)
@document_errors(blueprint, *ERRORS)
def propose_exit(data, account_id):
    """Propose a withdrawal (yourself, or anyone as an admin) or an expulsion (members): a
    proposal opens in the rulebook's own category for it when there is one; when it passes
    the person leaves that day and what the co-op owes back is recorded."""
    proposed = exits.propose_exit(
        db.session, g.tenant, account_id, data["status"], data["reason"], current_user.id, g.membership.role
    )
    db.session.commit()
    return proposed


@blueprint.route("/members/<id:account_id>/refund", methods=["POST"])
@blueprint.arguments(schemas.RefundIn)
@blueprint.response(201, schemas.PaymentOut)
@document_errors(blueprint, *ERRORS)
def refund(data, account_id):
    """Pay back what the co-op owes someone who left, all at once or in part (officers)."""
    require_officer()
    payment = exits.refund_at_exit(db.session, account_id, current_user.id, data["paid_on"], data["amount"])
    db.session.commit()
    return payment
