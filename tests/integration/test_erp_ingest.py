"""ERP master data in: batches answered 202 with a job, applied from SQS by the ingest consumer, writing only what
changed; stale stock ignored; per-item reports; tenancy; the CSV import."""

import json
import re
import secrets
import threading
from collections import Counter
from contextlib import contextmanager

import pytest
import responses
from infra_fixtures import create_erp_ingest_queue, publish_small_catalog, put_online_and_centre_stores, take_messages
from lambda_harness import FUNCTIONS, handler_of, http, json_body, sqs_event
from shoppers import ADDRESS
from standardwebhooks.webhooks import Webhook
from webhook_harness import RECEIVER, deliver_everything, subscribe, webhook_queues

from local_stack.lambda_context import LambdaContext
from vitrine import aws
from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import PriceTable, StockLevel
from vitrine.erp import apply
from vitrine.erp.appliers.prices import apply_prices
from vitrine.erp.appliers.products import apply_products
from vitrine.erp.jobs import unpack
from vitrine.erp.models import BatchKind
from vitrine.erp.product_models import ErpPrice, ErpProduct
from vitrine.events.envelope import (
    DELTAS_PER_EVENT,
    PriceDelta,
    PricesChanged,
    StockDelta,
    StockLevelsChanged,
    new_event,
)
from vitrine.repository import assortment, catalogs, keys, people, stock, table
from vitrine.repository.table import TransactionCancelled

CONSUMER = "StockSyncIngestFunction"
IMAGE = {"url": "https://cdn.loja.com.br/cam.jpg", "width": 800, "height": 800}


def product(sku: str, name: str = "Camiseta", **fields) -> dict:
    return {
        "sku": sku,
        "name": name,
        "variants": [{"sku": f"{sku}-P", "size": "P", "colour": "Azul"}, {"sku": f"{sku}-M", "size": "M"}],
        **fields,
    }


@pytest.fixture
def erp(stack, monkeypatch):
    """The ERP ingest queue, two merchants with stores and an ``erp`` key each."""
    queue_url = create_erp_ingest_queue(monkeypatch)
    for merchant_id in ("m1", "m2"):
        put_online_and_centre_stores(merchant_id)
    return Erp(
        queue_url,
        {"m1": issue_api_key("m1", scopes=["erp"], name="erp"), "m2": issue_api_key("m2", scopes=["erp"], name="erp")},
    )


class Erp:
    def __init__(self, queue_url: str, keys_by_merchant: dict[str, str]) -> None:
        self.queue_url = queue_url
        self.keys = keys_by_merchant

    def post(self, path: str, items, *, merchant: str = "m1", body: str | None = None, content_type="application/json"):
        raw = body if body is not None else json.dumps({"items": items})
        headers = {"authorization": f"Bearer {self.keys[merchant]}", "content-type": content_type}
        return http("POST", path, headers=headers, body=raw)

    def job(self, job_id: str, *, merchant: str = "m1", **query) -> dict:
        response = http(
            "GET",
            f"/erp/v1/jobs/{job_id}",
            headers={"authorization": f"Bearer {self.keys[merchant]}"},
            query=query or None,
        )
        assert response["statusCode"] == 200, response["body"]
        return json_body(response)

    def queued(self) -> list[dict]:
        return take_messages(self.queue_url)

    def consume(self, bodies: list[dict] | None = None) -> dict:
        bodies = self.queued() if bodies is None else bodies
        return handler_of(CONSUMER)(sqs_event([json.dumps(b) for b in bodies]), LambdaContext())

    def sync_together(self, path: str, requests: list[list]) -> list[dict]:
        """Post several batches, then apply all their chunks in SQS batches of the template's size, as Lambda
        would when they queue up together; their job reports."""
        job_ids = []
        for items in requests:
            response = self.post(path, items)
            assert response["statusCode"] == 202, response["body"]
            job_ids.append(json_body(response)["job_id"])
        bodies = self.queued()
        size = FUNCTIONS[CONSUMER].queues[0].batch_size
        for start in range(0, len(bodies), size):
            assert self.consume(bodies[start : start + size]) == {"batchItemFailures": []}
        return [self.job(job_id) for job_id in job_ids]

    def sync(self, path: str, items, **kwargs) -> dict:
        """Post a batch, apply its chunks, return its job report."""
        response = self.post(path, items, **kwargs)
        assert response["statusCode"] == 202, response["body"]
        assert self.consume() == {"batchItemFailures": []}
        return self.job(json_body(response)["job_id"], merchant=kwargs.get("merchant", "m1"))


def level(sku: str, store: str = "9900", merchant: str = "m1") -> StockLevel | None:
    item = table.get(keys.stock_pk(merchant, store), sku)
    return stock.level_from_item(item) if item else None


def stored_level(sku: str, store: str = "9900") -> dict:
    return table.get(keys.stock_pk("m1", store), sku)


@contextmanager
def dynamodb_writes():
    """Count the DynamoDB write requests (and the items they write) this process sends meanwhile, and its reads."""
    counts: Counter = Counter()

    def count(params, model, **_):
        if model.name in ("BatchWriteItem",):
            counts["BatchWriteItem"] += 1
            counts["batch_items"] += sum(len(requests) for requests in params["RequestItems"].values())
        elif model.name in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "GetItem", "BatchGetItem"):
            counts[model.name] += 1

    # Once per API call, with its parameters (``before-call`` sees the serialised request instead).
    events = aws.client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb", count)
    try:
        yield counts
    finally:
        events.unregister("before-parameter-build.dynamodb", count)


def products_known(*skus: str, merchant: str = "m1") -> None:
    """Products ``skus`` (variants ``<sku>-P`` and ``<sku>-M``) as an earlier sync left them: the ERP's stock counts
    are taken only for a merchant's variants."""
    apply_products(merchant, ["earlier-sync"] * len(skus), [ErpProduct.model_validate(product(sku)) for sku in skus])


def variants_known(skus: list[str], merchant: str = "m1") -> None:
    """The variant index as a products sync leaves it for ``skus``, written straight into the table (as the stored
    stock levels of the snapshot tests are): one product ``V`` holding them all."""
    table.batch_put(
        [
            {"PK": keys.merchant_pk(merchant), "SK": keys.variant_sk(sku), "type": "variant", "product_sku": "V"}
            for sku in skus
        ]
    )


def erp_jobs_in_table() -> list[dict]:
    return [item for item in table.query(keys.merchant_pk("m1"), sk_prefix="JOB#").items]


# ---------------------------------------------------------------- batches, jobs and per-item reports


def test_a_product_batch_is_answered_202_with_a_job_and_applied_from_the_queue(erp):
    full = product(
        "CAM",
        short_name="Camiseta",
        description="Algodão",
        brand="Marca",
        classifiers=["Roupas", "Camisetas", "Básicas"],
        images=[IMAGE],
        dimensions={"height_mm": 20, "width_mm": 250, "length_mm": 300},
        weight_grams=180,
        active_online=False,
        delivery_days=3,
        payment_methods=["pix", "card"],
    )
    response = erp.post("/erp/v1/products", [full, product("TEN", "Tênis")])
    assert response["statusCode"] == 202
    accepted = json_body(response)
    assert accepted["status"] == "queued" and (accepted["total"], accepted["queued"], accepted["rejected"]) == (2, 2, 0)
    assert response["headers"]["Location"] == f"/erp/v1/jobs/{accepted['job_id']}"
    assert erp.job(accepted["job_id"])["counts"]["pending"] == 2

    assert erp.consume() == {"batchItemFailures": []}

    report = erp.job(accepted["job_id"])
    assert report["status"] == "done" and report["results"] == []
    assert report["counts"] == {"applied": 2, "unchanged": 0, "stale": 0, "rejected": 0, "pending": 0}
    stored = assortment.get_product("m1", "CAM")
    assert (stored.short_name, stored.brand, stored.classifiers[2], stored.weight_grams) == (
        "Camiseta",
        "Marca",
        "Básicas",
        180,
    )
    assert (stored.dimensions.length_mm, stored.delivery_days, stored.active_online) == (300, 3, False)
    assert [m.value for m in stored.payment_methods] == ["pix", "card"]
    assert [v.sku for v in stored.variants] == ["CAM-P", "CAM-M"] and stored.images[0].url == IMAGE["url"]


