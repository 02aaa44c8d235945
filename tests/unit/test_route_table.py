"""The route table: a request imports only the module serving its routeKey; an unknown routeKey is the JSON 404."""

import json
import sys
import textwrap

import pytest
from aws_lambda_powertools import Logger

from vitrine.http.route_table import RouteTable

# Two route modules written for the test, each declaring one route with the shared route machinery.
MODULE = """
from vitrine.http.resolver import Router
from vitrine.errors import NotFound
from vitrine.http.routing import route

router = Router()
declared = []


@route(router, "GET", "{path}", summary="t", function="T", registry=declared)
def answer(**params):
    if params.get("name") == "missing":
        raise NotFound("no such thing")
    return {{"module": __name__, **params}}
"""


@pytest.fixture
def route_modules(tmp_path, monkeypatch):
    # Given two route modules nobody has imported yet
    names = {"route_table_things": "/things/{name}", "route_table_health": "/health"}
    for name, path in names.items():
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(MODULE.format(path=path)))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield names
    for name in names:
        sys.modules.pop(name, None)


def event(route_key: str, path: str) -> dict:
    method = route_key.split(" ")[0] if " " in route_key else "GET"
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "127.0.0.1"},
            "stage": "$default",
            "requestId": "r",
            "routeKey": route_key,
        },
        "isBase64Encoded": False,
    }


def table() -> RouteTable:
    return RouteTable(
        {"GET /things/{name}": "route_table_things", "GET /health": "route_table_health"}, Logger(service="test")
    )


def test_a_request_imports_only_the_module_serving_its_route(route_modules):
    routes = table()

    # When a request for one route arrives
    response = routes.resolve(event("GET /things/{name}", "/things/lamp"), None)

    # Then that module served it and the other was never imported
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"module": "route_table_things", "name": "lamp"}
    assert "route_table_things" in sys.modules
    assert "route_table_health" not in sys.modules


def test_each_module_keeps_its_resolver_for_the_next_requests(route_modules):
    routes = table()
    first = routes.resolver_for("GET /things/{name}")

    routes.resolve(event("GET /health", "/health"), None)

    assert routes.resolver_for("GET /things/{name}") is first
    assert routes.resolver_for("GET /health") is not first


def test_errors_of_a_route_module_are_the_shared_json_errors(route_modules):
    response = table().resolve(event("GET /things/{name}", "/things/missing"), None)

    assert response["statusCode"] == 404
    assert json.loads(response["body"]) == {"error": {"code": "not_found", "message": "no such thing"}}


@pytest.mark.parametrize("route_key", ["$default", "GET /nowhere", ""])
def test_a_route_key_not_in_the_table_is_the_json_404_and_imports_nothing(route_modules, route_key):
    response = table().resolve(event(route_key, "/nowhere"), None)

    assert response["statusCode"] == 404
    assert json.loads(response["body"]) == {"error": {"code": "not_found", "message": "no such route"}}
    assert response["headers"]["Cache-Control"] == "no-store"
    assert not set(route_modules) & set(sys.modules)
