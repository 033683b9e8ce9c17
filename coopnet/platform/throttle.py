"""Throttling: failed log-ins per account and per address, and signups per address and per founder email."""

from flask import current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse

from coopnet.errors import ServiceError
from coopnet.extensions import limiter
from coopnet.platform.addresses import normalise_email

# Each error_message is a callable: Flask-Limiter calls it when a limit is hit, so the
# 429's message (the page's, or the JSON error shape's) is in that request's language.


def _login_pair():
    """(account, client address): failures from one address lock that address out of
    that account, not the owner logging in from anywhere else."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    return f"account:{normalise_email(email if isinstance(email, str) else '')[:254]}|{get_remote_address()}"


def _failed(response):
    return response.status_code == 401


def throttle_login(view):
    """Counts only failed attempts, shared by the HTML and JSON login: per (account,
    client address) pair, and per client address. There is no lock on an account
    as such, so nobody can lock its owner out with five wrong passwords."""
    view = limiter.shared_limit(
        lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"],
        scope="login-account",
        key_func=_login_pair,
        methods=["POST"],
        deduct_when=_failed,
        error_message=lambda: _(
            "Too many failed log-ins for this account from your address. Wait 15 minutes and try again."
        ),
    )(view)
    view = limiter.shared_limit(
        lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
        scope="login-address",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_failed,
        error_message=lambda: _("Too many failed log-ins from your address. Wait 15 minutes and try again."),
    )(view)
    return view


def _created(response):
    return response.status_code in (201, 302)


def _signup_email():
    data = request.get_json(silent=True) if request.is_json else request.form
    founder = data.get("founder") if isinstance(data, dict) and "founder" in data else data
    email = founder.get("email") if hasattr(founder, "get") else None
    return "signup-email:" + normalise_email(email if isinstance(email, str) else "")[:254]


def _no_founder_email():
    return _signup_email() == "signup-email:"


def throttle_signup(view):
    """Every signup attempt counts, refused or not, shared by the form and the API:
    per client address, and per founder address (each one mails that address)."""
    view = limiter.shared_limit(
        lambda: current_app.config["SIGNUP_EMAIL_LIMIT"],
        scope="signup-email",
        key_func=_signup_email,
        methods=["POST"],
        exempt_when=_no_founder_email,
        error_message=lambda: _("Too many sign-ups for this email address today. Try again tomorrow."),
    )(view)
    return limiter.shared_limit(
        lambda: current_app.config["SIGNUP_ADDRESS_LIMIT"],
        scope="signup-address",
        key_func=get_remote_address,
        methods=["POST"],
        error_message=lambda: _("Too many sign-ups from your address today. Try again tomorrow or ask the operator."),
    )(view)


def _account_key():
    from flask_login import current_user

    return f"account:{current_user.id}" if current_user.is_authenticated else "account:-"


def throttle_invitations(view):
    """Invitations one account sends, across all its co-ops (the per-co-op limits are
    counted in the co-op's own invitations, by the membership service)."""
    return limiter.shared_limit(
        lambda: current_app.config["INVITATIONS_PER_ACCOUNT_LIMIT"],
        scope="invitations-account",
        key_func=_account_key,
        methods=["POST"],
        deduct_when=_created,
        error_message=lambda: _("You have sent many invitations in the last hour. Try again later."),
    )(view)


def _link_email():
    """The address a link would be mailed to: the one typed in, else the logged-in account's."""
    from flask_login import current_user

    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    if not isinstance(email, str) and current_user.is_authenticated:
        email = current_user.email
    return "link-email:" + normalise_email(email if isinstance(email, str) else "")[:254]


def _no_link_email():
    return _link_email() == "link-email:"


def throttle_mailed_links(view):
    """Every request for a mailed link (reset, sign-in, verification, address change)
    counts: per client address, and per address it would mail (so nobody floods
    someone's inbox)."""
    view = limiter.shared_limit(
        lambda: current_app.config["ACCOUNT_LINK_EMAIL_LIMIT"],
        scope="link-email",
        key_func=_link_email,
        methods=["POST"],
        exempt_when=_no_link_email,
        error_message=lambda: _("Several links were mailed to this address in the last hour. Use the newest, or wait."),
    )(view)
    return limiter.shared_limit(
        lambda: current_app.config["ACCOUNT_LINK_ADDRESS_LIMIT"],
        scope="link-address",
        key_func=get_remote_address,
        methods=["POST"],
        error_message=lambda: _("Too many links asked for from your address. Wait an hour and try again."),
    )(view)


class TooManyAttempts(ServiceError):
    status, code = 429, "too_many_attempts"


class Attempts:
    """Failed attempts at something a service checks (a code, a password typed again),
    counted per account wherever they come from, in the limiter's storage."""

    def __init__(self, setting: str, scope: str, message):
        self.setting, self.scope, self.message = setting, scope, message

    def _args(self, account_id):
        limit = parse(current_app.config[self.setting])
        return limit, current_app.config["RATELIMIT_KEY_PREFIX"], self.scope, str(account_id)

    def check(self, account_id) -> None:
        """Raise TooManyAttempts while the account has used up its failures."""
        if not limiter.limiter.test(*self._args(account_id)):
            raise TooManyAttempts(str(self.message))

    def failed(self, account_id) -> None:
        limiter.limiter.hit(*self._args(account_id))