def test_a_malformed_item_is_reported_with_its_index_id_and_field_while_the_rest_apply(erp):
    items = [product("A"), product("B", variants=[]), {"sku": "C", "name": "Sem grade"}, product("D", price=10)]
    report = erp.sync("/erp/v1/products", items)
    assert report["counts"] == {"applied": 1, "unchanged": 0, "stale": 0, "rejected": 3, "pending": 0}
    by_index = {r["index"]: r for r in report["results"]}
    assert sorted(by_index) == [1, 2, 3]
    assert by_index[1]["ref"] == "B" and by_index[1]["errors"][0]["field"] == "variants"
    assert by_index[2]["ref"] == "C"
    assert by_index[2]["errors"][0] == {"field": "variants", "reason": "Field required", "code": "missing"}
    assert by_index[3]["errors"][0]["field"] == "price" and by_index[3]["status"] == "rejected"
    assert assortment.get_product("m1", "A") is not None
    assert all(assortment.get_product("m1", sku) is None for sku in "BCD")


def test_a_rule_refusing_an_item_in_the_consumer_rejects_only_that_item(erp):
    # Given: no store "7777". When: a stock batch names it among good levels.
    products_known("A")
    items = [
        {"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 1},
        {"store_code": "7777", "sku": "A-P", "on_hand": 3, "sequence": 1},
    ]
    report = erp.sync("/erp/v1/stock", items)
    assert report["counts"]["applied"] == 1 and report["counts"]["rejected"] == 1
    (result,) = report["results"]
    assert (result["index"], result["ref"], result["errors"][0]["field"]) == (1, "7777/A-P", "store_code")
    assert result["errors"][0]["code"] == "unknown_store"
    assert level("A-P").on_hand == 3


def test_a_count_for_a_sku_that_is_no_variant_of_the_merchant_is_rejected_per_item_and_stores_nothing(erp):
    # Given product A (variants A-P, A-M) of m1, and product Z of m2 alone
    products_known("A")
    products_known("Z", merchant="m2")
    counts = [
        {"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 1},
        {"store_code": "9900", "sku": "A-G", "on_hand": 4, "sequence": 1},  # no such size of A
        {"store_code": "0001", "sku": "A", "on_hand": 5, "sequence": 1},  # the product's SKU, not a variant's
        {"store_code": "0001", "sku": "Z-P", "on_hand": 6, "sequence": 1},  # another merchant's variant
        {"store_code": "0001", "sku": "A-M", "on_hand": 7, "sequence": 1},
    ]

    # When the ERP sends the counts
    with dynamodb_writes() as requests:
        report = erp.sync("/erp/v1/stock", counts)

    # Then each unknown SKU is rejected on its own, naming it, and the known ones are applied
    assert report["counts"] == {"applied": 2, "unchanged": 0, "stale": 0, "rejected": 3, "pending": 0}
    rejected = {r["ref"]: (r["index"], r["status"], r["errors"]) for r in report["results"]}
    assert set(rejected) == {"9900/A-G", "0001/A", "0001/Z-P"}
    for ref, (_, status, errors) in rejected.items():
        (error,) = errors
        assert status == "rejected" and (error["field"], error["code"]) == ("sku", "unknown_sku")
        assert f"no variant '{ref.split('/')[1]}'" in error["reason"]
    assert [rejected[ref][0] for ref in ("9900/A-G", "0001/A", "0001/Z-P")] == [1, 2, 3]
    # and no stock item exists for them, nor was anything announced about them
    assert level("A-G") is None and level("A", "0001") is None and level("Z-P", "0001") is None
    assert (level("A-P").on_hand, level("A-M", "0001").on_hand) == (3, 7)
    # What knowing costs: one BatchGetItem of the variant index for the chunk's 5 SKUs, beside the stored levels'
    assert requests["BatchGetItem"] == 2 and requests["UpdateItem"] == 2 + 1  # two levels, the job's count

    # When the product's new size arrives, the same count sent again is taken (nothing was stored for it)
    erp.sync("/erp/v1/products", [product("A", variants=[{"sku": "A-P"}, {"sku": "A-M"}, {"sku": "A-G"}])])
    again = erp.sync("/erp/v1/stock", [counts[1]])
    assert again["counts"]["applied"] == 1 and level("A-G").on_hand == 4


def test_a_variant_dropped_from_its_product_no_longer_takes_counts_and_one_moved_follows_its_product(erp):
    # Given A with A-P and A-M, and B
    erp.sync("/erp/v1/products", [product("A"), product("B")])
    count = {"store_code": "9900", "sku": "A-M", "on_hand": 2, "sequence": 1}
    assert erp.sync("/erp/v1/stock", [count])["counts"]["applied"] == 1

    # When A drops A-M and B takes over A-P, in one batch (A's removal is processed whatever B claims)
    erp.sync(
        "/erp/v1/products",
        [product("A", variants=[{"sku": "A-U"}]), product("B", variants=[{"sku": "B-P"}, {"sku": "A-P"}])],
    )

    # Then a count for A-M is rejected and leaves its level as it was; A-P and A-U are taken
    report = erp.sync("/erp/v1/stock", [{**count, "on_hand": 9, "sequence": 2}])
    assert report["counts"]["rejected"] == 1 and report["results"][0]["errors"][0]["code"] == "unknown_sku"
    assert (level("A-M").on_hand, level("A-M").sequence) == (2, 1)
    moved = [{"store_code": "9900", "sku": sku, "on_hand": 1, "sequence": 3} for sku in ("A-P", "A-U", "B-P")]
    assert erp.sync("/erp/v1/stock", moved)["counts"]["applied"] == 3
    # and when B gives A-P back to nobody, A-P stops taking counts too
    erp.sync("/erp/v1/products", [product("B", variants=[{"sku": "B-P"}])])
    assert erp.sync("/erp/v1/stock", [{**moved[0], "sequence": 4}])["counts"]["rejected"] == 1


def test_counts_for_a_new_product_in_the_same_sqs_batch_are_applied_after_it_whatever_order_sqs_gives(erp):
    # Given a new product and its first count, queued one after the other (as a connector's poll queues them)
    erp.post("/erp/v1/products", [product("N")])
    erp.post("/erp/v1/stock", [{"store_code": "9900", "sku": "N-P", "on_hand": 4, "sequence": 1}])
    products_chunk, stock_chunk = erp.queued()

    # When SQS hands them to the consumer in one batch, the count first (a standard queue keeps no order)
    assert erp.consume([stock_chunk, products_chunk]) == {"batchItemFailures": []}

    # Then the product is applied first and its count is taken
    assert level("N-P").on_hand == 4
    assert erp.job(stock_chunk["job_id"])["counts"]["applied"] == 1


def test_a_product_stored_before_the_variant_index_is_indexed_by_the_next_sync_that_sends_it(erp):
    # Given product A as stored before the variant index: no index items, no indexed_variants
    erp.sync("/erp/v1/products", [product("A")])
    pk = keys.merchant_pk("m1")
    table.batch_delete([(pk, keys.variant_sk("A-P")), (pk, keys.variant_sk("A-M"))])
    table.update(pk, keys.product_sk("A"), expression="REMOVE indexed_variants", values={})
    count = {"store_code": "9900", "sku": "A-P", "on_hand": 2, "sequence": 1}
    assert erp.sync("/erp/v1/stock", [count])["counts"]["rejected"] == 1

    # When the ERP sends A again, unchanged
    report = erp.sync("/erp/v1/products", [product("A")])

    # Then it is written with its index, and its variants take counts
    assert report["counts"]["applied"] == 1
    assert erp.sync("/erp/v1/stock", [count])["counts"]["applied"] == 1
    assert erp.sync("/erp/v1/products", [product("A")])["counts"]["unchanged"] == 1


def test_a_redelivered_products_chunk_writes_the_index_items_its_failed_delivery_missed(erp):
    # Given a products chunk whose delivery wrote the products but lost one index item (a failed write request)
    erp.post("/erp/v1/products", [product("A")])
    (chunk,) = erp.queued()
    erp.consume([chunk])
    table.batch_delete([(keys.merchant_pk("m1"), keys.variant_sk("A-M"))])

    # When SQS delivers the chunk again
    with dynamodb_writes() as writes:
        erp.consume([chunk])

    # Then the missing item is written (and only it), and A-M takes counts
    assert (writes["BatchWriteItem"], writes["batch_items"]) == (1, 1)
    count = {"store_code": "9900", "sku": "A-M", "on_hand": 2, "sequence": 1}
    assert erp.sync("/erp/v1/stock", [count])["counts"]["applied"] == 1


def test_an_item_sent_twice_in_one_batch_is_rejected_the_second_time(erp):
    report = erp.sync("/erp/v1/products", [product("A"), product("A", "Outro nome")])
    (result,) = report["results"]
    assert result["index"] == 1 and "first at item 0" in result["errors"][0]["reason"]
    assert assortment.get_product("m1", "A").name == "Camiseta"


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (json.dumps({"items": [product(f"P{i}") for i in range(1001)]}), "application/json", 413),
        ("x" * (4 * 1024 * 1024 + 1), "application/json", 413),
        ("{not json", "application/json", 422),
        (json.dumps({"items": []}), "application/json", 422),
        (json.dumps({"items": {"sku": "A"}}), "application/json", 422),
        (json.dumps({"items": [product("A")], "kind": "products"}), "application/json", 422),
        (
            json.dumps({"items": [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 1}]}),
            "application/json",
            422,
        ),
        (json.dumps({"items": [product("A")]}), "text/plain", 415),
    ],
    ids=[
        "1001-items",
        "over-4MB",
        "not-json",
        "no-items",
        "items-not-a-list",
        "unknown-field",
        "wrong-kind",
        "not-json-type",
    ],
)
def test_a_request_that_is_not_a_batch_is_a_4xx_and_nothing_is_queued_or_recorded(erp, body, content_type, status):
    response = erp.post("/erp/v1/products", None, body=body, content_type=content_type)
    assert response["statusCode"] == status, response["body"]
    assert json_body(response)["error"]["message"]
    assert erp.queued() == [] and erp_jobs_in_table() == []


