"""Absolute links for mail and API answers, built from BASE_URL, never from the
Host header a request happened to carry."""

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)
