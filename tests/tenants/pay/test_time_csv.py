"""Time from and to CSV: a preview names every bad row and writes nothing, an import writes all
rows or none, an export imports again; officers import others' time; another co-op's member gets 404."""

import io
from datetime import date

from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"


def entries(engine):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT account_id, worked_on, minutes, kind, billable, client_id, note, entered_by "
                "FROM t_quilted.time_entries ORDER BY id"
            )
        ).all()


def test_an_officer_imports_a_file_for_two_members_and_it_exports_again(coop, client, engine):
    _, admin, (colin, alex) = coop
    union = client.post(f"{API}/clients", json={"name": "Tenants' union", "hourly_rate": "40.00"}).get_json()["id"]
    body = (
        "email,worked_on,minutes,kind,billable,client,note\n"
        f"{colin.email},{YEAR}-03-02,150,client,yes,Tenants' union,Lease clinic site\n"
        f"{alex.email.upper()},{YEAR}-03-02,60,internal,no,,Bookkeeping\n"
        f",{YEAR}-03-03,30,,,,My own\n"
    )
    preview = client.post(f"{API}/time-entries/import", json={"csv": body, "preview": True})
    assert preview.status_code == 200 and preview.get_json() == {"rows": 3, "imported": 0, "problems": {}}
    assert entries(engine) == []  # a preview writes nothing
    done = client.post(f"{API}/time-entries/import", json={"csv": body})
    assert done.status_code == 200 and done.get_json()["imported"] == 3
    assert entries(engine) == [
        (colin.id, date(YEAR, 3, 2), 150, "client", True, union, "Lease clinic site", admin.id),
        (alex.id, date(YEAR, 3, 2), 60, "internal", False, None, "Bookkeeping", admin.id),
        (admin.id, date(YEAR, 3, 3), 30, "client", False, None, "My own", admin.id),
    ]
    # Time imported for someone else is in the audit; one's own is not.
    audit = client.get(f"{API}/time-entry-changes").get_json()["changes"]
    assert sorted((c["account_id"], c["action"], c["changed_by"], c["after"]["minutes"]) for c in audit) == sorted(
        [(colin.id, "created", admin.id, 150), (alex.id, "created", admin.id, 60)]
    )
    assert {c["reason"] for c in audit} == {"imported from a CSV file"}
    exported = client.get(f"{API}/time-entries/export.csv?from={YEAR}-03-01&to={YEAR}-03-31")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    lines = exported.get_data(as_text=True).splitlines()
    assert lines[0] == "email,name,worked_on,minutes,kind,billable,client,project,note"
    assert f"{colin.email},Colin Sagan,{YEAR}-03-02,150,client,yes,Tenants' union,,Lease clinic site" in lines
    assert len(lines) == 4
    # The export imports again (as it is, into a co-op with the same people and clients).
    again = client.post(f"{API}/time-entries/import", json={"csv": exported.get_data(as_text=True), "preview": True})
    assert again.get_json()["problems"] == {}


def test_every_bad_row_is_named_and_nothing_is_imported(coop, client, engine, make_account):
    _, _, (colin, _alex) = coop
    stranger = make_account(email="stranger@example.org")
    log(client, account_id=colin.id, minutes=1400, worked_on=f"{YEAR}-03-09")
    body = (
        "email,worked_on,minutes,kind,billable,client,note\n"
        f"{colin.email},{YEAR}-03-02,150,client,yes,,fine\n"  # line 2: good
        f"{colin.email},last tuesday,60,client,no,,\n"  # 3
        f"{colin.email},{YEAR}-03-02,0,client,no,,\n"  # 4
        f"{colin.email},{YEAR}-03-02,1.5,client,no,,\n"  # 5
        f"{colin.email},{YEAR}-03-02,60,astrology,no,,\n"  # 6
        f"{colin.email},{YEAR}-03-02,60,client,maybe,,\n"  # 7
        f"{colin.email},{YEAR}-03-02,60,client,yes,Nobody Inc,\n"  # 8
        f"{stranger.email},{YEAR}-03-02,60,client,no,,\n"  # 9
        f"{colin.email},{YEAR}-03-09,60,client,no,,\n"  # 10: 1,400 already that day
    )
    preview = client.post(f"{API}/time-entries/import", json={"csv": body, "preview": True}).get_json()
    assert sorted(preview["problems"], key=int) == [str(n) for n in range(3, 11)]
    assert "2026-03-02" in preview["problems"]["3"] and "1 to 1440" in preview["problems"]["4"]
    assert "1 to 1440" in preview["problems"]["5"] and "kind of work" in preview["problems"]["6"]
    assert "yes or no" in preview["problems"]["7"] and "Nobody Inc" in preview["problems"]["8"]
    assert "not a member" in preview["problems"]["9"] and "1460 minutes" in preview["problems"]["10"]
    refused = client.post(f"{API}/time-entries/import", json={"csv": body})
    assert refused.status_code == 422 and "line 9" in refused.get_json()["error"]["fields"]
    assert len(entries(engine)) == 1  # only the entry logged before