def test_a_wrong_kind_is_refused_naming_the_items_and_fields(erp):
    stock_items = [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 1}]
    response = erp.post("/erp/v1/products", stock_items)
    details = json_body(response)["error"]["details"]
    assert {"field": "body.items.0.store_code", "reason": "Extra inputs are not permitted"} in details


def test_erp_routes_need_a_key_with_the_erp_scope(erp):
    merchant_only = issue_api_key("m1", scopes=["merchant"], name="site")
    headers = {"authorization": f"Bearer {merchant_only}"}
    assert (
        http("POST", "/erp/v1/products", headers=headers, body=json.dumps({"items": [product("A")]}))["statusCode"]
        == 403
    )
    assert http("POST", "/erp/v1/stock", body=json.dumps({"items": []}))["statusCode"] == 401
    assert (
        http("GET", "/merchant/v1/sellers", headers={"authorization": f"Bearer {erp.keys['m1']}"})["statusCode"] == 403
    )
    assert erp.queued() == []


def test_every_erp_route_refuses_a_request_without_a_key_before_reading_it(erp):
    from vitrine.http.routing import REGISTERED

    for function in ("StockSyncApiFunction", "ErpOrdersApiFunction"):
        handler_of(function)  # importing a function declares its routes
    erp_routes = [spec for spec in REGISTERED if spec.auth == "erp_api_key"]
    template_erp_routes = {(r.method, r.path) for fn in FUNCTIONS.values() for r in fn.routes if "/erp/" in r.path}
    assert {(spec.method, spec.path) for spec in erp_routes} == template_erp_routes
    for spec in erp_routes:
        path = re.sub(r"\{\w+\}", "0" * 32, spec.path)
        response = http(spec.method, path, body="{}" if spec.method == "POST" else None)
        assert response["statusCode"] == 401, f"{spec.method} {spec.path} answered {response['statusCode']}"
    assert erp.queued() == []


def test_the_job_report_pages_its_results_by_cursor(erp):
    items = [product(f"OK{i}") for i in range(3)] + [product(f"BAD{i}", variants=[]) for i in range(5)]
    job_id = json_body(erp.post("/erp/v1/products", items))["job_id"]
    first = erp.job(job_id, limit="2")
    second = erp.job(job_id, limit="2", cursor=first["next_cursor"])
    third = erp.job(job_id, limit="2", cursor=second["next_cursor"])
    refs = [r["ref"] for page in (first, second, third) for r in page["results"]]
    assert refs == [f"BAD{i}" for i in range(5)] and third["next_cursor"] is None
    assert first["status"] == "queued" and first["counts"]["rejected"] == 5 and first["counts"]["pending"] == 3


def test_a_chunk_delivered_twice_is_applied_and_counted_once(erp):
    items = [product("A"), {"sku": "B"}]
    job_id = json_body(erp.post("/erp/v1/products", items))["job_id"]
    (chunk,) = erp.queued()
    with dynamodb_writes() as writes:
        assert erp.consume([chunk]) == {"batchItemFailures": []}
    first_writes = writes["batch_items"]
    with dynamodb_writes() as writes:
        assert erp.consume([chunk]) == {"batchItemFailures": []}
    report = erp.job(job_id)
    assert report["counts"] == {"applied": 1, "unchanged": 0, "stale": 0, "rejected": 1, "pending": 0}
    # product A and the index items of its two variants, once
    assert first_writes == 3 and writes["batch_items"] == 0


def consume_crashing_before_the_count(erp, chunk: dict, monkeypatch) -> None:
    """Consume ``chunk`` as a Lambda that times out after its writes but before it counts them: the record fails."""
    from vitrine.repository import erp_jobs

    def crash(*args, **kwargs):
        raise RuntimeError("Lambda timed out")

    with monkeypatch.context() as patched:
        patched.setattr(erp_jobs, "count_chunk", crash)
        with pytest.raises(Exception, match="all 1 records failed"):
            erp.consume([chunk])


