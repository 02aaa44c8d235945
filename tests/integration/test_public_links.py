"""Links and pages a stranger can reach (issue 13 item 5): no link is built from request headers, every HTML
answer carries the storefront's security headers, and session cookies are Secure outside the local stack.

Every request here comes in with a hostile ``Host`` and ``X-Forwarded-*``: API Gateway passes the client's
headers through, while it sets ``requestContext.domainName`` (``API_DOMAIN`` in the harness) to its own domain.
"""

import html
import itertools
import json
import re

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import API_DOMAIN, FUNCTIONS, http, json_body

from local_stack.function_code import import_handler_module
from vitrine.auth.api_keys import issue_api_key
from vitrine.http.routing import REGISTERED
from vitrine.settings import get_settings

HOSTILE_HEADERS = {
    "host": "evil.example",
    "x-forwarded-proto": "javascript",
    "x-forwarded-host": "evil.example",
    "forwarded": "proto=javascript;host=evil.example",
}
ORDER_ID = "0123456789abcdef0123456789abcdef"
PASSWORD = "segredo-forte-123"


@pytest.fixture
def configure(monkeypatch):
    """Set settings variables for one test (the settings are read once per process, so the cache is cleared)."""
    for name in ("PUBLIC_BASE_URL", "LOCAL_PLAIN_HTTP"):
        monkeypatch.delenv(name, raising=False)

    def configure(**variables: str) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    get_settings.cache_clear()
    yield configure
    get_settings.cache_clear()


def hostile_get(path: str, headers: dict[str, str] | None = None) -> dict:
    return http("GET", path, headers={**HOSTILE_HEADERS, **(headers or {})})


def page_links(path: str) -> list[str]:
    """Where a page points: its og:url, its links' hrefs, the share link its script is given."""
    body = hostile_get(path)["body"]
    found = re.findall(r'<meta property="og:url" content="([^"]*)">', body) + re.findall(
        r'<a [^>]*href="([^"]*)"', body
    )
    data = re.search(r'<script type="application/json" id="sf-data">(.*?)</script>', body)
    if data and "url" in json.loads(data[1]):
        found.append(json.loads(data[1])["url"])
    return [html.unescape(link) for link in found]


def links_to_loja() -> dict[str, list[str]]:
    """Every link a shopper or a merchant is given for catalog ``loja``, by where it is given."""
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    catalogs = json_body(hostile_get("/merchant/v1/catalogs", {"authorization": f"Bearer {key}"}))["catalogs"]
    return {
        "GET /api/catalogs/loja": [json_body(hostile_get("/api/catalogs/loja"))["share_url"]],
        "GET /merchant/v1/catalogs": [catalog["share_url"] for catalog in catalogs],
        "catalog page": page_links("/c/loja"),
        "product page": page_links("/c/loja/p/CAM"),
        "product 404 page": page_links("/c/loja/p/NOPE"),
        "sign-in page": page_links("/c/loja/entrar"),
        "order page": page_links(f"/c/loja/pedido/{ORDER_ID}"),
    }


def expected_links(origin: str) -> dict[str, list[str]]:
    catalog = f"{origin}/c/loja"
    return {
        "GET /api/catalogs/loja": [catalog],
        "GET /merchant/v1/catalogs": [catalog],
        "catalog page": [catalog, catalog],
        "product page": [f"{catalog}/p/CAM", catalog],
        "product 404 page": [catalog],
        "sign-in page": [catalog],
        "order page": [catalog, catalog],
    }


def test_no_link_is_built_from_the_requests_host_or_forwarded_headers(stack, configure):
    # Given a published catalog and no configured public origin
    configure()
    publish_small_catalog()
    # When every answer and page holding a link is asked for with a hostile Host and X-Forwarded-Proto
    # Then each link starts with the domain API Gateway served the request on, over https
    assert links_to_loja() == expected_links(f"https://{API_DOMAIN}")


def test_links_start_with_the_configured_public_origin(stack, configure):
    configure(PUBLIC_BASE_URL="https://loja.example.com/")
    publish_small_catalog()
    assert links_to_loja() == expected_links("https://loja.example.com")


# --- every HTML answer carries the storefront's security headers ---------------------------------------------

for _function in FUNCTIONS.values():
    import_handler_module(_function)
