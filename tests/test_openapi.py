"""The OpenAPI document covers every JSON endpoint and every method on it."""

import re


def openapi_path(rule):
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_json_endpoint_is_documented(app, client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    document = spec.get_json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    json_rules = [r for r in app.url_map.iter_rules() if "/api/v1" in r.rule and not r.rule.endswith("openapi.json")]
    assert len(json_rules) >= 10
    for rule in json_rules:
        path = openapi_path(rule.rule)
        assert path in paths, f"{path} is not in the OpenAPI document"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in paths[path], f"{method} {path} is not documented"
    # And nothing is documented that does not exist.
    documented = {(p, m) for p, ops in paths.items() for m in ops if m != "parameters"}
    served = {(openapi_path(r.rule), m.lower()) for r in json_rules for m in r.methods - {"HEAD", "OPTIONS"}}
    assert documented == served


def test_errors_are_documented_in_the_one_shape(client):
    document = client.get("/api/v1/openapi.json").get_json()
    signup = document["paths"]["/api/v1/signup"]["post"]
    assert {"201", "409", "422"} <= set(signup["responses"])
    error = document["components"]["schemas"]["Error"]
    assert "error" in error["properties"]
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_answers_json_405(client):
    response = client.put("/api/v1/signup", json={})
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