def test_a_chunk_redelivered_after_a_crash_reports_its_own_writes_as_applied(erp, monkeypatch):
    job_id = json_body(erp.post("/erp/v1/products", [product("A"), product("B")]))["job_id"]
    (chunk,) = erp.queued()
    consume_crashing_before_the_count(erp, chunk, monkeypatch)
    assert erp.job(job_id)["counts"]["pending"] == 2
    erp.consume([chunk])
    assert erp.job(job_id)["counts"] == {"applied": 2, "unchanged": 0, "stale": 0, "rejected": 0, "pending": 0}


def test_a_chunk_counted_before_and_a_new_chunk_of_its_job_in_one_batch_are_each_counted_once(erp):
    levels = [{"store_code": "9900", "sku": f"V{i:04d}", "on_hand": 1, "sequence": 1} for i in range(1000)]
    variants_known([lv["sku"] for lv in levels])
    job_id = json_body(erp.post("/erp/v1/stock", levels))["job_id"]
    first, second = erp.queued()
    erp.consume([first])
    assert erp.job(job_id)["status"] == "running"

    # SQS delivers the first chunk again in the same batch as the second: counted together, the first would
    # count twice; the job notices and counts them one by one.
    assert erp.consume([first, second]) == {"batchItemFailures": []}
    report = erp.job(job_id)
    assert report["status"] == "done"
    assert report["counts"] == {"applied": 1000, "unchanged": 0, "stale": 0, "rejected": 0, "pending": 0}


def test_a_failing_chunk_goes_back_alone_as_a_partial_batch_failure(erp, monkeypatch):
    erp.post("/erp/v1/products", [product("A")])
    erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 4990}])
    chunks = erp.queued()

    def throttled(*args, **kwargs):
        from vitrine.errors import DependencyUnavailable

        raise DependencyUnavailable("DynamoDB BatchWriteItem failed: ProvisionedThroughputExceededException")

    monkeypatch.setitem(apply.APPLIERS, BatchKind.PRICES, throttled)
    outcome = erp.consume(chunks)
    failed = [chunks[int(f["itemIdentifier"][1:])]["kind"] for f in outcome["batchItemFailures"]]
    assert failed == ["prices"]
    assert assortment.get_product("m1", "A") is not None


def test_a_large_batch_travels_in_chunks_under_the_sqs_message_limit(erp):
    # Descriptions that do not compress (random text), so 1,000 products cannot share one message.
    items = [product(f"P{i:04d}", description=secrets.token_hex(1000)) for i in range(1000)]
    accepted = json_body(erp.post("/erp/v1/products", items))
    chunks = erp.queued()
    assert len(chunks) > 1 and all(len(json.dumps(c).encode()) < 256 * 1024 for c in chunks)
    assert sorted(e["index"] for c in chunks for e in unpack(c["items_gz"])) == list(range(1000))
    erp.consume(chunks)
    assert erp.job(accepted["job_id"])["counts"]["applied"] == 1000


# ---------------------------------------------------------------- delta detection


def test_a_10000_item_snapshot_with_1_percent_changed_writes_only_the_changed_items(erp):
    snapshot = [product(f"S{i:05d}", variants=[{"sku": f"S{i:05d}-U"}]) for i in range(10_000)]
    # Given: the snapshot applied once (straight through the consumer's code: the HTTP path is not under test).
    apply_products("m1", ["first-sync"] * len(snapshot), [ErpProduct.model_validate(i) for i in snapshot])
    changed = {f"S{i:05d}" for i in range(0, 10_000, 100)}
    snapshot = [{**item, "name": "Novo nome"} if item["sku"] in changed else item for item in snapshot]

    with dynamodb_writes() as writes:
        reports = [erp.sync("/erp/v1/products", snapshot[start : start + 1000]) for start in range(0, 10_000, 1000)]

    assert sum(r["counts"]["applied"] for r in reports) == 100
    assert sum(r["counts"]["unchanged"] for r in reports) == 9_900
    # 10 changed products in each of the 10 batches: one BatchWriteItem each (the floor, ceil(10 / 25)), plus
    # each job's own record and its count: nothing else.
    assert writes["batch_items"] == 100 and writes["BatchWriteItem"] == 10
    assert (writes["PutItem"], writes["UpdateItem"]) == (10, 10)
    assert assortment.get_product("m1", "S00100").name == "Novo nome"


def test_a_stock_snapshot_with_1_percent_changed_updates_only_the_changed_levels(erp):
    skus = [f"V{i:05d}" for i in range(2_000)]
    variants_known(skus)
    snapshot = [{"store_code": "9900", "sku": sku, "on_hand": 5, "sequence": 1} for sku in skus]
    table.batch_put(
        [
            {"PK": keys.stock_pk("m1", "9900"), "SK": sku, "type": "stock", "store_code": "9900"}
            | {"on_hand": 5, "reserved": 0, "available": 5, "sequence": 1}
            for sku in skus
        ]
    )
    # The ERP numbers each level's movements: 1% moved (sold or received), the rest keep their sequence.
    snapshot = [{**lv, "on_hand": 4, "sequence": 2} if i % 100 == 0 else lv for i, lv in enumerate(snapshot)]

    with dynamodb_writes() as writes:
        reports = [erp.sync("/erp/v1/stock", snapshot[start : start + 1000]) for start in range(0, 2_000, 1000)]

    assert sum(r["counts"]["applied"] for r in reports) == 20
    assert sum(r["counts"]["unchanged"] for r in reports) == 1_980
    assert writes["UpdateItem"] == 20 + 2  # one per changed level; each job's 2 chunks counted into it at once
    assert writes["BatchWriteItem"] == 0 and writes["PutItem"] == 2
    # Reads per chunk of 500: the stored levels and the variant index, 5 BatchGetItem each (and a Query of stores)
    assert writes["BatchGetItem"] == 4 * (5 + 5)
    assert level("V00100").on_hand == 4 and level("V00101").on_hand == 5


# ---------------------------------------------------------------- deltas pushed to subscribed channels


@pytest.fixture
def channel(erp, stack, monkeypatch, receiver):
    """A merchant endpoint subscribed to the stock and price deltas (the receiver answers 200)."""
    queues = webhook_queues(stack, monkeypatch)
    key = issue_api_key("m1", scopes=["merchant"], name="channel")
    endpoint = subscribe(key, ["StockLevelsChanged", "PricesChanged"])
    receiver.post(RECEIVER, status=200)
    return Channel(queues, endpoint["secret"], receiver)


@pytest.fixture
def receiver():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class Channel:
    def __init__(self, queues, secret: str, receiver) -> None:
        self.queues, self.secret, self.receiver = queues, secret, receiver

    def pushed(self) -> list[dict]:
        """Run the webhook fan-out and deliveries; each POST received since the last call, signature verified."""
        seen = len(self.receiver.calls)
        deliver_everything(self.queues)
        calls = self.receiver.calls[seen:]
        return [Webhook(self.secret).verify(c.request.body.decode(), dict(c.request.headers)) for c in calls]


