"""The merchant side of catalogs and store settings, through the catalog_api handler with a merchant API key."""

import json
import urllib.parse

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_checkout import CHECKOUT, checkout
from test_event_journal import drain, route_bus_to_journal_queue

from vitrine.auth.api_keys import issue_api_key
from vitrine.catalogs.models import PriceTable, Product, Variant
from vitrine.repository import assortment

NEW_CATALOG = {
    "title": "Verão & Praia",
    "description": "Coleção de verão",
    "slug": "verao",
    "selection": {"all_active_online": True},
    "price_table_id": "varejo",
    "store_codes": ["9900"],
    "min_stock_to_show": 1,
    "display_order": ["CAM"],
}


def merchant(merchant_id: str) -> dict[str, str]:
    """The merchant's assortment (price table, stores, products) and a header with its key."""
    publish_small_catalog(merchant_id=merchant_id, slug=f"loja-{merchant_id}")
    assortment.put_price_table(merchant_id, PriceTable(table_id="varejo", name="Varejo", default=True))
    key = issue_api_key(merchant_id, scopes=["merchant"], name=merchant_id)
    return {"authorization": f"Bearer {key}"}


def call(method: str, path: str, headers: dict[str, str], body: dict | None = None) -> dict:
    return http(method, path, headers=headers, body=json.dumps(body) if body is not None else None)


def create(headers: dict[str, str], **changes) -> dict:
    response = call("POST", "/merchant/v1/catalogs", headers, {**NEW_CATALOG, **changes})
    assert response["statusCode"] == 201, response["body"]
    return json_body(response)


def error_fields(response: dict) -> list[str]:
    assert response["statusCode"] == 422, response["body"]
    error = json_body(response)["error"]
    assert error["code"] == "validation_error"
    return [detail["field"] for detail in error["details"]]


def test_a_catalog_goes_from_draft_to_published_and_back(stack):
    route_bus_to_journal_queue(stack)
    headers = merchant("m1")
    catalog = create(headers)
    assert catalog["status"] == "draft"
    assert catalog["share_url"] == "https://vitrine.example.com/c/verao"
    assert http("GET", "/api/catalogs/verao")["statusCode"] == 404

    response = call("POST", f"/merchant/v1/catalogs/{catalog['catalog_id']}/publish", headers)
    assert response["statusCode"] == 200
    links = json_body(response)
    assert links["share_url"] == "https://vitrine.example.com/c/verao"
    assert links["whatsapp_url"].startswith("https://wa.me/?text=")
    text = urllib.parse.unquote(links["whatsapp_url"].removeprefix("https://wa.me/?text="))
    assert text == "Verão & Praia https://vitrine.example.com/c/verao"
    assert links["catalog"]["status"] == "published"

    public = http("GET", "/api/catalogs/verao")
    assert public["statusCode"] == 200
    assert json_body(public)["title"] == "Verão & Praia"
    assert json_body(public)["products"][0]["sku"] == "CAM"
    assert checkout({**CHECKOUT, "catalog": "verao"})["statusCode"] == 201

    response = call("POST", f"/merchant/v1/catalogs/{catalog['catalog_id']}/unpublish", headers)
    assert response["statusCode"] == 200 and json_body(response)["status"] == "draft"
    assert http("GET", "/api/catalogs/verao")["statusCode"] == 404
    assert http("GET", "/c/verao")["statusCode"] == 404
    assert checkout({**CHECKOUT, "catalog": "verao"})["statusCode"] == 404

    events = [json.loads(body) for body in drain(stack)]
    # The checkout's reservation is announced to the catalogs' read models (issue 15); the order placed to the
    # notifier, with its consent records (issue 18).
    assert sorted((e["source"], e["detail-type"]) for e in events) == [
        ("vitrine.catalog_api", "CatalogPublished"),
        ("vitrine.catalog_api", "CatalogUnpublished"),
        ("vitrine.catalog_api", "StockReserved"),
        ("vitrine.orders", "ConsentRecorded"),
        ("vitrine.orders", "ConsentRecorded"),
        ("vitrine.orders", "OrderPlaced"),
    ]
    published = next(e["detail"] for e in events if e["detail-type"] == "CatalogPublished")
    assert published["merchant_id"] == "m1"
    assert published["data"] == {"catalog_id": catalog["catalog_id"], "slug": "verao", "title": "Verão & Praia"}


def test_an_update_replaces_the_fields_but_not_the_slug_or_status(stack):
    headers = merchant("m1")
    catalog = create(headers)
    path = f"/merchant/v1/catalogs/{catalog['catalog_id']}"
    call("POST", f"{path}/publish", headers)
    changes = {k: v for k, v in NEW_CATALOG.items() if k != "slug"}
    changes |= {"title": "Inverno", "selection": {"classifier_path": ["Roupas", "Camisetas"]}}
    response = call("PUT", path, headers, changes)
    assert response["statusCode"] == 200, response["body"]
    updated = json_body(call("GET", path, headers))
    assert (updated["title"], updated["slug"], updated["status"]) == ("Inverno", "verao", "published")
    assert updated["selection"]["classifier_path"] == ["Roupas", "Camisetas"]
    assert json_body(http("GET", "/api/catalogs/verao"))["title"] == "Inverno"
    assert "body.slug" in error_fields(call("PUT", path, headers, {**changes, "slug": "outro"}))


