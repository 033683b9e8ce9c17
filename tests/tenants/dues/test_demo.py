"""May First in `coopnet demo`: a register on the sliding scale, some in grace, one
lapsed, a year of dues on the chart, and a public support queue."""

from coopnet.demo import DEMO_PASSWORD


def test_the_demo_has_may_firsts_register_and_public_support_queue(app, client, engine):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    public = client.get("/c/may-first/support/public")
    assert public.status_code == 200
    page = public.get_data(as_text=True)
    assert "Mail for our domain bounces since Tuesday" in page and "Invoice address change" not in page
    client.post("/api/v1/session", json={"email": "coordinator@mayfirst.example", "password": DEMO_PASSWORD})
    listing = client.get("/c/may-first/api/v1/dues/members").get_json()
    assert listing["counts"] == {"current": 7, "grace": 2, "lapsed": 1}
    members = {m["name"]: m for m in listing["members"]}
    assert members["Palante Technology Cooperative"]["amount"] == "250.00"  # income 180,000 on the scale
    assert members["Palante Technology Cooperative"]["votes"] == 2 and members["Sam Lee"]["votes"] == 1
    assert members["Tenants' newsletter"]["effective_votes"] == 0  # lapsed: votes suspended
    collected = client.get("/c/may-first/api/v1/dues/collected").get_json()
    assert sum(float(m["amount"]) for m in collected["by_month"]) > 0
    dashboard = client.get("/c/may-first/dues").get_data(as_text=True)
    assert "<svg" in dashboard and "Stripe is not connected" in dashboard
