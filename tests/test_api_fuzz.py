"""Schemathesis drives every documented operation with generated input:
no answer is a 500, and every error has the one error shape."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from coopnet.extensions import db as _db


@pytest.fixture
def api_schema(app, db, make_tenant, monkeypatch):
    for limit in ("LOGIN_ACCOUNT_LIMIT", "LOGIN_ADDRESS_LIMIT", "SIGNUP_ADDRESS_LIMIT"):
        monkeypatch.setitem(app.config, limit, "100000 per minute")
    make_tenant("quilted")
    from coopnet.platform.accounts import find_account, issue_token

    with app.app_context():
        _, secret = issue_token(_db.session, find_account(_db.session, "admin@quilted.example"), "fuzz")
        _db.session.commit()
    app.config["FUZZ_TOKEN"] = secret
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


# The operations are fuzzed in shards, so that parallel test workers share the work.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_input_makes_a_server_error(app, api_schema, shard):
    token = app.config["FUZZ_TOKEN"]
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations[shard::SHARDS]:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None, database=None)
        def check(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
            if "slug" in (case.path_parameters or {}):
                case.path_parameters["slug"] = "quilted"
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
            if response.status_code >= 400:
                error = response.json()["error"]
                assert {"code", "message", "fields"} <= set(error), error

        check()