def test_a_10000_level_stock_snapshot_with_1_percent_changed_writes_and_pushes_only_the_changed_levels(erp, channel):
    skus = [f"V{i:05d}" for i in range(10_000)]
    variants_known(skus)
    table.batch_put(
        [
            {"PK": keys.stock_pk("m1", "9900"), "SK": sku, "type": "stock", "store_code": "9900"}
            | {"on_hand": 5, "reserved": 0, "available": 5, "sequence": 1}
            for sku in skus
        ]
    )
    # A level with units reserved online: a channel is told what it may sell.
    table.update(keys.stock_pk("m1", "9900"), "V00100", expression="SET reserved = :r", values={":r": 3})
    snapshot = [{"store_code": "9900", "sku": sku, "on_hand": 5, "sequence": 1} for sku in skus]
    snapshot = [{**lv, "on_hand": 4, "sequence": 2} if i % 100 == 0 else lv for i, lv in enumerate(snapshot)]
    requests = [snapshot[start : start + 1000] for start in range(0, 10_000, 1000)]

    with dynamodb_writes() as writes:
        reports = erp.sync_together("/erp/v1/stock", requests)
    pushed = channel.pushed()

    assert sum(r["counts"]["applied"] for r in reports) == 100
    assert sum(r["counts"]["unchanged"] for r in reports) == 9_900
    # One conditional UpdateItem per changed level (none can share a request), each job's record and one count
    # for its 2 chunks of 500 (applied in one batch): nothing for the 9,900 levels that did not move.
    assert (writes["UpdateItem"], writes["PutItem"], writes["BatchWriteItem"]) == (100 + 10, 10, 0)
    # One signed POST per chunk with a change (20 chunks of 500, 5 changed in each), not one per level.
    assert len(pushed) == 20 and {event["type"] for event in pushed} == {"StockLevelsChanged"}
    levels = [lv for event in pushed for lv in event["data"]["levels"]]
    assert sorted(lv["sku"] for lv in levels) == [f"V{i:05d}" for i in range(0, 10_000, 100)]
    assert {"store_code": "9900", "sku": "V00200", "on_hand": 4, "reserved": 0, "available": 4, "sequence": 2} in levels
    assert {"store_code": "9900", "sku": "V00100", "on_hand": 4, "reserved": 3, "available": 1, "sequence": 2} in levels

    # The same snapshot again: nothing written but the jobs' bookkeeping, nothing pushed.
    with dynamodb_writes() as writes:
        reports = erp.sync_together("/erp/v1/stock", requests)
    assert sum(r["counts"]["unchanged"] for r in reports) == 10_000
    assert (writes["UpdateItem"], writes["PutItem"], writes["BatchWriteItem"]) == (10, 10, 0)
    assert channel.pushed() == []


def test_a_10000_price_snapshot_with_1_percent_changed_writes_at_the_floor_and_pushes_only_the_changed(erp, channel):
    snapshot = [{"table_id": "varejo", "sku": f"P{i:05d}", "price": 1000 + i} for i in range(10_000)]
    seeded = [ErpPrice.model_validate(item) for item in snapshot]
    apply_prices("m1", ["first-sync"] * len(seeded), seeded)
    snapshot = [{**p, "price": p["price"] + 50} if i % 100 == 0 else p for i, p in enumerate(snapshot)]
    requests = [snapshot[start : start + 1000] for start in range(0, 10_000, 1000)]

    with dynamodb_writes() as writes:
        reports = erp.sync_together("/erp/v1/prices", requests)
    pushed = channel.pushed()

    assert sum(r["counts"]["applied"] for r in reports) == 100
    # The ten requests' chunks arrive in one SQS batch and share their write requests: ceil(100 / 25), the
    # floor; plus each job's record and its chunk's count.
    assert writes["batch_items"] == 100 and writes["BatchWriteItem"] == 4
    assert (writes["PutItem"], writes["UpdateItem"]) == (10, 10)
    assert len(pushed) == 10 and {event["type"] for event in pushed} == {"PricesChanged"}
    prices = [price for event in pushed for price in event["data"]["prices"]]
    assert len(prices) == 100 and len({p["sku"] for p in prices}) == 100
    assert {"table_id": "varejo", "sku": "P00300", "price": 1350, "previous_price": 1300} in prices
    assert assortment.all_prices("m1", "varejo")["P00300"] == 1350

    with dynamodb_writes() as writes:
        erp.sync_together("/erp/v1/prices", requests)
    assert writes["BatchWriteItem"] == 0 and channel.pushed() == []


def test_a_new_price_is_pushed_with_no_previous_price_and_a_redelivery_pushes_nothing_again(erp, channel):
    erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 4990}])
    (chunk,) = erp.queued()
    erp.consume([chunk])
    (event,) = channel.pushed()
    assert event["data"]["prices"] == [{"table_id": "varejo", "sku": "A", "price": 4990, "previous_price": None}]

    # SQS delivers the chunk again (e.g. after a timeout): the same event id, so no second POST.
    erp.consume([chunk])
    assert channel.pushed() == []
    # A price the ERP sends again unchanged is no change; a new value names the one it replaced.
    erp.sync("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 4990}])
    assert channel.pushed() == []
    erp.sync("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 3990}])
    (event,) = channel.pushed()
    assert event["data"]["prices"] == [{"table_id": "varejo", "sku": "A", "price": 3990, "previous_price": 4990}]


def test_a_chunk_redelivered_after_its_writes_announces_the_same_change(erp, monkeypatch):
    published = []
    monkeypatch.setattr(apply, "publish", lambda events, source: published.extend(events))
    erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 1000}])
    erp.consume()
    erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 1200}])
    (chunk,) = erp.queued()
    consume_crashing_before_the_count(erp, chunk, monkeypatch)
    erp.consume([chunk])
    first, again = published[-2:]
    assert first.id == again.id and first.data == again.data
    assert again.data["prices"] == [{"table_id": "varejo", "sku": "A", "price": 1200, "previous_price": 1000}]


def test_the_same_product_in_two_jobs_of_one_sqs_batch_ends_as_the_later_one(erp):
    erp.post("/erp/v1/products", [product("A", "Primeiro"), product("B")])
    erp.post("/erp/v1/products", [product("A", "Segundo"), product("C")])
    first, second = erp.queued()
    with dynamodb_writes() as writes:
        assert erp.consume([first, second]) == {"batchItemFailures": []}
    # A request cannot hold one key twice: the second chunk waits for the first's write stream.
    assert writes["BatchWriteItem"] == 2
    assert assortment.get_product("m1", "A").name == "Segundo"
    assert {assortment.get_product("m1", sku) is not None for sku in ("B", "C")} == {True}


def test_the_same_product_in_two_jobs_of_one_sqs_batch_delivered_in_reverse_ends_as_the_later_job(erp):
    erp.post("/erp/v1/products", [product("A", "Primeiro")])
    erp.post("/erp/v1/products", [product("A", "Segundo")])
    first, second = erp.queued()
    assert erp.consume([second, first]) == {"batchItemFailures": []}

    assert assortment.get_product("m1", "A").name == "Segundo"
    report = erp.job(first["job_id"])
    assert report["counts"]["stale"] == 1
    (result,) = report["results"]
    assert result["status"] == "stale" and result["errors"][0]["field"] == "sku"
    assert second["job_id"] in result["errors"][0]["reason"]


