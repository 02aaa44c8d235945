"""The catalog read model (issue 15): views read only it (two DynamoDB requests, whatever the catalog's size), its
consumer applies each change to the pages that hold the product, out-of-order changes converge, a checkout's
reservation and its release change the availability shown, a rebuild is idempotent, unpublishing is a 404 at once."""

import json
import uuid
import zlib
from contextlib import contextmanager

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import handler_of, http, json_body, sqs_event
from shoppers import delivery_checkout

from local_stack.lambda_context import LambdaContext
from vitrine import aws
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs import read_model, read_model_updates
from vitrine.catalogs.models import (
    Catalog,
    CatalogSelection,
    CatalogStatus,
    Image,
    Product,
    StockLevel,
    Variant,
)
from vitrine.catalogs.read_model_events import apply_event
from vitrine.catalogs.read_model_updates import rebuild_view
from vitrine.catalogs.storefront import catalog_view
from vitrine.events.envelope import ProductsChanged, StockLevelsChanged, new_event
from vitrine.repository import assortment, catalog_views, catalogs, keys, stock, table

VIEWS = ["/c/loja", "/c/loja/p/CAM", "/api/catalogs/loja", "/api/catalogs/loja/products"]
CONSUMER = "CatalogViewFunction"


@contextmanager
def dynamodb_reads():
    """Every DynamoDB request made inside the block, with the partitions it asked for."""
    seen: list[tuple[str, list[str]]] = []

    def record(model, params, **_):
        if model.name == "GetItem":
            partitions = [params["Key"]["PK"]["S"]]
        elif model.name == "BatchGetItem":
            partitions = [key["PK"]["S"] for spec in params["RequestItems"].values() for key in spec["Keys"]]
        elif model.name == "Query":
            partitions = [params["ExpressionAttributeValues"][":pk"]["S"]]
        else:
            partitions = []
        seen.append((model.name, partitions))

    events = aws.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb", record)
    try:
        yield seen
    finally:
        events.unregister("before-parameter-build.dynamodb", record)


def view_partition(catalog_id: str = "c-loja") -> list[dict]:
    return table.query(keys.catalog_view_pk("m1", catalog_id), limit=1000).items


def stock_event(*levels: tuple[str, str, int]) -> object:
    deltas = [
        {"store_code": store, "sku": sku, "on_hand": units, "reserved": 0, "available": units, "sequence": 9}
        for store, sku, units in levels
    ]
    return new_event("m1", StockLevelsChanged(job_id=uuid.uuid4().hex, levels=deltas))


def set_units(store: str, sku: str, units: int, sequence: int) -> None:
    stock.set_stock("m1", StockLevel(store_code=store, sku=sku, on_hand=units, sequence=sequence))


def a_big_catalog(count: int) -> Catalog:
    """``count`` products of one variant each, 2 units online, priced, in a published catalog ``grande``."""
    publish_small_catalog()
    products = [
        Product(sku=f"P{i:04d}", name=f"Produto {i:04d}", variants=[Variant(sku=f"P{i:04d}-U")]) for i in range(count)
    ]
    for product in products:
        assortment.put_product("m1", product)
    assortment.put_prices("m1", "varejo", {p.sku: 1000 + i for i, p in enumerate(products)})
    for product in products:
        set_units("9900", product.variants[0].sku, 2, 1)
    catalog = Catalog(
        catalog_id="c-grande",
        merchant_id="m1",
        slug="grande",
        title="Grande",
        status=CatalogStatus.PUBLISHED,
        price_table_id="varejo",
        store_codes=["9900"],
        selection=CatalogSelection(skus=[p.sku for p in products]),
    )
    catalogs.create_catalog(catalog)
    return catalog


@pytest.mark.parametrize("path", VIEWS)
def test_a_view_reads_only_the_slug_pointer_and_the_read_model(stack, path):
    # Given a published catalog whose read model is built
    catalog = publish_small_catalog()
    live = json_body(http("GET", "/api/catalogs/loja"))  # computed from the assortment: no read model yet
    rebuild_view(catalog)
    # When a shopper opens a view
    with dynamodb_reads() as reads:
        response = http("GET", path)
    # Then it took at most 2 requests, to the slug pointer and the catalog's own partition, never the merchant's
    assert response["statusCode"] == 200
    assert len(reads) <= 2, reads
    assert {name for name, _ in reads} <= {"GetItem", "BatchGetItem"}
    partitions = {pk for _, pks in reads for pk in pks}
    assert partitions <= {"SLUG#loja", keys.catalog_view_pk("m1", "c-loja")}, partitions
    # and it shows what the assortment computed live showed
    if path == "/api/catalogs/loja":
        assert json_body(response) == live


