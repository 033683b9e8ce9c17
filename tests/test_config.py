"""Settings: production refuses to start without a real SECRET_KEY; subdomains route to tenants."""

import secrets

import pytest

from coopnet.config import ConfigError, load_config


@pytest.mark.parametrize(
    "env",
    [
        {"COOPNET_ENV": "production"},
        {"COOPNET_ENV": "production", "SECRET_KEY": "dev-only-not-secret"},
        {"COOPNET_ENV": "production", "SECRET_KEY": "short"},
    ],
)
def test_production_without_a_secret_key_stops_with_a_clear_message(env):
    with pytest.raises(ConfigError) as raised:
        load_config(env)
    assert "SECRET_KEY" in str(raised.value)


def test_production_settings_are_strict():
    config = load_config(
        {
            "COOPNET_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": "postgresql://db/coopnet",
        }
    )
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_development_has_embedded_defaults():
    config = load_config({})
    assert config["DATABASE_URL"] is None and config["REDIS_URL"] is None
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["BASE_URL"] == "http://127.0.0.1:5000"


def test_base_url_follows_the_platform_domain():
    assert load_config({"PLATFORM_DOMAIN": "Coop.Example."})["BASE_URL"] == "https://coop.example"
    assert (
        load_config({"PLATFORM_DOMAIN": "coop.example", "BASE_URL": "https://app.example"})["BASE_URL"]
        == "https://app.example"
    )


def test_subdomain_serves_the_tenant(app, db, make_tenant, login):
    from coopnet.platform.subdomains import SubdomainToPath

    _, admin = make_tenant("quilted", name="Quilted")
    wrapped = SubdomainToPath(app.wsgi_app, "coop.example", "http://localhost")  # the test client's host
    original = app.wsgi_app
    app.wsgi_app = wrapped
    try:
        client = app.test_client()
        login(admin.email, who=client)
        secret = client.post("/api/v1/tokens", json={"name": "subdomain"}).get_json()["secret"]
        auth = {"Authorization": f"Bearer {secret}"}
        on_subdomain = client.get("/api/v1/", headers={"Host": "quilted.coop.example", **auth})
        assert on_subdomain.status_code == 200
        assert on_subdomain.get_json()["slug"] == "quilted"
        assert client.get("/api/v1/", headers={"Host": "nobody.coop.example", **auth}).status_code == 404
        # The apex and www keep the platform's own pages.
        assert client.get("/api/v1/account", headers={"Host": "coop.example", **auth}).status_code == 200
        assert client.get("/api/v1/account", headers={"Host": "www.coop.example", **auth}).status_code == 200
    finally:
        app.wsgi_app = original


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_POOL_SIZE", "0"),
        ("DB_TENANTS_PER_CONNECTION", "-1"),
        ("TENANT_SPARE_SCHEMAS", "-3"),
        ("DB_POOL_SIZE", "ten"),
    ],
)
def test_a_count_that_cannot_be_stops_with_its_name(name, value):
    with pytest.raises(ConfigError, match=f"{name} must be a whole number"):
        load_config({name: value})


def test_the_least_of_each_count_is_a_setting():
    config = load_config({"TENANT_SPARE_SCHEMAS": "0", "DB_POOL_RECYCLE": "-1", "DB_POOL_SIZE": "1"})
    assert (config["TENANT_SPARE_SCHEMAS"], config["DB_POOL_RECYCLE"], config["DB_POOL_SIZE"]) == (0, -1, 1)
    with pytest.raises(ConfigError, match="DB_POOL_RECYCLE must be a whole number, -1 or more"):
        load_config({"DB_POOL_RECYCLE": "-2"})
