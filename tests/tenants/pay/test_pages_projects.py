"""The pages: a client's projects on its page (officers add, rename and archive them), the
timesheet's project, the officers' expenses page, and the surplus page's net figure from the
books, which an admin splits with one button."""

from datetime import date

from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


def test_projects_on_the_client_page_and_in_the_timesheet(coop, client, app, engine):
    union = client.post(f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00"}).get_json()["id"]
    page = f"/c/quilted/clients/{union}"
    assert "No projects yet" in client.get(page).get_data(as_text=True)
    token = csrf_token(client, page)
    added = client.post(f"{page}/projects", data={"csrf_token": token, "name": "Lease clinic site"})
    assert added.status_code == 302 and added.headers["Location"].endswith(f"{page}#projects")
    refused = client.post(f"{page}/projects", data={"csrf_token": token, "name": "lease clinic site"})
    assert "already has a project called" in client.get(refused.headers["Location"]).get_data(as_text=True)
    (project,) = client.get(f"{API}/clients/{union}/projects").get_json()["projects"]
    html = client.get("/c/quilted/time").get_data(as_text=True)
    assert "Tenants&#39; union: Lease clinic site" in html
    logged = client.post(
        "/c/quilted/time",
        data={
            "csrf_token": csrf_token(client, "/c/quilted/time"),
            "worked_on": date.today().isoformat(),
            "minutes": "60",
            "kind": "client",
            "project_id": str(project["id"]),
        },
    )
    assert logged.status_code == 302
    with engine.connect() as conn:
        assert conn.execute(text("SELECT client_id, project_id FROM t_quilted.time_entries")).all() == [
            (union, project["id"])
        ]
    edit = f"{page}/projects/{project['id']}"
    assert client.post(edit, data={"csrf_token": token, "name": "Clinic website"}).status_code == 302
    assert client.post(edit, data={"csrf_token": token, "archived": "yes"}).status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "Clinic website" in html and "Bring back" in html
    assert "Clinic website" not in client.get("/c/quilted/time").get_data(as_text=True)  # archived: no new time
    colin = as_member(app, coop[2][0])
    assert colin.post(f"{page}/projects", data={"csrf_token": token, "name": "Mine"}).status_code in (400, 403)
    assert [p["name"] for p in client.get(f"{API}/clients/{union}/projects").get_json()["projects"]] == [
        "Clinic website"
    ]


def test_officers_record_and_remove_expenses_on_the_page(coop, client, app, engine):
    page = f"/c/quilted/expenses?fiscal_year={YEAR}"
    token = csrf_token(client, page)
    bad = client.post(
        page, data={"csrf_token": token, "spent_on": f"{YEAR}-03-02", "amount": "10.005", "description": ""}
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Use at most two decimals" in html and "Say what it was for" in html
    made = client.post(
        page,
        data={"csrf_token": token, "spent_on": f"{YEAR}-03-02", "amount": "120.00", "description": "Rent, March"},
    )
    assert made.status_code == 302
    html = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Rent, March" in html and "120.00" in html and "Net surplus of" in html
    (expense,) = client.get(f"{API}/expenses").get_json()["expenses"]
    # A member reads the books but changes nothing: no forms, and a post is refused.
    member = as_member(app, coop[2][0])
    shown = member.get(page)
    assert shown.status_code == 200 and "Rent, March" in shown.get_data(as_text=True)
    assert "Record the expense" not in shown.get_data(as_text=True) and "Remove" not in shown.get_data(as_text=True)
    member_token = csrf_token(member, "/account")
    refused = member.post(
        page, data={"csrf_token": member_token, "spent_on": f"{YEAR}-03-03", "amount": "1.00", "description": "x"}
    )
    assert refused.status_code == 403
    removed = client.post(f"/c/quilted/expenses/{expense['id']}/remove?fiscal_year={YEAR}", data={"csrf_token": token})
    assert removed.status_code == 302
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.expenses")).scalar() == 0


def test_the_surplus_page_shows_the_net_from_the_books_and_splits_it(coop, client, engine):
    _, _admin, (colin, _alex) = coop
    union = client.post(
        f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00", "email": "books@union.example"}
    ).get_json()["id"]
    log(client, account_id=colin.id, client_id=union, minutes=600)
    invoice = client.post(
        f"{API}/invoices", json={"client_id": union, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    ).get_json()
    with engine.begin() as conn:  # made last April (an invoice is issued today)
        conn.execute(text("UPDATE t_quilted.invoices SET issued_on = :day"), {"day": date(YEAR, 4, 1)})
    client.post(f"{API}/invoices/{invoice['id']}/send")
    client.post(f"{API}/invoices/{invoice['id']}/paid", json={"paid_on": f"{YEAR}-04-10"})
    client.post(f"{API}/expenses", json={"spent_on": f"{YEAR}-05-01", "amount": "100.00", "description": "Rent"})
    client.put(f"{API}/surplus-policy", json={"reserve_share": "0.25"})
    html = client.get("/c/quilted/surplus").get_data(as_text=True)
    assert f"Net surplus of {YEAR} from the books" in html
    assert "400.00" in html and "100.00" in html and "300.00" in html
    token = csrf_token(client, "/c/quilted/surplus")
    made = client.post("/c/quilted/surplus/split", data={"csrf_token": token, "split-fiscal_year": str(YEAR)})
    assert made.status_code == 302, made.get_data(as_text=True)
    assert client.get(f"{API}/surplus-allocations").get_json()["allocations"][0]["surplus"] == "300.00"


def test_a_correction_keeps_an_archived_project_and_can_move_time_to_another(coop, client, engine):
    union = client.post(f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00"}).get_json()["id"]
    radio = client.post(f"{API}/clients", json={"name": "Community radio", "hourly_rate": "90.00"}).get_json()["id"]
    site = client.post(f"{API}/clients/{union}/projects", json={"name": "Lease clinic site"}).get_json()["id"]
    shows = client.post(f"{API}/clients/{radio}/projects", json={"name": "Shows"}).get_json()["id"]
    entry = log(client, project_id=site, minutes=60).get_json()["id"]
    client.patch(f"{API}/clients/{union}/projects/{site}", json={"archived": True})
    page = f"/c/quilted/time/entries/{entry}"
    form = client.get(page).get_data(as_text=True)
    assert f'<option selected value="{site}">Tenants&#39; union: Lease clinic site</option>' in form
    fields = {"csrf_token": csrf_token(client, page), "worked_on": f"{YEAR}-03-02", "kind": "client"}
    kept = client.post(page, data={**fields, "minutes": "90", "project_id": str(site), "reason": "longer"})
    assert kept.status_code == 302
    moved = client.post(page, data={**fields, "minutes": "90", "project_id": str(shows), "reason": "radio's"})
    assert moved.status_code == 302
    back = client.post(page, data={**fields, "minutes": "90", "project_id": str(site), "reason": "archived"})
    assert back.status_code == 422 and "archived" in back.get_data(as_text=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT client_id, project_id, minutes FROM t_quilted.time_entries")).all() == [
            (radio, shows, 90)
        ]


def test_a_project_that_is_no_id_is_refused_on_the_forms_and_nothing_is_written(coop, client, engine):
    union = client.post(f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00"}).get_json()["id"]
    log(client, client_id=union, minutes=60)
    token = csrf_token(client, "/c/quilted/time")
    for junk in ("99999999999999999999", "abc", "-1", "\uff11"):  # the last a full-width one
        logged = client.post(
            "/c/quilted/time",
            data={
                "csrf_token": token,
                "worked_on": date.today().isoformat(),
                "minutes": "30",
                "kind": "client",
                "project_id": junk,
            },
        )
        assert logged.status_code == 422, junk
        invoiced = client.post(
            "/c/quilted/invoices",
            data={
                "csrf_token": token,
                "client_id": str(union),
                "period_start": f"{YEAR}-01-01",
                "period_end": f"{YEAR}-12-31",
                "project_id": junk,
            },
        )
        assert invoiced.status_code == 422, junk
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t_quilted.time_entries")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM t_quilted.invoices")).scalar() == 0
