"""The demo puts Web Collective on its salary: last year closed short, the shortfall owed."""

from datetime import date

from coopnet.demo import DEMO_LOGIN


def test_web_collective_closed_last_year_short(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    client.post("/api/v1/session", json={"email": "admin@webcollective.example", "password": DEMO_LOGIN[1]})
    last_year = date.today().year - 1
    closed = client.get(f"/c/web-collective/api/v1/salary-year-ends?year={last_year}").get_json()["members"]
    assert len(closed) == 1 and closed[0]["outcome"] == "owed" and closed[0]["balance_minutes"] < 0
    assert closed[0]["owed"] != "0.00" and closed[0]["leave_minutes"] > 0
    balances = client.get(f"/c/web-collective/api/v1/salary-balances?year={last_year + 1}").get_json()
    assert balances["leave_allowance_minutes"] == 210 * 60 and len(balances["members"]) == 1
    page = client.get(f"/c/web-collective/salary?year={last_year}").get_data(as_text=True)
    assert "How the year was closed" in page and "repaid" in page
