"""Money, numbers and dates as Babel writes them in each language, exactly from cents;
and the JSON API's errors, pages and mail in the language chosen."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from coopnet import i18n
from tests.conftest import run_jobs

NBSP = "\xa0"


@pytest.fixture
def speaking(app):
    def within(accept_language):
        return app.test_request_context("/", headers={"Accept-Language": accept_language})

    return within


@pytest.mark.parametrize(
    ("language", "usd", "eur", "plain"),
    [
        ("en", "$1,234.56", "€1,234.56", "1,234.56"),
        ("es", f"1.234,56{NBSP}US$", f"1.234,56{NBSP}€", "1.234,56"),
        ("ru", f"1{NBSP}234,56{NBSP}$", f"1{NBSP}234,56{NBSP}€", f"1{NBSP}234,56"),
    ],
)
def test_money_in_each_language(speaking, language, usd, eur, plain):
    with speaking(language):
        assert i18n.money(123456, "usd") == usd
        assert i18n.money(123456, "EUR") == eur
        assert i18n.amount(123456) == plain
        assert i18n.decimal_money("1234.56", "usd") == usd


def test_money_is_exact_to_the_cent_at_the_largest_amounts(speaking):
    # 99,999,999,999,999 cents: a float would print ...999,999.99 as 1,000,000,000,000.00
    with speaking("es"):
        assert i18n.amount(10**14 - 1) == "999.999.999.999,99"
        assert i18n.money(-5, "usd") == f"-0,05{NBSP}US$"
    with speaking("en"):
        assert i18n.amount(10**14 - 1) == "999,999,999,999.99"
        assert i18n.amount(1) == "0.01"


@pytest.mark.parametrize(
    ("language", "day", "hours"),
    [("en", "Nov 25, 2026", "1.50"), ("es", "25 nov 2026", "1,50"), ("ru", "25 нояб. 2026\u202fг.", "1,50")],  # noqa: RUF001,
)
def test_dates_and_hours_in_each_language(speaking, language, day, hours):
    with speaking(language):
        assert i18n.day(date(2026, 11, 25)) == day
        assert i18n.day("2026-11-25") == day
        assert i18n.day(datetime(2026, 11, 25, 23, 30, tzinfo=timezone.utc)) == day
        assert i18n.hours(90) == hours


def test_times_are_shown_in_utc(speaking):
    with speaking("ru"):
        assert i18n.moment(datetime(2026, 11, 25, 14, 5, tzinfo=timezone.utc)) == "25.11.2026, 14:05 UTC"
    with speaking("es"):
        assert i18n.moment(datetime(2026, 11, 25, 14, 5, tzinfo=timezone.utc)) == "25/11/26, 14:05 UTC"


def test_an_unknown_language_formats_as_english(speaking):
    with speaking("tlh,xx;q=0.5"):
        assert i18n.money(123456, "usd") == "$1,234.56"
        assert i18n.day(date(2026, 11, 25)) == "Nov 25, 2026"


def test_outside_any_app_context_formatting_is_english():
    assert i18n.money(123456, "usd") == "$1,234.56"
    assert i18n.day(date(2026, 11, 25)) == "Nov 25, 2026"


def test_a_service_error_comes_back_in_spanish_and_russian(client, make_tenant, login):
    tenant, admin = make_tenant()
    login(admin.email)
    url = f"/c/{tenant.slug}/api/v1/clients"
    refused = client.post(url, json={"name": "Tenants Union", "hourly_rate": 95.5}, headers={"Accept-Language": "es"})
    assert refused.status_code == 422
    assert refused.get_json()["error"] == {
        "code": "validation_failed",
        "message": "Envía los importes como texto decimal.",
        "fields": {"hourly_rate": 'Envía el importe como texto, por ejemplo "1234.50".'},
    }
    refused = client.post(url, json={"name": "Tenants Union"}, headers={"Accept-Language": "ru"})
    assert refused.get_json()["error"] == {
        "code": "validation_failed",
        "message": "Некоторые поля не заполнены или заполнены неверно.",
        "fields": {"hourly_rate": "Не заполнено обязательное поле."},  # noqa: RUF001
    }
    unknown = client.get(f"/c/{tenant.slug}/api/v1/nowhere", headers={"Accept-Language": "es"})
    assert unknown.status_code == 404
    assert unknown.get_json()["error"]["message"] == "No hay nada en esta dirección."


def test_a_page_shows_money_and_dates_in_the_coop_language(app, client, make_tenant, login):
    tenant, admin = make_tenant()
    login(admin.email)
    with app.app_context():
        from coopnet.extensions import db
        from coopnet.platform.language import set_tenant_locale

        set_tenant_locale(db.session, tenant.id, "es")
        db.session.commit()
    page = client.get(f"/c/{tenant.slug}/time").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Registrar tiempo" in page
    assert "La semana del " in page


def test_proposal_mail_is_written_in_each_readers_language(app, client, make_tenant, make_account, add_member, login):
    tenant, admin = make_tenant()
    ana, boris = make_account(name="Ana"), make_account(name="Boris")
    add_member(tenant, ana, "member")
    add_member(tenant, boris, "member")
    with app.app_context():
        from coopnet.extensions import db
        from coopnet.platform.language import set_account_locale
        from coopnet.platform.models import Account

        set_account_locale(db.session, db.session.get(Account, ana.id), "es")
        set_account_locale(db.session, db.session.get(Account, boris.id), "ru")
        db.session.commit()
    login(admin.email)
    base = f"/c/{tenant.slug}/api/v1"
    assert client.post(f"{base}/rulebook/adopt", json={"preset": "majority"}).status_code == 201
    closes = (datetime.now(timezone.utc) + timedelta(days=3)).isoformat()
    opened = client.post(
        f"{base}/proposals",
        json={"category": "spending", "title": "Un servidor", "body": "Para el rack.", "closes_at": closes},
    )
    assert opened.status_code == 201, opened.get_json()
    run_jobs(app)
    with app.app_context():
        from coopnet.extensions import db

        rows = db.session.execute(
            text(f'SELECT to_address, subject, body FROM "{tenant.schema}".outbox_messages ORDER BY id')
        ).all()
    mail = {to: (subject, body) for to, subject, body in rows}
    assert mail[ana.email][0] == f"[{tenant.name}] Nueva propuesta: Un servidor"
    assert mail[ana.email][1].startswith("Hola, Ana:")
    assert mail[boris.email][0] == f"[{tenant.name}] Новое предложение: Un servidor"
    assert mail[boris.email][1].startswith("Здравствуйте, Boris!")
    assert mail[admin.email][0] == f"[{tenant.name}] New proposal: Un servidor"
