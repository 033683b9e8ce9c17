"""Throttling: failed log-ins per account and per address, and co-ops created per address."""

from flask import current_app, request
from flask_limiter.util import get_remote_address

from coopnet.extensions import limiter


def _login_email():
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if hasattr(data, "get") else None
    return "account:" + (email if isinstance(email, str) else "").strip().lower()[:254]


def _failed(response):
    return response.status_code == 401


def throttle_login(view):
    """Counts only failed attempts, shared by the HTML and JSON login."""
    view = limiter.shared_limit(
        lambda: current_app.config["LOGIN_ACCOUNT_LIMIT"],
        scope="login-account",
        key_func=_login_email,
        methods=["POST"],
        deduct_when=_failed,
        error_message="Too many failed log-ins for this account. Wait 15 minutes and try again.",
    )(view)
    view = limiter.shared_limit(
        lambda: current_app.config["LOGIN_ADDRESS_LIMIT"],
        scope="login-address",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_failed,
        error_message="Too many failed log-ins from your address. Wait 15 minutes and try again.",
    )(view)
    return view


def _created(response):
    return response.status_code in (201, 302)


def throttle_signup(view):
    """Counts co-ops actually created from one address, shared by the form and the API."""
    return limiter.shared_limit(
        lambda: current_app.config["SIGNUP_ADDRESS_LIMIT"],
        scope="signup-address",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_created,
        error_message="Too many co-ops created from your address today. Try again tomorrow or ask the operator.",
    )(view)
