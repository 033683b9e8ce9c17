"""`coopnet demo` loads the guide's co-ops once, with a working demo login."""

from coopnet.demo import DEMO_LOGIN


def test_demo_loads_the_stories_once(app, client, engine):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "demo data loaded" in first.output and DEMO_LOGIN[0] in first.output
    assert "already present" in runner.invoke(args=["demo"]).output
    response = client.post("/api/v1/session", json={"email": DEMO_LOGIN[0], "password": DEMO_LOGIN[1]})
    assert response.status_code == 200
    roles = {m["tenant"]["slug"]: m["role"] for m in client.get("/api/v1/account").get_json()["memberships"]}
    assert roles == {"quilted": "admin", "tech-underground": "member"}
    members = client.get("/c/quilted/api/v1/members").get_json()["members"]
    assert {m["name"] for m in members} >= {"Erik", "Colin Sagan", "Alex Hage"}
    held = client.get("/c/quilted/api/v1/outbox").get_json()["messages"]
    invitation = next(m for m in held if m["to"] == "michelle@quilted.example")
    assert invitation["status"] == "held" and all(m["status"] == "held" for m in held)
    assert f"{app.config['BASE_URL']}/c/quilted/join/" in invitation["body"]
    # Governance from the stories: Quilted's informal consensus, an open pay proposal, a decided one.
    rulebook = client.get("/c/quilted/api/v1/rulebook").get_json()
    assert rulebook["version"] == 1 and rulebook["preset"] == "quilted"
    proposals = client.get("/c/quilted/api/v1/proposals").get_json()["proposals"]
    assert [p["status"] for p in proposals] == ["open", "open", "closed", "closed"]
    assert [p["outcome"] for p in proposals[2:]] == ["passed", "passed"]  # a founder's withdrawal, a pay decision
    assert {p["category"] for p in proposals if p["status"] == "open"} == {"pay", "admission"}
    # Membership: Kyle has served seven months and 520 hours and paid his $5,000, so his vote is open.
    register = {m["name"]: m for m in client.get("/c/quilted/api/v1/members").get_json()["members"]}
    kyle = client.get(f"/c/quilted/api/v1/members/{register['Kyle Wagener']['account_id']}").get_json()
    assert kyle["status"] == "candidate" and kyle["probation"]["hours_served"] == "520.00"
    assert kyle["probation"]["buy_in_due"] == "0.00" and kyle["probation"]["admission_proposal"] is not None
    alex = client.get(f"/c/quilted/api/v1/members/{register['Alex Hage']['account_id']}").get_json()
    assert alex["probation"]["met"] is False and alex["probation"]["buy_in_paid"] == "2000.00"
    # Erik is not in Design Action: its pages stay closed to him.
    assert client.get("/c/design-action/api/v1/members").status_code == 404
    # Design Action's coordinator sees approved minutes whose chain holds.
    client.delete("/api/v1/session")
    client.post("/api/v1/session", json={"email": "coordinator@designaction.example", "password": DEMO_LOGIN[1]})
    assert client.get("/c/design-action/api/v1/minutes/verify").get_json() == {
        "ok": True,
        "records": 1,
        "first_altered": None,
    }
    surplus = client.get("/c/design-action/api/v1/proposals").get_json()["proposals"][-1]
    assert surplus["outcome"] == "passed" and surplus["tally"]["agree"] == 4


def test_demo_pay_and_surplus_from_the_stories(app, client, engine):
    from datetime import date

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    client.post("/api/v1/session", json={"email": "coordinator@designaction.example", "password": DEMO_LOGIN[1]})
    last_year = date.today().year - 1
    me = client.get("/api/v1/account").get_json()["account"]["id"]
    statement = client.get(f"/c/design-action/api/v1/capital-accounts/{me}").get_json()
    assert statement["entries"][0]["kind"] == "allocation" and statement["balance"] != "0.00"
    policy = client.get("/c/design-action/api/v1/surplus-policy").get_json()
    assert policy["reserve_share"] == "0.25"
    entries = client.get(f"/c/design-action/api/v1/time-entries?from={last_year}-01-01&to={last_year}-12-31").get_json()
    assert entries["total_minutes"] > 100_000  # a year of eight-hour days
    client.delete("/api/v1/session")
    client.post("/api/v1/session", json={"email": DEMO_LOGIN[0], "password": DEMO_LOGIN[1]})
    versions = client.get("/c/quilted/api/v1/pay-policies").get_json()["versions"]
    assert versions[0]["rates"] == {"member": "25.00", "candidate": "25.00", "trainee": "15.00"}
    invoices = client.get("/c/quilted/api/v1/invoices").get_json()["invoices"]
    assert [(i["number"], i["status"], i["overdue"]) for i in invoices] == [
        (3, "sent", False),
        (2, "sent", True),
        (1, "paid", False),
    ]
    assert all(i["total"] != "0.00" for i in invoices)
    # Projects and expenses: the union's website project, and last year's books.
    clients = {c["name"]: c["id"] for c in client.get("/c/quilted/api/v1/clients").get_json()["clients"]}
    union = clients["Tenants' union (sliding scale)"]
    projects = client.get(f"/c/quilted/api/v1/clients/{union}/projects").get_json()["projects"]
    assert [p["name"] for p in projects] == ["Lease clinic website (Drupal)", "Member newsletter"]
    books = client.get(f"/c/quilted/api/v1/surplus-allocations/net?fiscal_year={last_year}").get_json()
    assert books["expenses"] == "13340.00"  # twelve months of rent, hosting and software, and Alex's laptop


def test_demo_puts_the_federation_on_a_comped_plan(app, engine):
    from sqlalchemy import text

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with engine.connect() as conn:
        plans = dict(
            conn.execute(
                text(
                    "SELECT t.slug, s.plan || ':' || s.comped || ':' || s.standing FROM platform_subscriptions s "
                    "JOIN tenants t ON t.id = s.tenant_id"
                )
            ).all()
        )
    assert plans["tech-underground"] == "federation:true:good"
    listed = app.test_cli_runner().invoke(args=["billing", "list"])
    assert listed.exit_code == 0 and "tech-underground" in listed.output