def test_a_304_is_answered_from_the_version_and_never_once_a_change_reached_the_read_model(stack):
    catalog = publish_small_catalog()
    rebuild_view(catalog)
    first = http("GET", "/c/loja")
    etag = first["headers"]["ETag"]
    with dynamodb_reads() as reads:
        again = http("GET", "/c/loja", headers={"if-none-match": etag})
    assert again["statusCode"] == 304 and len(reads) == 2
    # When the price changes and its event reaches the consumer
    assortment.put_prices("m1", "varejo", {"CAM": 3990})
    apply_event(new_event("m1", ProductsChanged(job_id="j1", skus=["CAM"])))
    changed = http("GET", "/c/loja", headers={"if-none-match": etag})
    assert changed["statusCode"] == 200 and "39,90" in changed["body"] and changed["headers"]["ETag"] != etag


def test_a_stock_change_reaches_the_page_through_the_consumer_and_rewrites_only_its_page(stack):
    # Given a catalog of 100 products in pages of 24, its read model built
    catalog = a_big_catalog(100)
    outcome = rebuild_view(catalog)
    assert outcome.shown == 100 and outcome.pages == 5
    # When the ERP counts one product's variant to 0 online and the consumer gets the event
    set_units("9900", "P0050-U", 0, 2)
    writes = []
    grande = keys.catalog_view_pk("m1", "c-grande")

    def record(params, **_):
        ops = [op for op in params["TransactItems"] if grande in str(op)]
        if ops:
            writes.append(ops)

    aws.client("dynamodb").meta.events.register("before-parameter-build.dynamodb.TransactWriteItems", record)
    body = json.dumps(
        {
            "id": "e1",
            "source": "vitrine.stock_sync",
            "detail-type": "StockLevelsChanged",
            "detail": json.loads(stock_event(("9900", "P0050-U", 0)).model_dump_json()),
        }
    )
    result = handler_of(CONSUMER)(sqs_event([body]), LambdaContext())
    # Then the product is gone from the page (sold out below min_stock_to_show 1), the count follows
    assert result == {"batchItemFailures": []}
    view = catalog_view("grande")
    assert view.product_count == 99
    skus = [p.sku for p in _all_products("grande")]
    assert "P0050" not in skus and len(skus) == 99
    # and one transaction wrote the head, the product's page, its item and its search shard (it left the results):
    # 4 items, not the catalog
    assert len(writes) == 1 and len(writes[0]) == 4
    # When a count changes what it can sell but not whether it shows, the search shard is not written
    set_units("9900", "P0051-U", 1, 2)
    writes.clear()
    apply_event(stock_event(("9900", "P0051-U", 1)))
    assert len(writes) == 1 and len(writes[0]) == 3


def _all_products(slug: str) -> list:
    view = catalog_view(slug)
    products = list(view.products)
    while view.next_cursor:
        view = catalog_view(slug, cursor=view.next_cursor)
        products += view.products
    return products


def test_paging_by_cursor_serves_every_product_once_in_order_even_after_inserts_split_pages(stack):
    catalog = a_big_catalog(30)
    catalog = catalog.model_copy(update={"selection": CatalogSelection(all_active_online=True)})
    catalogs.put_catalog(catalog)
    rebuild_view(catalog)
    # When 40 more products join the catalog, one event each, among the first page's (which splits past 48)
    for i in range(40):
        product = Product(sku=f"N{i:03d}", name=f"Produto {i:04d}b", variants=[Variant(sku=f"N{i:03d}-U")])
        assortment.put_product("m1", product)
        assortment.put_prices("m1", "varejo", {product.sku: 500})
        set_units("9900", product.variants[0].sku, 1, 1)
        apply_event(new_event("m1", ProductsChanged(job_id=f"j{i}", skus=[product.sku])))
    # Then paging serves the same list, in the same order, as the assortment computed live
    paged = [p.sku for p in _all_products("grande")]
    expected = [p.sku for p in catalog_view_live("grande")]
    assert paged == expected and len(paged) == 71 and len(set(paged)) == 71
    assert len(catalog_view("grande").products) <= 48


def catalog_view_live(slug: str) -> list:
    from vitrine.catalogs.storefront import catalog_contents, published_catalog

    return catalog_contents(published_catalog(slug)).products


