"""Links the network's services put in mail, built the same way by pages, API and demo."""

from flask import current_app

from coopnet.links import external_url


def join_link(token: str, network_slug: str) -> str:
    """The page where an invited person (with or without an account) joins the network."""
    return external_url("network.join", slug=network_slug, token=token)


def for_invitations(network) -> dict:
    """``make_link`` and ``ttl`` for members.invite."""
    return {
        "make_link": lambda token: join_link(token, network.slug),
        "ttl": current_app.config["INVITATION_TTL"],
    }