def test_a_price_chunk_delivered_after_a_later_job_cannot_put_the_older_price_back(erp, channel):
    erp.sync("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 5990}])
    channel.pushed()
    # 49,90 fails its first delivery and waits for its retry; meanwhile the ERP sends 45,90.
    erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 4990}])
    (delayed,) = erp.queued()
    erp.sync("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 4590}])
    (event,) = channel.pushed()
    assert event["data"]["prices"] == [{"table_id": "varejo", "sku": "A", "price": 4590, "previous_price": 5990}]

    assert erp.consume([delayed]) == {"batchItemFailures": []}
    assert assortment.all_prices("m1", "varejo")["A"] == 4590
    assert channel.pushed() == []
    assert erp.job(delayed["job_id"])["counts"] == {
        "applied": 0,
        "unchanged": 0,
        "stale": 1,
        "rejected": 0,
        "pending": 0,
    }


def test_a_customer_update_delivered_after_a_later_job_is_stale(erp):
    erp.post("/erp/v1/customers", [customer("C1", name="Nome Antigo")])
    (delayed,) = erp.queued()
    erp.sync("/erp/v1/customers", [customer("C1", name="Nome Novo")])
    erp.consume([delayed])
    assert people.get_customer_item("m1", "C1")["name"] == "Nome Novo"
    assert erp.job(delayed["job_id"])["counts"]["stale"] == 1


def test_a_record_that_is_not_a_chunk_fails_alone(erp):
    erp.post("/erp/v1/products", [product("A")])
    (chunk,) = erp.queued()
    outcome = erp.consume([{"merchant_id": "m1", "job_id": "x"}, chunk])
    assert outcome == {"batchItemFailures": [{"itemIdentifier": "m0"}]}
    assert assortment.get_product("m1", "A") is not None


def test_chunks_applied_together_fail_together_and_only_they_go_back(erp, monkeypatch):
    products_known("A")
    erp.post("/erp/v1/products", [product("A")])
    erp.post("/erp/v1/products", [product("B")])
    erp.post("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 1}])
    chunks = erp.queued()
    real = apply.APPLIERS[BatchKind.PRODUCTS]

    def throttled(*args, **kwargs):
        from vitrine.errors import DependencyUnavailable

        raise DependencyUnavailable("DynamoDB BatchWriteItem failed: ProvisionedThroughputExceededException")

    monkeypatch.setitem(apply.APPLIERS, BatchKind.PRODUCTS, throttled)
    outcome = erp.consume(chunks)
    failed = sorted(chunks[int(f["itemIdentifier"][1:])]["kind"] for f in outcome["batchItemFailures"])
    assert failed == ["products", "products"]
    assert level("A-P").on_hand == 3

    monkeypatch.setitem(apply.APPLIERS, BatchKind.PRODUCTS, real)
    # Delivered again, one at a time this time: each converges on its own.
    for chunk in chunks[:2]:
        assert erp.consume([chunk]) == {"batchItemFailures": []}
    assert assortment.get_product("m1", "A") is not None and assortment.get_product("m1", "B") is not None


def test_a_stock_count_below_the_catalogs_minimum_hides_the_product_and_a_restock_shows_it(erp):
    catalog = publish_small_catalog()
    catalogs.put_catalog(catalog.model_copy(update={"min_stock_to_show": 3}))

    def shown() -> tuple[list[str], str]:
        products = [p["sku"] for p in json_body(http("GET", f"/api/catalogs/{catalog.slug}"))["products"]]
        return products, http("GET", f"/c/{catalog.slug}")["body"]

    # CAM has 3 (9900, CAM-P) + 5 (0001, CAM-M) available: shown.
    products, page = shown()
    assert "CAM" in products and "Camiseta" in page
    erp.sync("/erp/v1/stock", [{"store_code": "0001", "sku": "CAM-M", "on_hand": 0, "sequence": 2}])
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "CAM-P", "on_hand": 2, "sequence": 2}])
    products, page = shown()
    assert "CAM" not in products and "Camiseta" not in page
    erp.sync("/erp/v1/stock", [{"store_code": "0001", "sku": "CAM-M", "on_hand": 1, "sequence": 3}])
    products, page = shown()
    assert "CAM" in products and "Camiseta" in page


def test_prices_customers_and_sellers_unchanged_are_not_rewritten(erp):
    assortment.put_price_table("m1", PriceTable(table_id="atacado", name="Atacado"))
    prices = [{"table_id": "varejo", "sku": f"P{i}", "price": 1000 + i} for i in range(50)]
    customers = [customer("C1"), customer("C2", document="11.222.333/0001-81")]
    sellers = [
        {
            "seller_id": "ana",
            "name": "Ana",
            "email": "ana@loja.com.br",
            "password": "segredo-forte-1",
            "customer_ids": ["C1"],
        }
    ]
    erp.sync("/erp/v1/prices", prices)
    erp.sync("/erp/v1/customers", customers)
    erp.sync("/erp/v1/sellers", sellers)

    sellers[0].pop("password")
    with dynamodb_writes() as writes:
        reports = [
            erp.sync("/erp/v1/prices", prices),
            erp.sync("/erp/v1/customers", customers),
            erp.sync("/erp/v1/sellers", sellers),
        ]
    assert [r["counts"]["unchanged"] for r in reports] == [50, 2, 1]
    assert writes["batch_items"] == 0 and writes["TransactWriteItems"] == 0

    prices[7]["price"] = 999
    assert erp.sync("/erp/v1/prices", prices)["counts"]["applied"] == 1
    assert assortment.all_prices("m1", "varejo")["P7"] == 999


# ---------------------------------------------------------------- stock: sequence, and the race for the last unit


def test_a_stale_stock_count_is_ignored_and_reported(erp):
    products_known("A")
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 5}])
    report = erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 9, "sequence": 4}])
    assert report["counts"]["stale"] == 1
    (result,) = report["results"]
    assert result["status"] == "stale" and result["errors"][0]["field"] == "sequence"
    assert "newer" in result["errors"][0]["reason"]
    assert (level("A-P").on_hand, level("A-P").sequence) == (3, 5)


def test_counts_ordered_by_time_ignore_an_older_one(erp):
    products_known("A")
    newer = {"store_code": "0001", "sku": "A-P", "on_hand": 2, "counted_at": "2026-11-23T10:00:00.000001-03:00"}
    older = {"store_code": "0001", "sku": "A-P", "on_hand": 7, "counted_at": "2026-11-23T13:00:00Z"}
    erp.sync("/erp/v1/stock", [newer])
    assert erp.sync("/erp/v1/stock", [older])["counts"]["stale"] == 1
    assert level("A-P", "0001").on_hand == 2


def test_an_older_count_retried_late_cannot_undo_a_newer_count_of_the_same_quantity(erp):
    products_known("A")
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 5}])
    # Sequence 6 (4 on hand: a return) fails and waits for its retry; meanwhile sequence 7 says 3 again.
    erp.post("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 4, "sequence": 6}])
    (delayed,) = erp.queued()
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 3, "sequence": 7}])
    erp.consume([delayed])
    assert (level("A-P").on_hand, level("A-P").sequence) == (3, 7)


def _reserve_last_unit() -> bool:
    try:
        table.transact_write([stock.reserve_operation("m1", "9900", "A-P", 1)])
    except TransactionCancelled:
        return False
    return True


def test_the_counter_sale_reported_first_leaves_the_checkout_nothing(erp):
    products_known("A")
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 1}])
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 0, "sequence": 2}])
    assert _reserve_last_unit() is False
    assert stored_level("A-P")["available"] == 0


def test_a_checkout_first_keeps_the_unit_and_the_counter_sale_is_reported_oversold(erp):
    products_known("A")
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 1}])
    assert _reserve_last_unit() is True
    report = erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 0, "sequence": 2}])
    (result,) = report["results"]
    assert (result["status"], result["oversold"]) == ("applied", 1)
    item = stored_level("A-P")
    assert (item["on_hand"], item["reserved"], item["available"]) == (0, 1, -1)
    assert _reserve_last_unit() is False


