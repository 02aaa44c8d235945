"""The HTTP API resolver: a payload 2.0 event is served by the route its routeKey names, and answered in payload 2.0.

What the routes relied on from Powertools' event_handler, which the functions no longer import (cold start:
``test_cold_imports``)."""

import base64
import json

import pytest

from local_stack.http_api_payload import HttpRequest, build_event
from vitrine.errors import Conflict, NotFound, VitrineError
from vitrine.http.resolver import HttpApiResolver, NotFoundError, Response, Router


def event(route_key: str, target: str, *, method: str | None = None, headers: tuple = ()) -> dict:
    """The event API Gateway sends for ``method target`` matched to ``route_key`` (the local stack's builder)."""
    method = method or (route_key.split(" ")[0] if " " in route_key else "GET")
    request = HttpRequest(method, target, list(headers), source_ip="203.0.113.9")
    return build_event(request, route_key, {}, "r", "123456789012", "api", domain_name="abc.execute-api.aws")


@pytest.fixture
def app() -> HttpApiResolver:
    router = Router()
    seen: list[dict] = []

    @router.route("/c/{slug}", "GET")
    def catalog(slug):
        request = router.current_event
        seen.append(dict(router.context))
        router.append_context(principal=slug)
        return {
            "slug": slug,
            "if_none_match": request.headers.get("If-None-Match"),
            "cookies": request.cookies,
            "query": request.query_string_parameters,
            "source_ip": request.request_context.http.source_ip,
            "domain": request.request_context.domain_name,
        }

    @router.route("/c/{slug}/p/{sku}", "GET")
    def product(slug, sku):
        return Response(200, "text/plain", f"{slug}:{sku}")

    @router.route("/img/{key+}", "GET")
    def image(key):
        return Response(302, headers={"Location": f"https://bucket/{key}"})

    @router.route("/c/{slug}", "POST")
    def conflict(slug):
        raise Conflict(f"{slug} is busy", details=[{"field": "slug", "reason": "busy"}])

    @router.route("/bytes", "GET")
    def raw_bytes():
        return Response(200, "image/png", b"\x89PNG", cookies=["a=1; Path=/", "b=2; Path=/"])

    @router.route("/boom", "GET")
    def boom():
        raise RuntimeError("a bug")

    resolver = HttpApiResolver()
    resolver.include_router(router)

    @resolver.exception_handler(VitrineError)
    def _domain(exc):
        return Response(exc.status, "application/json", {"code": exc.code}, headers={"X-Handler": "domain"})

    @resolver.exception_handler(NotFound)
    def _not_found_error(exc):
        return Response(404, "application/json", {"code": "own"})

    @resolver.not_found
    def _no_route(exc):
        return Response(404, "application/json", {"code": "no such route"})

    resolver.seen = seen
    return resolver


def test_the_route_key_picks_the_route_and_the_request_is_what_the_route_reads(app):
    request = event(
        "GET /c/{slug}",
        "/c/demo?q=t%C3%AAnis",
        headers=(("If-None-Match", '"abc"'), ("Cookie", "vitrine_session=t")),
    )

    response = app.resolve(request, None)

    assert response["statusCode"] == 200
    assert response["headers"] == {"Content-Type": "application/json"}
    assert json.loads(response["body"]) == {
        "slug": "demo",
        "if_none_match": '"abc"',
        "cookies": ["vitrine_session=t"],
        "query": {"q": "tênis"},
        "source_ip": "203.0.113.9",
        "domain": "abc.execute-api.aws",
    }


def test_path_parameters_are_one_segment_each_and_a_greedy_one_spans_slashes(app):
    assert app.resolve(event("GET /c/{slug}/p/{sku}", "/c/demo/p/CAM-01"), None)["body"] == "demo:CAM-01"
    image = app.resolve(event("GET /img/{key+}", "/img/merchants/m1/a b.jpg"), None)
    assert (image["statusCode"], image["headers"]["Location"]) == (302, "https://bucket/merchants/m1/a b.jpg")
    assert image["body"] is None
    # A path the routeKey's route does not match is no route's, whatever the key says.
    assert app.resolve(event("GET /c/{slug}", "/c/demo/extra"), None)["statusCode"] == 404


def test_an_event_whose_route_key_no_route_has_is_matched_by_method_and_path(app):
    assert app.resolve(event("$default", "/c/demo/p/X"), None)["body"] == "demo:X"
    assert app.resolve(event("$default", "/c/demo", method="DELETE"), None)["statusCode"] == 404


def test_no_route_is_the_not_found_handlers_answer(app):
    response = app.resolve(event("GET /nowhere", "/nowhere"), None)

    assert (response["statusCode"], json.loads(response["body"])) == (404, {"code": "no such route"})


def test_an_error_is_answered_by_the_handler_of_its_nearest_class(app):
    # Conflict has no handler of its own: VitrineError's answers. NotFound has one: it wins over VitrineError's.
    response = app.resolve(event("POST /c/{slug}", "/c/busy"), None)
    assert (response["statusCode"], response["headers"]["X-Handler"]) == (409, "domain")
    assert json.loads(response["body"]) == {"code": "conflict"}

    router = Router()

    @router.route("/missing", "GET")
    def missing():
        raise NotFound("gone")

    app.include_router(router)
    assert json.loads(app.resolve(event("GET /missing", "/missing"), None)["body"]) == {"code": "own"}


def test_an_error_no_handler_takes_is_raised_for_the_runtime_to_report(app):
    with pytest.raises(RuntimeError, match="a bug"):
        app.resolve(event("GET /boom", "/boom"), None)


def test_bytes_are_sent_base64_encoded_and_cookies_as_a_list(app):
    response = app.resolve(event("GET /bytes", "/bytes"), None)

    assert response["isBase64Encoded"] is True
    assert base64.b64decode(response["body"]) == b"\x89PNG"
    assert response["cookies"] == ["a=1; Path=/", "b=2; Path=/"]


def test_a_header_with_several_values_is_one_comma_joined_header():
    payload = Response(200, "text/plain", "ok", headers={"Vary": ["Accept", "Cookie"]}).to_payload()

    assert payload["headers"] == {"Vary": "Accept, Cookie", "Content-Type": "text/plain"}


def test_what_a_request_appended_to_the_context_is_gone_at_the_next(app):
    app.resolve(event("GET /c/{slug}", "/c/first"), None)
    app.resolve(event("GET /c/{slug}", "/c/second"), None)

    assert app.seen == [{}, {}]


def test_the_same_route_declared_twice_is_refused():
    router = Router()
    router.route("/x", "GET")(lambda: None)

    with pytest.raises(ValueError, match="GET /x is declared twice"):
        router.route("/x", "get")(lambda: None)


def test_not_found_error_is_what_the_not_found_handler_takes(app):
    router = Router()

    @router.route("/raise-404", "GET")
    def raising():
        raise NotFoundError("no")

    app.include_router(router)
    assert json.loads(app.resolve(event("GET /raise-404", "/raise-404"), None)["body"]) == {"code": "no such route"}
