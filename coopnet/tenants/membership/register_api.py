"""The register in the JSON API: policy, people, status, hours, buy-in, officers, statements, rota.

Its routes join the membership API blueprint (imported at the end of api.py)."""

from flask import Response, current_app, g
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.links import external_url
from coopnet.platform.context import require_officer, tenant_role
from coopnet.tenants.membership import lifecycle, people, register_csv, roles
from coopnet.tenants.membership import register_schemas as schemas
from coopnet.tenants.membership.api import blueprint
from coopnet.tenants.membership.presenting import person, policy_out

ERRORS = (400, 401, 403, 404, 409, 415, 422)


def welcome_link(token):
    return external_url("membership.welcome", token=token)


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
    entry = lifecycle.add_hours(db.session, g.tenant, account_id, data["worked_on"], data["hours"], current_user.id)
    db.session.commit()
    return entry


@blueprint.route("/members/<id:account_id>/payments", methods=["POST"])
@blueprint.arguments(schemas.PaymentIn)
@blueprint.response(201, schemas.PaymentOut)
@document_errors(blueprint, *ERRORS)
def pay_buy_in(data, account_id):
    """A buy-in instalment paid (officers); never more than is owed."""
    require_officer()
    payment = lifecycle.pay_buy_in(
        db.session, g.tenant, account_id, data["amount"], data["paid_on"], current_user.id, data["note"]
    )
    db.session.commit()
    return payment


@blueprint.route("/officers", methods=["GET"])
@blueprint.response(200, schemas.TermListOut)
@document_errors(blueprint, 401, 404)
def list_officers():
    """Who holds each officer role now and when each term ends, and every term."""
    return {"current": roles.officers(db.session), "terms": roles.terms(db.session)}


@blueprint.route("/officers", methods=["POST"])
@blueprint.arguments(schemas.TermIn)
@blueprint.response(201, schemas.TermOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def appoint(data):
    """Start a term in a role; it may not overlap the current holder's (409)."""
    term = roles.appoint(db.session, data["role"], data["account_id"], data["starts_on"], data["ends_on"])
    db.session.commit()
    return term


@blueprint.route("/accountability", methods=["GET"])
@blueprint.response(200, schemas.StatementListOut)
@document_errors(blueprint, 401, 404)
def list_statements():
    """Every accountability statement, newest first; all members read them."""
    return {"statements": roles.statements(db.session)}


@blueprint.route("/accountability", methods=["POST"])
@blueprint.arguments(schemas.StatementIn)
@blueprint.response(201, schemas.StatementOut)
@document_errors(blueprint, *ERRORS)
def file_statement(data):
    """File a statement about any member, yourself included; it can never be edited."""
    statement = roles.file_statement(db.session, current_user.id, data["subject_id"], data["kind"], data["body"])
    db.session.commit()
    return statement


@blueprint.route("/accountability/<id:statement_id>/response", methods=["POST"])
@blueprint.arguments(schemas.ResponseIn)
@blueprint.response(200, schemas.StatementOut)
@document_errors(blueprint, *ERRORS)
def respond(data, statement_id):
    """The subject's one response."""
    statement = roles.respond(db.session, statement_id, current_user.id, data["response"])
    db.session.commit()
    return statement


@blueprint.route("/rota", methods=["GET"])
@blueprint.response(200, schemas.RotaOut)
@document_errors(blueprint, 401, 404)
def get_rota():
    """Shifts from now on."""
    return {"shifts": roles.rota(db.session)}


@blueprint.route("/rota", methods=["POST"])
@blueprint.arguments(schemas.RotaIn)
@blueprint.response(201, schemas.RotaOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def generate_rota(data):
    """Deal shifts fairly over the members taking part (admins)."""
    shifts = roles.generate_rota(db.session, data["participants"], data["starts_at"], data["days"], data["shift_hours"])
    db.session.commit()
    return {"shifts": shifts}


@blueprint.route("/rota/<id:shift_id>/swap", methods=["POST"])
@blueprint.arguments(schemas.SwapIn)
@blueprint.response(200, schemas.RotaOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def swap_shift(data, shift_id):
    """Swap two members' shifts (admins, when both have agreed)."""
    swapped = roles.swap(db.session, shift_id, data["with_shift_id"])
    db.session.commit()
    return {"shifts": list(swapped)}
