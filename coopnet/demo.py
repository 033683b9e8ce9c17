"""Demo co-ops drawn from the guide's stories, so a newcomer sees the platform at once."""

from functools import partial

from flask import current_app

from coopnet.capabilities import capabilities
from coopnet.database import tenant_scope
from coopnet.extensions import db
from coopnet.platform.accounts import create_account, find_account, hasher
from coopnet.platform.tenants import add_member, get_tenant, signup
from coopnet.tenants.membership.links import join_link
from coopnet.tenants.membership.services import invite
from coopnet.tenants.outbox.services import deliver, list_messages

DEMO_PASSWORD = "solidarity-2026"
DEMO_LOGIN = ("erik@quilted.example", DEMO_PASSWORD)

# (slug, name, kind, [(name, email, role)], [(email, role)] still invited)
COOPS = [
    (
        "quilted",
        "Quilted",
        "coop",
        [
            ("Erik", "erik@quilted.example", "admin"),
            ("Colin Sagan", "colin@quilted.example", "member"),
            ("Alex Hage", "alex@quilted.example", "candidate"),
            ("Kyle Wagener", "kyle@quilted.example", "candidate"),
        ],
        [("michelle@quilted.example", "candidate")],
    ),
    (
        "design-action",
        "Design Action Collective",
        "coop",
        [
            ("Design Action coordinator", "coordinator@designaction.example", "admin"),
            ("Prepress member", "prepress@designaction.example", "member"),
            ("Web designer", "web@designaction.example", "member"),
            ("Print designer", "print@designaction.example", "member"),
            ("Campaign designer", "campaigns@designaction.example", "member"),
            ("New designer (9-month probation)", "newdesigner@designaction.example", "candidate"),
        ],
        [],
    ),
    (
        "electric-embers",
        "Electric Embers",
        "coop",
        [
            ("Embers member, Oakland", "oakland@electricembers.example", "admin"),
            ("Embers member, Portland", "portland@electricembers.example", "member"),
            ("Embers member, San Francisco", "sf@electricembers.example", "member"),
        ],
        [],
    ),
    (
        "may-first",
        "May First Movement Technology",
        "membership_org",
        [
            ("May First coordinator", "coordinator@mayfirst.example", "admin"),
            ("Member organisation delegate", "delegate@mayfirst.example", "member"),
        ],
        [],
    ),
    (
        "tech-underground",
        "Tech Underground",
        "network",
        [
            ("New-client coordinator", "clients@techunderground.example", "admin"),
            ("Erik", "erik@quilted.example", "member"),
        ],
        [("consultant@techunderground.example", "member")],
    ),
]


def _account(name, email):
    return find_account(db.session, email) or create_account(
        db.session, hasher(), name, email, DEMO_PASSWORD, verified=True
    )


def load_demo():
    """Create the demo co-ops once; returns False when they are already there."""
    if get_tenant(db.session, "quilted") is not None:
        return False
    for slug, name, kind, people, invited in COOPS:
        founder_name, founder_email, _ = people[0]
        founder = find_account(db.session, founder_email)
        tenant, admin = signup(
            db.session,
            hasher(),
            name,
            slug,
            founder={"name": founder_name, "email": founder_email, "password": DEMO_PASSWORD}
            if founder is None
            else None,
            founder_account=founder,
            kind=kind,
            founder_verified=True,
        )
        for person_name, email, role in people[1:]:
            add_member(db.session, tenant, _account(person_name, email), role)
        db.session.commit()
        with tenant_scope(db.session, slug):
            for email, role in invited:
                with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
                    link = partial(join_link, slug=slug)
                    invite(db.session, tenant, admin, email, role, current_app.config["INVITATION_TTL"], link)
            db.session.commit()
    # Each capability adds its part, drawn from the same stories.
    for capability in capabilities():
        load = capability.attribute("demo", "load")
        if load is not None:
            load(db.session)
    # No mail server in the demo: mail is held in each outbox at once, for an admin to read.
    for slug, *_ in COOPS:
        with tenant_scope(db.session, slug):
            for message in list_messages(db.session):
                deliver(db.session, message.id, {})
            db.session.commit()
    return True
