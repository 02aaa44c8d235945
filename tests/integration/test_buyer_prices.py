"""A signed-in B2B customer (or a seller for a customer of theirs) sees their own table's prices (issue 14 item 5):
a private answer the page's script fetches, never the public page, which stays the catalog's prices for anyone."""

import json

import pytest
import test_people_and_sessions as people_tests
from aws_requests import dynamodb_requests
from lambda_harness import http, json_body
from test_people_and_sessions import PASSWORD, bearer, sign_in

from vitrine.catalogs.models import Product, StockLevel, Variant
from vitrine.repository import assortment, stock

shop = people_tests.shop  # catalog 'loja' (CAM 49,90; wholesale 39,90), sellers Ana (Sul) and Bruno (Norte)
PRIVATE = "private, no-store"


def prices(headers, query=None, slug="loja"):
    return http("GET", f"/api/catalogs/{slug}/prices", headers=headers, query=query)


@pytest.fixture(autouse=True)
def _remembered_scrypt(remembered_scrypt):
    """Sign-ins, not hashing, are tested here: the real scrypt, each derivation once per process."""


@pytest.fixture
def sul(shop):
    people_tests.enable_sul(shop)
    return sign_in("customer", "sul@lojas.com.br")


def test_a_b2b_customer_gets_their_tables_prices_privately_and_the_quote_charges_the_same(stack, sul):
    answer = prices(bearer(sul))
    assert answer["statusCode"] == 200 and answer["headers"]["Cache-Control"] == PRIVATE
    assert json_body(answer) == {"customer_id": "sul", "prices": {"CAM": 3990}}
    line = {"product_sku": "CAM", "sku": "CAM-P", "quantity": 2}
    quote = http("POST", "/api/carts/quote", headers=bearer(sul), body=json.dumps({"catalog": "loja", "lines": [line]}))
    assert json_body(quote)["subtotal"] == 2 * json_body(answer)["prices"]["CAM"]


def test_the_public_page_and_json_stay_the_catalogs_prices_for_a_signed_in_customer(stack, sul):
    cookie = {"cookie": f"vitrine_session={json_body(sul)['token']}"}
    page = http("GET", "/c/loja", headers=cookie)
    catalog = http("GET", "/api/catalogs/loja", headers=cookie)
    assert "R$ 49,90" in page["body"] and "39,90" not in page["body"] and "3990" not in page["body"]
    assert [p["price"] for p in json_body(catalog)["products"]] == [4990]
    assert not page.get("cookies") and not catalog.get("cookies")


def test_a_seller_gets_her_customers_prices_and_nobody_elses(stack, shop):
    ana = bearer(sign_in("seller", "ana@loja.com.br"))
    assert json_body(prices(ana, {"customer_id": "sul"})) == {"customer_id": "sul", "prices": {"CAM": 3990}}
    # Without a customer, the catalog's own
    assert json_body(prices(ana)) == {"customer_id": None, "prices": {"CAM": 4990}}
    # Bruno's customer, and one that does not exist, are refused alike
    for other in ("norte", "ninguem"):
        refused = prices(ana, {"customer_id": other})
        assert refused["statusCode"] == 403 and "4990" not in refused["body"]


@pytest.mark.parametrize(
    ("who", "query", "status"),
    [
        ("nobody", None, 401),
        ("customer", {"customer_id": "sul"}, 403),  # only a seller names a customer
        ("seller", {"customer_id": "não"}, 422),
        ("seller", {"cliente": "sul"}, 422),
    ],
)
def test_prices_need_a_session_and_a_seller_to_name_a_customer(stack, sul, who, query, status):
    headers = {"nobody": {}, "customer": bearer(sul), "seller": bearer(sign_in("seller", "ana@loja.com.br"))}[who]
    assert prices(headers, query)["statusCode"] == status


def test_an_unknown_catalog_is_a_404(stack, sul):
    assert prices(bearer(sul), slug="nao-existe")["statusCode"] == 404


def test_a_product_the_customers_table_does_not_price_is_left_out_as_the_checkout_refuses_it(stack, sul):
    assortment.put_product("m1", Product(sku="BON", name="Boné", variants=[Variant(sku="BON-U", size="U")]))
    assortment.put_prices("m1", "varejo", {"BON": 3990})
    stock.set_stock("m1", StockLevel(store_code="9900", sku="BON-U", on_hand=2, sequence=1))
    assert json_body(prices(bearer(sul)))["prices"] == {"CAM": 3990}
    line = {"product_sku": "BON", "sku": "BON-U", "quantity": 1}
    quote = http("POST", "/api/carts/quote", headers=bearer(sul), body=json.dumps({"catalog": "loja", "lines": [line]}))
    assert quote["statusCode"] == 422


def requests_made(call) -> list[str]:
    with dynamodb_requests() as names:
        assert call()["statusCode"] == 200
    return names


def test_the_customers_prices_are_one_batched_read_however_many_products_show(stack, sul):
    headers = bearer(sul)
    few = requests_made(lambda: prices(headers))
    # Given 60 more products on sale, each priced at both tables
    for n in range(60):
        sku = f"P{n:02d}"
        assortment.put_product("m1", Product(sku=sku, name=f"Produto {n}", variants=[Variant(sku=f"{sku}-U")]))
        stock.set_stock("m1", StockLevel(store_code="9900", sku=f"{sku}-U", on_hand=1, sequence=1))
    assortment.put_prices("m1", "varejo", {f"P{n:02d}": 1000 + n for n in range(60)})
    assortment.put_prices("m1", "atacado", {f"P{n:02d}": 800 + n for n in range(60)})
    many = requests_made(lambda: prices(headers))
    # Then the answer prices all 61 with the same requests: the session's person, the catalog, its products, prices,
    # stores and stock, the customer, and one BatchGetItem of the customer's table
    assert many == few and many.count("BatchGetItem") == 1
    assert json_body(prices(headers))["prices"]["P07"] == 807
    assert len(json_body(prices(headers))["prices"]) == 61


def test_a_signed_in_customer_reads_their_own_record_privately(stack, sul):
    answer = http("GET", "/api/customer", headers=bearer(sul))
    assert answer["statusCode"] == 200 and answer["headers"]["Cache-Control"] == PRIVATE
    record = json_body(answer)
    assert (record["customer_id"], record["name"], record["document"]) == ("sul", "Loja Sul", "11222333000181")
    assert "password" not in answer["body"] and PASSWORD not in answer["body"]
    seller = sign_in("seller", "ana@loja.com.br")
    assert http("GET", "/api/customer", headers=bearer(seller))["statusCode"] == 403
    assert http("GET", "/api/customer")["statusCode"] == 401
