"""Officers, accountability statements and the duty rota in the JSON API.

Its routes join the membership API blueprint (imported at the end of api.py)."""

from flask import g
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.links import external_url
from coopnet.platform.context import tenant_role
from coopnet.tenants.membership import register_schemas as schemas
from coopnet.tenants.membership import roles, rota
from coopnet.tenants.membership.api import blueprint

ERRORS = (400, 401, 403, 404, 409, 415, 422)


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


@blueprint.route("/officers/<id:term_id>/end", methods=["POST"])
@blueprint.arguments(schemas.EndTermIn)
@blueprint.response(200, schemas.TermOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def end_term(data, term_id):
    """End a term on a day (early, or an open-ended one); never lengthens one (409)."""
    term = roles.end_term(db.session, term_id, data["ends_on"])
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
    return {"shifts": rota.rota(db.session)}


@blueprint.route("/rota", methods=["POST"])
@blueprint.arguments(schemas.RotaIn)
@blueprint.response(201, schemas.RotaOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def generate_rota(data):
    """Deal shifts fairly over the members taking part (admins)."""
    shifts = rota.generate_rota(db.session, data["participants"], data["starts_at"], data["days"], data["shift_hours"])
    db.session.commit()
    return {"shifts": shifts}


@blueprint.route("/rota/<id:shift_id>/swap", methods=["POST"])
@blueprint.arguments(schemas.SwapIn)
@blueprint.response(200, schemas.RotaOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def swap_shift(data, shift_id):
    """Swap two members' shifts (admins, when both have agreed)."""
    swapped = rota.swap(db.session, shift_id, data["with_shift_id"])
    db.session.commit()
    return {"shifts": list(swapped)}


@blueprint.route("/rota/<id:shift_id>/swap-requests", methods=["POST"])
@blueprint.arguments(schemas.SwapIn)
@blueprint.response(201, schemas.SwapRequestOut)
@document_errors(blueprint, *ERRORS)
def ask_swap(data, shift_id):
    """Offer your shift for another member's; it changes hands only when they accept."""
    request = rota.ask_swap(
        db.session, g.tenant, shift_id, data["with_shift_id"], current_user.id, external_url("membership.rota_page")
    )
    db.session.commit()
    return request


@blueprint.route("/rota/swap-requests", methods=["GET"])
@blueprint.response(200, schemas.SwapRequestListOut)
@document_errors(blueprint, 401, 404)
def list_swap_requests():
    """Swaps you asked for or were asked, open ones first."""
    return {"swap_requests": rota.swap_requests(db.session, current_user.id)}


@blueprint.route("/rota/swap-requests/<id:swap_id>/accept", methods=["POST"])
@blueprint.response(200, schemas.SwapRequestOut)
@document_errors(blueprint, 401, 403, 404, 409)
def accept_swap(swap_id):
    """The member asked accepts: the two shifts change hands."""
    request = rota.answer_swap(db.session, swap_id, current_user.id, accept=True)
    db.session.commit()
    return request


@blueprint.route("/rota/swap-requests/<id:swap_id>/decline", methods=["POST"])
@blueprint.response(200, schemas.SwapRequestOut)
@document_errors(blueprint, 401, 403, 404, 409)
def decline_swap(swap_id):
    """The member asked declines; the shifts stay as they are."""
    request = rota.answer_swap(db.session, swap_id, current_user.id, accept=False)
    db.session.commit()
    return request


@blueprint.route("/rota/swap-requests/<id:swap_id>/withdraw", methods=["POST"])
@blueprint.response(200, schemas.SwapRequestOut)
@document_errors(blueprint, 401, 403, 404, 409)
def withdraw_swap(swap_id):
    """The member who asked takes the request back before it is answered."""
    request = rota.withdraw_swap(db.session, swap_id, current_user.id)
    db.session.commit()
    return request
