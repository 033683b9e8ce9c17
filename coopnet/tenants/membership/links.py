"""Links the membership services put in mail, built by the pages, the API and the demo alike."""

from flask import url_for


def join_link(token, slug=None):
    """The join page of an invitation; ``slug`` defaults to the request's tenant."""
    values = {"slug": slug} if slug is not None else {}
    return url_for("membership.join", token=token, _external=True, **values)
