"""Which language a page speaks: the person's choice, then the co-op's default, then the
browser's Accept-Language, then English; the JSON error shape speaks it too."""

import pytest

from tests.conftest import csrf_token

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}


def test_accept_language_picks_spanish(client, db):
    page = client.get("/login", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page


def test_no_accept_language_is_english(client, db):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page


@pytest.mark.parametrize("header", ["de-DE,de;q=0.9", "xx", "*", "zz-ZZ;q=1.0, ;q=0.5"])
def test_a_language_we_do_not_ship_falls_back_to_english(client, db, header):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to content" in page


def test_russian_is_picked_by_quality(client, db):
    page = client.get("/login", headers={"Accept-Language": "de;q=1.0, ru;q=0.8, es;q=0.3"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Перейти к содержимому" in page


def test_the_coop_default_sits_between_the_person_and_the_browser(client, db, make_tenant, login, app):
    tenant, admin = make_tenant()
    login(admin.email)
    dashboard = f"/c/{tenant.slug}/"
    assert '<html lang="es">' in client.get(dashboard, headers=SPANISH).get_data(as_text=True)

    token = csrf_token(client, dashboard)
    saved = client.post(f"/c/{tenant.slug}/language", data={"csrf_token": token, "locale": "ru"}, headers=SPANISH)
    assert saved.status_code == 302
    # The co-op's default beats the browser ...
    assert '<html lang="ru">' in client.get(dashboard, headers=SPANISH).get_data(as_text=True)

    # ... and the person's own choice beats the co-op's.
    assert client.put("/api/v1/account/language", json={"locale": "es"}).get_json() == {"locale": "es"}
    assert '<html lang="es">' in client.get(dashboard, headers={"Accept-Language": "en"}).get_data(as_text=True)
    # Outside the co-op, the person's choice still holds.
    assert '<html lang="es">' in client.get("/account", headers={"Accept-Language": "ru"}).get_data(as_text=True)

    assert client.put("/api/v1/account/language", json={"locale": None}).get_json() == {"locale": None}
    assert '<html lang="ru">' in client.get(dashboard, headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_account_setting_overrides_the_browser(client, db, make_account, login):
    account = make_account()
    login(account.email)
    token = csrf_token(client, "/account")
    chosen = client.post(
        "/account/language", data={"csrf_token": token, "locale": "ru", "next": "/account"}, headers=SPANISH
    )
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/account"
    page = client.get("/account", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Язык сохранён." in page
    assert client.get("/api/v1/account/language").get_json() == {"locale": "ru"}


def test_the_picker_goes_back_to_this_site_only(client, db, make_account, login):
    login(make_account().email)
    token = csrf_token(client, "/account")
    chosen = client.post("/account/language", data={"csrf_token": token, "locale": "es", "next": "//evil.example/"})
    assert chosen.headers["Location"] == "/account"


def test_an_unknown_locale_is_refused_and_changes_nothing(client, db, make_account, login):
    login(make_account().email)
    refused = client.put("/api/v1/account/language", json={"locale": "xx"}, headers=SPANISH)
    assert refused.status_code == 422
    body = refused.get_json()["error"]
    assert body["code"] == "validation_failed"
    assert body["message"] == "Ese idioma no está disponible."
    assert body["fields"] == {"locale": "Elige uno de: en, es, ru."}
    assert client.get("/api/v1/account/language").get_json() == {"locale": None}


def test_only_admins_set_the_coop_default(client, db, make_tenant, make_account, add_member, login):
    tenant, _admin = make_tenant()
    member = make_account()
    add_member(tenant, member, "member")
    login(member.email)
    dashboard = f"/c/{tenant.slug}/"
    page = client.get(dashboard).get_data(as_text=True)
    assert "Default language" not in page
    token = csrf_token(client, dashboard)
    refused = client.post(f"/c/{tenant.slug}/language", data={"csrf_token": token, "locale": "ru"})
    assert refused.status_code == 403
    assert '<html lang="en">' in client.get(dashboard).get_data(as_text=True)


@pytest.mark.parametrize(("header", "lang"), [("es-MX", "es"), ("pt-BR,es;q=0.5", "es"), ("ru-RU,en;q=0.1", "ru")])
def test_a_regional_variant_picks_its_language(client, db, header, lang):
    page = client.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page


def test_the_coop_default_has_a_json_twin_for_admins_only(client, db, make_tenant, make_account, add_member, login):
    tenant, admin = make_tenant()
    member = make_account()
    add_member(tenant, member, "member")
    url = f"/c/{tenant.slug}/api/v1/language"
    login(member.email)
    assert client.get(url).get_json() == {"locale": None}
    refused = client.put(url, json={"locale": "ru"}, headers=SPANISH)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "Solo la administración de la cooperativa puede hacer esto."
    login(admin.email)
    assert client.put(url, json={"locale": "xx"}).status_code == 422
    assert client.put(url, json={"locale": "ru"}).get_json() == {"locale": "ru"}
    assert client.get(url).get_json() == {"locale": "ru"}
    login(member.email)
    assert '<html lang="ru">' in client.get(f"/c/{tenant.slug}/").get_data(as_text=True)
