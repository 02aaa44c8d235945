"""Finding orders as the shop floor asks (code, CPF/CNPJ, name, method, vitrine, store, days), newest first, and
the same list as a CSV that Excel in Brazil opens as it is, with a shopper's name never run as a formula."""

import csv
import io

import pytest
from infra_fixtures import publish_small_catalog
from lambda_harness import http, json_body
from test_checkout import CHECKOUT, checkout

from vitrine.auth.api_keys import issue_api_key


@pytest.fixture
def placed(stack):
    publish_small_catalog()
    buyers = [
        ("Maria Silva", "529.982.247-25", "pix"),
        ('=HYPERLINK("http://x")', "111.444.777-35", "boleto"),
        ("João Souza", "123.456.789-09", "pix"),
    ]
    orders = []
    for name, document, method in buyers:
        body = {**CHECKOUT, "customer": {**CHECKOUT["customer"], "name": name, "cpf": document}}
        body["lines"] = [{**CHECKOUT["lines"][0], "quantity": 1}]
        body["payment"] = {"method": method}
        answer = checkout(body)
        assert answer["statusCode"] == 201, answer["body"]
        orders.append(json_body(answer)["order"])
    return orders, issue_api_key("m1", scopes=["merchant"], name="m1")


def export(key, **query):
    return http("GET", "/merchant/v1/orders.csv", headers={"authorization": f"Bearer {key}"}, query=query)


def test_a_search_finds_by_code_document_name_and_method_newest_first(placed):
    from vitrine.orders.search import OrderSearch, find

    orders, _ = placed
    by_code = find("m1", OrderSearch(q=orders[1]["order_code"].lower()))
    assert [o.order_id for o in by_code.orders] == [orders[1]["order_id"]]
    assert [o.order_id for o in find("m1", OrderSearch(q="529.982.247-25")).orders] == [orders[0]["order_id"]]
    assert [o.order_id for o in find("m1", OrderSearch(q="souza")).orders] == [orders[2]["order_id"]]
    pix = find("m1", OrderSearch(payment_method="pix"))
    assert [o.order_id for o in pix.orders] == [orders[2]["order_id"], orders[0]["order_id"]]  # newest first
    assert find("m1", OrderSearch(store_code="0001")).total == 0
    assert find("m1", OrderSearch(), seller_scope="ana").total == 0


def test_the_csv_holds_what_the_search_found_for_excel_and_runs_no_formula(placed):
    orders, key = placed
    answer = export(key, payment_method="boleto")
    assert answer["statusCode"] == 200 and answer["headers"]["Content-Type"].startswith("text/csv")
    text = answer["body"]
    assert text.startswith("\ufeffPedido;Criado em;Situação;Cliente")
    (cells,) = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert cells[0] == orders[1]["order_code"] and cells[2] == "Aguardando pagamento"
    assert cells[3].startswith("'=HYPERLINK")  # never a formula in a spreadsheet
    assert cells[-1] == f"{orders[1]['total'] // 100},{orders[1]['total'] % 100:02d}"
    refused = export(key, since="2026-01-01", until="2025-12-01")
    assert refused["statusCode"] == 422