def test_a_merchants_key_touches_only_its_own_catalogs(stack):
    a, b = merchant("m1"), merchant("m2")
    theirs = create(b, slug="de-b")
    path = f"/merchant/v1/catalogs/{theirs['catalog_id']}"
    changes = {k: v for k, v in NEW_CATALOG.items() if k != "slug"}
    assert call("GET", path, a)["statusCode"] == 404
    assert call("PUT", path, a, changes)["statusCode"] == 404
    assert call("POST", f"{path}/publish", a)["statusCode"] == 404
    assert call("POST", f"{path}/unpublish", a)["statusCode"] == 404
    listed = json_body(call("GET", "/merchant/v1/catalogs", a))["catalogs"]
    assert {c["merchant_id"] for c in listed} == {"m1"}
    assert theirs["catalog_id"] not in [c["catalog_id"] for c in listed]
    assert json_body(call("GET", path, b))["title"] == "Verão & Praia"
    assert http("GET", "/api/catalogs/de-b")["statusCode"] == 404  # untouched: still a draft


def test_the_catalog_routes_need_a_merchant_key(stack):
    merchant("m1")
    erp = {"authorization": f"Bearer {issue_api_key('m1', scopes=['erp'], name='erp')}"}
    assert call("GET", "/merchant/v1/catalogs", {})["statusCode"] == 401
    assert call("POST", "/merchant/v1/catalogs", erp, NEW_CATALOG)["statusCode"] == 403
    assert call("GET", "/merchant/v1/settings", erp)["statusCode"] == 403


def test_a_taken_slug_is_a_409(stack):
    a, b = merchant("m1"), merchant("m2")
    create(a)
    for headers in (a, b):
        response = call("POST", "/merchant/v1/catalogs", headers, NEW_CATALOG)
        assert response["statusCode"] == 409
        assert json_body(response)["error"]["details"] == [{"field": "slug", "reason": "taken"}]


def test_an_unknown_price_table_or_a_foreign_store_is_a_422(stack):
    headers = merchant("m1")
    merchant("m2")
    assortment.put_price_table("m2", PriceTable(table_id="atacado", name="Atacado"))
    from vitrine.catalogs.models import Store
    from vitrine.repository import stores

    stores.put_store("m2", Store(code="7777", name="Loja de B"))
    assert error_fields(
        call("POST", "/merchant/v1/catalogs", headers, {**NEW_CATALOG, "price_table_id": "atacado"})
    ) == ["body.price_table_id"]
    assert error_fields(
        call("POST", "/merchant/v1/catalogs", headers, {**NEW_CATALOG, "store_codes": ["9900", "7777"]})
    ) == ["body.store_codes"]
    assert json_body(call("GET", "/merchant/v1/catalogs", headers))["catalogs"][0]["slug"] == "loja-m1"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "body.title"),
        ({"slug": "Não Pode"}, "body.slug"),
        ({"selection": {}}, "body.selection"),
        ({"selection": {"skus": ["CAM"], "all_active_online": True}}, "body.selection"),
        ({"selection": {"classifier_path": ["a", "b", "c", "d", "e", "f"]}}, "body.selection.classifier_path"),
        ({"selection": {"skus": ["não sku"]}}, "body.selection.skus.0"),
        ({"store_codes": []}, "body.store_codes"),
        ({"min_stock_to_show": -1}, "body.min_stock_to_show"),
        ({"min_stock_to_show": "muitos"}, "body.min_stock_to_show"),
        ({"status": "published"}, "body.status"),
        ({"price_table_id": None}, "body.price_table_id"),
    ],
)
def test_a_bad_catalog_body_is_a_422_naming_the_field(stack, changes, field):
    headers = merchant("m1")
    response = call("POST", "/merchant/v1/catalogs", headers, {**NEW_CATALOG, **changes})
    assert field in error_fields(response)
    assert [c["slug"] for c in json_body(call("GET", "/merchant/v1/catalogs", headers))["catalogs"]] == ["loja-m1"]


def test_a_missing_field_is_named(stack):
    headers = merchant("m1")
    body = {k: v for k, v in NEW_CATALOG.items() if k != "price_table_id"}
    assert "body.price_table_id" in error_fields(call("POST", "/merchant/v1/catalogs", headers, body))


