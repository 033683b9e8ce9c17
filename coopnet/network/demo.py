"""Network demo data from the Tech Underground story: the network with Quilted, Design
Action, Electric Embers and Web Collective and two independent consultants, their
directory listings, a placed request and one referred out, one waiting for triage,
and a Quilted to Web Collective subcontract with hours."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from coopnet.database import tenant_scope
from coopnet.network import directory, fees, links, members, referrals, subcontracts
from coopnet.platform.accounts import create_account, find_account, hasher
from coopnet.platform.models import Account, Membership
from coopnet.platform.tenants import add_member, get_tenant, signup

NETWORK = "tech-underground"
EVERYTHING = ["skills", "tags", "services", "region", "time_zone", "languages", "availability"]
LISTINGS = {
    "quilted": {
        "skills": ["web-development", "drupal", "civicrm", "design"],
        "tags": ["movement tech"],
        "services": "Websites and databases for movement organisations",
        "region": "Seattle",
        "time_zone": "America/Los_Angeles",
        "languages": ["english"],
        "rates": "$25/h to members; clients on a sliding scale",
    },
    "design-action": {
        "skills": ["design", "print-design", "branding", "web-development"],
        "services": "Graphic design and websites for social justice movements",
        "region": "Oakland",
        "time_zone": "America/Los_Angeles",
        "languages": ["english", "spanish"],
    },
    "electric-embers": {
        "skills": ["hosting", "email-hosting", "sysadmin", "security"],
        "services": "Hosting and email for non-profits",
        "region": "Oakland",
        "time_zone": "America/Los_Angeles",
        "languages": ["english"],
    },
    "web-collective": {
        "skills": ["web-development", "wordpress", "drupal"],
        "services": "Websites for community organisations",
        "region": "Portland",
        "time_zone": "America/Los_Angeles",
        "languages": ["english"],
    },
}
CONSULTANTS = [
    (
        "Rosa Jiménez (independent)",
        "rosa@consultants.example",
        {
            "skills": ["civicrm", "database", "training"],
            "region": "Chicago",
            "time_zone": "America/Chicago",
            "languages": ["english", "spanish"],
            "rates": "$60/h, sliding scale",
        },
    ),
    (
        "Tom Okafor (independent)",
        "tom@consultants.example",
        {
            "skills": ["video", "photography"],
            "region": "Minneapolis",
            "time_zone": "America/Chicago",
            "taking_work": False,
        },
    ),
]


def _account(session, name, email):
    from coopnet.demo import DEMO_PASSWORD

    return find_account(session, email) or create_account(session, hasher(), name, email, DEMO_PASSWORD, verified=True)


def _admin(session, slug):
    tenant = get_tenant(session, slug)
    return session.scalar(
        select(Account)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id, Membership.role == "admin")
        .order_by(Account.id)
        .limit(1)
    )


def load(session):
    from coopnet.demo import DEMO_PASSWORD

    network = get_tenant(session, NETWORK)
    if network is None:
        return
    coordinator = find_account(session, "clients@techunderground.example")
    if get_tenant(session, "web-collective") is None:
        signup(
            session,
            hasher(),
            "Web Collective",
            "web-collective",
            founder={
                "name": "Web Collective coordinator",
                "email": "admin@webcollective.example",
                "password": DEMO_PASSWORD,
            },
            founder_verified=True,
        )
    grouper = _account(session, "Consultant-group coordinator", "groups@techunderground.example")
    add_member(session, network, grouper, "member")
    members.assign_coordinator(session, network, coordinator.id, True, grouper.id, "consultant_group")
    ids = {}
    for slug, listing in LISTINGS.items():
        invitation = members.invite(session, network, coordinator.id, True, coop=slug)
        member = members.member_of_invitation(session, members.accept(session, invitation.id, _admin(session, slug)))
        directory.update_listing(session, member, {**listing, "public_fields": EVERYTHING})
        ids[slug] = member.id
    for name, email, listing in CONSULTANTS:
        account = _account(session, name, email)
        invitation = members.invite(
            session, network, coordinator.id, True, email=email, **links.for_invitations(network)
        )
        member = members.member_of_invitation(session, members.accept(session, invitation.id, account))
        directory.update_listing(session, member, {**listing, "public_fields": ["skills", "region", "availability"]})
        ids[email] = account.id
    # One consultant has not answered yet (the members page offers to revoke it); one
    # invitation, sent to an old address, was taken back.
    for email in ("dana@consultants.example", "old-address@consultants.example"):
        invitation = members.invite(
            session, network, coordinator.id, True, email=email, **links.for_invitations(network)
        )
    members.revoke_invitation(session, network, coordinator.id, True, invitation.id)
    fees.update_settings(session, network, coordinator.id, True, {"overhead_per_hour": "5.00"})
    session.commit()
    _placed(session, network, coordinator, grouper)
    _referred_out(session, network, coordinator)
    referrals.submit(
        session,
        network,
        {
            "organisation": "Eastside Food Co-op",
            "contact_name": "Jo",
            "email": "jo@eastsidefood.example",
            "need": "Our email keeps landing in spam; we need someone to sort out our hosting.",
            "skills": ["email-hosting", "hosting"],
            "ability_to_pay": "$30/h",
            "urgency": "urgent",
        },
        "demo",
    )
    session.commit()
    _subcontract(session)


def _placed(session, network, coordinator, grouper):
    """Offered to Quilted, who were full; then to Web Collective, who took it."""
    found = referrals.submit(
        session,
        network,
        {
            "organisation": "Tenants Union of Washington",
            "contact_name": "Marisol",
            "email": "marisol@tenantsunion.example",
            "need": "A Drupal site for our campaigns, with CiviCRM for our members.",
            "skills": ["drupal", "civicrm"],
            "ability_to_pay": "$40/h",
            "deadline": date.today() + timedelta(days=90),
        },
        "demo",
    )
    referrals.triage(session, network, found.id, coordinator.id, True, "Good fit for one of our web co-ops.")
    first = referrals.offer(session, network, found.id, grouper.id, False, {"coop": "quilted"})
    referrals.decline(session, first.id, _admin(session, "quilted").id, "Full until March with the hours we have.")
    second = referrals.offer(session, network, found.id, grouper.id, False, {"coop": "web-collective"})
    provider = _admin(session, "web-collective")
    referrals.accept(session, second.id, provider.id)
    fees.report_hours(session, found.id, provider.id, "12.5", date.today() - timedelta(days=3))
    session.commit()


def _referred_out(session, network, coordinator):
    found = referrals.submit(
        session,
        network,
        {
            "organisation": "Riverside Strike Fund",
            "contact_name": "Dee",
            "email": "dee@strikefund.example",
            "need": "A short documentary about our strike.",
            "skills": ["video"],
            "ability_to_pay": "very little",
        },
        "demo",
    )
    referrals.triage(session, network, found.id, coordinator.id, True)
    referrals.refer_out(
        session,
        network,
        found.id,
        coordinator.id,
        True,
        [{"name": "Labor Film Collective", "contact": "hello@laborfilm.example", "note": "Films for unions at cost"}],
    )
    session.commit()


def _subcontract(session):
    quilted, web = get_tenant(session, "quilted"), get_tenant(session, "web-collective")
    today = date.today()
    found = subcontracts.offer(
        session,
        quilted,
        _admin(session, "quilted").id,
        "admin",
        {
            "to": "web-collective",
            "scope": "Theme and templates for the Tenants Union site",
            "client": "Tenants Union of Washington",
            "rate": "95.00",
            "hour_cap": 40,
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=60),
        },
    )
    subcontracts.decide(session, web, found.id, "admin", True)
    session.commit()
    # Switching tenants empties the session: carry ids, not rows.
    quilted, web = SimpleNamespace(id=quilted.id, slug="quilted"), SimpleNamespace(id=web.id, slug="web-collective")
    subcontract_id, web_admin_id, quilted_admin_id = (
        found.id,
        _admin(session, "web-collective").id,
        _admin(session, "quilted").id,
    )
    with tenant_scope(session, "web-collective"):
        logged = [
            subcontracts.log_hours(session, web, subcontract_id, web_admin_id, "admin", today - timedelta(days=d), h).id
            for d, h in ((20, "6"), (13, "7.5"), (6, "4"))
        ]
        session.commit()
    with tenant_scope(session, "quilted"):
        subcontracts.decide_hours(session, quilted, subcontract_id, logged[0], quilted_admin_id, "admin", True)
        session.commit()
    with tenant_scope(session, "web-collective"):
        subcontracts.follow(session, logged[0])
        session.commit()
