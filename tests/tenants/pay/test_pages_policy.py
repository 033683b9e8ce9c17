"""The pay policy page: the version in force and every version; admins set a new one, or,
when the rulebook decides pay, any member proposes it to the co-op."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
PAGE = "/c/quilted/pay-policy"
RAISE = {"effective_from": f"{YEAR}-06-01", "scheme": "hourly", "rate_member": "27.00", "rate_trainee": "16.00"}


def versions(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT effective_from, rates FROM t_quilted.pay_policies ORDER BY 1")).all()


def test_the_page_shows_the_policy_in_force_and_its_versions(coop, client):
    page = client.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "In force since" in html and "hourly pay for all work" in html
    assert "members 25.00; candidates 25.00; trainees 15.00" in html and "web development x2" in html
    assert "Set a new version" in html and 'value="25.00"' in html  # the form starts from the rules in force


def test_an_admin_sets_a_new_version(coop, client, engine):
    token = csrf_token(client, PAGE)
    saved = client.post(PAGE, data={"csrf_token": token, **RAISE, "kind_multipliers": "web development = 2"})
    assert saved.status_code == 302
    assert "The pay policy from" in client.get(PAGE).get_data(as_text=True)
    listed = client.get(f"{API}/pay-policies").get_json()["versions"]
    assert [(v["effective_from"], v["rates"], v["kind_multipliers"]) for v in listed][1] == (
        f"{YEAR}-06-01",
        {"member": "27.00", "trainee": "16.00"},
        {"web development": "2"},
    )
    html = client.get(PAGE).get_data(as_text=True)
    assert "members 27.00; trainees 16.00" in html and "by the admins" in html


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"effective_from": ""}, "Give the first day it applies"),
        ({"effective_from": f"{YEAR}-01-01"}, "A version already starts that day."),
        ({"rate_member": ""}, "Give at least the member rate an hour"),
        ({"rate_trainee": "16.005"}, "Use at most two decimals (whole cents)."),
        ({"kind_multipliers": "web development = lots"}, "A multiple of the rate such as"),
        ({"scheme": "salary"}, "A salary scheme needs the monthly salary and the yearly hours."),
        ({"member_fee": "ten"}, "Write an amount such as"),
        ({"yearly_hours": "many"}, "Not a valid integer value."),
    ],
)
def test_a_bad_version_shows_the_field_and_reason_and_changes_nothing(coop, client, engine, changes, shown):
    before = versions(engine)
    refused = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), **RAISE, **changes})
    html = refused.get_data(as_text=True)
    assert refused.status_code in (409, 422) and shown in html and 'aria-invalid="true"' in html, html[-3000:]
    assert 'value="27.00"' in html or changes.get("rate_member") == ""  # what was typed is kept
    assert versions(engine) == before


def test_with_a_pay_category_a_change_is_proposed_and_links_to_its_proposal(coop, client, app, engine):
    _, _, members = coop
    assert client.post(f"{API}/rulebook/adopt", json={"preset": "quilted"}).status_code == 201
    colin = as_member(app, members[0])
    page = colin.get(PAGE).get_data(as_text=True)
    assert "Propose a change" in page and "becomes a proposal in the pay category" in page
    proposed = colin.post(PAGE, data={"csrf_token": csrf_token(colin, PAGE), **RAISE})
    assert proposed.status_code == 302
    assert len(versions(engine)) == 1  # not in force until the co-op agrees
    decision = client.get(f"{API}/pay-policy-proposals").get_json()["proposals"][0]
    assert decision["state"] == "open" and decision["proposed_by"] == members[0].id
    assert client.get(f"{API}/proposals/{decision['proposal_id']}").get_json()["category"] == "pay"
    html = colin.get(PAGE).get_data(as_text=True)
    assert "Proposed: the co-op decides it" in html and "open for decision" in html
    assert f'href="/c/quilted/decisions/{decision["proposal_id"]}"' in html and "members 27.00" in html

    bad = colin.post(PAGE, data={"csrf_token": csrf_token(colin, PAGE), **RAISE, "effective_from": f"{YEAR}-01-01"})
    assert bad.status_code == 409 and "A version already starts that day." in bad.get_data(as_text=True)
    assert len(client.get(f"{API}/pay-policy-proposals").get_json()["proposals"]) == 1


def test_without_a_pay_category_a_member_sees_but_cannot_set_it(coop, client, app, engine):
    colin = as_member(app, coop[2][0])
    page = colin.get(PAGE)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "members 25.00" in html and "Set a new version" not in html
    refused = colin.post(PAGE, data={"csrf_token": csrf_token(colin, "/c/quilted/time"), **RAISE})
    assert refused.status_code == 403
    assert len(versions(engine)) == 1


def test_another_coops_member_gets_404(coop, client, app, make_tenant, engine):
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    token = csrf_token(other, "/account")
    assert other.get(PAGE).status_code == 404
    refused = other.post(PAGE, data={"csrf_token": token, **RAISE})
    assert refused.status_code == 404 and "25.00" not in refused.get_data(as_text=True)
    assert len(versions(engine)) == 1


def test_the_navigation_links_the_pay_policy(coop, client):
    assert f'href="{PAGE}"' in client.get("/c/quilted/time").get_data(as_text=True)