def test_two_stock_changes_delivered_out_of_order_converge_on_the_newest(stack):
    catalog = publish_small_catalog()
    rebuild_view(catalog)
    set_units("9900", "CAM-P", 7, 5)
    older = stock_event(("9900", "CAM-P", 7))
    set_units("9900", "CAM-P", 1, 6)
    newer = stock_event(("9900", "CAM-P", 1))
    # When the newer change is applied first and the older one after it
    apply_event(newer)
    apply_event(older)
    # Then the view shows the newest count, whatever the order
    (cam,) = [p for p in catalog_view("loja").products if p.sku == "CAM"]
    assert {v.sku: v.delivery for v in cam.variants}["CAM-P"] == 1


def test_two_consumers_racing_on_one_catalog_both_land(stack, monkeypatch):
    catalog = a_big_catalog(30)
    rebuild_view(catalog)
    set_units("9900", "P0001-U", 0, 2)
    set_units("9900", "P0002-U", 0, 2)
    real = catalog_views.write_change
    raced = []

    def first_another_consumer_writes(*args, **kwargs):
        if not raced:
            raced.append(True)
            read_model_updates.refresh_products(catalog, ["P0002"])  # lands between our read and our write
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog_views, "write_change", first_another_consumer_writes)
    read_model_updates.refresh_products(catalog, ["P0001"])
    skus = [p.sku for p in _all_products("grande")]
    assert "P0001" not in skus and "P0002" not in skus and len(skus) == 28


def test_a_rebuild_is_idempotent_and_leaves_nothing_stale(stack):
    catalog = a_big_catalog(60)
    first = rebuild_view(catalog)
    before = [p.sku for p in _all_products("grande")]
    second = rebuild_view(catalog)
    assert (second.products, second.shown, second.pages) == (first.products, first.shown, first.pages)
    assert [p.sku for p in _all_products("grande")] == before
    # head + bounds + a page per page but the first (in the head) + an item per product + one search shard
    assert len(view_partition("c-grande")) == 2 + (second.pages - 1) + second.products + 1
    # When a product leaves the catalog and the catalog is rebuilt (a repair), its item goes too
    assortment.put_prices("m1", "varejo", {})  # no change
    catalogs.put_catalog(catalog.model_copy(update={"selection": CatalogSelection(skus=before[:10])}))
    third = rebuild_view(catalogs.get_catalog("m1", "c-grande"))
    assert third.products == 10 and len(view_partition("c-grande")) == 2 + 0 + 10 + 1


def test_an_unpublished_catalog_is_a_404_at_once_and_its_read_model_goes(stack):
    catalog = publish_small_catalog()
    rebuild_view(catalog)
    key = issue_api_key("m1", scopes=["merchant"], name="t")
    headers = {"authorization": f"Bearer {key}"}
    response = http("POST", "/merchant/v1/catalogs/c-loja/unpublish", headers=headers)
    assert response["statusCode"] == 200
    # Then every view is a 404 before any consumer ran (the slug pointer says draft)
    for path in VIEWS:
        assert http("GET", path)["statusCode"] == 404, path
    # and the unpublish event, when it arrives, deletes the read model
    apply_event(new_event("m1", _unpublished()))
    assert view_partition() == []


def _unpublished():
    from vitrine.events.envelope import CatalogUnpublished

    return CatalogUnpublished(catalog_id="c-loja", slug="loja")


def test_a_checkouts_reservation_and_its_release_change_the_availability_shown(stack, bus_queue):
    catalog = publish_small_catalog()
    rebuild_view(catalog)

    def delivery_units() -> int:
        (cam,) = [p for p in catalog_view("loja").products if p.sku == "CAM"]
        return {v.sku: v.delivery for v in cam.variants}["CAM-P"]

    def consume_bus() -> list[str]:
        applied = []
        for body in bus_queue():
            if body["detail-type"] in ("StockReserved", "OrderCancelled"):
                result = handler_of(CONSUMER)(sqs_event([json.dumps(body)]), LambdaContext())
                assert result == {"batchItemFailures": []}
                applied.append(body["detail-type"])
        return applied

    assert delivery_units() == 3
    # When a shopper checks out the last 3 units online
    lines = [{"product_sku": "CAM", "sku": "CAM-P", "quantity": 3}]
    placed = http(
        "POST",
        "/api/checkout",
        headers={"idempotency-key": str(uuid.uuid4())},
        body=json.dumps(delivery_checkout("loja", lines)),
    )
    assert placed["statusCode"] == 201
    assert consume_bus() == ["StockReserved"]
    # Then the page says the variant is sold out for delivery
    assert delivery_units() == 0
    # When the merchant cancels the order (its units go back on sale)
    key = issue_api_key("m1", scopes=["merchant"], name="t")
    order_id = json_body(placed)["order"]["order_id"]
    merchant = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    cancelled = http("POST", f"/merchant/v1/orders/{order_id}/cancel", headers=merchant, body="{}")
    assert cancelled["statusCode"] == 200
    assert consume_bus() == ["OrderCancelled"]
    assert delivery_units() == 3