# The storefront's pages (the console's are a signed-in member's, each behind a redirect to its sign-in page:
# tests/integration/test_console_pages.py walks them with their own policy).
HTML_ROUTES = sorted(
    {
        (r.method.upper(), r.path)
        for r in REGISTERED
        if r.content_type.startswith("text/html") and r.function != "ConsoleFunction"
    }
)
# Each path parameter of an HTML route: a value that finds something, and one that finds nothing (a 404 page).
SAMPLES = {
    "slug": ("loja", "nao-existe"),
    "product_sku": ("CAM", "NOPE"),
    "order_id": (ORDER_ID, "nao-e-um-pedido"),
    # A preview token of the right shape but no signature, and no token at all (a good one: test_share_previews)
    "token": ("4102444800." + "A" * 43, "nao-e-um-token"),
}


def requests_of(path: str) -> list[str]:
    names = re.findall(r"{(\w+)}", path)
    unknown = set(names) - set(SAMPLES)
    assert not unknown, f"{path}: add sample values of {unknown} to SAMPLES"
    paths = []
    for values in itertools.product(*(SAMPLES[name] for name in names)):
        filled = path
        for name, value in zip(names, values, strict=True):
            filled = filled.replace(f"{{{name}}}", value)
        paths.append(filled)
    return paths


def test_the_walk_covers_every_page_the_api_declares():
    assert {path for _, path in HTML_ROUTES} >= {
        "/c/{slug}",
        "/c/{slug}/p/{product_sku}",
        "/c/{slug}/entrar",
        "/c/{slug}/pedido/{order_id}",
    }


@pytest.mark.parametrize(("method", "path"), HTML_ROUTES, ids=[f"{m} {p}" for m, p in HTML_ROUTES])
def test_every_html_answer_of_every_page_carries_the_storefronts_security_headers(stack, method, path):
    # Given a published catalog, When each page is asked for with values that find something and that do not
    publish_small_catalog()
    statuses = set()
    for request_path in requests_of(path):
        response = http(method, request_path, headers=HOSTILE_HEADERS)
        headers = {name.lower(): value for name, value in response["headers"].items()}
        statuses.add(response["statusCode"])
        # Then each answer, a 404 page too, is HTML under the policy that runs no script it does not name
        assert headers["content-type"].startswith("text/html"), request_path
        policy = headers.get("content-security-policy", "")
        for directive in ("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"):
            assert directive in policy, f"{request_path} ({response['statusCode']}): {policy!r}"
        assert "unsafe-inline" not in policy and "javascript:" not in policy
        assert headers.get("x-content-type-options") == "nosniff", request_path
        assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", request_path
    assert 404 in statuses, f"{path}: no value of the walk found nothing"


def test_the_product_404_page_runs_no_script_at_all(stack):
    publish_small_catalog()
    response = hostile_get("/c/loja/p/NOPE")
    policy = response["headers"]["Content-Security-Policy"]
    assert response["statusCode"] == 404 and "Produto indisponível" in response["body"]
    assert "script-src" not in policy and "default-src 'none'" in policy


# --- session cookies -----------------------------------------------------------------------------------------


def signed_in_cookie() -> str:
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    seller = {"name": "Ana", "email": "ana@loja.com.br", "password": PASSWORD}
    created = http(
        "PUT", "/merchant/v1/sellers/ana", headers={"authorization": f"Bearer {key}"}, body=json.dumps(seller)
    )
    assert created["statusCode"] == 201
    body = {"catalog": "loja", "role": "seller", "email": "ana@loja.com.br", "password": PASSWORD}
    response = http("POST", "/api/sessions", body=json.dumps(body))
    assert response["statusCode"] == 201
    (cookie,) = response["cookies"]
    return cookie


def attributes(cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}


@pytest.mark.parametrize("public_base_url", ["", "https://loja.example.com"])
def test_a_deployed_session_cookie_is_secure_whatever_public_base_url_says(stack, configure, public_base_url):
    # Given a deployment, with or without a public origin of its own (empty links to the API's domain)
    configure(PUBLIC_BASE_URL=public_base_url)
    publish_small_catalog()
    # When a seller signs in, and signs out
    cookie = signed_in_cookie()
    (cleared,) = http("DELETE", "/api/sessions")["cookies"]
    # Then the browser sends the session back over https only
    assert {"secure", "httponly", "samesite"} <= attributes(cookie)
    assert "secure" in attributes(cleared)


def test_the_local_stacks_session_cookie_is_not_secure_as_it_serves_plain_http(stack, configure):
    # Given the local stack's own setting (not its stage, not an http PUBLIC_BASE_URL)
    configure(LOCAL_PLAIN_HTTP="true")
    publish_small_catalog()
    # Then the cookie comes back over http://127.0.0.1, where a Secure one would be dropped
    cookie = signed_in_cookie()
    assert "secure" not in attributes(cookie) and "httponly" in attributes(cookie)
