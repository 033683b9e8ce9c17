"""Web Collective's salary year: $3,500 a month against 1,820 hours a year with six weeks' paid
leave (210 hours); the running balance, leave left, and the year closed as the co-op decides.
A salary is paid by the day: twice-monthly runs sum exactly to the month, salaried members are
paid with no time logged, and someone who joins during the year commits, earns leave and is
paid only from the day the membership register shows them joining."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from coopnet.tenants.pay.payroll import salary_for
from tests.conftest import csrf_token
from tests.tenants.pay.test_api import as_member

YEAR = date.today().year - 1
API = "/c/web-collective/api/v1"
HOUR = 60

# who: (hours worked, hours of leave), then the balance at year end in minutes
WEB_COLLECTIVE = {
    "Marie": (1610, 210, 0),  # 1,610 + 210 = 1,820: even
    "Noel": (1500, 210, -110 * HOUR),  # 110 hours short
    "Ida": (1700, 240, 90 * HOUR),  # 30 hours of leave beyond the six weeks do not count
    "Raj": (1575.5, 140, -104.5 * HOUR),
}
# the co-op's decision -> each member's (outcome, hours carried into the next year in minutes, owed)
DECISIONS = [
    (
        ("repay", "carry"),
        {
            "Marie": ("even", 0, "0.00"),
            # 6,600 minutes x $42,000 / 109,200 minutes = 2,538.4615... -> 2,538.46
            "Noel": ("owed", 0, "2538.46"),
            "Ida": ("carried", 5400, "0.00"),
            # 6,270 minutes -> 2,411.538... -> 2,411.54
            "Raj": ("owed", 0, "2411.54"),
        },
    ),
    (
        ("carry", "drop"),
        {
            "Marie": ("even", 0, "0.00"),
            "Noel": ("carried", -6600, "0.00"),
            "Ida": ("dropped", 0, "0.00"),
            "Raj": ("carried", -6270, "0.00"),
        },
    ),
]


def spend(engine, table, account_id, minutes, first_day, per_day):
    """``minutes`` spread over days from ``first_day``, ``per_day`` at most a day."""
    rows, day = [], first_day
    while minutes > 0:
        rows.append((day, min(per_day, minutes)))
        minutes -= per_day
        day += timedelta(days=1)
    column = "worked_on" if table == "time_entries" else "taken_on"
    extra = ", kind, billable, entered_by" if table == "time_entries" else ", recorded_by"
    values = ", 'internal', false, :a" if table == "time_entries" else ", :a"
    with engine.begin() as conn:
        conn.execute(
            text(
                f"INSERT INTO t_web_collective.{table} (account_id, {column}, minutes, note, created_at{extra}) "
                f"VALUES (:a, :on, :m, '', now(){values})"
            ),
            [{"a": account_id, "on": on, "m": spent} for on, spent in rows],
        )


def set_salary(client, effective_from, monthly_salary):
    """A salary policy version: 1,820 hours and six weeks' leave a year, as Web Collective's."""
    policy = client.post(
        f"{API}/pay-policies",
        json={
            "effective_from": effective_from,
            "scheme": "salary",
            "rates": {"member": "0.00"},
            "monthly_salary": monthly_salary,
            "yearly_hours": 1820,
            "leave_weeks": 6,
        },
    )
    assert policy.status_code == 201, policy.get_json()


@pytest.fixture
def web_collective(client, login, make_tenant, make_account, add_member, engine):
    tenant, admin = make_tenant("web-collective", name="Web Collective")
    people = {"Marie": admin}
    for name in ("Noel", "Ida", "Raj"):
        people[name] = make_account(name=name)
        add_member(tenant, people[name], "member")
    login(admin.email)
    set_salary(client, f"{YEAR}-01-01", "3500.00")
    # A kind of the co-op's own stores the default kinds, internal among them, which the time below refers to.
    assert client.post(f"{API}/work-kinds", json={"key": "web development"}).status_code == 201
    for name, (worked, leave, _balance) in WEB_COLLECTIVE.items():
        spend(engine, "time_entries", people[name].id, int(worked * HOUR), date(YEAR, 1, 1), 420)
        spend(engine, "leave_taken", people[name].id, leave * HOUR, date(YEAR, 12, 1), 480)
    return people


def test_the_running_balance_and_leave(web_collective, client, app):
    people = web_collective
    body = client.get(f"{API}/salary-balances?year={YEAR}&on={YEAR}-12-31").get_json()
    assert body["yearly_minutes"] == 1820 * HOUR and body["leave_allowance_minutes"] == 210 * HOUR
    assert body["hourly_value"] == "23.08"  # $42,000 over 1,820 hours
    rows = {row["account_id"]: row for row in body["members"]}
    for name, (_worked, leave, balance) in WEB_COLLECTIVE.items():
        row = rows[people[name].id]
        assert row["balance_minutes"] == balance, name
        assert row["leave_left_minutes"] == (210 - leave) * HOUR, name
    assert rows[people["Raj"].id]["balance_hours"] == "-104.50"
    # Halfway: the commitment so far is 181 of 365 days' share; Noel worked 181 days of 7 hours.
    june = client.get(f"{API}/salary-balances?year={YEAR}&on={YEAR}-06-30").get_json()
    noel = next(row for row in june["members"] if row["account_id"] == people["Noel"].id)
    committed = 1820 * HOUR * 181 // 365
    assert noel["committed_minutes"] == committed and noel["balance_minutes"] == 181 * 420 - committed
    # A member sees their own line only.
    ida = as_member(app, people["Ida"]).get(f"{API}/salary-balances?year={YEAR}").get_json()
    assert [row["account_id"] for row in ida["members"]] == [people["Ida"].id]


@pytest.mark.parametrize(("decision", "expected"), DECISIONS)
def test_a_web_collective_year_closed_as_the_coop_decides(web_collective, client, decision, expected):
    people = web_collective
    shortfall, surplus_hours = decision
    closed = client.post(
        f"{API}/salary-year-ends", json={"year": YEAR, "shortfall": shortfall, "surplus_hours": surplus_hours}
    )
    assert closed.status_code == 201, closed.get_json()
    found = {row["account_id"]: row for row in closed.get_json()["members"]}
    for name, (outcome, carried, owed) in expected.items():
        row = found[people[name].id]
        assert (row["outcome"], row["carried_minutes"], row["owed"]) == (outcome, carried, owed), name
        assert row["balance_minutes"] == WEB_COLLECTIVE[name][2]
    assert client.get(f"{API}/salary-year-ends?year={YEAR}").get_json()["members"] == closed.get_json()["members"]
    # What is carried opens the next year's balance.
    following = client.get(f"{API}/salary-balances?year={YEAR + 1}&on={YEAR + 1}-01-01").get_json()
    carried_in = {row["account_id"]: row["carried_in_minutes"] for row in following["members"]}
    assert {name: carried_in[people[name].id] for name in expected} == {n: e[1] for n, e in expected.items()}
    again = client.post(f"{API}/salary-year-ends", json={"year": YEAR, "shortfall": "repay", "surplus_hours": "drop"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "year_closed"
    late = client.post(
        f"{API}/leave", json={"account_id": people["Noel"].id, "taken_on": f"{YEAR}-12-30", "minutes": 60}
    )
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "year_closed"
    # Nor can time worked in the closed year change: its balances are settled.
    body = {"worked_on": f"{YEAR}-12-30", "minutes": 60, "kind": "internal", "account_id": people["Noel"].id}
    logged = client.post(f"{API}/time-entries", json=body)
    assert logged.status_code == 409 and logged.get_json()["error"]["code"] == "period_locked"
    assert "salary year is closed" in logged.get_json()["error"]["message"]
    imported = client.post(
        f"{API}/time-entries/import",
        json={"csv": f"worked_on,minutes,kind\n{YEAR}-12-30,60,internal\n", "preview": True},
    )
    assert "salary year is closed" in str(imported.get_json())
    assert client.post(f"{API}/time-entries", json={**body, "worked_on": f"{YEAR + 1}-01-02"}).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "field_or_code"),
    [
        ({"year": YEAR, "shortfall": "forgive", "surplus_hours": "carry"}, 422, "shortfall"),
        ({"year": YEAR, "shortfall": "repay", "surplus_hours": "bank"}, 422, "surplus_hours"),
        ({"year": "last", "shortfall": "repay", "surplus_hours": "carry"}, 422, "year"),
        ({"year": YEAR + 1, "shortfall": "repay", "surplus_hours": "carry"}, 409, "year_not_over"),
    ],
)
def test_bad_closings_close_nothing(web_collective, client, body, status, field_or_code):
    refused = client.post(f"{API}/salary-year-ends", json=body)
    error = refused.get_json()["error"]
    assert refused.status_code == status and (field_or_code in error["fields"] or error["code"] == field_or_code)
    assert client.get(f"{API}/salary-year-ends?year={YEAR}").get_json()["members"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 1441}, "minutes"),
        ({"minutes": 7.5}, "minutes"),
        ({"taken_on": "August"}, "taken_on"),
        ({"account_id": 999999}, "account_id"),
    ],
)
def test_bad_leave_records_nothing(web_collective, client, engine, body, field):
    before = client.get(f"{API}/leave?year={YEAR + 1}").get_json()["leave"]
    refused = client.post(f"{API}/leave", json={"taken_on": f"{YEAR + 1}-01-05", "minutes": 420, **body})
    assert refused.status_code == 422 and field in refused.get_json()["error"]["fields"]
    assert client.get(f"{API}/leave?year={YEAR + 1}").get_json()["leave"] == before == []


def test_leave_for_someone_else_only_by_officers(web_collective, client, app):
    people = web_collective
    ida = as_member(app, people["Ida"])
    body = {"taken_on": f"{YEAR + 1}-01-05", "minutes": 420, "account_id": people["Noel"].id}
    assert ida.post(f"{API}/leave", json=body).status_code == 403
    own = ida.post(f"{API}/leave", json={**body, "account_id": None})
    assert own.status_code == 201 and own.get_json()["account_id"] == people["Ida"].id
    assert client.post(f"{API}/leave", json=body).status_code == 201
    assert ida.get(f"{API}/leave?year={YEAR + 1}&account_id={people['Noel'].id}").status_code == 403
    assert len(client.get(f"{API}/leave?year={YEAR + 1}").get_json()["leave"]) == 2
    assert (
        ida.post(
            f"{API}/salary-year-ends", json={"year": YEAR, "shortfall": "repay", "surplus_hours": "carry"}
        ).status_code
        == 403
    )


def test_a_coop_not_on_a_salary_is_told_so(coop, client):
    refused = client.get(f"/c/quilted/api/v1/salary-balances?year={YEAR}")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_salary_policy"
    assert "No salary policy" in client.get(f"/c/quilted/salary?year={YEAR}").get_data(as_text=True)


def test_another_coops_member_gets_404(web_collective, client, app, make_tenant):
    _, outsider = make_tenant("design-action")
    other = as_member(app, outsider)
    token = csrf_token(other, "/account")  # a valid token, so the membership check is what refuses
    for method, path, body in [
        ("GET", f"{API}/salary-balances?year={YEAR}", None),
        ("GET", f"{API}/leave?year={YEAR}", None),
        ("POST", f"{API}/leave", {"taken_on": f"{YEAR + 1}-01-05", "minutes": 60}),
        ("GET", f"{API}/salary-year-ends?year={YEAR}", None),
        ("POST", f"{API}/salary-year-ends", {"year": YEAR, "shortfall": "repay", "surplus_hours": "carry"}),
        ("GET", f"/c/web-collective/salary?year={YEAR}", None),
    ]:
        response = other.open(path, method=method, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
    for path in (f"/c/web-collective/salary/close?year={YEAR}", f"/c/web-collective/salary?year={YEAR + 1}"):
        form = {"csrf_token": token, "shortfall": "repay", "surplus_hours": "carry", "minutes": "60"}
        response = other.post(path, data=form)
        assert response.status_code == 404, (method, path, response.status_code)
    assert client.get(f"{API}/salary-year-ends?year={YEAR}").get_json()["members"] == []


def test_the_salary_page_records_leave_and_closes_the_year(web_collective, client):
    people = web_collective
    page = client.get(f"/c/web-collective/salary?year={YEAR}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Noel" in html and "-110.00" in html and "Close the salary year" in html
    token = csrf_token(client, f"/c/web-collective/salary?year={YEAR + 1}")
    bad = client.post(
        f"/c/web-collective/salary?year={YEAR + 1}",
        data={"csrf_token": token, "account_id": people["Noel"].id, "taken_on": f"{YEAR + 1}-01-05", "minutes": "0"},
    )
    assert bad.status_code == 422 and "1 to 1440" in bad.get_data(as_text=True)
    done = client.post(
        f"/c/web-collective/salary?year={YEAR + 1}",
        data={"csrf_token": token, "account_id": people["Noel"].id, "taken_on": f"{YEAR + 1}-01-05", "minutes": "420"},
    )
    assert done.status_code == 302
    assert client.get(f"{API}/leave?year={YEAR + 1}").get_json()["leave"][0]["account_id"] == people["Noel"].id
    closed = client.post(
        f"/c/web-collective/salary/close?year={YEAR}",
        data={"csrf_token": token, "shortfall": "repay", "surplus_hours": "carry"},
    )
    assert closed.status_code == 302
    html = client.get(f"/c/web-collective/salary?year={YEAR}").get_data(as_text=True)
    assert "How the year was closed" in html and "2,538.46" in html and "4,950.00" in html


MONTHLY = 350_000  # $3,500.00


@settings(deadline=None)
@given(
    monthly=st.integers(min_value=0, max_value=10**9),
    first=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)),
    cuts=st.lists(st.integers(min_value=1, max_value=120), max_size=5),
)
def test_consecutive_periods_sum_exactly_to_the_whole(monthly, first, cuts):
    days = sorted(set(cuts))
    bounds = [first, *(first + timedelta(days=d) for d in days)]
    last = bounds[-1] + timedelta(days=30)
    edges = [*bounds, last + timedelta(days=1)]
    parts = [salary_for(monthly, edges[i], edges[i + 1] - timedelta(days=1)) for i in range(len(edges) - 1)]
    assert sum(parts) == salary_for(monthly, first, last)
    assert all(part >= 0 for part in parts)


def test_a_month_and_its_halves():
    assert salary_for(MONTHLY, date(2026, 2, 1), date(2026, 2, 28)) == MONTHLY
    assert salary_for(433_333, date(2026, 4, 1), date(2026, 4, 15)) == 216_667  # 433,333 x 15/30, rounded
    assert salary_for(433_333, date(2026, 4, 16), date(2026, 4, 30)) == 216_666  # the rest of the month
    assert (
        salary_for(MONTHLY, date(2026, 1, 20), date(2026, 2, 28)) == 135_484 + MONTHLY
    )  # 12 of 31 days, then February


def join(engine, account_id, on):
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO t_web_collective.member_records (account_id, status, since, class, candidate_since, "
                "entrance_fee_owed, entrance_fee_deferred) VALUES (:a, 'candidate', :on, 'member', :on, 0, false)"
            ),
            {"a": account_id, "on": on},
        )


def test_someone_joining_in_july_commits_and_earns_leave_from_then(web_collective, client, engine):
    people = web_collective
    join(engine, people["Noel"].id, date(YEAR, 7, 1))  # Noel came in July: 184 of 365 days
    body = client.get(f"{API}/salary-balances?year={YEAR}&on={YEAR}-12-31").get_json()
    noel = next(row for row in body["members"] if row["account_id"] == people["Noel"].id)
    marie = next(row for row in body["members"] if row["account_id"] == people["Marie"].id)
    assert noel["counted_from"] == f"{YEAR}-07-01" and marie["counted_from"] == f"{YEAR}-01-01"
    assert noel["committed_minutes"] == 1820 * HOUR * 184 // 365
    assert noel["leave_allowance_minutes"] == 210 * HOUR * 184 // 365
    assert marie["committed_minutes"] == 1820 * HOUR and marie["leave_allowance_minutes"] == 210 * HOUR
    # Before July Noel owes nothing.
    june = client.get(f"{API}/salary-balances?year={YEAR}&on={YEAR}-06-30").get_json()
    assert next(r for r in june["members"] if r["account_id"] == people["Noel"].id)["committed_minutes"] == 0
    page = client.get(f"/c/web-collective/salary?year={YEAR}").get_data(as_text=True)
    assert "(joined" in page


def test_a_salary_run_pays_everyone_by_the_day(web_collective, client, engine):
    people = web_collective
    join(engine, people["Raj"].id, date(YEAR, 3, 10))  # Raj joined on the tenth
    with engine.begin() as conn:  # Ida logged nothing in March: she is still on the salary
        conn.execute(
            text("DELETE FROM t_web_collective.time_entries WHERE account_id = :a AND worked_on BETWEEN :s AND :e"),
            {"a": people["Ida"].id, "s": date(YEAR, 3, 1), "e": date(YEAR, 3, 31)},
        )
    first = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-15"})
    assert first.status_code == 201, first.get_json()
    second = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-16", "period_end": f"{YEAR}-03-31"})
    assert second.status_code == 201, second.get_json()
    halves = [{line["account_id"]: line["gross"] for line in run.get_json()["lines"]} for run in (first, second)]
    assert halves[0][people["Marie"].id] == "1693.55"  # 3,500 x 15/31
    assert halves[1][people["Marie"].id] == "1806.45"  # the rest of March
    assert halves[0][people["Ida"].id] == "1693.55" and halves[1][people["Ida"].id] == "1806.45"
    assert halves[0][people["Raj"].id] == "677.42"  # 3,500 x 6/31: the 10th to the 15th
    assert halves[1][people["Raj"].id] == "1806.45"
    for name in ("Marie", "Noel", "Ida"):
        whole = sum(int(half[people[name].id].replace(".", "")) for half in halves)
        assert whole == MONTHLY, name


def record(engine, account_id, status, since, history=()):
    """The register's row for a person and the status changes that led to it."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO t_web_collective.member_records (account_id, status, since, class, "
                "entrance_fee_owed, entrance_fee_deferred) VALUES (:a, :s, :on, 'member', 0, false)"
            ),
            {"a": account_id, "s": status, "on": since},
        )
        for to_status, on in history:
            conn.execute(
                text(
                    "INSERT INTO t_web_collective.status_changes (account_id, to_status, effective_on, reason, "
                    "recorded_at) VALUES (:a, :s, :on, '', now())"
                ),
                {"a": account_id, "s": to_status, "on": on},
            )


