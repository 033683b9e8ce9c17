"""The account and security pages, their JSON errors (429s included) and the mail about an
account speak the person's language: mail to an account in the language its owner chose,
else in the language of the request that caused it."""

from tests.conftest import PASSWORD, csrf_token, platform_mail

SPANISH = {"Accept-Language": "es"}


def test_a_throttled_log_in_answers_in_the_browsers_language(app, client, db, make_account, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_LIMIT", "2 per hour")
    account = make_account()
    wrong = {"email": account.email, "password": "not the password"}
    statuses = [client.post("/api/v1/session", json=wrong, headers=SPANISH).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    error = client.post("/api/v1/session", json=wrong, headers=SPANISH).get_json()["error"]
    assert error["code"] == "too_many_requests"
    assert error["message"] == (
        "Demasiados intentos fallidos de entrar desde tu dirección IP. Espera 15 minutos e inténtalo de nuevo."
    )
    english = client.post("/api/v1/session", json=wrong).get_json()["error"]["message"]
    assert english == "Too many failed log-ins from your address. Wait 15 minutes and try again."


def test_a_reset_link_is_mailed_in_the_owners_language_and_a_note_in_the_askers(
    app, client, db, engine, make_account, login
):
    owner = make_account()
    login(owner.email)
    assert client.put("/api/v1/account/language", json={"locale": "ru"}).status_code == 200

    asker = app.test_client()  # another browser, logged out, in Spanish
    answer = asker.post("/api/v1/password-reset", json={"email": owner.email}, headers=SPANISH)
    assert answer.status_code == 202
    assert answer.get_json()["message"] == (
        "Si hay una cuenta con esa dirección, le enviamos un enlace. Funciona una vez y caduca pronto."
    )
    reset = platform_mail(engine, owner.email)[-1]
    assert reset["subject"] == "Сбросьте пароль coopnet"
    assert "/password/reset/" in reset["body"] and "в течение часа" in reset["body"]

    nobody = "nobody@example.org"
    asker.post("/api/v1/password-reset", json={"email": nobody}, headers=SPANISH)
    note = platform_mail(engine, nobody)[-1]
    assert note["subject"] == "Restablecer la contraseña en coopnet"
    assert "ninguna cuenta la usa" in note["body"]


def test_a_security_notice_follows_the_owners_language(app, db, engine, make_account, client, login):
    owner = make_account()
    login(owner.email)
    assert client.put("/api/v1/account/language", json={"locale": "es"}).status_code == 200
    changed = client.post(
        "/api/v1/account/password",
        json={"current_password": PASSWORD, "new_password": "a much longer new password"},
        headers={"Accept-Language": "ru"},
    )
    assert changed.status_code == 204
    notice = platform_mail(engine, owner.email)[-1]
    assert notice["subject"] == "Un cambio en tu cuenta de coopnet"
    assert notice["body"].startswith("Se cambió la contraseña de tu cuenta de coopnet.")


def test_account_problems_are_whole_sentences_in_spanish(client, db, make_account, login):
    refused = client.post(
        "/api/v1/signup",
        json={"name": "", "slug": "quilted", "founder": {"name": "", "email": "no-at-sign", "password": "short"}},
        headers=SPANISH,
    )
    fields = refused.get_json()["error"]["fields"]
    assert fields["name"] == "Escribe el nombre de tu cooperativa."
    assert fields["founder.name"] == "Escribe tu nombre."
    assert fields["founder.email"] == "Escribe una dirección de correo válida, como nombre@example.org."
    assert fields["founder.password"] == "Una contraseña necesita al menos 10 caracteres."

    login(make_account().email)
    long_name = client.post("/api/v1/tokens", json={"name": "t" * 101}, headers=SPANISH).get_json()["error"]
    assert long_name["fields"]["name"] == "Un nombre para el token tiene como máximo 100 caracteres."


def test_the_account_page_in_spanish_has_its_tokens_in_spanish(client, db, make_account, login):
    login(make_account().email)
    token = csrf_token(client, "/account")
    made = client.post(
        "/account", data={"csrf_token": token, "name": "CI", "expires_in_days": "", "read_only": "y"}, headers=SPANISH
    )
    page = made.get_data(as_text=True)
    for spanish in ("Tokens de API", "Tu nuevo token.", "Empieza por", "solo lectura", "nunca", "Revocar"):
        assert spanish in page, spanish
    for english in ("API tokens", "Your co-ops", "Starts with", "read only", "never", "Create a token"):
        assert english not in page, english


def test_a_page_that_does_not_exist_speaks_the_persons_own_language(app, client, db, make_tenant, login):
    from coopnet.extensions import db as _db
    from coopnet.platform.accounts import find_account
    from coopnet.platform.language import set_account_locale

    tenant, admin = make_tenant()
    with app.app_context():
        set_account_locale(_db.session, find_account(_db.session, admin.email), "ru")
        _db.session.commit()
    login(admin.email)
    for path in (f"/c/{tenant.slug}/nowhere", "/nowhere"):
        page = client.get(path, headers={"Accept-Language": "en"})
        assert page.status_code == 404
        text = page.get_data(as_text=True)
        assert '<html lang="ru">' in text, path
    # A stranger gets the browser's language.
    client.delete("/api/v1/session")
    assert '<html lang="es">' in client.get("/nowhere", headers={"Accept-Language": "es"}).get_data(as_text=True)
