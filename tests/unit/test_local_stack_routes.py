"""The local front picks the route API Gateway (HTTP API) would pick."""

import pytest

from local_stack.routes import RouteTable
from local_stack.template import HttpRoute, load_template, read_functions


def route(event: str, method: str, path: str) -> HttpRoute:
    return HttpRoute(function="Fn", event=event, method=method, path=path)


PETS = RouteTable(
    [
        route("default", "ANY", "$default"),
        route("greedy", "ANY", "/pets/{proxy+}"),
        route("typed", "GET", "/pets/{type}/{id}"),
        route("dog", "GET", "/pets/dog/{id}"),
        route("dog1", "GET", "/pets/dog/1"),
        route("anyDog1", "ANY", "/pets/dog/1"),
        route("root", "GET", "/"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "event", "parameters"),
    [
        ("GET", "/pets/dog/1", "dog1", {}),
        ("POST", "/pets/dog/1", "anyDog1", {}),
        ("GET", "/pets/dog/2", "dog", {"id": "2"}),
        ("GET", "/pets/cat/7", "typed", {"type": "cat", "id": "7"}),
        ("DELETE", "/pets/cat/7", "greedy", {"proxy": "cat/7"}),
        ("GET", "/pets/cat/7/toys", "greedy", {"proxy": "cat/7/toys"}),
        ("GET", "/pets", "default", {}),
        ("GET", "/", "root", {}),
        ("POST", "/", "default", {}),
        ("GET", "/pets/a%20b/c", "typed", {"type": "a b", "id": "c"}),
    ],
)
def test_the_most_specific_route_wins(method, path, event, parameters):
    match = PETS.match(method, path)
    assert match is not None
    assert (match.route.event, match.path_parameters) == (event, parameters)


def test_a_trailing_slash_is_a_different_path():
    table = RouteTable([route("health", "GET", "/health")])
    assert table.match("GET", "/health") is not None
    assert table.match("GET", "/health/") is None


def test_without_a_default_route_an_unknown_path_or_method_matches_nothing():
    table = RouteTable([route("health", "GET", "/health"), route("item", "GET", "/items/{id}")])
    assert table.match("POST", "/health") is None
    assert table.match("GET", "/items") is None
    assert table.match("GET", "/items/") is None
    assert table.match("GET", "/items/1/more") is None


def test_a_greedy_variable_needs_at_least_one_segment():
    table = RouteTable([route("greedy", "ANY", "/files/{proxy+}")])
    assert table.match("GET", "/files") is None
    assert table.match("GET", "/files/") is None
    assert table.match("GET", "/files/a").path_parameters == {"proxy": "a"}


def test_the_same_route_declared_twice_is_refused():
    with pytest.raises(ValueError, match="GET /health"):
        RouteTable([route("a", "GET", "/health"), route("b", "GET", "/health")])


def test_the_templates_routes_resolve_to_their_functions():
    functions = read_functions(load_template())
    table = RouteTable(r for f in functions.values() for r in f.routes)
    products = table.match("GET", "/api/catalogs/demo/products")
    assert products.route.route_key == "GET /api/catalogs/{slug}/products"
    assert products.path_parameters == {"slug": "demo"}
    assert table.match("GET", "/api/catalogs/demo").route.route_key == "GET /api/catalogs/{slug}"
    assert table.match("POST", "/webhooks/gateway").route.function == "OrderWebhookFunction"
    assert table.match("GET", "/webhooks/gateway") is None
