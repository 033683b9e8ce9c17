"""Tenant kinds: a co-op, a network or a membership organisation, chosen at signup."""

import pytest

from tests.conftest import counts, link_token, platform_mail, sign_up


def signup_body(slug, **extra):
    founder = {"name": "Founder", "email": f"founder@{slug}.example", "password": "correct horse battery"}
    return {"name": slug.title(), "slug": slug, "founder": founder, **extra}


@pytest.mark.parametrize("kind", ["coop", "network", "membership_org"])
def test_signup_takes_a_kind(client, engine, kind):
    response = sign_up(client, engine, signup_body("the-space", kind=kind))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["tenant"]["kind"] == kind
    assert client.get("/c/the-space/api/v1/").get_json()["kind"] == kind


def test_signup_kind_defaults_to_coop(client, engine):
    response = sign_up(client, engine, signup_body("quilted"))
    assert response.get_json()["tenant"]["kind"] == "coop"


@pytest.mark.parametrize("kind", ["federation", "", "COOP", "coop; drop table tenants"])
def test_an_unknown_kind_is_refused_and_nothing_is_written(client, engine, kind):
    before = counts(engine)
    response = client.post("/api/v1/signup", json=signup_body("quilted", kind=kind))
    assert response.status_code == 422
    assert "kind" in response.get_json()["error"]["fields"]
    assert counts(engine) == before


def test_the_signup_form_offers_the_kinds(client, engine):
    from tests.conftest import csrf_token

    page = client.get("/signup").get_data(as_text=True)
    assert 'value="network"' in page and 'value="membership_org"' in page
    response = client.post(
        "/signup",
        data={
            "csrf_token": csrf_token(client, "/signup"),
            "name": "Tech Underground",
            "slug": "tech-underground",
            "kind": "network",
            "founder_name": "Coordinator",
            "email": "c@tu.example",
            "password": "correct horse battery",
        },
    )
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    url = "/signup/confirm/" + link_token(platform_mail(engine, "c@tu.example")[0]["body"], "/signup/confirm")
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert client.get("/c/tech-underground/api/v1/").get_json()["kind"] == "network"