def test_a_reservation_that_leaves_more_than_an_order_can_buy_rewrites_nothing(stack, bus_queue):
    # Given a variant with 1,002 units online (its page shows 999: the most one order line can buy)
    catalog = publish_small_catalog()
    set_units("9900", "CAM-P", 1002, 5)
    rebuild_view(catalog)
    version = catalog_views.read_view("m1", "c-loja").head
    writes = []

    def record(params, **_):
        writes.append(params)

    def checkout(units: int) -> None:
        lines = [{"product_sku": "CAM", "sku": "CAM-P", "quantity": units}]
        body = json.dumps(delivery_checkout("loja", lines))
        placed = http("POST", "/api/checkout", headers={"idempotency-key": str(uuid.uuid4())}, body=body)
        assert placed["statusCode"] == 201
        events = [b for b in bus_queue() if b["detail-type"] == "StockReserved"]
        assert len(events) == 1
        writes.clear()
        result = handler_of(CONSUMER)(sqs_event([json.dumps(events[0])]), LambdaContext())
        assert result == {"batchItemFailures": []}

    def delivery_units() -> int:
        (cam,) = [p for p in catalog_view("loja").products if p.sku == "CAM"]
        return {v.sku: v.delivery for v in cam.variants}["CAM-P"]

    aws.client("dynamodb").meta.events.register("before-parameter-build.dynamodb.TransactWriteItems", record)
    assert delivery_units() == 999
    # When a checkout reserves 2 (1,000 left: still more than an order can buy)
    checkout(2)
    # Then the consumer wrote nothing: the page, its version (the ETag) and what it shows are as they were
    assert writes == []
    assert catalog_views.read_view("m1", "c-loja").head == version and delivery_units() == 999
    # When another reserves 5 (995 left), the page shows it
    checkout(5)
    assert len(writes) == 1 and delivery_units() == 995


