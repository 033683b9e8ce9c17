"""A change of pay policy is the co-op's decision in its rulebook's pay category."""

from datetime import date

from tests.tenants.pay.test_api import as_member

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
RAISE = {"effective_from": f"{YEAR}-06-01", "rates": {"member": "27.00", "trainee": "16.00"}}


def vote(clients, proposal_id, stance="agree"):
    for voter in clients:
        taken = voter.put(f"{API}/proposals/{proposal_id}/position", json={"stance": stance})
        assert taken.status_code == 200, taken.get_json()


def test_without_a_pay_category_admins_set_the_policy_directly(coop, client):
    refused = client.post(f"{API}/pay-policy-proposals", json=RAISE)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_pay_decisions"


def test_a_passed_pay_decision_takes_effect_from_its_date(coop, client, app):
    _, _, members = coop
    assert client.post(f"{API}/rulebook/adopt", json={"preset": "quilted"}).status_code == 201
    colin, alex = (as_member(app, m) for m in members)
    proposed = colin.post(f"{API}/pay-policy-proposals", json=RAISE)
    assert proposed.status_code == 201, proposed.get_json()
    decision = proposed.get_json()
    assert decision["state"] == "open" and decision["proposed_by"] == members[0].id
    proposal = client.get(f"{API}/proposals/{decision['proposal_id']}").get_json()
    assert proposal["category"] == "pay" and "27.00" in proposal["body"]
    assert len(client.get(f"{API}/pay-policies").get_json()["versions"]) == 1  # not yet in force

    vote([client, colin, alex], decision["proposal_id"])
    closed = client.post(f"{API}/proposals/{decision['proposal_id']}/close")
    assert closed.status_code == 200 and closed.get_json()["outcome"] == "passed", closed.get_json()
    versions = client.get(f"{API}/pay-policies").get_json()["versions"]
    assert [(v["effective_from"], v["rates"]["member"]) for v in versions] == [
        (f"{YEAR}-01-01", "25.00"),
        (f"{YEAR}-06-01", "27.00"),
    ]
    listed = client.get(f"{API}/pay-policy-proposals").get_json()["proposals"]
    assert listed[0]["state"] == "adopted" and listed[0]["policy_id"] == versions[1]["id"]


def test_a_pay_decision_not_agreed_changes_nothing(coop, client, app):
    _, _, members = coop
    client.post(f"{API}/rulebook/adopt", json={"preset": "quilted"})
    colin, alex = (as_member(app, m) for m in members)
    decision = client.post(f"{API}/pay-policy-proposals", json=RAISE).get_json()
    vote([client, colin], decision["proposal_id"])
    vote([alex], decision["proposal_id"], "disagree")
    closed = client.post(f"{API}/proposals/{decision['proposal_id']}/close").get_json()
    assert closed["outcome"] != "passed"
    assert len(client.get(f"{API}/pay-policies").get_json()["versions"]) == 1
    assert client.get(f"{API}/pay-policy-proposals").get_json()["proposals"][0]["state"] == "not_agreed"


def test_a_bad_policy_is_refused_before_any_vote_opens(coop, client):
    client.post(f"{API}/rulebook/adopt", json={"preset": "quilted"})
    overlapping = client.post(f"{API}/pay-policy-proposals", json={**RAISE, "effective_from": f"{YEAR}-01-01"})
    assert overlapping.status_code == 409 and overlapping.get_json()["error"]["code"] == "policy_overlaps"
    floats = client.post(f"{API}/pay-policy-proposals", json={**RAISE, "rates": {"member": 27.5}})
    assert floats.status_code == 422 and "rates.member" in floats.get_json()["error"]["fields"]
    assert client.get(f"{API}/proposals").get_json()["proposals"] == []
    assert client.get(f"{API}/pay-policy-proposals").get_json()["proposals"] == []
