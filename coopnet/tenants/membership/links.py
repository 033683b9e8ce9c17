"""Links the membership services put in mail, built by the pages, the API and the demo alike."""

from coopnet.links import external_url


def join_link(token, slug=None):
    """The join page of an invitation; ``slug`` defaults to the request's tenant."""
    values = {"slug": slug} if slug is not None else {}
    return external_url("membership.join", token=token, **values)


def welcome_link(token):
    """The page where someone the co-op added to its register sets their first password."""
    return external_url("membership.welcome", token=token)
