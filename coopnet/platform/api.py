"""Platform JSON API under /api/v1: signup, session, account, personal tokens."""

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from coopnet.api import api_blueprint, document_errors
from coopnet.errors import api_error
from coopnet.extensions import db
from coopnet.links import external_url
from coopnet.platform import accounts, signups, tenants, two_factor
from coopnet.platform.auth import refuse_tokens
from coopnet.platform.schemas import (
    LoginIn,
    MeOut,
    NewTokenOut,
    SessionOut,
    SignupConfirmIn,
    SignupIn,
    SignupOut,
    SignupRequestedOut,
    TokenIn,
    TokenListOut,
)
from coopnet.platform.sessions import end_other_sessions, end_session, start_session
from coopnet.platform.throttle import throttle_login, throttle_signup

blueprint = api_blueprint("platform_api", __name__, "/api/v1", "Accounts, sessions, tokens and co-op signup")


def tenant_json(tenant):
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "kind": tenant.kind,
        "url": external_url("home.dashboard", slug=tenant.slug),
    }


CHECK_YOUR_MAIL = _l(
    "Check your email: we sent the founder's address a link to finish signing up. It works once, for 24 hours."
)


def signup_link(token):
    return external_url("platform.confirm_signup", token=token)


@blueprint.route("/signup", methods=["POST"])
@blueprint.arguments(SignupIn)
@blueprint.response(201, SignupOut)
@blueprint.alt_response(202, schema=SignupRequestedOut, description="A link to finish was mailed to the founder")
@document_errors(blueprint, 400, 403, 409, 415, 422, 429)
@throttle_signup
@refuse_tokens
def signup(data):
    """Sign a co-op up. With a founder (or when not logged in): 202, and a link mailed
    to the founder's address creates the co-op (the answer is the same whether or not
    the address has an account). Logged in without a founder: 201, the co-op at once."""
    if "founder" in data or not current_user.is_authenticated:
        signups.request_signup(
            db.session,
            accounts.hasher(),
            data["name"],
            data["slug"],
            data["kind"],
            data.get("founder") or {},
            signup_link,
            external_url("platform.login"),
        )
        db.session.commit()
        response = jsonify(SignupRequestedOut().dump({"message": str(CHECK_YOUR_MAIL)}))
        response.status_code = 202
        return response
    account = current_user._get_current_object()
    tenant, account = tenants.signup(
        db.session, None, data["name"], data["slug"], founder_account=account, kind=data["kind"]
    )
    return {"tenant": tenant_json(tenant), "account": account}


@blueprint.route("/signup/confirm", methods=["POST"])
@blueprint.arguments(SignupConfirmIn)
@blueprint.response(201, SignupOut)
@document_errors(blueprint, 400, 404, 409, 415, 422)
def confirm_signup(data):
    """Follow the mailed link: create the co-op and the founder's account, and log in."""
    tenant, account = signups.confirm_signup(db.session, data["token"])
    start_session(account)
    return {"tenant": tenant_json(tenant), "account": account}


@blueprint.route("/session", methods=["POST"])
@blueprint.arguments(LoginIn)
@blueprint.response(200, SessionOut)
@document_errors(blueprint, 400, 401, 415, 422, 429)
@throttle_login
def log_in(data):
    """Log in with email and password (and, with two-factor on, a code); sets the session cookie."""
    account = accounts.authenticate(db.session, accounts.hasher(), data["email"], data["password"])
    if account is None:
        return api_error(401, "invalid_credentials", _("That email and password do not match an account."))
    two_factor.require_second_factor(db.session, account, data.get("code"))
    db.session.commit()
    start_session(account)
    return {"account": account}


@blueprint.route("/session", methods=["DELETE"])
@blueprint.response(204)
def log_out():
    """Log out: this session cookie, and any copy of it, stops working."""
    end_session(current_user)


@blueprint.route("/sessions/revoke-all", methods=["POST"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 415)
@login_required
@refuse_tokens
def revoke_all_sessions():
    """Log out everywhere: every session of this account ends except the one making this call."""
    end_other_sessions(current_user._get_current_object())


@blueprint.route("/account", methods=["GET"])
@blueprint.response(200, MeOut)
@document_errors(blueprint, 401)
@login_required
def me():
    """The logged-in account and the co-ops it belongs to."""
    rows = tenants.tenants_of(db.session, current_user)
    return {"account": current_user, "memberships": [{"tenant": tenant_json(t), "role": role} for t, role in rows]}


@blueprint.route("/tokens", methods=["GET"])
@blueprint.response(200, TokenListOut)
@document_errors(blueprint, 401)
@login_required
def list_tokens():
    """Your personal API tokens (secrets are never shown again)."""
    return {"tokens": accounts.list_tokens(db.session, current_user)}


@blueprint.route("/tokens", methods=["POST"])
@blueprint.arguments(TokenIn)
@blueprint.response(201, NewTokenOut)
@document_errors(blueprint, 400, 401, 403, 415, 422)
@login_required
@refuse_tokens
def create_token(data):
    """Issue a personal API token; the secret is in this answer only. It may expire,
    be read-only, or work in one co-op's API only."""
    token, secret = accounts.issue_token(
        db.session, current_user, data["name"], data["expires_in_days"], data["read_only"], data["tenant"]
    )
    db.session.commit()
    return {"token": token, "secret": secret}


@blueprint.route("/tokens/<id:token_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 404)
@login_required
def revoke_token(token_id):
    """Revoke one of your tokens."""
    accounts.revoke_token(db.session, current_user, token_id)
    db.session.commit()
