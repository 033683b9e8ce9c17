"""The account's security in the JSON API under /api/v1: password reset and sign-in
links, address verification and change, password change, the session list,
two-factor authentication, deleting the account; and a co-op's two-factor rule."""

from flask import g, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from coopnet.api import api_blueprint, document_errors
from coopnet.extensions import db
from coopnet.links import external_url
from coopnet.platform import account_links, accounts, sessions, two_factor
from coopnet.platform.account_deletion import delete_account
from coopnet.platform.auth import refuse_tokens
from coopnet.platform.context import tenant_api_blueprint, tenant_role
from coopnet.platform.schemas import (
    CoopSecurityIn,
    CoopSecurityOut,
    EmailChangeIn,
    EmailIn,
    LinkTokenIn,
    MessageOut,
    PasswordChangeIn,
    PasswordIn,
    PasswordResetIn,
    RecoveryCodesOut,
    SessionListOut,
    SessionOut,
    SignInLinkIn,
    TwoFactorConfirmIn,
    TwoFactorOut,
    TwoFactorSetupOut,
)
from coopnet.platform.throttle import throttle_mailed_links

blueprint = api_blueprint("account_api", __name__, "/api/v1", "Account security: links, sessions, two-factor")
coop_blueprint = tenant_api_blueprint("coop_security_api", __name__, "A co-op's security rules (admins)")

LINK_ENDPOINTS = {
    "reset_password": "account.reset_password",
    "verify_email": "account.verify_email",
    "change_email": "account.confirm_email_change",
    "sign_in": "account.sign_in_with_link",
}
IF_ACCOUNT = _l("If an account uses that address, we mailed it a link. It works once and expires soon.")


def mailed_link(purpose, token):
    """The page a mailed link opens (a button there does the work: scanners open links)."""
    return external_url(LINK_ENDPOINTS[purpose], token=token)


def accepted(message):
    response = jsonify(MessageOut().dump({"message": str(message)}))
    response.status_code = 202
    return response


@blueprint.route("/password-reset", methods=["POST"])
@blueprint.arguments(EmailIn)
@blueprint.alt_response(202, schema=MessageOut, description="The same answer whether or not the address has an account")
@document_errors(blueprint, 400, 415, 422, 429)
@throttle_mailed_links
def request_password_reset(data):
    """Mail a single-use link (an hour) that sets a new password."""
    account_links.request_password_reset(db.session, data["email"], mailed_link)
    db.session.commit()
    return accepted(IF_ACCOUNT)


@blueprint.route("/password-reset/confirm", methods=["POST"])
@blueprint.arguments(PasswordResetIn)
@blueprint.response(204)
@document_errors(blueprint, 400, 404, 415, 422)
def reset_password(data):
    """Set the new password from the link; every session of the account ends. Log in after."""
    account_links.reset_password(db.session, accounts.hasher(), data["token"], data["password"])
    db.session.commit()


@blueprint.route("/sign-in-link", methods=["POST"])
@blueprint.arguments(EmailIn)
@blueprint.alt_response(202, schema=MessageOut, description="The same answer whether or not the address has an account")
@document_errors(blueprint, 400, 415, 422, 429)
@throttle_mailed_links
def request_sign_in_link(data):
    """Mail a single-use sign-in link (15 minutes): the way in when failed log-ins
    from elsewhere throttle your address."""
    account_links.request_sign_in_link(db.session, data["email"], mailed_link)
    db.session.commit()
    return accepted(IF_ACCOUNT)


@blueprint.route("/sign-in-link/confirm", methods=["POST"])
@blueprint.arguments(SignInLinkIn)
@blueprint.response(200, SessionOut)
@document_errors(blueprint, 400, 401, 404, 415, 422, 429)
def sign_in_with_link(data):
    """Log in with the link (and a code when two-factor is on); sets the session cookie.
    A missing or wrong code leaves the link usable."""
    account = account_links.sign_in_with_link(db.session, data["token"], data.get("code"))
    db.session.commit()
    sessions.start_session(account)
    return {"account": account}


@blueprint.route("/account/verification", methods=["POST"])
@blueprint.alt_response(202, schema=MessageOut, description="A link was mailed to the account's address")
@document_errors(blueprint, 401, 409, 429)
@login_required
@throttle_mailed_links
def request_verification():
    """Mail a link that verifies your address (needed to accept invitations)."""
    account_links.request_verification(db.session, current_user, mailed_link)
    db.session.commit()
    return accepted(_("We mailed a link to %(email)s. It works for two days.", email=current_user.email))


@blueprint.route("/account/verification/confirm", methods=["POST"])
@blueprint.arguments(LinkTokenIn)
@blueprint.response(200, SessionOut)
@document_errors(blueprint, 400, 404, 415, 422)
def verify_email(data):
    """Follow the verification link: the address is proven."""
    account = account_links.verify_email(db.session, data["token"])
    db.session.commit()
    return {"account": account}


@blueprint.route("/account/email", methods=["POST"])
@blueprint.arguments(EmailChangeIn)
@blueprint.alt_response(202, schema=MessageOut, description="A link was mailed to the new address")
@document_errors(blueprint, 400, 401, 403, 415, 422, 429)
@login_required
@refuse_tokens
@throttle_mailed_links
def request_email_change(data):
    """Move the account to a new address: nothing changes until the link mailed there is followed."""
    account_links.request_email_change(
        db.session, accounts.hasher(), current_user, data["password"], data["email"], mailed_link
    )
    db.session.commit()
    return accepted(_("We mailed a link to the new address. Your address changes when it is followed."))


