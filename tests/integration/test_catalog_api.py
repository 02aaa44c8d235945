"""The storefront read path and the merchant API, through the catalog_api handler."""

import json

import pytest
from demo_snapshot import seeded_demo
from infra_fixtures import publish_small_catalog
from lambda_harness import ROUTES, http, json_body

from local_stack.seed import seed_demo
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import StockLevel
from vitrine.repository import stock


def test_health_answers_ok(stack):
    response = http("GET", "/health")
    assert response["statusCode"] == 200
    assert json_body(response) == {"status": "ok", "service": "catalog_api", "stage": "test"}


def test_openapi_document_is_served(stack):
    response = http("GET", "/openapi.json")
    assert response["statusCode"] == 200
    document = json_body(response)
    assert document["openapi"].startswith("3.1")
    assert "/api/catalogs/{slug}" in document["paths"]


def test_every_template_route_reaches_a_route_of_its_function(stack):
    for route in ROUTES.routes:
        path = route.path.replace("{slug}", "nope")
        response = http(route.method, path, body="{}" if route.method == "POST" else None)
        assert response["statusCode"] != 404 or "no such route" not in response["body"], route.route_key


def test_the_demo_seed_gives_a_catalog_a_shopper_can_browse(stack):
    seed = seed_demo({})
    response = http("GET", f"/api/catalogs/{seed.catalog_slug}")
    assert response["statusCode"] == 200
    catalog = json_body(response)
    assert catalog["title"] == "Loja Demo Vitrine — Coleção"
    assert catalog["share_url"] == "https://vitrine.example.com/c/demo"
    assert 10 <= catalog["product_count"] <= 20
    first = catalog["products"][0]
    assert first["sku"] == "TEN-COR"  # the merchant's display order comes first
    assert isinstance(first["price"], int) and first["price_display"] == "R$ 299,90"
    assert all(p["available"] >= 1 for p in catalog["products"])


def test_the_catalogs_json_answers_are_exactly_their_declared_models(stack):
    # Given the demo catalog, its products with galleries and pickup stores (the answers are built without the
    # models: what the models would dump, key for key and in their order, is what they must be)
    seeded_demo()
    answers = [
        ("CatalogView", http("GET", "/api/catalogs/demo")),
        ("ProductsPage", http("GET", "/api/catalogs/demo/products", query={"limit": "5"})),
        ("ProductsPage", http("GET", "/api/catalogs/demo/products", query={"q": "camiseta"})),
    ]
    import storefront_schemas  # on the path once the catalog API has served a request

    for model_name, response in answers:
        assert response["statusCode"] == 200
        body = json_body(response)
        assert body["products"] and any(p["images"] for p in body["products"])
        dumped = getattr(storefront_schemas, model_name).model_validate(body).model_dump(mode="json")
        assert response["body"] == json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))
    assert json_body(answers[0][1])["pickup_stores"]


def test_a_product_sold_out_everywhere_is_not_shown_and_returns_when_restocked(stack):
    publish_small_catalog()
    skus = [p["sku"] for p in json_body(http("GET", "/api/catalogs/loja"))["products"]]
    assert "SOLD" not in skus and "CAM" in skus
    stock.set_stock("m1", StockLevel(store_code="9900", sku="SOLD-U", on_hand=4, sequence=2))
    skus = [p["sku"] for p in json_body(http("GET", "/api/catalogs/loja"))["products"]]
    assert "SOLD" in skus


def test_a_stale_stock_update_is_ignored_and_reservations_survive_updates(stack):
    publish_small_catalog()
    assert stock.set_stock("m1", StockLevel(store_code="9900", sku="CAM-P", on_hand=9, sequence=5))
    assert not stock.set_stock("m1", StockLevel(store_code="9900", sku="CAM-P", on_hand=1, sequence=4))
    (level,) = [lv for lv in stock.stock_for_stores("m1", ["9900"]) if lv.sku == "CAM-P"]
    assert (level.on_hand, level.sequence) == (9, 5)


