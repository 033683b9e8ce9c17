"""Attacks from issue 6 that must fail: guessable SECRET_KEYs, tokens minting tokens,
secrets left in caches, NUL in the path, deeply nested and oversized bodies."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from coopnet.config import DEV_SECRET_KEY, ConfigError, load_config
from tests.conftest import counts, csrf_token

REPOSITORY = Path(__file__).resolve().parents[2]
SHIPPED_EXAMPLE_KEY = "change-me-to-48-random-characters"


def error_of(response):
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


@pytest.mark.parametrize(
    "key",
    [
        SHIPPED_EXAMPLE_KEY,
        DEV_SECRET_KEY,
        "x" * 48,
        "ab" * 40,
        "please-change-me-" + secrets.token_urlsafe(48),
        "example" + secrets.token_hex(40),
        "placeholder-" + secrets.token_urlsafe(48),
        secrets.token_hex(16),  # 32 characters, 16 bytes
        secrets.token_urlsafe(24),
        "correct horse battery staple",
    ],
    # Stable ids: the random keys differ between processes (pytest-xdist compares collections).
    ids=[
        "shipped-example",
        "development",
        "one-letter",
        "two-letters",
        "please-change-me",
        "example",
        "placeholder",
        "16-bytes-hex",
        "24-bytes",
        "a-passphrase",
    ],
)
def test_production_refuses_a_secret_key_anyone_could_guess(key):
    with pytest.raises(ConfigError) as raised:
        load_config({"COOPNET_ENV": "production", "SECRET_KEY": key})
    message = str(raised.value)
    assert message.startswith("SECRET_KEY ") and "\n" not in message
    assert "secrets.token_urlsafe(48)" in message


@pytest.mark.parametrize(
    "key",
    [secrets.token_urlsafe(48), secrets.token_urlsafe(32), secrets.token_hex(32)],
    ids=["48-bytes", "32-bytes", "32-bytes-hex"],
)
def test_production_takes_32_random_bytes(key):
    assert load_config({"COOPNET_ENV": "production", "SECRET_KEY": key})["SECRET_KEY"] == key


def test_the_example_environment_file_does_not_start():
    lines = (REPOSITORY / "deploy" / "env.example").read_text().splitlines()
    env = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert env["COOPNET_ENV"] == "production" and env["SECRET_KEY"] == ""
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        load_config(env)


def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COOPNET_", "FLASK_"))}
    return env | {
        "COOPNET_ENV": "production",
        "SECRET_KEY": SHIPPED_EXAMPLE_KEY,
        "COOPNET_INSTANCE": str(tmp_path),
        "COOPNET_BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "2",
    }


@pytest.mark.parametrize(
    "command",
    [["coopnet", "routes"], ["gunicorn", "-c", str(REPOSITORY / "deploy" / "gunicorn.conf.py")]],
    ids=["cli", "gunicorn"],
)
def test_a_bad_secret_key_is_one_line_on_stderr_not_a_traceback(tmp_path, command):
    executable = str(Path(sys.executable).parent / command[0])
    finished = subprocess.run(
        [executable, *command[1:]],
        env=production_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    assert "Traceback" not in finished.stderr
    lines = [line for line in finished.stderr.splitlines() if "SECRET_KEY" in line]
    assert len(lines) == 1 and "published in the coopnet repository" in lines[0], finished.stderr


# --- tokens ------------------------------------------------------------------


@pytest.fixture
def bearer(app, client, login, make_account):
    """Headers carrying a live personal API token, with no cookie behind them."""
    account = make_account()
    login(account.email)
    secret = client.post("/api/v1/tokens", json={"name": "script"}).get_json()["secret"]
    client.delete("/api/v1/session")
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_cannot_mint_tokens(app, bearer):
    thief = app.test_client()
    response = thief.post("/api/v1/tokens", json={"name": "mine now"}, headers=bearer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "token_not_allowed"
    listed = thief.get("/api/v1/tokens", headers=bearer).get_json()["tokens"]
    assert [token["name"] for token in listed] == ["script"]


def test_a_token_cannot_sign_up_coops(app, engine, bearer):
    before = counts(engine)
    response = app.test_client().post("/api/v1/signup", json={"name": "Shell Co", "slug": "shellco"}, headers=bearer)
    assert response.status_code == 403
    assert error_of(response)["code"] == "token_not_allowed"
    assert counts(engine) == before


# --- caches ------------------------------------------------------------------


def test_responses_that_show_a_secret_are_not_stored(client, login, make_account):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    login(make_account().email)
    created = client.post("/api/v1/tokens", json={"name": "ci"})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    page = client.post("/account", data={"csrf_token": csrf_token(client, "/account"), "name": "laptop"})
    assert "cn_" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/account").headers["Cache-Control"] == "no-store"


# --- malformed input ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/c/quil%00ted/api/v1/", "/c/quilted%00/api/v1/", "/api/v1/tokens/%00"])
def test_a_nul_in_the_path_is_not_found(client, login, make_tenant, path):
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.get(path)
    assert response.status_code in (400, 404)
    error_of(response)


@pytest.mark.parametrize("path", ["/c/%00/", "/c/quilted%00/members", "/c/Quilted/", "/c/" + "q" * 300 + "/"])
def test_a_page_at_an_impossible_address_is_not_found_for_a_logged_in_person(client, login, make_tenant, path):
    """The login query used to bind whatever stood in the address as the slug: a NUL made
    PostgreSQL refuse it while the 404 page was rendered, a 500."""
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.get(path)
    assert response.status_code == 404
    assert client.get("/c/quilted/").status_code == 200  # the session still works


@pytest.mark.parametrize("depth", [100_000, 900])
@pytest.mark.parametrize("path", ["/api/v1/signup", "/api/v1/session"])
def test_deeply_nested_json_is_a_bad_request(client, db, path, depth):
    response = client.post(path, data="[" * depth + "]" * depth, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in error_of(response)["message"]


def test_deeply_nested_json_in_a_tenant_api_is_a_bad_request(client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    response = client.post("/c/quilted/api/v1/invitations", data="[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    error_of(response)


def test_a_60_mb_body_is_refused_before_it_is_read(client, db):
    body = b'{"name": "' + b"a" * (60 * 1024 * 1024) + b'"}'
    response = client.post("/api/v1/signup", data=body, content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_a_json_body_over_1_mb_is_refused(client, db):
    response = client.post(
        "/api/v1/session", data=b'"' + b"a" * (1024 * 1024 + 1) + b'"', content_type="application/json"
    )
    assert response.status_code == 413
    assert re.search(r"at most 1024 KB", error_of(response)["message"])


def test_a_60_mb_form_is_refused(client, db):
    response = client.post("/login", data={"email": "a" * (60 * 1024 * 1024), "password": "x"})
    assert response.status_code == 413


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30])
def test_a_whole_number_beyond_bigint_is_refused_at_the_door(client, login, make_tenant, engine, number):
    """Any id or count: the governance minutes' assignee, a meeting's agenda item's proposal."""
    tenant, admin = make_tenant()
    login(admin.email)
    base = f"/c/{tenant.slug}/api/v1"
    body = {"held_on": "2026-03-01", "actions": [{"assignee_id": number, "what": "Call the bank"}]}
    refused = client.post(f"{base}/minutes", json=body)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"]["fields"] == {"actions.0.assignee_id": "At most 9,223,372,036,854,775,807."}
    meeting = {
        "title": "Members",
        "starts_at": "2026-12-01T18:00:00+00:00",
        "agenda": [{"title": "Pay", "proposal_id": number}],
    }
    assert client.post(f"{base}/meetings", json=meeting).status_code == 422
    with engine.connect() as conn:
        schema = tenant.schema
        assert conn.exec_driver_sql(f'SELECT count(*) FROM "{schema}".action_items').scalar() == 0
        assert conn.exec_driver_sql(f'SELECT count(*) FROM "{schema}".meetings').scalar() == 0
    fine = client.post(f"{base}/minutes", json={**body, "actions": [{"assignee_id": admin.id, "what": "Call"}]})
    assert fine.status_code == 201, fine.get_json()