@blueprint.route("/account/email/confirm", methods=["POST"])
@blueprint.arguments(LinkTokenIn)
@blueprint.response(200, SessionOut)
@document_errors(blueprint, 400, 404, 409, 415, 422)
def confirm_email_change(data):
    """Follow the link mailed to the new address: the account moves there."""
    account = account_links.confirm_email_change(db.session, data["token"])
    db.session.commit()
    return {"account": account}


@blueprint.route("/account/password", methods=["POST"])
@blueprint.arguments(PasswordChangeIn)
@blueprint.response(204)
@document_errors(blueprint, 400, 401, 403, 415, 422)
@login_required
@refuse_tokens
def change_password(data):
    """A new password; every other session of the account ends."""
    accounts.change_password(
        db.session,
        accounts.hasher(),
        current_user,
        data["current_password"],
        data["new_password"],
        sessions.current_session_id(),
    )
    db.session.commit()
    sessions.follow_generation(current_user)


@blueprint.route("/sessions", methods=["GET"])
@blueprint.response(200, SessionListOut)
@document_errors(blueprint, 401, 403)
@login_required
@refuse_tokens
def list_sessions():
    """Where your account is logged in."""
    return {"sessions": sessions.live_sessions(db.session, current_user)}


@blueprint.route("/sessions/<id:session_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404)
@login_required
@refuse_tokens
def end_session(session_id):
    """Log one session out (this one too, if you name it)."""
    sessions.end_one_session(current_user, session_id)


@blueprint.route("/account/two-factor", methods=["GET"])
@blueprint.response(200, TwoFactorOut)
@document_errors(blueprint, 401)
@login_required
def two_factor_status():
    """Whether two-factor is on, recovery codes left, and which of your co-ops require it."""
    return {
        "enabled": current_user.two_factor_enabled,
        "recovery_codes_left": two_factor.recovery_codes_left(db.session, current_user),
        "required_by": two_factor.requiring_coops(db.session, current_user),
    }


@blueprint.route("/account/two-factor", methods=["POST"])
@blueprint.response(201, TwoFactorSetupOut)
@document_errors(blueprint, 401, 403, 409)
@login_required
@refuse_tokens
def begin_two_factor():
    """Start setting up: a secret for your authenticator app. Not on until confirmed with a code."""
    setup = two_factor.begin_setup(db.session, current_user)
    db.session.commit()
    return {"secret": setup.secret, "uri": setup.uri}


@blueprint.route("/account/two-factor/confirm", methods=["POST"])
@blueprint.arguments(TwoFactorConfirmIn)
@blueprint.response(200, RecoveryCodesOut)
@document_errors(blueprint, 400, 401, 403, 409, 415, 422)
@login_required
@refuse_tokens
def confirm_two_factor(data):
    """Turn two-factor on with a code from the app and your password; the answer holds
    your recovery codes, once."""
    codes = two_factor.confirm_setup(
        db.session, accounts.hasher(), current_user, data["code"], data["password"], sessions.current_session_id()
    )
    db.session.commit()
    sessions.follow_generation(current_user)
    return {"recovery_codes": codes}


@blueprint.route("/account/two-factor/disable", methods=["POST"])
@blueprint.arguments(PasswordIn)
@blueprint.response(204)
@document_errors(blueprint, 400, 401, 403, 409, 415, 422)
@login_required
@refuse_tokens
def disable_two_factor(data):
    """Turn two-factor off (refused while one of your co-ops requires it)."""
    two_factor.disable(db.session, accounts.hasher(), current_user, data["password"])
    db.session.commit()


@blueprint.route("/account/two-factor/recovery-codes", methods=["POST"])
@blueprint.arguments(PasswordIn)
@blueprint.response(200, RecoveryCodesOut)
@document_errors(blueprint, 400, 401, 403, 409, 415, 422)
@login_required
@refuse_tokens
def new_recovery_codes(data):
    """Ten new recovery codes; the old ones stop working."""
    codes = two_factor.regenerate_recovery_codes(db.session, accounts.hasher(), current_user, data["password"])
    db.session.commit()
    return {"recovery_codes": codes}


@blueprint.route("/account/deletion", methods=["POST"])
@blueprint.arguments(PasswordIn)
@blueprint.response(204)
@document_errors(blueprint, 400, 401, 403, 409, 415, 422)
@login_required
@refuse_tokens
def delete_own_account(data):
    """Delete your account: you leave every co-op, and what you did there stays under "Former member"."""
    delete_account(db.session, accounts.hasher(), current_user, data["password"])
    db.session.commit()
    sessions.end_session(current_user)


@coop_blueprint.route("/security", methods=["GET"])
@coop_blueprint.response(200, CoopSecurityOut)
@document_errors(coop_blueprint, 401, 404)
def coop_security():
    """Whether the co-op requires two-factor authentication of its members."""
    return {"require_two_factor": g.tenant.require_two_factor}


@coop_blueprint.route("/security", methods=["PUT"])
@coop_blueprint.arguments(CoopSecurityIn)
@coop_blueprint.response(200, CoopSecurityOut)
@document_errors(coop_blueprint, 400, 401, 403, 404, 409, 415, 422)
@tenant_role("admin")
@refuse_tokens
def set_coop_security(data):
    """Require two-factor authentication of every member (admins; yours must be on)."""
    two_factor.set_requirement(db.session, g.tenant.id, current_user, data["require_two_factor"])
    db.session.commit()
    return {"require_two_factor": data["require_two_factor"]}