def test_a_salary_is_paid_for_the_days_worked_and_the_run_finalises(
    web_collective, client, engine, make_account, add_member
):
    people = web_collective
    march = (date(YEAR, 3, 1), date(YEAR, 3, 31))
    with engine.begin() as conn:  # nobody logged time in March: the salary is paid all the same
        conn.execute(
            text("DELETE FROM t_web_collective.time_entries WHERE worked_on BETWEEN :s AND :e"),
            {"s": march[0], "e": march[1]},
        )
    # Marie came back from leave on March 5; she joined the year before, which is what counts.
    record(
        engine,
        people["Marie"].id,
        "member",
        date(YEAR, 3, 5),
        [("member", date(YEAR - 1, 6, 1)), ("leave", date(YEAR, 2, 1)), ("member", date(YEAR, 3, 5))],
    )
    record(engine, people["Noel"].id, "withdrawn", date(YEAR, 3, 21), [("member", date(YEAR - 1, 1, 1))])
    with engine.connect() as conn:
        (coop_id,) = conn.execute(text("SELECT id FROM tenants WHERE slug = 'web-collective'")).one()
    applicant = make_account(name="Applicant")
    add_member(type("Tenant", (), {"id": coop_id}), applicant, "candidate")
    record(engine, applicant.id, "applicant", date(YEAR, 2, 1))
    made = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-03-01", "period_end": f"{YEAR}-03-31"})
    assert made.status_code == 201, made.get_json()
    gross = {line["account_id"]: line["gross"] for line in made.get_json()["lines"]}
    assert gross[people["Marie"].id] == "3500.00" and gross[people["Ida"].id] == "3500.00"
    assert gross[people["Noel"].id] == "2258.06"  # 20 of 31 days: he left on the 21st
    assert applicant.id not in gross  # an applicant is not working for the co-op yet
    finalised = client.post(f"{API}/pay-runs/{made.get_json()['id']}/finalise")
    assert finalised.status_code == 200, finalised.get_json()


def test_a_salary_raised_mid_month_pays_each_day_at_its_own_rate(web_collective, client):
    set_salary(client, f"{YEAR}-04-16", "3800.00")
    made = client.post(f"{API}/pay-runs", json={"period_start": f"{YEAR}-04-01", "period_end": f"{YEAR}-04-30"})
    gross = {line["account_id"]: line["gross"] for line in made.get_json()["lines"]}
    # 15 days at 3,500 (1,750.00) and 15 days at 3,800 (3,800.00 - 1,900.00)
    assert set(gross.values()) == {"3650.00"}