def test_a_counter_sale_and_a_checkout_racing_for_the_last_unit_never_both_get_it(erp, monkeypatch):
    """Run both at once, many times. DynamoDB serialises writes to one item; moto in-process does not, so its
    calls are serialised here as the local stack's emulator does (``local_stack.emulator.serialize_dynamodb``)."""
    client = aws.client("dynamodb")
    original, lock = client._make_api_call, threading.Lock()

    def serialised(operation, params):
        with lock:
            return original(operation, params)

    products_known("A")
    monkeypatch.setattr(client, "_make_api_call", serialised)
    apply_count = handler_of(CONSUMER)
    outcomes = Counter()
    for round_number in range(30):
        sequence = 2 * round_number + 1
        table.put(
            {
                "PK": keys.stock_pk("m1", "9900"),
                "SK": "A-P",
                "type": "stock",
                "store_code": "9900",
                "on_hand": 1,
                "reserved": 0,
                "available": 1,
                "sequence": sequence,
            }
        )
        erp.post("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 0, "sequence": sequence + 1}])
        (counter_sale,) = erp.queued()
        start = threading.Barrier(2)
        reserved: list[bool] = []

        def checkout(reserved=reserved, start=start):
            start.wait()
            reserved.append(_reserve_last_unit())

        def erp_count(counter_sale=counter_sale, start=start):
            start.wait()
            apply_count(sqs_event([json.dumps(counter_sale)]), LambdaContext())

        threads = [threading.Thread(target=checkout), threading.Thread(target=erp_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        item = stored_level("A-P")
        # The count always lands (it is what the shelf holds), and available = on_hand - reserved after either order.
        assert item["on_hand"] == 0 and item["available"] == item["on_hand"] - item["reserved"]
        if reserved[0]:
            # The checkout got there first: it holds the unit, and the level reads oversold for the merchant.
            assert (item["reserved"], item["available"]) == (1, -1)
        else:
            assert (item["reserved"], item["available"]) == (0, 0)
        outcomes["checkout" if reserved[0] else "counter"] += 1
    assert sum(outcomes.values()) == 30


# ---------------------------------------------------------------- people


def customer(customer_id: str, **fields) -> dict:
    return {
        "customer_id": customer_id,
        "name": "Loja Parceira",
        "document": fields.pop("document", "529.982.247-25"),
        "email": f"{customer_id.lower()}@parceira.com.br",
        "phone": "(11) 3333-4444",
        "contacts": [{"name": "Joana", "role": "compras", "email": "joana@parceira.com.br"}],
        "addresses": [dict(ADDRESS)],
        **fields,
    }


def test_customers_come_with_contacts_addresses_price_table_and_web_access(erp):
    assortment.put_price_table("m1", PriceTable(table_id="atacado", name="Atacado"))
    items = [
        customer("C1", price_table_id="atacado", web_access=True, password="segredo-forte-1"),
        customer("C2", price_table_id="nao-existe"),
        customer("C3", web_access=True),
    ]
    report = erp.sync("/erp/v1/customers", items)
    assert report["counts"]["applied"] == 1 and report["counts"]["rejected"] == 2
    reasons = {r["ref"]: r["errors"][0] for r in report["results"]}
    assert reasons["C2"] == {
        "field": "price_table_id",
        "reason": "no price table 'nao-existe'",
        "code": "validation_error",
    }
    assert reasons["C3"]["field"] == "password"
    stored = people.get_customer_item("m1", "C1")
    assert stored["price_table_id"] == "atacado" and stored["password_hash"].startswith("scrypt$")
    assert stored["contacts"][0]["name"] == "Joana" and stored["addresses"][0]["city"] == "São Paulo"

    erp.sync("/erp/v1/customers", [customer("C1", price_table_id="atacado", web_access=False)])
    assert "password_hash" not in people.get_customer_item("m1", "C1")


def test_sellers_get_their_whole_list_of_customers_replaced(erp):
    erp.sync("/erp/v1/customers", [customer("C1"), customer("C2", document="11.222.333/0001-81")])
    ana = {
        "seller_id": "ana",
        "name": "Ana",
        "email": "ana@loja.com.br",
        "password": "segredo-forte-1",
        "customer_ids": ["C1", "C2"],
    }
    erp.sync("/erp/v1/sellers", [ana])
    assert people.customers_of_seller("m1", "ana") == ["C1", "C2"]
    report = erp.sync(
        "/erp/v1/sellers",
        [
            {**ana, "customer_ids": ["C2", "C9"]},
            {**ana, "seller_id": "bia", "email": "bia@loja.com.br", "password": None},
        ],
    )
    errors = {r["ref"]: r["errors"][0] for r in report["results"]}
    assert errors["ana"] == {"field": "customer_ids.1", "reason": "no customer 'C9'", "code": "unknown_customer"}
    assert errors["bia"]["field"] == "password"
    assert people.customers_of_seller("m1", "ana") == ["C1", "C2"]
    erp.sync("/erp/v1/sellers", [{**ana, "password": None, "customer_ids": ["C2"]}])
    assert people.customers_of_seller("m1", "ana") == ["C2"]


# ---------------------------------------------------------------- tenancy


def test_erp_keys_of_one_merchant_cannot_touch_another(erp):
    erp.sync("/erp/v1/products", [product("A", "Da loja 2")], merchant="m2")
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 7, "sequence": 5}], merchant="m2")
    b_job = json_body(erp.post("/erp/v1/prices", [{"table_id": "varejo", "sku": "A", "price": 100}], merchant="m2"))[
        "job_id"
    ]
    erp.consume()

    # Merchant 1's key writes the same SKUs: into merchant 1's own partitions only (m2's A does not make A-P m1's).
    refused = erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 9}])
    assert refused["counts"]["rejected"] == 1 and level("A-P", merchant="m1") is None
    erp.sync("/erp/v1/products", [product("A", "Da loja 1")])
    erp.sync("/erp/v1/stock", [{"store_code": "9900", "sku": "A-P", "on_hand": 1, "sequence": 9}])
    assert (level("A-P", merchant="m2").on_hand, level("A-P", merchant="m1").on_hand) == (7, 1)
    assert assortment.get_product("m2", "A").name == "Da loja 2"
    response = http("GET", f"/erp/v1/jobs/{b_job}", headers={"authorization": f"Bearer {erp.keys['m1']}"})
    assert response["statusCode"] == 404


# ---------------------------------------------------------------- CSV


CSV = """sku;name;brand;classifier_1;classifier_2;variant_sku;size;colour;price_table;price;\
image_url;image_width;image_height;active_online
CAM;Camiseta Básica;Marca;Roupas;Camisetas;CAM-P;P;Azul;varejo;49,90;https://cdn.loja.com.br/cam.jpg;800;800;sim
CAM;Camiseta Básica;;;;CAM-M;M;Azul;;;https://cdn.loja.com.br/cam-2.jpg;800;600;
TEN;Tênis;;Calçados;;TEN-40;40;;varejo;R$ 1.299,00;;;;
BAD;Sem tamanho;;;;BAD-1;;;varejo;quarenta;;;;talvez
"""


def test_a_csv_imports_products_prices_and_image_links_and_reports_bad_rows_by_line(erp):
    response = erp.post("/erp/v1/products/csv", None, body=CSV, content_type="text/csv")
    assert response["statusCode"] == 202, response["body"]
    job_id = json_body(response)["job_id"]
    erp.consume()
    report = erp.job(job_id)
    assert report["source"] == "csv" and report["status"] == "done"
    errors = {(e["line"], e["field"]) for r in report["results"] for e in r["errors"]}
    assert errors == {(5, "active_online"), (5, "price")}
    camiseta = assortment.get_product("m1", "CAM")
    assert [v.size for v in camiseta.variants] == ["P", "M"] and [i.height for i in camiseta.images] == [800, 600]
    assert camiseta.classifiers == ["Roupas", "Camisetas"]
    assert assortment.all_prices("m1", "varejo") == {"CAM": 4990, "TEN": 129900}
    assert assortment.get_product("m1", "BAD") is None