def test_unknown_catalog_ids_are_404(stack):
    headers = merchant("m1")
    for catalog_id in ("nope", "x" * 200, "c-loja-not"):
        assert call("GET", f"/merchant/v1/catalogs/{catalog_id}", headers)["statusCode"] == 404


SETTINGS = {
    "delivery_ranges": [
        {"cep_from": "01000000", "cep_to": "05999999", "price": 990, "days": 1},
        {"cep_from": "06000000", "cep_to": "19999999", "price": 1990, "days": 3},
    ],
    "free_delivery_above": 25000,
    "max_installments": 10,
    "min_installment": 1500,
    "pix_expires_minutes": 60,
    "card_reservation_minutes": 20,
    "boleto_due_days": 2,
}


def test_store_settings_round_trip(stack):
    headers = merchant("m1")
    response = call("PUT", "/merchant/v1/settings", headers, SETTINGS)
    assert response["statusCode"] == 200, response["body"]
    assert json_body(call("GET", "/merchant/v1/settings", headers)) == SETTINGS
    other = merchant("m2")
    assert json_body(call("GET", "/merchant/v1/settings", other))["max_installments"] == 6


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"delivery_ranges": [{"cep_from": "09000000", "cep_to": "01000000", "price": 100, "days": 1}]},
            "body.delivery_ranges.0.cep_to",
        ),
        ({"delivery_ranges": [{"cep_from": "0100", "cep_to": "01000000", "price": 100, "days": 1}]}, None),
        ({"max_installments": 13}, "body.max_installments"),
        ({"min_installment": -1}, "body.min_installment"),
        ({"pix_expires_minutes": 1}, "body.pix_expires_minutes"),
        ({"shipping": "free"}, "body.shipping"),
    ],
)
def test_invalid_store_settings_are_a_422_and_change_nothing(stack, changes, field):
    headers = merchant("m1")
    response = call("PUT", "/merchant/v1/settings", headers, {**SETTINGS, **changes})
    fields = error_fields(response)
    assert field in fields if field else any(f.startswith("body.delivery_ranges.0.cep_from") for f in fields)
    assert json_body(call("GET", "/merchant/v1/settings", headers))["max_installments"] == 6


def test_a_catalog_of_explicit_skus_names_only_the_merchants_own_products(stack):
    a = merchant("m1")
    merchant("m2")
    assortment.put_product("m2", Product(sku="ALHEIO", name="De B", variants=[Variant(sku="ALHEIO-U")]))
    for skus in (["CAM", "NAOEXISTE"], ["CAM", "ALHEIO"]):
        response = call("POST", "/merchant/v1/catalogs", a, {**NEW_CATALOG, "selection": {"skus": skus}})
        assert error_fields(response) == ["body.selection.skus"]
        assert skus[1] in json_body(response)["error"]["details"][0]["reason"]
    assert [c["slug"] for c in json_body(call("GET", "/merchant/v1/catalogs", a))["catalogs"]] == ["loja-m1"]
    chosen = create(a, selection={"skus": ["CAM", "SOLD"]})
    assert chosen["selection"]["skus"] == ["CAM", "SOLD"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"free_delivery_above": False}, "body.free_delivery_above"),  # was taken as 0: every delivery free
        ({"free_delivery_above": "15000"}, "body.free_delivery_above"),
        ({"max_installments": True}, "body.max_installments"),
        ({"delivery_ranges": [{"cep_from": "01000000", "cep_to": "05999999", "price": True, "days": 1}]}, None),
    ],
)
def test_settings_take_amounts_and_counts_only_as_json_integers(stack, changes, field):
    # Given settings with free delivery from R$ 250,00
    headers = merchant("m1")
    assert call("PUT", "/merchant/v1/settings", headers, SETTINGS)["statusCode"] == 200
    # When a boolean or a string is sent for an amount or a count
    fields = error_fields(call("PUT", "/merchant/v1/settings", headers, {**SETTINGS, **changes}))
    # Then it is a 422 naming the field, and the stored settings are the ones before
    assert fields == [field or "body.delivery_ranges.0.price"]
    assert json_body(call("GET", "/merchant/v1/settings", headers)) == SETTINGS


def test_a_catalog_of_a_thousand_skus_checks_them_in_one_batched_read(stack, monkeypatch):
    """schemathesis sent 1,000 SKUs: the check read all of them once per SKU (10,000 requests, past 10 s)."""
    headers = merchant("m1")
    reads = []
    existing_products = assortment.existing_products
    monkeypatch.setattr(assortment, "existing_products", lambda *args: reads.append(args) or existing_products(*args))
    skus = ["CAM", *(f"NAO-{n}" for n in range(999))]
    response = call("POST", "/merchant/v1/catalogs", headers, {**NEW_CATALOG, "selection": {"skus": skus}})
    assert error_fields(response) == ["body.selection.skus"]
    assert "NAO-0, NAO-1" in json_body(response)["error"]["details"][0]["reason"]
    assert len(reads) == 1
