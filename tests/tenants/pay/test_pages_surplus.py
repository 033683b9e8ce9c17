"""The surplus pages: the surplus policy and its form, each year's split with every member's hours,
allocation, cash and retained parts summing exactly to the surplus; who may do what."""

import re
from datetime import date

import pytest
from sqlalchemy import text

from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member, log

YEAR = date.today().year - 1
API = "/c/quilted/api/v1"
PAGE = "/c/quilted/surplus"
POLICY = {
    "reserve_share": "0.25",
    "fund_name_1": "Subsidised projects",
    "fund_share_1": "0.05",
    "basis": "hours",
    "cash_share": "0.20",
    "cash_instalments": "4",
    "instalment_months": "3",
    "fiscal_year_start": "01-01",
}


@pytest.fixture
def hours(coop, client):
    _, _, members = coop
    assert log(client, account_id=members[0].id, minutes=600).status_code == 201  # 10 h
    assert log(client, account_id=members[1].id, minutes=150).status_code == 201  # 2.5 h
    return members


@pytest.fixture
def with_policy(coop, client):
    saved = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), **POLICY})
    assert saved.status_code == 302
    return saved


def split(client, year, amount):
    token = csrf_token(client, PAGE)
    return client.post(
        f"{PAGE}/split", data={"csrf_token": token, "split-fiscal_year": str(year), "split-surplus": amount}
    )


def member_row(page, name):
    """(hours, allocation) in a member's row of a split's page."""
    row = re.search(
        rf"<td>{re.escape(name)}.*?</td>\s*<td class=\"num\">([^<]*)</td>\s*<td class=\"num\">([^<]*)</td>", page
    )
    return row.groups() if row else None


def table_counts(engine):
    with engine.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM t_quilted.{table}")).scalar()
            for table in ("surplus_policy", "surplus_allocations", "capital_entries")
        )


def test_an_admin_sets_the_policy_on_the_page(coop, client):
    empty = client.get(PAGE).get_data(as_text=True)
    assert "No surplus policy yet." in empty and "Set one below" in empty and "No year's surplus is split yet." in empty
    token = csrf_token(client, PAGE)
    assert client.post(PAGE, data={"csrf_token": token, **POLICY}).status_code == 302
    assert client.get(f"{API}/surplus-policy").get_json() == {
        "reserve_share": "0.25",
        "funds": [{"name": "Subsidised projects", "share": "0.05"}],
        "basis": "hours",
        "cash_share": "0.2",
        "cash_instalments": 4,
        "instalment_months": 3,
        "fiscal_year_start": "01-01",
    }
    html = client.get(PAGE).get_data(as_text=True)
    assert "The surplus policy is saved." in html and "Subsidised projects: 0.05" in html
    assert "0.2 of each allocation, in 4 instalments (3 months apart)" in html and 'value="0.25"' in html


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({"reserve_share": "0.96"}, "The reserve and the funds add up to more than 100%."),
        ({"reserve_share": "a quarter"}, "Write a share such as"),
        ({"fund_name_1": ""}, "Name the fund."),
        ({"fund_share_1": "1.5"}, "A share is from 0 to 1 (100%)."),
        ({"cash_instalments": "30"}, "Pay cash in 1 to 24 instalments."),
        ({"fiscal_year_start": "July"}, "first day as MM-DD, such as 07-01."),
    ],
)
def test_a_bad_policy_shows_the_field_and_reason_and_changes_nothing(coop, client, engine, changes, shown):
    refused = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), **POLICY, **changes})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and shown in html and 'aria-invalid="true"' in html
    assert 'value="Subsidised projects"' in html or changes.get("fund_name_1") == ""  # what was typed is kept
    assert table_counts(engine) == (0, 0, 0)


