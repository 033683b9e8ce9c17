"""`coopnet demo` shows the register as the stories tell it."""

from coopnet.demo import DEMO_LOGIN


def test_the_demo_register_tells_the_stories(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    client.post("/api/v1/session", json={"email": DEMO_LOGIN[0], "password": DEMO_LOGIN[1]})
    people = {p["name"]: p for p in client.get("/c/quilted/api/v1/register").get_json()["people"]}
    assert (people["Gulf area trainee"]["status"], people["Gulf area trainee"]["class"]) == ("member", "trainee")
    assert people["Boston part-timer"]["status"] == "applicant"
    founder = client.get(f"/c/quilted/api/v1/members/{people['Founding freelancer']['account_id']}").get_json()
    assert founder["status"] == "withdrawn" and founder["history"][-1]["proposal_id"] is not None
    assert (founder["exit"]["owed_at_exit"], founder["exit"]["still_owed"]) == ("5000.00", "3000.00")
    kyle = people["Kyle Wagener"]["probation"]
    assert kyle["admission_proposal"] is not None and (kyle["months_required"], kyle["hours_required"]) == (6, "520.00")
    page = client.get("/c/quilted/register").get_data(as_text=True)
    assert "Probation: 6 months and 520 hours; buy-in $5,000.00 in 10 instalments." in page
    officers = client.get("/c/quilted/api/v1/officers").get_json()["current"]
    assert {t["role"] for t in officers} >= {"bookkeeper"}
    client.delete("/api/v1/session")
    client.post("/api/v1/session", json={"email": "coordinator@designaction.example", "password": DEMO_LOGIN[1]})
    design = {p["name"]: p for p in client.get("/c/design-action/api/v1/register").get_json()["people"]}
    apprentice = design["Print apprentice (9 months served)"]["probation"]
    assert apprentice["months_served"] == 9 and apprentice["admission_proposal"] is not None
    assert design["New designer (9-month probation)"]["probation"]["admission_proposal"] is None
    client.delete("/api/v1/session")
    client.post("/api/v1/session", json={"email": "oakland@electricembers.example", "password": DEMO_LOGIN[1]})
    embers = {p["name"]: p for p in client.get("/c/electric-embers/api/v1/register").get_json()["people"]}
    assert embers["Embers member, Portland"]["status"] == "leave"
    asked = client.get("/c/electric-embers/api/v1/rota/swap-requests").get_json()["swap_requests"]
    assert [r["state"] for r in asked] == ["asked"]
    assert "offers their shift" in client.get("/c/electric-embers/rota").get_data(as_text=True)