def test_a_locked_period_and_a_bad_header_are_refused(coop, client, engine):
    _, _, (colin, _) = coop
    log(client, account_id=colin.id, minutes=60)
    run = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"})
    client.post(f"{API}/pay-runs/{run.get_json()['id']}/finalise")
    locked = client.post(f"{API}/time-entries/import", json={"csv": f"worked_on,minutes\n{YEAR}-03-05,60\n"})
    assert locked.status_code == 422 and "locked" in locked.get_json()["error"]["fields"]["line 2"]
    no_header = client.post(f"{API}/time-entries/import", json={"csv": "day,hours\n2026-01-01,2\n"})
    assert no_header.status_code == 422 and "worked_on" in no_header.get_json()["error"]["fields"]["csv"]
    assert client.post(f"{API}/time-entries/import", json={"csv": ""}).status_code == 422
    assert len(entries(engine)) == 1


def test_a_member_imports_only_their_own_time_and_exports_only_their_own(coop, client, app, engine):
    _, admin, (colin, alex) = coop
    log(client, account_id=alex.id, minutes=45, note="Alex's")
    member = as_member(app, colin)
    theirs = f"email,worked_on,minutes\n{alex.email},{YEAR}-03-04,60\n"
    refused = member.post(f"{API}/time-entries/import", json={"csv": theirs})
    assert refused.status_code == 422 and "officers" in refused.get_json()["error"]["fields"]["line 2"]
    mine = member.post(f"{API}/time-entries/import", json={"csv": f"worked_on,minutes\n{YEAR}-03-04,60\n"})
    assert mine.status_code == 200 and entries(engine)[-1][0] == colin.id and entries(engine)[-1][7] == colin.id
    exported = member.get(f"{API}/time-entries/export.csv?from={YEAR}-01-01&to={YEAR}-12-31").get_data(as_text=True)
    assert "Alex's" not in exported and colin.email in exported
    assert member.get(f"{API}/time-entries/export.csv?account_id={alex.id}").status_code == 403
    everyone = client.get(f"{API}/time-entries/export.csv?from={YEAR}-01-01&to={YEAR}-12-31").get_data(as_text=True)
    assert "Alex's" in everyone and colin.email in everyone
    assert admin.email not in everyone  # the admin logged no time of their own


def test_a_formula_in_a_note_is_never_run_by_a_spreadsheet(coop, client):
    log(client, note='=HYPERLINK("http://evil.example")')
    exported = client.get(f"{API}/time-entries/export.csv?from={YEAR}-01-01&to={YEAR}-12-31").get_data(as_text=True)
    assert "'=HYPERLINK" in exported
    # The export imported again is the same note, not quoted once more on each round trip.
    again = client.post(f"{API}/time-entries/import", json={"csv": exported})
    assert again.status_code == 200, again.get_json()
    twice = client.get(f"{API}/time-entries/export.csv?from={YEAR}-01-01&to={YEAR}-12-31").get_data(as_text=True)
    assert twice.count("'=HYPERLINK") == 2 and "''=HYPERLINK" not in twice


def test_another_coops_member_cannot_import_or_export(coop, client, app, make_tenant, engine):
    _, _, (colin, _) = coop
    log(client, account_id=colin.id, minutes=60, note="Secret note")
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    body = {"csv": f"email,worked_on,minutes\n{colin.email},{YEAR}-03-04,60\n"}
    for method, path, kwargs in [
        ("POST", f"{API}/time-entries/import", {"json": body}),
        ("POST", f"{API}/time-entries/import", {"json": {**body, "preview": True}}),
        ("GET", f"{API}/time-entries/export.csv", {}),
        ("GET", "/c/quilted/time/import", {}),
        ("GET", "/c/quilted/time/export.csv", {}),
    ]:
        response = other.open(path, method=method, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "Secret note" not in response.get_data(as_text=True)
    assert len(entries(engine)) == 1


def test_the_import_pages_preview_then_confirm(coop, client, engine):
    _, _, (colin, _) = coop
    token = csrf_token(client, "/c/quilted/time/import")
    bad = f"email,worked_on,minutes\n{colin.email},{YEAR}-03-02,90\n{colin.email},{YEAR}-03-02,-5\n".encode()
    preview = client.post(
        "/c/quilted/time/import",
        data={"csrf_token": token, "csv_file": (io.BytesIO(bad), "time.csv")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 422 and "Line 3" in page and "nothing will be imported" in page
    assert entries(engine) == []
    good = f"email,worked_on,minutes,note\n{colin.email},{YEAR}-03-02,90,Site fixes\n".encode()
    preview = client.post(
        "/c/quilted/time/import",
        data={"csrf_token": token, "csv_file": (io.BytesIO(good), "time.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200 and "Import 1 entry" in preview.get_data(as_text=True)
    assert entries(engine) == []
    done = client.post("/c/quilted/time/import/confirm", data={"csrf_token": token, "csv": good.decode()})
    assert done.status_code == 302
    assert [(e[0], e[2], e[6]) for e in entries(engine)] == [(colin.id, 90, "Site fixes")]
    no_file = client.post("/c/quilted/time/import", data={"csrf_token": token})
    assert no_file.status_code == 422 and "Choose a CSV file" in no_file.get_data(as_text=True)
