"""The Tech Underground story in `coopnet demo`."""

from coopnet.demo import DEMO_PASSWORD


def test_the_demo_has_the_tech_underground_story(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    client.post("/api/v1/session", json={"email": "clients@techunderground.example", "password": DEMO_PASSWORD})
    requests = client.get("/c/tech-underground/api/v1/requests").get_json()["requests"]
    assert sorted(r["status"] for r in requests) == ["new", "placed", "referred_out"]
    directory = client.get("/c/tech-underground/api/v1/directory").get_json()
    assert directory["total"] == 6
    placed = next(r for r in requests if r["status"] == "placed")
    shown = client.get(f"/c/tech-underground/api/v1/requests/{placed['id']}").get_json()
    assert shown["placed_with"] == "Web Collective"
    assert [e["kind"] for e in shown["timeline"]] == ["received", "triaged", "offered", "declined", "offered", "placed"]
    assert client.get("/c/tech-underground/api/v1/network/fees").get_json()["owed"] == "62.50"  # 12.5 h at 5.00
    invitations = client.get("/c/tech-underground/api/v1/network/invitations").get_json()["invitations"]
    assert {i["email"]: i["status"] for i in invitations if i["email"] and i["status"] != "accepted"} == {
        "dana@consultants.example": "pending",
        "old-address@consultants.example": "revoked",
    }
    assert "/revoke" in client.get("/c/tech-underground/network/members").get_data(as_text=True)
    client.delete("/api/v1/session")
    client.post("/api/v1/session", json={"email": "erik@quilted.example", "password": DEMO_PASSWORD})
    (subcontract,) = client.get("/c/quilted/api/v1/subcontracts").get_json()["subcontracts"]
    assert (subcontract["subcontractor"], subcontract["rate"], subcontract["hours_counted"]) == (
        "web-collective",
        "95.00",
        "17.50",
    )
    assert [h["status"] for h in subcontract["hours"]] == ["approved", "submitted", "submitted"]
