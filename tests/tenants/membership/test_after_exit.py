"""Someone who left holds no office and no duty: no new terms or shifts, later shifts go,
open swap requests lapse; and the co-op's currency stays once money is recorded in it."""

from datetime import UTC, date, datetime, timedelta

from coopnet.database import tenant_scope
from coopnet.extensions import db
from coopnet.platform.models import Tenant
from coopnet.tenants.membership import lifecycle
from tests.tenants.membership.conftest import add_candidate, months_ago


def leaves(app, tenant, account_id):
    with app.app_context(), tenant_scope(db.session, tenant.slug):
        lifecycle.record_departure(db.session, db.session.get(Tenant, tenant.id), account_id, "Moved away.")
        db.session.commit()


def test_someone_who_left_gets_no_office_and_loses_later_shifts(quilted, client, app):
    tenant, _admin, (colin, alex) = quilted
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    dealt = client.post(
        "/c/quilted/api/v1/rota",
        json={"participants": [colin.id, alex.id], "starts_at": starts.isoformat(), "days": 4, "shift_hours": 24},
    )
    assert dealt.status_code == 201, dealt.get_json()

    leaves(app, tenant, colin.id)

    shifts = client.get("/c/quilted/api/v1/rota").get_json()["shifts"]
    assert shifts and {shift["account_id"] for shift in shifts} == {alex.id}
    appointed = client.post(
        "/c/quilted/api/v1/officers",
        json={"role": "bookkeeper", "account_id": colin.id, "starts_on": date.today().isoformat()},
    )
    assert appointed.status_code == 409 and appointed.get_json()["error"]["code"] == "not_active"
    again = client.post(
        "/c/quilted/api/v1/rota",
        json={
            "participants": [colin.id],
            "starts_at": (starts + timedelta(days=30)).isoformat(),
            "days": 1,
            "shift_hours": 24,
        },
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_active"


def test_the_currency_stays_once_a_buy_in_is_paid_in_it(quilted, client):
    kyle = add_candidate(client)
    paid = client.post(
        f"/c/quilted/api/v1/members/{kyle}/payments", json={"amount": "500.00", "paid_on": months_ago(1).isoformat()}
    )
    assert paid.status_code == 201, paid.get_json()
    policy = client.get("/c/quilted/api/v1/membership-policy").get_json()

    changed = client.put("/c/quilted/api/v1/membership-policy", json={**policy_in(policy), "currency": "EUR"})

    assert changed.status_code == 409 and changed.get_json()["error"]["code"] == "currency_in_use"
    assert client.get("/c/quilted/api/v1/membership-policy").get_json()["currency"] == "USD"


def policy_in(policy):
    keys = ("probation_months", "probation_hours", "require", "buy_in", "buy_in_instalments", "entrance_fee")
    return {key: policy[key] for key in keys if key in policy}


def test_no_buy_in_is_taken_from_someone_who_left(quilted, client, app):
    tenant, _, _ = quilted
    kyle = add_candidate(client)
    leaves(app, tenant, kyle)

    refused = client.post(
        f"/c/quilted/api/v1/members/{kyle}/payments", json={"amount": "4000.00", "paid_on": date.today().isoformat()}
    )

    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_active"


def test_amounts_are_ascii_digits_and_hours_not_from_year_one(quilted, client):
    kyle = add_candidate(client)
    arabic = client.post(
        f"/c/quilted/api/v1/members/{kyle}/payments",
        json={"amount": "\u0661\u0660", "paid_on": date.today().isoformat()},
    )
    assert arabic.status_code == 422 and "amount" in arabic.get_json()["error"]["fields"]
    ancient = client.post(f"/c/quilted/api/v1/members/{kyle}/hours", json={"worked_on": "0001-01-01", "hours": "1"})
    assert ancient.status_code == 422 and "worked_on" in ancient.get_json()["error"]["fields"]


def test_an_entrance_fee_owed_can_be_deferred_by_an_officer(quilted, client, as_):
    _, _, (colin, _) = quilted
    policy = client.get("/c/quilted/api/v1/membership-policy").get_json()
    assert (
        client.put(
            "/c/quilted/api/v1/membership-policy", json={**policy_in(policy), "entrance_fee": "250.00"}
        ).status_code
        == 200
    )
    kyle = add_candidate(client)
    url = f"/c/quilted/api/v1/members/{kyle}/entrance-fee"
    assert client.get(f"/c/quilted/api/v1/members/{kyle}").get_json()["entrance_fee"] == {
        "owed": "250.00",
        "deferred": False,
    }

    assert as_(colin).put(url, json={"deferred": True}).status_code == 403  # a member, not an officer
    assert client.put(url, json={"deferred": "soon"}).status_code == 422
    deferred = client.put(url, json={"deferred": True})

    assert deferred.status_code == 200 and deferred.get_json()["entrance_fee"] == {"owed": "250.00", "deferred": True}
    page = client.get(f"/c/quilted/register/{kyle}").get_data(as_text=True)
    assert "Deferred: paid later." in page
    nothing = client.put(f"/c/quilted/api/v1/members/{colin.id}/entrance-fee", json={"deferred": True})
    assert nothing.status_code == 409 and nothing.get_json()["error"]["code"] == "no_entrance_fee"