def test_an_admin_splits_a_year_and_the_parts_sum_exactly(coop, client, hours, with_policy, engine):
    made = split(client, YEAR, "1000.01")
    assert made.status_code == 302
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    # Reserve and fund first, rounded down; the members' 700.01 by hours, 10 : 2.5; cash rounded up.
    assert "250.00" in page and "50.00" in page and "700.01" in page
    # Each row: the name (with the link to the notice, for an officer), the hours and the part.
    assert member_row(page, "Colin Sagan") == ("10.00", "560.01")
    assert '<td class="num">112.01</td>\n    <td class="num">448.00</td>' in page
    assert member_row(page, "Alex Hage") == ("2.50", "140.00")
    assert '<th scope="row">Total</th><td class="num">1,000.01</td>' in page  # the parts sum to the surplus
    totals = (
        '<td class="num">12.50</td><td class="num">700.01</td><td class="num">140.01</td><td class="num">560.00</td>'
    )
    assert totals in page  # hours, allocation, cash and retained in all
    body = client.get(f"{API}/surplus-allocations/{made.headers['Location'].rsplit('/', 1)[1]}").get_json()
    assert body["surplus"] == "1000.01" and body["reserve"] == "250.00"
    listed = client.get(PAGE).get_data(as_text=True)
    assert f">{YEAR}</a>" in listed and "1,000.01" in listed


@pytest.mark.parametrize(
    ("year", "amount", "status", "shown"),
    [
        (YEAR, "10.005", 422, "Use at most two decimals (whole cents)."),
        (YEAR, "lots", 422, "Write an amount such as"),
        (YEAR - 5, "100.00", 422, "No hours were logged in that year."),
        ("", "100.00", 422, "A year such as 2026."),
        ("next", "100.00", 422, "Not a valid integer value."),
    ],
)
def test_a_bad_split_shows_the_field_and_reason_and_changes_nothing(
    coop, client, hours, with_policy, engine, year, amount, status, shown
):
    refused = split(client, year, amount)
    html = refused.get_data(as_text=True)
    assert refused.status_code == status and shown in html and 'aria-invalid="true"' in html
    assert f'value="{amount}"' in html  # what was typed is kept
    assert table_counts(engine) == (1, 0, 0)


def test_a_year_is_split_once_and_a_split_needs_a_policy(coop, client, hours, engine):
    no_policy = split(client, YEAR, "100.00")
    assert no_policy.status_code == 409 and "Set the surplus policy first." in no_policy.get_data(as_text=True)
    client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE), **POLICY})
    assert split(client, YEAR, "100.00").status_code == 302
    again = split(client, YEAR, "200.00")
    assert again.status_code == 409 and f"The {YEAR} surplus is already split." in again.get_data(as_text=True)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT surplus FROM t_quilted.surplus_allocations")).all() == [(10000,)]


def test_a_member_sees_the_splits_but_cannot_act(coop, client, app, hours, with_policy, engine):
    allocation_url = split(client, YEAR, "1000.01").headers["Location"]
    colin = as_member(app, hours[0])
    page = colin.get(PAGE).get_data(as_text=True)
    assert "Subsidised projects: 0.05" in page and "Split the surplus" not in page and "Save the surplus" not in page
    assert "560.01" in colin.get(allocation_url).get_data(as_text=True)
    token = csrf_token(colin, "/c/quilted/time")
    assert colin.post(PAGE, data={"csrf_token": token, **POLICY, "reserve_share": "0.5"}).status_code == 403
    refused = colin.post(
        f"{PAGE}/split", data={"csrf_token": token, "split-fiscal_year": str(YEAR - 1), "split-surplus": "5.00"}
    )
    assert refused.status_code == 403
    assert client.get(f"{API}/surplus-policy").get_json()["reserve_share"] == "0.25"
    assert table_counts(engine)[1] == 1


def test_another_coops_member_gets_404(coop, client, app, hours, with_policy, make_tenant, engine):
    allocation_url = split(client, YEAR, "1000.01").headers["Location"]
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    token = csrf_token(other, "/account")
    for method, path, data in [
        ("GET", PAGE, None),
        ("POST", PAGE, {"csrf_token": token, **POLICY, "reserve_share": "0.5"}),
        ("POST", f"{PAGE}/split", {"csrf_token": token, "split-fiscal_year": str(YEAR - 1), "split-surplus": "5"}),
        ("GET", allocation_url, None),
    ]:
        response = other.open(path, method=method, data=data)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "560.01" not in response.get_data(as_text=True)
    assert table_counts(engine)[:2] == (1, 1)
    assert client.get(f"{API}/surplus-policy").get_json()["reserve_share"] == "0.25"


def test_the_navigation_links_the_surplus(coop, client):
    assert f'href="{PAGE}"' in client.get("/c/quilted/time").get_data(as_text=True)