ENGLISH = re.compile(r"\b(required|should|must|differs|give|field|input|string|value error|ignored|no product)\b", re.I)

BAD_ROWS_CSV = """sku;name;variant_sku;size;price_table;price;weight_grams;active_online;\
image_url;image_width;image_height
CAM;Camiseta;CAM-P;P;varejo;49,90;180;sim;;;
CAM;Camiseta;CAM-M;M;varejo;quarenta;180;sim;;;
BON;Boné;;;varejo;R$ 29,90;meio quilo;talvez;;;
MEIA;Meia;MEIA P;P;;;;;;;
SOLTA;;;;;;;;https://cdn.loja.com.br/solta.jpg;640;640
CAM;Camiseta;CAM-G;G;;;180;sim;;;
TEN;{long_name};TEN-40;40;;;;;;;
"""


def test_a_csv_with_several_bad_rows_is_reported_to_the_merchant_in_portuguese_row_by_row(erp):
    # Given a spreadsheet with a bad price, a weight and a yes/no in words, a SKU with a space, image links for a
    # product that does not exist and a name too long, beside good rows
    body = BAD_ROWS_CSV.format(long_name="T" * 201)

    # When the merchant imports it
    report = erp.sync("/erp/v1/products/csv", None, body=body, content_type="text/csv")

    # Then each error names its line and column in Portuguese, with an English code and the column as field
    errors = {(e["line"], e["field"]): e for r in report["results"] for e in r["errors"]}
    assert errors[(3, "price")] == {
        "line": 3,
        "field": "price",
        "code": "invalid_price",
        "reason": "linha 3, coluna price: preço inválido ('quarenta'): um valor em reais, como 49,90 ou R$ 1.234,56",
    }
    assert errors[(4, "weight_grams")]["reason"] == "linha 4, coluna weight_grams: um número inteiro, só dígitos"
    assert errors[(4, "active_online")]["code"] == "invalid_flag"
    assert errors[(4, "active_online")]["reason"].startswith("linha 4, coluna active_online: use sim ou não")
    assert errors[(5, "variant_sku")]["code"] == "string_pattern_mismatch"
    assert "letras sem acento" in errors[(5, "variant_sku")]["reason"]
    assert errors[(8, "name")] == {
        "line": 8,
        "field": "name",
        "code": "string_too_long",
        "reason": "linha 8, coluna name: no máximo 200 caracteres",
    }
    # found while applying (no product SOLTA to link the image to), worded the same way
    assert errors[(6, "sku")]["code"] == "unknown_product"
    assert errors[(6, "sku")]["reason"].startswith("linha 6, coluna sku: não há produto SOLTA")
    for (line, field), error in errors.items():
        assert error["reason"].startswith(f"linha {line}, coluna {field}: ")
        assert not ENGLISH.search(error["reason"]), error["reason"]
    # and the good rows are imported: CAM without its bad price row (its other price stands), nothing of BON
    assert [v.sku for v in assortment.get_product("m1", "CAM").variants] == ["CAM-P", "CAM-M", "CAM-G"]
    assert assortment.get_product("m1", "BON") is None and assortment.get_product("m1", "TEN") is None


def test_a_csv_that_imports_nothing_or_cannot_be_read_is_a_422_told_in_portuguese(erp):
    response = erp.post("/erp/v1/products/csv", None, body="sku,price\nA,dez\n", content_type="text/csv")
    assert response["statusCode"] == 422
    error = json_body(response)["error"]
    assert error["message"] == "nenhuma linha do arquivo pode ser importada; nada foi importado"
    assert error["details"] == [
        {"field": "line.2.price_table", "reason": "linha 2, coluna price_table: price e price_table vão juntos"},
        {
            "field": "line.2.price",
            "reason": "linha 2, coluna price: preço inválido ('dez'): um valor em reais, como 49,90 ou R$ 1.234,56",
        },
    ]
    response = erp.post("/erp/v1/products/csv", None, body="sku;nome\nA;B\n", content_type="text/csv")
    assert json_body(response)["error"]["message"].startswith("o CSV não pode ser lido: colunas desconhecidas: nome")


def test_a_csv_of_image_links_replaces_images_of_existing_products_only(erp):
    erp.sync("/erp/v1/products", [product("CAM")])
    links = "sku,image_url,image_width,image_height\nCAM,https://cdn.loja.com.br/nova.jpg,640,640\nNOPE,https://cdn.loja.com.br/x.jpg,1,1\n"
    report = erp.sync("/erp/v1/products/csv", None, body=links, content_type="text/csv")
    (result,) = report["results"]
    assert (result["line"], result["ref"], result["errors"][0]["field"]) == (3, "NOPE", "sku")
    assert assortment.get_product("m1", "CAM").images[0].url.endswith("nova.jpg")


@pytest.mark.parametrize(
    ("body", "status"),
    [("", 422), ("sku,nome\nA,B\n", 422), ("name\nA\n", 422), ("sku,name\n", 422), ("sku\n" + "A\n" * 20_001, 413)],
    ids=["empty", "unknown-column", "no-sku-column", "no-rows", "too-many-rows"],
)
def test_a_csv_that_cannot_be_read_is_a_4xx_and_nothing_is_queued(erp, body, status):
    response = erp.post("/erp/v1/products/csv", None, body=body, content_type="text/csv")
    assert response["statusCode"] == status, response["body"]
    assert erp.queued() == [] and erp_jobs_in_table() == []


def test_the_largest_possible_delta_events_fit_an_eventbridge_entry():
    # Every field at its longest: 60-character SKUs, 20-character store codes, 40-character table ids.
    level = StockDelta(
        store_code="S" * 20, sku="V" * 60, on_hand=10**9, reserved=10**9, available=10**9, sequence=2**62
    )
    price = PriceDelta(table_id="T" * 40, sku="P" * 60, price=10**10, previous_price=10**10)
    for data in (
        StockLevelsChanged(job_id="f" * 32, levels=[level] * DELTAS_PER_EVENT),
        PricesChanged(job_id="f" * 32, prices=[price] * DELTAS_PER_EVENT),
    ):
        event = new_event("m" * 40, data, event_id=f"{'f' * 32}.999.99")
        # EventBridge counts Detail, DetailType, Source and the rest of the entry against 256 KB: half, at most.
        size = len(event.model_dump_json().encode()) + len(event.type) + len("vitrine.stock_sync") + 200
        assert size < 256 * 1024 / 2, f"{event.type}: {size} bytes"


def test_image_links_queued_after_their_products_in_one_sqs_batch_find_them(erp):
    erp.post("/erp/v1/products", [product("CAM")])
    links = "sku,image_url,image_width,image_height\nCAM,https://cdn.loja.com.br/nova.jpg,640,640\n"
    erp.post("/erp/v1/products/csv", None, body=links, content_type="text/csv")
    products_chunk, images_chunk = erp.queued()
    assert (products_chunk["kind"], images_chunk["kind"]) == ("products", "product_images")

    assert erp.consume([products_chunk, images_chunk]) == {"batchItemFailures": []}
    assert assortment.get_product("m1", "CAM").images[0].url.endswith("nova.jpg")
