"""Spam protection a person does not notice on a network's public request form: a
limit on requests accepted from one address (the honeypot field is checked by the service)."""

from flask import current_app
from flask_limiter.util import get_remote_address

from coopnet.extensions import limiter

DEFAULT_LIMIT = "5 per hour"


def _accepted(response):
    return response.status_code in (201, 302)


def throttle_requests(view):
    """Shared by the form and the API: requests accepted from one client address."""
    return limiter.shared_limit(
        lambda: current_app.config.get("NETWORK_REQUEST_LIMIT", DEFAULT_LIMIT),
        scope="network-requests",
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=_accepted,
        error_message="Many requests came from your address in the last hour. Try again later, or write to us.",
    )(view)
