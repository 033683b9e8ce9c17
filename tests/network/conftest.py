"""Tech Underground as a fixture: a network, three co-ops and two consultants who joined
through invitations, with directory listings; helpers to act as each of them."""

from types import SimpleNamespace

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def act(client):
    """act(email): the test client is now logged in as that person (and only them)."""

    def switch(email):
        client.delete("/api/v1/session")
        response = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.get_json()
        return client

    return switch


def join(client, act, network_admin, network_slug, member_admin_email, coop=None, email=None):
    act(network_admin)
    body = {"coop": coop} if coop else {"email": email}
    response = client.post(f"/c/{network_slug}/api/v1/network/invitations", json=body)
    assert response.status_code == 201, response.get_json()
    invitation_id = response.get_json()["id"]
    act(member_admin_email)
    accepted = client.post(f"/api/v1/network-invitations/{invitation_id}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    return accepted.get_json()["id"]


def listing(client, act, email, member_id, **fields):
    act(email)
    response = client.put(f"/api/v1/network-memberships/{member_id}/listing", json=fields)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.fixture
def tu(app, client, act, make_tenant, make_account, add_member, monkeypatch):
    monkeypatch.setitem(app.config, "NETWORK_REQUEST_LIMIT", "1000 per hour")
    network, coordinator = make_tenant(
        "tech-underground", name="Tech Underground", kind="network", admin_email="clients@techunderground.example"
    )
    quilted, erik = make_tenant("quilted", name="Quilted", admin_email="erik@quilted.example")
    colin = make_account("colin@quilted.example", name="Colin Sagan")
    add_member(quilted, colin)
    web, web_admin = make_tenant("web-collective", name="Web Collective", admin_email="admin@webcollective.example")
    design, design_admin = make_tenant("design-action", name="Design Action", admin_email="admin@designaction.example")
    ana = make_account("ana@consultants.example", name="Ana Consultant")
    ben = make_account("ben@consultants.example", name="Ben Consultant")
    grouper = make_account("groups@techunderground.example", name="Consultant-group coordinator")
    add_member(network, grouper)
    slug = network.slug
    admin = coordinator.email
    ids = {
        "quilted": join(client, act, admin, slug, erik.email, coop="quilted"),
        "web-collective": join(client, act, admin, slug, web_admin.email, coop="web-collective"),
        "design-action": join(client, act, admin, slug, design_admin.email, coop="design-action"),
        "ana": join(client, act, admin, slug, ana.email, email=ana.email),
        "ben": join(client, act, admin, slug, ben.email, email=ben.email),
    }
    act(admin)
    response = client.post(
        f"/c/{slug}/api/v1/network/coordinators", json={"account_id": grouper.id, "role": "consultant_group"}
    )
    assert response.status_code == 201, response.get_json()
    everything = ["skills", "region", "languages", "availability", "services"]
    listing(
        client,
        act,
        erik.email,
        ids["quilted"],
        skills=["web-development", "drupal", "civicrm"],
        region="Seattle",
        public_fields=everything,
        services="Websites for movements",
        rates="$25/h members; sliding scale for clients",
    )
    listing(
        client,
        act,
        web_admin.email,
        ids["web-collective"],
        skills=["web-development", "wordpress"],
        region="Oakland",
        public_fields=everything,
    )
    listing(
        client,
        act,
        design_admin.email,
        ids["design-action"],
        skills=["design", "print-design", "branding"],
        region="Oakland",
        public_fields=everything,
    )
    listing(
        client,
        act,
        ana.email,
        ids["ana"],
        skills=["web-development", "drupal"],
        region="Chicago",
        public_fields=["skills"],
        rates="$90/h, sliding scale",
    )
    listing(
        client,
        act,
        ben.email,
        ids["ben"],
        skills=["sysadmin", "hosting"],
        region="Portland",
        public_fields=["skills", "region"],
    )
    client.delete("/api/v1/session")
    return SimpleNamespace(
        network=network,
        slug=slug,
        coordinator=coordinator,
        grouper=grouper,
        quilted=quilted,
        erik=erik,
        colin=colin,
        web=web,
        web_admin=web_admin,
        design=design,
        design_admin=design_admin,
        ana=ana,
        ben=ben,
        ids=ids,
    )


CLIENT_REQUEST = {
    "organisation": "Tenants Union",
    "contact_name": "Rosa",
    "email": "rosa@tenants.example",
    "need": "A Drupal site for our campaigns, with CiviCRM for members.",
    "skills": ["drupal", "civicrm"],
    "ability_to_pay": "$40/h",
    "deadline": "2099-03-01",
}


def submit_request(client, slug, **changes):
    client.delete("/api/v1/session")
    response = client.post(f"/c/{slug}/api/v1/requests", json={**CLIENT_REQUEST, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def three(make_tenant, make_account, add_member):
    """Quilted, Web Collective (an admin and a member) and Design Action, for subcontracts."""
    quilted, erik = make_tenant("quilted", name="Quilted", admin_email="erik@quilted.example")
    web, web_admin = make_tenant("web-collective", name="Web Collective", admin_email="admin@webcollective.example")
    worker = make_account("dev@webcollective.example")
    add_member(web, worker)
    design, design_admin = make_tenant("design-action", name="Design Action", admin_email="admin@designaction.example")
    return quilted, erik, web, web_admin, worker, design, design_admin