def _search(query: dict) -> tuple[list[str], list[int]]:
    """Every product a search finds, following its cursor, and the DynamoDB requests of each step."""
    found, costs, cursor = [], [], None
    while True:
        with dynamodb_reads() as reads:
            response = http(
                "GET", "/api/catalogs/grande/products", query={**query, **({"cursor": cursor} if cursor else {})}
            )
        assert response["statusCode"] == 200, response["body"]
        costs.append(len(reads))
        body = json_body(response)
        found += [p["sku"] for p in body["products"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return found, costs


def test_search_and_classifier_filters_cover_the_whole_catalog_a_bounded_step_per_request(stack, monkeypatch):
    # Given 100 products in 5 search shards (20 products a shard for the test), two classifiers, read model built
    from vitrine.catalogs import read_model

    monkeypatch.setattr(read_model, "SEARCH_SHARD_PRODUCTS", 20)
    catalog = a_big_catalog(100)
    for i in range(100):
        classifiers = ["Calçados", "Tênis"] if i % 2 else ["Roupas"]
        name = f"Produto {i:04d}" + (" Corrida" if i % 10 == 7 else "")
        assortment.put_product(
            "m1", Product(sku=f"P{i:04d}", name=name, classifiers=classifiers, variants=[Variant(sku=f"P{i:04d}-U")])
        )
    rebuild_view(catalog)
    # When a shopper searches for a word only some products far past the first page have (accents, case aside)
    found, costs = _search({"q": "CÓRRIDA", "limit": "4"})
    # Then every match comes, once, and no step costs more than the pointer, the head with 2 shards, and the items
    assert sorted(found) == [f"P{i:04d}" for i in range(7, 100, 10)] and len(set(found)) == 10
    assert max(costs) <= 3
    # and a classifier filter (with its second level) finds every product under it, in the whole catalog
    shoes, _ = _search({"classifier": "Calçados", "subclassifier": "Tênis", "limit": "100"})
    assert sorted(shoes) == [f"P{i:04d}" for i in range(1, 100, 2)]
    clothes, _ = _search({"classifier": "Roupas", "q": "corrida"})
    assert clothes == []
    # When a product is renamed, the search follows through the consumer
    assortment.put_product(
        "m1", Product(sku="P0042", name="Lanterna", classifiers=["Roupas"], variants=[Variant(sku="P0042-U")])
    )
    apply_event(new_event("m1", ProductsChanged(job_id="j", skus=["P0042"])))
    assert _search({"q": "lanterna"})[0] == ["P0042"] and _search({"q": "produto 0042"})[0] == []
    # and a product that sells out leaves the results
    set_units("9900", "P0017-U", 0, 2)
    apply_event(stock_event(("9900", "P0017-U", 0)))
    assert "P0017" not in _search({"q": "corrida"})[0]


def test_a_search_query_is_strict_input(stack):
    publish_small_catalog()
    for query in ({"q": "a" * 101}, {"classifier": "x\u202ey"}, {"cursor": "bad!"}, {"cursor": "czE"}):
        response = http("GET", "/api/catalogs/loja/products", query=query)
        assert response["statusCode"] == 422, query


@pytest.mark.parametrize("cursor", ["0", "", "=", "Zw", "ZzE", "bDE_Mg", "czFfMl8z"])
def test_a_malformed_cursor_is_a_422_whatever_it_decodes_to(stack, cursor):
    # Found by the OpenAPI fuzzer: "0" decodes to nothing, which named no kind of cursor (a 500 before the fix)
    catalog = publish_small_catalog()
    for built in (False, True):
        if built:
            rebuild_view(catalog)
        query = {"cursor": cursor, "limit": "24", "q": "", "classifier": ""}
        response = http("GET", "/api/catalogs/loja/products", query=query)
        assert response["statusCode"] == 422, (cursor, built, response["body"])


def _answers() -> list[tuple[str, dict]]:
    first = http("GET", "/api/catalogs/grande")
    body = json_body(first)
    answers = [("CatalogView", first)]
    cursor = body["next_cursor"]
    while cursor:
        page = http("GET", "/api/catalogs/grande/products", query={"cursor": cursor, "limit": "10"})
        answers.append(("ProductsPage", page))
        cursor = json_body(page)["next_cursor"]
    return answers


def _products_validated(monkeypatch) -> list[str]:
    """The skus of the read model's entries validated into models from now on."""
    validated: list[str] = []
    real = read_model.entry_product

    def recorded(entry):
        validated.append(entry[2]["sku"])
        return real(entry)

    monkeypatch.setattr(read_model, "entry_product", recorded)
    return validated


def test_the_json_views_serve_the_read_models_entries_as_their_declared_models_dump_them(stack, monkeypatch):
    # Given a catalog of 60 products, one with a gallery, its read model built
    catalog = a_big_catalog(60)
    product = assortment.get_product("m1", "P0003")
    image = Image(key="merchants/m1/products/P0003/1.jpg", width=600, height=400)
    assortment.put_product("m1", product.model_copy(update={"images": [image]}))
    rebuild_view(catalog)
    # When a client reads the catalog and pages through it by cursor
    validated = _products_validated(monkeypatch)
    answers = _answers()
    import storefront_schemas  # on the path once the catalog API has served a request

    # Then no product was built into a model to answer
    assert validated == []
    # and every answer is exactly what its declared model dumps, key for key and in order
    for model_name, response in answers:
        assert response["statusCode"] == 200 and response["headers"]["ETag"]
        dumped = getattr(storefront_schemas, model_name).model_validate(json_body(response)).model_dump(mode="json")
        assert response["body"] == json.dumps(dumped, ensure_ascii=False, separators=(",", ":"))
    # and they list the catalog once, in order, as the models' view does, the gallery's image at its lasting URL
    served = [p for _, r in answers for p in json_body(r)["products"]]
    assert [p["sku"] for p in served] == [p.sku for p in _all_products("grande")]
    (with_gallery,) = [p for p in served if p["sku"] == "P0003"]
    assert with_gallery["image_url"] == with_gallery["images"][0]["src"]
    assert with_gallery["image_url"].endswith("/img/merchants/m1/products/P0003/1.jpg")


def test_a_read_model_written_in_another_entry_format_is_served_through_the_models(stack, monkeypatch):
    # Given a catalog's read model whose head says its entries have another shape than this code's (a deploy
    # changed the product's fields; the rebuild has not run yet)
    catalog = a_big_catalog(30)
    rebuild_view(catalog)
    expected = [(name, json_body(r)) for name, r in _answers()]
    stored = table.get(keys.catalog_view_pk("m1", "c-grande"), "HEAD")
    head = json.loads(zlib.decompress(stored["body"]))
    assert head["format"] == read_model.ENTRY_FORMAT
    table.put({**stored, "body": zlib.compress(json.dumps({**head, "format": "an-older-one"}).encode())})
    # When a client reads it
    validated = _products_validated(monkeypatch)
    answers = [(name, json_body(r)) for name, r in _answers()]
    # Then every product went through the model, and the answers are the same
    assert sorted(validated) == sorted(p["sku"] for _, body in expected for p in body["products"])
    assert answers == expected
