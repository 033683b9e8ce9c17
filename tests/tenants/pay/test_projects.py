"""A client's projects: officers add, rename and archive them, members read them; time and
invoices may name one, and a project implies its client. A project of another client or another
co-op is a 422 naming the field, and nothing is written; the CSV import names a bad project per row."""

from datetime import date

import pytest
from sqlalchemy import text

from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


@pytest.fixture
def union(coop, client):
    """The tenants' union (Quilted's $40 client) with its website project, and a second client."""
    union = client.post(f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00"}).get_json()["id"]
    radio = client.post(f"{API}/clients", json={"name": "Community radio", "hourly_rate": "90.00"}).get_json()["id"]
    site = client.post(f"{API}/clients/{union}/projects", json={"name": "Lease clinic site"})
    assert site.status_code == 201, site.get_json()
    return union, radio, site.get_json()["id"]


def entries(engine, schema="t_quilted"):
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT client_id, project_id, minutes FROM {schema}.time_entries ORDER BY id")).all()


def test_officers_add_rename_and_archive_projects_and_members_read_them(coop, client, app, union):
    union_id, radio, site = union
    second = client.post(f"{API}/clients/{union_id}/projects", json={"name": "Newsletter"}).get_json()
    # The name is the client's only one of that name (any case); another client may use it.
    taken = client.post(f"{API}/clients/{union_id}/projects", json={"name": "lease CLINIC site"})
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "project_exists"
    assert client.post(f"{API}/clients/{radio}/projects", json={"name": "Lease clinic site"}).status_code == 201
    blank = client.post(f"{API}/clients/{union_id}/projects", json={"name": "  "})
    assert blank.status_code == 422 and "name" in blank.get_json()["error"]["fields"]
    renamed = client.patch(f"{API}/clients/{union_id}/projects/{second['id']}", json={"name": "Monthly newsletter"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Monthly newsletter"
    archived = client.patch(f"{API}/clients/{union_id}/projects/{site}", json={"archived": True})
    assert archived.get_json()["archived"] is True
    assert client.patch(f"{API}/clients/{union_id}/projects/{site}", json={"archived": "yes"}).status_code == 422
    # A project reached through another client's address is not found.
    assert client.patch(f"{API}/clients/{radio}/projects/{site}", json={"name": "x"}).status_code == 404
    colin = as_member(app, coop[2][0])
    listed = colin.get(f"{API}/clients/{union_id}/projects")
    assert listed.status_code == 200
    assert [(p["name"], p["archived"]) for p in listed.get_json()["projects"]] == [
        ("Lease clinic site", True),
        ("Monthly newsletter", False),
    ]
    assert colin.post(f"{API}/clients/{union_id}/projects", json={"name": "Mine"}).status_code == 403
    assert colin.patch(f"{API}/clients/{union_id}/projects/{site}", json={"archived": False}).status_code == 403
    assert client.get(f"{API}/clients/999999/projects").status_code == 404


def test_time_names_a_project_which_implies_its_client(coop, client, engine, union):
    union_id, _radio, site = union
    logged = log(client, project_id=site, minutes=90)
    assert logged.status_code == 201, logged.get_json()
    assert (logged.get_json()["client_id"], logged.get_json()["project_id"]) == (union_id, site)
    # Corrected to no project, the client stays; then back to the project.
    entry = logged.get_json()["id"]
    assert client.put(f"{API}/time-entries/{entry}", json={"project_id": None}).get_json()["client_id"] == union_id
    assert client.put(f"{API}/time-entries/{entry}", json={"project_id": site}).get_json()["project_id"] == site
    # Archived: no new time, but the entry keeps it and can still be corrected.
    client.patch(f"{API}/clients/{union_id}/projects/{site}", json={"archived": True})
    refused = log(client, project_id=site, minutes=30)
    assert refused.status_code == 422 and "project_id" in refused.get_json()["error"]["fields"]
    assert client.put(f"{API}/time-entries/{entry}", json={"minutes": 100}).status_code == 200
    assert entries(engine) == [(union_id, site, 100)]


def test_a_project_of_another_client_is_refused_and_nothing_is_written(coop, client, engine, union):
    _union_id, radio, site = union
    refused = log(client, client_id=radio, project_id=site)
    assert refused.status_code == 422
    assert "another client" in refused.get_json()["error"]["fields"]["project_id"]
    entry = log(client, client_id=radio).get_json()["id"]
    changed = client.put(f"{API}/time-entries/{entry}", json={"project_id": site, "client_id": radio})
    assert changed.status_code == 422 and "project_id" in changed.get_json()["error"]["fields"]
    assert entries(engine) == [(radio, None, 150)]


def test_a_project_of_another_coop_is_refused_and_nothing_is_written(coop, client, app, engine, union, make_tenant):
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    theirs_client = other.post("/c/design-action/api/v1/clients", json={"name": "Theirs", "hourly_rate": "90.00"})
    theirs = other.post(
        f"/c/design-action/api/v1/clients/{theirs_client.get_json()['id']}/projects", json={"name": "P"}
    )
    assert theirs.status_code == 201
    theirs_id = theirs.get_json()["id"]
    for project_id in (theirs_id + 1000, "1", 1.5, True, -1, 2**63):
        refused = log(client, project_id=project_id)
        assert refused.status_code == 422, (project_id, refused.get_json())
        assert "project_id" in refused.get_json()["error"]["fields"]
    # Their project's id, where this co-op has no project of that id.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM t_quilted.projects WHERE id = :id"), {"id": theirs_id})
    refused = log(client, project_id=theirs_id)
    assert refused.status_code == 422 and "project_id" in refused.get_json()["error"]["fields"]
    assert entries(engine) == []
    assert entries(engine, "t_design_action") == []


def test_another_coops_user_cannot_read_or_change_this_coops_projects(coop, client, app, engine, union, make_tenant):
    union_id, _radio, site = union
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    for method, path, body in [
        ("GET", f"{API}/clients/{union_id}/projects", None),
        ("POST", f"{API}/clients/{union_id}/projects", {"name": "Theirs"}),
        ("PATCH", f"{API}/clients/{union_id}/projects/{site}", {"archived": True}),
    ]:
        response = other.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Lease clinic" not in response.get_data(as_text=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, archived FROM t_quilted.projects")).all() == [
            ("Lease clinic site", False)
        ]


def test_an_invoice_for_one_project_takes_only_its_time(coop, client, union):
    union_id, radio, site = union
    log(client, project_id=site, minutes=120)
    log(client, client_id=union_id, minutes=60, worked_on=f"{YEAR}-03-03")
    body = {"client_id": union_id, "period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"}
    other_clients = client.post(f"{API}/invoices", json={**body, "client_id": radio, "project_id": site})
    assert other_clients.status_code == 422 and "project_id" in other_clients.get_json()["error"]["fields"]
    invoice = client.post(f"{API}/invoices", json={**body, "project_id": site})
    assert invoice.status_code == 201, invoice.get_json()
    assert (invoice.get_json()["project_id"], invoice.get_json()["minutes"], invoice.get_json()["total"]) == (
        site,
        120,
        "80.00",
    )
    rest = client.post(f"{API}/invoices", json=body).get_json()
    assert (rest["project_id"], rest["minutes"], rest["total"]) == (None, 60, "40.00")


def test_the_csv_import_names_a_bad_project_per_row_and_exports_it(coop, client, engine, union):
    union_id, radio, site = union
    client.post(f"{API}/clients/{radio}/projects", json={"name": "Shows"})
    client.post(f"{API}/clients/{union_id}/projects", json={"name": "Old"})
    old = [p for p in client.get(f"{API}/clients/{union_id}/projects").get_json()["projects"] if p["name"] == "Old"]
    client.patch(f"{API}/clients/{union_id}/projects/{old[0]['id']}", json={"archived": True})
    csv = (
        "worked_on,minutes,client,project\n"
        f"{YEAR}-03-02,60,,Lease clinic site\n"
        f"{YEAR}-03-02,60,Community radio,Lease clinic site\n"
        f"{YEAR}-03-03,60,,No such project\n"
        f"{YEAR}-03-03,60,Tenants' union,Old\n"
        f"{YEAR}-03-04,30,Community radio,shows\n"
    )
    preview = client.post(f"{API}/time-entries/import", json={"csv": csv, "preview": True}).get_json()
    assert preview["rows"] == 5 and preview["imported"] == 0
    assert preview["problems"] == {
        "3": "Community radio has no project called Lease clinic site",
        "4": "no project of this co-op is called No such project",
        "5": "the project Old is archived",
    }
    assert entries(engine) == []
    good = "\n".join(csv.splitlines()[i] for i in (0, 1, 5)) + "\n"
    imported = client.post(f"{API}/time-entries/import", json={"csv": good})
    assert imported.get_json()["imported"] == 2, imported.get_json()
    shows = [p["id"] for p in client.get(f"{API}/clients/{radio}/projects").get_json()["projects"]]
    assert entries(engine) == [(union_id, site, 60), (radio, shows[0], 30)]
    exported = client.get(f"{API}/time-entries/export.csv?from={YEAR}-03-01&to={YEAR}-03-31").get_data(as_text=True)
    assert ",yes,Tenants' union,Lease clinic site," not in exported  # imported time is not billable by default
    assert ",no,Tenants' union,Lease clinic site," in exported and ",no,Community radio,Shows," in exported


def test_the_subsidised_work_report_breaks_down_by_project(coop, client, union):
    union_id, _radio, site = union
    log(client, project_id=site, minutes=120)
    log(client, client_id=union_id, minutes=60, worked_on=f"{YEAR}-03-03")
    period = f"from={YEAR}-03-01&to={YEAR}-03-31"
    (line,) = client.get(f"{API}/subsidised-work?{period}").get_json()["clients"]
    # $150 less the union's $40: $110 an hour given, two hours on the site and one on no project.
    assert (line["minutes"], line["given"]) == (180, "330.00")
    assert [(p["project_id"], p["name"], p["minutes"], p["given"]) for p in line["projects"]] == [
        (site, "Lease clinic site", 120, "220.00"),
        (None, "", 60, "110.00"),
    ]
    page = client.get(f"/c/quilted/subsidised-work?{period}").get_data(as_text=True)
    assert "Lease clinic site" in page and "No project" in page