def test_products_page_by_cursor_without_gaps_or_repeats(stack):
    seeded_demo()
    total = json_body(http("GET", "/api/catalogs/demo"))["product_count"]
    seen, cursor = [], None
    while True:
        query = {"limit": "5", **({"cursor": cursor} if cursor else {})}
        page = json_body(http("GET", "/api/catalogs/demo/products", query=query))
        assert len(page["products"]) <= 5
        seen += [p["sku"] for p in page["products"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == total


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "abc"}, "query.limit"),
        ({"limit": "101"}, "query.limit"),
        ({"cursor": "!!!"}, "query.cursor"),
        ({"page": "2"}, "query.page"),
    ],
)
def test_bad_paging_input_is_a_422_naming_the_field(stack, query, field):
    publish_small_catalog()
    response = http("GET", "/api/catalogs/loja/products", query=query)
    assert response["statusCode"] == 422
    error = json_body(response)["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]


def test_unknown_and_unpublished_catalogs_are_404_json(stack):
    publish_small_catalog(published=False)
    for slug in ("loja", "does-not-exist"):
        response = http("GET", f"/api/catalogs/{slug}")
        assert response["statusCode"] == 404
        assert json_body(response)["error"]["code"] == "not_found"


def test_the_catalog_page_has_a_rich_preview_and_prices_in_reais(stack):
    publish_small_catalog()
    response = http("GET", "/c/loja")
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"].startswith("text/html")
    page = response["body"]
    assert '<html lang="pt-BR">' in page
    for tag in ("og:title", "og:description", "og:url", "og:image"):
        assert f'property="{tag}"' in page
    assert "R$ 49,90" in page and 'loading="lazy"' in page and 'width="600"' in page


def test_an_unknown_catalog_page_is_a_portuguese_404_page(stack):
    response = http("GET", "/c/sumiu")
    assert response["statusCode"] == 404
    assert "Catálogo não encontrado" in response["body"]


def test_merchant_events_need_a_valid_key_with_the_merchant_scope(stack):
    publish_small_catalog()
    assert http("GET", "/merchant/v1/events")["statusCode"] == 401
    bogus = {"authorization": "Bearer vtr_abc_notakey"}
    assert http("GET", "/merchant/v1/events", headers=bogus)["statusCode"] == 401
    erp_only = issue_api_key("m1", scopes=["erp"], name="erp")
    response = http("GET", "/merchant/v1/events", headers={"authorization": f"Bearer {erp_only}"})
    assert response["statusCode"] == 403
    assert json_body(response)["error"]["code"] == "forbidden"


def test_a_merchants_key_reads_only_its_own_journal(stack):
    from vitrine.events.envelope import CatalogPublished, new_event
    from vitrine.repository import journal

    journal.append_event(new_event("m1", CatalogPublished(catalog_id="c1", slug="a", title="A")))
    journal.append_event(new_event("m2", CatalogPublished(catalog_id="c2", slug="b", title="B")))
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    response = http("GET", "/merchant/v1/events", headers={"authorization": f"Bearer {key}"})
    assert response["statusCode"] == 200
    events = json_body(response)["events"]
    assert [e["merchant_id"] for e in events] == ["m1"]
    # A cursor minted for another merchant's partition is refused, not followed.
    other = journal.list_events("m2", limit=1)
    foreign_cursor = other.cursor or _cursor_for("m2")
    response = http(
        "GET", "/merchant/v1/events", headers={"authorization": f"Bearer {key}"}, query={"cursor": foreign_cursor}
    )
    assert response["statusCode"] == 422


def _cursor_for(merchant_id):
    from vitrine.repository import keys
    from vitrine.repository.table import encode_cursor

    return encode_cursor({"PK": {"S": keys.events_pk(merchant_id)}, "SK": {"S": "2026#x"}})


def test_api_keys_are_never_stored_in_clear(stack):
    key = issue_api_key("m1", scopes=["merchant"], name="m1")
    items = stack.client("dynamodb").scan(TableName=stack.table_name)["Items"]
    assert key not in json.dumps(items)


def test_the_page_lists_sizes_in_grid_order_and_only_those_in_stock(stack):
    from vitrine.catalogs.models import Product, Variant
    from vitrine.repository import assortment

    publish_small_catalog()
    grid = [Variant(sku=f"TEE-{size}", size=size) for size in ("P", "M", "G", "GG")]
    assortment.put_product("m1", Product(sku="TEE", name="Camiseta Grade", variants=grid))
    assortment.put_prices("m1", "varejo", {"TEE": 2990})
    for size, on_hand in (("P", 1), ("M", 0), ("G", 2), ("GG", 1)):
        stock.set_stock("m1", StockLevel(store_code="9900", sku=f"TEE-{size}", on_hand=on_hand, sequence=1))
    page = http("GET", "/c/loja")["body"]
    card = page[page.index('data-sku="TEE"') :]
    assert '<p class="variants">P, G, GG</p>' in card[: card.index("</article>")]


def test_every_route_declared_for_merchants_refuses_a_request_without_a_key(stack):
    from lambda_harness import handler_of

    from vitrine.http.routing import REGISTERED

    handler_of("CatalogApiFunction")  # importing the function declares its routes
    merchant_routes = [spec for spec in REGISTERED if spec.auth == "merchant_api_key"]
    assert len(merchant_routes) >= 5
    for spec in merchant_routes:
        path = spec.path.replace("{catalog_id}", "c1")
        response = http(spec.method, path, body="{}" if spec.method in ("POST", "PUT") else None)
        assert response["statusCode"] == 401, f"{spec.method} {spec.path} answered {response['statusCode']}"
