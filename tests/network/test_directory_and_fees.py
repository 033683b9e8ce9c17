"""The public directory (search by words, skill and region over published fields), the
network's pages, and the overhead fee ledger."""

from tests.conftest import csrf_token
from tests.network.conftest import CLIENT_REQUEST, submit_request


def names(response):
    return sorted(m["name"] for m in response.get_json()["members"])


def test_directory_search_by_skill_region_and_words(client, tu):
    base = f"/c/{tu.slug}/api/v1/directory"
    assert names(client.get(base)) == [
        "Ana Consultant",
        "Ben Consultant",
        "Design Action",
        "Quilted",
        "Web Collective",
    ]
    assert names(client.get(base, query_string={"skill": "drupal"})) == ["Ana Consultant", "Quilted"]
    assert names(client.get(base, query_string={"region": "oak"})) == ["Design Action", "Web Collective"]
    # Ana did not publish her region: a search by it does not find her.
    assert names(client.get(base, query_string={"region": "Chicago"})) == []
    assert names(client.get(base, query_string={"q": "movements"})) == ["Quilted"]
    assert names(client.get(base, query_string={"q": "sliding"})) == []  # rates are unpublished everywhere
    assert client.get(base, query_string={"page": 0}).status_code == 422


def test_the_public_pages_work_without_a_login(app, client, tu):
    page = client.get(f"/c/{tu.slug}/directory?skill=drupal")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Quilted" in text and "Ana Consultant" in text and "Design Action" not in text
    assert "$90/h" not in text
    form = client.get(f"/c/{tu.slug}/request-work")
    assert form.status_code == 200 and 'name="website"' in form.get_data(as_text=True)
    token = csrf_token(client, f"/c/{tu.slug}/request-work")
    data = {**CLIENT_REQUEST, "csrf_token": token, "skills": ["drupal"], "urgency": "urgent"}
    sent = client.post(f"/c/{tu.slug}/request-work", data=data)
    assert sent.status_code == 201 and "received your request" in sent.get_data(as_text=True)
    bad = client.post(f"/c/{tu.slug}/request-work", data={**data, "email": "nope"})
    assert bad.status_code == 422 and "There is a problem" in bad.get_data(as_text=True)
    assert client.get("/c/quilted/directory").status_code in (302, 404)


def test_coordinator_pages_route_a_request(client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    board = client.get(f"/c/{tu.slug}/network")
    assert board.status_code == 200 and "Tenants Union" in board.get_data(as_text=True)
    token = csrf_token(client, f"/c/{tu.slug}/requests/{request_id}")
    client.post(f"/c/{tu.slug}/requests/{request_id}/triage", data={"csrf_token": token, "note": "ok"})
    detail = client.get(f"/c/{tu.slug}/requests/{request_id}").get_data(as_text=True)
    assert "Best matches" in detail and "coop:quilted" in detail
    client.post(f"/c/{tu.slug}/requests/{request_id}/offer", data={"csrf_token": token, "to": "coop:quilted"})
    act(tu.erik.email)
    page = client.get("/c/quilted/network").get_data(as_text=True)
    assert "Tenants Union" in page and "Take it" in page and "rosa@tenants.example" not in page
    offer_id = client.get("/api/v1/offers").get_json()["offers"][0]["id"]
    token = csrf_token(client, "/c/quilted/network")
    client.post(f"/c/quilted/network/offers/{offer_id}/accept", data={"csrf_token": token})
    assert "rosa@tenants.example" in client.get("/c/quilted/network").get_data(as_text=True)


def test_the_overhead_share_per_hour_is_owed_and_settled(client, act, tu):
    request_id = submit_request(client, tu.slug)
    act(tu.coordinator.email)
    negative = client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"overhead_per_hour": "-1.00"})
    assert negative.status_code == 422
    assert client.get(f"/c/{tu.slug}/api/v1/network/settings").get_json()["overhead_per_hour"] == "0.00"
    settings = client.put(f"/c/{tu.slug}/api/v1/network/settings", json={"overhead_per_hour": "4.50"})
    assert settings.get_json() == {
        "overhead_per_hour": "4.50",
        "currency": "USD",
        "offer_hours": 72,
        "admission": "invitation",
    }
    client.post(f"/c/{tu.slug}/api/v1/requests/{request_id}/triage", json={})
    offer_id = client.post(
        f"/c/{tu.slug}/api/v1/requests/{request_id}/offers", json={"to": {"coop": "quilted"}}
    ).get_json()["id"]
    act(tu.erik.email)
    client.post(f"/api/v1/offers/{offer_id}/accept")
    first = client.post(
        f"/api/v1/referrals/{request_id}/billed-hours", json={"hours": "7.25", "worked_on": "2026-03-02"}
    )
    assert first.status_code == 201 and first.get_json()["amount"] == "32.63"  # 7.25 x 4.50 = 32.625, half up
    client.post(f"/api/v1/referrals/{request_id}/billed-hours", json={"hours": "2", "worked_on": "2026-03-03"})
    bad = client.post(f"/api/v1/referrals/{request_id}/billed-hours", json={"hours": "-2", "worked_on": "2026-03-03"})
    assert bad.status_code == 422
    act(tu.coordinator.email)
    ledger = client.get(f"/c/{tu.slug}/api/v1/network/fees").get_json()
    assert (ledger["owed"], ledger["settled"], ledger["total"]) == ("41.63", "0.00", "41.63")
    settled = client.post(f"/c/{tu.slug}/api/v1/network/fees/{ledger['fees'][0]['id']}/settle")
    assert settled.status_code == 200 and settled.get_json()["settled"] is True
    ledger = client.get(f"/c/{tu.slug}/api/v1/network/fees").get_json()
    assert (ledger["owed"], ledger["settled"]) == ("9.00", "32.63")
    again = client.post(f"/c/{tu.slug}/api/v1/network/fees/{ledger['fees'][0]['id']}/settle")
    assert again.status_code == 409
